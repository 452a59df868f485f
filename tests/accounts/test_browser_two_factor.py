"""Two-factor login in a real browser, and the CSP blocking a script injected into a page.

An admin logs in, is sent to enrolment, reads the secret off the page as a person would type
it into their phone, confirms it with a code, keeps the recovery codes, logs out, and logs
in again with password and code. Then a script is injected into the page and must not run.
"""

from __future__ import annotations

import base64
import os
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from tests.accounts.helpers import code_for
from tests.cast import PASSWORD, Cast
from tests.web.test_browser_cycle import CHROMIUM_ARGS, Watch, shot

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

pytestmark = pytest.mark.browser

INJECT = """() => new Promise((resolve) => {
    document.addEventListener("securitypolicyviolation",
        (event) => resolve(event.effectiveDirective), {once: true});
    const script = document.createElement("script");
    script.textContent = "window.injectedRan = true;";
    document.body.appendChild(script);
    setTimeout(() => resolve("no violation reported"), 3000);
})"""


def password_step(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


def code_from_page_secret(secret: str) -> str:
    totp = TOTP(base64.b32decode(secret.replace(" ", "")))
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_admin_enrols_then_logs_in_with_a_code_and_the_csp_stops_injected_script(
    live_server: LiveServer, settings: Settings, cast: Cast
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    admin = cast.secretary
    admin.is_staff = True
    admin.save()
    base = live_server.url
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
        watch = Watch(page)
        try:
            password_step(page, base, admin.email)
            expect(page.get_by_role("heading", name="Set up two-factor login")).to_be_visible()
            expect(page.locator(".qr-code svg")).to_be_visible()
            shot(page, "accounts-01-enrol")
            secret = page.locator("#totp-secret").inner_text()
            page.locator("input[name=code]").fill(code_from_page_secret(secret))
            page.get_by_role("button", name="Confirm and turn on").click()
            expect(page.locator("#recovery-codes li")).to_have_count(10)
            shot(page, "accounts-02-recovery-codes")
            page.get_by_role("link", name="I have kept them").click()
            expect(page.locator("main h1")).to_have_text("My files")
            page.get_by_role("button", name="Log out").click()

            password_step(page, base, admin.email)
            expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
            page.locator("input[name=code]").fill("000000")
            page.get_by_role("button", name="Continue").click()
            expect(page.get_by_text("That code is not right")).to_be_visible()
            shot(page, "accounts-03-wrong-code")
            device = TOTPDevice.objects.get(user=admin)
            device.throttle_reset()
            page.locator("input[name=code]").fill(code_for(device))
            page.get_by_role("button", name="Continue").click()
            expect(page.locator("main h1")).to_have_text("My files")
            shot(page, "accounts-04-logged-in")

            assert watch.console_errors == [] and watch.outside == []
            assert page.evaluate(INJECT) in {"script-src-elem", "script-src"}
            assert page.evaluate("() => window.injectedRan === undefined")
            assert any("Content Security Policy" in line for line in watch.console_errors)

            # Someone guesses the admin's password from this browser: locked out. The wrong
            # code above was the first failure; a right password since has not reset it.
            page.get_by_role("button", name="Log out").click()
            for _n in range(settings.AXES_FAILURE_LIMIT - 1):
                page.locator("input[name=username]").fill(admin.email)
                page.locator("input[name=password]").fill("not-the-password")
                page.locator("main form button[type=submit]").click()
            expect(page.get_by_role("heading", name="Too many failed attempts")).to_be_visible()
            expect(page.locator("main")).to_contain_text("Try again after")
            shot(page, "accounts-05-locked-out")
        finally:
            chromium.close()
