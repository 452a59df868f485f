"""Re-confirming the signer at the moment of signing: their password or a current code
from their authenticator app.

Wrong answers are throttled per person (``LIMIT`` in ``WINDOW``) and audited. The count is
kept in the cache, which outlives a rolled-back transaction, and the audit event is written in
a transaction of its own when the caller has none open. Call ``signer_confirm`` before
opening the signing transaction: inside one, the failure's audit event would roll back with
it (the throttle still holds).
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from daftar.audit.models import AuditEvent
from daftar.audit.services import event_record
from daftar.lib import clock
from daftar.lib.errors import InvalidInput
from daftar.org.models import User

LIMIT = 5
WINDOW = dt.timedelta(minutes=15)
ACTION = "signature.confirm_failed"
TOTP_DIGITS = 6


def _cache_key(person: User) -> str:
    return f"signing:confirm-failures:{person.pk}"


def _failures(person: User) -> int:
    since = clock.now() - WINDOW
    recorded = AuditEvent.objects.filter(
        action=ACTION, object_id=str(person.pk), object_type="org.user", at__gte=since
    ).count()
    return max(recorded, int(cache.get(_cache_key(person), 0)))


def _code_ok(person: User, code: str) -> bool:
    with transaction.atomic():  # locks the devices: one code cannot be used twice at once
        devices = TOTPDevice.objects.select_for_update().filter(user=person, confirmed=True)
        return any(device.verify_token(code) for device in devices)


def _secret_ok(person: User, secret: str) -> bool:
    code = secret.strip().replace(" ", "")
    if code.isdigit() and len(code) == TOTP_DIGITS and _code_ok(person, code):
        return True
    return bool(secret) and person.check_password(secret)


def signer_confirm(*, person: User, secret: str) -> None:
    if _failures(person) >= LIMIT:
        raise InvalidInput(
            "Too many wrong passwords or codes: signing is paused for 15 minutes. Try again later."
        )
    if _secret_ok(person, secret):
        return
    key = _cache_key(person)
    cache.add(key, 0, timeout=int(WINDOW.total_seconds()))
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=int(WINDOW.total_seconds()))
    with transaction.atomic():
        event_record(actor=person, action=ACTION, obj=person)
    raise InvalidInput(
        "That is not your password or a current code from your authenticator app; "
        "nothing was signed."
    )
