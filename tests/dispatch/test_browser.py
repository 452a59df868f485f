"""The whole cycle of a letter in a real browser (Debian's Chromium through Playwright): the
assistant drafts the reply and puts the file up; the Deputy Secretary approves the draft,
signs it with his password, issues it; the clerk of the Planning Division finds it in his
registry as a receipt; the sender then sees it received. Screenshots go to
``DAFTAR_TEST_ARTIFACTS`` (e.g. /tmp/shots-dispatch)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Dialog, Page, expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from daftar.dispatch.models import DeliveryStatus, Dispatch
from daftar.drafting.models import Draft, DraftStatus
from daftar.files.models import File
from tests.cast import PASSWORD, Cast
from tests.dispatch.conftest import Planning
from tests.web.test_browser_cycle import CHROMIUM_ARGS, Watch, log_in, log_out, send_to, shot

pytestmark = pytest.mark.browser


def _draft_and_put_up(page: Page, base: str, file: File) -> None:
    """The assistant writes the reply to the Planning Division and puts the file up."""
    page.goto(f"{base}/files/{file.pk}/")
    page.locator("#drafts").get_by_role("link", name="New draft").click()
    row = page.locator("[data-addressee-row]").first
    with page.expect_response(lambda r: "/drafts/posts/" in r.url):
        row.locator("select[name=addr_organisation]").select_option(label="Planning Division")
    page.get_by_label("Subject").fill("Small dams in the Potohar region: PC-I")
    page.locator(".rte-area").click()
    page.keyboard.type("The PC-I of the scheme is sent herewith for appraisal.")
    shot(page, "letter-1-draft")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", name="DFA-1")).to_be_visible()
    page.get_by_role("link", name=file.number).click()
    send_to(page, "Deputy Secretary", "Deputy Secretary (Development)", "DFA for approval.")
    page.locator("#send").get_by_role("button", name="Send", exact=True).click()


def test_draft_approve_sign_issue_and_arrive_in_the_other_registry(
    live_server: LiveServer, settings: Settings, cast: Cast, planning: Planning, file: File
) -> None:
    base = live_server.url
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.on("dialog", lambda dialog: Dialog.accept(dialog))
        watch = Watch(page)
        try:
            log_in(page, base, cast.assistant.email)
            _draft_and_put_up(page, base, file)
            log_out(page)

            log_in(page, base, cast.deputy_secretary.email)
            page.goto(f"{base}/files/{file.pk}/")
            page.locator("#drafts").get_by_role("link", name="DFA-1").click()
            page.get_by_role("button", name="Approve version 1").click()
            expect(page.get_by_text("Version 1 approved by")).to_be_visible()
            shot(page, "letter-2-approved")
            page.get_by_role("link", name="Sign").click()
            expect(page.get_by_role("heading", name="Sign DFA-1")).to_be_visible()
            shot(page, "dispatch-1-sign")
            page.get_by_label("Your password or a code").fill("wrong")
            page.get_by_role("button", name="Sign and seal").click()
            expect(page.get_by_text("nothing was signed")).to_be_visible()
            page.get_by_label("Your password or a code").fill(PASSWORD)
            page.get_by_role("button", name="Sign and seal").click()
            expect(page.get_by_role("heading", name="Issue DFA-1")).to_be_visible()
            expect(page.get_by_text("On Daftar, to its Central Registry")).to_be_visible()
            shot(page, "dispatch-2-issue")
            page.get_by_role("button", name="Issue", exact=True).click()
            expect(page.get_by_text("Issued under dispatch no.")).to_be_visible()
            shot(page, "dispatch-3-dispatch")
            dispatch = Dispatch.objects.get()
            log_out(page)

            log_in(page, base, planning.clerk.email)
            receipt = dispatch.deliveries.get(receipt__isnull=False).receipt
            assert receipt is not None
            page.goto(f"{base}/receipts/{receipt.pk}/")
            expect(
                page.get_by_text("Arrived on Daftar from Water Resources Division")
            ).to_be_visible()
            shot(page, "dispatch-4-arrived")
            log_out(page)

            log_in(page, base, cast.deputy_secretary.email)
            page.goto(f"{base}/dispatch/{dispatch.pk}/")
            expect(page.get_by_text("Received", exact=False).first).to_be_visible()
            shot(page, "dispatch-5-received")
            page.goto(f"{base}/dispatch/register/")
            expect(page.get_by_role("link", name=dispatch.number)).to_be_visible()
            shot(page, "dispatch-6-register")
            page.goto(f"{base}/files/{file.pk}/pages/1/")
            shot(page, "dispatch-7-office-copy")
        finally:
            chromium.close()
    # The one 400 is the wrong secret, answered with the form and its message.
    assert watch.outside == []
    assert [e for e in watch.console_errors if "status of 400" not in e] == []
    delivery = dispatch.deliveries.get(receipt__isnull=False)
    assert delivery.status == DeliveryStatus.RECEIVED
    assert Draft.objects.get(file=file).status == DraftStatus.ISSUED
