"""The file page's access forms: sharing a file read-only with another post
(files/shares.py) and changing its security grade (files/grading.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from daftar.files.forms import GradeForm
from daftar.files.grading import file_classify
from daftar.files.share_views import SharePage, share_views
from daftar.files.shares import file_share, file_share_revoke
from daftar.files.views import action_failed
from daftar.files.views_shared import actor_of, first_error
from daftar.lib.errors import DaftarError, InvalidInput

share_add, share_revoke = share_views(
    SharePage(
        share=file_share,
        revoke=file_share_revoke,
        id_name="file_id",
        page="file-detail",
        failed=action_failed,
        ended=gettext_lazy("%(post)s can no longer read this file."),
    )
)


@login_required
@require_POST
def grade_change(request: HttpRequest, pk: int) -> HttpResponse:
    form = GradeForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(first_error(form))
        file = file_classify(
            actor=actor_of(request),
            file_id=pk,
            classification=form.cleaned_data["classification"],
            reason=form.cleaned_data["reason"],
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(
        request, _("The file is now %(grade)s.") % {"grade": file.get_classification_display()}
    )
    return redirect("file-detail", pk=pk)
