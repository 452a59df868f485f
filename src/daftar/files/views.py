"""The file screens: open a file, read and write its note sheet, park, close, track.

Views parse input with a form, call one service or selector, and render. Service errors
become a message on the page with the error's HTTP status (404 for files one may not see).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from daftar.documents.checks import IMAGE_TYPES, PDF
from daftar.documents.models import Document, DocumentPage
from daftar.documents.selectors import document_bytes, page_image
from daftar.documents.storage import BlobError
from daftar.files import services
from daftar.files.access_log import opening_record
from daftar.files.correspondence import correspondence_of, receipt_copy_to_file
from daftar.files.correspondence import file_page as correspondence_page
from daftar.files.forms import CopyToFileForm, FileOpenForm, NoteEditForm, NoteForm, TrackForm
from daftar.files.models import (
    Classification,
    CorrespondenceItem,
    File,
    FileStatus,
    Note,
    NoteKind,
)
from daftar.files.release_panel import release_context
from daftar.files.selectors import (
    file_by_number_for_actor,
    file_for_actor,
    files_held,
    notes_of,
)
from daftar.files.shares import shares_of
from daftar.files.templatetags.daftar_ui import PageLinks
from daftar.lib.errors import Conflict, DaftarError, InvalidInput, NotFound
from daftar.movement.forms import MAX_ID, SendForm
from daftar.movement.models import Movement
from daftar.movement.selectors import CustodySpell, posts_by_id, timeline
from daftar.movement.services import file_mark_read
from daftar.org.gating import permission_required_page
from daftar.org.models import Post, User
from daftar.org.selectors import (
    holders_by_post,
    holders_of,
    post_ids_held,
    posts_around,
    posts_held,
)


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def actor_of(request: HttpRequest) -> User:
    """The logged-in person (every view here is behind ``login_required``)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


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


@dataclass(frozen=True)
class PostOption:
    """A post in the send-to picker, with who holds it and how it relates to the sender."""

    post: Post
    holders: list[User]
    relation: str = ""


def post_options(posts: list[Post], *, relations: dict[int, str] | None = None) -> list[PostOption]:
    holders = holders_by_post([p.pk for p in posts]) if posts else {}
    relations = relations or {}
    return [PostOption(p, holders.get(p.pk, []), relations.get(p.pk, "")) for p in posts]


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


def first_error(form: forms.Form) -> str:
    """The first error message of a form, to show at the top of the page."""
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return _("Please check the form.")


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


# --- Notes ----------------------------------------------------------------------------------


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        return form_failed(request, pk, note_form=form)
    kind, body = form.cleaned_data["kind"], form.cleaned_data["body"]
    if kind == NoteKind.AGREE and body.strip():
        return action_failed(
            request,
            pk,
            InvalidInput(
                _("You have written a note: press “Add note”, or empty the box to just agree.")
            ),
            note_form=form,
        )
    try:
        note = services.note_add(actor=actor_of(request), file_id=pk, body=body, kind=kind)
    except DaftarError as exc:
        return action_failed(request, pk, exc, note_form=form)
    messages.success(
        request,
        _("Your agreement is recorded as a draft.")
        if kind == NoteKind.AGREE
        else _("Note added as a draft. It becomes final when you send the file."),
    )
    return redirect(reverse("file-detail", args=[pk]) + f"#note-{note.pk}")


