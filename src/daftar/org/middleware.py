"""Show times in the organisation's own zone; they are stored in UTC."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from daftar.org.selectors import organisation_of, posts_held

SESSION_KEY = "daftar_tz"


def _zone_for(request: HttpRequest) -> str:
    cached = request.session.get(SESSION_KEY)
    if isinstance(cached, str):
        return cached
    posts = posts_held(request.user)  # type: ignore[arg-type]
    zone = organisation_of(posts[0].unit).time_zone if posts else settings.TIME_ZONE
    request.session[SESSION_KEY] = zone
    return zone


class OrganisationTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(_zone_for(request)))
            except zoneinfo.ZoneInfoNotFoundError:
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
