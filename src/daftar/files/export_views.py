"""``GET /files/<id>/export.pdf``: the whole file as one sealed PDF (files/export.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from daftar.files.export import file_export
from daftar.files.views import action_failed, actor_of
from daftar.lib.errors import DaftarError


@login_required
@require_GET
def file_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the export; a refusal (no release for a classified file) is shown on the
    file page with its status, a file one may not see is 404."""
    try:
        export = file_export(actor=actor_of(request), file_id=pk)
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    response = HttpResponse(export.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"  # a file's contents are not for shared caches
    response["X-Content-Type-Options"] = "nosniff"
    return response
