"""Reads for the training screens, with the adoption access rule applied: a person sees the
sessions of the organisations ``access.organisations_visible`` gives them, and only with
``adoption.record_training``; anything else is NotFound.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _

from daftar.adoption.access import organisations_visible
from daftar.adoption.models import MonthlyFigures, TrainingAttendance, TrainingSession
from daftar.adoption.training import RECORD_PERMISSION
from daftar.lib.errors import NotFound
from daftar.org.models import ORGANISATION_KINDS, OrgUnit, User


def may_use_training(actor: User) -> bool:
    """The training screens are open to this person (else they answer 404)."""
    return actor.has_perm(RECORD_PERMISSION) and organisations_visible(actor) != set()


def _gate(actor: User) -> set[int] | None:
    if not may_use_training(actor):
        raise NotFound(_("No such page."))
    return organisations_visible(actor)


def organisations_for(actor: User) -> list[OrgUnit]:
    """The organisations ``actor`` may record training for, by name."""
    visible = _gate(actor)
    units = OrgUnit.objects.filter(kind__in=ORGANISATION_KINDS)
    if visible is not None:
        units = units.filter(pk__in=visible)
    return list(units.order_by("name"))


def sessions_for(actor: User) -> QuerySet[TrainingSession]:
    """Sessions of the organisations ``actor`` sees, newest first, with attendee counts."""
    visible = _gate(actor)
    sessions = TrainingSession.objects.all()
    if visible is not None:
        sessions = sessions.filter(organisation_id__in=visible)
    return (
        sessions.select_related("organisation")
        .annotate(attendee_count=Count("attendances"))
        .order_by("-held_on", "-pk")
    )


def session_for_actor(actor: User, session_id: int) -> TrainingSession:
    visible = _gate(actor)
    session = (
        TrainingSession.objects.select_related("organisation", "recorded_by")
        .filter(pk=session_id)
        .first()
    )
    if session is None or (visible is not None and session.organisation_id not in visible):
        raise NotFound(_("No such training session, or it is not open to you."))
    return session


def attendees_of(session: TrainingSession) -> list[TrainingAttendance]:
    return list(
        session.attendances.select_related("person").order_by("person__full_name", "person_id")
    )


@dataclass(frozen=True)
class TrainedActive:
    month: dt.date | None  # None: the figures have not been computed yet
    rows: list[MonthlyFigures]


def trained_vs_active(actor: User) -> TrainedActive:
    """Trained and active people per organisation for the latest month computed (two
    queries), from the summary table; nothing is counted here."""
    visible = _gate(actor)
    figures = MonthlyFigures.objects.filter(unit__kind__in=ORGANISATION_KINDS)
    if visible is not None:
        figures = figures.filter(unit_id__in=visible)
    month = figures.aggregate(latest=Max("month"))["latest"]
    if month is None:
        return TrainedActive(None, [])
    rows = list(figures.filter(month=month).select_related("unit").order_by("unit__name"))
    return TrainedActive(month, rows)
