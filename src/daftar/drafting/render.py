"""The fair copy: a draft version laid out on A4 as the organisation's letter, rendered to PDF
with WeasyPrint (``drafting/fair_copy.html``).

The organisation's template for the draft's type and language gives the letterhead and the
fixed blocks (letterheads.py). Urdu letters are set right to left, the text in Noto Nastaliq
Urdu and the headings and tables in Noto Naskh Arabic (Debian's fonts-noto-core), shaped by
WeasyPrint's HarfBuzz. Classified drafts carry their grade at the top and bottom of every
page, as the acknowledgement slip does. Nothing here writes to the database.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML  # type: ignore[import-untyped]

from daftar.drafting.content import clean_body
from daftar.drafting.letterheads import Form, form_for
from daftar.drafting.models import AddresseeKind, AddresseeRole, Draft, DraftVersion
from daftar.drafting.selectors import addressees_prefetch, organisation_of_file
from daftar.files.models import Classification
from daftar.org.models import OrgUnit

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "dated": "Dated",
        "to": "To",
        "subject": "Subject:",
        "reference": "Reference:",
        "enclosures": "Enclosures:",
        "copy": "Copy to:",
        "page": "Page",
        "of": "of",
        "verify": "",
        "draft": "DRAFT",
        "unnumbered": "(number given at issue)",
        "signer": "Signing officer",
    },
    "ur": {
        "dated": "مورخہ",
        "to": "بخدمت",
        "subject": "عنوان:",
        "reference": "حوالہ:",
        "enclosures": "منسلکات:",
        "copy": "نقل برائے:",
        "page": "صفحہ",
        "of": "از",
        "verify": "ڈیجیٹل دستخط شدہ۔ تصدیق کے لیے:",  # noqa: RUF001  # Urdu full stop
        "draft": "مسودہ",
        "unnumbered": "(نمبر اجرا پر دیا جائے گا)",
        "signer": "دستخط کنندہ افسر",
    },
}
MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "ur": [
        "جنوری",
        "فروری",
        "مارچ",
        "اپریل",
        "مئی",
        "جون",
        "جولائی",
        "اگست",
        "ستمبر",
        "اکتوبر",
        "نومبر",
        "دسمبر",
    ],
}


def date_text(day: dt.date, language: str) -> str:
    """``5 March 2026`` / ``5 مارچ 2026``: month names in the letter's language."""
    return f"{day.day} {MONTHS[language][day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Letter:
    """Everything printed on the fair copy."""

    organisation: OrgUnit
    form: Form
    language: str
    grade: str
    subject: str
    body: str
    references: list[str]
    enclosures: list[str]
    to: list[list[str]]
    copies: list[list[str]]
    letter_number: str
    letter_date: str
    signer_name: str
    signer_designation: str
    verify_url: str | None = None
    qr: str = ""
    draft_mark: str = ""  # "DFA-2 · version 3" on a preview
    labels: dict[str, str] = field(default_factory=dict)


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI (vector: sharp at any print size)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def _addressee_lines(version: DraftVersion) -> tuple[list[list[str]], list[list[str]]]:
    to: list[list[str]] = []
    copies: list[list[str]] = []
    for a in version.addressees.all():
        if a.kind == AddresseeKind.INTERNAL and a.organisation is not None:
            lines = [a.post.designation] if a.post is not None else []
            lines.append(a.organisation.name)
        else:
            lines = [a.name, *a.address.splitlines()]
            if a.email:
                lines.append(a.email)
        (to if a.role == AddresseeRole.TO else copies).append(lines)
    return to, copies


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _grade(classification: int) -> str:
    if classification <= Classification.UNCLASSIFIED:
        return ""
    return str(Classification(classification).label).upper()


def letter_of(version: DraftVersion, **printed: str) -> Letter:
    """The letter for ``version``; ``printed`` gives the number, date and signer lines."""
    draft: Draft = version.draft
    organisation = organisation_of_file(draft.file)
    version = (
        DraftVersion.objects.prefetch_related(addressees_prefetch()).get(pk=version.pk)
        if version.pk
        else version
    )
    to, copies = _addressee_lines(version)
    return Letter(
        organisation=organisation,
        form=form_for(organisation, draft.kind, draft.language),
        language=draft.language,
        grade=_grade(draft.classification),
        subject=version.subject,
        body=clean_body(version.body),  # cleaned on save; again here, as the last line
        references=_lines(version.references),
        enclosures=_lines(version.enclosures),
        to=to,
        copies=copies,
        labels=LABELS[draft.language],
        **printed,
    )


def letter_pdf(letter: Letter) -> bytes:
    with translation.override("en"):
        html = render_to_string("drafting/fair_copy.html", {"letter": letter})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def fair_copy_pdf(
    version: DraftVersion,
    *,
    letter_number: str,
    letter_date: dt.date,
    signer_name: str,
    signer_designation: str,
    verify_url: str | None,
) -> bytes:
    """The fair copy to be signed: the organisation's form, the letter number and date, the
    signer block and, with ``verify_url``, a QR code of it and the words "Digitally signed.
    Verify at <url>"."""
    letter = letter_of(
        version,
        letter_number=letter_number,
        letter_date=date_text(letter_date, version.draft.language),
        signer_name=signer_name,
        signer_designation=signer_designation,
    )
    if verify_url:
        letter = replace(letter, verify_url=verify_url, qr=qr_data_uri(verify_url))
    return letter_pdf(letter)


def draft_preview_pdf(version: DraftVersion) -> bytes:
    """The same layout, marked DRAFT on every page, with no number, signer or QR code."""
    draft = version.draft
    labels = LABELS[draft.language]
    zone = ZoneInfo(organisation_of_file(draft.file).time_zone)
    letter = letter_of(
        version,
        letter_number=labels["unnumbered"],
        letter_date=date_text(version.created_at.astimezone(zone).date(), draft.language),
        signer_name=labels["signer"],
        signer_designation="",
        draft_mark=f"{draft.label} · v{version.number}",
    )
    return letter_pdf(letter)
