"""A draft in a real browser: the assistant writes it in the rich-text editor, the section
officer revises it, compares the versions and approves it. Screenshots of each screen; no
request leaves the machine and the strict CSP is never violated."""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Dialog, expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from daftar.drafting.models import Draft, DraftStatus
from daftar.files.models import File
from tests.cast import Cast
from tests.web.test_browser_cycle import CHROMIUM_ARGS, Watch, log_in, log_out, send_to, shot

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

pytestmark = pytest.mark.browser


def test_create_edit_compare_approve(
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
        page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.on("dialog", lambda dialog: Dialog.accept(dialog))
        watch = Watch(page)
        try:
            log_in(page, base, cast.assistant.email)
            page.goto(f"{base}/files/{file.pk}/")
            panel = page.locator("#drafts")
            expect(panel).to_contain_text("No drafts on this file.")
            panel.get_by_role("link", name="New draft").click()

            # The editor: an organisation on Daftar (its posts come by htmx), then an outside
            # addressee in a second row; the text typed in the rich-text box, partly bold.
            row = page.locator("[data-addressee-row]").first
            with page.expect_response(lambda r: "/drafts/posts/" in r.url):
                row.locator("select[name=addr_organisation]").select_option(
                    label="Finance Division"
                )
            row.locator("select[name=addr_post]").select_option(
                label="Section Officer (Budget) · Budget Section"
            )
            page.get_by_role("button", name="Add an addressee").click()
            second = page.locator("[data-addressee-row]").nth(1)
            second.locator("select[name=addr_role]").select_option("copy")
            second.locator("select[name=addr_kind]").select_option("external")
            expect(second.locator("input[name=addr_name]")).to_be_visible()
            expect(second.locator("select[name=addr_organisation]")).to_be_hidden()
            second.locator("input[name=addr_name]").fill("The Chairman, WAPDA")
            second.locator("input[name=addr_email]").fill("chairman@wapda.gov.pk")
            page.get_by_label("Subject").fill("Release of funds for small dams")
            box = page.locator(".rte-area")
            expect(page.locator("textarea[name=body]")).to_be_hidden()
            box.click()
            page.keyboard.type("The Development Wing has ")
            page.get_by_role("button", name="Bold").click()
            page.keyboard.type("no objection")
            page.get_by_role("button", name="Bold").click()
            page.keyboard.type(" to the release of funds.")
            shot(page, "drafting-02-editor")
            page.get_by_role("button", name="Start the draft").click()

            expect(page.get_by_role("heading", name="DFA-1")).to_be_visible()
            expect(page.locator(".letter-body strong")).to_have_text("no objection")
            expect(page.locator(".letter-sheet")).to_contain_text("Section Officer (Budget)")
            page.get_by_role("link", name=file.number).click()
            expect(page.locator("#drafts")).to_contain_text("DFA-1")
            shot(page, "drafting-01-file-panel")
            send_to(page, "Section Officer", "Development-I", "Draft reply for approval.")
            page.locator("#send").get_by_role("button", name="Send", exact=True).click()
            log_out(page)

            # The section officer revises the text: a second version.
            log_in(page, base, cast.section_officer.email)
            page.goto(f"{base}/files/{file.pk}/")
            page.locator("#drafts").get_by_role("link", name="DFA-1").click()
            page.get_by_role("link", name="Revise").click()
            page.get_by_label("Subject").fill("Release of grants for small dams")
            page.locator(".rte-area").click()
            page.keyboard.press("End")
            page.keyboard.type(" Phase I may proceed.")
            page.get_by_role("button", name="Save").click()
            expect(page.get_by_text("DFA-1 saved as version 2.")).to_be_visible()

            page.locator("#compare-form").get_by_role("button", name="Compare").click()
            expect(page.locator("ins.diff-ins").first).to_be_visible()
            expect(page.locator("del.diff-del", has_text="funds")).to_have_count(1)
            shot(page, "drafting-03-compare")

            page.get_by_role("link", name="DFA-1").click()
            page.get_by_role("button", name="Approve version 2").click()
            expect(page.get_by_text("Version 2 approved by Ayesha Siddiqui")).to_be_visible()
            shot(page, "drafting-04-approved")
        finally:
            chromium.close()
    draft = Draft.objects.get(file=file)
    assert draft.status == DraftStatus.APPROVED and draft.approved_version is not None
    assert draft.approved_version.number == 2
    assert "Phase I may proceed." in draft.approved_version.body
    assert not watch.outside, watch.outside
    assert not watch.console_errors, watch.console_errors
