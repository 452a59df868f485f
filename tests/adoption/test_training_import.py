"""The training CSV import: all or nothing with every problem on its line, idempotent,
UTF-8 with or without BOM, one audit event per import; and ``daftar import-training``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from daftar.adoption.models import TrainingAttendance, TrainingSession
from daftar.adoption.training import ImportRejected, ImportResult, training_import
from daftar.adoption.training_csv import TEMPLATE
from daftar.audit.models import AuditEvent
from daftar.lib import clock
from daftar.org.roles import RoleRequired
from tests.adoption.training_helpers import Trainers, make_trainers
from tests.cast import Cast

NOON = dt.datetime(2026, 3, 15, 7, 0, tzinfo=dt.UTC)
HEADER = "organisation,date,topic,trainer,place,email\n"
GOOD = (
    HEADER + "WRD,2026-03-12,Noting on Daftar,Sana Javed,Committee Room 2,so.dev1@mowr.gov.pk\n"
    "WRD,2026-03-12,Noting on Daftar,Sana Javed,Committee Room 2,ASST.dev1@MOWR.gov.pk\n"
    "\n"
    "# the second session\n"
    "FIN,2026-03-14,Receipts and diary,Umar Farooq,Block Q,so.budget@mowr.gov.pk\n"
)


@pytest.fixture
def trainers(cast: Cast) -> Trainers:
    return make_trainers(cast)


def counts() -> tuple[int, int, int]:
    return (
        TrainingSession.objects.count(),
        TrainingAttendance.objects.count(),
        AuditEvent.objects.count(),
    )


def run(trainers: Trainers, text: str, *, actor: str = "programme") -> ImportResult:
    with clock.frozen_at(NOON):
        return training_import(actor=getattr(trainers, actor), text=text)


def test_a_good_file_is_recorded_and_reimporting_adds_nothing(
    cast: Cast, trainers: Trainers
) -> None:
    result = run(trainers, "\ufeff" + GOOD)
    assert result.summary() == (
        "Imported 3 row(s): 2 new session(s) (0 already recorded), 3 new attendance(s) "
        "(0 already recorded)."
    )
    noting = TrainingSession.objects.get(topic="Noting on Daftar")
    assert noting.organisation == cast.division and noting.held_on == dt.date(2026, 3, 12)
    assert noting.recorded_by == trainers.programme
    assert set(noting.attendances.values_list("person__email", flat=True)) == {
        "so.dev1@mowr.gov.pk",
        "asst.dev1@mowr.gov.pk",
    }
    event = AuditEvent.objects.get(action="training.import")
    assert event.actor == trainers.programme
    assert event.after is not None and event.after["sessions_new"] == 2
    assert event.after["attendances_new"] == 3 and event.after["rows"] == 3

    before = TrainingSession.objects.count(), TrainingAttendance.objects.count()
    again = run(trainers, GOOD)  # and without the BOM
    assert (again.sessions_new, again.attendances_new) == (0, 0)
    assert (again.sessions_existing, again.attendances_existing) == (2, 3)
    assert "0 new session(s)" in again.summary() and "0 new attendance(s)" in again.summary()
    assert (TrainingSession.objects.count(), TrainingAttendance.objects.count()) == before
    assert AuditEvent.objects.filter(action="training.import").count() == 2


def test_a_file_adds_people_to_a_session_already_recorded(cast: Cast, trainers: Trainers) -> None:
    run(trainers, HEADER + GOOD.splitlines()[1] + "\n")
    result = run(trainers, GOOD)
    assert (result.sessions_new, result.sessions_existing) == (1, 1)
    assert (result.attendances_new, result.attendances_existing) == (2, 1)
    assert TrainingSession.objects.count() == 2 and TrainingAttendance.objects.count() == 3


def test_every_bad_row_is_listed_and_nothing_is_written(cast: Cast, trainers: Trainers) -> None:
    text = (
        GOOD
        + "WRD,2026-03-12,Noting on Daftar,Sana Javed,Committee Room 2,nobody@mowr.gov.pk\n"
        + "XYZ,2026-03-12,Noting,Sana Javed,Room 2,so.dev1@mowr.gov.pk\n"
        + "WRD,12/03/2026,Noting,Sana Javed,Room 2,so.dev1@mowr.gov.pk\n"
        + "WRD,2026-03-16,Noting,Sana Javed,Room 2,so.dev1@mowr.gov.pk\n"
        + "WRD,2026-03-12,,Sana Javed,Room 2,so.dev1@mowr.gov.pk\n"
        + "WRD,2026-03-12,Noting,Sana Javed\n"
        + "D-I,2026-03-12,Noting,Sana Javed,Room 2,so.dev1@mowr.gov.pk\n"
        + "WRD,2026-02-30,Noting,Sana Javed,Room 2,so.dev1@mowr.gov.pk,extra\n"
    )
    before = counts()
    with pytest.raises(ImportRejected) as caught:
        run(trainers, text)
    assert counts() == before
    lines = [(p.line, p.message) for p in caught.value.problems]
    assert lines == [
        (7, "No active person with the official e-mail nobody@mowr.gov.pk."),
        (8, "No organisation with the code XYZ that you may record training for."),
        (9, "date '12/03/2026' is not a date written as YYYY-MM-DD."),
        (10, "date 2026-03-16 is in the future."),
        (11, "topic is empty."),
        (12, "place is empty."),
        (12, "email is empty."),
        (13, "D-I is not an organisation (it is a section)."),
        (14, "7 cells but only 6 columns in the header."),
    ]
    assert caught.value.message == "9 problem(s) in the file; nothing was imported."
    assert "line 7: No active person" in caught.value.report()


def test_an_admin_may_import_only_for_their_organisation(cast: Cast, trainers: Trainers) -> None:
    before = counts()
    with pytest.raises(ImportRejected) as caught:
        run(trainers, GOOD, actor="wrd_admin")
    assert [p.line for p in caught.value.problems] == [6]
    assert "FIN" in caught.value.problems[0].message
    assert counts() == before
    result = run(trainers, "\n".join(GOOD.splitlines()[:3]), actor="wrd_admin")
    assert result.sessions_new == 1


def test_someone_without_the_permission_is_refused(cast: Cast, trainers: Trainers) -> None:
    before = counts()
    with pytest.raises(RoleRequired), clock.frozen_at(NOON):
        training_import(actor=cast.secretary, text=GOOD)
    assert counts() == before


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("organisation,date,topic,trainer,place", "Missing required column(s): email."),
        (
            "organisation,date,topic,trainer,place,email,grade",
            "Unknown column(s): grade. The columns are: organisation, date, topic, trainer, "
            "place, email.",
        ),
        (
            "organisation,date,topic,trainer,place,email,email",
            "Column(s) named twice: email.",
        ),
    ],
)
def test_a_wrong_header_is_refused_on_line_one(
    cast: Cast, trainers: Trainers, header: str, message: str
) -> None:
    text = header + "\n" + GOOD.split("\n", 1)[1]
    with pytest.raises(ImportRejected) as caught:
        run(trainers, text)
    assert [(p.line, p.message) for p in caught.value.problems] == [(1, message)]
    assert TrainingSession.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty; the first line must name the columns."),
        (HEADER, "The file has no rows after the header; nothing to import."),
    ],
)
def test_an_empty_file_is_refused(cast: Cast, trainers: Trainers, text: str, message: str) -> None:
    with pytest.raises(ImportRejected) as caught:
        run(trainers, text)
    assert [(p.line, p.message) for p in caught.value.problems] == [(1, message)]


def test_the_template_names_the_columns() -> None:
    assert TEMPLATE.splitlines()[0] == HEADER.strip()


def test_the_command(cast: Cast, trainers: Trainers, tmp_path: Path) -> None:
    good = tmp_path / "training.csv"
    good.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    with clock.frozen_at(NOON):
        call_command("import_training", str(good), "--actor", "PMO@cabinet.gov.pk")
    assert TrainingSession.objects.count() == 2

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "WRD,2026-03-12,Noting,Sana Javed,Room 2,nobody@mowr.gov.pk\n")
    with pytest.raises(CommandError) as caught, clock.frozen_at(NOON):
        call_command("import_training", str(bad), "--actor", "pmo@cabinet.gov.pk")
    assert "line 2: No active person with the official e-mail nobody@mowr.gov.pk." in str(
        caught.value
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + "WRD,2026-03-12,Café,x,y,z@mowr.gov.pk\n".encode("latin-1"))
    with pytest.raises(CommandError, match="line 2: This line is not UTF-8 text"):
        call_command("import_training", str(latin), "--actor", "pmo@cabinet.gov.pk")
    with pytest.raises(CommandError, match="no such person"):
        call_command("import_training", str(good), "--actor", "nobody@mowr.gov.pk")
    with pytest.raises(CommandError, match="This needs the role"):
        call_command("import_training", str(good), "--actor", cast.secretary.email)
    assert TrainingSession.objects.count() == 2
