"""The receipt page's share panel: sharing a receipt read-only with another post
(receipts/shares.py), with the decorators of the file page's share views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daftar.accounts.reauth import reauth_required
from daftar.files.forms import ShareForm
from daftar.files.share_rules import SHARE_PERMISSION
from daftar.files.views import actor_of, first_error
from daftar.lib.errors import DaftarError, InvalidInput
from daftar.org.gating import permission_required_page
from daftar.receipts.shares import receipt_share, receipt_share_revoke
from daftar.receipts.views import action_failed


@login_required
@require_POST
@permission_required_page(SHARE_PERMISSION)
@reauth_required  # sharing opens a receipt to another desk: the person proves it is them
def share_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = ShareForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(first_error(form))
        data = form.cleaned_data
        share = receipt_share(
            actor=actor_of(request),
            receipt_id=pk,
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
    return redirect("receipt-detail", pk=pk)


@login_required
@require_POST
def share_revoke(request: HttpRequest, pk: int, share_id: int) -> HttpResponse:
    try:
        share = receipt_share_revoke(actor=actor_of(request), receipt_id=pk, share_id=share_id)
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(request, _("%(post)s can no longer read this receipt.") % {"post": share.post})
    return redirect("receipt-detail", pk=pk)
