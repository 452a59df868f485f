from __future__ import annotations

import datetime as dt

import pytest

from daftar.files.models import File
from daftar.files.services import file_open
from daftar.lib import clock
from daftar.lib.errors import InvalidInput, NotFound
from daftar.movement.models import Action
from tests.cast import Cast
from tests.conftest import last_event


def test_file_open_numbers_by_unit_scheme_and_holds_at_post(cast: Cast) -> None:
    first = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Dams")
    second = file_open(
        actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Canals", head="7"
    )
    year = first.year
    assert first.number == f"1-1/{year}-D-I"
    assert second.number == f"7-2/{year}-D-I"
    assert first.holder == cast.assistant_post
    assert first.current_movement is not None
    assert first.current_movement.action == Action.OPEN
    event = last_event(first, "file.open")
    assert event.actor == cast.assistant
    assert event.post == cast.assistant_post
    assert event.after is not None and event.after["number"] == first.number


def test_file_open_refuses_a_post_the_actor_does_not_hold(cast: Cast) -> None:
    with pytest.raises(NotFound):
        file_open(actor=cast.outsider, post_id=cast.assistant_post.pk, subject="Dams")
    assert not File.objects.exists()


def test_file_open_refuses_empty_subject_and_keeps_serial(cast: Cast) -> None:
    with pytest.raises(InvalidInput, match="subject"):
        file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="   ")
    created = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Dams")
    assert created.serial == 1  # the failed attempt took no number: no gap


def test_file_numbers_follow_the_organisations_calendar_year(cast: Cast) -> None:
    """New Year's night in Karachi (UTC+5) is still 31 December in UTC."""
    with clock.frozen_at(dt.datetime(2026, 12, 31, 18, 30, tzinfo=dt.UTC)):  # 23:30 PKT
        december = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="A")
    with clock.frozen_at(dt.datetime(2026, 12, 31, 21, 0, tzinfo=dt.UTC)):  # 02:00 PKT
        january = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="B")
    assert (december.year, december.serial) == (2026, 1)
    assert (january.year, january.serial) == (2027, 1)  # a new year starts a new series
    assert january.number == "1-1/2027-D-I"
