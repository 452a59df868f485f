"""The "Shared to read" panel's two actions, for any paper that can be shared (a file, a
receipt): add a share (with ``files.share_file`` and a fresh password) and end one. Each
paper's urls.py makes its pair with ``share_views``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daftar.accounts.reauth import reauth_required
from daftar.files.forms import ShareForm
from daftar.files.models import ShareBase
from daftar.files.share_rules import SHARE_PERMISSION
from daftar.files.views_shared import actor_of, first_error
from daftar.lib.errors import DaftarError, InvalidInput
from daftar.org.gating import permission_required_page

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class SharePage:
    """How one kind of paper's page shares: its services, the keyword naming the paper's id,
    its page, how its page reports a refusal, and what it says when a share ends."""

    share: Callable[..., ShareBase]
    revoke: Callable[..., ShareBase]
    id_name: str  # "file_id", "receipt_id"
    page: str  # the route of the paper's page
    failed: Callable[[HttpRequest, int, DaftarError], HttpResponse]
    ended: Promise  # "%(post)s can no longer read this …"


def share_views(kind: SharePage) -> tuple[View, View]:
    """The add and end views of ``kind``'s share panel."""

    @login_required
    @require_POST
    @permission_required_page(SHARE_PERMISSION)
    @reauth_required  # sharing opens a paper to another desk: the person proves it is them
    def share_add(request: HttpRequest, pk: int) -> HttpResponse:
        form = ShareForm(request.POST)
        try:
            if not form.is_valid():
                raise InvalidInput(first_error(form))
            data = form.cleaned_data
            share = kind.share(
                actor=actor_of(request),
                post_id=data["to_post"],
                until=data["until"],
                reason=data["reason"],
                **{kind.id_name: pk},
            )
        except DaftarError as exc:
            return kind.failed(request, pk, exc)
        messages.success(
            request,
            _("Shared with %(post)s until %(until)s.")
            % {"post": share.post, "until": share.until.strftime("%d %b %Y")},
        )
        return redirect(kind.page, pk=pk)

    @login_required
    @require_POST
    def share_revoke(request: HttpRequest, pk: int, share_id: int) -> HttpResponse:
        try:
            share = kind.revoke(actor=actor_of(request), share_id=share_id, **{kind.id_name: pk})
        except DaftarError as exc:
            return kind.failed(request, pk, exc)
        messages.success(request, str(kind.ended) % {"post": share.post})
        return redirect(kind.page, pk=pk)

    return share_add, share_revoke
