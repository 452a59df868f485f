"""What the hostile-input tests send and how they check that nothing happened."""

from __future__ import annotations

from html.parser import HTMLParser

from django.apps import apps
from django.contrib.sessions.models import Session

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
PAYLOADS = (SCRIPT, ATTRIBUTE, JS_URL)
HOSTILE = f"Budget {SCRIPT} {ATTRIBUTE} {JS_URL}"  # one field carrying all three


def row_counts() -> dict[str, int]:
    """Rows of every model (sessions aside: signing a client in makes one), audit included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model is not Session and model._meta.managed
    }


class _LiveScript(HTMLParser):
    """Collects what a browser would run from a page: script elements, event-handler
    attributes and javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.startswith("on") and "alert(1)" in text:
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and text.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(1)" in data:
            self.found.append(f"<script>{data}</script>")


def live_script(html: str) -> list[str]:
    parser = _LiveScript()
    parser.feed(html)
    return parser.found
