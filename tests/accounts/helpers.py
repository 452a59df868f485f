"""Logging people in as a browser would, second factor included, with real TOTP codes."""

from __future__ import annotations

import time

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from daftar.accounts.policy import two_factor_required
from daftar.files.models import File
from daftar.org.models import OrgUnit, User


def code_for(device: TOTPDevice) -> str:
    """The next code the device accepts: the current step, or a later one within the
    device's tolerance when the current one has just been used."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = max(totp.t(), device.last_t + 1)
    assert step <= totp.t() + device.tolerance, "no unused code left in this window"
    totp.time = device.t0 + step * device.step
    return f"{totp.token():06d}"


def code_from_key(key_hex: str) -> str:
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time()
    return f"{totp.token():06d}"


def authenticator(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def login_verified(client: Client, user: User) -> Client:
    """Log ``user`` in with a confirmed authenticator and an OTP-verified session, as if
    they had typed their password and a code (for tests about something else)."""
    device = authenticator(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def grant(user: User, codename: str) -> None:
    """Give a permission the roles branch declares (created here when not yet declared)."""
    app, name = codename.split(".")
    model = File if app == "files" else OrgUnit
    permission, _created = Permission.objects.get_or_create(
        codename=name,
        content_type=ContentType.objects.get_for_model(model),
        defaults={"name": name.replace("_", " ")},
    )
    user.user_permissions.add(permission)


def sign_in(client: Client, user: User) -> Client:
    """Log ``user`` in as the tests about other things need: with a verified second factor
    when their roles require one (docs/login.md), else with the password alone."""
    if two_factor_required(user):
        return login_verified(client, user)
    client.force_login(user)
    return client
