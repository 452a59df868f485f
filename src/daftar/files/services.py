"""State changes of files and notes. Each owns its transaction and writes its audit event."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.files.models import (
    Classification,
    File,
    FileStatus,
    Note,
    NoteKind,
    Priority,
    split_paragraphs,
)
from daftar.files.note_signatures import notes_sign
from daftar.files.selectors import file_for_actor
from daftar.lib import clock
from daftar.lib.changes import changed
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.movement.models import Action, Movement
from daftar.org.clearance import not_cleared_message
from daftar.org.models import OrgUnit, Post, User
from daftar.org.selectors import organisation_of, post_ids_held
from daftar.org.services import sequence_next


def _file_number(unit: OrgUnit, *, head: str, serial: int, year: int) -> str:
    try:
        return unit.file_number_template.format(head=head, serial=serial, year=year, unit=unit.code)
    except (KeyError, IndexError, ValueError) as exc:
        raise InvalidInput(
            _(
                "The file number template of %(unit)s is not valid: %(error)s. "
                "Ask the organisation admin to correct it."
            )
            % {"unit": unit.code, "error": exc}
        ) from exc


def held_post(actor: User, file: File) -> Post:
    """The post through which ``actor`` acts on ``file``: it must be the holder.

    Acting on a file opens it: the send that brought it is marked read (if it was not yet), so
    the sender can no longer pull back a file the receiver has already written on, parked or
    sent on. Runs inside the calling service's transaction, under the file's row lock, so a
    refused action rolls the mark back with everything else.
    """
    if file.holder_id not in post_ids_held(actor):
        raise Conflict(
            _("This file is now with %(post)s, not with your post.") % {"post": file.holder}
        )
    if file.current_movement_id is not None and file.inbox_unread:
        Movement.objects.filter(pk=file.current_movement_id, read_at__isnull=True).update(
            read_at=clock.now(), read_by=actor
        )
        file.inbox_unread = False
        file.save(update_fields=["inbox_unread"])
    return file.holder


@transaction.atomic(durable=True)
def file_open(
    *,
    actor: User,
    post_id: int,
    subject: str,
    classification: int = Classification.UNCLASSIFIED,
    priority: int = Priority.ROUTINE,
    head: str = "",
    is_physical: bool = False,
) -> File:
    """Open a new file at one of the actor's posts, numbered by its unit's scheme."""
    return open_file_in_transaction(
        actor=actor,
        post_id=post_id,
        subject=subject,
        classification=classification,
        priority=priority,
        head=head,
        is_physical=is_physical,
    )


def open_file_in_transaction(
    *,
    actor: User,
    post_id: int,
    subject: str,
    classification: int,
    priority: int,
    head: str,
    is_physical: bool,
) -> File:
    """``file_open`` inside a caller's transaction (opening a file from a receipt)."""
    if post_id not in post_ids_held(actor):
        raise NotFound(_("You do not hold that post."))
    subject = " ".join(subject.split())
    if not subject:
        raise InvalidInput(_("A file needs a subject."))
    if len(subject) > 500:
        raise InvalidInput(_("The subject is longer than 500 characters."))
    if classification not in Classification.values or priority not in Priority.values:
        raise InvalidInput(_("Unknown classification or priority."))
    if classification > actor.clearance:
        raise InvalidInput(not_cleared_message(classification))
    post = Post.objects.select_related("unit").get(pk=post_id)
    unit = post.unit
    head = head.strip() or unit.default_file_head
    now = clock.now()
    # The numbering year is the organisation's calendar year: 1 January 02:00 in Karachi is
    # still 31 December in UTC.
    year = now.astimezone(ZoneInfo(organisation_of(unit).time_zone)).year
    serial = sequence_next(key=f"file:{unit.pk}:{year}")
    number = _file_number(unit, head=head, serial=serial, year=year)
    if File.objects.filter(number=number).exists():
        raise InvalidInput(
            _("File number %(number)s is taken; check the unit's number template.")
            % {"number": number}
        )
    file = File.objects.create(
        number=number,
        subject=subject,
        unit=unit,
        head=head,
        year=year,
        serial=serial,
        classification=classification,
        priority=priority,
        is_physical=is_physical,
        holder=post,
        created_by=actor,
        created_at=now,
    )
    opening = Movement.objects.create(
        file=file,
        action=Action.OPEN,
        to_post=post,
        sent_by=actor,
        sent_at=now,
        priority=priority,
        read_at=now,
        read_by=actor,
    )
    file.current_movement = opening
    file.save(update_fields=["current_movement", *file.mirror_current(opening)])
    event_record(
        actor=actor,
        post=post,
        action="file.open",
        obj=file,
        after={
            "number": number,
            "subject": subject,
            "classification": classification,
            "is_physical": is_physical,
        },
    )
    changed("file", [file.pk])
    return file


