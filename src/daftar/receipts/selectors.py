"""Reads of receipts and senders, with access applied.

Need to know, as for files (docs/access.md): a person sees a receipt of a grade within their
clearance when a post they hold today, or a post below one of theirs in today's reporting
chain, has held it (a pulled-back send does not count), when it was diarised in the unit of
a post they hold, or when it is shared with a post they hold (a live ``ReceiptShare``).
``receipt_for_actor`` answers NotFound for missing and forbidden alike; every view, API and
service goes through it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from daftar.files.share_rules import live_shares
from daftar.lib import clock
from daftar.lib.errors import NotFound
from daftar.org.models import Charge, Post, User
from daftar.org.selectors import post_ids_at_or_below, post_ids_held_query
from daftar.receipts.acknowledgement import normalise_reference
from daftar.receipts.models import (
    Receipt,
    ReceiptDocument,
    ReceiptMovement,
    ReceiptShare,
    ReceiptStatus,
    Sender,
)


def _not_found() -> NotFound:
    return NotFound(_("No such receipt, or it is not open to you."))


def _held_here_or_below(actor: User, post_ids: Sequence[int] | None) -> Exists:
    return Exists(
        ReceiptMovement.objects.filter(
            receipt=OuterRef("pk"),
            to_post_id__in=post_ids_at_or_below(actor, post_ids=post_ids),
            pulled_back_at__isnull=True,
        )
    )


def _shared_with(post_ids: Sequence[int] | QuerySet[Charge, int]) -> Exists:
    return Exists(
        ReceiptShare.objects.filter(live_shares(), receipt=OuterRef("pk"), post_id__in=post_ids)
    )


def receipts_visible(actor: User, *, post_ids: Sequence[int] | None = None) -> QuerySet[Receipt]:
    """Receipts the actor may see, in one query; the posts held are looked up inside it
    unless given. Being an administrator or superuser adds nothing."""
    held = post_ids_held_query(actor) if post_ids is None else post_ids
    units = Post.objects.filter(id__in=held).values("unit_id")
    need_to_know = (
        _held_here_or_below(actor, post_ids) | Q(registry_id__in=units) | _shared_with(held)
    )
    return Receipt.objects.filter(need_to_know, classification__lte=actor.clearance)


def receipts_visible_from(actor: User, below: Sequence[int]) -> QuerySet[Receipt]:
    """``receipts_visible`` in the shape for listing, as ``files_visible_from``: the same
    rule (a test holds the two equal), each part a plain ``IN``."""
    held = post_ids_held_query(actor)
    moved = ReceiptMovement.objects.filter(to_post_id__in=list(below), pulled_back_at__isnull=True)
    shared = ReceiptShare.objects.filter(live_shares(), post_id__in=held)
    return Receipt.objects.filter(
        Q(id__in=moved.values("receipt_id"))
        | Q(registry_id__in=Post.objects.filter(id__in=held).values("unit_id"))
        | Q(id__in=shared.values("receipt_id")),
        classification__lte=actor.clearance,
    )


def receipt_for_actor(actor: User, receipt_id: int, *, for_update: bool = False) -> Receipt:
    """The receipt if ``actor`` may see it, else NotFound. ``for_update`` locks the row.

    As for files, the bare row is locked first and then read with its joins, so that the
    loser of a race hears Conflict ("now with …") rather than NotFound."""
    if for_update:
        list(Receipt.objects.select_for_update().filter(pk=receipt_id).values_list("pk"))
    found = (
        receipts_visible(actor)
        .select_related("holder__unit", "registry", "sender", "current_movement")
        .filter(pk=receipt_id)
        .first()
    )
    if found is None:
        raise _not_found()
    return found


def document_for_actor(actor: User, receipt_id: int, document_id: int) -> ReceiptDocument:
    """A document (scan, PDF, attachment) the actor may see, as attached to its receipt, else
    NotFound. The access helper for documents: a document is seen through the receipt it came
    with, by the receipt's rule (``receipt_for_actor``); its file pages go through the file's
    (``files.correspondence.file_page``)."""
    receipt = receipt_for_actor(actor, receipt_id)
    attached = receipt.documents.select_related("document").filter(document_id=document_id).first()
    if attached is None:
        raise NotFound(_("This receipt has no such document."))
    attached.receipt = receipt  # keep the joins already read
    return attached


def receipt_by_diary_number_for_actor(actor: User, diary_number: str) -> Receipt:
    """ "Where is diary no. …": the number matched whatever its case."""
    found = (
        receipts_visible(actor)
        .select_related("holder__unit", "registry", "sender")
        .filter(diary_number__iexact=diary_number.strip())
        .first()
    )
    if found is None:
        raise _not_found()
    return found


def receipt_by_reference_for_actor(actor: User, reference: str) -> Receipt:
    """The receipt whose acknowledgement reference a sender quotes (dashes and case free)."""
    found = (
        receipts_visible(actor)
        .select_related("holder__unit", "registry", "sender")
        .filter(reference=normalise_reference(reference))
        .first()
    )
    if found is None:
        raise _not_found()
    return found


def receipt_documents(receipt: Receipt) -> QuerySet[ReceiptDocument]:
    """The receipt's documents in order, each with its stored document, in one query."""
    return receipt.documents.select_related("document").order_by("order")


