"""The note screens: write a note on a file's sheet, and edit or delete one's own draft."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daftar.files import services
from daftar.files.forms import NoteEditForm, NoteForm
from daftar.files.models import File, Note, NoteKind
from daftar.files.selectors import file_for_actor
from daftar.files.views import action_failed, form_failed
from daftar.files.views_shared import actor_of, is_htmx
from daftar.lib.errors import Conflict, DaftarError, InvalidInput, NotFound


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
