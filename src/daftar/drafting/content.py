"""What a draft may contain, checked before anything is written.

The body is rich text from the editor, reduced to a small safe subset with nh3 (an HTML
sanitiser): paragraphs, line breaks, bold, italic, underline, lists, quotations, a level-3
heading and plain tables; the only attribute kept is ``dir`` (``ltr`` or ``rtl``), so a
paragraph of English in an Urdu letter keeps its direction. Scripts, event handlers, links,
styles and images are removed, so the stored body can be shown on a page and printed as is.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from daftar.drafting.models import AddresseeKind, AddresseeRole
from daftar.lib.errors import InvalidInput
from daftar.org.models import ORGANISATION_KINDS, OrgUnit, Post
from daftar.org.selectors import organisation_of

BODY_TAGS = frozenset(
    {"p", "br", "strong", "em", "u", "ol", "ul", "li", "blockquote", "h3"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)
_DIRECTIONS = {"dir": {"ltr", "rtl"}}
MAX_SUBJECT = 500
MAX_BODY = 100_000  # characters of sanitised HTML: a long summary, not a book
MAX_TEXT = 5_000  # references, enclosures
MAX_ADDRESSEES = 50


# What browsers' editing commands write, as the subset spells it.
_SYNONYMS = (
    (re.compile(r"<(/?)b\b", re.I), r"<\1strong"),
    (re.compile(r"<(/?)i\b", re.I), r"<\1em"),
    (re.compile(r"<(/?)div\b", re.I), r"<\1p"),
)


def plain_to_html(text: str) -> str:
    """Plain text (the textarea without JavaScript): blank lines part paragraphs."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return "".join(
        "<p>" + "<br>".join(html_lib.escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p.strip()
    )


def clean_body(html: str) -> str:
    """The body reduced to the safe subset (scripts and styles dropped with their content)."""
    if "<" not in html:
        html = plain_to_html(html)
    for pattern, replacement in _SYNONYMS:
        html = pattern.sub(replacement, html)
    cleaned = nh3.clean(
        html,
        tags=set(BODY_TAGS),
        attributes={},
        tag_attribute_values={tag: _DIRECTIONS for tag in BODY_TAGS},
        clean_content_tags={"script", "style"},
        link_rel=None,
        strip_comments=True,
    )
    return cleaned.strip()


def body_text(html: str) -> str:
    """The words of a body, one block a line (for comparing versions and for searching)."""
    spaced = re.sub(r"(?i)<br\s*/?>|</(p|li|h3|blockquote|tr|th|td)>", "\n", html)
    text = html_lib.unescape(strip_tags(spaced))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class AddresseeInput:
    """One addressee as typed: an organisation on this instance (and optionally the post it is
    meant for), or someone outside it (name, and an address or an e-mail address)."""

    kind: str = AddresseeKind.INTERNAL
    role: str = AddresseeRole.TO
    organisation_id: int | None = None
    post_id: int | None = None
    name: str = ""
    address: str = ""
    email: str = ""


@dataclass(frozen=True)
class Content:
    """A draft's text, checked and cleaned, ready to be written."""

    subject: str
    body: str
    references: str
    enclosures: str
    addressees: tuple[AddresseeInput, ...]


def _text_block(value: str, label: str) -> str:
    lines = [" ".join(line.split()) for line in value.replace("\r\n", "\n").split("\n")]
    text = "\n".join(line for line in lines if line)
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            _("The %(what)s are longer than %(n)s characters.") % {"what": label, "n": MAX_TEXT}
        )
    return text


def content_check(
    *,
    subject: str,
    body: str,
    references: str,
    enclosures: str,
    addressees: Sequence[AddresseeInput],
) -> Content:
    subject = " ".join(subject.split())
    if not subject:
        raise InvalidInput(_("A draft needs a subject."))
    if len(subject) > MAX_SUBJECT:
        raise InvalidInput(_("The subject is longer than 500 characters."))
    cleaned = clean_body(body)
    if not body_text(cleaned):
        raise InvalidInput(_("The draft is empty: write its text."))
    if len(cleaned) > MAX_BODY:
        raise InvalidInput(_("The text is too long for one draft."))
    return Content(
        subject=subject,
        body=cleaned,
        references=_text_block(references, _("references")),
        enclosures=_text_block(enclosures, _("enclosures")),
        addressees=addressees_check(addressees),
    )


def addressees_check(addressees: Sequence[AddresseeInput]) -> tuple[AddresseeInput, ...]:
    """Each addressee complete and real; at least one "to". Internal ones name an
    organisation on this instance and, if a post, a post inside that organisation."""
    if len(addressees) > MAX_ADDRESSEES:
        raise InvalidInput(_("At most %(n)s addressees.") % {"n": MAX_ADDRESSEES})
    checked = tuple(_addressee_check(n, a) for n, a in enumerate(addressees, start=1))
    if not any(a.role == AddresseeRole.TO for a in checked):
        raise InvalidInput(_("A draft needs at least one addressee under “To”."))
    return checked


def _addressee_check(n: int, given: AddresseeInput) -> AddresseeInput:
    if given.role not in AddresseeRole.values:
        raise InvalidInput(_("Addressee %(n)s: choose “To” or “Copy to”.") % {"n": n})
    if given.kind == AddresseeKind.INTERNAL:
        return _internal_check(n, given)
    if given.kind != AddresseeKind.EXTERNAL:
        raise InvalidInput(_("Addressee %(n)s: unknown kind of addressee.") % {"n": n})
    name = " ".join(given.name.split())
    address = "\n".join(line.strip() for line in given.address.splitlines() if line.strip())
    email = given.email.strip()
    if not name:
        raise InvalidInput(_("Addressee %(n)s: write the name or designation.") % {"n": n})
    if len(name) > 200 or len(address) > 1000:
        raise InvalidInput(_("Addressee %(n)s: the name or address is too long.") % {"n": n})
    if not address and not email:
        raise InvalidInput(_("Addressee %(n)s: give a postal address or an e-mail.") % {"n": n})
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput(
                _("Addressee %(n)s: “%(email)s” is not an e-mail address.")
                % {"n": n, "email": email}
            ) from exc
    return AddresseeInput(
        kind=AddresseeKind.EXTERNAL, role=given.role, name=name, address=address, email=email
    )


def _internal_check(n: int, given: AddresseeInput) -> AddresseeInput:
    organisation = OrgUnit.objects.filter(
        pk=given.organisation_id or 0, kind__in=ORGANISATION_KINDS
    ).first()
    if organisation is None:
        raise InvalidInput(_("Addressee %(n)s: choose an organisation on Daftar.") % {"n": n})
    if given.post_id is not None:
        post = Post.objects.filter(pk=given.post_id, is_active=True).select_related("unit").first()
        if post is None or organisation_of(post.unit).pk != organisation.pk:
            raise InvalidInput(
                _("Addressee %(n)s: that post is not in %(org)s.")
                % {"n": n, "org": organisation.name}
            )
    return AddresseeInput(
        kind=AddresseeKind.INTERNAL,
        role=given.role,
        organisation_id=organisation.pk,
        post_id=given.post_id,
    )
