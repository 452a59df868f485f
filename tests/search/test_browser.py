"""Issue 6's browser test: a scanned Urdu letter is diarised and read by OCR (real Tesseract,
``urd``); the assistant types an Urdu word from it in the header's search box, sees the hit
with the word marked, clicks it and lands on that page of the letter; once the letter is on
a file, the same search leads to the page in the file's viewer.

Drives Debian's Chromium through Playwright (never ``playwright install``) with the checks
and screenshots of ``tests/web/test_browser_cycle.py`` (``DAFTAR_TEST_ARTIFACTS``).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import img2pdf  # type: ignore[import-untyped]
import pytest
from django.core.management import call_command
from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import Page, expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from daftar.documents.models import OcrStatus
from daftar.documents.services import document_store
from daftar.files.correspondence import file_open_from_receipt
from daftar.lib import clock
from daftar.receipts.diary import receipt_register
from daftar.receipts.models import Language, Mode
from daftar.receipts.senders import sender_create
from tests.cast import Cast
from tests.documents.samples import DEJAVU, NASKH
from tests.web.test_browser_cycle import CHROMIUM_ARGS, Watch, log_in, shot

pytestmark = pytest.mark.browser

WORD = "وسائل"  # "resources", as in "Ministry of Water Resources"
URDU = [
    "حکومت پاکستان",
    "وزارت آبی وسائل",
    "پانی کے وسائل کی منصفانہ تقسیم",
]


def _page(lines: list[str], *, urdu: bool) -> bytes:
    """One page of a letter, scanned at 300 dpi (short, so OCR stays quick)."""
    image = Image.new("L", (1240, 120 + 100 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(NASKH if urdu else DEJAVU, 48 if urdu else 36)
    for row, line in enumerate(lines):
        y = 60 + row * 100
        if urdu:
            draw.text((1160, y), line, font=font, fill=0, anchor="ra", direction="rtl")
        else:
            draw.text((80, y), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


def urdu_letter() -> bytes:
    """A scanned two-page letter: an English covering page, then the Urdu text."""
    cover = _page(["WAPDA House, Lahore", "Covering letter: see overleaf"], urdu=False)
    return bytes(img2pdf.convert([cover, _page(URDU, urdu=True)]))


def search_from_header(page: Page, words: str) -> None:
    box = page.locator("#nav-search")
    box.fill(words)
    box.press("Enter")
    expect(page.locator("#search-count")).to_be_visible()


def test_an_urdu_word_from_a_scan_finds_its_page(
    live_server: LiveServer, settings: Settings, cast: Cast, tmp_path: Path
) -> None:
    settings.DOCUMENT_STORE = {
        "BACKEND": "daftar.documents.storage.LocalBlobStore",
        "OPTIONS": {"root": str(tmp_path / "blobs")},
    }
    settings.DOCUMENT_DERIVED_DIR = tmp_path / "derived"
    sender = sender_create(
        actor=cast.registry_clerk, organisation="WAPDA", name="Member (Water)", email="w@wapda.pk"
    )
    scan = document_store(actor=cast.registry_clerk, name="khat.pdf", content=urdu_letter())
    receipt = receipt_register(
        actor=cast.registry_clerk,
        post_id=cast.registry_post.pk,
        sender_id=sender.pk,
        subject="Letter from WAPDA on sharing of water",
        received_on=clock.now().date(),
        mode=Mode.POST,
        language=Language.URDU,
        document_ids=[scan.pk],
        send_to_post_id=cast.assistant_post.pk,
    )
    call_command("worker", "--batch", verbosity=0)  # the OCR job, as `daftar worker` runs it
    scan.refresh_from_db()
    assert scan.ocr_status == OcrStatus.DONE, scan.ocr_error

    base = live_server.url
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        watch = Watch(page)
        try:
            log_in(page, base, cast.assistant.email)
            search_from_header(page, WORD)
            hit = page.locator(".search-hit", has=page.locator("mark", has_text=WORD))
            expect(hit).to_have_count(1)
            expect(hit.locator(".search-snippet")).to_have_attribute("dir", "auto")
            link = hit.locator("a.search-hit-link")
            expect(link).to_contain_text(f"Receipt {receipt.diary_number}, page 2")
            shot(page, "search-1-urdu-word-found")

            link.click()
            expect(page).to_have_url(re.compile(rf"/receipts/{receipt.pk}/#doc-{scan.pk}-page-2$"))
            target = page.locator(f"#doc-{scan.pk}-page-2")
            expect(target.locator("img")).to_be_visible()
            page.wait_for_function(
                "id => { const i = document.querySelector(`#${id} img`);"
                " return i && i.complete && i.naturalWidth > 0; }",
                arg=f"doc-{scan.pk}-page-2",
            )
            target.scroll_into_view_if_needed()
            expect(target).to_be_in_viewport()
            shot(page, "search-2-receipt-page-2")

            # On a file, the same word leads to the page in the file's viewer.
            item = file_open_from_receipt(actor=cast.assistant, receipt_id=receipt.pk)
            search_from_header(page, WORD)
            link = page.locator(".search-hit a.search-hit-link", has_text="on the file")
            expect(link).to_have_count(1)
            expect(page.locator(".search-group")).to_contain_text(item.file.number)
            shot(page, "search-3-found-on-the-file")
            # Narrowed to what the assistant's post holds, with the post picker.
            page.locator(".search-advanced summary").click()
            with page.expect_response(lambda r: "/search/posts/" in r.url) as found:
                page.get_by_placeholder("Search designation, section or name").fill("Assistant")
            assert found.value.ok
            page.locator("#holder-options label", has_text="Assistant (Development-I)").click()
            page.locator("#search-form details button[type=submit]").click()
            expect(page.locator(".search-advanced")).to_have_attribute("open", "")
            expect(page.locator("input[name=holder]:checked")).to_have_value(
                str(cast.assistant_post.pk)
            )
            assert "post=" not in page.url  # the picker's own box is not part of the search
            shot(page, "search-4-advanced-search")
            link.click()
            expect(page).to_have_url(re.compile(rf"/files/{item.file_id}/pages/2/$"))
            expect(page.get_by_role("heading", name="Page 2 of 2")).to_be_visible()
            page.wait_for_function(
                "() => { const i = document.querySelector('img.file-page-image');"
                " return i && i.complete && i.naturalWidth > 0; }"
            )
            shot(page, "search-5-file-page-2")
        finally:
            context.close()
            chromium.close()
    assert watch.outside == [], f"requests left 127.0.0.1: {watch.outside}"
    assert watch.console_errors == [], f"console errors: {watch.console_errors}"
