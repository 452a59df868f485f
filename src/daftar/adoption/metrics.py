"""Counting one month: one set-based query per source table, grouped by the leaf unit each
item belongs to, then the roll-up over the chart (rollup.py) and the rows (figures.py).

The number of queries is fixed (it does not grow with files, people or units); the few
queries whose rows are many (the month's movements) are streamed. The meaning of every
figure is in docs/adoption.md; each function below says which figure it fills.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce

from daftar.adoption.models import TrainingAttendance
from daftar.adoption.period import Period
from daftar.adoption.rollup import Tally, UnitNode
from daftar.audit.models import AuditEvent
from daftar.dispatch.models import PAPER_CHANNELS, Delivery, Dispatch, PaperLetter
from daftar.drafting.models import DraftVersion
from daftar.files.models import File, Note
from daftar.movement.models import Action, Movement
from daftar.org.models import ORGANISATION_KINDS, Charge, Post
from daftar.receipts.models import Receipt, ReceiptMovement

STREAM_CHUNK = 5000
HOUR_MICROSECONDS = 3_600_000_000


def organisation_map(units: dict[int, UnitNode]) -> dict[int, int]:
    """Each unit's organisation (``org.selectors.organisation_of``, over the loaded chart)."""
    found: dict[int, int] = {}
    for unit_id in units:
        current: UnitNode | None = units[unit_id]
        seen: set[int] = set()
        while current is not None and current.id not in seen:
            if current.kind in ORGANISATION_KINDS:
                break
            seen.add(current.id)
            current = units.get(current.parent_id) if current.parent_id is not None else None
        found[unit_id] = current.id if current is not None else unit_id
    return found


