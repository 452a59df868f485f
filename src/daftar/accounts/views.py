"""Login, the second step, re-authentication, password change and the lockout page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from daftar.accounts import services, state
from daftar.accounts.forms import CodeForm, ConfirmForm, styled
from daftar.accounts.verification import (
    code_accept,
    credentials_of,
    is_locked,
    recovery_codes_left,
)
from daftar.lib import clock
from daftar.org.models import User


class LoginView(auth_views.LoginView):
    """The password step. A person who owes a second factor is then taken to it by
    TwoFactorMiddleware, wherever the login came from (this page or the admin's)."""

    redirect_authenticated_user = True


def safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else default


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page axes shows on lockout (AXES_LOCKOUT_CALLABLE): what happened and when to
    try again; a half-finished login is ended so it cannot be continued."""
    if request.user.is_authenticated:
        logout(request)
    cool_off = get_cool_off(request) or dt.timedelta(minutes=15)
    context = {"retry_at": clock.now() + cool_off, "minutes": int(cool_off.total_seconds() // 60)}
    return render(request, "accounts/locked.html", context, status=429)


def person_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind login_required
    return user


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of login: a code from the app, or a recovery code."""
    user = person_of(request)
    if state.otp_verified(request):
        return HttpResponseRedirect(safe_next(request))
    form = styled(CodeForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        if is_locked(request, user):
            return locked_out(request)
        if code_accept(request, user, form.cleaned_data["code"]):
            _warn_if_few_codes(request, user)
            return HttpResponseRedirect(safe_next(request))
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        form.add_error("code", _("That code is not right. Try the code the app shows now."))
    return render(request, "accounts/verify.html", {"form": form, "next": safe_next(request, "")})


def _warn_if_few_codes(request: HttpRequest, user: User) -> None:
    left = recovery_codes_left(user)
    if left <= 3:
        messages.warning(
            request,
            _("You have %(left)d recovery codes left. Make new ones under Account security.")
            % {"left": left},
        )


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    """Re-authentication (reauth.py): the password, or a code, before a sensitive action."""
    user = person_of(request)
    form = styled(ConfirmForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        if is_locked(request, user):
            return locked_out(request)
        if _confirm_ok(request, user, form.cleaned_data):
            return HttpResponseRedirect(safe_next(request))
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        form.add_error(None, _("That is not right. Enter your password or a current code."))
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    context = {"form": form, "next": safe_next(request, ""), "has_device": has_device}
    return render(request, "accounts/confirm.html", context)


def _confirm_ok(request: HttpRequest, user: User, data: dict[str, Any]) -> bool:
    if data.get("code"):
        return code_accept(request, user, data["code"])
    # Through the backends, not check_password: a person who logs in against the directory
    # (docs/ldap.md) has no local password. A refusal signals user_login_failed (axes counts it).
    if authenticate(request, username=user.email, password=data["password"]) == user:
        state.proved(request.session)
        return True
    return False


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's password: the current one is asked; every other session ends."""
    user = person_of(request)
    if not user.has_usable_password():  # a directory login (docs/ldap.md): changed there
        messages.info(request, _("Your password is kept by the ministry's directory."))
        return HttpResponseRedirect(reverse("accounts:security"))
    form = styled(PasswordChangeForm(user, request.POST or None))
    if request.method == "POST":
        if is_locked(request, user):
            return locked_out(request)
        if form.is_valid():
            old_key = request.session.session_key
            services.password_change(
                actor=user, new_password=form.cleaned_data["new_password1"], keep_session=old_key
            )
            update_session_auth_hash(request, user)  # stay logged in here, with a new key
            services.login_session_rekey(old=old_key, new=request.session.session_key)
            state.proved(request.session)
            messages.success(request, _("Your password has been changed."))
            return HttpResponseRedirect(reverse("accounts:security"))
        if form.has_error("old_password"):  # a wrong current password counts as a failure
            user_login_failed.send(
                sender=__name__, credentials=credentials_of(user), request=request
            )
            if getattr(request, "axes_locked_out", False):
                return locked_out(request)
    return render(request, "accounts/password_change.html", {"form": form})
