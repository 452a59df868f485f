"""Receivers: logins, logouts, failures and lockouts become audit events; a person who is
deactivated, or whose password is set elsewhere, loses every open session."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from daftar.accounts import services, state
from daftar.org.models import User


def _ip(request: HttpRequest | None) -> str | None:
    if request is None or not request.META.get("REMOTE_ADDR"):
        return None
    return get_client_ip_address(request) or None


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    state.start(request.session, user)
    services.login_record(
        user=user, session_key=request.session.session_key, ip_address=_ip(request)
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        services.logout_record(user=user, session_key=request.session.session_key)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = credentials.get("username")
    if isinstance(username, str):
        services.login_failure_record(email=username, ip_address=_ip(request))


@receiver(user_locked_out)
def _locked_out(sender: Any, request: HttpRequest, username: str | None, **kwargs: Any) -> None:
    if username:
        services.login_failure_record(email=username, ip_address=_ip(request), locked=True)


@receiver(pre_save, sender=User)
def _remember_before(sender: type[User], instance: User, **kwargs: Any) -> None:
    """The stored state, to tell after the save whether access was taken away. One query per
    save of an existing person; people are saved rarely."""
    if instance.pk is None or kwargs.get("raw"):
        return
    stored = User.objects.filter(pk=instance.pk).values("is_active", "password").first()
    instance._accounts_before = stored  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def _end_sessions(sender: type[User], instance: User, **kwargs: Any) -> None:
    before = instance.__dict__.pop("_accounts_before", None)
    handled = instance.__dict__.pop("_accounts_sessions_handled", False)
    if before is None or handled:
        return
    if before["is_active"] and not instance.is_active:
        services.sessions_end(person=instance, reason="deactivated")
    # ``_password`` holds the raw password from set_password() until the save finishes; a
    # hash upgraded at login (same password) leaves it None and must not log anyone out.
    elif instance._password is not None and before["password"] != instance.password:  # type: ignore[attr-defined]
        services.sessions_end(person=instance, reason="password_set")
