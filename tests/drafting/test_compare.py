"""Comparing two versions word by word."""

from __future__ import annotations

from daftar.drafting.compare import versions_compare, word_diff
from daftar.drafting.models import Draft
from daftar.drafting.selectors import version_of
from daftar.drafting.services import AddresseeInput, draft_edit
from daftar.movement.services import file_send
from tests.cast import Cast
from tests.drafting.conftest import to_finance


def test_words_put_in_and_struck_out_are_marked() -> None:
    html, changed = word_diff("release of funds for dams", "release of grants for small dams")
    assert changed
    assert '<del class="diff-del">funds</del><ins class="diff-ins">grants</ins>' in html
    assert '<ins class="diff-ins">small </ins>' in html
    assert word_diff("same text", "same text") == ("same text", False)


def test_the_diff_escapes_what_it_shows() -> None:
    html, _changed = word_diff("a <b>", '<script>alert("x")</script> & <img onerror=y>')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html


def test_two_versions_compare_field_by_field(cast: Cast, draft: Draft) -> None:
    file_send(actor=cast.assistant, file_id=draft.file_id, to_post_id=cast.so_post.pk)
    draft_edit(
        actor=cast.section_officer,
        draft_id=draft.pk,
        subject="Release of funds for small dams in Potohar",
        body="<p>I am directed to say that the <em>Finance Division</em> may release funds.</p>",
        references="Planning Commission letter No. PC-12/2026 dated 2 March 2026",
        enclosures="Statement of expenditure",
        addressees=[
            to_finance(cast),
            AddresseeInput(kind="external", role="copy", name="<b>Chairman</b>", address="Lahore"),
        ],
    )
    old, new = version_of(draft, 1), version_of(draft, 2)
    diffs = {d.label: d for d in versions_compare(old, new)}
    assert '<ins class="diff-ins"> in Potohar</ins>' in diffs["Subject"].html
    assert not diffs["References"].changed
    assert diffs["Enclosures"].changed and "PC-I of the scheme" in diffs["Enclosures"].html
    assert "&lt;b&gt;Chairman&lt;/b&gt;" in diffs["Addressees"].html
    assert "<b>" not in diffs["Addressees"].html
    text = diffs["Text"].html
    assert '<ins class="diff-ins">' in text and '<del class="diff-del">' in text
    assert "<em>" not in text  # the words are compared, not the markup
