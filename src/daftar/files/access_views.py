"""The file page's access forms: sharing a file read-only with another post
(files/shares.py) and changing its security grade (files/grading.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daftar.accounts.reauth import reauth_required
from daftar.files.forms import GradeForm, ShareForm
from daftar.files.grading import file_classify
from daftar.files.shares import file_share, file_share_revoke
from daftar.files.views import action_failed, actor_of, first_error
from daftar.lib.errors import DaftarError, InvalidInput
from daftar.org.gating import permission_required_page


@login_required
@require_POST
@permission_required_page("files.share_file")
@reauth_required  # sharing opens a file to another desk: the person proves it is them
def share_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = ShareForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(first_error(form))
        data = form.cleaned_data
        share = file_share(
            actor=actor_of(request),
            file_id=pk,
            post_id=data["to_post"],
            until=data["until"],
            reason=data["reason"],
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(
        request,
        _("Shared with %(post)s until %(until)s.")
        % {"post": share.post, "until": share.until.strftime("%d %b %Y")},
    )
    return redirect("file-detail", pk=pk)


@login_required
@require_POST
def share_revoke(request: HttpRequest, pk: int, share_id: int) -> HttpResponse:
    try:
        share = file_share_revoke(actor=actor_of(request), share_id=share_id, file_id=pk)
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(request, _("%(post)s can no longer read this file.") % {"post": share.post})
    return redirect("file-detail", pk=pk)


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