def _own_draft(request: HttpRequest, pk: int) -> tuple[Note, File]:
    """The actor's own note and its file (seen through ``file_for_actor``), else 404."""
    actor = actor_of(request)
    note = (
        Note.objects.filter(pk=pk, author=actor).only("id", "file_id", "body", "is_final").first()
    )
    if note is None:
        raise Http404(_("No such note."))
    try:
        return note, file_for_actor(actor, note.file_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note, file = _own_draft(request, pk)
    template = "files/_note_edit_form.html" if is_htmx(request) else "files/note_edit.html"
    if request.method == "GET":
        if note.is_final:
            return action_failed(
                request,
                file.pk,
                Conflict(_("This note was sent on with the file and is final; it cannot change.")),
            )
        form = NoteEditForm(initial={"body": note.body})
        return render(request, template, {"form": form, "note": note, "file": file})
    form = NoteEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note was not saved: it is empty."))
        return render(
            request, "files/note_edit.html", {"form": form, "note": note, "file": file}, status=400
        )
    try:
        services.note_edit(actor=actor_of(request), note_id=pk, body=form.cleaned_data["body"])
    except DaftarError as exc:
        return action_failed(request, file.pk, exc)
    messages.success(request, _("Draft note saved."))
    return redirect(reverse("file-detail", args=[file.pk]) + f"#note-{pk}")


@login_required
@require_POST
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note, file = _own_draft(request, pk)
    try:
        services.note_delete(actor=actor_of(request), note_id=note.pk)
    except DaftarError as exc:
        return action_failed(request, file.pk, exc)
    messages.success(request, _("Draft note deleted."))
    return redirect("file-detail", pk=file.pk)


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


# --- The correspondence side: one page at a time ------------------------------------------------

PAGE_WIDTH = 1000  # pixels: sharp on a laptop, a few hundred kilobytes a page


def has_page_images(document: Document) -> bool:
    return document.content_type == PDF or document.content_type in IMAGE_TYPES


def page_png(document: Document, number: int) -> HttpResponse:
    """A page image of a document the caller has already cleared for the actor."""
    try:
        png = page_image(document, number, width=PAGE_WIDTH)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except InvalidInput as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    except BlobError:
        return HttpResponse(
            _("The stored copy of this document cannot be read; tell the administrator."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def original(document: Document) -> HttpResponseBase:
    """The original bytes (for Office files, which have no page images)."""
    try:
        content = document_bytes(document)
    except BlobError:
        return HttpResponse(
            _("The stored copy of this document cannot be read; tell the administrator."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def file_page_view(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Page ``number`` of the file's correspondence, with previous and next through the file."""
    actor = actor_of(request)
    try:
        page = correspondence_page(actor, pk, number)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DaftarError as exc:
        messages.error(request, exc.message)
        return redirect("file-detail", pk=pk)
    file = page.item.file
    opening_record(
        actor=actor,
        obj=file,
        grade=file.classification,
        holder=file.holder,
        via="page",
        page=number,
    )
    papers = correspondence_of(file)
    last = max((item.last_page for item in papers), default=number)
    document = None
    text = ""
    if page.document_id is not None:
        document = Document.objects.filter(pk=page.document_id).first()
        text = (
            DocumentPage.objects.filter(document_id=page.document_id, number=page.document_page)
            .values_list("text", flat=True)
            .first()
            or ""
        )
    context: dict[str, Any] = {
        "file": file,
        "page": page,
        "item": page.item,
        "receipt": page.item.receipt,
        "papers": papers,
        "last_page": last,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < last else None,
        "document": document,
        "has_image": document is not None and has_page_images(document),
        "text": text.strip(),
        "page_width": PAGE_WIDTH,
    }
    return render(request, "files/file_page.html", context)


@login_required
@require_POST
def file_page_copy(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Put a copy of the paper at this page onto another file the person holds."""
    actor = actor_of(request)
    form = CopyToFileForm(request.POST)
    try:
        page = correspondence_page(actor, pk, number)
        if page.item.receipt_id is None:
            raise InvalidInput(_("An office copy stays on the file it was issued from."))
        if not form.is_valid():
            raise InvalidInput(_("Choose the file to copy the paper onto."))
        item = receipt_copy_to_file(
            actor=actor, receipt_id=page.item.receipt_id, file_id=form.cleaned_data["file"]
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DaftarError as exc:
        messages.error(request, exc.message)
        return redirect("file-page", pk=pk, number=number)
    messages.success(
        request,
        _("A copy of %(diary)s is now on file %(number)s as F/%(flag)s.")
        % {"diary": item.reference, "number": item.file.number, "flag": item.flag},
    )
    return redirect("file-detail", pk=item.file_id)


@login_required
@require_GET
def file_copy_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """The files a paper of this file can be copied onto (an htmx partial)."""
    actor = actor_of(request)
    try:
        file_for_actor(actor, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    query = request.GET.get("q", "")[:200]
    choices = [f for f in files_held(actor, query) if f.pk != pk]
    return render(
        request,
        "receipts/_file_options.html",
        {"files": choices, "query": query, "copying": True},
    )


def _page_document(request: HttpRequest, pk: int, number: int, *, via: str) -> tuple[Document, int]:
    """The document at a page of a file the actor may see; its opening is logged."""
    actor = actor_of(request)
    try:
        page = correspondence_page(actor, pk, number)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DaftarError as exc:
        raise Http404(exc.message) from exc
    document = (
        Document.objects.filter(pk=page.document_id).first()
        if page.document_id is not None
        else None
    )
    if document is None:
        raise Http404(_("This page is on paper."))
    file = page.item.file
    opening_record(
        actor=actor,
        obj=document,
        grade=file.classification,
        holder=file.holder,
        via=via,
        file=file.number,
        page=number,
    )
    return document, page.document_page


@login_required
@require_GET
def file_page_image(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document, document_page = _page_document(request, pk, number, via="page image")
    return page_png(document, document_page)


@login_required
@require_GET
def file_page_original(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    document, _page = _page_document(request, pk, number, via="original")
    return original(document)
