"""The "Drafts for approval" panel of the file page, as an inclusion tag: the file screens show
it without the files app importing drafting (docs/drafting.md)."""

from __future__ import annotations

from typing import Any

from django import template

from daftar.drafting.selectors import drafts_of
from daftar.files.models import File

register = template.Library()


@register.inclusion_tag("drafting/_file_panel.html")
def drafts_panel(file: File, can_write: bool) -> dict[str, Any]:  # template args
    """The file's drafts (one query however many) and, for the desk holding it, "New draft"."""
    return {"file": file, "drafts": drafts_of(file), "can_draft": can_write}


_BADGES = {
    "draft": "text-bg-primary",
    "approved": "text-bg-success",
    "signed": "text-bg-info",
    "issued": "text-bg-dark",
    "cancelled": "text-bg-secondary",
}


@register.filter
def draft_badge(status: str) -> str:
    """The Bootstrap badge of a draft's status (Bootstrap only: the file page loads no more)."""
    return _BADGES.get(status, "text-bg-light border")
