"""Acting on a received file opens it: the sender can no longer pull it back.

Regression: a receiver could add a note (or park, or send on) without the file ever being
marked read; the sender then pulled it back and the receiver's draft stayed on the note sheet
of a file their post, by the record, never received, and became final on the next send.
"""

from __future__ import annotations

import pytest

from daftar.files.models import File, FileStatus
from daftar.files.services import file_park, note_add
from daftar.lib.errors import Conflict, InvalidInput
from daftar.movement.models import Movement
from daftar.movement.services import file_pull_back, file_send
from tests.cast import Cast


def test_writing_a_note_opens_the_file_and_ends_pull_back(cast: Cast, file: File) -> None:
    sent = file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    note_add(actor=cast.section_officer, file_id=file.pk, body="Seen; put up to DS.")
    sent.refresh_from_db()
    assert sent.read_at is not None and sent.read_by == cast.section_officer
    with pytest.raises(Conflict, match="already opened"):
        file_pull_back(actor=cast.assistant, file_id=file.pk)
    file.refresh_from_db()
    assert file.holder == cast.so_post


def test_parking_or_sending_on_opens_the_file(cast: Cast, file: File) -> None:
    to_so = file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    file_park(actor=cast.section_officer, file_id=file.pk)
    to_so.refresh_from_db()
    assert to_so.read_at is not None
    to_ds = file_send(actor=cast.section_officer, file_id=file.pk, to_post_id=cast.ds_post.pk)
    file_send(actor=cast.deputy_secretary, file_id=file.pk, to_post_id=cast.secretary_post.pk)
    to_ds.refresh_from_db()
    assert to_ds.read_at is not None and to_ds.read_by == cast.deputy_secretary
    # The DS pulls back from the Secretary (unopened); the SO cannot then pull back from the
    # DS, who worked on it.
    file_pull_back(actor=cast.deputy_secretary, file_id=file.pk)
    with pytest.raises(Conflict, match="already opened"):
        file_pull_back(actor=cast.section_officer, file_id=file.pk)
    file.refresh_from_db()
    assert file.holder == cast.ds_post and file.status == FileStatus.OPEN


def test_a_refused_action_does_not_open_the_file(cast: Cast, file: File) -> None:
    sent = file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    with pytest.raises(InvalidInput):
        note_add(actor=cast.section_officer, file_id=file.pk, body="   ")
    assert Movement.objects.get(pk=sent.pk).read_at is None
    file_pull_back(actor=cast.assistant, file_id=file.pk)
    file.refresh_from_db()
    assert file.holder == cast.assistant_post
