"""Flags and pages cited in notes become links to the page viewer; the text stays text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from daftar.files.templatetags.daftar_ui import PageLinks, link_references

LINKS = PageLinks(7, {"A": 1, "B": 4, "AB": 9}, last_page=12)


def url(page: int) -> str:
    return reverse("file-page", args=[7, page])


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("See F/A.", [("F/A", 1)]),
        ("Flag B refers", [("Flag B", 4)]),
        ("as at flag AB", [("flag AB", 9)]),
        ("p. 12 and page 3", [("p. 12", 12), ("page 3", 3)]),
        ("pp. 4-6", [("pp. 4", 4)]),
        ("Pages 2 to 3", [("Pages 2", 2)]),
    ],
)
def test_references_become_links(text: str, linked: list[tuple[str, int]]) -> None:
    html = str(link_references(text, LINKS))
    for label, page in linked:
        assert f'<a class="page-ref" href="{url(page)}">{label}</a>' in html


@pytest.mark.parametrize(
    "text",
    ["F/C is not on the file", "p. 13 is past the end", "page 0", "FIFA/A", "Flag a", "up. 3"],
)
def test_unknown_flags_and_pages_stay_plain(text: str) -> None:
    assert "<a " not in str(link_references(text, LINKS))


def test_text_is_escaped_before_linking() -> None:
    html = str(link_references('<script>alert("F/A")</script> & p. 1', LINKS))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert f'<a class="page-ref" href="{url(1)}">F/A</a>' in html


def test_a_file_without_papers_links_nothing() -> None:
    assert str(link_references("F/A p. 1", PageLinks(7))) == "F/A p. 1"
    assert str(link_references("<b>", None)) == "&lt;b&gt;"
