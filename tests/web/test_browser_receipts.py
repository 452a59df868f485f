"""A letter's way in a real browser: the registry clerk diarises a scanned letter and sends it
to the assistant; the assistant opens it, opens a new file with it, reads page 1 in the viewer
and writes a note whose "F/A" leads back to that page.

Drives Debian's Chromium through Playwright (never ``playwright install``), with the checks
and screenshots of ``test_browser_cycle``.
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlparse

import pytest
from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import Page, expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from daftar.files.models import CorrespondenceItem
from daftar.receipts.models import Receipt
from daftar.receipts.senders import sender_create
from tests.cast import Cast
from tests.web.test_browser_cycle import CHROMIUM_ARGS, Watch, log_in, log_out, shot

pytestmark = pytest.mark.browser

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SUBJECT = "Release of funds for Satpara dam"


def scanned_letter() -> bytes:
    """An A4 page at 100 dpi, drawn like a typed letter."""
    page = Image.new("L", (827, 1169), 255)
    draw = ImageDraw.Draw(page)
    big, font = ImageFont.truetype(DEJAVU, 26), ImageFont.truetype(DEJAVU, 18)
    draw.text((413, 80), "GOVERNMENT OF PAKISTAN", font=big, fill=0, anchor="mm")
    draw.text((413, 115), "PLANNING COMMISSION", font=font, fill=0, anchor="mm")
    lines = [
        "No. F.4(12)/2026-Dev                                   Islamabad",
        "",
        "To: The Secretary, Water Resources Division",
        "",
        f"Subject: {SUBJECT.upper()}",
        "",
        "I am directed to refer to the subject noted above and to say",
        "that the second tranche for the Satpara dam may be released",
        "on receipt of the utilisation certificate for the first.",
        "",
        "(Tariq Mahmood)",
        "Chief (Water)",
    ]
    for row, line in enumerate(lines):
        draw.text((80, 200 + row * 34), line, font=font, fill=0)
    out = io.BytesIO()
    page.save(out, "PNG", dpi=(100, 100))
    return out.getvalue()


def image_loaded(page: Page, selector: str) -> bool:
    return bool(page.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0"))


def test_registry_diarises_and_assistant_opens_a_file_with_it(
    live_server: LiveServer, settings: Settings, cast: Cast, tmp_path: Path
) -> None:
    settings.DOCUMENT_STORE = {
        "BACKEND": "daftar.documents.storage.LocalBlobStore",
        "OPTIONS": {"root": str(tmp_path / "blobs")},
    }
    settings.DOCUMENT_DERIVED_DIR = tmp_path / "derived"
    sender_create(
        actor=cast.registry_clerk,
        organisation="Planning Commission",
        name="Tariq Mahmood",
        designation="Chief (Water)",
        email="chief.water@pc.gov.pk",
    )
    letter = tmp_path / "satpara-letter.png"
    letter.write_bytes(scanned_letter())
    base = live_server.url
    assert urlparse(base).hostname == "127.0.0.1"

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        watch = Watch(page)
        try:
            # The registry clerk diarises the scanned letter and marks it to the assistant.
            log_in(page, base, cast.registry_clerk.email)
            page.get_by_role("link", name="Diarise", exact=True).click()
            expect(page.get_by_role("heading", name="Diarise a receipt")).to_be_visible()
            with page.expect_response(lambda r: "/receipts/senders/search/" in r.url) as found:
                page.get_by_label("Find the sender").fill("planning")
            assert found.value.ok
            option = page.locator("#sender-options label", has_text="Planning Commission")
            expect(option).to_have_count(1)
            option.click()
            page.get_by_label("Subject", exact=True).fill(SUBJECT)
            page.get_by_label("Letter no.").fill("F.4(12)/2026-Dev")
            page.get_by_label("Scanned letter or e-mailed documents").set_input_files(letter)
            send = page.locator("#send")
            with page.expect_response(lambda r: "/posts/search/" in r.url) as searched:
                send.get_by_placeholder("Search designation, section or name").fill("Assistant")
            assert searched.value.ok
            to = send.locator(
                "#post-options label.post-option", has_text="Assistant (Development-I)"
            )
            to.click()
            send.get_by_label("Remarks for the receiver").fill("Please put up on a file.")
            shot(page, "r01-diarise-form")
            page.get_by_role("button", name="Diarise", exact=True).click()

            expect(page.get_by_text("and sent to Assistant (Development-I)")).to_be_visible()
            expect(page.get_by_role("heading", name=SUBJECT)).to_be_visible()
            expect(page.get_by_role("button", name="Print acknowledgement")).to_be_visible()
            expect(page.get_by_role("button", name="E-mail acknowledgement")).to_be_visible()
            page.wait_for_function(
                "() => [...document.querySelectorAll('.paper-page img')]"
                ".every(i => i.complete && i.naturalWidth > 0)"
            )
            shot(page, "r02-receipt-after-diarising")
            log_out(page)

            # The assistant finds it, unread, in the Receipts tab.
            log_in(page, base, cast.assistant.email)
            page.get_by_role("link", name="Receipts").first.click()  # not "Receipts forwarded"
            unread = page.locator("a.inbox-unread", has_text=SUBJECT)
            expect(unread).to_be_visible()
            expect(unread).to_contain_text("marked by Registry Clerk")
            shot(page, "r03-assistant-receipts-inbox")
            unread.click()
            expect(page.get_by_role("heading", name=SUBJECT)).to_be_visible()
            page.wait_for_function(
                "() => [...document.querySelectorAll('.paper-page img')]"
                ".every(i => i.complete && i.naturalWidth > 0)"
            )
            expect(page.locator("#file-options")).to_contain_text("No open file is with you.")
            shot(page, "r04-assistant-receipt")

            # Opens a new file with it: the letter becomes the PUC at flag A, page 1.
            page.get_by_role("button", name="Open a new file with it").click()
            expect(page.get_by_text("as its PUC (F/A)")).to_be_visible()
            panel = page.locator("section", has=page.locator("#corr-heading"))
            expect(panel.locator(".flag-slip")).to_have_text(["A"])
            expect(panel).to_contain_text("PUC")
            expect(page.locator("article.note-receipt")).to_contain_text("F/A")
            shot(page, "r05-file-with-puc")

            # Page 1 in the viewer.
            panel.get_by_role("link", name=SUBJECT).click()
            expect(page.get_by_role("heading", name="Page 1 of 1")).to_be_visible()
            page.wait_for_function(
                "() => { const i = document.querySelector('img.file-page-image');"
                " return i && i.complete && i.naturalWidth > 0; }"
            )
            assert image_loaded(page, "img.file-page-image")
            shot(page, "r06-page-viewer")

            # A note that cites the flag; the link opens the page.
            page.locator("nav[aria-label=Breadcrumb] a").nth(1).click()  # back to the file
            page.get_by_label("Write a note").fill(
                "The Planning Commission's letter at F/A asks for the utilisation certificate.\n\n"
                "May kindly see for orders."
            )
            page.get_by_role("button", name="Add note").click()
            draft = page.locator("article.note-draft", has_text="utilisation certificate")
            link = draft.get_by_role("link", name="F/A")
            expect(link).to_be_visible()
            shot(page, "r07-note-citing-flag")
            link.click()
            expect(page.get_by_role("heading", name="Page 1 of 1")).to_be_visible()
            page.wait_for_function(
                "() => { const i = document.querySelector('img.file-page-image');"
                " return i && i.complete && i.naturalWidth > 0; }"
            )
            shot(page, "r08-flag-link-opens-page")
        finally:
            context.close()

        # The same papers right to left (Urdu), and the viewer on a phone.
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ur-PK")
        page = context.new_page()
        watch_rtl = Watch(page)
        try:
            log_in(page, base, cast.assistant.email)
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            item = CorrespondenceItem.objects.get()
            page.goto(f"{base}/files/{item.file_id}/")
            expect(page.locator(".flag-slip")).to_have_text(["A"])
            shot(page, "r09-file-with-puc-rtl")
            page.goto(f"{base}/receipts/{item.receipt_id}/")
            shot(page, "r10-receipt-rtl")
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(f"{base}/files/{item.file_id}/pages/1/")
            page.wait_for_function(
                "() => { const i = document.querySelector('img.file-page-image');"
                " return i && i.complete && i.naturalWidth > 0; }"
            )
            shot(page, "r11-page-viewer-phone-rtl")
        finally:
            context.close()
            chromium.close()

    for seen in (watch, watch_rtl):
        assert seen.outside == [], f"requests left 127.0.0.1: {seen.outside}"
        assert seen.console_errors == [], f"console errors: {seen.console_errors}"
    assert watch.outside == [], f"requests left 127.0.0.1: {watch.outside}"
    assert watch.console_errors == [], f"console errors: {watch.console_errors}"
    receipt = Receipt.objects.get()
    item = CorrespondenceItem.objects.get(receipt=receipt)
    assert item.flag == "A" and item.first_page == 1 and item.kind == "puc"
    assert item.file.holder == cast.assistant_post
    assert receipt.documents.get().document.original_name == "satpara-letter.png"
