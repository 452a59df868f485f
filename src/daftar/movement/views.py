"""The desk: inboxes per post, sent items, and the actions that move a file between posts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from daftar.files.models import FileStatus
from daftar.files.views import action_failed, form_failed
from daftar.files.views_shared import actor_of, first_error, post_options
from daftar.lib.errors import DaftarError, InvalidInput
from daftar.movement import services
from daftar.movement.forms import PostSearchForm, ReturnForm, SendForm
from daftar.movement.selectors import INBOX_PAGE_SIZE, inbox, inbox_counts, sent_items
from daftar.org.selectors import post_search, posts_held
from daftar.receipts.forms import DESK_BOXES, DeskForm
from daftar.receipts.selectors import receipt_inbox, receipt_inbox_counts, receipts_sent


def _home_url(post_id: int, box: str = "inbox") -> str:
    query = {"post": post_id} if box == "inbox" else {"post": post_id, "box": box}
    return f"{reverse('home')}?{urlencode(query)}"


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    posts = posts_held(actor)
    if not posts:
        return render(request, "movement/home.html", {"posts": []})
    form = DeskForm(request.GET)
    wanted = form.cleaned_data["post"] if form.is_valid() else None
    box = (form.cleaned_data["box"] if form.is_valid() else "") or "inbox"
    selected = posts[0] if wanted is None else next((p for p in posts if p.pk == wanted), None)
    if selected is None:
        raise Http404(_("You do not hold that post."))
    counts = inbox_counts([p.pk for p in posts])
    receipt_counts = receipt_inbox_counts([p.pk for p in posts])
    # A desk may hold papers above this holder's clearance (granted before it was lowered, or
    # the charge is new): they are not listed to them (docs/access.md); the tab counts are
    # the desk's.
    within = actor.clearance
    if box == "sent":
        items: Any = sent_items(selected.pk).filter(file__classification__lte=within)
    elif box == "receipts":
        items = receipt_inbox(selected.pk).filter(classification__lte=within)
    elif box == "receipts_sent":
        items = receipts_sent(selected.pk).filter(receipt__classification__lte=within)
    else:
        status = FileStatus.PARKED if box == "parked" else FileStatus.OPEN
        items = inbox(selected.pk, status=status).filter(classification__lte=within)
    page = Paginator(items, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "posts": posts,
        "tabs": [(p, counts[p.pk], receipt_counts[p.pk]) for p in posts],
        "selected": selected,
        "selected_counts": counts[selected.pk],
        "receipt_counts": receipt_counts[selected.pk],
        "box": box,
        "page_obj": page,
        "page_query": urlencode({"post": selected.pk, "box": box}),
        "box_urls": {b: _home_url(selected.pk, b) for b in DESK_BOXES},
    }
    return render(request, "movement/home.html", context)


@login_required
@require_GET
def post_search_view(request: HttpRequest) -> HttpResponse:
    """Options for the send-to picker (an htmx partial): designation, unit and holders."""
    form = PostSearchForm(request.GET)
    query, exclude, selected, grade = "", None, None, 0
    if form.is_valid():
        query, exclude = form.cleaned_data["q"], form.cleaned_data["exclude"]
        selected, grade = form.cleaned_data["to_post"], form.cleaned_data["classification"]
    elif "classification" in form.errors:  # offer nothing rather than every post
        return render(
            request,
            "movement/_post_options.html",
            {"options": [], "query": query, "selected_post": 0},
        )
    posts = [p for p in post_search(query, grade=grade) if p.pk != exclude]
    return render(
        request,
        "movement/_post_options.html",
        {"options": post_options(posts), "query": query, "selected_post": selected or 0},
    )


@login_required
@require_POST
def file_send(request: HttpRequest, pk: int) -> HttpResponse:
    form = SendForm(request.POST)
    if not form.is_valid():
        return form_failed(request, pk, send_form=form)
    data = form.cleaned_data
    try:
        movement = services.file_send(
            actor=actor_of(request),
            file_id=pk,
            to_post_id=data["to_post"],
            remarks=data["remarks"],
            priority=data["priority"],
            due_on=data["due_on"],
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc, send_form=form)
    messages.success(
        request,
        _("File %(number)s sent to %(post)s. You can pull it back until it is opened.")
        % {"number": movement.file.number, "post": movement.to_post.designation},
    )
    return redirect(_home_url(movement.from_post_id or 0))


@login_required
@require_POST
def file_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return action_failed(
            request, pk, InvalidInput(first_error(form)), send_form=SendForm(request.POST)
        )
    try:
        movement = services.file_return(
            actor=actor_of(request), file_id=pk, remarks=form.cleaned_data["remarks"]
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc, send_form=SendForm(request.POST))
    messages.success(
        request,
        _("File %(number)s returned to %(post)s.")
        % {"number": movement.file.number, "post": movement.to_post.designation},
    )
    return redirect(_home_url(movement.from_post_id or 0))


@login_required
@require_POST
def file_pull_back(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        movement = services.file_pull_back(actor=actor_of(request), file_id=pk)
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(
        request,
        _("File %(number)s pulled back from %(post)s; it is with you again.")
        % {"number": movement.file.number, "post": movement.to_post.designation},
    )
    return redirect("file-detail", pk=pk)
