"""Checking a second-factor code, with wrong codes counted toward the lockout exactly like
wrong passwords (axes listens to ``user_login_failed``)."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from daftar.accounts import services, state
from daftar.org.models import User

TOTP_DIGITS = 6


def credentials_of(user: User) -> dict[str, str]:
    return {"username": user.email}


def is_locked(request: HttpRequest, user: User) -> bool:
    return bool(AxesProxyHandler.is_locked(request, credentials_of(user)))


def code_accept(request: HttpRequest, user: User, code: str) -> bool:
    """True and the session verified when ``code`` is right for one of the person's
    devices (the app's current code, or an unused recovery code, which is then spent)."""
    code = code.strip().replace(" ", "").lower()
    # Six digits are for the app, anything else a recovery code: a wrong guess at one kind
    # does not slow down (django-otp's throttle) the other.
    kind = TOTPDevice if code.isdigit() and len(code) == TOTP_DIGITS else StaticDevice
    with transaction.atomic():  # locks the devices: one code cannot be used twice at once
        candidates = (d for d in devices_for_user(user, for_verify=True) if isinstance(d, kind))
        device: Device | None = next((d for d in candidates if d.verify_token(code)), None)
    if device is None:
        user_login_failed.send(sender=__name__, credentials=credentials_of(user), request=request)
        return False
    otp_login(request, device)
    state.proved(request.session)
    services.second_factor_record(user=user, recovery_code=isinstance(device, StaticDevice))
    return True


def recovery_codes_left(user: User) -> int:
    return sum(d.token_set.count() for d in StaticDevice.objects.filter(user=user))
