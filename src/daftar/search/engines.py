"""The two databases' full-text engines behind one small interface (docs/search-engine.md).

Each turns a parsed query (``search.query.Parsed``) into its own syntax with every term
passed as a parameter or quoted, so no input can be a syntax error or reach the SQL:
PostgreSQL composes ``plainto_tsquery``/``phraseto_tsquery`` pieces with ``&&``, ``||`` and
``!!``; SQLite builds an FTS5 expression of double-quoted strings. Scores are "higher is
better" on both (SQLite's bm25 is negated)."""

from __future__ import annotations

import json
import weakref
from typing import Protocol

from django.db import connection
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from daftar.search.query import Parsed

# Private-use characters around matched words in snippets; escaped text is then given
# <mark> tags in Python (search.snippets), so the database never writes HTML.
MARK_START, MARK_END = "\ue000", "\ue001"
_ENTRY = '"search_entry"'


class Engine(Protocol):
    def match(self, parsed: Parsed) -> RawSQL:
        """A boolean condition on ``search_entry``: the entry matches the query."""

    def score(self, parsed: Parsed) -> RawSQL | None:
        """A relevance expression to select beside ``match`` (None: ranked by ``scores``)."""

    def scores(self, parsed: Parsed, ids: list[int]) -> dict[int, float]:
        """Relevance of the given matching entries (one query), when ``score`` is None."""

    def snippets(self, parsed: Parsed, ids: list[int]) -> dict[int, str]:
        """The best passage of each entry with the matched words between the markers."""

    def close_words(self, words: tuple[str, ...]) -> dict[str, list[tuple[str, float]]]:
        """Indexed words spelt like each of ``words``, with their trigram similarity."""


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: lower case, two spaces before and one after."""
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of the two words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


SIMILARITY = 0.3  # pg_trgm's default threshold, the same on both databases
CLOSE_PER_WORD = 3


class PostgresEngine:
    config = "daftar"

    def _tsquery(self, parsed: Parsed) -> tuple[str, list[object]]:
        parts: list[str] = []
        params: list[object] = []
        for word in parsed.words:
            spellings = (word, *parsed.close.get(word, ()))
            parts.append(
                "(" + " || ".join(["plainto_tsquery('daftar', %s)"] * len(spellings)) + ")"
            )
            params.extend(spellings)
        for phrase in parsed.phrases:
            parts.append("phraseto_tsquery('daftar', %s)")
            params.append(" ".join(phrase))
        for ref in parsed.refs:  # folded: letters and digits only, so safe inside quotes
            parts.append("to_tsquery('simple', %s)")
            params.append(f"'{ref}':*")
        for word in parsed.excluded:
            parts.append("!! plainto_tsquery('daftar', %s)")
            params.append(word)
        for ref in parsed.excluded_refs:
            parts.append("!! to_tsquery('simple', %s)")
            params.append(f"'{ref}'")
        return "(" + " && ".join(parts) + ")", params

    def match(self, parsed: Parsed) -> RawSQL:
        sql, params = self._tsquery(parsed)
        return RawSQL(f"{_ENTRY}.tsv @@ {sql}", params, output_field=BooleanField())  # noqa: S611

    def score(self, parsed: Parsed) -> RawSQL | None:
        # ts_rank_cd weighs the title and numbers (A) above the body (D); normalisation 1
        # divides by log(length) so a long OCR page does not outrank a subject line.
        sql, params = self._tsquery(parsed)
        return RawSQL(  # noqa: S611
            f"ts_rank_cd({_ENTRY}.tsv, {sql}, 1)", params, output_field=FloatField()
        )

    def scores(self, parsed: Parsed, ids: list[int]) -> dict[int, float]:
        raise NotImplementedError  # score() is selected with the pool

    def snippets(self, parsed: Parsed, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        sql, params = self._tsquery(parsed)
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, "
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, ts_headline('daftar', concat_ws(' — ', nullif(title, ''), "
                f"nullif(body, '')), {sql}, %s) FROM search_entry WHERE id = ANY(%s)",
                [*params, options, ids],
            )
            return {row[0]: row[1] for row in cursor.fetchall()}

    def close_words(self, words: tuple[str, ...]) -> dict[str, list[tuple[str, float]]]:
        if not words:
            return {}
        # The trigram GIN index answers "%"; the few found are ordered by similarity.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT q.w, c.word, c.sim FROM unnest(%s::text[]) AS q(w) CROSS JOIN LATERAL ("
                "  SELECT word, similarity(word, q.w) AS sim FROM search_word"
                "  WHERE word %% q.w AND word <> q.w ORDER BY sim DESC, word LIMIT %s"
                ") c",
                [list(words), CLOSE_PER_WORD],
            )
            found: dict[str, list[tuple[str, float]]] = {}
            for word, close, sim in cursor.fetchall():
                found.setdefault(word, []).append((close, float(sim)))
            return found


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class SqliteEngine:
    # bm25 column weights: title, refs, body.
    weights = "10.0, 10.0, 1.0"
    candidates = 200  # trigram candidates per word before similarity is computed

    def expression(self, parsed: Parsed) -> str:
        parts: list[str] = []
        for word in parsed.words:
            spellings = (word, *parsed.close.get(word, ()))
            parts.append("(" + " OR ".join(_fts_string(s) for s in spellings) + ")")
        parts.extend(_fts_string(" ".join(phrase)) for phrase in parsed.phrases)
        parts.extend(f"refs : {_fts_string(ref)} *" for ref in parsed.refs)
        positive = " AND ".join(parts)
        negative = [_fts_string(w) for w in parsed.excluded]
        negative += [f"refs : {_fts_string(ref)}" for ref in parsed.excluded_refs]
        if negative:
            return f"({positive}) NOT ({' OR '.join(negative)})"
        return positive

    def match(self, parsed: Parsed) -> RawSQL:
        return RawSQL(  # noqa: S611
            f"{_ENTRY}.id IN (SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s)",
            [self.expression(parsed)],
            output_field=BooleanField(),
        )

    def score(self, parsed: Parsed) -> RawSQL | None:
        return None

    def scores(self, parsed: Parsed, ids: list[int]) -> dict[int, float]:
        if not ids:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, -bm25(search_entry_fts, {self.weights}) FROM search_entry_fts "
                "WHERE search_entry_fts MATCH %s AND rowid IN (SELECT value FROM json_each(%s))",
                [self.expression(parsed), json.dumps(ids)],
            )
            return {row[0]: float(row[1]) for row in cursor.fetchall()}

    def snippets(self, parsed: Parsed, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        # One snippet from the title (column 0) and one from the body (2): the refs column
        # holds folded numbers, not text to show.
        marks = f"'{MARK_START}', '{MARK_END}', ' … ', 24"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet(search_entry_fts, 0, {marks}), "
                f"snippet(search_entry_fts, 2, {marks}) FROM search_entry_fts "
                "WHERE search_entry_fts MATCH %s AND rowid IN (SELECT value FROM json_each(%s))",
                [self.expression(parsed), json.dumps(ids)],
            )
            found: dict[int, str] = {}
            for rowid, title, body in cursor.fetchall():
                title, body = title or "", body or ""
                if MARK_START in body or (body and MARK_START not in title):
                    found[rowid] = f"{title} — {body}" if title and MARK_START in title else body
                else:
                    found[rowid] = title
            return found

    def close_words(self, words: tuple[str, ...]) -> dict[str, list[tuple[str, float]]]:
        if not words:
            return {}
        # Candidates share a trigram with the word (the FTS5 trigram table, best first);
        # pg_trgm's similarity is then computed here, so both databases agree.
        selects, params = [], []
        for word in words:
            grams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
            selects.append(
                "SELECT * FROM (SELECT %s, w.word FROM search_word_fts f JOIN search_word w "
                "ON w.id = f.rowid WHERE search_word_fts MATCH %s ORDER BY f.rank LIMIT %s)"
            )
            params.extend([word, " OR ".join(_fts_string(g) for g in grams), self.candidates])
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            rows = cursor.fetchall()
        found: dict[str, list[tuple[str, float]]] = {}
        for word, candidate in rows:
            sim = similarity(word, candidate)
            if candidate != word and sim >= SIMILARITY:
                found.setdefault(word, []).append((candidate, sim))
        return {
            w: sorted(c, key=lambda item: (-item[1], item[0]))[:CLOSE_PER_WORD]
            for w, c in found.items()
        }


# Connections on which JIT compilation is off (see ``_jit_off``).
_NO_JIT: weakref.WeakSet[object] = weakref.WeakSet()


def _jit_off() -> None:
    """Turn PostgreSQL's JIT off for this connection, once per connection.

    The access rule makes the planner's cost estimate of the pool query large (hashed
    sub-plans over the files and receipts a person may see), over ``jit_above_cost``, so every
    search compiled some 870 functions before running: at size S, 320 of the 350 ms of a
    common word's query were JIT emission, the match itself 30 ms (bench, EXPLAIN ANALYZE).
    A search is a short query; compiling never pays for itself there."""
    connection.ensure_connection()
    raw = connection.connection
    if raw is not None and raw not in _NO_JIT:
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        _NO_JIT.add(raw)


def engine() -> Engine:
    if connection.vendor == "postgresql":
        _jit_off()
        return PostgresEngine()
    return SqliteEngine()
