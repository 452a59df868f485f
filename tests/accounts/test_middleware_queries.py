"""The login checks run on every request, so they must cost (almost) nothing: no query for
a person without two-factor, one (django-otp loading the session's device) for one with it."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.middleware import OTPMiddleware

from daftar.accounts.middleware import SessionTimeoutMiddleware, TwoFactorMiddleware
from daftar.org.models import User
from tests.accounts.helpers import login_verified
from tests.cast import Cast


def queries_of_the_checks(client: Client, user: User) -> int:
    request = HttpRequest()
    request.path_info = request.path = "/"
    request.session = client.session
    assert request.session.keys()  # loaded (by the auth middleware in a real request)
    request.user = user

    def page(_request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    chain = OTPMiddleware(SessionTimeoutMiddleware(TwoFactorMiddleware(page)))
    with CaptureQueriesContext(connection) as ctx:
        assert chain(request).status_code == 200
    return len(ctx.captured_queries)


def test_the_checks_cost_no_query_without_two_factor_and_one_with_it(cast: Cast) -> None:
    plain = Client()
    plain.force_login(cast.assistant)
    assert queries_of_the_checks(plain, cast.assistant) == 0
    admin = User.objects.create_superuser("it@mowr.gov.pk", "Daftar-Admin-2026", full_name="IT")
    verified = login_verified(Client(), admin)
    assert queries_of_the_checks(verified, admin) == 1
