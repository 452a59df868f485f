"""The file screens: the file page (header, note sheet, papers, send panel, timeline), open,
track, and park, unpark, close, reopen.

Views parse input with a form, call one service or selector, and render. Service errors
become a message on the page with the error's HTTP status (404 for files one may not see):
``action_failed`` and ``form_failed`` show the file page again, and the other file screens
use them too. Notes are in ``note_views``, the correspondence pages in ``page_views``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from daftar.files import services
from daftar.files.access_log import opening_record
from daftar.files.correspondence import correspondence_of
from daftar.files.forms import FileOpenForm, NoteForm, TrackForm
from daftar.files.models import Classification, CorrespondenceItem, File, FileStatus
from daftar.files.release_panel import release_context
from daftar.files.selectors import file_by_number_for_actor, file_for_actor, notes_of
from daftar.files.shares import shares_of
from daftar.files.templatetags.daftar_ui import PageLinks
from daftar.files.views_shared import PostOption, actor_of, first_error, is_htmx, post_options
from daftar.lib.errors import DaftarError, InvalidInput, NotFound
from daftar.movement.forms import MAX_ID, SendForm
from daftar.movement.models import Movement
from daftar.movement.selectors import CustodySpell, posts_by_id, timeline
from daftar.movement.services import file_mark_read
from daftar.org.gating import permission_required_page
from daftar.org.selectors import holders_of, post_ids_held, posts_around, posts_held

# --- Shared pieces of the file page -------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    """One line of the movement timeline: a stay with a post, or a send that was pulled back."""

    movement: Movement
    since: dt.datetime
    until: dt.datetime | None
    pulled_back: bool

    @property
    def is_current(self) -> bool:
        return not self.pulled_back and self.until is None


def timeline_rows(file: File) -> list[TimelineRow]:
    return [
        TimelineRow(item.movement, item.since, item.until, pulled_back=False)
        if isinstance(item, CustodySpell)
        else TimelineRow(item, item.sent_at, item.pulled_back_at, pulled_back=True)
        for item in timeline(file)
    ]


def _send_suggestions(file: File, send_form: SendForm | None) -> tuple[list[PostOption], int]:
    """The desks a file usually goes to next: the officer above, then those below; plus the
    post chosen before a failed send, so the choice survives the error."""
    holder = file.holder
    near = posts_around(holder, grade=file.classification)
    relations = {
        p.pk: _("Above you") if p.pk == holder.reports_to_id else _("Below you") for p in near
    }
    selected = 0
    if send_form is not None:
        try:
            selected = int(str(send_form["to_post"].value() or "0"))
        except ValueError:
            selected = 0
        if not 0 < selected <= MAX_ID:
            selected = 0
        if selected and selected not in relations and selected != holder.pk:
            near = [*posts_by_id([selected]).values(), *near]
    return post_options(near, relations=relations), selected


def file_page(
    request: HttpRequest,
    file_id: int,
    *,
    status: int = 200,
    note_form: NoteForm | None = None,
    send_form: SendForm | None = None,
) -> HttpResponse:
    """The file page: header, note sheet, correspondence, send panel and timeline.

    Used for GET and to show a failed action again with its message and status.
    """
    actor = actor_of(request)
    try:
        file = file_for_actor(actor, file_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    my_posts = post_ids_held(actor)
    holds = file.holder_id in my_posts
    rows = timeline_rows(file)
    current = next((r.movement for r in rows if r.movement.pk == file.current_movement_id), None)
    if request.method == "GET" and holds and current is not None and current.read_at is None:
        try:
            if file_mark_read(actor=actor, file_id=file.pk):
                rows = timeline_rows(file)
                current = next(
                    (r.movement for r in rows if r.movement.pk == file.current_movement_id), None
                )
        except DaftarError:
            pass  # lost custody between the two reads: show the page as it stands
    opening_record(actor=actor, obj=file, grade=file.classification, holder=file.holder, via="file")
    is_closed = file.status == FileStatus.CLOSED
    can_send = holds and not is_closed
    can_write = can_send and not file.is_physical
    # Closing and reopening: the owning unit's desk, with the role to record files.
    owns = file.holder.unit_id == file.unit_id and actor.has_perm("files.record_file")
    suggestions: list[PostOption] = []
    selected = 0
    if can_send:
        suggestions, selected = _send_suggestions(file, send_form)
    papers = correspondence_of(file)
    context: dict[str, Any] = {
        "file": file,
        "notes": list(notes_of(file)),
        "papers": papers,
        "paper_of_note": {item.note_id: item for item in papers},
        "page_links": page_links(file, papers),
        "rows": rows,
        "current": current,
        "holds": holds,
        "can_write": can_write,
        "can_send": can_send,
        "can_pull_back": (
            not holds
            and current is not None
            and current.from_post_id in my_posts
            and current.read_at is None
            and current.pulled_back_at is None
        ),
        "return_to": (
            current.from_post
            if can_send and current is not None and current.from_post_id is not None
            else None
        ),
        "can_park": holds and file.status == FileStatus.OPEN,
        "can_unpark": holds and file.status == FileStatus.PARKED,
        "can_close": holds and owns and not is_closed,
        "can_reopen": holds and owns and is_closed,
        "note_form": note_form or NoteForm(),
        "send_form": send_form or SendForm(),
        "suggestions": suggestions,
        "selected_post": selected,
        "shares": list(shares_of(file.pk)),  # the one query the share list adds to the page
        "can_share": can_send and actor.has_perm("files.share_file"),
        "grades": Classification.choices,
        **release_context(actor, file),  # no query for an unclassified file
    }
    return render(request, "files/file_detail.html", context, status=status)


def page_links(file: File, papers: list[CorrespondenceItem]) -> PageLinks:
    """The flags and pages a note on ``file`` may refer to (from its papers, no query)."""
    return PageLinks(
        file.pk,
        {item.flag: item.first_page for item in papers},
        max((item.last_page for item in papers), default=0),
    )


def action_failed(
    request: HttpRequest,
    file_id: int,
    exc: DaftarError,
    *,
    note_form: NoteForm | None = None,
    send_form: SendForm | None = None,
) -> HttpResponse:
    """Tell the person why the action did not happen, with the error's status."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    messages.error(request, exc.message)
    if is_htmx(request):
        response = HttpResponseClientRefresh()
        response.status_code = exc.status
        return response
    return file_page(request, file_id, status=exc.status, note_form=note_form, send_form=send_form)


