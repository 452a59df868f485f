"""Creating, revising, approving and cancelling drafts through the real services."""

from __future__ import annotations

from typing import Any

import pytest

from daftar.audit.models import AuditEvent
from daftar.drafting.models import Addressee, Draft, DraftStatus, DraftVersion
from daftar.drafting.services import (
    AddresseeInput,
    draft_approve,
    draft_cancel,
    draft_edit,
)
from daftar.files.models import Classification, File, Note, NoteKind
from daftar.files.services import file_close, file_open
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.movement.services import file_send
from daftar.org.roles import RoleRequired
from tests.cast import Cast
from tests.conftest import last_event
from tests.drafting.conftest import BODY, new_draft, to_finance, to_outside


def edit(cast: Cast, draft: Draft, actor: Any = None, **given: Any) -> DraftVersion:
    values: dict[str, Any] = {
        "subject": "Release of funds for small dams",
        "body": BODY,
        "references": "",
        "enclosures": "",
        "addressees": [to_finance(cast)],
    }
    values.update(given)
    return draft_edit(actor=actor or cast.assistant, draft_id=draft.pk, **values)


def rows() -> tuple[int, int, int, int, int]:
    return (
        Draft.objects.count(),
        DraftVersion.objects.count(),
        Addressee.objects.count(),
        Note.objects.count(),
        AuditEvent.objects.count(),
    )


def test_create_writes_version_one_with_its_addressees(cast: Cast, draft: Draft) -> None:
    version = draft.current_version
    assert version is not None and version.number == 1
    assert draft.label == "DFA-1" and draft.status == DraftStatus.DRAFT
    assert version.post == cast.assistant_post and version.movement_id is not None
    assert [(a.kind, a.role) for a in version.addressees.all()] == [
        ("internal", "to"),
        ("external", "copy"),
    ]
    event = last_event(draft, "draft.create")
    assert event.after is not None and event.after["label"] == "DFA-1"
    assert event.after["version"] == 1


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"subject": "  "}, "needs a subject"),
        ({"subject": "x" * 501}, "longer than 500"),
        ({"body": "<script>alert(1)</script><p> </p>"}, "The draft is empty"),
        ({"addressees": []}, "at least one addressee"),
        ({"addressees": [to_outside()]}, "at least one addressee"),  # only a copy
        ({"addressees": [AddresseeInput(kind="external", name="X")]}, "postal address"),
        (
            {"addressees": [AddresseeInput(kind="external", name="X", email="not-an-address")]},
            "is not an e-mail address",
        ),
        ({"addressees": [AddresseeInput(kind="internal", organisation_id=None)]}, "organisation"),
        ({"kind": "poem"}, "Unknown type"),
        ({"classification": 9}, "Unknown classification"),
        ({"classification": Classification.RESTRICTED}, "above its file"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    cast: Cast, file: File, given: dict[str, Any], message: str
) -> None:
    before = rows()
    with pytest.raises(InvalidInput, match=message):
        new_draft(cast, file, **given)
    assert rows() == before


def test_an_internal_post_must_be_in_the_organisation(cast: Cast, file: File) -> None:
    wrong = AddresseeInput(
        kind="internal", organisation_id=to_finance(cast).organisation_id, post_id=cast.so_post.pk
    )
    with pytest.raises(InvalidInput, match="not in Finance Division"):
        new_draft(cast, file, addressees=[wrong])
    right = AddresseeInput(
        kind="internal",
        organisation_id=to_finance(cast).organisation_id,
        post_id=cast.outsider_post.pk,
    )
    assert new_draft(cast, file, addressees=[right]).current_version is not None


def test_the_grade_is_capped_by_the_drafters_clearance(cast: Cast, file: File) -> None:
    File.objects.filter(pk=file.pk).update(classification=Classification.RESTRICTED)
    with pytest.raises(InvalidInput, match="no clearance for Confidential"):
        new_draft(cast, file, classification=Classification.CONFIDENTIAL)  # assistant: Restricted
    assert new_draft(cast, file, classification=Classification.RESTRICTED).classification == 1


