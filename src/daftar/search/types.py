"""What a search asks and what it answers: plain values shared by the engine, the screens
and the API (docs/search.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

PAGE_SIZE = 20
# Matches beyond this many are neither ranked nor counted exactly: the answer says "1,000+".
POOL = 1000


@dataclass(frozen=True)
class SearchQuery:
    """The search box (``text``: words, "quoted phrases", numbers) and the advanced search.

    Every field narrows; an empty field does not. ``number`` is a file or diary number matched
    exactly (case and punctuation aside); ``sender`` matches the sender's name or organisation;
    ``unit_id`` includes the units below it; ``kinds`` are ``EntryKind`` values."""

    text: str = ""
    number: str = ""
    sender: str = ""
    unit_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    classification: int | None = None
    status: str = ""
    holder_post_id: int | None = None
    kinds: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.text.strip() or self.number.strip() or self.sender.strip())


@dataclass(frozen=True)
class Hit:
    """One matching entry as a result line shows it: never its whole body."""

    entry_id: int
    kind: str
    label: str  # "Note, paras 12-14, Deputy Secretary (Water)", "Receipt 45/2026/CR, page 3"
    snippet: SafeString  # escaped text; the matched words in <mark>
    url: str  # the exact note paragraph or document page
    dated: dt.date
    paragraph: int | None = None
    page: int | None = None
    close_spelling: bool = False  # found through a close spelling, not the words as typed


@dataclass(frozen=True)
class Group:
    """The hits of one file, or of one receipt that is on no file, best first."""

    kind: str  # "file" or "receipt"
    object_id: int
    number: str
    subject: str
    classification: int
    status: str
    holder: str  # the post that holds it now
    url: str
    hits: list[Hit]
    more: int = 0  # further hits in this group, among the pool


@dataclass(frozen=True)
class Results:
    query: SearchQuery
    groups: list[Group]
    page: int
    page_count: int
    group_count: int  # groups among the pool
    hit_count: int  # hits among the pool
    capped: bool  # more matches than the pool: show "1,000+"
    facets: dict[str, int] = field(default_factory=dict)  # hits per EntryKind, in the pool
    close_spellings: dict[str, list[str]] = field(default_factory=dict)  # word → words tried