def form_failed(
    request: HttpRequest,
    file_id: int,
    *,
    note_form: NoteForm | None = None,
    send_form: SendForm | None = None,
) -> HttpResponse:
    form = note_form or send_form
    message = first_error(form) if form is not None else _("Please check the form.")
    return action_failed(
        request, file_id, InvalidInput(message), note_form=note_form, send_form=send_form
    )


# --- Screens --------------------------------------------------------------------------------


@login_required
@require_GET
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return file_page(request, pk)


@login_required
@permission_required_page("files.open_file")
@require_http_methods(["GET", "POST"])
def file_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    posts = posts_held(actor)
    if not posts:
        messages.error(request, _("You hold no post at present, so you cannot open a file."))
        return render(request, "files/file_new.html", {"form": None}, status=403)
    form = FileOpenForm(request.POST or None, posts=posts)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("The file was not opened: please correct the form."))
            return render(request, "files/file_new.html", {"form": form}, status=400)
        data = form.cleaned_data
        try:
            file = services.file_open(
                actor=actor,
                post_id=data["post"],
                subject=data["subject"],
                classification=data["classification"],
                priority=data["priority"],
                head=data["head"],
                is_physical=data["is_physical"],
            )
        except DaftarError as exc:
            messages.error(request, exc.message)
            return render(request, "files/file_new.html", {"form": form}, status=exc.status)
        messages.success(request, _("File %(number)s opened.") % {"number": file.number})
        return redirect("file-detail", pk=file.pk)
    return render(request, "files/file_new.html", {"form": form})


@login_required
@require_GET
def file_track(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = TrackForm(request.GET)
    number = form.cleaned_data["number"].strip() if form.is_valid() else ""
    context: dict[str, Any] = {"number": number, "file": None}
    if not form.is_valid():
        messages.error(request, _("That is not a file number."))
        return render(request, "files/file_track.html", context, status=400)
    if not number:
        return render(request, "files/file_track.html", context)
    try:
        file = file_by_number_for_actor(actor, number)
    except NotFound:
        messages.error(
            request, _("No file numbered “%(number)s” is open to you.") % {"number": number}
        )
        return render(request, "files/file_track.html", context, status=404)
    rows = timeline_rows(file)
    context.update(
        file=file,
        rows=rows,
        current=next((r for r in rows if r.is_current), None),
        holders=holders_of(file.holder),
    )
    return render(request, "files/file_track.html", context)


# --- Park, unpark, close, reopen --------------------------------------------------------------


def _status_action(
    service: Callable[..., File], done: Promise, permission: str | None = None
) -> Callable[[HttpRequest, int], HttpResponse]:
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        try:
            file = service(actor=actor_of(request), file_id=pk)
        except DaftarError as exc:
            return action_failed(request, pk, exc)
        messages.success(request, str(done) % {"number": file.number})
        return redirect("file-detail", pk=pk)

    view.__name__ = service.__name__
    gated = permission_required_page(permission)(view) if permission else view
    return login_required(gated)


file_park = _status_action(
    services.file_park,
    gettext_lazy("File %(number)s is parked: it stays with you, out of your inbox."),
)
file_unpark = _status_action(
    services.file_unpark, gettext_lazy("File %(number)s is back in your inbox.")
)
file_close = _status_action(
    services.file_close, gettext_lazy("File %(number)s is closed."), "files.record_file"
)
file_reopen = _status_action(
    services.file_reopen, gettext_lazy("File %(number)s is open again."), "files.record_file"
)
