"""Background jobs of the programme's figures (django-tasks, run by ``daftar worker``)."""

from __future__ import annotations

from django_tasks import task

from daftar.adoption.period import month_parse
from daftar.adoption.services import levels_compute


@task()
def levels_compute_task(month: str) -> str:
    """Compute one month ("YYYY-MM"). Idempotent: a second run rewrites the same rows."""
    return levels_compute(month=month_parse(month)).summary
