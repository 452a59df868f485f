"""Every opening of a Confidential or higher file, receipt or document is an audit event;
lists and lower grades are not logged. A desk lists nothing above its holder's clearance."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from daftar.audit.models import AuditEvent
from daftar.files.models import Classification, File
from daftar.files.services import file_open
from daftar.org.models import User
from daftar.receipts.models import Sender
from tests.cast import Cast
from tests.web.test_receipt_screens import own_blobs, scanned_receipt, sender

__all__ = ["own_blobs", "sender"]  # fixtures used from the receipt screens' tests

Login = Callable[[User], Client]


def views_of(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def opened(cast: Cast, grade: int) -> File:
    return file_open(
        actor=cast.section_officer,
        post_id=cast.so_post.pk,
        subject="Indus Waters: brief",
        classification=grade,
    )


def test_opening_a_confidential_file_is_recorded_with_the_post(cast: Cast, login: Login) -> None:
    file = opened(cast, Classification.CONFIDENTIAL)
    assert login(cast.section_officer).get(reverse("home")).status_code == 200
    assert views_of("file.view") == []  # a list is not an opening
    assert (
        login(cast.section_officer).get(reverse("file-detail", args=[file.pk])).status_code == 200
    )
    assert (
        login(cast.deputy_secretary).get(reverse("file-detail", args=[file.pk])).status_code == 200
    )
    api = APIClient()
    api.force_authenticate(cast.secretary)
    assert api.get(reverse("api-file", args=[file.pk])).status_code == 200
    events = views_of("file.view")
    assert [(e.actor, e.post, e.object_id) for e in events] == [
        (cast.section_officer, cast.so_post, str(file.pk)),
        (cast.deputy_secretary, cast.ds_post, str(file.pk)),
        (cast.secretary, cast.secretary_post, str(file.pk)),
    ]
    assert [e.after["via"] for e in events if e.after] == ["file", "file", "api"]
    assert {e.after["classification"] for e in events if e.after} == {2}


@pytest.mark.parametrize("grade", [Classification.UNCLASSIFIED, Classification.RESTRICTED])
def test_lower_grades_are_not_logged(cast: Cast, login: Login, grade: int) -> None:
    file = opened(cast, grade)
    assert (
        login(cast.section_officer).get(reverse("file-detail", args=[file.pk])).status_code == 200
    )
    assert views_of("file.view") == []


def test_opening_a_confidential_receipt_and_its_pages_is_recorded(
    cast: Cast, sender: Sender, login: Login
) -> None:
    User.objects.filter(pk=cast.registry_clerk.pk).update(clearance=Classification.SECRET)
    receipt = scanned_receipt(cast, sender, login, classification="3")
    document = receipt.documents.get().document
    clerk = login(cast.registry_clerk)
    assert clerk.get(reverse("receipt-detail", args=[receipt.pk])).status_code == 200
    image = clerk.get(reverse("receipt-page-image", args=[receipt.pk, document.pk, 1]))
    assert image.status_code == 200
    assert [e.after["via"] for e in views_of("receipt.view") if e.after] == ["receipt"]
    seen = views_of("document.view")
    assert [(e.object_id, e.post) for e in seen] == [(str(document.pk), cast.registry_post)]
    assert seen[0].after == {
        "via": "page image",
        "classification": Classification.SECRET,
        "receipt": receipt.diary_number,
    }
    # The Section Officer (Confidential) may not open it at all, and nothing is logged.
    assert (
        login(cast.section_officer).get(reverse("receipt-detail", args=[receipt.pk])).status_code
        == 404
    )
    assert len(views_of("receipt.view")) == 1


def test_a_desk_lists_nothing_above_its_holders_clearance(cast: Cast, login: Login) -> None:
    file = opened(cast, Classification.CONFIDENTIAL)
    assert file.subject in login(cast.section_officer).get(reverse("home")).content.decode()
    User.objects.filter(pk=cast.section_officer.pk).update(clearance=Classification.RESTRICTED)
    cast.section_officer.refresh_from_db()
    home = login(cast.section_officer).get(reverse("home")).content.decode()
    assert file.subject not in home
    assert (
        login(cast.section_officer).get(reverse("file-detail", args=[file.pk])).status_code == 404
    )
