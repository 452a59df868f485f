"""The entries a person may find, narrowed by the advanced search: one queryset, access
applied inside it (the same helpers as every other read), mutable attributes read from the
file or receipt by joins, never from the entry."""

from __future__ import annotations

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from daftar.files.selectors import files_visible
from daftar.org.models import OrgUnit, User
from daftar.receipts.models import Sender
from daftar.receipts.selectors import receipts_visible
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


def visible_entries(actor: User) -> QuerySet[Entry]:
    """Entries of files or receipts the actor may see, within their clearance; annotated
    ``file_seen`` (whether the entry's file is open to them: else it is shown under its
    receipt, and the file is never named)."""
    file_seen = Exists(files_visible(actor).filter(pk=OuterRef("file_id")))
    receipt_seen = Exists(receipts_visible(actor).filter(pk=OuterRef("receipt_id")))
    return (
        Entry.objects.filter(grade__lte=actor.clearance)
        .filter(file_seen | receipt_seen)
        .annotate(file_seen=file_seen)
    )


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
    variants = [number]
    for prefix in _NUMBER_PREFIX:
        if number.lower().startswith(prefix):
            variants.append(number[len(prefix) :].strip())
    return variants


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
