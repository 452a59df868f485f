"""Reads over custody and movement: inboxes, sent items, timelines. Query counts stay
constant however many files a desk holds or a file has moved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Count, F, Q, QuerySet

from daftar.files.models import File, FileStatus
from daftar.lib import clock
from daftar.movement.models import Movement
from daftar.org.models import Post

INBOX_PAGE_SIZE = 25

SUMMARY_FIELDS = (
    "id",
    "number",
    "subject",
    "classification",
    "priority",
    "status",
    "is_physical",
    "holder_id",
    "inbox_unread",
    "inbox_priority",
    "inbox_due_on",
    "inbox_since",
    "current_movement__id",
    "current_movement__sent_at",
    "current_movement__read_at",
    "current_movement__priority",
    "current_movement__due_on",
    "current_movement__remarks",
    "current_movement__action",
    "current_movement__from_post__designation",
)


def inbox(post_id: int, *, status: str = FileStatus.OPEN) -> QuerySet[File]:
    """Files with the post: unread first, then by priority, due date and longest waiting.

    Sorted on the file's inbox keys, in the order of the ``file_inbox_order`` index, so the
    first page of a 5,000-file desk is read straight off the index."""
    return (
        File.objects.filter(holder_id=post_id, status=status)
        .select_related("current_movement__from_post")
        .only(*SUMMARY_FIELDS)
        .order_by(
            "-inbox_unread",
            "-inbox_priority",
            F("inbox_due_on").asc(nulls_last=True),
            "inbox_since",
            "id",
        )
    )


@dataclass(frozen=True)
class InboxCounts:
    post_id: int
    open: int
    unread: int
    parked: int
    overdue: int


def inbox_counts(post_ids: list[int]) -> dict[int, InboxCounts]:
    """Tab counts for several posts in one query."""
    today = clock.now().date()
    rows = (
        # Closed files stay with their last holder; leaving them out keeps this on the
        # (holder, status) index however many a desk has closed over the years.
        File.objects.filter(holder_id__in=post_ids, status__in=[FileStatus.OPEN, FileStatus.PARKED])
        .values("holder_id")
        .annotate(
            open=Count("id", filter=Q(status=FileStatus.OPEN)),
            unread=Count("id", filter=Q(status=FileStatus.OPEN, inbox_unread=True)),
            parked=Count("id", filter=Q(status=FileStatus.PARKED)),
            overdue=Count("id", filter=Q(status=FileStatus.OPEN, inbox_due_on__lt=today)),
        )
    )
    counts = {pid: InboxCounts(pid, 0, 0, 0, 0) for pid in post_ids}
    for row in rows:
        counts[row["holder_id"]] = InboxCounts(
            row["holder_id"], row["open"], row["unread"], row["parked"], row["overdue"]
        )
    return counts


def sent_items(post_id: int) -> QuerySet[Movement]:
    """What the post sent, newest first, with where each file is now."""
    return (
        Movement.objects.filter(from_post_id=post_id)
        .select_related("file__holder", "to_post")
        .only(
            "id",
            "action",
            "sent_at",
            "read_at",
            "pulled_back_at",
            "remarks",
            "priority",
            "due_on",
            "to_post__designation",
            "file__id",
            "file__number",
            "file__subject",
            "file__holder__designation",
            "file__current_movement_id",
        )
        .order_by("-sent_at", "-id")
    )


@dataclass(frozen=True)
class CustodySpell:
    """One stop on the file's journey: a post held it from ``since`` to ``until``."""

    movement: Movement
    since: dt.datetime
    until: dt.datetime | None

    @property
    def duration(self) -> dt.timedelta:
        return (self.until or clock.now()) - self.since


def timeline(file: File) -> list[CustodySpell | Movement]:
    """The file's journey in order; pulled-back sends appear as plain movements."""
    movements = list(
        file.movements.select_related("from_post", "to_post", "sent_by", "read_by").order_by(
            "sent_at", "id"
        )
    )
    held = [m for m in movements if m.pulled_back_at is None]
    until = {m.pk: nxt.sent_at for m, nxt in pairwise(held)}
    return [
        m
        if m.pulled_back_at is not None
        else CustodySpell(movement=m, since=m.sent_at, until=until.get(m.pk))
        for m in movements
    ]


def posts_by_id(post_ids: list[int]) -> dict[int, Post]:
    return Post.objects.select_related("unit").in_bulk(post_ids)