class Counter:
    """The month's leaf tallies, filled one source table at a time."""

    def __init__(self, period: Period, units: dict[int, UnitNode], transit: Decimal) -> None:
        self.period = period
        self.units = units
        self.transit_microseconds = int(transit * HOUR_MICROSECONDS)
        self.leaves: dict[int, Tally] = defaultdict(Tally)
        self.trained: set[int] = set()
        self.active: set[int] = set()

    def in_month(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.period.start, f"{name}__lt": self.period.end})

    def live(self) -> Q:
        """Movements not pulled back by the as-of moment (later pull backs do not change a
        past month)."""
        return Q(pulled_back_at__isnull=True) | Q(pulled_back_at__gte=self.period.end)

    def count_all(self) -> dict[int, Tally]:
        self.notes()
        self.movements()
        self.drafts()
        self.receipts()
        self.letters()
        self.posts_and_people()
        self.overdue()
        return self.leaves

    def notes(self) -> None:
        """E: notes made final in the month on electronic files, by the writing post's unit."""
        rows = (
            Note.objects.filter(self.in_month("finalised_at"), is_final=True)
            .filter(file__is_physical=False)
            .values("post__unit_id", "file_id")
            .annotate(n=Count("id"))
            .values_list("post__unit_id", "file_id", "n")
        )
        for unit_id, file_id, n in rows:
            tally = self.leaves[unit_id]
            tally.notes_electronic += n
            tally.pages_saved += n
            tally.files_electronic.add(file_id)

    def movements(self) -> None:
        """E, hops and hours saved, and the waits: every movement sent in the month, by the
        sending post's unit (an opening: the post that opened the file).

        A file's wait ends when a live movement sends it on; it began at the file's previous
        live movement (in ``held``: where and when each file last arrived, the month's
        movements taken in the order they were sent)."""
        held = self._arrivals_before()
        rows = (
            Movement.objects.filter(self.in_month("sent_at"))
            .annotate(
                unit=Case(
                    When(action=Action.OPEN, then=F("to_post__unit_id")),
                    default=F("from_post__unit_id"),
                    output_field=IntegerField(),
                )
            )
            .order_by("sent_at", "id")
            .values_list(
                "unit",
                "file_id",
                "file__is_physical",
                "action",
                "sent_at",
                "read_at",
                "pulled_back_at",
                "to_post__unit_id",
            )
        )
        for (
            unit_id,
            file_id,
            is_physical,
            action,
            sent_at,
            read_at,
            pulled_back,
            to_unit,
        ) in rows.iterator(chunk_size=STREAM_CHUNK):
            self._movement(unit_id, file_id, is_physical, action, sent_at, read_at)
            if pulled_back is not None and pulled_back < self.period.end:
                continue  # pulled back: not a departure, and the file never arrived
            arrived = held.get(file_id)
            if arrived is not None and arrived[1] is not None:
                self.leaves[arrived[1]].waits.append(_microseconds(sent_at - arrived[0]))
            held[file_id] = (sent_at, to_unit)

    def _arrivals_before(self) -> dict[int, tuple[dt.datetime, int | None]]:
        """Of each file moved in the month, its last live movement before the month: when it
        was sent, and the unit it went to."""
        latest = (
            Movement.objects.filter(self.live(), sent_at__lt=self.period.start)
            .filter(file_id=OuterRef("pk"))
            .order_by("-sent_at", "-id")
            .values("id")[:1]
        )
        moved = Movement.objects.filter(self.in_month("sent_at")).values("file_id")
        last = File.objects.filter(id__in=moved).annotate(last=Subquery(latest)).values("last")
        rows = Movement.objects.filter(id__in=last).values_list(
            "file_id", "sent_at", "to_post__unit_id"
        )
        return {file_id: (sent_at, unit_id) for file_id, sent_at, unit_id in rows}

    def _movement(
        self,
        unit_id: int,
        file_id: int,
        is_physical: bool,
        action: str,
        sent_at: dt.datetime,
        read_at: dt.datetime | None,
    ) -> None:
        tally = self.leaves[unit_id]
        if is_physical:
            tally.moves_physical += 1
            tally.files_physical.add(file_id)
        else:
            tally.moves_electronic += 1
            tally.files_electronic.add(file_id)
            if action != Action.OPEN:
                tally.hops_electronic += 1
                tally.saved_microseconds += self._saved(sent_at, read_at)

    def _saved(self, sent_at: dt.datetime, read_at: dt.datetime | None) -> int:
        """A paper file takes P hours from desk to desk; an electronic hop opened t hours
        after it was sent saved P - t (never below 0); one unopened at the as-of moment
        claims nothing."""
        if read_at is None or read_at >= self.period.end:
            return 0
        return max(0, self.transit_microseconds - _microseconds(read_at - sent_at))

    def drafts(self) -> None:
        """Pages: each draft version written in the month, by the writing post's unit."""
        rows = (
            DraftVersion.objects.filter(self.in_month("created_at"))
            .values("post__unit_id")
            .annotate(n=Count("id"))
            .values_list("post__unit_id", "n")
        )
        for unit_id, n in rows:
            self.leaves[unit_id].pages_saved += n

    def receipts(self) -> None:
        """R: receipts diarised in the month, in the diary (unit) that diarised them."""
        rows = (
            Receipt.objects.filter(self.in_month("created_at"))
            .values("registry_id", "is_physical")
            .annotate(n=Count("id"))
            .values_list("registry_id", "is_physical", "n")
        )
        for unit_id, is_physical, n in rows:
            if is_physical:
                self.leaves[unit_id].receipts_physical += n
            else:
                self.leaves[unit_id].receipts_electronic += n

    def letters(self) -> None:
        """D, X and the pages of electronic copies: letters issued in the month by a unit."""
        organisations = organisation_map(self.units)
        signed = (
            Dispatch.objects.filter(self.in_month("issued_at"))
            .values("unit_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "n")
        )
        for unit_id, n in signed:
            self.leaves[unit_id].letters_signed += n
        copies = (
            Delivery.objects.filter(self.in_month("dispatch__issued_at"))
            .values("dispatch__unit_id", "addressee__organisation_id", "channel")
            .annotate(
                n=Count("id"),
                pages=Sum(Coalesce("dispatch__fair_copy__document__page_count", 1)),
            )
            .values_list("dispatch__unit_id", "addressee__organisation_id", "channel", "n", "pages")
        )
        for unit_id, addressee_org, channel, n, pages in copies:
            tally = self.leaves[unit_id]
            on_paper = channel in PAPER_CHANNELS
            if not on_paper:
                tally.pages_saved += pages
            if _external(organisations, unit_id, addressee_org):
                if on_paper:
                    tally.external_paper += n
                else:
                    tally.external_electronic += n
        paper = (
            PaperLetter.objects.filter(self.in_month("recorded_at"))
            .values("unit_id", "organisation_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "organisation_id", "n")
        )
        for unit_id, addressee_org, n in paper:
            self.leaves[unit_id].letters_paper += n
            if _external(organisations, unit_id, addressee_org):
                self.leaves[unit_id].external_paper += n

    def posts_and_people(self) -> None:
        """T, A and staffed: active posts, and who held them on the as-of date."""
        posts = Post.objects.filter(is_active=True).values("unit_id").annotate(n=Count("id"))
        for unit_id, n in posts.values_list("unit_id", "n"):
            self.leaves[unit_id].posts += n
        held = (
            Charge.objects.current(self.period.day)
            .filter(post__is_active=True)
            .values_list("post__unit_id", "post_id", "person_id")
            .distinct()
        )
        for unit_id, post_id, person_id in held:
            self.leaves[unit_id].posts_staffed.add(post_id)
            self.leaves[unit_id].people.add(person_id)
        self.trained = set(
            TrainingAttendance.objects.filter(session__held_on__lte=self.period.day)
            .values_list("person_id", flat=True)
            .distinct()
        )
        self.active = set(
            AuditEvent.objects.filter(self.in_month("at"), actor__isnull=False)
            .values_list("actor_id", flat=True)
            .distinct()
        )

    def overdue(self) -> None:
        """Files and receipts past their due date at the as-of moment, by the holding unit."""
        self._overdue(File, Movement, "file_id")
        self._overdue(Receipt, ReceiptMovement, "receipt_id")

    def _overdue(self, model: type[Model], movement_model: type[Model], owner: str) -> None:
        """The movement current at ``end`` (the latest sent before it, not pulled back by
        then) of each file (receipt) not closed by then; those due before the day count."""
        end = self.period.end
        current = (
            movement_model._default_manager.filter(self.live(), sent_at__lt=end)
            .filter(**{owner: OuterRef("pk")})
            .order_by("-sent_at", "-id")
            .values("id")[:1]
        )
        owners: QuerySet[Any, Any] = (
            model._default_manager.filter(created_at__lt=end)
            .exclude(closed_at__lt=end)
            .annotate(current=Subquery(current))
            .values("current")
        )
        rows = (
            movement_model._default_manager.filter(id__in=owners, due_on__lt=self.period.due_before)
            .values("to_post__unit_id")
            .annotate(n=Count("id"))
            .values_list("to_post__unit_id", "n")
        )
        for unit_id, n in rows:
            self.leaves[unit_id].overdue += n


def _external(organisations: dict[int, int], unit_id: int, addressee_org: int | None) -> bool:
    """Outside the issuing unit's organisation: no organisation on this instance, or
    another one."""
    if addressee_org is None:
        return True
    mine = organisations.get(unit_id, unit_id)
    return organisations.get(addressee_org, addressee_org) != mine


def _microseconds(delta: dt.timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
