"""API plumbing shared by the apps: domain errors become HTTP statuses."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from daftar.lib.errors import DaftarError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DaftarError):
        return Response({"detail": exc.message}, status=exc.status)
    return drf_exception_handler(exc, context)
