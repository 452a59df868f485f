"""THE ACCESS TEST: classified and other-ministry papers hold the searched words; results,
counts, facets, snippets and close spellings never show them. Grades and shares are read at
query time, so a change is seen without reindexing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from daftar.drafting.models import Draft
from daftar.files.models import Classification, File
from daftar.files.selectors import files_visible, files_visible_from
from daftar.files.shares import file_share, file_share_revoke
from daftar.lib import clock
from daftar.org.models import Post
from daftar.org.selectors import post_ids_at_or_below
from daftar.receipts.models import Receipt, Sender
from daftar.receipts.selectors import receipts_visible, receipts_visible_from
from daftar.search import filters
from daftar.search.indexing import index
from daftar.search.selectors import search
from daftar.search.types import Results, SearchQuery
from tests.cast import Cast
from tests.files.test_need_to_know import may_share
from tests.search.conftest import draft, note, open_file, put_on, receipt

pytestmark = pytest.mark.django_db
SECRET = Classification.SECRET
WORDS = "kestrel zamindar"  # "zamindar" is only ever in papers the section officer may not see


@pytest.fixture(autouse=True, params=["listed", "probed"])
def access_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here runs both ways access is applied: the searcher's few files and
    receipts listed first, and (as for a secretary who may see more than ``FEW``) the
    helpers' subqueries probed per match."""
    if request.param == "probed":
        monkeypatch.setattr(filters, "FEW", 0)
    return str(request.param)


@dataclass
class World:
    open_file: File
    secret_file: File
    other_ministry: File
    registry_receipt: Receipt
    secret_receipt: Receipt
    secret_draft: Draft


@pytest.fixture
def world(cast: Cast, sender: Sender) -> World:
    seen = open_file(cast, "Kestrel nesting survey")
    note(seen, "The kestrel survey is due.", actor=cast.assistant, post=cast.assistant_post)
    # A secret draft on a file the section officer sees: the draft alone is above them.
    hidden_draft = draft(cast, seen, subject=f"Secret {WORDS} letter")
    Draft.objects.filter(pk=hidden_draft.pk).update(classification=SECRET)
    index("draft", [hidden_draft.pk])

    secret = open_file(cast, f"Secret {WORDS} operations")
    note(secret, f"Secret note: {WORDS}.", actor=cast.assistant, post=cast.assistant_post)
    on_it = receipt(
        cast, sender, subject=f"{WORDS} report", pages=[f"Page on {WORDS}"], to=cast.assistant_post
    )
    put_on(cast.assistant, on_it, secret)
    draft(cast, secret, subject=f"Reply on {WORDS}")
    # Graded after indexing: the grade is read at query time. (The receipt is graded too:
    # an unclassified receipt stays open to those its own rules let see it.)
    File.objects.filter(pk=secret.pk).update(classification=SECRET)
    Receipt.objects.filter(pk=on_it.pk).update(classification=SECRET)

    other = open_file(cast, f"Budget {WORDS}", actor=cast.outsider, post=cast.outsider_post)
    note(other, f"Other ministry: {WORDS}.", actor=cast.outsider, post=cast.outsider_post)

    at_registry = receipt(cast, sender, subject=f"Registry {WORDS}", pages=[f"Scan {WORDS}"])
    graded = receipt(
        cast, sender, subject=f"Graded {WORDS}", pages=[f"Scan {WORDS}"], to=cast.so_post
    )
    Receipt.objects.filter(pk=graded.pk).update(classification=SECRET)
    return World(seen, secret, other, at_registry, graded, hidden_draft)


def shown(results: Results) -> str:
    """Everything a results page could show, as one text."""
    parts = [str(results.facets), str(results.close_spellings), str(results.hit_count)]
    for group in results.groups:
        parts += [group.number, group.subject, group.url, group.holder]
        for hit in group.hits:
            parts += [hit.label, hit.snippet, hit.url]
    return " ".join(parts)


