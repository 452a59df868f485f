"""The search screen against the real index and engine: results grouped by file with marked
snippets and exact links, facets and pages that keep the query, the header box, bad input,
and never a paper the searcher may not see."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daftar.files.models import Classification, File
from daftar.files.services import file_open, note_add
from daftar.lib import clock
from daftar.movement.services import file_send
from daftar.org.models import User
from daftar.receipts.diary import receipt_register
from daftar.receipts.models import Mode, Receipt
from daftar.receipts.senders import sender_create
from daftar.search.models import Entry, EntryKind
from daftar.search.types import POOL
from tests.accounts.helpers import sign_in
from tests.cast import Cast

Login = Callable[[User], Client]
SEARCH = "/search/"


@pytest.fixture
def login(db: None) -> Login:
    """A test client signed in as the given person."""
    return lambda user: sign_in(Client(), user)


def noted(cast: Cast, subject: str, *notes: str, grade: int = 0) -> File:
    """A file the assistant opened and sent up to the section officer, with final notes."""
    file = file_open(
        actor=cast.assistant, post_id=cast.assistant_post.pk, subject=subject, classification=grade
    )
    for body in notes:
        note_add(actor=cast.assistant, file_id=file.pk, body=body)
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    return file


def html_of(client: Client, params: dict[str, Any], status: int = 200) -> str:
    response = client.get(SEARCH, params)
    assert response.status_code == status, response.content[:400]
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(db: None) -> None:
    response = Client().get(SEARCH, {"q": "dams"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_results_are_grouped_by_file_with_marked_snippets_and_exact_links(
    cast: Cast, login: Login
) -> None:
    file = noted(
        cast,
        "Desilting of Tarbela reservoir",
        "The survey of the reservoir is complete.\n\nSedimentation at Tarbela is severe.",
    )
    html = html_of(login(cast.assistant), {"q": "Tarbela"})

    assert 'id="search-count"' in html and "2 matches in 1 file or receipt" in html
    group = html[html.index('class="card shadow-sm mb-3 search-group"') :]
    assert f'href="/files/{file.pk}/"' in group and file.number in group
    assert "Desilting of Tarbela reservoir" in group
    assert "Unclassified" in group and "Open" in group
    assert "with Section Officer (Development-I)" in group
    assert "Sedimentation at <mark>Tarbela</mark> is severe" in group
    # The note's hit leads to the paragraph that matched (the second), not to the file.
    assert f'href="/files/{file.pk}/#para-2"' in group
    assert "Note, para 2, Assistant (Development-I)" in group
    assert re.search(r'class="search-snippet small" dir="auto"', group)


def test_urdu_snippets_are_shown_right_to_left(cast: Cast, login: Login) -> None:
    noted(cast, "Water accord", "پانی کے وسائل کی تقسیم\n\nحکومت پاکستان")
    html = html_of(login(cast.assistant), {"q": "وسائل"})
    snippet = re.search(r'<div class="search-snippet small" dir="auto">(.*?)</div>', html)
    assert snippet is not None and "<mark>وسائل</mark>" in snippet.group(1)


def test_forbidden_papers_are_neither_shown_nor_counted(cast: Cast, login: Login) -> None:
    noted(cast, "Kachhi canal lining", "Lining of the Kachhi canal is due.")
    secret = file_open(
        actor=cast.section_officer,
        post_id=cast.so_post.pk,
        subject="Kachhi canal security",
        classification=Classification.CONFIDENTIAL,
    )
    # The Finance Division's own file on the same canal.
    theirs = file_open(
        actor=cast.outsider, post_id=cast.outsider_post.pk, subject="Kachhi canal budget"
    )
    html = html_of(login(cast.assistant), {"q": "Kachhi"})  # the assistant: Restricted

    assert "2 matches in 1 file or receipt" in html
    assert "Kachhi canal lining" in html
    for hidden in (secret, theirs):
        assert hidden.subject not in html and hidden.number not in html
    # The section officer (cleared to Confidential) sees the graded file, not Finance's.
    html = html_of(login(cast.section_officer), {"q": "Kachhi"})
    assert secret.subject in html and "Confidential" in html
    assert theirs.subject not in html


def test_facets_count_by_type_and_narrow(cast: Cast, login: Login) -> None:
    noted(cast, "Mangla raising project", "Mangla dam raising: the second phase.")
    client = login(cast.assistant)
    html = html_of(client, {"q": "Mangla"})
    facets = html[html.index('id="search-facets"') :]
    note_link = re.search(r'href="(/search/\?q=Mangla&amp;kind=note)"', facets)
    assert note_link is not None
    assert re.search(r"File</span>\s*<span[^>]*>1</span>", facets)
    assert re.search(r"Note</span>\s*<span[^>]*>1</span>", facets)

    narrowed = html_of(client, {"q": "Mangla", "kind": "note"})
    assert "1 match in 1 file or receipt" in narrowed
    assert "All types" in narrowed
    assert 'search-advanced">' in narrowed  # a facet leaves the advanced search closed


def test_pages_keep_the_query(cast: Cast, login: Login) -> None:
    for n in range(21):
        file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject=f"Weir {n}")
    client = login(cast.assistant)
    html = html_of(client, {"q": "weir", "status": "open"})
    assert "Page 1 of 2" in html
    assert 'href="?q=weir&amp;status=open&amp;page=2"' in html
    second = html_of(client, {"q": "weir", "status": "open", "page": 2})
    assert "Page 2 of 2" in second and second.count('class="card shadow-sm mb-3 search-group"') == 1
    assert 'id="search-form"' in second and 'value="weir"' in second


def test_more_matches_than_the_pool_say_so(cast: Cast, login: Login, file: File) -> None:
    # As the bench fills the index: rows for one visible file, more than the pool holds.
    today = clock.now().date()
    Entry.objects.bulk_create(
        Entry(key=f"file:{file.pk}:{n}", kind=EntryKind.FILE, file=file, dated=today, title="Indus")
        for n in range(POOL + 5)
    )
    html = html_of(login(cast.assistant), {"q": "Indus"})
    assert "1,000+ matches" in html
    assert re.search(r"File</span>\s*<span[^>]*>1,000\+</span>", html)


def test_close_spellings_are_said(cast: Cast, login: Login) -> None:
    noted(cast, "Chashma barrage", "Repairs to the Chashma barrage gates.")
    html = html_of(login(cast.assistant), {"q": "Chasma"})
    assert "Also searched close spellings:" in html
    assert re.search(r"<bdi[^>]*>chasma</bdi> → .*chashma", html, re.IGNORECASE)
    assert "Chashma barrage" in html


def test_nothing_found_offers_hints(cast: Cast, login: Login) -> None:
    html = html_of(login(cast.assistant), {"q": "zyzzyva"})
    assert 'id="search-empty"' in html and "Nothing open to you matches this search." in html
    assert '"utilisation certificate"' in html and "-electricity" in html


def test_the_first_visit_shows_the_box_and_hints(cast: Cast, login: Login) -> None:
    html = html_of(login(cast.assistant), {})
    assert 'id="search-start"' in html and "autofocus" in html
    assert 'id="nav-search"' not in html  # the page's own box, not the header's too
    filters_only = html_of(login(cast.assistant), {"status": "open"})
    assert "on their own they find nothing" in filters_only


@pytest.mark.parametrize(
    "params",
    [
        {"q": "dams", "date_from": "2026-03-01", "date_to": "2026-02-01"},
        {"q": "dams", "unit": "999999"},
        {"q": "dams", "classification": "4"},
        {"q": "dams", "page": "0"},
        {"q": "dams", "holder": "abc"},
        {"q": "dams", "kind": "memo"},
        {"q": "x" * 600},
    ],
)
def test_bad_input_is_answered_with_the_form_and_its_error(
    cast: Cast, login: Login, params: dict[str, str]
) -> None:
    html = html_of(login(cast.assistant), params, status=400)
    assert "invalid-feedback d-block" in html
    assert 'id="search-count"' not in html
    if "date_to" in params:
        assert "The end date is before the start date." in html
        assert 'search-advanced" open' in html  # the field in error is in view


def test_the_advanced_search_opens_when_used_and_keeps_the_chosen_post(
    cast: Cast, login: Login
) -> None:
    noted(cast, "Gomal Zam dam", "Gomal Zam command area.")
    html = html_of(login(cast.assistant), {"q": "Gomal", "holder": cast.so_post.pk})
    assert 'search-advanced" open' in html
    assert f'name="holder" value="{cast.so_post.pk}" checked' in html
    assert "Gomal Zam dam" in html
    elsewhere = html_of(login(cast.assistant), {"q": "Gomal", "holder": cast.ds_post.pk})
    assert "Nothing open to you matches this search." in elsewhere


def test_the_post_picker_lists_posts_with_their_holders(cast: Cast, login: Login) -> None:
    response = login(cast.assistant).get(reverse("search-posts"), {"post": "deputy"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="holder" value="{cast.ds_post.pk}"' in html and "Imran Qureshi" in html
    assert login(cast.assistant).get(reverse("search-posts")).content.strip() == b""


# --- The header box --------------------------------------------------------------------


def test_every_page_has_the_search_box(cast: Cast, login: Login) -> None:
    html = login(cast.assistant).get(reverse("home")).content.decode()
    form = html[html.index('action="/search/"') - 200 :]
    assert 'name="q"' in form and 'name="go" value="1"' in form


def test_a_file_number_in_the_header_box_opens_the_file(cast: Cast, login: Login) -> None:
    file = noted(cast, "Naulong dam", f"Refer to file {'X'}.")
    client = login(cast.assistant)
    for typed in (file.number, file.number.lower(), f"F.No.{file.number}"):
        response = client.get(SEARCH, {"q": typed, "go": "1"})
        assert response.status_code == 302, typed
        assert response["Location"] == reverse("file-detail", args=[file.pk])
    # Typed on the search page itself (no "go"), the number finds what mentions it.
    assert client.get(SEARCH, {"q": file.number}).status_code == 200


def test_a_diary_number_in_the_header_box_opens_the_receipt(cast: Cast, login: Login) -> None:
    receipt = diarised(cast, "Letter on Diamer Bhasha dam")
    response = login(cast.assistant).get(SEARCH, {"q": receipt.diary_number, "go": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("receipt-detail", args=[receipt.pk])


def test_a_number_one_may_not_see_is_only_searched(cast: Cast, login: Login) -> None:
    theirs = file_open(actor=cast.outsider, post_id=cast.outsider_post.pk, subject="Pay")
    response = login(cast.assistant).get(SEARCH, {"q": theirs.number, "go": "1"})
    assert response.status_code == 200
    assert "Nothing open to you matches this search." in response.content.decode()


def diarised(cast: Cast, subject: str) -> Receipt:
    sender = sender_create(actor=cast.registry_clerk, organisation="WAPDA", name="Chairman")
    return receipt_register(
        actor=cast.registry_clerk,
        post_id=cast.registry_post.pk,
        sender_id=sender.pk,
        subject=subject,
        received_on=clock.now().date(),
        mode=Mode.POST,
        is_physical=True,
        send_to_post_id=cast.assistant_post.pk,
    )


# --- Cost ------------------------------------------------------------------------------


def queries_for(client: Client, params: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SEARCH, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_results_page_costs_the_same_however_many_results(cast: Cast, login: Login) -> None:
    client = login(cast.assistant)
    noted(cast, "Khanpur dam one", "Khanpur dam leakage.\n\nKhanpur again.")
    client.get(SEARCH, {"q": "Khanpur"})  # the first request of a session stores its zone
    few = queries_for(client, {"q": "Khanpur"})
    for n in range(12):
        noted(cast, f"Khanpur dam {n}", f"Khanpur note {n}.", f"Khanpur reply {n}.")
    many = queries_for(client, {"q": "Khanpur"})
    assert few == many, (few, many)
    assert few <= 16


def test_dates_are_local_dates(cast: Cast, login: Login) -> None:
    noted(cast, "Kurram Tangi dam")
    today = clock.now().date()
    client = login(cast.assistant)
    assert "Kurram Tangi dam" in html_of(client, {"q": "Kurram", "date_from": today.isoformat()})
    later = (today + dt.timedelta(days=1)).isoformat()
    assert "Kurram Tangi dam" not in html_of(client, {"q": "Kurram", "date_from": later})
