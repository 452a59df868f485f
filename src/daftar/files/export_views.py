"""``GET /files/<id>/export.pdf``: the whole file as one sealed PDF (files/export.py); and
``POST /files/<id>/release/``: record the release a classified file needs for it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from daftar.files.export import file_export
from daftar.files.selectors import file_for_actor
from daftar.files.views import action_failed
from daftar.files.views_shared import actor_of, first_error
from daftar.lib.errors import DaftarError, InvalidInput
from daftar.org.gating import permission_required_page
from daftar.releases.forms import ReleaseForm
from daftar.releases.services import RELEASE_PERMISSION, release_grant


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


@login_required
@permission_required_page(RELEASE_PERMISSION)
@require_POST
def file_release(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the release of a classified file (for export, or e-mail)."""
    form = ReleaseForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(first_error(form))
        actor = actor_of(request)
        release_grant(
            actor=actor,
            obj=file_for_actor(actor, pk),
            purpose=form.cleaned_data["purpose"],
            reason=form.cleaned_data["reason"],
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(request, _("The release is recorded."))
    return redirect("file-detail", pk=pk)