INBOX_FIELDS = (
    "id",
    "diary_number",
    "subject",
    "received_on",
    "mode",
    "classification",
    "priority",
    "status",
    "is_physical",
    "holder_id",
    "sender_id",
    "sender__organisation",
    "sender__name",
    "sender__designation",
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


def receipt_inbox(post_id: int, *, status: str = ReceiptStatus.OPEN) -> QuerySet[Receipt]:
    """Receipts with the post: unread first, then priority, due date and longest waiting.

    One query however many receipts the desk holds (slice it for a page); it reads the
    receipt's inbox keys in the order of the ``receipt_inbox_order`` index."""
    return (
        Receipt.objects.filter(holder_id=post_id, status=status)
        .select_related("sender", "current_movement__from_post")
        .only(*INBOX_FIELDS)
        .order_by(
            "-inbox_unread",
            "-inbox_priority",
            F("inbox_due_on").asc(nulls_last=True),
            "inbox_since",
            "id",
        )
    )


@dataclass(frozen=True)
class ReceiptInboxCounts:
    post_id: int
    open: int
    unread: int
    overdue: int


def receipt_inbox_counts(post_ids: list[int]) -> dict[int, ReceiptInboxCounts]:
    """Tab counts for several posts in one query."""
    today = clock.now().date()
    rows = (
        Receipt.objects.filter(holder_id__in=post_ids, status=ReceiptStatus.OPEN)
        .values("holder_id")
        .annotate(
            open=Count("id"),
            unread=Count("id", filter=Q(inbox_unread=True)),
            overdue=Count("id", filter=Q(inbox_due_on__lt=today)),
        )
    )
    counts = {pid: ReceiptInboxCounts(pid, 0, 0, 0) for pid in post_ids}
    for row in rows:
        counts[row["holder_id"]] = ReceiptInboxCounts(
            row["holder_id"], row["open"], row["unread"], row["overdue"]
        )
    return counts


def receipts_sent(post_id: int) -> QuerySet[ReceiptMovement]:
    """What the post sent, newest first, with where each receipt is now."""
    return (
        ReceiptMovement.objects.filter(from_post_id=post_id)
        .select_related("receipt__holder", "to_post")
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
            "receipt__id",
            "receipt__diary_number",
            "receipt__subject",
            "receipt__holder__designation",
            "receipt__current_movement_id",
        )
        .order_by("-sent_at", "-id")
    )


@dataclass(frozen=True)
class ReceiptCustodySpell:
    """One stop on the receipt's journey: a post held it from ``since`` to ``until``."""

    movement: ReceiptMovement
    since: dt.datetime
    until: dt.datetime | None

    @property
    def duration(self) -> dt.timedelta:
        return (self.until or clock.now()) - self.since


def receipt_timeline(receipt: Receipt) -> list[ReceiptCustodySpell | ReceiptMovement]:
    """The receipt's journey in order, in one query; pulled-back sends appear as plain
    movements."""
    movements = list(
        receipt.movements.select_related("from_post", "to_post", "sent_by", "read_by").order_by(
            "sent_at", "id"
        )
    )
    held = [m for m in movements if m.pulled_back_at is None]
    until = {m.pk: nxt.sent_at for m, nxt in pairwise(held)}
    return [
        m
        if m.pulled_back_at is not None
        else ReceiptCustodySpell(movement=m, since=m.sent_at, until=until.get(m.pk))
        for m in movements
    ]


DIARY_FIELDS = (
    "id",
    "diary_number",
    "year",
    "serial",
    "received_on",
    "mode",
    "subject",
    "letter_number",
    "letter_date",
    "classification",
    "priority",
    "status",
    "is_physical",
    "created_at",
    "sender_id",
    "sender__organisation",
    "sender__name",
    "sender__designation",
    "holder_id",
    "holder__designation",
)


def diary_entries(actor: User, *, unit_id: int, year: int) -> QuerySet[Receipt]:
    """A unit's diary for a year in serial order (the register the R&I keeps), limited to
    the receipts the actor may see; one query, slice it for a page."""
    return (
        receipts_visible(actor)
        .filter(registry_id=unit_id, year=year)
        .select_related("sender", "holder")
        .only(*DIARY_FIELDS)
        .order_by("serial")
    )


def receipt_search(actor: User, query: str, *, limit: int = 50) -> QuerySet[Receipt]:
    """Receipts the actor may see whose diary number, subject, letter number or sender
    matches every word of ``query``; newest first, one query."""
    found = receipts_visible(actor)
    for word in query.split()[:5]:
        found = found.filter(
            Q(diary_number__icontains=word)
            | Q(subject__icontains=word)
            | Q(letter_number__icontains=word)
            | Q(sender__organisation__icontains=word)
            | Q(sender__name__icontains=word)
        )
    return (
        found.select_related("sender", "holder").only(*DIARY_FIELDS).order_by("-created_at", "-id")
    )[:limit]


def sender_search(query: str, *, limit: int = 20) -> QuerySet[Sender]:
    """Senders for the diarisation picker: every word must match the organisation, name,
    designation or e-mail address."""
    senders = Sender.objects.all()
    for word in query.split()[:5]:
        senders = senders.filter(
            Q(organisation__icontains=word)
            | Q(name__icontains=word)
            | Q(designation__icontains=word)
            | Q(email__icontains=word)
        )
    return senders.order_by("organisation", "name", "id")[:limit]