def test_only_the_holder_drafts_and_outsiders_get_404(cast: Cast, file: File) -> None:
    with pytest.raises(Conflict, match="not with your post"):
        new_draft(cast, file, actor=cast.section_officer)
    with pytest.raises(NotFound):
        new_draft(cast, file, actor=cast.outsider)


def test_a_closed_or_paper_file_takes_no_draft(cast: Cast, file: File) -> None:
    File.objects.filter(pk=file.pk).update(is_physical=True)
    with pytest.raises(InvalidInput, match="physical file"):
        new_draft(cast, file)
    File.objects.filter(pk=file.pk).update(is_physical=False)
    file_close(actor=cast.assistant, file_id=file.pk)
    with pytest.raises(Conflict, match="closed"):
        new_draft(cast, file)


def test_the_body_is_sanitised_on_save(cast: Cast, file: File) -> None:
    hostile = (
        '<p onclick="steal()" dir="rtl" style="color:red">Hello <a href="javascript:x()">link</a>'
        '<img src=x onerror="alert(1)"><script>alert(2)</script></p><h3 dir="sideways">Head</h3>'
        "<table><tr><td>cell</td></tr></table><iframe src=//evil></iframe>"
    )
    body = new_draft(cast, file, body=hostile).current_version.body  # type: ignore[union-attr]
    for gone in ("onclick", "style", "javascript", "<a", "<img", "onerror", "script", "iframe"):
        assert gone not in body, body
    assert '<p dir="rtl">Hello link</p>' in body
    assert "<h3>Head</h3>" in body  # the unknown direction is dropped, the heading kept
    assert "<td>cell</td>" in body


def test_an_edit_at_the_same_desk_rewrites_the_current_version(cast: Cast, draft: Draft) -> None:
    version = edit(cast, draft, subject="Release of funds (revised)")
    assert version.number == 1 and DraftVersion.objects.filter(draft=draft).count() == 1
    assert version.subject == "Release of funds (revised)"
    assert list(version.addressees.values_list("kind", flat=True)) == ["internal"]
    event = last_event(draft, "draft.edit")
    assert event.after is not None and event.after["in_place"] is True
    assert event.after["version"] == 1


def test_an_edit_after_the_file_moved_starts_a_new_version(cast: Cast, draft: Draft) -> None:
    file_send(actor=cast.assistant, file_id=draft.file_id, to_post_id=cast.so_post.pk)
    version = edit(cast, draft, actor=cast.section_officer, subject="Revised by the SO")
    assert version.number == 2 and version.post == cast.so_post
    first = DraftVersion.objects.get(draft=draft, number=1)
    assert first.subject == "Release of funds for small dams"  # the old one never changes
    assert first.addressees.count() == 2
    # A second edit by the same post, the file unmoved: the same version 2.
    assert edit(cast, draft, actor=cast.section_officer, subject="Again").number == 2
    # Back at the assistant's desk: the file moved, so version 3.
    file_send(actor=cast.section_officer, file_id=draft.file_id, to_post_id=cast.assistant_post.pk)
    assert edit(cast, draft, subject="Third").number == 3
    assert last_event(draft, "draft.edit").after["version"] == 3  # type: ignore[index]


def test_approval_writes_a_final_entry_and_fixes_the_version(cast: Cast, draft: Draft) -> None:
    file_send(actor=cast.assistant, file_id=draft.file_id, to_post_id=cast.so_post.pk)
    approved = draft_approve(actor=cast.section_officer, draft_id=draft.pk, version_number=1)
    assert approved.status == DraftStatus.APPROVED
    assert approved.approved_version == draft.current_version
    assert approved.approved_by == cast.section_officer and approved.approved_post == cast.so_post
    note = approved.approval_note
    assert note is not None and note.is_final and note.kind == NoteKind.ENTRY
    assert note.body == "DFA-1 (letter, version 1) on “Release of funds for small dams” approved."
    assert last_event(draft, "draft.approve").after["version"] == 1  # type: ignore[index]
    before = rows()
    with pytest.raises(Conflict, match="already approved"):
        draft_approve(actor=cast.section_officer, draft_id=draft.pk, version_number=1)
    assert rows() == before