def _set_status(
    actor: User,
    file_id: int,
    *,
    allowed_from: set[str],
    to: str,
    action: str,
    owning_unit_only: bool = False,
) -> File:
    file = file_for_actor(actor, file_id, for_update=True)
    post = held_post(actor, file)
    if file.status not in allowed_from:
        raise Conflict(
            _("That cannot be done now: the file is %(status)s.")
            % {"status": file.get_status_display().lower()}
        )
    if owning_unit_only and post.unit_id != file.unit_id:
        raise Conflict(
            _("Only %(unit)s, which owns this file, can close or reopen it.")
            % {"unit": file.unit.name}
        )
    before = {"status": file.status}
    file.status = to
    file.closed_at = clock.now() if to == FileStatus.CLOSED else None
    file.save(update_fields=["status", "closed_at"])
    event_record(
        actor=actor,
        post=post,
        action=f"file.{action}",
        obj=file,
        before=before,
        after={"status": to},
    )
    return file


@transaction.atomic(durable=True)
def file_park(*, actor: User, file_id: int) -> File:
    return _set_status(
        actor, file_id, allowed_from={FileStatus.OPEN}, to=FileStatus.PARKED, action="park"
    )


@transaction.atomic(durable=True)
def file_unpark(*, actor: User, file_id: int) -> File:
    return _set_status(
        actor, file_id, allowed_from={FileStatus.PARKED}, to=FileStatus.OPEN, action="unpark"
    )


@transaction.atomic(durable=True)
def file_close(*, actor: User, file_id: int) -> File:
    return _set_status(
        actor,
        file_id,
        allowed_from={FileStatus.OPEN, FileStatus.PARKED},
        to=FileStatus.CLOSED,
        action="close",
        owning_unit_only=True,
    )


@transaction.atomic(durable=True)
def file_reopen(*, actor: User, file_id: int) -> File:
    return _set_status(
        actor,
        file_id,
        allowed_from={FileStatus.CLOSED},
        to=FileStatus.OPEN,
        action="reopen",
        owning_unit_only=True,
    )


# --- The note sheet ---------------------------------------------------------------------


def _writable_file(actor: User, file_id: int) -> tuple[File, Post]:
    file = file_for_actor(actor, file_id, for_update=True)
    post = held_post(actor, file)
    if file.is_physical:
        raise InvalidInput(_("This is a physical file: its notes are written on paper."))
    if file.status == FileStatus.CLOSED:
        raise Conflict(_("The file is closed; reopen it before writing on it."))
    return file, post


def _next_final_para(file: File) -> int:
    """The paragraph number after the last final note's."""
    last = file.notes.filter(is_final=True).aggregate(end=Max(F("first_para") + F("para_count")))
    return int(last["end"] or 1)


def _renumber_drafts(file: File) -> None:
    """Drafts always follow the final notes; keep their paragraph numbers continuous."""
    next_para = _next_final_para(file)
    for draft in file.notes.filter(is_final=False).order_by("id"):
        if draft.first_para != next_para:
            draft.first_para = next_para
            draft.save(update_fields=["first_para"])
        next_para += draft.para_count