def test_nothing_forbidden_is_found_counted_or_suggested(cast: Cast, world: World) -> None:
    results = search(cast.section_officer, SearchQuery(text="kestrel"))
    assert [(g.kind, g.object_id) for g in results.groups] == [("file", world.open_file.pk)]
    assert results.group_count == 1
    assert results.hit_count == 2
    assert results.facets == {"file": 1, "note": 1}
    assert results.groups[0].more == 0
    text = shown(results)
    for forbidden in ("zamindar", "Secret", "Budget", "Registry", "Graded", "Reply"):
        assert forbidden.lower() not in text.lower()

    for text in ("zamindar", "zamindor", "kestrel zamindar", '"kestrel zamindar"'):
        results = search(cast.section_officer, SearchQuery(text=text))
        assert results.groups == [] and results.hit_count == 0, text
        assert results.facets == {} and results.close_spellings == {}, text
    for kinds in (("receipt",), ("page",), ("draft",)):
        assert search(cast.section_officer, SearchQuery(text="kestrel", kinds=kinds)).groups == []


def test_the_same_papers_are_found_by_those_who_may_see_them(cast: Cast, world: World) -> None:
    """The forbidden papers are really in the index: the test above proves something."""
    secretary = search(cast.secretary, SearchQuery(text="zamindar"))
    assert ("file", world.secret_file.pk) in [(g.kind, g.object_id) for g in secretary.groups]
    assert {"note", "receipt", "page", "draft"} <= set(secretary.facets)
    outsider = search(cast.outsider, SearchQuery(text="zamindar"))
    assert [(g.kind, g.object_id) for g in outsider.groups] == [("file", world.other_ministry.pk)]
    clerk = search(cast.registry_clerk, SearchQuery(text="zamindar registry"))
    assert [(g.kind, g.object_id) for g in clerk.groups] == [("receipt", world.registry_receipt.pk)]
    # The secret draft on the open file shows to the secretary, within the open file's group.
    secretary = search(cast.secretary, SearchQuery(text="secret letter"))
    assert any(h.kind == "draft" for g in secretary.groups for h in g.hits)


def test_a_share_makes_a_file_findable_until_revoked(cast: Cast, world: World) -> None:
    query = SearchQuery(text="kestrel survey")
    assert search(cast.outsider, query).groups == []
    share = file_share(
        actor=may_share(cast.assistant),
        file_id=world.open_file.pk,
        post_id=cast.outsider_post.pk,
        until=clock.now().date() + dt.timedelta(days=7),
        reason="Budget to comment",
    )
    assert [g.object_id for g in search(cast.outsider, query).groups] == [world.open_file.pk]
    file_share_revoke(actor=cast.assistant, file_id=world.open_file.pk, share_id=share.pk)
    assert search(cast.outsider, query).groups == []


def test_the_listing_shape_of_access_is_the_same_rule(cast: Cast, world: World) -> None:
    """``files_visible_from``/``receipts_visible_from`` (what search lists for a person with
    few posts below theirs) answer exactly what ``files_visible``/``receipts_visible`` do,
    for everyone in the cast, with a live share (the world above holds grades, another
    ministry and the registry's receipts)."""
    file_share(
        actor=may_share(cast.assistant),
        file_id=world.open_file.pk,
        post_id=cast.outsider_post.pk,
        until=clock.now().date() + dt.timedelta(days=7),
        reason="Budget to comment",
    )
    people = (
        cast.secretary,
        cast.deputy_secretary,
        cast.section_officer,
        cast.assistant,
        cast.registry_clerk,
        cast.outsider,
    )
    for person in people:
        below = list(
            Post.objects.filter(id__in=post_ids_at_or_below(person)).values_list("id", flat=True)
        )
        assert set(files_visible_from(person, below)) == set(files_visible(person)), person
        assert set(receipts_visible_from(person, below)) == set(receipts_visible(person)), person
    assert set(files_visible(cast.outsider)) >= {world.open_file, world.other_ministry}
