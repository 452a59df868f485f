"""Security headers, cookie flags, CSRF everywhere, and templates fit for a strict CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from pytest_django.fixtures import Settings

from daftar.ops.demo import DEMO_PASSWORD
from tests.accounts.test_login_flow import LOGIN, password_step
from tests.cast import PASSWORD, Cast

SRC = Path(__file__).resolve().parents[2] / "src" / "daftar"


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in parts}


def test_pages_carry_a_strict_csp_with_a_nonce_and_the_security_headers(client: Client) -> None:
    response = client.get(LOGIN)
    csp = directives(response["Content-Security-Policy"])
    nonce = re.search(r"'nonce-([^']+)'", csp["script-src"])
    assert nonce is not None and f'nonce="{nonce.group(1)}"' in response.content.decode()
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == f"'self' 'nonce-{nonce.group(1)}'"
    assert csp["style-src"] == "'self'"
    assert csp["object-src"] == "'none'" and csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'" and csp["form-action"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response  # plain HTTP in tests


def test_cookies_are_http_only_and_same_site(client: Client, cast: Cast) -> None:
    client.get(LOGIN)
    password_step(client, cast.assistant)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax" and not session["secure"]
    assert settings.CSRF_COOKIE_HTTPONLY and settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_secure_cookies_and_hsts_behind_tls(settings: Settings, client: Client) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(LOGIN, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert response.cookies[settings.CSRF_COOKIE_NAME]["secure"]


def test_posts_without_a_csrf_token_are_refused(cast: Cast) -> None:
    strict = Client(enforce_csrf_checks=True)
    login = strict.post(LOGIN, {"username": cast.assistant.email, "password": PASSWORD})
    assert login.status_code == 403
    strict.force_login(cast.assistant)
    form = strict.post("/files/new/", {"subject": "Dams", "post": cast.assistant_post.pk})
    assert form.status_code == 403
    api = strict.post(
        "/api/v1/files/",
        {"subject": "Dams", "post": cast.assistant_post.pk},
        content_type="application/json",
    )
    assert api.status_code == 403


def test_no_view_is_exempt_from_csrf() -> None:
    offenders = [p for p in SRC.rglob("*.py") if "csrf_exempt" in p.read_text(encoding="utf-8")]
    assert offenders == []


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*nonce=)[^>]*>", re.I), "inline script"),
    (re.compile(r"<style\b", re.I), "style element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def _browser_templates() -> list[Path]:
    """Every template a browser sees; PDF templates (with @page rules) only WeasyPrint reads."""
    every = sorted(SRC.rglob("templates/**/*.html"))
    return [t for t in every if "@page" not in t.read_text(encoding="utf-8")]


@pytest.mark.parametrize("template", _browser_templates(), ids=str)
def test_templates_have_nothing_the_csp_would_block(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert found == [], f"{template}: {found}"


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        (PASSWORD, True),
        (DEMO_PASSWORD, True),
        ("Eleven-char", False),
        ("correct horse battery staple " * 4, True),  # 116: passphrases welcome
        ("Zq9-" + "y" * 124, True),  # 128 characters: the longest accepted
        ("Zq9-" + "y" * 125, False),  # 129
        ("password1234", False),
    ],
)
def test_password_rules(password: str, ok: bool) -> None:
    try:
        validate_password(password)
    except ValidationError:
        assert not ok, password
    else:
        assert ok, password
