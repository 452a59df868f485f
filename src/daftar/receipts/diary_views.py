"""The diary's screens: diarise (upload, register and send in one go) with its sender picker,
and "where is diary no. …", which finds a receipt by its diary number or slip reference.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from daftar.documents.services import document_store
from daftar.files.views_shared import actor_of, first_error
from daftar.lib import clock
from daftar.lib.errors import DaftarError, NotFound
from daftar.mailroom.selectors import incoming_waiting_count
from daftar.org.gating import permission_required_page
from daftar.org.models import Post
from daftar.org.selectors import posts_held
from daftar.receipts.diary import receipt_register
from daftar.receipts.forms import (
    DiariseForm,
    SearchForm,
)
from daftar.receipts.models import Sender
from daftar.receipts.selectors import (
    receipt_by_diary_number_for_actor,
    receipt_by_reference_for_actor,
    sender_search,
)
from daftar.receipts.senders import sender_create
from daftar.receipts.views import _selected_post


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
