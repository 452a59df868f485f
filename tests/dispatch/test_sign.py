"""Signing an approved draft: the fair copy is rendered, signed by the officer, sealed by the
organisation and kept; the signatures verify (pyHanko, through the signing app)."""

from __future__ import annotations

import pytest

from daftar.audit.models import AuditEvent
from daftar.dispatch.models import FairCopy
from daftar.dispatch.services import draft_sign
from daftar.documents.selectors import document_bytes
from daftar.drafting.models import Draft, DraftStatus
from daftar.files.models import File
from daftar.files.services import file_open
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.movement.services import file_send
from daftar.org.roles import RoleRequired
from daftar.signing.api import pdf_verify, verification_url
from tests.cast import PASSWORD, Cast
from tests.conftest import last_event
from tests.dispatch.conftest import after, approved, pdf_text, to_outside


def test_sign_renders_signs_seals_and_keeps_the_fair_copy(
    cast: Cast, file: File, approved_draft: Draft
) -> None:
    fair_copy = draft_sign(actor=cast.deputy_secretary, draft_id=approved_draft.pk, secret=PASSWORD)

    approved_draft.refresh_from_db()
    assert approved_draft.status == DraftStatus.SIGNED
    assert fair_copy.version == approved_draft.approved_version
    assert fair_copy.letter_number == f"No. {file.number}"
    assert fair_copy.signed_by == cast.deputy_secretary
    assert fair_copy.signed_post == cast.ds_post
    pdf = document_bytes(fair_copy.document)
    assert fair_copy.document.sha256 and fair_copy.document.page_count == 1
    text = pdf_text(pdf)
    assert file.number in text and "Imran Qureshi" in text
    assert verification_url(fair_copy.token) in text.replace(" ", "")
    report = pdf_verify(pdf)
    assert report.ok, report.summary
    kinds = [s.kind for s in report.signatures]
    assert kinds == ["personal", "seal"]
    assert report.signatures[0].signer == "Imran Qureshi"
    assert all(s.intact and s.trusted for s in report.signatures)
    event = last_event(approved_draft, "draft.sign")
    assert event.actor == cast.deputy_secretary and event.post == cast.ds_post
    assert after(event)["sha256"] == fair_copy.document.sha256
    assert after(event)["status"] == DraftStatus.SIGNED


def test_a_wrong_secret_signs_nothing(cast: Cast, approved_draft: Draft) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match="nothing was signed"):
        draft_sign(actor=cast.deputy_secretary, draft_id=approved_draft.pk, secret="guess")
    approved_draft.refresh_from_db()
    assert approved_draft.status == DraftStatus.APPROVED
    assert not FairCopy.objects.exists()
    # The failure itself is on the record (the signing app audits it).
    assert AuditEvent.objects.count() == events + 1


def test_only_an_approved_draft_is_signed(cast: Cast, file: File, approved_draft: Draft) -> None:
    draft_sign(actor=cast.deputy_secretary, draft_id=approved_draft.pk, secret=PASSWORD)
    with pytest.raises(Conflict, match="only an approved draft"):
        draft_sign(actor=cast.deputy_secretary, draft_id=approved_draft.pk, secret=PASSWORD)
    assert FairCopy.objects.count() == 1


def test_a_draft_not_yet_approved_is_refused(cast: Cast, file: File) -> None:
    from daftar.drafting.services import draft_create

    draft = draft_create(
        actor=cast.assistant,
        file_id=file.pk,
        kind="letter",
        language="en",
        classification=0,
        subject="Unapproved",
        body="<p>Text.</p>",
        references="",
        enclosures="",
        addressees=[to_outside()],
    )
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.ds_post.pk)
    with pytest.raises(Conflict, match="only an approved draft"):
        draft_sign(actor=cast.deputy_secretary, draft_id=draft.pk, secret=PASSWORD)


def test_signing_needs_the_role_and_the_file(cast: Cast, file: File, approved_draft: Draft) -> None:
    # The section officer is an officer, not a signing officer.
    with pytest.raises(RoleRequired):
        draft_sign(actor=cast.section_officer, draft_id=approved_draft.pk, secret=PASSWORD)
    # The Secretary signs documents and sees the file (above in the chain), but does not
    # hold it.
    with pytest.raises(Conflict, match="not with your post"):
        draft_sign(actor=cast.secretary, draft_id=approved_draft.pk, secret=PASSWORD)
    assert not FairCopy.objects.exists()


def test_an_outsider_hears_not_found(cast: Cast, file: File, approved_draft: Draft) -> None:
    from daftar.org.roles import roles_assign

    outsider = roles_assign(actor=None, person=cast.outsider, roles=["signing_officer"])
    with pytest.raises(NotFound):
        draft_sign(actor=outsider, draft_id=approved_draft.pk, secret=PASSWORD)
    with pytest.raises(NotFound):
        draft_sign(actor=cast.deputy_secretary, draft_id=987654, secret=PASSWORD)


def test_a_classified_letter_carries_its_grade(cast: Cast) -> None:
    file = file_open(
        actor=cast.assistant,
        post_id=cast.assistant_post.pk,
        subject="Dam security",
        classification=1,
    )
    draft = approved(cast, file, [to_outside()], classification=1)  # Restricted
    fair_copy = draft_sign(actor=cast.deputy_secretary, draft_id=draft.pk, secret=PASSWORD)
    assert "RESTRICTED" in pdf_text(document_bytes(fair_copy.document)).upper()
