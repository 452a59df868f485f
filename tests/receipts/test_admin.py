from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from daftar.audit.models import AuditEvent
from daftar.org.models import OrgUnit, User
from daftar.receipts.admin import diary_template_error
from daftar.receipts.custody import receipt_send
from daftar.receipts.models import Receipt, Sender
from tests.accounts.helpers import login_verified
from tests.cast import PASSWORD, Cast
from tests.receipts.conftest import register


@pytest.fixture
def it_admin(cast: Cast) -> User:
    return User.objects.create_superuser(
        "it.cell@mowr.gov.pk", PASSWORD, full_name="IT Cell Administrator"
    )


@pytest.fixture
def admin_client(it_admin: User) -> Client:
    client = Client()
    login_verified(client, it_admin)  # admins log in with a second factor
    return client


def test_receipt_admin_is_view_only(admin_client: Client, cast: Cast, receipt: Receipt) -> None:
    receipt_send(actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.so_post.pk)
    listing = admin_client.get(reverse("admin:receipts_receipt_changelist"))
    assert listing.status_code == 200
    assert escape(receipt.diary_number) in listing.content.decode()
    url = reverse("admin:receipts_receipt_change", args=[receipt.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Section Officer (Development-I)" in page.content.decode()  # the movement inline
    admin_client.post(url, {"subject": "Changed"})
    receipt.refresh_from_db()
    assert receipt.subject == "Release of funds for Satpara dam"
    assert admin_client.get(reverse("admin:receipts_receipt_add")).status_code == 403
    delete = reverse("admin:receipts_receipt_delete", args=[receipt.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403


def test_sender_admin_saves_are_audited(admin_client: Client, it_admin: User) -> None:
    add = admin_client.post(
        reverse("admin:receipts_sender_add"),
        {"organisation": "IRSA", "name": "", "designation": "", "address": "", "email": ""},
    )
    assert add.status_code == 302
    sender = Sender.objects.get(organisation="IRSA")
    assert sender.created_by == it_admin
    created = AuditEvent.objects.get(action="sender.create", object_id=str(sender.pk))
    assert created.actor == it_admin and created.after is not None
    assert created.after["source"] == "admin"
    change = admin_client.post(
        reverse("admin:receipts_sender_change", args=[sender.pk]),
        {
            "organisation": "IRSA",
            "name": "",
            "designation": "Chairman",
            "address": "",
            "email": "chairman@irsa.gov.pk",
        },
    )
    assert change.status_code == 302
    changed = AuditEvent.objects.get(action="sender.change", object_id=str(sender.pk))
    assert changed.before == {"designation": "", "email": ""}
    listing = admin_client.get(reverse("admin:receipts_sender_changelist") + "?q=irsa")
    assert "Chairman" in listing.content.decode()


def test_diary_format_is_set_per_unit_and_audited(
    admin_client: Client, cast: Cast, it_admin: User, sender: Sender
) -> None:
    url = reverse("admin:receipts_diary_change", args=[cast.registry.pk])
    assert admin_client.get(url).status_code == 200
    refused = admin_client.post(url, {"diary_number_template": "{serial}/{unit}"})
    assert (
        refused.status_code == 200
        and "must contain {serial} and {year}" in refused.content.decode()
    )
    saved = admin_client.post(url, {"diary_number_template": "R&I-{year}-{serial:04d}"})
    assert saved.status_code == 302
    unit = OrgUnit.objects.get(pk=cast.registry.pk)
    assert unit.name == "Central Registry"  # only the format is edited here
    event = AuditEvent.objects.get(action="unit.change", object_id=str(unit.pk))
    assert event.object_type == "org.orgunit" and event.actor == it_admin
    assert event.before == {"diary_number_template": "{serial}/{year}/{unit}"}
    receipt = register(cast, sender, is_physical=True)
    assert receipt.diary_number == f"R&I-{receipt.year}-0001"
    assert admin_client.get(reverse("admin:receipts_diary_add")).status_code == 403


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("{serial}/{year}/{unit}", None),
        ("{unit}/{year}/{serial:05d}", None),
        ("{serial}/{month}/{year}", "Unknown placeholder"),
        ("{serial}/{unit}", "must contain"),
        ("{serial/{year}", "not valid"),
        ("{serial:q}/{year}", "not valid"),
    ],
)
def test_diary_template_check(template: str, problem: str | None) -> None:
    error = diary_template_error(template)
    if problem is None:
        assert error is None
    else:
        assert error is not None and problem in error
