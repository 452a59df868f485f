"""The ladder (levels.level_of): each threshold edge, shares with nothing behind them, and
the reason in words for levels 0 to 4. Pure: no database."""

from __future__ import annotations

from typing import Any

import pytest

from daftar.adoption.levels import level_of
from daftar.adoption.models import AdoptionPolicy, MonthlyFigures

POLICY = AdoptionPolicy()  # the published defaults


def figures(**counts: Any) -> MonthlyFigures:
    """A month at level 4 with room to spare, changed by ``counts``: E 100%, R 100%, D 100%,
    X 100%, every post staffed, everybody trained and active."""
    base: dict[str, Any] = {
        "posts": 10,
        "posts_staffed": 10,
        "people": 10,
        "people_trained": 10,
        "people_active": 10,
        "notes_electronic": 50,
        "moves_electronic": 50,
        "moves_physical": 0,
        "receipts_electronic": 100,
        "receipts_physical": 0,
        "letters_signed": 100,
        "letters_paper": 0,
        "external_electronic": 100,
        "external_paper": 0,
    }
    return MonthlyFigures(**{**base, **counts})


def level(**counts: Any) -> int:
    return level_of(figures(**counts), POLICY)[0]


def reason(**counts: Any) -> str:
    return level_of(figures(**counts), POLICY)[1]


# Level 1 ---------------------------------------------------------------------------------


def test_no_active_people_is_level_0() -> None:
    assert level_of(figures(people_active=0), POLICY) == (0, "level 0: no active people")


def test_staffed_49_of_100_fails_and_50_of_100_passes() -> None:
    assert level(posts=100, posts_staffed=49) == 0
    assert reason(posts=100, posts_staffed=49) == (
        "level 0: 49 of 100 posts staffed; level 1 needs 50% of posts staffed and T ≥ 50%"
    )
    assert level(posts=100, posts_staffed=50) == 4


def test_trained_just_below_half_fails_and_half_passes() -> None:
    assert level(people=1000, people_active=1000, people_trained=499) == 0
    assert reason(people=1000, people_active=1000, people_trained=499) == (
        "level 0: T is 49.9%; level 1 needs 50% of posts staffed and T ≥ 50%"
    )
    assert level(people=1000, people_active=1000, people_trained=500) == 4


def test_level_1_when_e_is_below_a_quarter() -> None:
    # E = 24 / 100
    counts = {"notes_electronic": 4, "moves_electronic": 20, "moves_physical": 76}
    assert level(**counts) == 1
    assert reason(**counts, posts_staffed=8, people_trained=6) == (
        "level 1: 8 of 10 posts staffed, T 60%; level 2 needs R ≥ 50% and E ≥ 25%: E is 24%"
    )


# Level 2 ---------------------------------------------------------------------------------


def test_e_at_exactly_25_percent_reaches_level_2() -> None:
    assert level(notes_electronic=0, moves_electronic=25, moves_physical=75) == 2


def test_r_just_below_half_stays_at_level_1() -> None:
    assert level(receipts_electronic=499, receipts_physical=501) == 1
    assert level(receipts_electronic=500, receipts_physical=500) == 2


def test_e_with_no_file_work_fails_every_rule_on_e() -> None:
    assert level(notes_electronic=0, moves_electronic=0, moves_physical=0) == 1
    assert reason(notes_electronic=0, moves_electronic=0, moves_physical=0) == (
        "level 1: 10 of 10 posts staffed, T 100%; level 2 needs R ≥ 50% and E ≥ 25%: "
        "no file work this month"
    )


# Level 3 ---------------------------------------------------------------------------------


def test_e_749_per_mille_is_level_2_and_750_is_level_3() -> None:
    assert level(notes_electronic=0, moves_electronic=749, moves_physical=251) == 2
    assert level(notes_electronic=0, moves_electronic=750, moves_physical=250) == 3


def test_a_failing_share_is_never_shown_rounded_up_to_its_threshold_anywhere() -> None:
    counts = {"notes_electronic": 0, "moves_electronic": 749, "moves_physical": 251}
    assert reason(**counts, receipts_electronic=60, receipts_physical=40) == (
        "level 2: R 60%, E 74.9%; level 3 needs E ≥ 75% and R ≥ 75%: E is 74.9%, R is 60%"
    )


def test_r_just_below_three_quarters_stays_at_level_2() -> None:
    assert level(receipts_electronic=7499, receipts_physical=2501) == 2
    assert level(receipts_electronic=75, receipts_physical=25) == 3


def test_r_with_no_receipts_passes_and_says_so() -> None:
    counts = {"receipts_electronic": 0, "receipts_physical": 0}
    assert level(**counts, moves_physical=50) == 2  # E 66.7%
    assert reason(**counts, moves_physical=50) == (
        "level 2: no receipts this month, E 67%; level 3 needs E ≥ 75% and R ≥ 75%: E is 67%"
    )


# Level 4 ---------------------------------------------------------------------------------


def test_level_3_reason_names_what_level_4_needs() -> None:
    counts = {
        "notes_electronic": 0,
        "moves_electronic": 81,
        "moves_physical": 19,
        "receipts_electronic": 90,
        "receipts_physical": 10,
        "letters_signed": 62,
        "letters_paper": 38,
        "external_electronic": 40,
        "external_paper": 60,
    }
    assert level_of(figures(**counts), POLICY) == (
        3,
        "level 3: E 81%, R 90%; level 4 needs E ≥ 95%, R ≥ 95%, D ≥ 90% and X ≥ 90%: "
        "E is 81%, R is 90%, D is 62%, X is 40%",
    )


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"moves_physical": 6}, 3),  # E 100/106 = 94.3%
        ({"moves_physical": 5, "notes_electronic": 45}, 4),  # E 95/100
        ({"receipts_electronic": 94, "receipts_physical": 5}, 3),  # R 94.9%
        ({"receipts_electronic": 95, "receipts_physical": 5}, 4),
        ({"letters_signed": 899, "letters_paper": 101}, 3),  # D 89.9%
        ({"letters_signed": 90, "letters_paper": 10}, 4),
        ({"external_electronic": 899, "external_paper": 101}, 3),  # X 89.9%
        ({"external_electronic": 9, "external_paper": 1}, 4),
    ],
)
def test_each_level_4_threshold_edge(counts: dict[str, int], expected: int) -> None:
    assert level(**counts) == expected


def test_level_4_reason() -> None:
    counts = {
        "notes_electronic": 0,
        "moves_electronic": 97,
        "moves_physical": 3,
        "letters_signed": 95,
        "letters_paper": 5,
        "external_electronic": 92,
        "external_paper": 8,
    }
    assert reason(**counts) == "level 4: E 97%, R 100%, D 95%, X 92%"


def test_no_letters_pass_d_and_x_and_say_so() -> None:
    counts = {"letters_signed": 0, "external_electronic": 0}
    assert reason(**counts) == (
        "level 4: E 100%, R 100%, no letters this month, "
        "no letters to other organisations this month"
    )


def test_thresholds_come_from_the_policy() -> None:
    strict = AdoptionPolicy(l4_signed_min=100)
    month = figures(letters_signed=99, letters_paper=1)
    assert level_of(month, strict)[0] == 3
    assert level_of(month, POLICY)[0] == 4
