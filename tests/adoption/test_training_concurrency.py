"""The same training file imported twice at the same moment (PostgreSQL, threads on their own
connections): the sessions and attendances are recorded once; the other import either finds
them recorded (0 new) or is told to import again — never an error page, never a duplicate."""

from __future__ import annotations

from functools import partial

import pytest

from daftar.adoption.models import TrainingAttendance, TrainingSession
from daftar.adoption.training import ImportResult, training_import
from daftar.lib.errors import Conflict
from tests.adoption.training_helpers import make_trainers
from tests.cast import Cast, make_cast
from tests.movement.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TEXT = (
    "organisation,date,topic,trainer,place,email\n"
    "WRD,2026-03-12,Noting on Daftar,Sana Javed,Room 2,so.dev1@mowr.gov.pk\n"
    "WRD,2026-03-12,Noting on Daftar,Sana Javed,Room 2,asst.dev1@mowr.gov.pk\n"
    "FIN,2026-03-14,Receipts,Umar Farooq,Block Q,so.budget@mowr.gov.pk\n"
)


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def test_the_same_file_at_once_is_recorded_once(cast: Cast) -> None:
    programme = make_trainers(cast).programme
    for round_ in range(3):
        results = run_together([partial(training_import, actor=programme, text=TEXT)] * 3)
        assert all(isinstance(r, ImportResult | Conflict) for r in results)
        done = [r for r in results if isinstance(r, ImportResult)]
        # Whatever the interleaving, the imports that went through recorded each thing once.
        assert sum(r.sessions_new for r in done) == (2 if round_ == 0 else 0)
        assert sum(r.attendances_new for r in done) == (3 if round_ == 0 else 0)
        assert TrainingSession.objects.count() == 2
        assert TrainingAttendance.objects.count() == 3
