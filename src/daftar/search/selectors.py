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

from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.urls import reverse

from daftar.files.models import File
from daftar.org.models import User
from daftar.receipts.models import Receipt
from daftar.search.engines import Engine, engine
from daftar.search.filters import narrowed, visible_entries
from daftar.search.links import link, places_for
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
    eng: Engine, entries: QuerySet[Entry], parsed: Parsed, candidates: tuple[str, ...] = ()
) -> tuple[list[_Match], bool]:
    """Up to POOL visible matches with their scores (unordered before the limit: ordering
    a common term's matches would rank them all), and whether there were more."""
    columns = ["id", "kind", "file_id", "receipt_id", "file_seen", "dated"]
    score = None
    if not parsed.is_empty():
        entries = entries.filter(eng.match(parsed))
        score = eng.score(parsed)
        if score is not None:
            entries = entries.annotate(score=score)
            columns.append("score")
    for i, word in enumerate(candidates):
        entries = entries.annotate(**{f"c{i}": eng.match(Parsed(words=(word,)))})
        columns.append(f"c{i}")
    rows = list(entries.values_list(*columns)[: POOL + 1])
    capped = len(rows) > POOL
    rows = rows[:POOL]
    if score is None and not parsed.is_empty():
        scores = eng.scores(parsed, [r[0] for r in rows])
    else:
        scores = {}
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
                score=float(row[6]) if score is not None else scores.get(row[0], 0.0),
                spellings=tuple(w for w, flag in zip(candidates, flags, strict=True) if flag),
            )
        )
    return found, capped


def _group_count(matches: Iterable[_Match]) -> int:
    return len({m.group for m in matches})


def _widened(
    eng: Engine, entries: QuerySet[Entry], parsed: Parsed, matches: list[_Match], capped: bool
) -> tuple[list[_Match], bool, dict[str, list[str]]]:
    """The matches of the words as typed, then those of their close spellings (marked so);
    the spellings reported are only those that found something the searcher may see."""
    words = tuple(w for w in parsed.words if len(w) >= 3 and not w.isdigit())
    close = eng.close_words(words)
    if not close:
        return matches, capped, {}
    widened = replace(parsed, close={w: tuple(c for c, _ in cs) for w, cs in close.items()})
    candidates = tuple(dict.fromkeys(c for cs in widened.close.values() for c in cs))
    more, more_capped = _pool(eng, entries, widened, candidates)
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
    eng = engine()
    entries = narrowed(visible_entries(actor), query)
    matches, capped = _pool(eng, entries, parsed)
    close_spellings: dict[str, list[str]] = {}
    if parsed.words and _group_count(matches) < page_size and not capped:
        matches, capped, close_spellings = _widened(eng, entries, parsed, matches, capped)
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
    hits = [m for _, matches in shown for m in matches[:HITS_PER_GROUP]]
    ids = [m.id for m in hits]
    rows = {
        r["id"]: r
        for r in Entry.objects.filter(id__in=ids).values(
            "id",
            "kind",
            "title",
            "dated",
            "page",
            "note_id",
            "document_id",
            "draft_id",
            "file_id",
            "receipt_id",
            excerpt=Substr("body", 1, 240),
        )
    }
    raw = eng.snippets(parsed, ids) if not parsed.is_empty() else {}
    file_ids = [key[1] for key, _ in shown if key[0] == "file"]
    files = {f.pk: f for f in File.objects.filter(id__in=file_ids).select_related("holder")}
    receipt_ids = {key[1] for key, _ in shown if key[0] == "receipt"}
    receipt_ids |= {r["receipt_id"] for r in rows.values() if r["receipt_id"]}
    receipts = {
        r.pk: r for r in Receipt.objects.filter(id__in=receipt_ids).select_related("holder")
    }
    seen = {m.id: m.file_seen for m in hits}
    for row in rows.values():
        row["file_seen"] = seen[row["id"]]
    places = places_for(rows.values(), receipts)
    groups = []
    for (kind, object_id), matches in shown:
        group_hits = [_hit(rows[m.id], raw.get(m.id), m, places) for m in matches[:HITS_PER_GROUP]]
        paper: File | Receipt = files[object_id] if kind == "file" else receipts[object_id]
        groups.append(
            Group(
                kind=kind,
                object_id=object_id,
                number=paper.number if isinstance(paper, File) else paper.diary_number,
                subject=paper.subject,
                classification=paper.classification,
                status=paper.status,
                holder=paper.holder.designation,
                url=reverse(
                    "file-detail" if kind == "file" else "receipt-detail", args=[object_id]
                ),
                hits=group_hits,
                more=max(0, len(matches) - HITS_PER_GROUP),
            )
        )
    return groups


def _hit(row: dict[str, Any], raw: str | None, match: _Match, places: Any) -> Hit:
    text = raw if raw is not None else " — ".join(t for t in (row["title"], row["excerpt"]) if t)
    label, url, paragraph = link(row, text, places)
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
