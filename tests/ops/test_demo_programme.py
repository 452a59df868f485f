"""The programme demo: six more organisations whose year of history gives the levels their
story says, with every invariant of the data kept and nothing added by a second load."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.apps import apps
from django.db.models import F, Max, Q

from daftar.adoption.access import may_see_programme
from daftar.adoption.models import MonthlyFigures, TrainingAttendance
from daftar.adoption.services import levels_compute
from daftar.audit import keys
from daftar.audit.models import AuditEvent
from daftar.audit.verify import verify
from daftar.dispatch.models import PaperLetter
from daftar.documents.models import Document
from daftar.files.models import File, Note
from daftar.lib import clock
from daftar.movement.models import Movement
from daftar.ops.demo import demo_load
from daftar.ops.demo_programme import PROGRAMME_OFFICE_EMAIL, months_shown
from daftar.ops.demo_programme_charts import ORGANISATIONS
from daftar.org.models import Sequence, User
from daftar.org.validators import validate_official_email
from daftar.receipts.models import Receipt
from daftar.search.indexing import reindex_all

# A Wednesday in the middle of November: the year shown runs from November 2025.
LOADED_AT = dt.datetime(2026, 11, 18, 7, 30, tzinfo=dt.UTC)
PROGRAMME_UNITS = (
    Q(unit__code__in=[o.code for o in ORGANISATIONS])
    | Q(unit__parent__code__in=[o.code for o in ORGANISATIONS])
    | Q(unit__parent__parent__code__in=[o.code for o in ORGANISATIONS])
)


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_each_organisation_tells_its_story_and_a_second_load_adds_nothing(db: None) -> None:
    with clock.frozen_at(LOADED_AT):
        report = demo_load()
    programme = report.programme
    assert programme is not None and len(programme.histories) == len(ORGANISATIONS)
    months = months_shown(LOADED_AT)
    assert months[0] == dt.date(2025, 11, 1) and months[-1] == dt.date(2026, 11, 1)

    # --- the levels, month by month, are the story of each organisation
    for org in ORGANISATIONS:
        rows = MonthlyFigures.objects.filter(unit__code=org.code).order_by("month")
        assert [r.month for r in rows] == months, org.code
        assert tuple(r.level for r in rows) == org.story, org.code
        assert all(r.reason.startswith(f"level {r.level}") for r in rows), org.code
    october = {r.unit.code: r for r in MonthlyFigures.objects.filter(month=months[-2])}
    assert "no letters this month" in october["CD"].reason
    assert october["CD"].people_active > 0 and october["CD"].hours_saved > 0
    assert "level 3 needs" in october["ED"].reason
    assert "level 2 needs" in october["RD"].reason
    assert "5 of 12 posts staffed" in october["HRD"].reason
    assert "D is 0%" in october["PBS"].reason
    itd = MonthlyFigures.objects.filter(unit__code="ITD").order_by("month")
    assert "level 2 needs" in itd[0].reason and "level 4:" in itd[12].reason
    assert [p[0] for p in programme.levels] == [o.code for o in ORGANISATIONS]

    # --- who sees it, and the people are on official addresses
    office = User.objects.get(email=PROGRAMME_OFFICE_EMAIL)
    assert may_see_programme(office)
    people = User.objects.filter(email__regex=r"@(cabinet|moitt|establishment|railways|mohr|pbs)")
    assert 60 <= people.count() <= 100
    for person in people:
        validate_official_email(person.email)
    assert TrainingAttendance.objects.filter(session__organisation__code="WRD").exists()

    _check_invariants(months[0])

    # --- a second load adds nothing, not even an audit event
    before = _counts()
    with clock.frozen_at(LOADED_AT + dt.timedelta(hours=3)):
        again = demo_load()
    assert again.programme is not None and again.programme.histories == []
    assert again.programme.months_computed == 0
    assert _counts() == before


def _check_invariants(first_month: dt.date) -> None:
    files = File.objects.filter(PROGRAMME_UNITS)
    assert files.count() > 1000
    assert files.filter(is_physical=True).exists() and files.filter(status="closed").exists()
    # the history is the year shown, in the past, in office hours
    start = dt.datetime.combine(first_month, dt.time(0), dt.UTC)
    moves = Movement.objects.filter(file__in=files)
    assert not moves.filter(Q(sent_at__lt=start - dt.timedelta(hours=5)) | Q(sent_at__gt=LOADED_AT))
    # custody: the holder is where the current movement brought the file; the inbox mirrors it
    assert not files.exclude(holder_id=F("current_movement__to_post_id")).exists()
    unread = Q(current_movement__read_at__isnull=True)
    assert not files.filter(unread, inbox_unread=False).exists()
    assert not files.filter(~unread, inbox_unread=True).exists()
    assert files.filter(status="open", inbox_unread=True).exists()
    receipts = Receipt.objects.filter(registry__code__endswith="-RI")
    assert not receipts.exclude(holder_id=F("current_movement__to_post_id")).exists()
    electronic = receipts.filter(is_physical=False)
    assert electronic.exists() and not electronic.filter(documents__isnull=True).exists()
    assert (
        Document.objects.filter(original_name="letter.pdf").values("sha256").distinct().count() == 1
    )
    # notes: final, made so by the send after them; none on a physical file
    notes = Note.objects.filter(file__in=files)
    assert not notes.filter(Q(is_final=False) | Q(finalised_at__isnull=True)).exists()
    assert not notes.filter(file__is_physical=True).exists()
    # gap-free numbering continues after the numbers used
    _check_sequences()
    # the audit chain holds and the search index matches the data
    assert verify(key=keys.public_key()).ok
    assert reindex_all(check=True).drift == 0
    assert AuditEvent.objects.filter(action="accounts.login").exists()


def _check_sequences() -> None:
    used: dict[str, int] = defaultdict(int)
    for unit, year, top in (
        File.objects.filter(PROGRAMME_UNITS).values_list("unit", "year").annotate(m=Max("serial"))
    ):
        used[f"file:{unit}:{year}"] = top
    for unit, year, top in (
        Receipt.objects.filter(registry__code__endswith="-RI")
        .values_list("registry", "year")
        .annotate(m=Max("serial"))
    ):
        used[f"diary:{unit}:{year}"] = top
    for unit, year, top in PaperLetter.objects.values_list("unit", "year").annotate(
        m=Max("serial")
    ):
        used[f"dispatch:{unit}:{year}"] = max(used[f"dispatch:{unit}:{year}"], top)
    stored = dict(Sequence.objects.filter(key__in=used).values_list("key", "last_value"))
    assert stored == dict(used)


def test_months_the_worker_computed_before_the_histories_are_computed_again(db: None) -> None:
    months = months_shown(LOADED_AT)
    with clock.frozen_at(LOADED_AT):
        demo_load(programme=False)
        levels_compute(month=months[-2])  # the worker's round, before the programme is loaded
        levels_compute(month=months[-1])
        report = demo_load()
    assert report.programme is not None and report.programme.months_computed == len(months)
    assert [code for code, *_rest in report.programme.levels] == [o.code for o in ORGANISATIONS]
    for org in ORGANISATIONS:
        rows = MonthlyFigures.objects.filter(unit__code=org.code).order_by("month")
        assert tuple(r.level for r in rows) == org.story, org.code
