"""The index follows files and notes in the services' own transactions."""

from __future__ import annotations

from daftar.files.models import File
from daftar.files.services import note_add
from daftar.lib import clock
from daftar.movement.services import file_send
from daftar.search.models import Entry
from daftar.search.text import fold_ref
from tests.cast import Cast


def test_a_file_and_its_sent_note_are_entries(cast: Cast, file: File) -> None:
    entry = Entry.objects.get(key=f"file:{file.pk}")
    assert entry.kind == "file"
    assert entry.file_id == file.pk
    assert entry.title == f"{file.number} Construction of small dams in Potohar region"
    assert entry.refs == fold_ref(file.number)
    assert entry.body == ""
    assert entry.dated == clock.now().astimezone().date() or entry.dated

    note = note_add(actor=cast.assistant, file_id=file.pk, body="Dams near Chakwal.")
    assert not Entry.objects.filter(key=f"note:{note.pk}").exists()  # yellow: not yet
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    entry = Entry.objects.get(key=f"note:{note.pk}")
    assert (entry.kind, entry.file_id, entry.note_id, entry.body, entry.subtype) == (
        "note",
        file.pk,
        note.pk,
        "Dams near Chakwal.",
        "text",
    )
