"""The security grade shows at the top and bottom centre of every page that shows a classified
file or receipt (styled by class: the CSP allows no inline style), and of every page of the
acknowledgement slip PDF."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from daftar.files.correspondence import receipt_put_on_file
from daftar.files.models import Classification
from daftar.files.services import file_open
from daftar.org.models import User
from daftar.receipts.acknowledgement import acknowledgement_pdf
from daftar.receipts.custody import receipt_send
from daftar.receipts.models import Sender
from daftar.receipts.senders import sender_create
from tests.cast import Cast
from tests.clearance import clear_for
from tests.receipts.conftest import register
from tests.web.conftest import text_of

Login = Callable[[User], Client]
BANNER = re.compile(r'<div class="grade-banner grade-(\d)"[^>]*>([^<]*)</div>')


@pytest.fixture
def sender(cast: Cast) -> Sender:
    return sender_create(actor=cast.registry_clerk, organisation="WAPDA", name="Chief Engineer")


def banners(html: str) -> list[tuple[str, str]]:
    found = BANNER.findall(html)
    if found:  # one before the page's content, one after it
        first, last = html.index('class="grade-banner'), html.rindex('class="grade-banner')
        assert first < html.index('<main id="main"') < html.index("</main>") < last
    return found


def test_file_pages_carry_the_grade_top_and_bottom(cast: Cast, login: Login) -> None:
    clear_for(cast.assistant, Classification.SECRET)
    secret = file_open(
        actor=cast.assistant,
        post_id=cast.assistant_post.pk,
        subject="Dam safety review",
        classification=Classification.SECRET,
    )
    plain = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Tube wells")
    client = login(cast.assistant)
    html = text_of(client.get(reverse("file-detail", args=[secret.pk])))
    assert banners(html) == [("3", "Secret"), ("3", "Secret")]
    assert 'class="grade-banner' in html and 'grade-banner grade-3" style' not in html
    assert banners(text_of(client.get(reverse("file-detail", args=[plain.pk])))) == []


def test_receipt_page_and_page_viewer_carry_the_grade(
    cast: Cast, sender: Sender, login: Login
) -> None:
    for person in (cast.registry_clerk, cast.assistant):
        clear_for(person, Classification.CONFIDENTIAL)
    receipt = register(cast, sender, is_physical=True, classification=Classification.CONFIDENTIAL)
    clerk = text_of(login(cast.registry_clerk).get(reverse("receipt-detail", args=[receipt.pk])))
    assert banners(clerk) == [("2", "Confidential")] * 2

    receipt_send(
        actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    file = file_open(
        actor=cast.assistant,
        post_id=cast.assistant_post.pk,
        subject="Dam safety",
        classification=Classification.RESTRICTED,
    )
    receipt_put_on_file(actor=cast.assistant, receipt_id=receipt.pk, file_id=file.pk)
    file.refresh_from_db()
    page = text_of(login(cast.assistant).get(reverse("file-page", args=[file.pk, 1])))
    level = str(file.classification)
    assert banners(page) == [(level, file.get_classification_display())] * 2


def pdf_pages(pdf: bytes) -> list[str]:
    return [(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def test_acknowledgement_slip_prints_the_grade_top_and_bottom_of_every_page(
    cast: Cast, sender: Sender
) -> None:
    clear_for(cast.registry_clerk, Classification.TOP_SECRET)
    receipt = register(
        cast, sender, classification=Classification.TOP_SECRET, subject="Indus waters talks"
    )
    pages = pdf_pages(acknowledgement_pdf(receipt))
    assert pages
    for text in pages:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert text.count("TOP SECRET") == 2, text
        assert "TOP SECRET" in (lines[0], lines[-1]), lines

    plain = register(cast, sender, subject="Tube wells")
    for text in pdf_pages(acknowledgement_pdf(plain)):
        assert not re.search(r"RESTRICTED|CONFIDENTIAL|SECRET", text)
