"""The programme dashboard in a real browser: the programme office opens it, the two charts
are painted by the locally served Chart.js with no request leaving the live server and no
CSP complaint, a header sorts the table, and the drill-down opens; a screenshot of each goes
to ``DAFTAR_DATA_DIR/screens/``.

Drives Debian's Chromium through Playwright (never ``playwright install``), as
``tests/search/test_browser.py`` does.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from playwright.sync_api import Page, Request, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.adoption.figures import Programme
from tests.web.test_browser_cycle import CHROMIUM_ARGS, Watch, log_in

pytestmark = pytest.mark.browser

# The opaque pixels of a canvas: 0 until Chart.js has drawn on it.
PAINTED = """(id) => {
  const canvas = document.getElementById(id);
  if (!canvas || !canvas.width) { return 0; }
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { count += 1; } }
  return count;
}"""


def screens_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(page: Page, name: str) -> Path:
    path = screens_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 20_000, "a screenshot of a whole page is not that small"
    return path


def wait_painted(page: Page, canvas_id: str) -> None:
    page.wait_for_function(f"() => ({PAINTED})({canvas_id!r}) > 500")


def names_in_table(page: Page) -> list[str]:
    return page.locator("#programme-table tbody tr td:first-child a").all_inner_texts()


def test_the_programme_office_reads_the_dashboard(
    live_server: LiveServer, programme: Programme
) -> None:
    base = live_server.url
    host = urlparse(base).netloc
    requested: list[str] = []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        context = chromium.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
        page = context.new_page()
        watch = Watch(page)

        def record(request: Request) -> None:
            requested.append(request.url)

        page.on("request", record)
        try:
            log_in(page, base, programme.officer.email)
            page.get_by_role("link", name="Programme").click()
            expect(page.locator("main h1")).to_contain_text("E-office programme")
            # The live server's clock is not frozen: ask for the month of the figures.
            page.goto(f"{base}/programme/?month=2025-06")
            expect(page.locator("main h1")).to_contain_text("June 2025")
            wait_painted(page, "chart-levels")
            wait_painted(page, "chart-usage")
            assert any(url.endswith("/vendor/chartjs/chart.umd.min.js") for url in requested)
            expect(page.locator("#programme-table tbody tr")).to_have_count(5)
            screenshot(page, "programme")

            page.locator("#programme-table th a[data-sort=e]").click()
            expect(page).to_have_url(re.compile(r"sort=e"))
            wait_painted(page, "chart-levels")
            assert names_in_table(page) == [
                "Interior Division",
                "Water Resources Division",
                "Federal Flood Commission",
                "Finance Division",
                "Ministry of Climate Change",
            ]
            expect(page.locator("#programme-table th[aria-sort=descending]")).to_contain_text(
                "Usage % (E)"
            )
            screenshot(page, "programme-sorted")

            page.get_by_role("link", name="Water Resources Division").click()
            expect(page.locator("main h1")).to_contain_text("Water Resources Division")
            expect(page.locator("#org-current")).to_contain_text("level 3: E 80%, R 90%")
            expect(page.locator("#org-units tbody tr")).to_have_count(3)
            expect(page.locator("svg.bars rect")).to_have_count(2)
            screenshot(page, "programme-organisation")
        finally:
            context.close()
            chromium.close()
    outside = [url for url in requested if urlparse(url).netloc not in {host, ""}]
    assert outside == [], f"requests left the live server: {outside}"
    assert watch.outside == []
    assert watch.console_errors == [], f"console errors: {watch.console_errors}"
