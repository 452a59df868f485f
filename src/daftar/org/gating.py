"""Function-level gating of screens: a view that needs a permission says so in one line.

``@permission_required_page("files.open_file")`` answers a person without the permission with
the 403 page, naming the role that would give it. Whether a person may see a particular file
or receipt is not decided here: the selectors answer that, with a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from daftar.org.models import User
from daftar.org.roles import ROLES, RoleRequired

P = ParamSpec("P")


def role_refused(request: HttpRequest, exc: RoleRequired) -> HttpResponse:
    """The 403 page: what was refused and which roles would allow it."""
    context = {"message": exc.message, "roles": [ROLES[name] for name in exc.roles]}
    return render(request, "403.html", context, status=403)


def permission_required_page(
    permission: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse (403) a signed-in person who lacks ``permission``; put it under login_required."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def gated(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            user = request.user
            if not isinstance(user, User) or not user.has_perm(permission):
                return role_refused(request, RoleRequired(permission))
            return view(request, *args, **kwargs)

        gated.required_permission = permission  # type: ignore[attr-defined]  # for the access matrix
        return gated

    return decorate
