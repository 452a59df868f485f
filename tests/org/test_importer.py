from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from daftar.audit.models import AuditEvent
from daftar.lib import clock
from daftar.org.importer import ImportRejected, org_import, read_text
from daftar.org.models import Charge, ChargeKind, OrgUnit, Post, User
from daftar.org.selectors import post_ids_held

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "org-chart.csv"
HEADER = (
    "unit_code,unit_name,unit_kind,parent_unit_code,post_code,designation,grade,reports_to,"
    "email,full_name,charge_kind,charge_start,charge_end"
)
GOOD = (
    "\n".join(
        [
            HEADER,
            "GOP,Government of Pakistan,government,,,,,,,,,,",
            "WRD,Water Resources Division,division,GOP,SEC,Secretary,22,,"
            "nadia.rahman@mowr.gov.pk,Nadia Rahman,,2024-01-01,",
            "# a comment line, skipped",
            "DEV,Development Wing,wing,WRD,DS-DEV,Deputy Secretary (Development),BPS-19,SEC,"
            "imran.qureshi@mowr.gov.pk,Imran Qureshi,regular,2024-02-01,",
            "D-I,Development-I Section,section,DEV,ASST-D1,Assistant (Development-I),15,SO-D1,"
            "bilal.ahmed@mowr.gov.pk,Bilal Ahmed,,2023-05-01,",
            "D-I,Development-I Section,section,DEV,SO-D1,Section Officer (Development-I),17,DS-DEV,"
            "ayesha.siddiqui@mowr.gov.pk,Ayesha Siddiqui,,2024-03-01,",
            "D-I,,,,SO-D2,Section Officer (Development-II),17,DS-DEV,"
            "ayesha.siddiqui@mowr.gov.pk,,additional,2025-01-01,2030-12-31",
            "",
            "R&I,Central Registry,registry,WRD,RC-1,Registry Clerk,11,,,,,,",
        ]
    )
    + "\n"
)


def _counts() -> tuple[int, int, int, int]:
    return (
        OrgUnit.objects.count(),
        Post.objects.count(),
        User.objects.count(),
        Charge.objects.count(),
    )


def _rejected(text: str) -> list[tuple[int, str]]:
    before = _counts()
    events = AuditEvent.objects.count()
    with pytest.raises(ImportRejected) as caught:
        org_import(text, actor=None)
    assert _counts() == before, "a rejected file must import nothing"
    assert AuditEvent.objects.count() == events
    return [(p.line, p.message) for p in caught.value.problems]


def test_good_file_imports_units_posts_people_and_charges(db: None) -> None:
    result = org_import(GOOD, actor=None)
    assert result.created == {"units": 5, "posts": 6, "people": 4, "charges": 5, "roles": 0}
    assert result.existing == {"units": 0, "posts": 0, "people": 0, "charges": 0, "roles": 0}

    section = OrgUnit.objects.get(code="D-I")
    assert section.kind == "section" and section.parent is not None
    assert section.parent.code == "DEV" and section.parent.parent is not None
    assert section.parent.parent.code == "WRD"
    assistant = Post.objects.get(code="ASST-D1")
    # reports_to may name a post defined further down the file
    assert assistant.reports_to is not None and assistant.reports_to.code == "SO-D1"
    assert assistant.unit == section and assistant.grade == 15
    assert Post.objects.get(code="DS-DEV").grade == 19  # "BPS-19" is understood
    assert Post.objects.get(code="RC-1").charges.count() == 0  # a post with nobody on it

    ayesha = User.objects.get(email="ayesha.siddiqui@mowr.gov.pk")
    assert ayesha.full_name == "Ayesha Siddiqui"
    assert not ayesha.has_usable_password()  # no --demo-password: set through a reset
    extra = Charge.objects.get(person=ayesha, post__code="SO-D2")
    assert extra.kind == ChargeKind.ADDITIONAL
    assert (extra.start, extra.end) == (dt.date(2025, 1, 1), dt.date(2030, 12, 31))
    assert Charge.objects.get(person=ayesha, post__code="SO-D1").kind == ChargeKind.REGULAR

    event = AuditEvent.objects.get(action="post.create", object_id=str(assistant.pk))
    assert event.after is not None
    assert event.after["reports_to"] == "SO-D1" and event.after["source"] == "import-org"
    assert AuditEvent.objects.filter(action="unit.create").count() == 5
    assert AuditEvent.objects.filter(action="person.create").count() == 4
    assert AuditEvent.objects.filter(action="charge.assign").count() == 5


def test_demo_password_gives_people_a_usable_password(db: None) -> None:
    org_import(GOOD, actor=None, password="Training-2026!")
    person = User.objects.get(email="bilal.ahmed@mowr.gov.pk")
    assert person.check_password("Training-2026!")


def test_reimport_is_idempotent(db: None) -> None:
    org_import(GOOD, actor=None)
    before, events = _counts(), AuditEvent.objects.count()
    again = org_import(GOOD, actor=None)
    assert again.created == {"units": 0, "posts": 0, "people": 0, "charges": 0, "roles": 0}
    assert again.existing == {"units": 5, "posts": 6, "people": 4, "charges": 5, "roles": 0}
    assert _counts() == before
    assert AuditEvent.objects.count() == events


