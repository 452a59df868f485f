"""Search (issue 6, anchors O7 and O8): ``search()`` and the ``/search/`` page next to the bare
full-text query, in the same process and the same run.

For each query (a rare, a medium and a very common word, two words, a phrase, an Urdu word,
a file number, a misspelt name) and each searcher — a Section Officer (narrow: his section's
papers) and the Secretary (broad: everything) — it times:

* **ours**: ``daftar.search.selectors.search(actor, SearchQuery(text=…))``, page 1, as the
  screen calls it (access, ranking of the pool, grouping, snippets, close spellings); and the
  ``/search/?q=…`` page through the test client when the view is there;
* **floor**: the database's own full-text query for the same words with no access rule, no
  ranking, no snippets: ``SELECT id FROM search_entry WHERE tsv @@ q LIMIT 20`` (FTS5
  ``MATCH … LIMIT 20`` on SQLite); and **ranked floor**: the top 20 of all matches by
  ``ts_rank_cd`` (FTS5 ``ORDER BY rank``), what ranking every match costs (lesson A3).

Floors run after each timed call (interleaved), like the other measurements.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection

from bench.generate import Dataset
from bench.measure import OpResult, Stats, _client, _path_exists, _run
from daftar.org.models import User
from daftar.search.text import fold_ref, is_ref, normalise

# Words that every archive paper is likely to hold, from the note and page sentences.
PHRASE = '"utilisation certificate"'
URDU_WORD = "ٹھیکیدار"  # contractor: in a note template, 205,704 entries at M
MISSPELT = ("Durani", "Durrani")  # typed, meant


def queries(ds: Dataset) -> list[tuple[str, str, str]]:
    """(anchor, label, text typed in the box) for every measured query."""
    terms = ds.targets.search_terms
    return [
        ("O7", "rare word", terms["rare"]),
        ("O7", "medium word", terms["medium"]),
        ("O8", "very common word", terms["common"]),
        ("O7", "two words", terms["pair"]),
        ("O8", "phrase of common words", PHRASE),
        ("O8", "common Urdu word", URDU_WORD),
        ("O7", "file number", terms["number"]),
        ("O7", "misspelt name", MISSPELT[0]),
    ]


# --- The floor: the bare full-text statement ------------------------------------------------


def _pg_tsquery(text: str) -> tuple[str, list[str]]:
    """The tsquery SQL for the words typed: numbers as one folded token (``simple``), the
    rest through ``websearch_to_tsquery`` with the index's configuration."""
    numbers = [fold_ref(t) for t in text.split() if is_ref(t)]
    words = " ".join(t for t in text.split() if not is_ref(t))
    parts, params = [], []
    if words:
        parts.append("websearch_to_tsquery('daftar', %s)")
        params.append(normalise(words))
    for n in numbers:
        parts.append("to_tsquery('simple', %s)")
        params.append(n)
    return " && ".join(parts) or "''::tsquery", params


def _fts5_match(text: str) -> str:
    terms = []
    for token in text.replace('"', " ").split() if not text.startswith('"') else [text]:
        if is_ref(token):
            terms.append(f'refs : "{fold_ref(token)}"')
        else:
            terms.append('"' + normalise(token).replace('"', "") + '"')
    return " ".join(terms)