def note_record_final(*, actor: User, file: File, post: Post, body: str) -> Note:
    """Write an entry that is final at once (a draft's approval, a letter's issue), inside the
    caller's transaction, with ``file`` locked by it. It takes the next paragraph after the
    final notes; the drafts on the sheet move down after it."""
    now = clock.now()
    note = Note.objects.create(
        file=file,
        author=actor,
        post=post,
        kind=NoteKind.ENTRY,
        body=body,
        first_para=_next_final_para(file),
        para_count=1,
        is_final=True,
        created_at=now,
        updated_at=now,
        finalised_at=now,
    )
    _renumber_drafts(file)
    notes_sign([note], file_number=file.number)
    changed("note", [note.pk])
    return note


def _body_and_count(kind: str, body: str) -> tuple[str, int]:
    if kind == NoteKind.AGREE:
        return "", 0
    if kind != NoteKind.TEXT:
        raise InvalidInput(_("Unknown note kind %(kind)r.") % {"kind": kind})
    paragraphs = split_paragraphs(body)
    if not paragraphs:
        raise InvalidInput(_('The note is empty. Write something, or choose "I agree".'))
    return "\n\n".join(paragraphs), len(paragraphs)


@transaction.atomic(durable=True)
def note_add(*, actor: User, file_id: int, body: str = "", kind: str = NoteKind.TEXT) -> Note:
    file, post = _writable_file(actor, file_id)
    body, count = _body_and_count(kind, body)
    now = clock.now()
    note = Note.objects.create(
        file=file,
        author=actor,
        post=post,
        kind=kind,
        body=body,
        para_count=count,
        created_at=now,
        updated_at=now,
    )
    _renumber_drafts(file)
    note.refresh_from_db(fields=["first_para"])
    event_record(
        actor=actor,
        post=post,
        action="note.add",
        obj=note,
        after={"file": file.number, "kind": kind, "body": body},
    )
    return note


def _own_draft(actor: User, note_id: int) -> tuple[Note, File, Post]:
    note = Note.objects.filter(pk=note_id).only("file_id").first()
    if note is None:
        raise NotFound(_("No such note."))
    file, post = _writable_file(actor, note.file_id)
    note = Note.objects.get(pk=note_id)
    if note.author_id != actor.pk:
        raise NotFound(_("No such note."))  # another person's draft is theirs alone
    if note.is_final:
        raise Conflict(_("This note was sent on with the file and is final; it cannot change."))
    if note.kind == NoteKind.RECEIPT:
        raise Conflict(_("This entry records a paper put on the file; it cannot change."))
    if note.post_id != post.pk:
        raise Conflict(_("This draft was written at another post."))
    return note, file, post


@transaction.atomic(durable=True)
def note_edit(*, actor: User, note_id: int, body: str) -> Note:
    note, file, post = _own_draft(actor, note_id)
    before = {"body": note.body}
    note.body, note.para_count = _body_and_count(NoteKind.TEXT, body)
    note.kind = NoteKind.TEXT
    note.updated_at = clock.now()
    note.save(update_fields=["body", "para_count", "kind", "updated_at"])
    _renumber_drafts(file)
    note.refresh_from_db(fields=["first_para"])
    event_record(
        actor=actor,
        post=post,
        action="note.edit",
        obj=note,
        before=before,
        after={"body": note.body},
    )
    return note


@transaction.atomic(durable=True)
def note_delete(*, actor: User, note_id: int) -> None:
    note, file, post = _own_draft(actor, note_id)
    event_record(
        actor=actor,
        post=post,
        action="note.delete",
        obj=note,
        before={"file": file.number, "body": note.body},
    )
    note.delete()
    _renumber_drafts(file)


def notes_finalise(file: File) -> int:
    """Make every draft on the file final and sign each with its author's key, inside the
    send's transaction (unsigned only while the instance has no CA: ``notes_sign``)."""
    drafts = list(file.notes.filter(is_final=False).select_related("author", "post"))
    if not drafts:
        return 0
    now = clock.now()
    file.notes.filter(pk__in=[note.pk for note in drafts]).update(is_final=True, finalised_at=now)
    for note in drafts:
        note.is_final, note.finalised_at = True, now
    notes_sign(drafts, file_number=file.number)
    changed("note", [note.pk for note in drafts])
    return len(drafts)
