"""The clerk's screens for e-mail drafts, under /mail/: the drafts waiting at each post the
person holds, one draft with its message and documents, completing it into a receipt and
discarding it.

As for files and receipts, views parse input with a form, call one service or selector and
render; service errors become a message on the page with the error's status (404 for drafts
one may not see).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from daftar.files.forms import MAX_ID
from daftar.files.views_shared import PostOption, actor_of, first_error, post_options
from daftar.lib.errors import DaftarError, NotFound
from daftar.mailroom import services
from daftar.mailroom.forms import MailCompleteForm, MailDiscardForm
from daftar.mailroom.models import IncomingMail, IncomingStatus
from daftar.mailroom.selectors import (
    incoming_attachments,
    incoming_for_actor,
    incoming_raw,
    incoming_waiting,
)
from daftar.movement.selectors import posts_by_id
from daftar.org.gating import permission_required_page
from daftar.org.models import Post
from daftar.org.selectors import organisation_of, posts_held
from daftar.receipts.diary import MAX_SUBJECT
from daftar.receipts.models import Sender
from daftar.receipts.senders import sender_create


@dataclass(frozen=True)
class PostDrafts:
    post: Post
    drafts: list[IncomingMail]


def _draft(request: HttpRequest, pk: int) -> IncomingMail:
    if pk > MAX_ID:
        raise Http404
    try:
        return incoming_for_actor(actor_of(request), pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@permission_required_page("mailroom.handle_mail")
@require_GET
def mail_list(request: HttpRequest) -> HttpResponse:
    """The drafts waiting at each post the person holds, newest first."""
    actor = actor_of(request)
    groups = []
    for post in posts_held(actor):
        drafts = (
            incoming_waiting(actor, post_id=post.pk)
            .annotate(
                attachment_count=Count("attachments"),
                refused_count=Count("attachments", filter=Q(attachments__document__isnull=True)),
            )
            .order_by("-created_at", "-pk")
        )
        groups.append(PostDrafts(post, list(drafts)))
    return render(
        request,
        "mailroom/mail_list.html",
        {"groups": groups, "total": sum(len(g.drafts) for g in groups)},
    )


def _initial(incoming: IncomingMail) -> dict[str, Any]:
    """The form as the message fills it: the subject, the day it arrived, the letter's date
    and the sender with the From address (else a new sender made from the From header)."""
    zone = ZoneInfo(organisation_of(incoming.mailbox.unit).time_zone)
    received = incoming.created_at.astimezone(zone).date()
    initial: dict[str, Any] = {
        "subject": incoming.subject[:MAX_SUBJECT] or _("(no subject)"),
        "received_on": received,
    }
    if incoming.sent_at is not None:
        initial["letter_date"] = min(incoming.sent_at.astimezone(zone).date(), received)
    known = _known_sender(incoming)
    if known is not None:
        initial["sender"] = known.pk
    else:
        initial["new_name"] = incoming.from_name or incoming.from_address
        initial["new_email"] = incoming.from_address
    return initial


def _known_sender(incoming: IncomingMail) -> Sender | None:
    if not incoming.from_address:
        return None
    return Sender.objects.filter(email__iexact=incoming.from_address).order_by("pk").first()


def _chosen(value: object) -> int:
    try:
        chosen = int(str(value or "0"))
    except ValueError:
        return 0
    return chosen if 0 < chosen <= MAX_ID else 0


def _draft_page(
    request: HttpRequest,
    incoming: IncomingMail,
    *,
    form: MailCompleteForm | None = None,
    discard_form: MailDiscardForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_new = incoming.status == IncomingStatus.NEW
    context: dict[str, Any] = {
        "incoming": incoming,
        "attachments": list(incoming_attachments(incoming)),
        "is_new": is_new,
        "duplicate_of": incoming.duplicate_of_id,
    }
    if is_new:
        form = form or MailCompleteForm(initial=_initial(incoming))
        sender_id = _chosen(form["sender"].value())
        post_id = _chosen(form["to_post"].value())
        chosen: list[PostOption] = (
            post_options(list(posts_by_id([post_id]).values())) if post_id else []
        )
        context.update(
            form=form,
            discard_form=discard_form or MailDiscardForm(),
            senders=list(Sender.objects.filter(pk=sender_id)) if sender_id else [],
            selected_sender=str(sender_id or ""),
            suggestions=chosen,
            selected_post=chosen[0].post.pk if chosen else 0,
            exclude=incoming.post_id,
        )
    return render(request, "mailroom/mail_detail.html", context, status=status)


@login_required
@permission_required_page("mailroom.handle_mail")
@require_GET
def mail_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _draft_page(request, _draft(request, pk))


@login_required
@permission_required_page("mailroom.handle_mail")
@require_GET
def mail_raw(request: HttpRequest, pk: int) -> HttpResponse:
    """The message exactly as received, as an .eml file."""
    incoming = _draft(request, pk)
    try:
        raw = incoming_raw(actor_of(request), incoming.pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    response = HttpResponse(raw, content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="email-{incoming.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _failed(
    request: HttpRequest,
    incoming: IncomingMail,
    exc: DaftarError,
    *,
    form: MailCompleteForm | None = None,
    discard_form: MailDiscardForm | None = None,
) -> HttpResponse:
    """Tell the clerk why nothing happened, with the error's status (404 as a 404)."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    messages.error(request, exc.message)
    incoming = _draft(request, incoming.pk)  # as it stands now (dealt with meanwhile?)
    return _draft_page(request, incoming, form=form, discard_form=discard_form, status=exc.status)


