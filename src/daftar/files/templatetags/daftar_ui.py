"""Small presentation helpers for the Daftar templates: badge colours and the local date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from daftar.files.models import Classification, FileStatus, Note, Priority
from daftar.lib import clock

register = template.Library()

_PRIORITY: dict[int, str] = {
    Priority.ROUTINE: "text-bg-light border",
    Priority.PRIORITY: "text-bg-info",
    Priority.IMMEDIATE: "text-bg-warning",
    Priority.MOST_IMMEDIATE: "text-bg-danger",
}
_CLASSIFICATION: dict[int, str] = {
    Classification.UNCLASSIFIED: "text-bg-light border",
    Classification.RESTRICTED: "text-bg-secondary",
    Classification.CONFIDENTIAL: "text-bg-primary",
    Classification.SECRET: "text-bg-danger",
    Classification.TOP_SECRET: "text-bg-dark",
}
_STATUS: dict[str, str] = {
    FileStatus.OPEN: "text-bg-success",
    FileStatus.PARKED: "text-bg-secondary",
    FileStatus.CLOSED: "text-bg-dark",
}


@register.filter
def priority_badge(value: int | None) -> str:
    """Bootstrap badge classes for a priority (Routine is quiet, Most Immediate is red)."""
    return _PRIORITY.get(value if value is not None else Priority.ROUTINE, _PRIORITY[0])


@register.filter
def classification_badge(value: int) -> str:
    return _CLASSIFICATION.get(value, _CLASSIFICATION[0])


@register.filter
def status_badge(value: str) -> str:
    return _STATUS.get(value, "text-bg-light border")


@register.filter
def priority_label(value: int | None) -> str:
    if value is None:
        return str(Priority.ROUTINE.label)
    try:
        return str(Priority(value).label)
    except ValueError:
        return str(value)


@register.simple_tag
def local_today() -> dt.date:
    """Today in the active (organisation) time zone, for "overdue" and "due today"."""
    return timezone.localdate(clock.now())


@register.filter
def in_list(value: object, items: object) -> bool:
    try:
        return value in items  # type: ignore[operator]
    except TypeError:
        return False


_OCR: dict[str, str] = {
    "not_needed": "text-bg-light border",
    "queued": "text-bg-secondary",
    "running": "text-bg-info",
    "done": "text-bg-success",
    "failed": "text-bg-danger",
}


@register.filter
def ocr_badge(value: str) -> str:
    return _OCR.get(value, "text-bg-light border")


@register.filter
def page_range(count: int | None) -> range:
    """1 … ``count`` (for the pages of a document)."""
    return range(1, (count or 0) + 1)


@register.filter
def get_item(mapping: Mapping[object, object], key: object) -> object:
    return mapping.get(key) if isinstance(mapping, Mapping) else None


@dataclass(frozen=True)
class PageLinks:
    """What a note may point at: the file's flags (letter → first page) and its pages."""

    file_id: int
    flags: dict[str, int] = field(default_factory=dict)
    last_page: int = 0

    def url(self, page: int) -> str:
        return reverse("file-page", args=[self.file_id, page])


# "F/A", "Flag A", "flag AB"; "p. 12", "pp. 3-5", "page 12", "pages 3 to 5".
_REFERENCE = re.compile(
    r"\b(?:F/(?P<flag>[A-Z]{1,3})\b|[Ff]lag\s+(?P<flag_word>[A-Z]{1,3})\b"
    r"|(?:pp?\.|[Pp]ages?)\s*(?P<page>\d{1,6})\b)"
)


def link_references(text: str, links: PageLinks | None) -> SafeString:
    """``text`` escaped, with its flag and page references made links to the page viewer."""
    escaped = str(escape(text))
    if links is None or not links.last_page:
        return mark_safe(escaped)  # noqa: S308 (escaped above)

    def link(match: re.Match[str]) -> str:
        flag = match.group("flag") or match.group("flag_word")
        page = links.flags.get(flag) if flag else int(match.group("page"))
        if page is None or not 1 <= page <= links.last_page:
            return match.group(0)
        return f'<a class="page-ref" href="{links.url(page)}">{match.group(0)}</a>'

    return mark_safe(_REFERENCE.sub(link, escaped))  # noqa: S308 (escaped, then linked)


@register.simple_tag
def note_paragraphs(note: Note, links: PageLinks | None = None) -> SafeString:
    """A note's numbered paragraphs, its references to flags and pages linked to the page
    viewer. Built here rather than in a template loop: a file with 200 notes has over a
    thousand paragraphs, and the loop was most of the page's time."""
    label = gettext("Paragraph %(num)s")
    return format_html_join(
        "",
        # ``para-<n>``: where a search hit on the paragraph leads (docs/search-screens.md).
        '<div class="d-flex para" id="para-{}"><span class="para-num text-body-secondary" '
        'aria-label="{}">{}.</span><p class="mb-2 flex-grow-1 para-text" dir="auto">{}</p></div>',
        (
            (num, label % {"num": num}, num, link_references(text, links))
            for num, text in note.paragraphs()
        ),
    )


@register.simple_tag
def page_url(links: PageLinks | None, page: int) -> str:
    return links.url(page) if links is not None else ""
