"""The basic cycle in a real browser: the assistant puts a file up, the section officer sends it on.

Drives Debian's Chromium through Playwright (never ``playwright install``) against the live
server, saves a screenshot of each screen, and checks that no request leaves this machine and
that the strict CSP is never violated.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request, expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from daftar.accounts.policy import two_factor_required
from daftar.files.models import File, Note
from daftar.movement.models import Action, Movement
from daftar.org.models import User
from tests.accounts.helpers import authenticator, code_for
from tests.cast import PASSWORD, Cast

# Sync Playwright runs an event loop in this thread; Django's ORM would refuse to run here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Serve on 127.0.0.1 so "no request leaves 127.0.0.1" can be checked literally.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def artifacts_dir() -> Path:
    configured = Path(os.environ.get("DAFTAR_TEST_ARTIFACTS") or "test-results/screenshots")
    folder = configured if configured.is_absolute() else REPO / configured
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Watch:
    """Collects what the page did that it must not: leave the machine, or break the CSP."""

    def __init__(self, page: Page) -> None:
        self.outside: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", self._request)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))

    def _request(self, request: Request) -> None:
        url = urlparse(request.url)
        if url.scheme in {"data", "blob", "about"}:
            return
        if url.hostname != "127.0.0.1":
            self.outside.append(request.url)

    def _console(self, message: ConsoleMessage) -> None:
        text = message.text
        if message.type == "error" or "Content Security Policy" in text or "Refused" in text:
            self.console_errors.append(f"{message.type}: {text}")


def shot(page: Page, name: str) -> Path:
    path = artifacts_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Page, base: str, email: str) -> None:
    """Password, then, for a person whose roles require it (docs/login.md), the code of
    their authenticator app."""
    person = User.objects.get(email=email)
    device = authenticator(person) if two_factor_required(person) else None
    page.goto(f"{base}/accounts/login/")
    # By field name, not label: the Urdu run shows Django's own Urdu labels.
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    if device is not None:
        page.locator("input[name=code]").fill(code_for(device))
        page.locator("input[name=code]").press("Enter")
    expect(page.locator("main h1")).to_have_text("My files")


def log_out(page: Page) -> None:
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():  # narrow screens fold the navbar away
        menu.click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to Daftar")).to_be_visible()


def send_to(page: Page, search: str, designation: str, remarks: str) -> None:
    panel = page.locator("#send")
    with page.expect_response(lambda response: "/posts/search/" in response.url) as searched:
        panel.get_by_placeholder("Search designation, section or name").fill(search)
    assert searched.value.ok
    option = panel.locator("#post-options label.post-option", has_text=designation)
    expect(option).to_have_count(1)
    option.click()
    expect(option.locator("input[type=radio]")).to_be_checked()
    panel.get_by_label("Remarks").fill(remarks)


def test_assistant_puts_up_and_section_officer_sends_on(
    live_server: LiveServer, settings: Settings, cast: Cast, file: File
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
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
            # The assistant logs in and finds the file in the inbox.
            page.goto(f"{base}/")
            expect(page.get_by_role("heading", name="Log in to Daftar")).to_be_visible()
            shot(page, "01-login")
            log_in(page, base, cast.assistant.email)
            shot(page, "02-assistant-home")

            page.get_by_role("link", name=file.subject).click()
            expect(page.get_by_role("heading", name=file.subject)).to_be_visible()

            # Writes a note: two paragraphs, numbered 1 and 2, shown as a yellow draft.
            page.get_by_label("Write a note").fill(
                "Proposal for two small dams at Chakwal received from the PD.\n\n"
                "May kindly see for approval in principle."
            )
            page.get_by_role("button", name="Add note").click()
            draft = page.locator("article.note-draft")
            expect(draft).to_have_count(1)
            expect(draft).to_contain_text("May kindly see for approval in principle.")
            expect(draft.locator(".para-num")).to_have_text(["1.", "2."])

            # Corrects it in place (htmx swaps the note for its edit form).
            draft.get_by_role("link", name="Edit").click()
            editor = page.locator("form.note textarea")
            expect(editor).to_have_value(re.compile("^Proposal for two small dams"))
            editor.fill(
                "Proposal for two small dams at Chakwal received from the PD (Small Dams).\n\n"
                "May kindly see for approval in principle."
            )
            page.get_by_role("button", name="Save").click()
            expect(draft).to_contain_text("received from the PD (Small Dams).")
            shot(page, "03-file-with-draft-note")

            # Puts it up to the Section Officer through the post picker.
            send_to(page, "Section Officer", "Development-I", "Submitted for orders, please.")
            shot(page, "04-send-panel")
            page.locator("#send").get_by_role("button", name="Send", exact=True).click()
            expect(page.get_by_text("sent to Section Officer (Development-I)")).to_be_visible()
            log_out(page)

            # The section officer sees it unread in the inbox.
            log_in(page, base, cast.section_officer.email)
            unread = page.locator("a.inbox-unread", has_text=file.subject)
            expect(unread).to_be_visible()
            expect(unread.get_by_text("new", exact=True)).to_be_visible()
            expect(unread).to_contain_text("From Assistant (Development-I)")
            shot(page, "05-section-officer-inbox")

            # Opens it: the assistant's note is now final (green) and signed.
            unread.click()
            expect(page.locator("article.note-final")).to_contain_text("Bilal Ahmed")
            page.get_by_label("Write a note").fill("Agreed. DS (Dev) may kindly see.")
            page.get_by_role("button", name="Add note").click()
            expect(page.locator("article.note-draft .para-num")).to_have_text(["3."])
            shot(page, "06-section-officer-file")

            # Sends it on to the Deputy Secretary.
            send_to(page, "Deputy", "Deputy Secretary (Development)", "Put up for approval.")
            page.locator("#send").get_by_role("button", name="Send", exact=True).click()
            expect(page.get_by_text("sent to Deputy Secretary (Development)")).to_be_visible()
            shot(page, "07-section-officer-after-send")

            # Where is the file now? Its number in the navbar's box opens it; "Track" shows
            # its way.
            page.get_by_placeholder("Search, or a file no. …").fill(file.number)
            page.get_by_placeholder("Search, or a file no. …").press("Enter")
            expect(page).to_have_url(re.compile(rf"/files/{file.pk}/$"))
            page.get_by_role("link", name="Track").click()
            expect(page.get_by_role("heading", name="Where is this file now?")).to_be_visible()
            expect(page.locator("main")).to_contain_text("Imran Qureshi")
            expect(page.locator(".timeline li")).to_have_count(3)
            shot(page, "08-track-timeline")

            page.get_by_role("link", name="My files").click()
            page.get_by_role("link", name="Sent").click()
            sent = page.locator(".list-group-item", has_text=file.subject)
            expect(sent).to_contain_text("Now with Deputy Secretary (Development)")
            expect(sent).to_contain_text("Not opened yet")
            shot(page, "09-sent-items")

            page.get_by_role("link", name="Open a new file").first.click()
            expect(page.get_by_label("Subject")).to_be_focused()
            shot(page, "10-file-new")
            log_out(page)

            # The Deputy Secretary on a phone-sized screen.
            page.set_viewport_size({"width": 390, "height": 844})
            log_in(page, base, cast.deputy_secretary.email)
            page.locator("a.inbox-unread", has_text=file.subject).click()
            expect(page.locator("article.note-final")).to_have_count(2)
            shot(page, "11-file-on-a-phone")
            log_out(page)
        finally:
            context.close()

        # Urdu: the same screens, right to left.
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ur-PK")
        page = context.new_page()
        watch_rtl = Watch(page)
        try:
            log_in(page, base, cast.deputy_secretary.email)
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            shot(page, "12-home-rtl")
            page.locator("a.list-group-item", has_text=file.subject).click()
            shot(page, "13-file-rtl")
        finally:
            context.close()
            chromium.close()

    for seen in (watch, watch_rtl):
        assert seen.outside == [], f"requests left 127.0.0.1: {seen.outside}"
        assert seen.console_errors == [], f"console errors: {seen.console_errors}"
    file.refresh_from_db()
    assert file.holder == cast.ds_post
    hops = list(file.movements.order_by("id").values_list("action", "read_at"))
    assert [a for a, _ in hops] == [Action.OPEN, Action.PUT_UP, Action.PUT_UP]
    assert hops[1][1] is not None  # the section officer opened it
    assert Movement.objects.filter(file=file, pulled_back_at__isnull=False).count() == 0
    notes = list(Note.objects.filter(file=file).order_by("id").values_list("is_final", "body"))
    assert [final for final, _ in notes] == [True, True]
    assert "(Small Dams)" in notes[0][1]
