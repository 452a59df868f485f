"""What a login keeps in its session: when it started, when it was last used, when the
person last proved who they are, and whether a second factor is still owed.

Times are whole seconds since the epoch from ``daftar.lib.clock`` (tests move the clock).
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django_otp import user_has_device

from daftar.accounts.policy import two_factor_required
from daftar.lib import clock
from daftar.org.models import User

STARTED = "accounts_started"
SEEN = "accounts_seen"
REAUTH = "accounts_reauth"
SECOND_FACTOR = "accounts_second_factor"

VERIFY = "verify"  # has an authenticator: must enter a code
ENROL = "enrol"  # must use one and has none: must set one up


def now_seconds() -> int:
    return int(clock.now().timestamp())


def second_factor_owed(user: User) -> str:
    """Decided once at login (a few queries), not on every request."""
    if user_has_device(user):
        return VERIFY
    return ENROL if two_factor_required(user) else ""


def start(session: SessionBase, user: User) -> None:
    moment = now_seconds()
    session[STARTED] = moment
    session[SEEN] = moment
    session[REAUTH] = moment  # the password was just typed
    session[SECOND_FACTOR] = second_factor_owed(user)


def proved(session: SessionBase) -> None:
    """The person just typed their password or a code."""
    session[REAUTH] = now_seconds()


def otp_verified(request: HttpRequest) -> bool:
    """Whether this session passed the second step (django-otp's middleware adds
    ``is_verified`` to the user)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified is not None and is_verified())
