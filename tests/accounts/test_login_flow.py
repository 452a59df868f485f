"""The whole login through the test client: password, enrolment, codes, recovery codes."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from daftar.audit.models import AuditEvent
from daftar.org.models import User
from tests.accounts.helpers import code_for, code_from_key, grant
from tests.cast import PASSWORD, Cast

HOME = "/"
LOGIN = "/accounts/login/"
VERIFY = "/accounts/verify/"
SETUP = "/accounts/two-factor/setup/"


def password_step(client: Client, user: User, password: str = PASSWORD) -> None:
    response = client.post(LOGIN, {"username": user.email, "password": password})
    assert response.status_code == 302, response.content[:300]


def actions_of(user: User) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="org.user", object_id=str(user.pk))
        .filter(action__startswith="accounts.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def enrol(client: Client) -> list[str]:
    """From the enrolment page to the recovery codes, as a person does it."""
    page = client.get(SETUP)
    assert page.status_code == 200
    assert b"<svg" in page.content and b"otpauth" not in page.content  # drawn, not linked
    key = client.session["accounts_pending_totp_key"]
    response = client.post(SETUP, {"code": code_from_key(key)})
    assert response.status_code == 200
    codes = list(response.context["codes"])
    assert response["Cache-Control"] == "no-store"
    return codes


def test_a_person_without_two_factor_logs_in_with_the_password(client: Client, cast: Cast) -> None:
    password_step(client, cast.assistant)
    assert client.get(HOME).status_code == 200
    assert actions_of(cast.assistant) == ["accounts.login"]


def test_the_session_key_changes_at_login(client: Client, cast: Cast) -> None:
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    password_step(client, cast.assistant)
    assert client.session.session_key != before


def test_an_admin_must_enrol_then_uses_codes_at_each_login(client: Client, cast: Cast) -> None:
    admin = cast.secretary
    admin.is_staff = True
    admin.save()
    password_step(client, admin)
    # Every screen and the API lead to enrolment until it is done.
    assert client.get(HOME)["Location"].startswith(SETUP)
    assert client.get("/files/new/")["Location"].startswith(SETUP)
    assert client.get("/api/v1/files/").status_code == 403
    codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(HOME).status_code == 200
    client.post("/accounts/logout/")

    password_step(client, admin)
    assert client.get(HOME)["Location"] == f"{VERIFY}?next=%2F"
    wrong = client.post(VERIFY, {"code": "000000", "next": "/"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    assert client.get(HOME).status_code == 302
    device = TOTPDevice.objects.get(user=admin)
    device.throttle_reset()  # django-otp's own delay after a wrong code
    response = client.post(VERIFY, {"code": code_for(device), "next": "/"})
    assert response["Location"] == "/"
    assert client.get(HOME).status_code == 200
    assert client.get("/api/v1/files/").status_code == 200

    assert actions_of(admin) == [
        "accounts.login",
        "accounts.two_factor_enrolled",
        "accounts.logout",
        "accounts.login",
        "accounts.login_failed",
        "accounts.second_factor",
    ]
    trail = json.dumps(list(AuditEvent.objects.values("before", "after")))
    assert PASSWORD not in trail and not any(code in trail for code in codes)


def test_a_recovery_code_logs_in_once(client: Client, cast: Cast) -> None:
    person = cast.section_officer
    password_step(client, person)
    codes = enrol(client)
    client.post("/accounts/logout/")
    password_step(client, person)
    assert client.post(VERIFY, {"code": codes[0].upper()})["Location"] == "/"
    assert client.get(HOME).status_code == 200
    assert "accounts.recovery_code_used" in actions_of(person)
    assert StaticToken.objects.filter(device__user=person).count() == 9
    client.post("/accounts/logout/")

    password_step(client, person)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200 and client.get(HOME).status_code == 302


@pytest.mark.parametrize("codename", ["files.sign_document", "org.manage_organisation"])
def test_signing_officers_and_organisation_admins_must_enrol(
    client: Client, cast: Cast, codename: str
) -> None:
    grant(cast.deputy_secretary, codename)
    password_step(client, cast.deputy_secretary)
    assert client.get(HOME)["Location"].startswith(SETUP)


def test_basic_authentication_is_refused_to_people_with_a_second_factor(
    client: Client, cast: Cast
) -> None:
    import base64

    def basic(user: User) -> int:
        token = base64.b64encode(f"{user.email}:{PASSWORD}".encode()).decode()
        return client.get("/api/v1/files/", HTTP_AUTHORIZATION=f"Basic {token}").status_code

    assert basic(cast.assistant) == 200
    TOTPDevice.objects.create(user=cast.section_officer, name="app", confirmed=True)
    assert basic(cast.section_officer) in {401, 403}


def test_the_admin_login_page_is_ours(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"


def test_an_admin_logged_in_without_a_code_cannot_reach_the_admin(
    client: Client, cast: Cast
) -> None:
    cast.secretary.is_staff = True
    cast.secretary.is_superuser = True
    cast.secretary.save()
    TOTPDevice.objects.create(user=cast.secretary, name="app", confirmed=True)
    password_step(client, cast.secretary)
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert client.get(reverse("accounts:verify")).status_code == 200
