"""API authentication: basic authentication is a password alone, so it is refused to
anyone who must (or chose to) log in with a second factor; they use the browser session."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django_otp import user_has_device
from drf_spectacular.authentication import BasicScheme
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication
from rest_framework.request import Request

from daftar.accounts.policy import two_factor_required
from daftar.org.models import User


class PasswordOnlyBasicAuthentication(BasicAuthentication):
    def authenticate_credentials(
        self, userid: str, password: str, request: Request | None = None
    ) -> tuple[Any, None]:
        user, auth = super().authenticate_credentials(userid, password, request)
        if isinstance(user, User) and (two_factor_required(user) or user_has_device(user)):
            raise exceptions.AuthenticationFailed(
                _("This account logs in with a second factor; basic authentication is refused.")
            )
        return user, auth


class PasswordOnlyBasicScheme(BasicScheme):  # type: ignore[no-untyped-call]  # registers it
    """The schema describes it as plain HTTP basic authentication."""

    target_class = "daftar.accounts.api.PasswordOnlyBasicAuthentication"
