"""Reading the trail for auditors (those with ``audit.view_trail``): by a file, a person, a
period and an action. The trail of a file includes the events on its notes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from daftar.audit.models import AuditEvent
from daftar.files.models import File, Note
from daftar.org.models import User
from daftar.receipts.models import Receipt


@dataclass(frozen=True)
class TrailFilter:
    file: File | None = None
    person: User | None = None
    since: dt.datetime | None = None  # inclusive
    until: dt.datetime | None = None  # exclusive
    action: str = ""  # a prefix: "file." is every file action

    def describe(self) -> dict[str, str]:
        """The filter as plain text, for the record of an export."""
        return {
            key: value
            for key, value in {
                "file": self.file.number if self.file else "",
                "person": self.person.email if self.person else "",
                "from": self.since.isoformat() if self.since else "",
                "to": self.until.isoformat() if self.until else "",
                "action": self.action,
            }.items()
            if value
        }


def trail(where: TrailFilter) -> QuerySet[AuditEvent]:
    """Newest first; actor and post joined, so a page costs one query whatever its length."""
    events = AuditEvent.objects.select_related("actor", "post").order_by("-seq")
    if where.file is not None:
        note_ids = Note.objects.filter(file=where.file).values(
            text=Cast("pk", output_field=CharField())
        )
        events = events.filter(
            Q(object_type="files.file", object_id=str(where.file.pk))
            | Q(object_type="files.note", object_id__in=note_ids)
        )
    if where.person is not None:
        events = events.filter(
            Q(actor=where.person) | Q(object_type="org.user", object_id=str(where.person.pk))
        )
    if where.since is not None:
        events = events.filter(at__gte=where.since)
    if where.until is not None:
        events = events.filter(at__lt=where.until)
    if where.action:
        events = events.filter(action__startswith=where.action)
    return events


# Events whose before/after can carry a paper's contents (subjects, note text, remarks), by
# object type, with how to find the grade of the paper they are about.
_GRADED: dict[str, tuple[type[models.Model], str]] = {
    "files.file": (File, "classification"),
    "files.note": (Note, "file__classification"),
    "receipts.receipt": (Receipt, "classification"),
}


def withheld(events: Iterable[AuditEvent], viewer: User) -> set[int]:
    """Ids of the events whose contents ``viewer`` may not read: those about a file, note or
    receipt graded above their clearance. Who did what, when, stays visible; an auditor reads
    contents only within their clearance (docs/audit.md). One query per object type."""
    ids: dict[str, set[int]] = defaultdict(set)
    rows = [e for e in events if e.object_type in _GRADED and e.object_id.isdigit()]
    for event in rows:
        ids[event.object_type].add(int(event.object_id))
    above: set[tuple[str, int]] = set()
    for object_type, pks in ids.items():
        model, grade = _GRADED[object_type]
        found = model._default_manager.filter(pk__in=pks, **{f"{grade}__gt": viewer.clearance})
        above.update((object_type, pk) for pk in found.values_list("pk", flat=True))
    return {e.pk for e in rows if (e.object_type, int(e.object_id)) in above}
