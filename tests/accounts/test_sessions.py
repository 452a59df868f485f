"""Idle and absolute expiry, sessions ended on deactivation and password change, re-auth."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from daftar.accounts.models import LoginSession
from daftar.audit.models import AuditEvent
from daftar.lib import clock
from daftar.org.models import User
from tests.accounts.helpers import code_for
from tests.accounts.test_login_flow import HOME, password_step
from tests.cast import PASSWORD, Cast

SETUP = "/accounts/two-factor/setup/"
CONFIRM = "/accounts/confirm/"
PASSWORD_PAGE = "/accounts/password/"
NEW_PASSWORD = "Indus-water-treaty-1960"


def logged_in(cast_person: User) -> Client:
    client = Client()
    password_step(client, cast_person)
    assert client.get(HOME).status_code == 200
    return client


def later(seconds: int) -> AbstractContextManager[None]:
    return clock.frozen_at(clock.now() + dt.timedelta(seconds=seconds))


def test_an_idle_session_ends(cast: Cast) -> None:
    client = logged_in(cast.assistant)
    with later(settings.SESSION_IDLE_SECONDS - 5):
        assert client.get(HOME).status_code == 200
    with later(2 * settings.SESSION_IDLE_SECONDS - 10):  # active a moment ago: still on
        assert client.get(HOME).status_code == 200
    with later(3 * settings.SESSION_IDLE_SECONDS):
        response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get(HOME).status_code == 302
    assert "accounts.logout" in AuditEvent.objects.values_list("action", flat=True)


def test_a_busy_session_still_ends_after_the_absolute_limit(cast: Cast) -> None:
    client = logged_in(cast.assistant)
    step = settings.SESSION_IDLE_SECONDS // 2
    elapsed = step
    while elapsed < settings.SESSION_COOKIE_AGE:
        with later(elapsed):
            assert client.get(HOME).status_code == 200, elapsed
        elapsed += step
    # A few seconds past the limit: the login time is kept in whole seconds, and the real
    # clock moves on while the loop runs.
    with later(settings.SESSION_COOKIE_AGE + 5):
        assert client.get(HOME).status_code == 302


def test_deactivating_a_person_ends_all_their_sessions(cast: Cast) -> None:
    office, laptop = logged_in(cast.assistant), logged_in(cast.assistant)
    colleague = logged_in(cast.section_officer)
    assert LoginSession.objects.filter(user=cast.assistant).count() == 2
    person = User.objects.get(pk=cast.assistant.pk)
    person.is_active = False
    person.save()  # as the admin screen does
    assert office.get(HOME).status_code == 302 and laptop.get(HOME).status_code == 302
    assert colleague.get(HOME).status_code == 200
    assert not LoginSession.objects.filter(user=cast.assistant).exists()
    keys = LoginSession.objects.values_list("session_key", flat=True)
    assert Session.objects.count() == len(keys) == 1
    event = AuditEvent.objects.get(action="accounts.sessions_ended")
    assert event.after == {"count": 2, "reason": "deactivated"}


def test_a_password_set_elsewhere_ends_all_sessions(cast: Cast) -> None:
    client = logged_in(cast.assistant)
    person = User.objects.get(pk=cast.assistant.pk)
    person.set_password(NEW_PASSWORD)
    person.save()
    assert client.get(HOME).status_code == 302
    assert not Session.objects.exists()


def test_changing_ones_password_keeps_this_session_and_ends_the_others(cast: Cast) -> None:
    here, elsewhere = logged_in(cast.assistant), logged_in(cast.assistant)
    response = here.post(
        PASSWORD_PAGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert here.get(HOME).status_code == 200
    assert elsewhere.get(HOME).status_code == 302
    assert LoginSession.objects.get().session_key == here.session.session_key
    assert User.objects.get(pk=cast.assistant.pk).check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.password_changed").count() == 1


def test_a_bad_password_change_changes_nothing(cast: Cast) -> None:
    client = logged_in(cast.assistant)
    cases = [
        ("wrong-current-password", NEW_PASSWORD, "incorrectly"),
        (PASSWORD, "Short-pw-1", "too short"),
        (PASSWORD, "x" * 129, "too long"),
        (PASSWORD, "password1234", "too common"),
    ]
    for old, new, message in cases:
        response = client.post(
            PASSWORD_PAGE, {"old_password": old, "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 200 and message in response.content.decode(), message
    assert User.objects.get(pk=cast.assistant.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="accounts.password_changed").exists()
    assert client.get(HOME).status_code == 200


def test_sensitive_screens_ask_for_the_password_again_after_a_while(cast: Cast) -> None:
    client = logged_in(cast.assistant)
    assert client.get(SETUP).status_code == 200  # just logged in: no need
    with later(settings.REAUTH_SECONDS + 60):
        response = client.get(SETUP)
        assert response["Location"] == f"{CONFIRM}?next=%2Faccounts%2Ftwo-factor%2Fsetup%2F"
        wrong = client.post(CONFIRM, {"password": "not-my-password", "next": SETUP})
        assert wrong.status_code == 200 and "not right" in wrong.content.decode()
        right = client.post(CONFIRM, {"password": PASSWORD, "next": SETUP})
        assert right["Location"] == SETUP
        assert client.get(SETUP).status_code == 200


def test_a_code_also_confirms_and_a_foreign_next_is_ignored(cast: Cast) -> None:
    person = cast.section_officer
    device = TOTPDevice.objects.create(user=person, name="app", confirmed=True)
    client = Client()
    password_step(client, person)
    client.post("/accounts/verify/", {"code": code_for(device)})
    with later(settings.REAUTH_SECONDS + 60):
        assert client.post("/accounts/two-factor/recovery-codes/").status_code == 302
        response = client.post(CONFIRM, {"code": code_for(device), "next": "https://evil.example/"})
        assert response["Location"] == "/"
        regenerated = client.post("/accounts/two-factor/recovery-codes/")
        assert regenerated.status_code == 200 and len(regenerated.context["codes"]) == 10