def test_blank_charge_start_means_today_and_stays_idempotent(db: None) -> None:
    text = f"{HEADER}\nS,Section,section,,P1,Clerk,11,,one@mowr.gov.pk,One Person,,,\n"
    org_import(text, actor=None)
    charge = Charge.objects.get(post__code="P1")
    assert charge.start == clock.now().date()
    assert org_import(text, actor=None).created["charges"] == 0
    assert Charge.objects.count() == 1


def test_extending_an_existing_chart_refers_to_existing_units_and_posts(db: None) -> None:
    org_import(GOOD, actor=None)
    row = "D-II,Development-II Section,section,DEV,ASST-D2,Assistant (Dev-II),15,SO-D2,,,,,"
    more = f"{HEADER}\n{row}\n"
    result = org_import(more, actor=None)
    assert result.created["units"] == 1 and result.created["posts"] == 1
    new_post = Post.objects.get(code="ASST-D2")
    assert new_post.reports_to == Post.objects.get(code="SO-D2")


def test_imported_people_can_act_through_their_posts(db: None) -> None:
    org_import(GOOD, actor=None)
    ayesha = User.objects.get(email="ayesha.siddiqui@mowr.gov.pk")
    held = set(Post.objects.filter(pk__in=post_ids_held(ayesha)).values_list("code", flat=True))
    assert held == {"SO-D1", "SO-D2"}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("S,Section,sectoin,,,,,,,,,,", "unit_kind 'sectoin' is not one of"),
        ("S,Section,section,NOWHERE,,,,,,,,,", "Parent unit NOWHERE is not declared"),
        ("S,Section,section,,P1,Clerk,25,,,,,,", "grade '25' is not a BPS grade"),
        ("S,Section,section,,P1,Clerk,eleven,,,,,,", "grade 'eleven' is not a BPS grade"),
        ("S,Section,section,,P1,Clerk,11,P9,,,,,", "reports_to P9 is not a post"),
        ("S,Section,section,,P1,,11,,,,,,", "Post P1 has no designation"),
        (
            "S,Section,section,,P1,Clerk,11,,ali@gmail.com,Ali,,,",
            "ali@gmail.com is not an official address",
        ),
        ("S,Section,section,,P1,Clerk,11,,not-an-email,Ali,,,", "Enter a valid email address"),
        (
            "S,Section,section,,P1,Clerk,11,,ali@mowr.gov.pk,Ali,,2024-02-30,",
            "charge_start '2024-02-30' is not a date",
        ),
        (
            "S,Section,section,,P1,Clerk,11,,ali@mowr.gov.pk,Ali,,01/02/2024,",
            "charge_start '01/02/2024' is not a date",
        ),
        (
            "S,Section,section,,P1,Clerk,11,,ali@mowr.gov.pk,Ali,,2024-05-01,2024-01-01",
            "charge_end is before charge_start",
        ),
        (
            "S,Section,section,,P1,Clerk,11,,ali@mowr.gov.pk,Ali,acting,,",
            "charge_kind 'acting' is not one of",
        ),
        ("S,Section,section,,P1,Clerk,11,,ali@mowr.gov.pk,,,,", "is a new person; give"),
        ("S,Section,section,,,Clerk,,,,,,,", "designation given but post_code is empty"),
        ("S,Section,section,,P1,Clerk,11,,,Ali,,,", "full_name given but email is empty"),
        (",Section,section,,,,,,,,,,", "unit_code is empty"),
        ("S,,,,P1,Clerk,11,,,,,,", "Unit S is new but no row gives its unit_name"),
        ("S,Section,section,S,,,,,,,,,", "cannot be its own parent"),
        ("S,Section,section,,P1,Clerk,11,P1,,,,,", "cannot report to itself"),
        ("S,Section,section,,P1,Clerk,11,,,,,,,extra", "cells but only 13 columns"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_its_line(db: None, row: str, expected: str) -> None:
    good_row = "OK,Good Section,section,,P0,Clerk,11,,,,,,"
    problems = _rejected(f"{HEADER}\n{good_row}\n{row}\n")
    assert any(line == 3 and expected in message for line, message in problems), problems


def test_problems_across_rows_name_both_lines(db: None) -> None:
    text = f"""{HEADER}
A,Section A,section,,P1,Clerk,11,,,,,,
A,Another name,section,,P2,Clerk,11,,,,,,
B,Section B,section,,P1,Clerk,11,,,,,,
C,Section C,section,D,X1,Officer,17,X2,,,,,
D,Section D,section,C,X2,Officer,17,X1,,,,,
E,Section E,section,,Y1,Clerk,11,,same@mowr.gov.pk,Same Person,,,
E,,,,Y2,Clerk,11,,same@mowr.gov.pk,Other Name,,,
"""
    by_line: dict[int, list[str]] = {}
    for line, message in _rejected(text):
        by_line.setdefault(line, []).append(message)

    def on(line: int, text: str) -> bool:
        return any(text in message for message in by_line.get(line, []))

    assert on(3, "Unit A has unit_name 'Section A' on line 2 but 'Another name' here")
    assert on(4, "Post P1 is already on line 2")
    assert on(5, "Units C → D → C go round in a circle of parents")
    assert on(5, "Posts X1 → X2 → X1 report to each other in a circle")
    assert on(8, "named 'Same Person' on line 7 but 'Other Name' here")


def test_every_bad_row_is_reported_not_just_the_first(db: None) -> None:
    text = f"""{HEADER}
S,Section,section,,P1,Clerk,11,,,,,,
S,,,,P2,Clerk,99,,,,,,
S,,,,P3,Clerk,11,,x@yahoo.com,X,,,
S,,,,P4,Clerk,11,NOPE,,,,,
"""
    lines = sorted({line for line, _m in _rejected(text)})
    assert lines == [3, 4, 5]


def test_header_problems_stop_before_the_rows(db: None) -> None:
    problems = _rejected("unit_code,unit_name,emial\nS,Section,a@b.c\n")
    assert [line for line, _m in problems] == [1, 1]
    messages = " ".join(m for _l, m in problems)
    assert "Missing required column(s): unit_kind" in messages
    assert "Unknown column(s): emial" in messages
    assert _rejected("")[0] == (1, "The file is empty; the first line must name the columns.")


def test_disagreeing_with_existing_records_is_reported_not_applied(db: None) -> None:
    org_import(GOOD, actor=None)
    changed = (
        GOOD.replace("Development Wing", "Dev Wing")
        .replace("Registry Clerk,11", "Registry Clerk,9")
        .replace("Bilal Ahmed", "Bilal Ahmad")
        .replace("2025-01-01,2030-12-31", "2025-01-01,2029-06-30")
    )
    problems = _rejected(changed)
    messages = " ".join(m for _l, m in problems)
    assert "Unit DEV already exists with unit_name 'Development Wing'" in messages
    assert "Post RC-1 already exists with grade 11" in messages
    assert "Person bilal.ahmed@mowr.gov.pk already exists with full_name 'Bilal Ahmed'" in messages
    assert "charge_end 2030-12-31" in messages
    assert OrgUnit.objects.get(code="DEV").name == "Development Wing"


def test_check_only_imports_nothing(db: None) -> None:
    result = org_import(GOOD, actor=None, dry_run=True)
    assert result.dry_run and result.created["posts"] == 6
    assert _counts() == (0, 0, 0, 0)


def test_read_text_accepts_a_byte_order_mark_and_reports_bad_encoding(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes("\ufeff".encode() + HEADER.encode())
    assert read_text(good).startswith("unit_code")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(HEADER.encode() + b"\nS,Sec\xe9tion,section\n")
    with pytest.raises(ImportRejected) as caught:
        read_text(bad)
    assert caught.value.problems[0].line == 2


def test_command_imports_the_shipped_example(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import_org", str(EXAMPLE))
    assert "Imported: 8 units, 8 posts, 6 people, 7 charges." in capsys.readouterr().out
    call_command("import_org", str(EXAMPLE))
    assert "0 units (8 already there)" in capsys.readouterr().out
    assert User.objects.filter(email="bilal.haider@ffc.gov.pk").exists()


def test_command_fails_with_every_problem_and_imports_nothing(db: None, tmp_path: Path) -> None:
    bad = tmp_path / "chart.csv"
    bad.write_text(f"{HEADER}\nS,Section,sectoin,,P1,Clerk,25,,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_org", str(bad))
    message = str(caught.value)
    assert "2 problems in the file; nothing was imported." in message
    assert "line 2: unit_kind 'sectoin'" in message and "line 2: grade '25'" in message
    assert _counts() == (0, 0, 0, 0)
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_org", str(tmp_path / "missing.csv"))


def test_command_options_demo_password_check_and_actor(db: None, tmp_path: Path) -> None:
    chart = tmp_path / "chart.csv"
    chart.write_text(GOOD, encoding="utf-8")
    call_command("import_org", str(chart), "--check")
    assert _counts() == (0, 0, 0, 0)
    with pytest.raises(CommandError, match="no such person"):
        call_command("import_org", str(chart), "--actor", "nobody@mowr.gov.pk")
    call_command("import_org", str(chart), "--demo-password", "Demo-Pass-1")
    nadia = User.objects.get(email="nadia.rahman@mowr.gov.pk")
    assert nadia.check_password("Demo-Pass-1")
    extra = f"{HEADER}\nX,Extra Section,section,WRD,PX,Clerk,11,,,,,,\n"
    (tmp_path / "extra.csv").write_text(extra, encoding="utf-8")
    call_command("import_org", str(tmp_path / "extra.csv"), "--actor", nadia.email)
    event = AuditEvent.objects.get(
        action="unit.create", object_id=str(OrgUnit.objects.get(code="X").pk)
    )
    assert event.actor == nadia
