"""Recording a training session and adding people to it: who may, for which organisation,
the date, the attendees; every refusal changes nothing; each change is one audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from daftar.adoption.models import TrainingAttendance, TrainingSession
from daftar.adoption.training import training_attendees_add, training_session_record
from daftar.audit.models import AuditEvent
from daftar.lib import clock
from daftar.lib.errors import Conflict, DaftarError, InvalidInput, NotFound
from daftar.org.models import OrgUnit, User
from daftar.org.roles import RoleRequired
from tests.adoption.training_helpers import Trainers, make_trainers
from tests.cast import Cast
from tests.conftest import last_event

# Noon in Islamabad on 15 March 2026.
NOON = dt.datetime(2026, 3, 15, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def trainers(cast: Cast) -> Trainers:
    return make_trainers(cast)


def record(actor: User, organisation: OrgUnit, attendees: list[Any], **given: Any) -> Any:
    values: dict[str, Any] = {
        "held_on": dt.date(2026, 3, 12),
        "topic": "Noting and drafting on Daftar",
        "trainer": "Sana Javed",
        "place": "Committee Room 2",
    }
    values.update(given)
    with clock.frozen_at(NOON):
        return training_session_record(
            actor=actor, organisation=organisation, attendees=attendees, **values
        )


def counts() -> tuple[int, int, int]:
    return (
        TrainingSession.objects.count(),
        TrainingAttendance.objects.count(),
        AuditEvent.objects.count(),
    )


def test_an_admin_records_a_session_of_their_organisation(cast: Cast, trainers: Trainers) -> None:
    session = record(
        trainers.wrd_admin,
        cast.division,
        [cast.section_officer, cast.assistant, cast.assistant],
        topic="  Noting   and drafting on Daftar ",
    )
    assert session.topic == "Noting and drafting on Daftar"
    assert session.recorded_by == trainers.wrd_admin and session.recorded_at == NOON
    people = set(session.attendances.values_list("person_id", flat=True))
    assert people == {cast.section_officer.pk, cast.assistant.pk}
    event = last_event(session, "training.record")
    assert event.actor == trainers.wrd_admin
    assert event.after == {
        "organisation": "WRD",
        "held_on": "2026-03-12",
        "topic": "Noting and drafting on Daftar",
        "trainer": "Sana Javed",
        "place": "Committee Room 2",
        "attendees": ["asst.dev1@mowr.gov.pk", "so.dev1@mowr.gov.pk"],
    }


def test_the_programme_office_records_for_any_organisation(cast: Cast, trainers: Trainers) -> None:
    session = record(trainers.programme, trainers.finance, [cast.outsider])
    assert session.organisation == trainers.finance
    assert session.attendances.get().person == cast.outsider


def test_a_session_held_today_is_accepted(cast: Cast, trainers: Trainers) -> None:
    # 00:30 on 16 March in Islamabad is still 15 March in UTC: the organisation's today.
    with clock.frozen_at(dt.datetime(2026, 3, 15, 19, 30, tzinfo=dt.UTC)):
        session = training_session_record(
            actor=trainers.wrd_admin,
            organisation=cast.division,
            held_on=dt.date(2026, 3, 16),
            topic="Receipts",
            trainer="Sana Javed",
            place="Room 1",
            attendees=[cast.assistant],
        )
    assert session.held_on == dt.date(2026, 3, 16)


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("other organisation", NotFound),
        ("no permission", RoleRequired),
        ("future date", InvalidInput),
        ("not an organisation", InvalidInput),
        ("no attendees", InvalidInput),
        ("not a person", InvalidInput),
        ("unsaved person", InvalidInput),
        ("inactive person", InvalidInput),
        ("blank topic", InvalidInput),
        ("long place", InvalidInput),
    ],
)
def test_refusals_change_nothing(
    cast: Cast, trainers: Trainers, case: str, error: type[DaftarError]
) -> None:
    actor, organisation = trainers.wrd_admin, cast.division
    attendees: list[Any] = [cast.assistant]
    given: dict[str, Any] = {}
    if case == "other organisation":
        organisation = trainers.finance
    elif case == "no permission":
        actor = cast.secretary
    elif case == "future date":
        given["held_on"] = dt.date(2026, 3, 16)
    elif case == "not an organisation":  # the programme office may name any unit
        actor, organisation = trainers.programme, cast.section
    elif case == "no attendees":
        attendees = []
    elif case == "not a person":
        attendees = ["asst.dev1@mowr.gov.pk"]
    elif case == "unsaved person":
        attendees = [User(email="ghost@mowr.gov.pk")]
    elif case == "inactive person":
        cast.assistant.is_active = False
        cast.assistant.save()
    elif case == "blank topic":
        given["topic"] = "   "
    elif case == "long place":
        given["place"] = "x" * 201
    before = counts()
    with pytest.raises(error):
        record(actor, organisation, attendees, **given)
    assert counts() == before


def test_the_same_session_twice_is_a_conflict(cast: Cast, trainers: Trainers) -> None:
    record(trainers.wrd_admin, cast.division, [cast.assistant])
    before = counts()
    with pytest.raises(Conflict):
        record(trainers.programme, cast.division, [cast.section_officer])
    assert counts() == before


def test_adding_people_is_idempotent(cast: Cast, trainers: Trainers) -> None:
    session = record(trainers.wrd_admin, cast.division, [cast.assistant])
    added = training_attendees_add(
        actor=trainers.wrd_admin,
        session_id=session.pk,
        attendees=[cast.assistant, cast.section_officer, cast.deputy_secretary],
    )
    assert {p.pk for p in added} == {cast.section_officer.pk, cast.deputy_secretary.pk}
    event = last_event(session, "training.attendees_add")
    assert event.after == {"added": ["ds.dev@mowr.gov.pk", "so.dev1@mowr.gov.pk"]}
    before = counts()
    again = training_attendees_add(
        actor=trainers.programme,
        session_id=session.pk,
        attendees=[cast.assistant, cast.section_officer],
    )
    assert again == []
    assert counts() == before  # nothing added, nothing recorded
    assert session.attendances.count() == 3


@pytest.mark.parametrize("case", ["other organisation", "no permission", "missing", "inactive"])
def test_adding_people_refused_changes_nothing(cast: Cast, trainers: Trainers, case: str) -> None:
    session = record(trainers.wrd_admin, cast.division, [cast.assistant])
    actor, session_id, people = trainers.wrd_admin, session.pk, [cast.section_officer]
    error: type[DaftarError] = NotFound
    if case == "other organisation":
        actor = trainers.fin_admin
    elif case == "no permission":
        actor, error = cast.section_officer, RoleRequired
    elif case == "missing":
        session_id = session.pk + 1000
    else:
        cast.section_officer.is_active = False
        cast.section_officer.save()
        error = InvalidInput
    before = counts()
    with pytest.raises(error):
        training_attendees_add(actor=actor, session_id=session_id, attendees=people)
    assert counts() == before
