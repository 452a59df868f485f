"""Session expiry, the second-factor gate, and the security headers Django does not set."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from daftar.accounts import state

Handler = Callable[[HttpRequest], HttpResponseBase]

SEEN_WRITE_SECONDS = 60  # write "last seen" at most once a minute, not on every request


class SessionTimeoutMiddleware:
    """Ends a login idle longer than DAFTAR_SESSION_IDLE_SECONDS, or older than
    DAFTAR_SESSION_SECONDS however busy (the cookie's own expiry moves on each save)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = state.now_seconds()
        started = session.get(state.STARTED, now)
        seen = session.get(state.SEEN, now)
        if now - seen > settings.SESSION_IDLE_SECONDS:
            self._end(request, _("You were logged out after a while without activity."))
        elif now - started > settings.SESSION_COOKIE_AGE:
            self._end(request, _("Your login has expired. Please log in again."))
        elif now - seen >= SEEN_WRITE_SECONDS or state.STARTED not in session:
            session[state.SEEN] = now
            session.setdefault(state.STARTED, now)

    @staticmethod
    def _end(request: HttpRequest, message: str) -> None:
        logout(request)  # the request goes on as anonymous: pages ask for a login, the API 403
        messages.info(request, message)


class TwoFactorMiddleware:
    """A person who owes a second factor reaches nothing but the second step (or the
    enrolment screen, when their role requires one they have not set up) and logout."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        owed = self._owed(request)
        if owed and not self._open_path(request.path_info, owed):
            if request.path_info.startswith("/api/"):
                detail = _("Finish logging in with your second factor first.")
                return JsonResponse({"detail": detail}, status=403)
            target = "accounts:verify" if owed == state.VERIFY else "accounts:setup"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _owed(request: HttpRequest) -> str:
        user = request.user
        if not user.is_authenticated:
            return ""
        session = request.session
        if state.SECOND_FACTOR not in session:  # a session from before this check existed
            session[state.SECOND_FACTOR] = state.second_factor_owed(user)
        owed: str = session[state.SECOND_FACTOR]
        if owed and state.otp_verified(request):
            return ""
        return owed

    @staticmethod
    def _open_path(path: str, owed: str) -> bool:
        names = ["logout", "accounts:confirm"]
        names.append("accounts:verify" if owed == state.VERIFY else "accounts:setup")
        if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        return path in {reverse(name) for name in names}


class SecurityHeadersMiddleware:
    """Permissions-Policy (Django sets the others: X-Frame-Options, nosniff, Referrer-Policy,
    Cross-Origin-Opener-Policy, HSTS; django-csp the Content-Security-Policy)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
