"""The fair copy and the draft preview, read back from the PDF."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from daftar.drafting.models import Draft, DraftKind, LetterTemplate
from daftar.drafting.render import draft_preview_pdf, fair_copy_pdf
from daftar.files.models import Classification, File
from daftar.lib import clock
from daftar.org.selectors import organisation_of
from tests.cast import Cast
from tests.drafting.conftest import URDU_BODY, new_draft, pdf_fonts, pdf_text

URL = "https://daftar.example.gov.pk/verify/AbCdEf123456/"


def fair_copy(draft: Draft, **given: object) -> bytes:
    assert draft.current_version is not None
    values: dict[str, object] = {
        "letter_number": "No. 1-1/2026-D-I",
        "letter_date": dt.date(2026, 3, 5),
        "signer_name": "Imran Qureshi",
        "signer_designation": "Deputy Secretary (Development)",
        "verify_url": URL,
    }
    values.update(given)
    return fair_copy_pdf(draft.current_version, **values)  # type: ignore[arg-type]


def test_the_english_fair_copy_prints_every_part(draft: Draft) -> None:
    pdf = fair_copy(draft)
    text = " ".join(pdf_text(pdf).split())
    for expected in (
        "Government of Pakistan",
        "Water Resources Division",
        "No. 1-1/2026-D-I",
        "5 March 2026",
        "Finance Division",
        "Release of funds for small dams",
        "Development Wing",
        "Planning Commission letter No. PC-12/2026",
        "Statement of expenditure",
        "Yours faithfully,",
        "(Imran Qureshi)",
        "Deputy Secretary (Development)",
        "The Chairman",
        "chairman@wapda.gov.pk",
        "Digitally signed. Verify at",
        "Page 1 of 1",
    ):
        assert expected in text, expected
    assert "DRAFT" not in text


def test_a_long_letter_numbers_its_pages(cast: Cast, file: File) -> None:
    long_body = "".join(
        f"<p>Paragraph {n}. " + "The scheme is on track. " * 30 + "</p>" for n in range(30)
    )
    pdf = fair_copy(new_draft(cast, file, body=long_body))
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= 3
    text = pdf_text(pdf)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text


def test_without_a_url_there_is_no_qr_code(draft: Draft) -> None:
    pdf = fair_copy(draft, verify_url=None)
    assert "Verify at" not in pdf_text(pdf)


def test_the_preview_is_marked_draft_and_unnumbered(draft: Draft) -> None:
    text = pdf_text(draft_preview_pdf(draft.current_version))  # type: ignore[arg-type]
    assert "DRAFT" in text and "DFA-1" in text
    assert "(number given at issue)" in text
    assert "Verify at" not in text
    assert "Release of funds for small dams" in text


def test_a_classified_draft_carries_its_grade_top_and_bottom(cast: Cast, file: File) -> None:
    File.objects.filter(pk=file.pk).update(classification=Classification.RESTRICTED)
    draft = new_draft(cast, file, classification=Classification.RESTRICTED)
    for page in PdfReader(io.BytesIO(fair_copy(draft))).pages:
        text = page.extract_text() or ""
        assert text.count("RESTRICTED") == 2, text  # top and bottom (seen in the PNG too)


def test_the_organisations_own_template_is_used(draft: Draft, file: File) -> None:
    LetterTemplate.objects.create(
        organisation=organisation_of(file.unit),
        kind=DraftKind.LETTER,
        language="en",
        letterhead="GOVERNMENT OF PAKISTAN\nMINISTRY OF WATER RESOURCES\nIslamabad",
        heading="",
        salutation="Dear Sir,",
        closing="Your obedient servant,",
        footer="Block A, Pak Secretariat, Islamabad",
        updated_at=clock.now(),
    )
    text = pdf_text(fair_copy(draft))
    assert "MINISTRY OF WATER RESOURCES" in text and "Your obedient servant," in text
    assert "Block A, Pak Secretariat" in text


def test_an_office_memorandum_has_its_heading(cast: Cast, file: File) -> None:
    draft = new_draft(cast, file, kind=DraftKind.OFFICE_MEMORANDUM)
    assert "OFFICE MEMORANDUM" in pdf_text(fair_copy(draft))


def test_an_urdu_letter_is_set_in_nastaliq_right_to_left(cast: Cast, file: File) -> None:
    draft = new_draft(
        cast,
        file,
        language="ur",
        kind=DraftKind.OFFICE_MEMORANDUM,
        subject="چھوٹے ڈیموں کے لیے فنڈز کا اجرا",
        body=URDU_BODY,
    )
    pdf = fair_copy(draft)
    fonts = pdf_fonts(pdf)
    assert any("Nastaliq" in name for name in fonts), fonts
    assert any("Naskh" in name for name in fonts), fonts
    text = pdf_text(pdf)
    assert "No. 1-1/2026-D-I" in text
    assert "Digitally signed. Verify at" in text
    assert "صفحہ" in text or "ہحفص" in text  # "Page" (extraction order of RTL varies)
