"""The public verification pages in a real browser (Debian's Chromium), with screenshots
under /tmp/shots-signing/ to look at."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from daftar.signing import api
from tests.cast import Cast
from tests.signing.conftest import signed_letter
from tests.signing.test_validation import one_byte_changed
from tests.web.test_browser_cycle import CHROMIUM_ARGS, Watch

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("authority")]

SHOTS = Path(tempfile.gettempdir()) / "shots-signing"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_public_verification_pages(
    live_server: LiveServer, cast: Cast, letter: bytes, tmp_path: Path
) -> None:
    token = api.verification_token_new()
    signed = signed_letter(cast, letter, token=token)
    sealed = api.pdf_seal(organisation=cast.division, pdf=signed, reason="Issued", token=token)
    good, bad, text = tmp_path / "letter.pdf", tmp_path / "changed.pdf", tmp_path / "note.pdf"
    good.write_bytes(sealed)
    bad.write_bytes(one_byte_changed(sealed))
    text.write_bytes(b"not a pdf at all")
    base = live_server.url
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_context(viewport={"width": 1100, "height": 800}).new_page()
        watch = Watch(page)
        try:
            page.goto(f"{base}/verify/")
            shot(page, "01-verify-empty")
            page.set_input_files("#id_pdf", str(good))
            page.get_by_role("button", name="Check the signatures").click()
            expect(page.locator("#result-heading")).to_contain_text("are valid")
            shot(page, "02-verify-valid")
            page.set_input_files("#id_pdf", str(bad))
            page.get_by_role("button", name="Check the signatures").click()
            expect(page.locator("#result-heading")).to_contain_text("did not pass")
            shot(page, "03-verify-tampered")
            page.set_input_files("#id_pdf", str(text))
            page.get_by_role("button", name="Check the signatures").click()
            expect(page.locator(".invalid-feedback")).to_contain_text("not a PDF")
            shot(page, "04-verify-not-a-pdf")
            page.goto(api.verification_url(token).replace("http://127.0.0.1:8000", base))
            expect(page.locator("#record")).to_contain_text(cast.secretary.full_name)
            shot(page, "05-token-record")
            page.set_input_files("#id_pdf", str(good))
            page.get_by_role("button", name="Check the signatures").click()
            expect(page.locator("#same-file")).to_contain_text("exactly the file")
            shot(page, "06-token-same-file")
            page.goto(f"{base}/verify/unknown-token/")
            expect(page.get_by_role("heading", level=1)).to_contain_text("No letter found")
            shot(page, "07-token-unknown")
        finally:
            browser.close()
    # The refused upload (400) and the unknown token (404) are meant to be logged as such.
    expected = ("status of 400", "status of 404")
    errors = [e for e in watch.console_errors if not any(code in e for code in expected)]
    assert watch.outside == [] and errors == []
