"""The receipt page: the receipt with its documents shown in the browser, its timeline and
the panels of the holder's actions, and the page images and originals of its documents.

As for files, views parse input with a form, call one service or selector and render; service
errors become a message on the page with the error's status (404 for receipts one may not see).
The diarise and track screens are in diary_views.py, the actions posted from this page in
action_views.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRefresh

from daftar.documents.models import Document
from daftar.files.access_log import opening_record
from daftar.files.models import Classification
from daftar.files.page_views import PAGE_WIDTH, has_page_images, original, page_png
from daftar.files.share_rules import SHARE_PERMISSION
from daftar.files.views_shared import PostOption, actor_of, is_htmx, post_options
from daftar.lib.errors import DaftarError, NotFound
from daftar.movement.forms import MAX_ID
from daftar.movement.selectors import posts_by_id
from daftar.org.models import User
from daftar.org.selectors import post_ids_held, posts_around
from daftar.receipts import custody
from daftar.receipts.acknowledgement import display_reference
from daftar.receipts.forms import (
    DiariseForm,
    OpenFileForm,
    ReceiptSendForm,
)
from daftar.receipts.models import Receipt, ReceiptMovement, ReceiptStatus
from daftar.receipts.selectors import (
    ReceiptCustodySpell,
    document_for_actor,
    receipt_documents,
    receipt_for_actor,
    receipt_timeline,
)
from daftar.receipts.shares import receipt_shares_of
from daftar.releases.forms import ReleaseForm
from daftar.releases.models import ReleasePurpose
from daftar.releases.selectors import releases_of
from daftar.releases.services import RELEASE_PERMISSION, in_charge_of


def _selected_post(form: DiariseForm | ReceiptSendForm, exclude: int | None) -> list[PostOption]:
    """The post chosen before a failed submit, so the choice survives the error."""
    try:
        chosen = int(str(form["to_post"].value() or "0"))
    except ValueError:
        return []
    if chosen <= 0 or chosen > 2**63 - 1 or chosen == exclude:
        return []
    return post_options(list(posts_by_id([chosen]).values()))


@dataclass(frozen=True)
class Row:
    """A line of the timeline, in the shape ``files/_timeline.html`` shows."""

    movement: ReceiptMovement
    since: dt.datetime
    until: dt.datetime | None
    pulled_back: bool

    @property
    def is_current(self) -> bool:
        return not self.pulled_back and self.until is None


def timeline_rows(receipt: Receipt) -> list[Row]:
    return [
        Row(item.movement, item.since, item.until, pulled_back=False)
        if isinstance(item, ReceiptCustodySpell)
        else Row(item, item.sent_at, item.pulled_back_at, pulled_back=True)
        for item in receipt_timeline(receipt)
    ]


def _suggestions(receipt: Receipt) -> list[PostOption]:
    holder = receipt.holder
    near = posts_around(holder, grade=receipt.classification)
    relations = {
        p.pk: _("Above you") if p.pk == holder.reports_to_id else _("Below you") for p in near
    }
    return post_options(near, relations=relations)


def receipt_page(
    request: HttpRequest,
    pk: int,
    *,
    status: int = 200,
    send_form: ReceiptSendForm | None = None,
) -> HttpResponse:
    actor = actor_of(request)
    try:
        receipt = receipt_for_actor(actor, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    my_posts = post_ids_held(actor)
    holds = receipt.holder_id in my_posts
    if request.method == "GET" and holds and receipt.inbox_unread:
        try:
            if custody.receipt_mark_read(actor=actor, receipt_id=pk):
                receipt = receipt_for_actor(actor, pk)
        except DaftarError:
            pass  # lost custody between the two reads: show the page as it stands
    opening_record(
        actor=actor, obj=receipt, grade=receipt.classification, holder=receipt.holder, via="receipt"
    )
    rows = timeline_rows(receipt)
    current = next((r.movement for r in rows if r.movement.pk == receipt.current_movement_id), None)
    is_open = receipt.status == ReceiptStatus.OPEN
    can_act = holds and is_open
    documents = [
        (attached.document, has_page_images(attached.document))
        for attached in receipt_documents(receipt)
    ]
    papers = list(
        receipt.file_items.select_related("file").order_by("id")  # the files it went on
    )
    diarised_here = any(
        r.movement.action == "diarise" and r.movement.to_post_id in my_posts for r in rows
    )
    context: dict[str, Any] = {
        "receipt": receipt,
        "reference": display_reference(receipt.reference),
        "documents": documents,
        "rows": rows,
        "current": current,
        "holds": holds,
        "can_act": can_act,
        "can_pull_back": (
            not holds
            and current is not None
            and current.from_post_id in my_posts
            and current.read_at is None
            and current.pulled_back_at is None
        ),
        "return_to": (
            current.from_post
            if can_act and current is not None and current.from_post_id is not None
            else None
        ),
        "can_acknowledge": holds or diarised_here,
        **_release_context(actor, receipt),
        "shares": list(receipt_shares_of(receipt.pk)),  # the one query the share list adds
        "can_share": holds and actor.has_perm(SHARE_PERMISSION),
        "papers": papers,
        "send_form": send_form or ReceiptSendForm(),
        "suggestions": _suggestions(receipt) if can_act else [],
        "selected_post": 0,
        "open_form": OpenFileForm(),
        "page_width": PAGE_WIDTH,
    }
    if send_form is not None and can_act:
        chosen = _selected_post(send_form, receipt.holder_id)
        known = {o.post.pk for o in context["suggestions"]}
        context["suggestions"] = [o for o in chosen if o.post.pk not in known] + list(
            context["suggestions"]
        )
        context["selected_post"] = chosen[0].post.pk if chosen else 0
    return render(request, "receipts/receipt_detail.html", context, status=status)


def _release_context(actor: User, receipt: Receipt) -> dict[str, Any]:
    """Releases recorded for a classified receipt, and the form to record one."""
    if receipt.classification < Classification.RESTRICTED:
        return {"releases": [], "release_form": None}
    can_release = actor.has_perm(RELEASE_PERMISSION) and in_charge_of(actor, receipt)
    return {
        "releases": list(releases_of(receipt)),
        "release_form": ReleaseForm(initial={"purpose": ReleasePurpose.EMAIL})
        if can_release
        else None,
    }


def action_failed(
    request: HttpRequest, pk: int, exc: DaftarError, *, send_form: ReceiptSendForm | None = None
) -> HttpResponse:
    """Tell the person why the action did not happen, with the error's status."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    messages.error(request, exc.message)
    if is_htmx(request):
        response = HttpResponseClientRefresh()
        response.status_code = exc.status
        return response
    return receipt_page(request, pk, status=exc.status, send_form=send_form)


@login_required
@require_GET
def receipt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return receipt_page(request, pk)


def _document_of(request: HttpRequest, pk: int, document_id: int, *, via: str) -> Document:
    """A document of a receipt the actor may see (``document_for_actor``), else 404; its
    opening is logged."""
    if document_id > MAX_ID:  # no such row; the database would refuse to compare it
        raise Http404(_("This receipt has no such document."))
    actor = actor_of(request)
    try:
        attached = document_for_actor(actor, pk, document_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    receipt = attached.receipt
    opening_record(
        actor=actor,
        obj=attached.document,
        grade=receipt.classification,
        holder=receipt.holder,
        via=via,
        receipt=receipt.diary_number,
    )
    return attached.document


@login_required
@require_GET
def receipt_page_image(
    request: HttpRequest, pk: int, document_id: int, number: int
) -> HttpResponse:
    return page_png(_document_of(request, pk, document_id, via="page image"), number)


@login_required
@require_GET
def receipt_document_original(request: HttpRequest, pk: int, document_id: int) -> HttpResponseBase:
    return original(_document_of(request, pk, document_id, via="original"))
