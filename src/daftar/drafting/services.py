"""State changes of drafts for approval (docs/drafting.md). Each owns its transaction, locks
the file first (custody decides who may write), and writes its audit event.

Versions: an edit by the post that wrote the current version, while the file has not moved
since and the draft is not approved, rewrites that version; any other edit starts a new one,
and from then on the old one never changes. Editing an approved draft clears the approval.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.documents.models import Document
from daftar.drafting.content import AddresseeInput as AddresseeInput  # re-exported: the contract
from daftar.drafting.content import Content, content_check
from daftar.drafting.models import (
    Addressee,
    Draft,
    DraftEnclosure,
    DraftKind,
    DraftLanguage,
    DraftStatus,
    DraftVersion,
)
from daftar.drafting.selectors import draft_for_actor
from daftar.files.models import Classification, CorrespondenceItem, File
from daftar.files.services import _writable_file, note_record_final
from daftar.lib import clock
from daftar.lib.changes import changed
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.org.clearance import not_cleared_message
from daftar.org.models import Post, User
from daftar.org.roles import permission_require
from daftar.receipts.models import ReceiptDocument

FINISHED = {DraftStatus.SIGNED, DraftStatus.ISSUED, DraftStatus.CANCELLED}
MAX_ENCLOSURES = 20


def _documents_check(actor: User, file: File, document_ids: Sequence[int]) -> list[Document]:
    """Enclosures: documents on the file's correspondence, or uploaded by the actor."""
    ids = list(dict.fromkeys(document_ids))
    if len(ids) > MAX_ENCLOSURES:
        raise InvalidInput(_("At most %(n)s enclosed documents.") % {"n": MAX_ENCLOSURES})
    if not ids:
        return []
    on_file = ReceiptDocument.objects.filter(
        receipt_id__in=CorrespondenceItem.objects.filter(file=file).values("receipt_id")
    ).values("document_id")
    found = Document.objects.filter(pk__in=ids).filter(pk__in=on_file) | Document.objects.filter(
        pk__in=ids, uploaded_by=actor
    )
    by_id = {d.pk: d for d in found}
    if len(by_id) != len(ids):
        raise InvalidInput(_("An enclosed document is not on this file."))
    return [by_id[pk] for pk in ids]


def _version_fill(version: DraftVersion, content: Content, documents: list[Document]) -> None:
    """Write the addressees and enclosures of a (new or rewritten) version."""
    Addressee.objects.bulk_create(
        Addressee(
            version=version,
            order=n,
            kind=a.kind,
            role=a.role,
            organisation_id=a.organisation_id,
            post_id=a.post_id,
            name=a.name,
            address=a.address,
            email=a.email,
        )
        for n, a in enumerate(content.addressees, start=1)
    )
    DraftEnclosure.objects.bulk_create(
        DraftEnclosure(version=version, document=d, order=n)
        for n, d in enumerate(documents, start=1)
    )


def _texts(content: Content) -> dict[str, str]:
    """The text of a version, by field."""
    return {
        "subject": content.subject,
        "body": content.body,
        "references": content.references,
        "enclosures": content.enclosures,
    }


def _summary(
    version: DraftVersion, content: Content, documents: list[Document]
) -> dict[str, object]:
    return {
        "version": version.number,
        **_texts(content),
        "addressees": [
            {k: v for k, v in vars(a).items() if v not in ("", None)} for a in content.addressees
        ],
        "documents": [d.pk for d in documents],
    }


def _grade_check(actor: User, file: File, classification: int) -> None:
    if classification not in Classification.values:
        raise InvalidInput(_("Unknown classification."))
    if classification > actor.clearance:
        raise InvalidInput(not_cleared_message(classification))
    if classification > file.classification:
        raise InvalidInput(
            _("A draft cannot be graded above its file (%(grade)s).")
            % {"grade": file.get_classification_display()}
        )


