"""``search``: what a person may find for a query, ranked, grouped by file, one page of it
(docs/search-engine.md).

The pool: at most POOL visible matches are taken from the index (access and filters inside
the one query, nothing ordered before the limit), only those are ranked and counted; more
means "1,000+". Snippets and links are made for the hits shown only. When the words as typed
find less than a page, their close spellings in the index are tried as well."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, QuerySet, Value
from django.urls import reverse

from daftar.org.models import User
from daftar.search.engines import Engine, engine
from daftar.search.filters import Access, access_of, findable
from daftar.search.links import link, shown_entries
from daftar.search.models import Entry
from daftar.search.query import Parsed, parse
from daftar.search.snippets import as_html
from daftar.search.types import PAGE_SIZE, POOL, Group, Hit, Results, SearchQuery

HITS_PER_GROUP = 3


@dataclass
class _Match:
    id: int
    kind: str
    file_id: int | None
    receipt_id: int | None
    file_seen: bool
    dated: Any
    score: float
    exact: bool = True
    spellings: tuple[str, ...] = ()  # the close spellings this entry matched

    @property
    def group(self) -> tuple[str, int]:
        if self.file_id and self.file_seen:
            return ("file", self.file_id)
        return ("receipt", self.receipt_id or 0)

    def order(self) -> tuple[bool, float, Any, int]:
        return (not self.exact, -self.score, -self.dated.toordinal(), -self.id)


def _pool(
    eng: Engine,
    entries: QuerySet[Entry],
    access: Access,
    parsed: Parsed,
    candidates: tuple[str, ...] = (),
) -> tuple[list[_Match], bool]:
    """Up to POOL visible matches with their scores (unordered before the limit: ordering
    a common term's matches would rank them all), and whether there were more."""
    columns = ["id", "kind", "file_id", "receipt_id", "file_seen", "dated"]
    if not parsed.is_empty():
        entries = entries.filter(eng.match(parsed))
    for i, word in enumerate(candidates):
        entries = entries.annotate(**{f"c{i}": eng.match(Parsed(words=(word,)))})
        columns.append(f"c{i}")
    rows, capped = _visible_rows(entries, access, columns)
    scores = eng.scores(parsed, [r[0] for r in rows]) if not parsed.is_empty() else {}
    found = []
    for row in rows:
        flags = row[len(columns) - len(candidates) :] if candidates else ()
        found.append(
            _Match(
                id=row[0],
                kind=row[1],
                file_id=row[2],
                receipt_id=row[3],
                file_seen=bool(row[4]),
                dated=row[5],
                score=scores.get(row[0], 0.0),
                spellings=tuple(w for w, flag in zip(candidates, flags, strict=True) if flag),
            )
        )
    return found, capped


def _visible_rows(
    entries: QuerySet[Entry], access: Access, columns: list[str]
) -> tuple[list[tuple[Any, ...]], bool]:
    """The first POOL + 1 matches the actor may see (one query) and whether there were more.

    PostgreSQL: the entries of visible files, then those of visible receipts, each under its
    own LIMIT (UNION ALL); an entry found by both is kept once, under its file. SQLite: the
    two conditions ORed."""
    if connection.vendor != "postgresql":
        either = entries.filter(access.by_file | access.by_receipt)
        rows = list(either.annotate(file_seen=access.file_seen).values_list(*columns)[: POOL + 1])
        return rows[:POOL], len(rows) > POOL
    branches = [
        _branch(entries.filter(access.by_file), columns, seen=True, listed=access.files_listed),
        _branch(
            entries.filter(access.by_receipt), columns, seen=False, listed=access.receipts_listed
        ),
    ]
    parts = [b for b in branches if b is not None]
    if not parts:
        return [], False
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(sql for sql, _ in parts), [p for _, ps in parts for p in ps]
        )
        fetched = cursor.fetchall()
    unique: dict[int, tuple[Any, ...]] = {}
    per_branch = [0, 0]
    for row in fetched:
        per_branch[bool(row[4])] += 1
        if row[0] not in unique or row[4]:
            unique[row[0]] = row
    rows = list(unique.values())
    return rows[:POOL], len(rows) > POOL or max(per_branch) > POOL


def _branch(
    entries: QuerySet[Entry], columns: list[str], *, seen: bool, listed: bool
) -> tuple[str, tuple[Any, ...]] | None:
    """One half of the pool as SQL under its LIMIT, or None when it can find nothing.

    A branch over a listed set of files or receipts is fenced (a MATERIALIZED CTE, read
    only as far as the LIMIT): planned for all its rows, PostgreSQL ANDs a bitmap of the
    searcher's entries with the word's; planned for the LIMIT, it hoped to meet a thousand
    of them early in a sequential scan and read the whole table for a common word (2 s).
    A probed branch is not: there the LIMIT is what stops the access checks early."""
    annotated = entries.annotate(file_seen=Value(seen, BooleanField()))
    try:
        sql, params = annotated.values_list(*columns).query.sql_with_params()
    except EmptyResultSet:  # no file (or receipt) is open to the searcher
        return None
    if listed:
        # Safe: the ORM compiled ``sql``; every value is in ``params``.
        return f"(WITH m AS MATERIALIZED ({sql}) SELECT * FROM m LIMIT {POOL + 1})", params  # noqa: S608
    return f"({sql} LIMIT {POOL + 1})", params


