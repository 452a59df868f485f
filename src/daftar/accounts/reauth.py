"""Re-authentication before sensitive actions (ASVS 7.5).

Put ``@reauth_required`` on a view (under ``@login_required``) that changes how a person
logs in, shares a file or signs: unless the person typed their password or a code in the
last ``DAFTAR_REAUTH_SECONDS``, they are sent to ``/accounts/confirm/`` and come back to the
page afterwards (a form they had filled in is shown again, empty).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse

from daftar.accounts import state

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def recently_proved(request: HttpRequest) -> bool:
    proved_at = request.session.get(state.REAUTH)
    if not isinstance(proved_at, int):
        return False
    return state.now_seconds() - proved_at <= settings.REAUTH_SECONDS


def confirm_url(next_path: str) -> str:
    return f"{reverse('accounts:confirm')}?{urlencode({'next': next_path})}"


def reauth_required(view: View) -> View:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not recently_proved(request):
            return HttpResponseRedirect(confirm_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]
