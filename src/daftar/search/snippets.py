"""Snippets as the page shows them: the database's highlighter marks the matched words with
private characters; here the text is HTML-escaped and only then are the marks turned into
<mark>, so nothing from a note or a scan is ever taken as markup."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from daftar.files.models import split_paragraphs
from daftar.search.engines import MARK_END, MARK_START
from daftar.search.text import normalise

_MARKED = re.compile(f"{MARK_START}(.*?){MARK_END}", re.DOTALL)
_STRAY = re.compile(f"[{MARK_START}{MARK_END}]")


def as_html(raw: str) -> SafeString:
    escaped = escape(raw)
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(_STRAY.sub("", marked))  # noqa: S308 - escaped above; only <mark> added


def marked_words(raw: str) -> list[str]:
    """The words the highlighter marked, in order."""
    return [m.strip().lower() for m in _MARKED.findall(raw) if m.strip()]


def paragraph_of(body: str, first_para: int, words: list[str]) -> int:
    """The number of the note paragraph holding the first marked word (the note's first
    paragraph when none is found, e.g. a match by stem only)."""
    paragraphs = [normalise(p).lower() for p in split_paragraphs(body)]
    for word in words:
        for index, text in enumerate(paragraphs):
            if word in text:
                return first_para + index
    return first_para
