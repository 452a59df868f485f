"""Re-authentication before sensitive actions (ASVS 7.5).

Put ``@reauth_required`` on a view (under ``@login_required``) that changes how a person
logs in, shares a file or signs: unless the person typed their password or a code in the
last ``DAFTAR_REAUTH_SECONDS``, they are sent to ``/accounts/confirm/`` and come back to the
page afterwards (a form they had filled in is shown again, empty). For a POST-only view
(sharing from the file page) "the page" is the one the form was on, from the same-origin
Referer; nothing is done until they submit again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from daftar.accounts import state

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def recently_proved(request: HttpRequest) -> bool:
    proved_at = request.session.get(state.REAUTH)
    if not isinstance(proved_at, int):
        return False
    return state.now_seconds() - proved_at <= settings.REAUTH_SECONDS


def _back_to(request: HttpRequest) -> str:
    """Where to return after confirming: this page, or for a form post the page it was on."""
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


def confirm_url(next_path: str) -> str:
    return f"{reverse('accounts:confirm')}?{urlencode({'next': next_path})}"


def reauth_required(view: View) -> View:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not recently_proved(request):
            return HttpResponseRedirect(confirm_url(_back_to(request)))
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]
