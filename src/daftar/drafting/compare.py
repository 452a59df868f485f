"""Comparing two versions of a draft word by word, as an officer reads a revised draft: what
was struck out and what was put in, for the subject, the addressees, the text, the references
and the enclosures.

Every word is HTML-escaped before it is wrapped in ``<ins>`` or ``<del>``, so the comparison of
a body (already sanitised) or of an addressee's name can never inject markup.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from daftar.drafting.content import body_text
from daftar.drafting.models import AddresseeKind, AddresseeRole, DraftVersion

_TOKENS = re.compile(r"\n|[^\S\n]+|[^\s]+")


@dataclass(frozen=True)
class FieldDiff:
    label: str
    html: SafeString
    changed: bool


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def _show(tokens: list[str]) -> str:
    return "".join("<br>" if t == "\n" else escape(t) for t in tokens)


def word_diff(old: str, new: str) -> tuple[SafeString, bool]:
    """``new`` with deletions from ``old`` in ``<del>`` and insertions in ``<ins>``."""
    a, b = _tokens(old), _tokens(new)
    parts: list[str] = []
    changed = False
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(_show(b[j1:j2]))
            continue
        changed = True
        if op in ("delete", "replace"):
            parts.append(f'<del class="diff-del">{_show(a[i1:i2])}</del>')
        if op in ("insert", "replace"):
            parts.append(f'<ins class="diff-ins">{_show(b[j1:j2])}</ins>')
    # Safe: every piece of text above went through escape(); only our own tags are added.
    return mark_safe("".join(parts)), changed  # noqa: S308


def addressees_text(version: DraftVersion) -> str:
    lines = []
    for a in version.addressees.all():
        role = _("To") if a.role == AddresseeRole.TO else _("Copy to")
        if a.kind == AddresseeKind.INTERNAL and a.organisation is not None:
            who = ", ".join(
                filter(None, [a.post.designation if a.post else "", a.organisation.name])
            )
        else:
            who = ", ".join(filter(None, [a.name, " ".join(a.address.split()), a.email]))
        lines.append(f"{role}: {who}")
    return "\n".join(lines)


def versions_compare(old: DraftVersion, new: DraftVersion) -> list[FieldDiff]:
    """The fields of ``new`` marked with their changes since ``old`` (versions prefetched
    with their addressees, as ``selectors.version_of`` returns them)."""
    pairs = [
        (_("Subject"), old.subject, new.subject),
        (_("Addressees"), addressees_text(old), addressees_text(new)),
        (_("Text"), body_text(old.body), body_text(new.body)),
        (_("References"), old.references, new.references),
        (_("Enclosures"), old.enclosures, new.enclosures),
    ]
    found = []
    for label, before, after in pairs:
        html, changed = word_diff(before, after)
        found.append(FieldDiff(label, html, changed))
    return found
