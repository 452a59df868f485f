"""Drafts are seen through their file."""

from __future__ import annotations

import pytest

from daftar.drafting.models import Draft
from daftar.drafting.selectors import draft_for_actor, drafts_of, posts_in_organisation
from daftar.files.models import Classification, File
from daftar.lib.errors import NotFound
from daftar.movement.services import file_send
from tests.cast import Cast
from tests.drafting.conftest import new_draft


def test_those_who_see_the_file_see_its_drafts(cast: Cast, file: File, draft: Draft) -> None:
    assert draft_for_actor(cast.assistant, draft.pk) == draft
    # The officers above the assistant see what their desks below hold.
    assert draft_for_actor(cast.secretary, draft.pk).file == file
    with pytest.raises(NotFound):
        draft_for_actor(cast.outsider, draft.pk)
    with pytest.raises(NotFound):
        draft_for_actor(cast.assistant, 987_654_321)


def test_a_draft_graded_above_the_reader_is_hidden(cast: Cast, file: File) -> None:
    File.objects.filter(pk=file.pk).update(classification=Classification.RESTRICTED)
    secret = new_draft(cast, file, classification=Classification.RESTRICTED)
    Draft.objects.filter(pk=secret.pk).update(classification=Classification.CONFIDENTIAL)
    assert draft_for_actor(cast.section_officer, secret.pk) == secret
    with pytest.raises(NotFound):
        draft_for_actor(cast.assistant, secret.pk)


def test_the_panel_lists_drafts_newest_first(cast: Cast, file: File) -> None:
    first = new_draft(cast, file)
    second = new_draft(cast, file, subject="Second reply")
    assert [d.label for d in drafts_of(file)] == ["DFA-2", "DFA-1"]
    assert drafts_of(file)[0].current_version.subject == "Second reply"  # type: ignore[union-attr]
    assert first.serial == 1 and second.serial == 2
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    assert draft_for_actor(cast.section_officer, first.pk) == first


def test_the_posts_of_an_organisation_exclude_other_organisations(cast: Cast) -> None:
    posts = posts_in_organisation(cast.division.pk)
    assert cast.secretary_post in posts and cast.assistant_post in posts
    assert cast.outsider_post not in posts
    assert posts_in_organisation(cast.section.pk) == []  # a section is no organisation
