"""Small presentation helpers for the Daftar templates: badge colours and the local date."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
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


@register.simple_tag
def note_paragraphs(note: Note) -> SafeString:
    """A note's numbered paragraphs. Built here rather than in a template loop: a file with
    200 notes has over a thousand paragraphs, and the loop was most of the page's time."""
    label = gettext("Paragraph %(num)s")
    return format_html_join(
        "",
        '<div class="d-flex para"><span class="para-num text-body-secondary" aria-label="{}">'
        '{}.</span><p class="mb-2 flex-grow-1 para-text" dir="auto">{}</p></div>',
        ((label % {"num": num}, num, text) for num, text in note.paragraphs()),
    )
