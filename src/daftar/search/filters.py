"""The entries a person may find, narrowed by the advanced search: one queryset, access
applied inside it (the same helpers as every other read), mutable attributes read from the
file or receipt by joins, never from the entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from daftar.files.selectors import files_visible, files_visible_from
from daftar.org.models import OrgUnit, Post, User
from daftar.org.selectors import post_ids_at_or_below
from daftar.receipts.models import Sender
from daftar.receipts.selectors import receipts_visible, receipts_visible_from
from daftar.search.models import Entry
from daftar.search.text import normalise
from daftar.search.types import SearchQuery

_UNITS_BELOW = """
WITH RECURSIVE below(id) AS (
    SELECT id FROM {table} WHERE id = %s
    UNION
    SELECT u.id FROM {table} u JOIN below b ON u.parent_id = b.id
)
SELECT id FROM below
"""
_NUMBER_PREFIX = ("f.no.", "f. no.", "f.no", "no.")


# A person with at most FEW_POSTS posts at or below theirs has their files and receipts
# listed first, and when there are at most FEW of either, the index is read for those only
# (a bitmap of their entries ANDed with the word's), however common the word. Anyone else is
# checked per match, which stops at the pool: wide access means most matches are visible
# (docs/search-engine.md, "What the planner does").
FEW_POSTS = 200
FEW = 20_000


@dataclass(frozen=True)
class Access:
    """Which entries the actor may find: those of a file open to them (``by_file``) or of
    a receipt open to them (``by_receipt``), by the same rule as every other read. Kept
    apart so that PostgreSQL can plan each on its own. ``file_seen`` says, per entry,
    whether its file is open: else the entry is shown under its receipt and the file is
    never named."""

    by_file: Q
    by_receipt: Q
    file_seen: Exists
    files_listed: bool = False  # ``by_file`` is a list of ids, not a subquery
    receipts_listed: bool = False


def _one_of(field: str, ids: list[int]) -> Q:
    """``field`` is one of ``ids``. PostgreSQL gets them as one array parameter: as thousands
    of parameters (Django's ``IN``) the statement took 100 ms to build and parse."""
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": ids})
    column = f'"search_entry"."{field}"'
    return Q(RawSQL(f"{column} = ANY(%s)", (ids,), output_field=BooleanField()))  # noqa: S611


def _open_to(field: str, listed: QuerySet[Any] | None, visible: QuerySet[Any]) -> tuple[Q, bool]:
    """``field`` (file or receipt) is one of ``visible``: as a list of ids when ``listed``
    gives few (True), else as a subquery probed per match (False)."""
    if listed is not None:
        ids = list(listed.values_list("id", flat=True)[: FEW + 1])
        if len(ids) <= FEW:
            return _one_of(field, ids), True
    # Not null, so PostgreSQL may read the receipts' own GIN index (migration 0003).
    return Q(**{f"{field}__isnull": False, f"{field}__in": visible.values("id")}), False


def access_of(actor: User) -> Access:
    """One query for the posts at or below the actor's; with few, one each to list their
    files and receipts."""
    below = list(
        Post.objects.filter(id__in=post_ids_at_or_below(actor)).values_list("id", flat=True)[
            : FEW_POSTS + 1
        ]
    )
    few = len(below) <= FEW_POSTS
    files = files_visible(actor)
    by_file, files_listed = _open_to(
        "file_id", files_visible_from(actor, below) if few else None, files
    )
    by_receipt, receipts_listed = _open_to(
        "receipt_id", receipts_visible_from(actor, below) if few else None, receipts_visible(actor)
    )
    return Access(
        by_file=by_file,
        by_receipt=by_receipt,
        file_seen=Exists(files.filter(pk=OuterRef("file_id"))),
        files_listed=files_listed,
        receipts_listed=receipts_listed,
    )


def findable(actor: User, query: SearchQuery) -> QuerySet[Entry]:
    """Entries within the actor's clearance (a draft's own grade) and the query's fields;
    access to their file or receipt is added by the pool (``Access``)."""
    return narrowed(Entry.objects.filter(grade__lte=actor.clearance), query)


def _on_file_or_receipt(file_field: str, receipt_field: str, value: object) -> Q:
    """The file's attribute for an entry on a file, else the receipt's."""
    return Q(file_id__isnull=False, **{f"file__{file_field}": value}) | Q(
        file_id__isnull=True, **{f"receipt__{receipt_field}": value}
    )


def units_below(unit_id: int) -> RawSQL:
    table = connection.ops.quote_name(OrgUnit._meta.db_table)
    return RawSQL(_UNITS_BELOW.format(table=table), (unit_id,))  # noqa: S611 - ours; value a parameter


def _number_variants(number: str) -> list[str]:
    number = number.strip()
    return [number] + [
        number[len(prefix) :].strip()
        for prefix in _NUMBER_PREFIX
        if number.lower().startswith(prefix)
    ]


def _senders(text: str) -> QuerySet[Sender]:
    senders = Sender.objects.all()
    for word in normalise(text).split()[:5]:  # the senders' table is small: a scan is fine
        senders = senders.filter(Q(name__icontains=word) | Q(organisation__icontains=word))
    return senders


def narrowed(entries: QuerySet[Entry], query: SearchQuery) -> QuerySet[Entry]:
    if query.kinds:
        entries = entries.filter(kind__in=list(query.kinds))
    if query.date_from:
        entries = entries.filter(dated__gte=query.date_from)
    if query.date_to:
        entries = entries.filter(dated__lte=query.date_to)
    if query.classification is not None:
        entries = entries.filter(
            _on_file_or_receipt("classification", "classification", query.classification)
        )
    if query.status:
        entries = entries.filter(_on_file_or_receipt("status", "status", query.status))
    if query.holder_post_id is not None:
        entries = entries.filter(
            _on_file_or_receipt("holder_id", "holder_id", query.holder_post_id)
        )
    if query.unit_id is not None:
        units = units_below(query.unit_id)
        entries = entries.filter(
            Q(file_id__isnull=False, file__unit_id__in=units)
            | Q(file_id__isnull=True, receipt__registry_id__in=units)
        )
    if query.number.strip():
        variants = _number_variants(query.number)
        by_number = Q()
        for variant in variants:
            by_number |= Q(file__number__iexact=variant) | Q(receipt__diary_number__iexact=variant)
        entries = entries.filter(by_number)
    if query.sender.strip():
        entries = entries.filter(receipt__sender__in=_senders(query.sender))
    return entries
