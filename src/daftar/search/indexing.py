"""Keeping the index: ``index(kind, ids)`` inside a service's transaction, ``reindex_all`` to
rebuild everything (``daftar reindex``, part of ``daftar upgrade``).

Both work the same way: build the entries the data calls for (``sources``), read what the
index holds for the same scope, then write only the difference — upsert what is new or
changed (by ``key``, so two writers never duplicate an entry), delete what no longer
qualifies — and add the new words to ``search_word``. An entry that is already right is not
touched, so indexing twice writes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, Q

from daftar.drafting.models import Draft
from daftar.files.models import File, Note
from daftar.receipts.models import Receipt
from daftar.search import sources
from daftar.search.models import Entry, EntryKind, Word
from daftar.search.sources import FIELDS, Row, Values
from daftar.search.text import words_of

# The words of one batch are looked up and inserted in chunks of this many (SQLite's limit
# on bound parameters is the tighter one).
_CHUNK = 900


@dataclass
class Counts:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def drift(self) -> int:
        return self.added + self.changed + self.removed


@dataclass
class ReindexReport:
    """What ``reindex_all`` did (or, with ``check``, would do), per kind of entry."""

    check: bool
    kinds: dict[str, Counts] = field(
        default_factory=lambda: {kind: Counts() for kind in EntryKind.values}
    )

    @property
    def drift(self) -> int:
        return sum(c.drift for c in self.kinds.values())

    def lines(self) -> list[str]:
        out = [
            f"{kind:8} added {c.added}, changed {c.changed}, removed {c.removed}, "
            f"unchanged {c.unchanged}"
            for kind, c in self.kinds.items()
        ]
        total = self.drift
        if not total:
            out.append("The index matches the data.")
        elif self.check:
            out.append(f"{total} entries would be out of step with the data.")
        else:
            out.append(f"{total} entries were out of step with the data; rewritten.")
        return out


# --- One change, inside the service's transaction -----------------------------------------


def index(kind: str, ids: Sequence[int]) -> None:
    """Rewrite the entries of these source rows of ``kind`` ("file", "note", "receipt",
    "document", "draft") in the current transaction."""
    id_list = sorted(set(ids))
    for start in range(0, len(id_list), _CHUNK):
        desired, scope = _scoped(kind, id_list[start : start + _CHUNK])
        sync(scope, desired, write=True)


def _scoped(kind: str, ids: list[int]) -> tuple[list[Row], Q]:
    """The entries ``kind``'s rows ``ids`` call for, and the stored entries they replace."""
    where = Q(pk__in=ids)
    if kind == "file":
        return sources.file_rows(where), Q(kind=EntryKind.FILE, file_id__in=ids)
    if kind == "note":
        return sources.note_rows(where), Q(kind=EntryKind.NOTE, note_id__in=ids)
    if kind == "receipt":
        scope = Q(kind__in=[EntryKind.RECEIPT, EntryKind.PAGE], receipt_id__in=ids)
        return sources.receipt_rows(where), scope
    if kind == "document":
        return sources.document_rows(ids), Q(kind=EntryKind.PAGE, document_id__in=ids)
    if kind == "draft":
        return sources.draft_rows(where), Q(kind=EntryKind.DRAFT, draft_id__in=ids)
    raise ValueError(f"Nothing is indexed for {kind!r}.")


def sync(
    scope: Q, desired: list[Row], *, write: bool, known: set[str] | None = None
) -> dict[str, Counts]:
    """Make the stored entries in ``scope`` exactly ``desired``; what it took, per kind.

    ``known``: words already in ``search_word`` (kept across the batches of a reindex)."""
    stored: dict[str, tuple[int, Values]] = {
        key: (pk, tuple(values))
        for pk, key, *values in Entry.objects.filter(scope).values_list("id", "key", *FIELDS)
    }
    counts: dict[str, Counts] = {}
    to_write: list[Row] = []
    for row in desired:
        c = counts.setdefault(row.kind, Counts())
        before = stored.pop(row.key, None)
        if before is None:
            c.added += 1
            to_write.append(row)
        elif before[1] != row.values():
            c.changed += 1
            to_write.append(row)
        else:
            c.unchanged += 1
    for _pk, values in stored.values():
        counts.setdefault(str(values[0]), Counts()).removed += 1
    if write:
        _write(to_write, [pk for pk, _values in stored.values()], known)
    return counts


def _write(rows: list[Row], stale: list[int], known: set[str] | None) -> None:
    if stale:
        Entry.objects.filter(id__in=stale).delete()
    if not rows:
        return
    # In key order, so two transactions writing the same entries take their locks in the
    # same order and cannot deadlock.
    rows.sort(key=lambda r: r.key)
    upsert(rows)
    words_add(words_of(text for row in rows for text in (row.title, row.body)), known)


_COLUMNS = ("key", *FIELDS)
# Built from the model's own column names only; every value is a bound parameter.
_UPSERT = (
    f"INSERT INTO {Entry._meta.db_table} ({', '.join(_COLUMNS)}) VALUES {{values}} "  # noqa: S608
    "ON CONFLICT (key) DO UPDATE SET " + ", ".join(f"{name} = EXCLUDED.{name}" for name in FIELDS)
)
_DATED = _COLUMNS.index("dated")
_ROWS_PER_INSERT = 500  # 14 values each: within SQLite's limit on bound parameters