def close_words(word: str) -> list[str]:
    """For the misspelt name's floor: the indexed words nearest to ``word`` (trigrams)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT word FROM search_word WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC LIMIT 3",
                [word.lower(), word.lower()],
            )
        else:
            cursor.execute(
                "SELECT word FROM search_word_fts WHERE search_word_fts MATCH ? LIMIT 3",
                [f'"{word.lower()[:3]}"'],
            )
        return [r[0] for r in cursor.fetchall()]


def floor_statements(text: str, *, misspelt: bool) -> tuple[tuple[str, list[Any]], ...]:
    """(unranked, ranked, count) statements for ``text`` on this database."""
    if misspelt:
        text = " OR ".join(close_words(text)) or text
    if connection.vendor == "postgresql":
        q, params = _pg_tsquery(text)
        return (
            (f"SELECT id FROM search_entry WHERE tsv @@ {q} LIMIT 20", params),
            (
                f"SELECT id FROM search_entry, {q} AS q WHERE tsv @@ q "
                "ORDER BY ts_rank_cd(tsv, q) DESC LIMIT 20",
                params,
            ),
            (f"SELECT count(*) FROM search_entry WHERE tsv @@ {q}", params),
        )
    match = _fts5_match(text) if not misspelt else text
    return (
        (
            "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s LIMIT 20",
            [match],
        ),
        (
            "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s "
            "ORDER BY rank LIMIT 20",
            [match],
        ),
        ("SELECT count(*) FROM search_entry_fts WHERE search_entry_fts MATCH %s", [match]),
    )


class Floor:
    def __init__(self, sql: str, params: list[Any]) -> None:
        self.sql, self.params = sql, params
        self.samples: list[int] = []

    def once(self, *, record: bool = True) -> None:
        connection.ensure_connection()
        cursor = connection.create_cursor()
        sql = self.sql.replace("%s", "?") if connection.vendor == "sqlite" else self.sql
        try:
            t0 = time.perf_counter_ns()
            cursor.execute(sql, self.params)
            cursor.fetchall()
            if record:
                self.samples.append(time.perf_counter_ns() - t0)
        finally:
            cursor.close()


def _count(sql: str, params: list[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


# --- Ours ------------------------------------------------------------------------------------


def _ours(actor: User, text: str, *, view: bool) -> tuple[Callable[[], bool], str]:
    if view:
        client = _client(actor)
        url = "/search/"

        def page() -> bool:
            return client.get(url, {"q": text}).status_code == 200

        return page, f"view GET {url}?q="
    from daftar.search.selectors import search
    from daftar.search.types import SearchQuery

    query = SearchQuery(text=text)

    def call() -> bool:
        search(actor, query, page=1)
        return True

    return call, "selector search()"


def measure_one(
    anchor: str,
    label: str,
    text: str,
    *,
    actor: User,
    who: str,
    view: bool,
    n: int,
    warmup: int,
) -> OpResult:
    fn, via = _ours(actor, text, view=view)
    unranked, ranked, count = floor_statements(text, misspelt=text == MISSPELT[0])
    floor, ranked_floor = Floor(*unranked), Floor(*ranked)
    for _ in range(warmup):
        fn()
        floor.once(record=False)
        ranked_floor.once(record=False)
    # Counted by a wrapper: a request resets Django's query log when it starts.
    seen: list[str] = []

    def count_one(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_one):
        fn()
    detail: dict[str, Any] = {"text": text, "who": who, "matches": _count(*count)}
    if not view:
        from daftar.search.selectors import search
        from daftar.search.types import SearchQuery

        found = search(actor, SearchQuery(text=text), page=1)
        detail.update(
            hits=found.hit_count, groups=found.group_count, capped=found.capped,
            shown=sum(len(g.hits) for g in found.groups),
        )  # fmt: skip

    def both() -> None:
        floor.once()
        ranked_floor.once()

    wall, cpu, errors = _run(fn, n, both)
    detail["ranked_floor"] = Stats.of(ranked_floor.samples).__dict__
    return OpResult(
        op=anchor,
        title=f"{label} ({who})",
        via=via,
        stats=Stats.of(wall),
        cpu_p50=round(statistics.median(cpu) / 1e6, 3),
        queries=len(seen),
        floor=Stats.of(floor.samples),
        floor_kind="bare full-text query, first 20 matches",
        errors=errors,
        detail=detail,
    )


def available() -> bool:
    """Whether the search engine is there to measure (the index alone is not enough)."""
    try:
        from daftar.search.selectors import search  # noqa: F401
    except ImportError:
        return False
    return True


def measure_search(ds: Dataset, *, n: int = 40, warmup: int = 5) -> list[OpResult]:
    t = ds.targets
    actors = (
        (User.objects.get(pk=t.bench_person), "Section Officer"),
        (User.objects.get(pk=t.secretary_person), "Secretary"),
    )
    view = _path_exists("/search/")
    results = []
    for anchor, label, text in queries(ds):
        for actor, who in actors:
            if available():
                results.append(
                    measure_one(
                        anchor, label, text, actor=actor, who=who, view=False, n=n,
                        warmup=warmup,
                    )
                )  # fmt: skip
            if view:
                results.append(
                    measure_one(
                        anchor, label, text, actor=actor, who=who, view=True, n=n,
                        warmup=warmup,
                    )
                )  # fmt: skip
    return results
