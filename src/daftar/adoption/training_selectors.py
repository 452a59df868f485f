"""Reads for the training screens, with the adoption access rule applied: a person sees the
sessions of the organisations ``access.organisations_visible`` gives them, and only with
``adoption.record_training``; anything else is NotFound. ``training_scope`` is read once per
request and handed to the others (None: every organisation).
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

Scope = set[int] | None


def training_scope(actor: User) -> Scope:
    """The organisations whose training ``actor`` sees (None: all); NotFound when the
    training screens are not open to them."""
    visible = organisations_visible(actor) if actor.has_perm(RECORD_PERMISSION) else set()
    if visible is not None and not visible:
        raise NotFound(_("No such page."))
    return visible


def organisations_in(visible: Scope) -> list[OrgUnit]:
    """The organisations training may be recorded for, by name."""
    units = OrgUnit.objects.filter(kind__in=ORGANISATION_KINDS)
    if visible is not None:
        units = units.filter(pk__in=visible)
    return list(units.order_by("name"))


def sessions_in(visible: Scope) -> QuerySet[TrainingSession]:
    """Sessions of the organisations in scope, newest first, with attendee counts."""
    sessions = TrainingSession.objects.all()
    if visible is not None:
        sessions = sessions.filter(organisation_id__in=visible)
    return (
        sessions.select_related("organisation")
        .annotate(attendee_count=Count("attendances"))
        .order_by("-held_on", "-pk")
    )


def session_in(visible: Scope, session_id: int) -> TrainingSession:
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


def trained_vs_active(visible: Scope) -> TrainedActive:
    """Trained and active people per organisation for the latest month computed (two
    queries), from the summary table; nothing is counted here."""
    figures = MonthlyFigures.objects.filter(unit__kind__in=ORGANISATION_KINDS)
    if visible is not None:
        figures = figures.filter(unit_id__in=visible)
    month = figures.aggregate(latest=Max("month"))["latest"]
    if month is None:
        return TrainedActive(None, [])
    rows = list(figures.filter(month=month).select_related("unit").order_by("unit__name"))
    return TrainedActive(month, rows)