def upsert(rows: list[Row]) -> None:
    """Insert or update ``rows`` by ``key``: ``bulk_create(update_conflicts=True)`` as one
    plain statement per 500 rows (the same SQL on both databases), without building a model
    instance per row — a third of the time of a reindex went there."""
    place = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    date = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[start : start + _ROWS_PER_INSERT]
            params: list[Any] = []
            for row in chunk:
                values = [row.key, *row.values()]
                values[_DATED] = date(row.dated)
                params.extend(values)
            cursor.execute(_UPSERT.format(values=", ".join([place] * len(chunk))), params)


def words_add(words: set[str], known: set[str] | None = None) -> None:
    """Add the words ``search_word`` does not have yet, in sorted order (concurrent inserts of
    the same new words then wait for each other instead of deadlocking)."""
    fresh = sorted(words - known if known is not None else words)
    # No "which of these are there already?" SELECT first: on PostgreSQL the planner answers
    # ``word IN (…)`` from the trigram GIN index (pg_trgm serves equality), about 0.5 ms a
    # word — 6 of the 13 s of a 24,000-entry reindex. ON CONFLICT finds them by the unique
    # b-tree instead, and only new words reach the trigram index.
    for start in range(0, len(fresh), _CHUNK):
        chunk = fresh[start : start + _CHUNK]
        Word.objects.bulk_create([Word(word=w) for w in chunk], ignore_conflicts=True)
    if known is not None:
        if len(known) > 500_000:  # bounded memory over a very large index
            known.clear()
        known.update(fresh)


# --- Everything, from the data ------------------------------------------------------------

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class _Pass:
    """One walk of a source table in id ranges: for each range (``low``, ``high``], the
    entries built from its rows and the stored entries they replace (any entry of a row in
    the range, including rows since deleted or no longer qualifying)."""

    name: str
    model: type[Model]
    build: Callable[[Q], list[Row]]
    column: str  # the entry's column pointing at this source
    kinds: tuple[str, ...]
    per_batch: float = 1.0
    extra: Q = field(default_factory=Q)

    def scope(self, low: int, high: int | None) -> Q:
        return Q(kind__in=self.kinds) & self.extra & _range(self.column, low, high)


def _range(column: str, low: int, high: int | None) -> Q:
    q = Q(**{f"{column}__gt": low})
    return q & Q(**{f"{column}__lte": high}) if high is not None else q


_PASSES = (
    _Pass("file", File, sources.file_rows, "file_id", (EntryKind.FILE,)),
    _Pass(
        "office copy",
        File,
        lambda files: sources.office_copy_rows(Q(file__in=File.objects.filter(files))),
        "file_id",
        (EntryKind.PAGE,),
        extra=Q(receipt_id__isnull=True),
    ),
    _Pass("note", Note, sources.note_rows, "note_id", (EntryKind.NOTE,)),
    _Pass(
        "receipt",
        Receipt,
        sources.receipt_rows,
        "receipt_id",
        (EntryKind.RECEIPT, EntryKind.PAGE),
        per_batch=0.25,  # each receipt brings its pages
    ),
    _Pass("draft", Draft, sources.draft_rows, "draft_id", (EntryKind.DRAFT,)),
)


# Entries no pass reaches: a kind without its source column (never written so; removed).
_ORPHANS = (
    Q(kind=EntryKind.FILE, file_id__isnull=True)
    | Q(kind=EntryKind.NOTE, note_id__isnull=True)
    | Q(kind=EntryKind.RECEIPT, receipt_id__isnull=True)
    | Q(kind=EntryKind.PAGE, receipt_id__isnull=True, file_id__isnull=True)
    | Q(kind=EntryKind.DRAFT, draft_id__isnull=True)
    | ~Q(kind__in=EntryKind.values)
)


def reindex_all(
    *, check: bool = False, batch: int = 2000, progress: Progress | None = None
) -> ReindexReport:
    """Rebuild every entry from the data, one id range at a time (each its own transaction,
    memory bounded by ``batch``); remove entries whose source no longer qualifies. A second
    run finds nothing to do. ``check``: write nothing, report the drift."""
    report = ReindexReport(check=check)
    known: set[str] = set()
    for step in _PASSES:
        done = 0
        size = max(1, int(batch * step.per_batch))
        for low, high in _ranges(step.model, size):
            with transaction.atomic():
                desired = step.build(_range("pk", low, high))
                counts = sync(step.scope(low, high), desired, write=not check, known=known)
            for kind, c in counts.items():
                _add(report.kinds.setdefault(kind, Counts()), c)
            done += len(desired)
            if progress is not None:
                progress(step.name, done)
    with transaction.atomic():
        orphans = Entry.objects.filter(_ORPHANS)
        for kind in orphans.values_list("kind", flat=True):
            report.kinds.setdefault(kind, Counts()).removed += 1
        if not check:
            orphans.delete()
    return report


def _ranges(model: type[Model], size: int) -> Iterator[tuple[int, int | None]]:
    """Ranges (low, high] of ``model``'s ids, ``size`` rows each, the last one open: together
    they cover every id there is or was."""
    low = 0
    while True:
        ids = model._default_manager.filter(pk__gt=low).order_by("pk").values_list("pk", flat=True)
        found = list(ids[size - 1 : size])
        high = found[0] if found else None
        yield low, high
        if high is None:
            return
        low = high


def _add(total: Counts, more: Counts) -> None:
    total.added += more.added
    total.changed += more.changed
    total.removed += more.removed
    total.unchanged += more.unchanged