def _group_count(matches: Iterable[_Match]) -> int:
    return len({m.group for m in matches})


def _widened(
    eng: Engine,
    entries: QuerySet[Entry],
    access: Access,
    parsed: Parsed,
    matches: list[_Match],
    capped: bool,
) -> tuple[list[_Match], bool, dict[str, list[str]]]:
    """The matches of the words as typed, then those of their close spellings (marked so);
    the spellings reported are only those that found something the searcher may see."""
    words = tuple(w for w in parsed.words if len(w) >= 3 and not w.isdigit())
    close = eng.close_words(words)
    if not close:
        return matches, capped, {}
    widened = replace(parsed, close={w: tuple(c for c, _ in cs) for w, cs in close.items()})
    candidates = tuple(dict.fromkeys(c for cs in widened.close.values() for c in cs))
    more, more_capped = _pool(eng, entries, access, widened, candidates)
    exact_ids = {m.id for m in matches}
    extra = [replace(m, exact=False) for m in more if m.id not in exact_ids]
    found = {c for m in extra for c in m.spellings}
    reported = {w: [c for c in cs if c in found] for w, cs in widened.close.items()}
    combined = matches + extra
    return (
        combined[:POOL],
        capped or more_capped or len(combined) > POOL,
        {w: cs for w, cs in reported.items() if cs},
    )


def _empty(query: SearchQuery, page: int) -> Results:
    return Results(query, [], page=1, page_count=0, group_count=0, hit_count=0, capped=False)


def search(
    actor: User, query: SearchQuery, *, page: int = 1, page_size: int = PAGE_SIZE
) -> Results:
    """The groups of page ``page`` for ``query``, as ``actor`` may see them."""
    parsed = parse(query.text)
    if parsed.is_empty() and not (query.number.strip() or query.sender.strip()):
        return _empty(query, page)
    return _search(actor, query, parsed, page, page_size)


def _search(actor: User, query: SearchQuery, parsed: Parsed, page: int, page_size: int) -> Results:
    eng = engine()
    entries, access = findable(actor, query), access_of(actor)
    matches, capped = _pool(eng, entries, access, parsed)
    close_spellings: dict[str, list[str]] = {}
    if parsed.words and _group_count(matches) < page_size and not capped:
        matches, capped, close_spellings = _widened(eng, entries, access, parsed, matches, capped)
        if close_spellings:
            parsed = replace(parsed, close={w: tuple(cs) for w, cs in close_spellings.items()})
    groups: dict[tuple[str, int], list[_Match]] = {}
    for match in sorted(matches, key=_Match.order):
        groups.setdefault(match.group, []).append(match)
    page_count = max(1, math.ceil(len(groups) / page_size)) if groups else 0
    page = min(max(1, page), max(1, page_count))
    shown = list(groups.items())[(page - 1) * page_size : page * page_size]
    facets: dict[str, int] = {}
    for match in matches:
        facets[match.kind] = facets.get(match.kind, 0) + 1
    return Results(
        query=query,
        groups=_groups(eng, parsed, shown),
        page=page,
        page_count=page_count,
        group_count=len(groups),
        hit_count=len(matches),
        capped=capped,
        facets=facets,
        close_spellings=close_spellings,
    )


def _groups(
    eng: Engine, parsed: Parsed, shown: list[tuple[tuple[str, int], list[_Match]]]
) -> list[Group]:
    """The groups shown, each with its best hits' snippets and links."""
    best = {m.id: m for _, matches in shown for m in matches[:HITS_PER_GROUP]}
    rows = {r["id"]: r for r in shown_entries(list(best))}
    raw = eng.snippets(parsed, list(best)) if not parsed.is_empty() and best else {}
    groups = []
    for (kind, object_id), matches in shown:
        hits = []
        for match in matches[:HITS_PER_GROUP]:
            row = rows[match.id]
            row["file_seen"] = match.file_seen
            hits.append(_hit(row, raw.get(match.id), match, parsed.refs))
        paper = "file" if kind == "file" else "receipt"
        first = rows[matches[0].id]
        groups.append(
            Group(
                kind=kind,
                object_id=object_id,
                number=first[f"{paper}__{'number' if kind == 'file' else 'diary_number'}"],
                subject=first[f"{paper}__subject"],
                classification=first[f"{paper}__classification"],
                status=first[f"{paper}__status"],
                holder=first[f"{paper}__holder__designation"],
                url=reverse(f"{paper}-detail", args=[object_id]),
                hits=hits,
                more=max(0, len(matches) - HITS_PER_GROUP),
            )
        )
    return groups


def _hit(row: dict[str, Any], raw: str | None, match: _Match, refs: tuple[str, ...]) -> Hit:
    text = raw if raw is not None else " — ".join(t for t in (row["title"], row["excerpt"]) if t)
    label, url, paragraph = link(row, text, refs)
    return Hit(
        entry_id=row["id"],
        kind=row["kind"],
        label=label,
        snippet=as_html(text),
        url=url,
        dated=row["dated"],
        paragraph=paragraph,
        page=row["page"],
        close_spelling=not match.exact,
    )
