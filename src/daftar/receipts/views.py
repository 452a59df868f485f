"""The receipt screens: diarise (upload, register and send in one go), the receipt page with
its documents shown in the browser, and the holder's actions on it.

As for files, views parse input with a form, call one service or selector and render; service
errors become a message on the page with the error's status (404 for receipts one may not see).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from daftar.documents.models import Document
from daftar.documents.services import document_store
from daftar.files.access_log import opening_record
from daftar.files.correspondence import file_open_from_receipt, receipt_put_on_file
from daftar.files.models import Classification
from daftar.files.selectors import files_held
from daftar.files.share_rules import SHARE_PERMISSION
from daftar.files.views import (
    PAGE_WIDTH,
    PostOption,
    actor_of,
    first_error,
    has_page_images,
    is_htmx,
    original,
    page_png,
    post_options,
)
from daftar.lib import clock
from daftar.lib.errors import Conflict, DaftarError, InvalidInput, NotFound
from daftar.mailroom.selectors import incoming_waiting_count
from daftar.movement.forms import MAX_ID
from daftar.movement.selectors import posts_by_id
from daftar.org.gating import permission_required_page
from daftar.org.models import Post, User
from daftar.org.selectors import post_ids_held, posts_around, posts_held
from daftar.receipts import custody
from daftar.receipts.acknowledge import receipt_acknowledge
from daftar.receipts.acknowledgement import display_reference
from daftar.receipts.diary import receipt_register
from daftar.receipts.forms import (
    DiariseForm,
    OpenFileForm,
    PutOnFileForm,
    ReceiptSendForm,
    RemarksForm,
    SearchForm,
)
from daftar.receipts.models import Receipt, ReceiptMovement, ReceiptStatus, Sender
from daftar.receipts.selectors import (
    ReceiptCustodySpell,
    document_for_actor,
    receipt_by_diary_number_for_actor,
    receipt_by_reference_for_actor,
    receipt_documents,
    receipt_for_actor,
    receipt_timeline,
    sender_search,
)
from daftar.receipts.senders import sender_create
from daftar.receipts.shares import receipt_shares_of
from daftar.releases.forms import ReleaseForm
from daftar.releases.models import ReleasePurpose
from daftar.releases.selectors import releases_of
from daftar.releases.services import RELEASE_PERMISSION, in_charge_of, release_grant

# --- Diarise ---------------------------------------------------------------------------------


def _selected_post(form: DiariseForm | ReceiptSendForm, exclude: int | None) -> list[PostOption]:
    """The post chosen before a failed submit, so the choice survives the error."""
    try:
        chosen = int(str(form["to_post"].value() or "0"))
    except ValueError:
        return []
    if chosen <= 0 or chosen > 2**63 - 1 or chosen == exclude:
        return []
    return post_options(list(posts_by_id([chosen]).values()))


def _chosen_sender(form: DiariseForm) -> list[Sender]:
    try:
        chosen = int(str(form["sender"].value() or "0"))
    except ValueError:
        return []
    if chosen <= 0 or chosen > 2**63 - 1:
        return []
    return list(Sender.objects.filter(pk=chosen))


def _diarise_page(
    request: HttpRequest, form: DiariseForm, posts: list[Post], *, status: int = 200
) -> HttpResponse:
    chosen = _selected_post(form, None)
    context = {
        "form": form,
        "posts": posts,
        "exclude": posts[0].pk if len(posts) == 1 else "",
        "suggestions": chosen,
        "selected_post": chosen[0].post.pk if chosen else 0,
        "senders": _chosen_sender(form),
        "selected_sender": str(form["sender"].value() or ""),
        "mail_waiting": incoming_waiting_count(actor_of(request)),
    }
    return render(request, "receipts/receipt_new.html", context, status=status)


@login_required
@permission_required_page("receipts.diarise_receipt")
@require_http_methods(["GET", "POST"])
def receipt_new(request: HttpRequest) -> HttpResponse:
    """Diarise: upload the documents, register the receipt and (optionally) send it on."""
    actor = actor_of(request)
    posts = posts_held(actor)
    if not posts:
        messages.error(request, _("You hold no post at present, so you cannot diarise."))
        return render(request, "receipts/receipt_new.html", {"form": None}, status=403)
    if request.method == "GET":
        form = DiariseForm(posts=posts, initial={"received_on": timezone.localdate(clock.now())})
        return _diarise_page(request, form, posts)
    form = DiariseForm(request.POST, request.FILES, posts=posts)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _diarise_page(request, form, posts, status=400)
    data = form.cleaned_data
    try:
        # Every upload is checked before the receipt is written; the first refusal stops
        # the whole diarisation, so nothing is registered.
        document_ids = [
            document_store(actor=actor, name=upload.name or "", content=upload.read()).pk
            for upload in data["documents"]
        ]
        sender_id = data["sender"]
        if not sender_id:
            sender_id = sender_create(actor=actor, **form.new_sender).pk
        receipt = receipt_register(
            actor=actor,
            post_id=data["post"],
            sender_id=sender_id,
            subject=data["subject"],
            received_on=data["received_on"],
            mode=data["mode"],
            letter_number=data["letter_number"],
            letter_date=data["letter_date"],
            language=data["language"],
            priority=data["priority"],
            classification=data["classification"],
            enclosures=data["enclosures"],
            remarks=data["remarks"],
            is_physical=data["is_physical"],
            document_ids=document_ids,
            send_to_post_id=data["to_post"],
            send_remarks=data["send_remarks"],
            due_on=data["due_on"],
        )
    except DaftarError as exc:
        messages.error(request, exc.message)
        return _diarise_page(request, form, posts, status=exc.status)
    if data["to_post"]:
        messages.success(
            request,
            _("Diarised as %(number)s and sent to %(post)s.")
            % {"number": receipt.diary_number, "post": receipt.holder.designation},
        )
    else:
        messages.success(request, _("Diarised as %(number)s.") % {"number": receipt.diary_number})
    return redirect("receipt-detail", pk=receipt.pk)


@login_required
@permission_required_page("receipts.diarise_receipt")
@require_GET
def sender_search_view(request: HttpRequest) -> HttpResponse:
    """Senders for the diarisation picker (an htmx partial)."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    senders = list(sender_search(query, limit=12)) if query else []
    return render(request, "receipts/_sender_options.html", {"senders": senders, "query": query})


