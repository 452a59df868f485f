"""The two databases' full-text engines behind one small interface (docs/search-engine.md).

Each turns a parsed query (``search.query.Parsed``) into its own syntax with every term
passed as a parameter or quoted, so no input can be a syntax error or reach the SQL:
PostgreSQL composes ``plainto_tsquery``/``phraseto_tsquery`` pieces with ``&&``, ``||`` and
``!!``; SQLite builds an FTS5 expression of double-quoted strings. Scores are "higher is
better" on both (SQLite's bm25 is negated)."""

from __future__ import annotations

import json
from typing import Any, Protocol

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from daftar.search.query import Parsed

# Private-use characters around matched words in snippets; escaped text is then given
# <mark> tags in Python (search.snippets), so the database never writes HTML.
MARK_START, MARK_END = "\ue000", "\ue001"
_ENTRY = '"search_entry"'


class Engine(Protocol):
    def match(self, parsed: Parsed) -> RawSQL:
        """A boolean condition on ``search_entry``: the entry matches the query."""

    def scores(self, parsed: Parsed, ids: list[int]) -> dict[int, float]:
        """Relevance of the given matching entries (one query): the pool, never every match."""

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

    def _tsquery(self, parsed: Parsed) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
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

    def scores(self, parsed: Parsed, ids: list[int]) -> dict[int, float]:
        # ts_rank_cd weighs the title and numbers (A) above the body (D); normalisation 1
        # divides by log(length) so a long OCR page does not outrank a subject line.
        if not ids:
            return {}
        sql, params = self._tsquery(parsed)
        with connection.cursor() as cursor:
            cursor.execute(
                # Safe: ``sql`` is our fixed fragments; every term is a parameter.
                f"SELECT id, ts_rank_cd(tsv, {sql}, 1) FROM search_entry WHERE id = ANY(%s)",  # noqa: S608
                [*params, ids],
            )
            return {row[0]: float(row[1]) for row in cursor.fetchall()}

    def snippets(self, parsed: Parsed, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        sql, params = self._tsquery(parsed)
        marks = f"StartSel={MARK_START}, StopSel={MARK_END}"
        fragments = f'{marks}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
        # A title alone (a file's number and subject) is shown whole: cut into fragments it
        # could start in the middle of the number.
        whole = f"{marks}, HighlightAll=true"
        with connection.cursor() as cursor:
            cursor.execute(
                # Safe: ``sql`` is our fixed fragments; every term is a parameter.
                f"SELECT id, ts_headline('daftar', concat_ws(' — ', nullif(title, ''), "  # noqa: S608
                f"nullif(body, '')), {sql}, CASE WHEN body = '' THEN %s ELSE %s END) "
                "FROM search_entry WHERE id = ANY(%s)",
                [*params, whole, fragments, ids],
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
        return RawSQL(  # noqa: S611 - the expression travels as a parameter
            f"{_ENTRY}.id IN (SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s)",  # noqa: S608
            [self.expression(parsed)],
            output_field=BooleanField(),
        )

    def scores(self, parsed: Parsed, ids: list[int]) -> dict[int, float]:
        if not ids:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, -bm25(search_entry_fts, {self.weights}) FROM search_entry_fts "  # noqa: S608
                "WHERE search_entry_fts MATCH %s AND rowid IN (SELECT value FROM json_each(%s))",
                [self.expression(parsed), json.dumps(ids)],
            )
            return {row[0]: float(row[1]) for row in cursor.fetchall()}

    def snippets(self, parsed: Parsed, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        # One snippet from the title (column 0) and one from the body (2): the refs column
        # holds folded numbers, not text to show.
        marks: list[Any] = [MARK_START, MARK_END, " … ", 24]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, snippet(search_entry_fts, 0, %s, %s, %s, %s), "
                "snippet(search_entry_fts, 2, %s, %s, %s, %s) FROM search_entry_fts "
                "WHERE search_entry_fts MATCH %s AND rowid IN (SELECT value FROM json_each(%s))",
                [*marks, *marks, self.expression(parsed), json.dumps(ids)],
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
        selects: list[str] = []
        params: list[Any] = []
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


def engine() -> Engine:
    if connection.vendor == "postgresql":
        return PostgresEngine()
    return SqliteEngine()