def test_only_the_current_version_can_be_approved(cast: Cast, draft: Draft) -> None:
    file_send(actor=cast.assistant, file_id=draft.file_id, to_post_id=cast.so_post.pk)
    edit(cast, draft, actor=cast.section_officer, subject="Revised")
    with pytest.raises(Conflict, match="Version 1 is not the current version"):
        draft_approve(actor=cast.section_officer, draft_id=draft.pk, version_number=1)
    assert draft_approve(actor=cast.section_officer, draft_id=draft.pk, version_number=2)


def test_approval_needs_the_role_and_the_file(cast: Cast, draft: Draft) -> None:
    before = rows()
    with pytest.raises(RoleRequired):
        draft_approve(actor=cast.assistant, draft_id=draft.pk, version_number=1)
    with pytest.raises(Conflict, match="not with your post"):
        draft_approve(actor=cast.section_officer, draft_id=draft.pk, version_number=1)
    with pytest.raises(NotFound):
        draft_approve(actor=cast.outsider, draft_id=draft.pk, version_number=1)
    assert rows() == before


def test_editing_an_approved_draft_clears_the_approval(cast: Cast, draft: Draft) -> None:
    file_send(actor=cast.assistant, file_id=draft.file_id, to_post_id=cast.so_post.pk)
    draft_approve(actor=cast.section_officer, draft_id=draft.pk, version_number=1)
    version = edit(cast, draft, actor=cast.section_officer, subject="Changed after approval")
    assert version.number == 2  # the approved version stays as it was
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT and draft.approved_version is None
    event = last_event(draft, "draft.edit")
    assert event.before is not None and event.before["approved_version"] == 1
    assert draft_approve(actor=cast.section_officer, draft_id=draft.pk, version_number=2)


def test_cancel_needs_a_reason_and_ends_the_draft(cast: Cast, draft: Draft) -> None:
    with pytest.raises(InvalidInput, match="Say why"):
        draft_cancel(actor=cast.assistant, draft_id=draft.pk, reason=" ")
    with pytest.raises(NotFound):
        draft_cancel(actor=cast.outsider, draft_id=draft.pk, reason="Not needed")
    cancelled = draft_cancel(actor=cast.assistant, draft_id=draft.pk, reason="Replied by phone")
    assert cancelled.status == DraftStatus.CANCELLED
    assert last_event(draft, "draft.cancel").after["reason"] == "Replied by phone"  # type: ignore[index]
    before = rows()
    with pytest.raises(Conflict, match="cancelled; it cannot change"):
        edit(cast, draft, subject="Too late")
    with pytest.raises(Conflict):
        draft_cancel(actor=cast.assistant, draft_id=draft.pk, reason="Again")
    assert rows() == before


def test_signed_drafts_never_change(cast: Cast, draft: Draft) -> None:
    Draft.objects.filter(pk=draft.pk).update(status=DraftStatus.SIGNED)
    with pytest.raises(Conflict, match="signed"):
        edit(cast, draft, subject="Changed")


def test_serials_count_per_file(cast: Cast, file: File, draft: Draft) -> None:
    assert new_draft(cast, file).label == "DFA-2"
    other = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Other")
    assert new_draft(cast, other).label == "DFA-1"


def test_what_browsers_write_and_plain_text_are_kept_in_the_subset(cast: Cast, file: File) -> None:
    typed = new_draft(cast, file, body="<div>One <b>bold</b> and <i>slanted</i></div>")
    assert typed.current_version.body == "<p>One <strong>bold</strong> and <em>slanted</em></p>"  # type: ignore[union-attr]
    plain = new_draft(cast, file, body="First line\nsecond & last\n\nNext paragraph")
    assert plain.current_version.body == (  # type: ignore[union-attr]
        "<p>First line<br>second &amp; last</p><p>Next paragraph</p>"
    )
