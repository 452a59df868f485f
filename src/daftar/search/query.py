"""Reading the search box: words (all must match), "quoted phrases" (adjacent words),
``-word`` exclusions and numbers (``F.No.5-12/2025-Admin``), each normalised as the index is
(``search.text``). The result is plain values; the engines turn them into their own query
syntax with every term quoted, so nothing typed here ever reaches SQL or FTS5 as syntax."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from daftar.search.text import fold_ref, is_ref, normalise

# A token: an optional "-", then a quoted phrase or a run of non-space characters.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# The words of a token, as the index splits them (letters and digits, any script).
_PIECE = re.compile(r"[^\W_]+")
MAX_TERMS = 12  # a longer box is cut: each term is a join in the index


@dataclass(frozen=True)
class Parsed:
    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    refs: tuple[str, ...] = ()  # folded numbers, matched exactly or as a prefix
    excluded: tuple[str, ...] = ()
    excluded_refs: tuple[str, ...] = ()
    # word → close spellings to try as well (search.selectors fills it in)
    close: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """Nothing to look for: exclusions alone find nothing."""
        return not (self.words or self.phrases or self.refs)


def _pieces(text: str) -> list[str]:
    return [p.lower() for p in _PIECE.findall(text)]


def parse(text: str) -> Parsed:
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    refs: list[str] = []
    excluded: list[str] = []
    excluded_refs: list[str] = []
    for match in _TOKEN.finditer(normalise(text)):
        minus, quoted, bare = match.group(1), match.group(2), match.group(3)
        if quoted is not None:
            pieces = _pieces(quoted)
            if minus:
                excluded.extend(pieces)
            elif len(pieces) > 1:
                phrases.append(tuple(pieces))
            else:
                words.extend(pieces)
            continue
        negative = bare.startswith("-") and len(bare) > 1
        token = bare[1:] if negative else bare
        token = token.strip(",;:()[]{}<>!?'\"")
        if is_ref(token) and fold_ref(token):
            (excluded_refs if negative else refs).append(fold_ref(token))
        else:
            (excluded if negative else words).extend(_pieces(token))
    return Parsed(
        words=tuple(dict.fromkeys(words))[:MAX_TERMS],
        phrases=tuple(dict.fromkeys(phrases))[:MAX_TERMS],
        refs=tuple(dict.fromkeys(refs))[:MAX_TERMS],
        excluded=tuple(dict.fromkeys(excluded))[:MAX_TERMS],
        excluded_refs=tuple(dict.fromkeys(excluded_refs))[:MAX_TERMS],
    )
