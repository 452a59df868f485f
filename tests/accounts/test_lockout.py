"""Lockout after repeated failures of the password or of the second step (django-axes)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from daftar.audit.models import AuditEvent
from daftar.org.models import User
from tests.accounts.helpers import code_for, login_verified
from tests.accounts.test_login_flow import HOME, LOGIN, VERIFY, password_step
from tests.cast import PASSWORD, Cast


def attempt(client: Client, email: str, password: str) -> int:
    return client.post(LOGIN, {"username": email, "password": password}).status_code


def test_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused(
    client: Client, cast: Cast
) -> None:
    email = cast.assistant.email
    limit = settings.AXES_FAILURE_LIMIT
    assert [attempt(client, email, "wrong-password-1") for _n in range(limit - 1)] == [200] * (
        limit - 1
    )
    locked = client.post(LOGIN, {"username": email, "password": "wrong-password-1"})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed attempts" in page and "15 minutes" in page and "Try again after" in page
    assert attempt(client, email, PASSWORD) == 429
    assert client.get(HOME).status_code == 302  # not logged in
    events = AuditEvent.objects.filter(
        object_type="org.user", object_id=str(cast.assistant.pk)
    ).values_list("action", flat=True)
    # The right password refused during the lockout is a failed attempt too.
    assert list(events).count("accounts.login_failed") == limit + 1
    assert "accounts.locked_out" in events
    assert "wrong-password" not in AccessAttempt.objects.get().post_data

    # An admin lifts the lock by deleting the attempt (axes' admin screen does exactly this).
    AccessAttempt.objects.all().delete()
    assert attempt(client, email, PASSWORD) == 302


def test_the_lock_is_per_account_and_address(client: Client, cast: Cast) -> None:
    for _n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, cast.assistant.email, "wrong-password-1")
    assert attempt(client, cast.section_officer.email, PASSWORD) == 302
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert attempt(other_address, cast.assistant.email, PASSWORD) == 302


def test_wrong_codes_count_too_and_end_the_half_login(
    client: Client, cast: Cast, settings: Settings
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # axes, not django-otp's delay, is under test
    person = cast.section_officer
    device = TOTPDevice.objects.create(user=person, name="app", confirmed=True)
    password_step(client, person)
    statuses = [
        client.post(VERIFY, {"code": "123456"}).status_code
        for _n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1) and statuses[-1] == 429
    assert client.get(HOME).status_code == 302  # logged out: the password step again
    assert attempt(client, person.email, PASSWORD) == 429
    assert "123456" not in "".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert AuditEvent.objects.filter(
        object_id=str(person.pk), action="accounts.locked_out"
    ).exists()
    AccessAttempt.objects.all().delete()
    password_step(client, person)
    assert client.post(VERIFY, {"code": code_for(device)})["Location"] == "/"


def test_a_lockout_setting_changes_the_limit(
    client: Client, cast: Cast, settings: Settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    assert attempt(client, cast.assistant.email, "wrong-password-1") == 200
    assert attempt(client, cast.assistant.email, "wrong-password-1") == 429


def test_an_admin_lifts_a_lock_in_the_admin_screens(client: Client, cast: Cast) -> None:
    for _n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, cast.assistant.email, "wrong-password-1")
    assert attempt(client, cast.assistant.email, PASSWORD) == 429
    admin = User.objects.create_superuser("it@mowr.gov.pk", "Daftar-Admin-2026", full_name="IT")
    admin_client = login_verified(Client(), admin)
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and cast.assistant.email in listing.content.decode()
    [lock] = AccessAttempt.objects.all()
    response = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [lock.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    assert attempt(client, cast.assistant.email, PASSWORD) == 302
