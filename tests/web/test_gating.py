"""Function-level gating: a screen or endpoint that needs a role answers 403 with a page that
names the role, changes nothing, and lets the right role through. Object-level refusals stay
404 (the selectors), whatever the role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from daftar.files.models import File, FileStatus
from daftar.movement.services import file_send
from daftar.org import services as org
from daftar.org.models import User
from daftar.org.roles import roles_assign
from tests.cast import PASSWORD, Cast
from tests.web.conftest import open_file, text_of

Login = Callable[[User], Client]


def no_role(cast: Cast) -> User:
    """A person holding the Assistant's post alongside, with no role at all."""
    person = org.person_create(
        actor=None, email="new.joiner@mowr.gov.pk", full_name="New Joiner", password=PASSWORD
    )
    org.charge_assign(
        actor=None, person=person, post=cast.assistant_post, start=dt.date(2020, 1, 1), kind="link"
    )
    return person


@pytest.mark.parametrize(
    ("name", "method", "role"),
    [
        ("file-new", "get", "Dealing staff"),
        ("file-new", "post", "Dealing staff"),
        ("receipt-new", "get", "Registry clerk"),
        ("receipt-new", "post", "Registry clerk"),
        ("sender-search", "get", "Registry clerk"),
        ("mail-list", "get", "Registry clerk"),
    ],
)
def test_screens_refuse_without_the_role_and_name_it(
    cast: Cast, login: Login, name: str, method: str, role: str
) -> None:
    person = cast.registry_clerk if name == "file-new" else cast.assistant
    client = login(person)
    response = getattr(client, method)(reverse(name), {"subject": "X"} if method == "post" else {})
    assert response.status_code == 403
    html = text_of(response)
    assert "Not allowed" in html and role in html
    assert "This needs the role of" in html
    assert not File.objects.exists()


def test_mail_draft_screens_need_the_mail_role(cast: Cast, login: Login) -> None:
    client = login(cast.section_officer)
    for name, method in (
        ("mail-detail", "get"),
        ("mail-raw", "get"),
        ("mail-complete", "post"),
        ("mail-discard", "post"),
    ):
        response = getattr(client, method)(reverse(name, args=[1]))
        assert response.status_code == 403, name
    assert login(cast.registry_clerk).get(reverse("mail-list")).status_code == 200
    # The clerk's draft that does not exist stays a 404: the role opens the screen, not a row.
    assert login(cast.registry_clerk).get(reverse("mail-detail", args=[999])).status_code == 404


def test_the_right_roles_get_through(cast: Cast, login: Login) -> None:
    assert login(cast.assistant).get(reverse("file-new")).status_code == 200
    assert login(cast.section_officer).get(reverse("file-new")).status_code == 200
    assert login(cast.registry_clerk).get(reverse("receipt-new")).status_code == 200
    assert login(cast.registry_clerk).get(reverse("sender-search")).status_code == 200


def test_a_person_with_no_role_may_still_read_and_move_what_their_post_holds(
    cast: Cast, file: File, login: Login
) -> None:
    client = login(no_role(cast))
    assert client.get(reverse("file-new")).status_code == 403
    assert client.get(reverse("file-detail", args=[file.pk])).status_code == 200
    response = client.post(reverse("file-send", args=[file.pk]), {"to_post": cast.so_post.pk})
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.holder == cast.so_post


def test_close_and_reopen_need_the_records_permission_and_change_nothing_without(
    cast: Cast, login: Login
) -> None:
    # The registry clerk opened a file before roles (or holds one sent across): custody lets
    # them note and send it, not close it.
    held = open_file(cast.registry_clerk, cast.registry_post)
    client = login(cast.registry_clerk)
    response = client.post(reverse("file-close", args=[held.pk]))
    assert response.status_code == 403 and "Records officer" in text_of(response)
    held.refresh_from_db()
    assert held.status == FileStatus.OPEN
    roles_assign(actor=None, person=cast.registry_clerk, roles=["records_officer"])
    assert client.post(reverse("file-close", args=[held.pk])).status_code == 302
    held.refresh_from_db()
    assert held.status == FileStatus.CLOSED
    assert client.post(reverse("file-reopen", args=[held.pk])).status_code == 302


def test_roles_do_not_open_other_peoples_files(cast: Cast, file: File, login: Login) -> None:
    # The outsider is an officer (may close files) but never held this one: 404, not 403.
    outsider = login(cast.outsider)
    for name in ("file-close", "file-reopen"):
        assert outsider.post(reverse(name, args=[file.pk])).status_code == 404
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    assert outsider.get(reverse("file-detail", args=[file.pk])).status_code == 404


def test_navigation_offers_only_what_the_roles_allow(cast: Cast, login: Login) -> None:
    clerk = text_of(login(cast.registry_clerk).get(reverse("home")))
    assert reverse("receipt-new") in clerk and reverse("file-new") not in clerk
    assistant = text_of(login(cast.assistant).get(reverse("home")))
    assert reverse("file-new") in assistant and reverse("receipt-new") not in assistant


# --- The API ------------------------------------------------------------------------------


def test_api_open_close_and_reopen_need_their_roles(cast: Cast, login: Login) -> None:
    clerk = login(cast.registry_clerk)
    response = clerk.post(
        "/api/v1/files/", {"post": cast.registry_post.pk, "subject": "X"}, "application/json"
    )
    assert response.status_code == 403
    assert "Dealing staff" in response.json()["detail"]
    assert not File.objects.exists()

    held = open_file(cast.registry_clerk, cast.registry_post)
    for action in ("close", "reopen"):
        response = clerk.post(f"/api/v1/files/{held.pk}/{action}/")
        assert response.status_code == 403, action
        assert "Records officer" in response.json()["detail"]
    held.refresh_from_db()
    assert held.status == FileStatus.OPEN
    outsider = login(cast.outsider)
    assert outsider.post(f"/api/v1/files/{held.pk}/close/").status_code == 404

    assistant = login(cast.assistant)
    response = assistant.post(
        "/api/v1/files/", {"post": cast.assistant_post.pk, "subject": "Y"}, "application/json"
    )
    assert response.status_code == 201
    opened = response.json()["id"]
    assert assistant.post(f"/api/v1/files/{opened}/close/").status_code == 200


def test_pages_offer_close_and_open_file_only_with_the_role(
    cast: Cast, file: File, login: Login
) -> None:
    held = open_file(cast.registry_clerk, cast.registry_post)
    clerk = text_of(login(cast.registry_clerk).get(reverse("file-detail", args=[held.pk])))
    assert reverse("file-close", args=[held.pk]) not in clerk
    assistant = text_of(login(cast.assistant).get(reverse("file-detail", args=[file.pk])))
    assert reverse("file-close", args=[file.pk]) in assistant
