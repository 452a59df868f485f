"""Letters signed on paper: who may enter one (who may read the unit's register), the paper
channels only, no future date, a file the person may see; the number from the unit's one
dispatch series shared with electronic letters; every refusal changes nothing (and gives no
number away); the audit event; the form and the register rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from daftar.audit.models import AuditEvent
from daftar.dispatch.models import Dispatch, PaperLetter
from daftar.dispatch.paper import paper_letter_record, paper_register_of
from daftar.dispatch.services import letter_issue
from daftar.files.models import Classification, File
from daftar.files.services import file_open
from daftar.lib import clock
from daftar.lib.errors import DaftarError, InvalidInput, NotFound
from daftar.org import services as org
from daftar.org.models import Sequence, User
from tests.accounts.helpers import sign_in
from tests.cast import PASSWORD, Cast
from tests.conftest import last_event
from tests.dispatch.conftest import Planning, after, approved, signed, to_org

# 10:00 on 20 May 2026 in Islamabad.
MORNING = dt.datetime(2026, 5, 20, 5, 0, tzinfo=dt.UTC)


def enter(actor: User, unit_id: int, **given: Any) -> PaperLetter:
    values: dict[str, Any] = {
        "letter_number": "No. WR-7(12)/2026",
        "letter_date": dt.date(2026, 5, 19),
        "subject": "Release of funds for small dams",
        "addressee": "The Chairman, WAPDA, Lahore",
        "channel": "courier",
    }
    values.update(given)
    with clock.frozen_at(MORNING):
        return paper_letter_record(actor=actor, unit_id=unit_id, **values)


def state() -> tuple[int, int, list[int]]:
    return (
        PaperLetter.objects.count(),
        AuditEvent.objects.count(),
        list(Sequence.objects.order_by("key").values_list("last_value", flat=True)),
    )


def test_a_paper_letter_takes_the_next_number_of_the_units_one_series(
    cast: Cast, file: File, planning: Planning
) -> None:
    wing = cast.ds_post.unit
    first = enter(cast.deputy_secretary, wing.pk, file_id=file.pk, organisation_id=None)
    assert (first.serial, first.year, first.number) == (1, 2026, "D-1/2026-DEV")
    assert first.file == file and first.channel == "courier"
    assert first.recorded_by == cast.deputy_secretary and first.recorded_post == cast.ds_post
    assert first.recorded_at == MORNING
    event = last_event(first, "dispatch.paper_record")
    assert event.actor == cast.deputy_secretary and event.post == cast.ds_post
    assert after(event) == {
        "number": "D-1/2026-DEV",
        "unit": "DEV",
        "letter_date": "2026-05-19",
        "channel": "courier",
        "organisation": None,
        "file": file.number,
        "letter_number": "No. WR-7(12)/2026",
        "subject": "Release of funds for small dams",
        "addressee": "The Chairman, WAPDA, Lahore",
    }

    # An electronic letter issued now from the same unit takes the next serial of the series.
    other = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Canals")
    draft = approved(cast, other, [to_org(planning.division)])
    signed(cast, draft)
    with clock.frozen_at(MORNING):
        dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk)
        third = enter(
            cast.deputy_secretary,
            wing.pk,
            channel="hand",
            organisation_id=planning.division.pk,
            addressee="The Secretary, Planning Division",
        )
    assert dispatch.serial == 2 and third.serial == 3 and third.organisation == planning.division
    assert Sequence.objects.get(key=f"dispatch:{wing.pk}:2026").last_value == 3


def test_an_electronic_letter_never_takes_a_number_a_paper_letter_holds(
    cast: Cast, planning: Planning
) -> None:
    wing = cast.ds_post.unit
    enter(cast.deputy_secretary, wing.pk)
    # The series set back (a restored backup, a hand edit): the next number is D-1 again.
    Sequence.objects.filter(key=f"dispatch:{wing.pk}:2026").update(last_value=0)
    other = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Canals")
    draft = approved(cast, other, [to_org(planning.division)])
    signed(cast, draft)
    with clock.frozen_at(MORNING), pytest.raises(InvalidInput, match="D-1/2026-DEV is taken"):
        letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk)
    assert not Dispatch.objects.exists()
    assert Sequence.objects.get(key=f"dispatch:{wing.pk}:2026").last_value == 0


def test_the_registry_clerk_enters_letters_for_every_unit_of_the_division(cast: Cast) -> None:
    letter = enter(cast.registry_clerk, cast.section.pk, channel="post")
    assert letter.number == "D-1/2026-D-I" and letter.recorded_post == cast.registry_post


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("outsider", NotFound),
        ("no such unit", NotFound),
        ("channel email", InvalidInput),
        ("channel internal", InvalidInput),
        ("channel fax", InvalidInput),
        ("future date", InvalidInput),
        ("file not open to them", InvalidInput),
        ("no such file", InvalidInput),
        ("addressee not an organisation", InvalidInput),
        ("blank subject", InvalidInput),
        ("long letter number", InvalidInput),
    ],
)
def test_refusals_change_nothing_and_take_no_number(
    cast: Cast, case: str, error: type[DaftarError]
) -> None:
    actor, unit_id = cast.deputy_secretary, cast.ds_post.unit_id
    given: dict[str, Any] = {}
    if case == "outsider":
        actor = cast.outsider
    elif case == "no such unit":
        unit_id = cast.outsider_post.unit_id  # exists, but not a register they read
    elif case.startswith("channel"):
        given["channel"] = case.split()[1]
    elif case == "future date":
        given["letter_date"] = dt.date(2026, 5, 21)
    elif case == "file not open to them":
        budget = file_open(actor=cast.outsider, post_id=cast.outsider_post.pk, subject="Budget")
        given["file_id"] = budget.pk
    elif case == "no such file":
        given["file_id"] = 987654
    elif case == "addressee not an organisation":
        given["organisation_id"] = cast.section.pk
    elif case == "blank subject":
        given["subject"] = "  "
    elif case == "long letter number":
        given["letter_number"] = "x" * 141
    before = state()
    with pytest.raises(error):
        enter(actor, unit_id, **given)
    assert state() == before
    assert enter(cast.deputy_secretary, cast.ds_post.unit_id).serial == 1  # no number lost


def test_a_letter_dated_today_in_the_organisations_zone_is_accepted(cast: Cast) -> None:
    # 23:30 UTC on 19 May is already 20 May in Islamabad.
    with clock.frozen_at(dt.datetime(2026, 5, 19, 23, 30, tzinfo=dt.UTC)):
        letter = paper_letter_record(
            actor=cast.deputy_secretary,
            unit_id=cast.ds_post.unit_id,
            letter_number="No. 1",
            letter_date=dt.date(2026, 5, 20),
            subject="Canals",
            addressee="WAPDA",
            channel="post",
        )
    assert letter.letter_date == dt.date(2026, 5, 20)


def test_the_subject_is_withheld_from_a_reader_below_the_files_grade(cast: Cast) -> None:
    graded = file_open(
        actor=cast.section_officer,
        post_id=cast.so_post.pk,
        subject="Water accord",
        classification=Classification.CONFIDENTIAL,
    )
    enter(cast.section_officer, cast.section.pk, file_id=graded.pk)
    (row,) = paper_register_of(cast.registry_clerk, cast.section, 2026)
    assert row.withheld and row.subject == ""
    (row,) = paper_register_of(cast.section_officer, cast.section, 2026)
    assert not row.withheld and row.subject == "Release of funds for small dams"


def client_of(user: User) -> Client:
    return sign_in(Client(), user)


def test_the_form_and_the_register(
    cast: Cast,
    file: File,
    planning: Planning,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    wing = cast.ds_post.unit
    ds = client_of(cast.deputy_secretary)
    url = reverse("dispatch-paper-new")
    form = ds.get(url, {"unit": wing.pk})
    assert form.status_code == 200 and "Letter signed on paper" in form.content.decode()
    data = {
        "unit": wing.pk,
        "letter_number": "No. WR-7(12)/2026",
        "letter_date": clock.now().date().isoformat(),
        "subject": "Release of funds for small dams",
        "organisation": "",
        "addressee": "The Chairman, WAPDA, Lahore",
        "channel": "post",
        "file_number": "NO-SUCH-FILE",
    }
    bad = ds.post(url, data)
    assert bad.status_code == 400 and "No such file" in bad.content.decode()
    future = ds.post(url, {**data, "file_number": "", "letter_date": "2099-01-01"})
    assert future.status_code == 400 and "cannot be dated in the future" in future.content.decode()
    email = ds.post(url, {**data, "file_number": "", "channel": "email"})
    assert email.status_code == 400
    assert PaperLetter.objects.count() == 0

    done = ds.post(url, {**data, "file_number": file.number})
    letter = PaperLetter.objects.get()
    assert done.status_code == 302 and letter.file == file
    assert done["Location"] == f"{reverse('dispatch-register')}?unit={wing.pk}&year={letter.year}"
    draft = approved(
        cast,
        file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Canals"),
        [to_org(planning.division)],
    )
    signed(cast, draft)
    dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk)
    ds.post(url, {**data, "file_number": "", "channel": "hand", "letter_number": "No. 9"})

    register = reverse("dispatch-register")
    with django_assert_max_num_queries(14):
        page = ds.get(register, {"unit": wing.pk, "year": letter.year})
    text = page.content.decode().split("<table", 1)[1]  # the rows, not the messages above
    numbers = [f"D-{n}/{letter.year}-DEV" for n in (3, 2, 1)]
    assert numbers[1] == dispatch.number
    positions = [text.index(n) for n in numbers]
    assert positions == sorted(positions)  # newest first, paper and electronic together
    assert "signed on paper · By hand" in text and "signed on paper · Post" in text
    assert "The Chairman, WAPDA, Lahore" in text


def test_a_person_without_a_register_gets_404(cast: Cast) -> None:
    nobody = org.person_create(
        actor=None, email="visitor@mowr.gov.pk", full_name="Visitor", password=PASSWORD
    )
    client = client_of(nobody)
    assert client.get(reverse("dispatch-paper-new")).status_code == 404
    assert client.post(reverse("dispatch-paper-new"), {"unit": cast.section.pk}).status_code == 404
    assert PaperLetter.objects.count() == 0
