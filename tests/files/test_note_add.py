from __future__ import annotations

import pytest

from daftar.files.models import File, Note, NoteKind
from daftar.files.services import file_open, note_add, note_delete, note_edit
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.movement.services import file_send
from tests.cast import Cast
from tests.conftest import last_event


def test_note_add_numbers_paragraphs_across_the_file(cast: Cast, file: File) -> None:
    first = note_add(actor=cast.assistant, file_id=file.pk, body="Para one.\n\nPara two.")
    second = note_add(actor=cast.assistant, file_id=file.pk, body="Para three.")
    assert [n for n, _ in first.paragraphs()] == [1, 2]
    assert second.first_para == 3
    assert last_event(second, "note.add").after == {
        "file": file.number,
        "kind": "text",
        "body": "Para three.",
    }


def test_agreement_is_a_note_without_a_paragraph(cast: Cast, file: File) -> None:
    note_add(actor=cast.assistant, file_id=file.pk, body="Proposal.")
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    agree = note_add(actor=cast.section_officer, file_id=file.pk, kind=NoteKind.AGREE)
    assert agree.para_count == 0 and agree.body == ""
    following = note_add(actor=cast.section_officer, file_id=file.pk, body="Further.")
    assert following.first_para == 2


def test_draft_edit_and_delete_renumber_later_drafts(cast: Cast, file: File) -> None:
    a = note_add(actor=cast.assistant, file_id=file.pk, body="A.\n\nA2.")
    b = note_add(actor=cast.assistant, file_id=file.pk, body="B.")
    note_edit(actor=cast.assistant, note_id=a.pk, body="A only.")
    b.refresh_from_db()
    assert b.first_para == 2
    note_delete(actor=cast.assistant, note_id=a.pk)
    b.refresh_from_db()
    assert b.first_para == 1
    assert last_event(a, "note.delete").before == {"file": file.number, "body": "A only."}


def test_sending_makes_notes_final_and_unchangeable(cast: Cast, file: File) -> None:
    note = note_add(actor=cast.assistant, file_id=file.pk, body="Proposal.")
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    note.refresh_from_db()
    assert note.is_final and note.finalised_at is not None
    with pytest.raises(Conflict):  # the file is no longer with the author's post
        note_edit(actor=cast.assistant, note_id=note.pk, body="Changed.")
    file_send(actor=cast.section_officer, file_id=file.pk, to_post_id=cast.assistant_post.pk)
    with pytest.raises(Conflict, match="final"):
        note_edit(actor=cast.assistant, note_id=note.pk, body="Changed.")
    with pytest.raises(Conflict, match="final"):
        note_delete(actor=cast.assistant, note_id=note.pk)
    note.refresh_from_db()
    assert note.body == "Proposal."


def test_only_the_author_may_touch_a_draft(cast: Cast, file: File) -> None:
    note = note_add(actor=cast.assistant, file_id=file.pk, body="Mine.")
    with pytest.raises(NotFound):
        note_edit(actor=cast.outsider, note_id=note.pk, body="Theirs.")
    with pytest.raises(Conflict):  # sees the file (above the assistant), does not hold it
        note_delete(actor=cast.section_officer, note_id=note.pk)


def test_note_add_refuses_bad_input_and_non_holders(cast: Cast, file: File) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        note_add(actor=cast.assistant, file_id=file.pk, body="  \n\n ")
    with pytest.raises(Conflict):  # the section officer sees the file but does not hold it
        note_add(actor=cast.section_officer, file_id=file.pk, body="Too early.")
    with pytest.raises(NotFound):
        note_add(actor=cast.outsider, file_id=file.pk, body="Hello.")
    assert not Note.objects.exists()


def test_physical_file_takes_no_electronic_notes(cast: Cast) -> None:
    paper = file_open(
        actor=cast.assistant,
        post_id=cast.assistant_post.pk,
        subject="Old land records",
        is_physical=True,
    )
    with pytest.raises(InvalidInput, match="physical"):
        note_add(actor=cast.assistant, file_id=paper.pk, body="x")


def test_an_entry_written_final_precedes_older_drafts(cast: Cast, file: File) -> None:
    from django.db import transaction

    from daftar.files.selectors import notes_of
    from daftar.files.services import note_record_final

    note_add(actor=cast.assistant, file_id=file.pk, body="Sent on.")
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    draft = note_add(actor=cast.section_officer, file_id=file.pk, body="D1.\n\nD2.")
    with transaction.atomic():
        entry = note_record_final(
            actor=cast.section_officer, file=file, post=cast.so_post, body="DFA-1 approved."
        )
    draft.refresh_from_db()
    assert (entry.first_para, entry.is_final, entry.kind) == (2, True, NoteKind.ENTRY)
    assert draft.first_para == 3
    assert [n.pk for n in notes_of(file)][-2:] == [entry.pk, draft.pk]
    file_send(actor=cast.section_officer, file_id=file.pk, to_post_id=cast.assistant_post.pk)
    later = note_add(actor=cast.assistant, file_id=file.pk, body="After.")
    assert later.first_para == 5  # after the draft made final, not after the entry