@login_required
@require_GET
def receipt_track(request: HttpRequest) -> HttpResponse:
    """ "Where is diary no. …": by the diary number, or by the reference on the slip the sender
    quotes. Found: the receipt's page; else the search again, with a 404."""
    actor = actor_of(request)
    form = SearchForm({"q": request.GET.get("number", "")})
    number = form.cleaned_data["q"] if form.is_valid() else ""
    if not number:
        return render(request, "receipts/receipt_track.html", {"number": ""})
    for find in (receipt_by_diary_number_for_actor, receipt_by_reference_for_actor):
        try:
            return redirect("receipt-detail", pk=find(actor, number).pk)
        except NotFound:
            continue
    messages.error(
        request,
        _("No receipt with diary number or reference “%(number)s” is open to you.")
        % {"number": number},
    )
    return render(request, "receipts/receipt_track.html", {"number": number}, status=404)


# --- The receipt page ------------------------------------------------------------------------


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


# --- Actions ---------------------------------------------------------------------------------


def _back_home(movement: ReceiptMovement) -> HttpResponse:
    return redirect(f"{reverse('home')}?post={movement.from_post_id or ''}&box=receipts")


@login_required
@require_POST
def receipt_send(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReceiptSendForm(request.POST)
    if not form.is_valid():
        return action_failed(request, pk, InvalidInput(first_error(form)), send_form=form)
    data = form.cleaned_data
    try:
        movement = custody.receipt_send(
            actor=actor_of(request),
            receipt_id=pk,
            to_post_id=data["to_post"],
            remarks=data["remarks"],
            due_on=data["due_on"],
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc, send_form=form)
    messages.success(
        request,
        _("Receipt %(number)s sent to %(post)s. You can pull it back until it is opened.")
        % {"number": movement.receipt.diary_number, "post": movement.to_post.designation},
    )
    return _back_home(movement)


@login_required
@require_POST
def receipt_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = RemarksForm(request.POST)
    if not form.is_valid():
        return action_failed(request, pk, InvalidInput(first_error(form)))
    try:
        movement = custody.receipt_return(
            actor=actor_of(request), receipt_id=pk, remarks=form.cleaned_data["remarks"]
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(
        request,
        _("Receipt %(number)s returned to %(post)s.")
        % {"number": movement.receipt.diary_number, "post": movement.to_post.designation},
    )
    return _back_home(movement)


@login_required
@require_POST
def receipt_pull_back(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        movement = custody.receipt_pull_back(actor=actor_of(request), receipt_id=pk)
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(
        request,
        _("Receipt %(number)s pulled back from %(post)s; it is with you again.")
        % {"number": movement.receipt.diary_number, "post": movement.to_post.designation},
    )
    return redirect("receipt-detail", pk=pk)


@login_required
@require_POST
def receipt_close(request: HttpRequest, pk: int) -> HttpResponse:
    form = RemarksForm(request.POST)
    if not form.is_valid():
        return action_failed(request, pk, InvalidInput(first_error(form)))
    try:
        receipt = custody.receipt_close(
            actor=actor_of(request), receipt_id=pk, remarks=form.cleaned_data["remarks"]
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(request, _("Receipt %(number)s is closed.") % {"number": receipt.diary_number})
    return redirect("receipt-detail", pk=pk)


@login_required
@permission_required_page("files.open_file")
@require_POST
def receipt_open_file(request: HttpRequest, pk: int) -> HttpResponse:
    form = OpenFileForm(request.POST)
    if not form.is_valid():
        return action_failed(request, pk, InvalidInput(first_error(form)))
    try:
        item = file_open_from_receipt(
            actor=actor_of(request), receipt_id=pk, subject=form.cleaned_data["subject"]
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(
        request,
        _("File %(number)s opened with receipt %(diary)s as its PUC (F/%(flag)s).")
        % {"number": item.file.number, "diary": item.reference, "flag": item.flag},
    )
    return redirect("file-detail", pk=item.file_id)


@login_required
@require_POST
def receipt_put_on(request: HttpRequest, pk: int) -> HttpResponse:
    form = PutOnFileForm(request.POST)
    if not form.is_valid():
        return action_failed(request, pk, InvalidInput(first_error(form)))
    try:
        item = receipt_put_on_file(
            actor=actor_of(request), receipt_id=pk, file_id=form.cleaned_data["file"]
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(
        request,
        _("Receipt %(diary)s put on file %(number)s as F/%(flag)s (%(kind)s).")
        % {
            "diary": item.reference,
            "number": item.file.number,
            "flag": item.flag,
            "kind": item.get_kind_display(),
        },
    )
    return redirect("file-detail", pk=item.file_id)


@login_required
@require_GET
def file_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """The files a receipt can go on (an htmx partial of the "Put on file" picker)."""
    actor = actor_of(request)
    try:
        receipt_for_actor(actor, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "receipts/_file_options.html",
        {"files": files_held(actor, query), "query": query},
    )


@login_required
@permission_required_page(RELEASE_PERMISSION)
@require_POST
def receipt_release(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the release of a classified receipt for e-mail or export."""
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return action_failed(request, pk, InvalidInput(first_error(form)))
    try:
        receipt = receipt_for_actor(actor_of(request), pk)
        release_grant(
            actor=actor_of(request),
            obj=receipt,
            purpose=form.cleaned_data["purpose"],
            reason=form.cleaned_data["reason"],
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(request, _("The release is recorded."))
    return redirect("receipt-detail", pk=pk)


@login_required
@require_POST
def receipt_acknowledgement(request: HttpRequest, pk: int) -> HttpResponse:
    """Print the acknowledgement slip: the PDF, to print and post (recorded as given)."""
    try:
        ack = receipt_acknowledge(actor=actor_of(request), receipt_id=pk, email=False)
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    response = HttpResponse(ack.pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="acknowledgement-{ack.receipt.reference}.pdf"'
    )
    return response


@login_required
@require_POST
def receipt_acknowledge_email(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        ack = receipt_acknowledge(actor=actor_of(request), receipt_id=pk, email=True)
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    if ack.error is not None:
        return action_failed(
            request,
            pk,
            Conflict(
                _("The acknowledgement could not be e-mailed (%(error)s); print it and post it.")
                % {"error": ack.error}
            ),
        )
    messages.success(
        request,
        _("Acknowledgement %(reference)s e-mailed to %(email)s.")
        % {"reference": ack.reference, "email": ack.emailed_to},
    )
    return redirect("receipt-detail", pk=pk)
