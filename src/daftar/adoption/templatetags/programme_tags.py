"""Filters of the programme screens: a share as "81.5%" or a dash, the trend of E."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from daftar.adoption.dashboard import TREND_SYMBOLS

register = template.Library()


@register.filter
def pct(value: Decimal | None) -> str:
    """A share with one decimal; a dash when there was no such work."""
    return "—" if value is None else f"{value}%"


@register.filter
def trend_words(trend: str | None) -> str:
    """For screen readers, beside the arrow."""
    if trend == "up":
        return _("up on the month before")
    if trend == "down":
        return _("down on the month before")
    if trend == "same":
        return _("same as the month before")
    return ""


@register.filter
def trend_symbol(trend: str | None) -> str:
    """▲ ▼ ▬ for up, down, same; nothing when either month had no file work."""
    return TREND_SYMBOLS.get(trend or "", "")
