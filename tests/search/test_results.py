"""Filters, grouping and pages, links to the exact paragraph or page, close spellings,
the pool's cap and the number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from daftar.files.models import Classification, File, FileStatus
from daftar.receipts.models import Sender
from daftar.receipts.senders import sender_create
from daftar.search.models import Entry
from daftar.search.selectors import search
from daftar.search.types import POOL, SearchQuery
from tests.accounts.helpers import sign_in
from tests.cast import Cast
from tests.search.conftest import day, draft, note, open_file, put_on, receipt

pytestmark = pytest.mark.django_db
Papers = dict[str, Any]


def groups(cast: Cast, **kw: object) -> list[tuple[str, int]]:
    results = search(cast.section_officer, SearchQuery(**kw))  # type: ignore[arg-type]
    return [(g.kind, g.object_id) for g in results.groups]


@pytest.fixture
def papers(cast: Cast, sender: Sender) -> Papers:
    dam = open_file(cast, "Mangla dam raising")
    note(dam, "Mangla spillway report awaited.", actor=cast.assistant, post=cast.assistant_post)
    mine = open_file(cast, "Mangla canal lining", actor=cast.section_officer, post=cast.so_post)
    letter = receipt(
        cast,
        sender,
        subject="Mangla spillway inspection",
        pages=["Spillway gates", "Mangla"],
        to=cast.assistant_post,
        received_on=day(10),
    )
    put_on(cast.assistant, letter, dam)
    other_sender = sender_create(actor=cast.registry_clerk, organisation="IRSA", name="Sajid Ali")
    loose = receipt(
        cast,
        other_sender,
        subject="Mangla water accounts",
        pages=["Mangla releases"],
        to=cast.so_post,
        received_on=day(20),
    )
    return {"dam": dam, "mine": mine, "letter": letter, "loose": loose}


def test_each_advanced_field_narrows(cast: Cast, papers: Papers) -> None:
    dam, mine, loose = papers["dam"], papers["mine"], papers["loose"]
    assert set(groups(cast, text="mangla")) == {
        ("file", dam.pk),
        ("file", mine.pk),
        ("receipt", loose.pk),
    }
    assert set(groups(cast, text="mangla", kinds=("receipt",))) == {
        ("file", dam.pk),
        ("receipt", loose.pk),
    }
    assert set(groups(cast, text="mangla", holder_post_id=cast.so_post.pk)) == {
        ("file", mine.pk),
        ("receipt", loose.pk),
    }
    assert groups(cast, text="mangla", sender="irsa") == [("receipt", loose.pk)]
    assert groups(cast, sender="sajid") == [("receipt", loose.pk)]
    assert groups(cast, text="mangla", number=loose.diary_number) == [("receipt", loose.pk)]
    assert groups(cast, text="mangla", kinds=("receipt", "page"), date_from=day(15)) == [
        ("receipt", loose.pk)
    ]
    assert groups(cast, text="mangla", kinds=("receipt",), date_to=day(15)) == [("file", dam.pk)]
    # The section and the Central Registry are both below the division.
    assert len(groups(cast, text="mangla", unit_id=cast.division.pk)) == 3
    assert set(groups(cast, text="mangla", unit_id=cast.section.pk)) == {
        ("file", dam.pk),
        ("file", mine.pk),
    }
    assert groups(cast, text="mangla", unit_id=cast.registry.pk) == [("receipt", loose.pk)]
    File.objects.filter(pk=mine.pk).update(
        status=FileStatus.CLOSED, classification=Classification.RESTRICTED
    )
    assert groups(cast, text="mangla", status=FileStatus.CLOSED) == [("file", mine.pk)]
    assert groups(cast, text="mangla", classification=Classification.RESTRICTED) == [
        ("file", mine.pk)
    ]


def test_hits_link_to_the_page_on_the_file_or_of_the_receipt(cast: Cast, papers: Papers) -> None:
    dam, loose = papers["dam"], papers["loose"]
    results = search(cast.section_officer, SearchQuery(text="gates"))
    (hit,) = results.groups[0].hits
    assert (hit.kind, hit.page) == ("page", 1)
    assert hit.url == f"/files/{dam.pk}/pages/1/"
    results = search(cast.section_officer, SearchQuery(text="releases"))
    (hit,) = results.groups[0].hits
    document_id = loose.documents.get().document_id
    assert hit.url == f"/receipts/{loose.pk}/#doc-{document_id}-page-1"
    assert loose.diary_number in hit.label


def test_a_draft_links_to_its_page(cast: Cast) -> None:
    file = open_file(cast, "Telemetry")
    made = draft(cast, file, subject="Telemetry tender")
    (hit,) = search(cast.section_officer, SearchQuery(text="tender")).groups[0].hits
    assert (hit.kind, hit.url) == ("draft", f"/drafts/{made.pk}/")


def test_groups_are_paged_and_a_group_shows_three_hits(cast: Cast) -> None:
    first = open_file(cast, "Barrage one")
    for n in range(5):
        note(first, f"Barrage note {n}.", actor=cast.assistant, post=cast.assistant_post)
    for n in range(24):
        open_file(cast, f"Barrage {n}")
    results = search(cast.section_officer, SearchQuery(text="barrage"), page=1)
    assert (results.page, results.page_count, results.group_count) == (1, 2, 25)
    assert results.hit_count == 25 + 5 and not results.capped
    assert len(results.groups) == 20
    second = search(cast.section_officer, SearchQuery(text="barrage"), page=2)
    assert len(second.groups) == 5
    big = next(g for g in results.groups + second.groups if g.object_id == first.pk)
    assert (len(big.hits), big.more) == (3, 3)
    assert {g.object_id for g in results.groups}.isdisjoint(g.object_id for g in second.groups)
    assert search(cast.section_officer, SearchQuery(text="barrage"), page=99).page == 2


def test_more_than_the_pool_is_capped(cast: Cast) -> None:
    file = open_file(cast, "Warsak")
    Entry.objects.bulk_create(
        Entry(key=f"test:{n}", kind="note", file=file, dated=day(1), body="warsak turbine")
        for n in range(POOL + 5)
    )
    results = search(cast.section_officer, SearchQuery(text="turbine"))
    assert results.capped and results.hit_count == POOL
    assert results.group_count == 1 and results.groups[0].more == POOL - 3


def test_close_spellings_find_an_ocr_slip_and_a_misspelt_sender(cast: Cast, sender: Sender) -> None:
    letter = receipt(
        cast, sender, subject="Dam safety", pages=["Signed: Abdul Rehman"], to=cast.so_post
    )
    results = search(cast.section_officer, SearchQuery(text="Rehrnan"))
    assert results.close_spellings == {"rehrnan": ["rehman"]}
    assert [(g.kind, g.object_id) for g in results.groups] == [("receipt", letter.pk)]
    assert all(h.close_spelling for h in results.groups[0].hits)
    assert "<mark>Rehman</mark>" in results.groups[0].hits[0].snippet
    results = search(cast.section_officer, SearchQuery(text="Abdul Rahman"))
    assert results.close_spellings == {"rahman": ["rehman"]}


def test_exact_hits_come_before_close_spellings(cast: Cast, sender: Sender) -> None:
    exact = open_file(cast, "Rehmat canal")
    close = open_file(cast, "Rehman canal")
    results = search(cast.section_officer, SearchQuery(text="rehmat canal"))
    assert [g.object_id for g in results.groups] == [exact.pk, close.pk]
    assert [g.hits[0].close_spelling for g in results.groups] == [False, True]


@pytest.mark.parametrize("files", [1, 30])
def test_the_number_of_queries_does_not_grow(cast: Cast, sender: Sender, files: int) -> None:
    for n in range(files):
        made = open_file(cast, f"Tarbela {n}")
        note(made, "Tarbela tunnel.", actor=cast.assistant, post=cast.assistant_post)
    letter = receipt(cast, sender, subject="Tarbela", pages=["Tarbela"], to=cast.assistant_post)
    put_on(cast.assistant, letter, made)
    receipt(cast, sender, subject="Tarbela", pages=["Tarbela"], to=cast.so_post)
    with CaptureQueriesContext(connection) as queries:
        results = search(cast.section_officer, SearchQuery(text="tarbela"))
    assert results.group_count == files + 1
    # The posts below the searcher's, their files and receipts (listed when few), the pool,
    # its ranking, the hits shown, their snippets. Fewer than a page of groups (1 file) adds
    # the close-spelling lookup (here it finds no close word, so there is no widened pool).
    expected = 7 if files == 30 else 8
    sql = [q["sql"] for q in queries]
    assert len(sql) == expected, "\n".join(q[:100] for q in sql)


def test_the_linked_paragraph_and_page_are_on_their_screens(cast: Cast, papers: Papers) -> None:
    client = Client()
    sign_in(client, cast.section_officer)
    for text in ("spillway", "releases"):
        for group in search(cast.section_officer, SearchQuery(text=text)).groups:
            for hit in group.hits:
                path, _, anchor = hit.url.partition("#")
                response = client.get(path)
                assert response.status_code == 200, hit.url
                if anchor:
                    assert f'id="{anchor}"' in response.content.decode(), hit.url
