"""``GET /api/v1/search/`` against the real index and engine: summaries with highlight
offsets, only what the caller may see, bad parameters refused with a message, a pinned number
of queries, and a throttle."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from daftar.files.models import Classification, File
from daftar.files.services import file_open, note_add
from daftar.movement.services import file_send
from daftar.org.models import User
from daftar.search.api import SearchThrottle, plain_snippet
from tests.accounts.helpers import sign_in
from tests.cast import Cast

API = "/api/v1/search/"
ClientFor = Callable[[User], APIClient]


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    """The throttle counts in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_for(db: None) -> ClientFor:
    def make(user: User) -> APIClient:
        client = APIClient()
        sign_in(client, user)
        return client

    return make


def noted(cast: Cast, subject: str, *notes: str) -> File:
    file = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject=subject)
    for body in notes:
        note_add(actor=cast.assistant, file_id=file.pk, body=body)
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    return file


def get(client: APIClient, params: dict[str, Any], status: int = 200) -> dict[str, Any]:
    response = client.get(API, params)
    assert response.status_code == status, response.content[:400]
    body: dict[str, Any] = response.json()
    return body


def test_anonymous_callers_are_refused(db: None) -> None:
    # As every endpoint here: the session authenticator comes first and asks for no
    # credentials in a header, so DRF answers 403 rather than 401 (docs/api.md).
    response = APIClient().get(API, {"q": "dams"})
    assert response.status_code == 403
    assert "credentials were not provided" in response.json()["detail"]


def test_summaries_with_highlights_and_no_bodies(cast: Cast, client_for: ClientFor) -> None:
    file = noted(
        cast,
        "Rehabilitation of Warsak dam",
        "The spillway of Warsak needs repair. " + "It has been inspected. " * 40 + "Far away.",
    )
    body = get(client_for(cast.section_officer), {"q": "Warsak"})

    assert body["count"] == 2 and body["group_count"] == 1 and body["capped"] is False
    assert body["page"] == 1 and body["page_count"] == 1
    assert body["facets"] == {"file": 1, "note": 1}
    (group,) = body["groups"]
    assert group["kind"] == "file" and group["id"] == file.pk and group["number"] == file.number
    assert group["holder"] == "Section Officer (Development-I)" and group["status"] == "open"
    assert group["classification"] == 0 and group["url"] == f"/files/{file.pk}/"
    note = next(hit for hit in group["hits"] if hit["kind"] == "note")
    assert note["paragraph"] == 1 and note["url"] == f"/files/{file.pk}/#para-1"
    assert "<" not in note["snippet"]
    for start, end in note["highlights"]:
        assert note["snippet"][start:end] == "Warsak"
    assert set(note) == {
        "kind",
        "label",
        "snippet",
        "highlights",
        "url",
        "dated",
        "paragraph",
        "page",
        "close_spelling",
    }
    assert "Far away" not in str(body) and len(note["snippet"]) < 400  # no whole bodies


def test_forbidden_papers_are_absent_and_uncounted(cast: Cast, client_for: ClientFor) -> None:
    noted(cast, "Hub dam canal", "Hub canal desilting.")
    file_open(
        actor=cast.section_officer,
        post_id=cast.so_post.pk,
        subject="Hub dam security review",
        classification=Classification.CONFIDENTIAL,
    )
    file_open(actor=cast.outsider, post_id=cast.outsider_post.pk, subject="Hub dam funds")
    body = get(client_for(cast.assistant), {"q": "Hub"})
    assert body["count"] == 2 and body["group_count"] == 1
    assert [g["subject"] for g in body["groups"]] == ["Hub dam canal"]
    assert body["facets"] == {"file": 1, "note": 1}
    assert "security" not in str(body) and "funds" not in str(body)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, None, "Give words (q), a number or a sender"),
        ({"status": "open"}, None, "Give words (q), a number or a sender"),
        ({"q": "dams", "date_from": "2026-03-01", "date_to": "2026-01-01"}, "date_to", "before"),
        ({"q": "dams", "unit": "12345678"}, "unit", "Choose one of the units"),
        ({"q": "dams", "classification": "9"}, "classification", "Choose a classification"),
        ({"q": "dams", "kind": "memo"}, "kind", "Choose document types"),
        ({"q": "dams", "page": "-1"}, "page", "no such page"),
        ({"q": "dams", "date_from": "yesterday"}, "date_from", "valid date"),
    ],
)
def test_bad_parameters_are_refused_with_a_message(
    cast: Cast, client_for: ClientFor, params: dict[str, str], field: str | None, message: str
) -> None:
    body = get(client_for(cast.assistant), params, status=400)
    assert message in body["detail"]
    if field is not None:
        assert field in body["errors"]


def test_the_cost_does_not_grow_with_the_results(cast: Cast, client_for: ClientFor) -> None:
    client = client_for(cast.assistant)
    noted(cast, "Rawal lake one", "Rawal lake level.")
    client.get(API, {"q": "Rawal"})  # the first request of a session stores its time zone
    with CaptureQueriesContext(connection) as few:
        assert get(client, {"q": "Rawal"})["count"] == 2
    for n in range(12):
        noted(cast, f"Rawal lake {n}", f"Rawal note {n}.")
    with CaptureQueriesContext(connection) as many:
        assert get(client, {"q": "Rawal"})["group_count"] == 13
    assert len(few) == len(many)
    assert len(few) <= 14


def test_searching_is_throttled(cast: Cast, client_for: ClientFor) -> None:
    client = client_for(cast.assistant)
    limit = int(SearchThrottle.rate.split("/")[0])
    for _ in range(limit):
        assert client.get(API, {"q": "zz"}).status_code == 200
    refused = client.get(API, {"q": "zz"})
    assert refused.status_code == 429 and "Retry-After" in refused


def test_a_snippet_becomes_text_and_offsets() -> None:
    assert plain_snippet("a &lt;b&gt; <mark>dam</mark> &amp; <mark>پانی</mark>") == (
        "a <b> dam & پانی",
        [[6, 9], [12, 16]],
    )
    assert plain_snippet("nothing marked") == ("nothing marked", [])