def _as_from_header(incoming: IncomingMail, new: dict[str, str]) -> bool:
    """Whether the new sender is the one ``mail_register`` makes from the From header (the
    form as it came, untouched): then the service adds it, in the same transaction as the
    receipt, so a refusal leaves no new entry in the directory."""
    return bool(incoming.from_address) and new == {
        "organisation": "",
        "name": incoming.from_name or incoming.from_address,
        "designation": "",
        "email": incoming.from_address,
        "address": "",
    }


@login_required
@permission_required_page("mailroom.handle_mail")
@require_POST
def mail_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Complete the draft into an e-mail receipt (and send it on), then show the receipt."""
    actor = actor_of(request)
    incoming = _draft(request, pk)
    form = MailCompleteForm(request.POST)
    if incoming.status != IncomingStatus.NEW:
        messages.error(request, _("This e-mail has already been dealt with."))
        return _draft_page(request, incoming, status=409)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _draft_page(request, incoming, form=form, status=400)
    data = form.cleaned_data
    try:
        sender_id = data["sender"]
        if not sender_id and not _as_from_header(incoming, form.new_sender):
            sender_id = sender_create(actor=actor, **form.new_sender).pk
        receipt = services.mail_register(
            actor=actor,
            incoming_id=incoming.pk,
            subject=data["subject"],
            received_on=data["received_on"],
            sender_id=sender_id,
            letter_number=data["letter_number"],
            letter_date=data["letter_date"],
            language=data["language"],
            priority=data["priority"],
            classification=data["classification"],
            enclosures=data["enclosures"],
            remarks=data["remarks"],
            send_to_post_id=data["to_post"],
            send_remarks=data["send_remarks"],
            due_on=data["due_on"],
        )
    except DaftarError as exc:
        return _failed(request, incoming, exc, form=form)
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
@permission_required_page("mailroom.handle_mail")
@require_POST
def mail_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the draft aside with a reason; back to the list of drafts."""
    incoming = _draft(request, pk)
    form = MailDiscardForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _draft_page(request, incoming, discard_form=form, status=400)
    try:
        services.mail_discard(
            actor=actor_of(request), incoming_id=incoming.pk, reason=form.cleaned_data["reason"]
        )
    except DaftarError as exc:
        return _failed(request, incoming, exc, discard_form=form)
    messages.success(request, _("The e-mail was discarded."))
    return redirect("mail-list")
