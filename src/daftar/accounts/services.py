"""Every change to how a person logs in: second factors, passwords, sessions, and the audit
events of logins, failures and lockouts (never a password or a code in them)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from daftar.accounts.models import LoginSession
from daftar.accounts.policy import two_factor_required
from daftar.audit.services import event_record
from daftar.lib import clock
from daftar.lib.errors import InvalidInput
from daftar.org.models import User

TOTP_KEY_BYTES = 20  # 160 bits, as RFC 4226 recommends and authenticator apps expect


@contextmanager
def _joined_atomic() -> Iterator[None]:
    """A transaction for the receivers of Django's and axes' signals: they fire inside
    whatever transaction the caller holds (the admin's, a test's), or outside any; a durable
    block would refuse the first case, so these join the caller's when there is one."""
    connection = transaction.get_connection()
    with transaction.atomic(durable=not connection.in_atomic_block):
        yield


# --- authentication events -------------------------------------------------------------


def login_record(*, user: User, session_key: str | None, ip_address: str | None) -> None:
    """Password accepted: the audit event, and the session remembered as this person's."""
    with _joined_atomic():
        if session_key:
            LoginSession.objects.update_or_create(
                session_key=session_key,
                defaults={"user": user, "started_at": clock.now(), "ip_address": ip_address},
            )
        event_record(actor=user, action="accounts.login", obj=user, after={"ip": ip_address})


def logout_record(*, user: User, session_key: str | None) -> None:
    with _joined_atomic():
        if session_key:
            LoginSession.objects.filter(session_key=session_key).delete()
        event_record(actor=user, action="accounts.logout", obj=user)


def login_failure_record(*, email: str, ip_address: str | None, locked: bool = False) -> None:
    """A wrong password or code, or the lockout it caused. Attempts at unknown addresses
    name no person: axes keeps those (admin, Access attempts), the trail does not."""
    user = User.objects.filter(email=email.strip().lower()).first()
    if user is None:
        return
    action = "accounts.locked_out" if locked else "accounts.login_failed"
    with _joined_atomic():
        event_record(actor=None, action=action, obj=user, after={"ip": ip_address})


# --- second factor -------------------------------------------------------------------------


def totp_key_new() -> str:
    """A fresh secret for enrolment, kept in the session until a code confirms it."""
    return secrets.token_hex(TOTP_KEY_BYTES)


def _totp_step(key_hex: str, code: str) -> int | None:
    """The time step at which ``code`` is right for ``key_hex`` (one step of clock drift
    either way), or None."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(bytes.fromhex(key_hex), step=30, digits=6)
    return totp.t() if totp.verify(int(code), tolerance=1) else None


@transaction.atomic(durable=True)
def two_factor_enrol(*, actor: User, key_hex: str, code: str) -> list[str]:
    """Confirm the authenticator holding ``key_hex`` with one of its codes; replaces any
    earlier authenticator and issues fresh recovery codes, which are returned to be shown
    once."""
    step = _totp_step(key_hex, code)
    if step is None:
        raise InvalidInput(_("That code is not right. Enter the 6 digits the app shows now."))
    TOTPDevice.objects.filter(user=actor).delete()
    TOTPDevice.objects.create(
        user=actor,
        name=_("Authenticator app"),
        key=key_hex,
        confirmed=True,
        last_t=step,  # the code just used cannot log in again
    )
    codes = _recovery_codes_issue(actor)
    event_record(actor=actor, action="accounts.two_factor_enrolled", obj=actor)
    return codes


def _recovery_codes_issue(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _n in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic(durable=True)
def recovery_codes_regenerate(*, actor: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise InvalidInput(_("Set up an authenticator app before recovery codes."))
    codes = _recovery_codes_issue(actor)
    event_record(actor=actor, action="accounts.recovery_codes_regenerated", obj=actor)
    return codes


@transaction.atomic(durable=True)
def two_factor_remove(*, actor: User, person: User, keep_session: str | None = None) -> None:
    """Turn two-factor off. A person whose role requires it cannot turn it off for
    themselves; an admin can reset it (a lost phone), and the person enrols again at the
    next login."""
    if actor.pk == person.pk and two_factor_required(person):
        raise InvalidInput(
            _("Your role requires two-factor login; set up a new authenticator instead.")
        )
    removed, _detail = TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    if not removed:
        raise InvalidInput(_("Two-factor login is not set up for this person."))
    event_record(actor=actor, action="accounts.two_factor_removed", obj=person)
    sessions_end_within(person=person, keep=keep_session, reason="two_factor_removed")


def second_factor_record(*, user: User, recovery_code: bool) -> None:
    """A right code at login or re-authentication. Using a recovery code is its own
    event: it may mean a lost phone, and the person has one code fewer."""
    action = "accounts.recovery_code_used" if recovery_code else "accounts.second_factor"
    with _joined_atomic():
        event_record(actor=user, action=action, obj=user)


# --- passwords and sessions ----------------------------------------------------------------


@transaction.atomic(durable=True)
def password_change(*, actor: User, new_password: str, keep_session: str | None) -> None:
    """Set a new password (already validated by the form) and end every other session of
    the person: whoever else knew the old password is logged out."""
    actor.set_password(new_password)
    actor._accounts_sessions_handled = True  # type: ignore[attr-defined]  # see signals.py
    actor.save(update_fields=["password"])
    event_record(actor=actor, action="accounts.password_changed", obj=actor)
    sessions_end_within(person=actor, keep=keep_session, reason="password_changed")


def sessions_end_within(*, person: User, keep: str | None, reason: str) -> int:
    """End the person's sessions (all but ``keep``) inside the caller's transaction."""
    rows = LoginSession.objects.filter(user=person)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    if not keys:
        return 0
    Session.objects.filter(session_key__in=keys).delete()
    rows.delete()
    event_record(
        actor=None,
        action="accounts.sessions_ended",
        obj=person,
        after={"count": len(keys), "reason": reason},
    )
    return len(keys)


def login_session_rekey(*, old: str | None, new: str | None) -> None:
    """Follow the session to its new key (Django changes it when the password changes)."""
    if old and new and old != new:
        LoginSession.objects.filter(session_key=old).update(session_key=new)


def sessions_end(*, person: User, reason: str) -> int:
    """End all of a person's sessions (deactivation, a password set by an admin)."""
    with _joined_atomic():
        return sessions_end_within(person=person, keep=None, reason=reason)
