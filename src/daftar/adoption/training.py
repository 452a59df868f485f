"""Recording training: a session (date, topic, trainer, place) for one organisation and the
people who attended it, entered on the screen or imported from a CSV file (docs/training.md).

Who may record: a person with ``adoption.record_training`` (the organisation admin and the
programme office roles), for the organisations ``access.organisations_visible`` gives them
(the programme office: any). A session is never dated in the future (in the organisation's
time zone). The import is all or nothing and idempotent: sessions are matched on
organisation, date, topic, trainer and place, attendance on the person. Each service owns its
durable transaction and writes its audit event in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from daftar.adoption.access import organisations_visible
from daftar.adoption.models import TrainingAttendance, TrainingSession
from daftar.adoption.training_csv import Row, read_csv
from daftar.audit.services import event_record
from daftar.lib import clock
from daftar.lib.csvsheet import Problem, decode
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.org.models import ORGANISATION_KINDS, OrgUnit, User
from daftar.org.roles import permission_require

RECORD_PERMISSION = "adoption.record_training"
TEXT_LIMIT = 200


class ImportRejected(InvalidInput):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__(
            _("%(count)s problem(s) in the file; nothing was imported.")
            % {"count": len(self.problems)}
        )

    def report(self) -> str:
        return "\n".join([self.message, *(f"  {p}" for p in self.problems)])


@dataclass(frozen=True)
class ImportResult:
    rows: int
    sessions_new: int
    sessions_existing: int
    attendances_new: int
    attendances_existing: int

    def summary(self) -> str:
        return _(
            "Imported %(rows)s row(s): %(sessions)s new session(s) (%(old_sessions)s already "
            "recorded), %(attendances)s new attendance(s) (%(old_attendances)s already recorded)."
        ) % {
            "rows": self.rows,
            "sessions": self.sessions_new,
            "old_sessions": self.sessions_existing,
            "attendances": self.attendances_new,
            "old_attendances": self.attendances_existing,
        }


def organisation_today(organisation: OrgUnit) -> dt.date:
    return clock.now().astimezone(ZoneInfo(organisation.time_zone)).date()


def _not_found() -> NotFound:
    return NotFound(_("No such organisation, or you may not record training for it."))


def _check_organisation(actor: User, organisation: OrgUnit) -> None:
    """Raise unless ``actor`` may record training for ``organisation``."""
    permission_require(actor, RECORD_PERMISSION)
    visible = organisations_visible(actor)
    if visible is not None and organisation.pk not in visible:
        raise _not_found()
    if organisation.kind not in ORGANISATION_KINDS:
        raise InvalidInput(
            _("%(unit)s is not an organisation; record training for its ministry or division.")
            % {"unit": organisation.name}
        )


def _check_date(organisation: OrgUnit, held_on: dt.date) -> None:
    if held_on > organisation_today(organisation):
        raise InvalidInput(_("The session cannot be dated in the future."))


def _text(value: str, label: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InvalidInput(_("Give the %(label)s.") % {"label": label})
    if len(cleaned) > TEXT_LIMIT:
        raise InvalidInput(
            _("The %(label)s is longer than %(limit)s characters.")
            % {"label": label, "limit": TEXT_LIMIT}
        )
    return cleaned


def _people(attendees: Sequence[User]) -> list[User]:
    """The attendees, each once, in the order given; each must be a person on the instance."""
    people: dict[int, User] = {}
    for person in attendees:
        if not isinstance(person, User) or person.pk is None:
            raise InvalidInput(_("Every attendee must be a person on Daftar."))
        if not person.is_active:
            raise InvalidInput(_("%(person)s is not an active person.") % {"person": person.email})
        people.setdefault(person.pk, person)
    return list(people.values())


def people_by_email(emails: Iterable[str]) -> dict[str, User]:
    """Active people by their official e-mail, matched case-insensitively (keys lower case)."""
    wanted = {e.strip().lower() for e in emails if e.strip()}
    if not wanted:
        return {}
    found = User.objects.annotate(email_lower=Lower("email")).filter(
        email_lower__in=wanted, is_active=True
    )
    return {person.email.lower(): person for person in found}


@transaction.atomic(durable=True)
def training_session_record(
    *,
    actor: User,
    organisation: OrgUnit,
    held_on: dt.date,
    topic: str,
    trainer: str,
    place: str,
    attendees: Sequence[User],
) -> TrainingSession:
    """Record a session and who attended it. A session already recorded (same organisation,
    date, topic, trainer and place) is a Conflict: add people to it instead."""
    _check_organisation(actor, organisation)
    _check_date(organisation, held_on)
    values = {
        "topic": _text(topic, _("topic")),
        "trainer": _text(trainer, _("trainer")),
        "place": _text(place, _("place")),
    }
    people = _people(attendees)
    if not people:
        raise InvalidInput(_("Name at least one person who attended."))
    if TrainingSession.objects.filter(
        organisation=organisation, held_on=held_on, **values
    ).exists():
        raise Conflict(_("This session is already recorded; add the people to it instead."))
    session = TrainingSession.objects.create(
        organisation=organisation,
        held_on=held_on,
        recorded_by=actor,
        recorded_at=clock.now(),
        **values,
    )
    TrainingAttendance.objects.bulk_create(
        [TrainingAttendance(session=session, person=p) for p in people]
    )
    event_record(
        actor=actor,
        action="training.record",
        obj=session,
        after={
            "organisation": organisation.code,
            "held_on": held_on.isoformat(),
            **values,
            "attendees": sorted(p.email for p in people),
        },
    )
    return session


@transaction.atomic(durable=True)
def training_attendees_add(
    *, actor: User, session_id: int, attendees: Sequence[User]
) -> list[User]:
    """Add people to a recorded session; those already on it are left as they are. Returns
    the people added (none: nothing changed and nothing is recorded)."""
    permission_require(actor, RECORD_PERMISSION)
    session = (
        TrainingSession.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise NotFound(_("No such training session, or it is not open to you."))
    try:
        _check_organisation(actor, session.organisation)
    except NotFound as exc:
        raise NotFound(_("No such training session, or it is not open to you.")) from exc
    people = _people(attendees)
    there = set(
        TrainingAttendance.objects.filter(
            session=session, person__in=[p.pk for p in people]
        ).values_list("person_id", flat=True)
    )
    added = [p for p in people if p.pk not in there]
    if not added:
        return []
    TrainingAttendance.objects.bulk_create(
        [TrainingAttendance(session=session, person=p) for p in added]
    )
    event_record(
        actor=actor,
        action="training.attendees_add",
        obj=session,
        after={"added": sorted(p.email for p in added)},
    )
    return added


# --- The CSV import ------------------------------------------------------------------------


@dataclass
class _Plan:
    organisations: dict[str, OrgUnit]
    people: dict[str, User]
    sessions: dict[tuple[str, dt.date, str, str, str], TrainingSession]  # already recorded
    attended: set[tuple[int, int]]  # (session, person) already recorded


def _resolve(actor: User, rows: list[Row]) -> tuple[_Plan, list[Problem]]:
    """Look every row up in the database; each failure is a problem on its line."""
    problems: list[Problem] = []
    codes = {r.organisation for r in rows}
    units = OrgUnit.objects.in_bulk(codes, field_name="code")
    visible = organisations_visible(actor)
    people = people_by_email(r.email for r in rows)
    for row in rows:
        unit = units.get(row.organisation)
        said = []
        if unit is None or (visible is not None and unit.pk not in visible):
            said.append(
                _("No organisation with the code %(code)s that you may record training for.")
                % {"code": row.organisation}
            )
        elif unit.kind not in ORGANISATION_KINDS:
            said.append(
                _("%(code)s is not an organisation (it is a %(kind)s).")
                % {"code": row.organisation, "kind": unit.get_kind_display().lower()}
            )
        elif row.held_on > organisation_today(unit):
            said.append(_("date %(date)s is in the future.") % {"date": row.held_on.isoformat()})
        if row.email not in people:
            said.append(
                _("No active person with the official e-mail %(email)s.") % {"email": row.email}
            )
        problems.extend(Problem(row.line, message) for message in said)
    sessions: dict[tuple[str, dt.date, str, str, str], TrainingSession] = {}
    attended: set[tuple[int, int]] = set()
    if rows and not problems:
        recorded = TrainingSession.objects.filter(
            organisation__in=[units[c] for c in codes], held_on__in={r.held_on for r in rows}
        ).select_related("organisation")
        sessions = {
            (s.organisation.code, s.held_on, s.topic, s.trainer, s.place): s for s in recorded
        }
        attended = set(
            TrainingAttendance.objects.filter(
                session__in=list(sessions.values()), person__in=list(people.values())
            ).values_list("session_id", "person_id")
        )
    return _Plan(units, people, sessions, attended), problems


def training_import(*, actor: User, text: str) -> ImportResult:
    """Check the whole CSV text and, if every row is good, record it in one transaction.
    Raises ImportRejected listing every problem by line (RoleRequired without the
    permission; Conflict when the same rows were being imported at the same moment)."""
    permission_require(actor, RECORD_PERMISSION)
    try:
        return _import(actor, text)
    except IntegrityError as exc:
        # Another import recorded the same session or attendance at the same moment.
        raise Conflict(
            _("The same training was being recorded at the same time; import the file again.")
        ) from exc


def training_file_import(*, actor: User, data: bytes) -> ImportResult:
    """``training_import`` of a file as read (the command, the upload screen): text that is
    not UTF-8 is rejected as a problem of its line before anything else is checked."""
    text, problems = decode(data)
    if problems:
        raise ImportRejected(problems)
    return training_import(actor=actor, text=text)


@transaction.atomic(durable=True)
def _import(actor: User, text: str) -> ImportResult:
    rows, problems = read_csv(text)
    # The good rows are looked up even when others are bad, so every problem is listed.
    plan, found = _resolve(actor, rows)
    problems.extend(found)
    if problems:
        raise ImportRejected(problems)
    now = clock.now()
    sessions = dict(plan.sessions)
    sessions_new = attendances_existing = 0
    new_pairs: dict[tuple[int, int], TrainingAttendance] = {}
    for row in rows:
        session = sessions.get(row.session_key)
        if session is None:
            session = TrainingSession.objects.create(
                organisation=plan.organisations[row.organisation],
                held_on=row.held_on,
                topic=row.topic,
                trainer=row.trainer,
                place=row.place,
                recorded_by=actor,
                recorded_at=now,
            )
            sessions[row.session_key] = session
            sessions_new += 1
        person = plan.people[row.email]
        pair = (session.pk, person.pk)
        if pair in plan.attended:
            attendances_existing += 1
        else:
            new_pairs.setdefault(pair, TrainingAttendance(session=session, person=person))
    TrainingAttendance.objects.bulk_create(list(new_pairs.values()))
    touched = {sessions[r.session_key].pk: sessions[r.session_key] for r in rows}
    result = ImportResult(
        rows=len(rows),
        sessions_new=sessions_new,
        sessions_existing=len(touched) - sessions_new,
        attendances_new=len(new_pairs),
        attendances_existing=attendances_existing,
    )
    event_record(
        actor=actor,
        action="training.import",
        obj=touched[min(touched)],
        after={"source": "import-training", **asdict(result), "sessions": sorted(touched)},
    )
    return result