@transaction.atomic(durable=True)
def draft_create(
    *,
    actor: User,
    file_id: int,
    kind: str,
    language: str,
    classification: int,
    subject: str,
    body: str,
    references: str,
    enclosures: str,
    addressees: Sequence[AddresseeInput],
    document_ids: Sequence[int] = (),
) -> Draft:
    """Start a draft on an electronic file held by one of the actor's posts (version 1)."""
    file, post = _writable_file(actor, file_id)
    if kind not in DraftKind.values or language not in DraftLanguage.values:
        raise InvalidInput(_("Unknown type of draft or language."))
    _grade_check(actor, file, classification)
    content = content_check(
        subject=subject,
        body=body,
        references=references,
        enclosures=enclosures,
        addressees=addressees,
    )
    documents = _documents_check(actor, file, document_ids)
    now = clock.now()
    last = Draft.objects.filter(file=file).aggregate(m=Max("serial"))["m"] or 0
    draft = Draft.objects.create(
        file=file,
        serial=last + 1,
        kind=kind,
        language=language,
        classification=classification,
        created_by=actor,
        created_post=post,
        created_at=now,
    )
    version = _version_new(draft, 1, actor, post, file, content, documents)
    draft.current_version = version
    draft.save(update_fields=["current_version"])
    changed("draft", [draft.pk])
    event_record(
        actor=actor,
        post=post,
        action="draft.create",
        obj=draft,
        after={
            "file": file.number,
            "label": draft.label,
            "kind": kind,
            "language": language,
            "classification": classification,
            **_summary(version, content, documents),
        },
    )
    return draft


def _version_new(
    draft: Draft,
    number: int,
    actor: User,
    post: Post,
    file: File,
    content: Content,
    documents: list[Document],
) -> DraftVersion:
    version = DraftVersion.objects.create(
        draft=draft,
        number=number,
        **_texts(content),
        author=actor,
        post=post,
        movement_id=file.current_movement_id,
        created_at=clock.now(),
    )
    _version_fill(version, content, documents)
    return version


def _held_draft(actor: User, draft_id: int) -> tuple[Draft, File, Post]:
    """The draft, with its file locked and held by one of the actor's posts."""
    draft = draft_for_actor(actor, draft_id, for_update=True)
    file, post = _writable_file(actor, draft.file_id)
    draft.file = file
    if draft.status in FINISHED:
        raise Conflict(
            _("%(label)s is %(status)s; it cannot change.")
            % {"label": draft.label, "status": draft.get_status_display().lower()}
        )
    return draft, file, post


def _approval_clear(draft: Draft) -> dict[str, object]:
    """An approved draft that changes needs a new approval; the old one stays in the audit
    trail and in the final entry on the note sheet."""
    before: dict[str, object] = {
        "status": draft.status,
        "approved_version": draft.approved_version.number if draft.approved_version else None,
    }
    draft.status = DraftStatus.DRAFT
    draft.approved_version = None
    draft.approved_by = None
    draft.approved_post = None
    draft.approved_at = None
    draft.approval_note = None
    return before


@transaction.atomic(durable=True)
def draft_edit(
    *,
    actor: User,
    draft_id: int,
    subject: str,
    body: str,
    references: str,
    enclosures: str,
    addressees: Sequence[AddresseeInput],
    document_ids: Sequence[int] = (),
) -> DraftVersion:
    """Revise a draft: rewrite the current version, or start the next one (module doc)."""
    draft, file, post = _held_draft(actor, draft_id)
    content = content_check(
        subject=subject,
        body=body,
        references=references,
        enclosures=enclosures,
        addressees=addressees,
    )
    documents = _documents_check(actor, file, document_ids)
    current = draft.current_version
    if current is None:  # a draft is created with its first version; this is only a guard
        raise NotFound(_("No such draft, or it is not open to you."))
    before: dict[str, object] = {"version": current.number, "subject": current.subject}
    in_place = (
        draft.status == DraftStatus.DRAFT
        and current.post_id == post.pk
        and current.movement_id == file.current_movement_id
    )
    if draft.status == DraftStatus.APPROVED:
        before |= _approval_clear(draft)
    if in_place:
        version = _version_rewrite(current, actor, content, documents)
    else:
        version = _version_new(draft, current.number + 1, actor, post, file, content, documents)
    draft.current_version = version
    draft.save()
    changed("draft", [draft.pk])
    event_record(
        actor=actor,
        post=post,
        action="draft.edit",
        obj=draft,
        before=before,
        after={
            "in_place": in_place,
            "status": draft.status,
            **_summary(version, content, documents),
        },
    )
    return version


