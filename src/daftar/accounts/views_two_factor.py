"""Account security: setting up the authenticator app, recovery codes, turning it off."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from daftar.accounts import services, state
from daftar.accounts.forms import EnrolForm, styled
from daftar.accounts.policy import two_factor_required
from daftar.accounts.qr import qr_svg
from daftar.accounts.reauth import reauth_required
from daftar.accounts.verification import recovery_codes_left
from daftar.accounts.views import person_of, safe_next
from daftar.lib.errors import InvalidInput

PENDING_KEY = "accounts_pending_totp_key"


@login_required
@require_GET
def security(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    context = {
        "device": TOTPDevice.objects.filter(user=user, confirmed=True).first(),
        "codes_left": recovery_codes_left(user),
        "required": two_factor_required(user),
    }
    return render(request, "accounts/security.html", context)


@login_required
@reauth_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Show a new secret (QR code and text) and confirm it with a code from the app."""
    user = person_of(request)
    key = request.session.get(PENDING_KEY) or services.totp_key_new()
    request.session[PENDING_KEY] = key
    form = styled(EnrolForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_enrol(
                actor=user, key_hex=key, code=form.cleaned_data["code"]
            )
        except InvalidInput as exc:
            form.add_error("code", str(exc))
        else:
            del request.session[PENDING_KEY]
            otp_login(request, TOTPDevice.objects.get(user=user, confirmed=True))
            state.proved(request.session)
            request.session[state.SECOND_FACTOR] = state.VERIFY
            return _show_codes(request, codes, next_url=safe_next(request, ""))
    device = TOTPDevice(user=user, key=key)  # unsaved: only to spell the otpauth:// URL
    context = {
        "form": form,
        "qr": qr_svg(device.config_url),
        "secret": _grouped(base64.b32encode(bytes.fromhex(key)).decode()),
        "next": safe_next(request, ""),
    }
    return render(request, "accounts/setup.html", context)


def _grouped(secret: str) -> str:
    """ABCD EFGH …: easier to type into a phone by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _show_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    """Recovery codes are shown once, on the response itself, never stored for later."""
    response = render(request, "accounts/codes.html", {"codes": codes, "next": next_url})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@reauth_required
@require_POST
def codes_regenerate(request: HttpRequest) -> HttpResponse:
    try:
        codes = services.recovery_codes_regenerate(actor=person_of(request))
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("accounts:security"))
    return _show_codes(request, codes, next_url="")


@login_required
@reauth_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    try:
        services.two_factor_remove(
            actor=user, person=user, keep_session=request.session.session_key
        )
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        request.session[state.SECOND_FACTOR] = state.second_factor_owed(user)
        messages.success(request, _("Two-factor login is off for your account."))
    return HttpResponseRedirect(reverse("accounts:security"))
