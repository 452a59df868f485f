from __future__ import annotations

import datetime as dt

import pytest

from daftar.files.models import File, FileStatus
from daftar.files.selectors import file_for_actor
from daftar.files.services import file_close, file_park, file_reopen
from daftar.lib import clock
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.movement.models import Action, Movement
from daftar.movement.services import file_mark_read, file_pull_back, file_return, file_send
from tests.cast import Cast
from tests.conftest import last_event


def test_put_up_mark_down_send_across_and_return(cast: Cast, file: File) -> None:
    up = file_send(
        actor=cast.assistant,
        file_id=file.pk,
        to_post_id=cast.so_post.pk,
        remarks="Submitted for orders.",
    )
    assert up.action == Action.PUT_UP
    up2 = file_send(actor=cast.section_officer, file_id=file.pk, to_post_id=cast.secretary_post.pk)
    assert up2.action == Action.PUT_UP  # skipping a level is still "up"
    down = file_send(actor=cast.secretary, file_id=file.pk, to_post_id=cast.assistant_post.pk)
    assert down.action == Action.MARK_DOWN
    across = file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.registry_post.pk)
    assert across.action == Action.SEND_ACROSS
    back = file_return(actor=cast.registry_clerk, file_id=file.pk, remarks="Diarised.")
    assert back.action == Action.RETURN and back.to_post == cast.assistant_post
    file.refresh_from_db()
    assert file.holder == cast.assistant_post
    event = last_event(file, "file.return")
    assert event.actor == cast.registry_clerk and event.post == cast.registry_post
    assert event.before == {"holder": cast.registry_post.code, "status": "open"}
    assert event.after is not None and event.after["holder"] == cast.assistant_post.code


def test_only_the_holder_may_send(cast: Cast, file: File) -> None:
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    with pytest.raises(Conflict, match="now with Section Officer"):
        file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.ds_post.pk)
    with pytest.raises(NotFound):
        file_send(actor=cast.outsider, file_id=file.pk, to_post_id=cast.ds_post.pk)
    file.refresh_from_db()
    assert file.holder == cast.so_post
    assert file.movements.count() == 2


def test_send_refuses_bad_input_and_changes_nothing(cast: Cast, file: File) -> None:
    with pytest.raises(InvalidInput, match="already with this post"):
        file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.assistant_post.pk)
    with pytest.raises(InvalidInput, match="No such post"):
        file_send(actor=cast.assistant, file_id=file.pk, to_post_id=999_999)
    yesterday = clock.now().date() - dt.timedelta(days=1)
    with pytest.raises(InvalidInput, match="past"):
        file_send(
            actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk, due_on=yesterday
        )
    with pytest.raises(InvalidInput, match="priority"):
        file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk, priority=42)
    file.refresh_from_db()
    assert file.holder == cast.assistant_post and file.movements.count() == 1


def test_pull_back_only_before_opening(cast: Cast, file: File) -> None:
    sent = file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    pulled = file_pull_back(actor=cast.assistant, file_id=file.pk)
    assert pulled.pk == sent.pk
    file.refresh_from_db()
    assert file.holder == cast.assistant_post
    assert file.current_movement_id == sent.previous_id
    assert last_event(file, "file.pull_back").actor == cast.assistant
    # The section officer still reads it (above the assistant), but the pulled-back send is
    # not theirs to open.
    assert file_mark_read(actor=cast.section_officer, file_id=file.pk) is False

    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    assert file_mark_read(actor=cast.section_officer, file_id=file.pk) is True
    assert file_mark_read(actor=cast.section_officer, file_id=file.pk) is False
    with pytest.raises(Conflict, match="already opened"):
        file_pull_back(actor=cast.assistant, file_id=file.pk)
    with pytest.raises(Conflict, match="Only the post that sent"):
        file_pull_back(actor=cast.section_officer, file_id=file.pk)


def test_closed_file_cannot_move_until_reopened_by_owning_unit(cast: Cast, file: File) -> None:
    file_close(actor=cast.assistant, file_id=file.pk)
    with pytest.raises(Conflict, match="closed"):
        file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    file_reopen(actor=cast.assistant, file_id=file.pk)
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.secretary_post.pk)
    with pytest.raises(Conflict, match="owns this file"):
        file_close(actor=cast.secretary, file_id=file.pk)  # the Division is not the section


def test_sending_a_parked_file_unparks_it(cast: Cast, file: File) -> None:
    file_park(actor=cast.assistant, file_id=file.pk)
    assert last_event(file, "file.park").after == {"status": "parked"}
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    file.refresh_from_db()
    assert file.status == FileStatus.OPEN
    assert Movement.objects.filter(file=file).count() == 2


def test_a_pulled_back_send_leaves_the_receiver_nothing(cast: Cast, file: File) -> None:
    # Another ministry's desk: nothing but the send could let it see the file.
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.outsider_post.pk)
    assert file_for_actor(cast.outsider, file.pk) == file
    file_pull_back(actor=cast.assistant, file_id=file.pk)
    with pytest.raises(NotFound):
        file_mark_read(actor=cast.outsider, file_id=file.pk)