def _version_rewrite(
    version: DraftVersion, actor: User, content: Content, documents: list[Document]
) -> DraftVersion:
    for field, text in _texts(content).items():
        setattr(version, field, text)
    version.author = actor
    version.created_at = clock.now()
    version.save()
    version.addressees.all().delete()
    version.enclosure_documents.all().delete()
    _version_fill(version, content, documents)
    return version


def approval_text(draft: Draft, version: DraftVersion) -> str:
    """The final entry on the note sheet that records the approval."""
    return _("%(label)s (%(kind)s, version %(n)s) on “%(subject)s” approved.") % {
        "label": draft.label,
        "kind": draft.get_kind_display().lower(),
        "n": version.number,
        "subject": version.subject,
    }


@transaction.atomic(durable=True)
def draft_approve(*, actor: User, draft_id: int, version_number: int) -> Draft:
    """Approve the current version: the officer's post holds the file, the officer is cleared
    for the draft's grade. Writes the final entry on the note sheet."""
    permission_require(actor, "drafting.approve_draft")
    draft, file, post = _held_draft(actor, draft_id)
    if draft.status == DraftStatus.APPROVED:
        raise Conflict(_("%(label)s is already approved.") % {"label": draft.label})
    current = draft.current_version
    if current is None or current.number != version_number:
        raise Conflict(
            _(
                "Version %(n)s is not the current version of %(label)s; read version "
                "%(current)s and approve that."
            )
            % {"n": version_number, "label": draft.label, "current": current and current.number}
        )
    if draft.classification > actor.clearance:
        raise InvalidInput(not_cleared_message(draft.classification))
    note = note_record_final(actor=actor, file=file, post=post, body=approval_text(draft, current))
    draft.status = DraftStatus.APPROVED
    draft.approved_version = current
    draft.approved_by = actor
    draft.approved_post = post
    draft.approved_at = clock.now()
    draft.approval_note = note
    draft.save()
    changed("draft", [draft.pk])
    event_record(
        actor=actor,
        post=post,
        action="draft.approve",
        obj=draft,
        before={"status": DraftStatus.DRAFT},
        after={"status": draft.status, "version": current.number, "note": note.pk},
    )
    return draft


@transaction.atomic(durable=True)
def draft_cancel(*, actor: User, draft_id: int, reason: str) -> Draft:
    """Drop a draft that will not go out (before it is signed); it stays on the file."""
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(_("Say why the draft is cancelled."))
    if len(reason) > 500:
        raise InvalidInput(_("The reason is longer than 500 characters."))
    draft, _file, post = _held_draft(actor, draft_id)
    draft_status_set(
        draft,
        DraftStatus.CANCELLED,
        actor=actor,
        post=post,
        action="draft.cancel",
        after={"reason": reason},
    )
    return draft


def draft_status_set(
    draft: Draft,
    status: DraftStatus,
    *,
    actor: User,
    post: Post,
    action: str,
    after: Mapping[str, object],
) -> None:
    """Move the draft to ``status`` and audit it as ``action`` (the old status before, the new
    one and ``after`` after), inside the caller's transaction."""
    before = {"status": draft.status}
    draft.status = status
    draft.save(update_fields=["status"])
    # Signing and issuing go through here: the issued letter's dispatch number is indexed.
    changed("draft", [draft.pk])
    event_record(
        actor=actor,
        post=post,
        action=action,
        obj=draft,
        before=before,
        after={"status": status, **after},
    )
