"""What the index should hold for a set of source rows: the entries, built from the data.

One builder per kind of source; each reads its rows with a few set queries (``values``, never
one query per row) and returns plain ``Row`` values, which ``indexing`` compares with what is
stored. The shape of each entry is the contract in docs/search.md ("What an entry is").

A builder takes a filter on its source's primary key (``Q(pk__in=ids)`` when services announce
changes, an id range when ``reindex_all`` walks the table).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from daftar.documents.checks import IMAGE_TYPES, OFFICE_TYPES, PDF
from daftar.documents.models import DocumentPage
from daftar.drafting.content import body_text
from daftar.drafting.models import Addressee, Draft
from daftar.files.models import CorrespondenceItem, File, Note
from daftar.receipts.models import Receipt, ReceiptDocument, Sender
from daftar.search.models import EntryKind
from daftar.search.text import fold_ref, normalise, refs_of

# The stored columns an entry is compared on (everything but ``id`` and ``key``).
FIELDS = (
    "kind",
    "file_id",
    "receipt_id",
    "note_id",
    "document_id",
    "page",
    "draft_id",
    "subtype",
    "grade",
    "dated",
    "title",
    "refs",
    "body",
)
Values = tuple[object, ...]


@dataclass(frozen=True)
class Row:
    """One entry as it should be."""

    key: str
    kind: str
    dated: dt.date
    title: str = ""
    refs: str = ""
    body: str = ""
    file_id: int | None = None
    receipt_id: int | None = None
    note_id: int | None = None
    document_id: int | None = None
    page: int | None = None
    draft_id: int | None = None
    subtype: str = ""
    grade: int = 0

    def values(self) -> Values:
        return tuple(getattr(self, name) for name in FIELDS)


def day(moment: dt.datetime) -> dt.date:
    """The calendar day of a stored moment, in the instance's time zone."""
    return timezone.localdate(moment)


def refs(own: Iterable[str], *texts: str) -> str:
    """The object's own numbers (folded) first, then the numbers in its texts; each once."""
    found = dict.fromkeys(f for f in (fold_ref(n) for n in own if n) if f)
    found.update(dict.fromkeys(refs_of(*texts).split()))
    return " ".join(found)


def family(content_type: str) -> str:
    """The kind of document for the "document type" filter."""
    if content_type == PDF:
        return "pdf"
    if content_type in IMAGE_TYPES:
        return "image"
    if content_type in OFFICE_TYPES:
        return "office"
    if content_type.startswith("message/"):
        return "email"
    return "other"


# --- Files and notes ---------------------------------------------------------------------


def file_rows(where: Q) -> list[Row]:
    found = File.objects.filter(where).values_list("id", "number", "subject", "created_at")
    return [
        Row(
            key=f"file:{pk}",
            kind=EntryKind.FILE,
            file_id=pk,
            title=normalise(f"{number} {subject}"),
            refs=refs([number], normalise(subject)),
            dated=day(created_at),
        )
        for pk, number, subject, created_at in found
    ]


def note_rows(where: Q) -> list[Row]:
    """Final notes only: a draft ("yellow") note is its author's until the file is sent. A
    note without text (an "I agree") has nothing to find and gets no entry."""
    found = Note.objects.filter(where, is_final=True).values_list(
        "id", "file_id", "kind", "body", "finalised_at", "created_at"
    )
    rows = []
    for pk, file_id, kind, body, finalised_at, created_at in found:
        text = normalise(body)
        if text:
            rows.append(
                Row(
                    key=f"note:{pk}",
                    kind=EntryKind.NOTE,
                    file_id=file_id,
                    note_id=pk,
                    refs=refs((), text),
                    body=text,
                    dated=day(finalised_at or created_at),
                    subtype=kind,
                )
            )
    return rows


# --- Receipts and their pages -------------------------------------------------------------


def receipt_files(receipt_ids: Iterable[int]) -> dict[int, int]:
    """The file each receipt stands on: the first paper on a file that is not a copy."""
    ids = list(receipt_ids)
    if not ids:
        return {}
    items = (
        CorrespondenceItem.objects.filter(receipt_id__in=ids, is_copy=False)
        .order_by("-id")
        .values_list("receipt_id", "file_id")
    )
    # Newest first: the first paper of each receipt is written last and stays.
    return dict(items)


def receipt_rows(where: Q) -> list[Row]:
    """The receipts' own entries and the entries of their documents' pages."""
    found = list(
        Receipt.objects.filter(where).values_list(
            "id",
            "diary_number",
            "letter_number",
            "subject",
            "enclosures",
            "remarks",
            "received_on",
            "mode",
            "sender__organisation",
            "sender__name",
            "sender__designation",
        )
    )
    files = receipt_files(r[0] for r in found)
    rows = []
    received = {}
    for pk, diary, letter, subject, enclosures, remarks, on, mode, org, name, desig in found:
        sender = str(Sender(organisation=org, name=name, designation=desig))
        received[pk] = on
        rows.append(
            Row(
                key=f"receipt:{pk}",
                kind=EntryKind.RECEIPT,
                file_id=files.get(pk),
                receipt_id=pk,
                title=normalise(subject),
                refs=refs([diary, letter], normalise(subject), normalise(remarks)),
                body=normalise(" ".join(p for p in (sender, letter, enclosures, remarks) if p)),
                dated=on,
                subtype=mode,
            )
        )
    documents = ReceiptDocument.objects.filter(receipt_id__in=list(received)).values_list(
        "receipt_id", "document_id"
    )
    rows += receipt_page_rows(list(documents), received, files)
    return rows


def receipt_page_rows(
    documents: list[tuple[int, int]], received: dict[int, dt.date], files: dict[int, int]
) -> list[Row]:
    """Entries of the pages of ``documents`` ((receipt, document) pairs) in their receipts."""
    receipt_of = {document_id: receipt_id for receipt_id, document_id in documents}
    rows = []
    for document_id, number, text, content_type in _pages(list(receipt_of)):
        receipt_id = receipt_of[document_id]
        rows.append(
            Row(
                key=f"page:r{receipt_id}:d{document_id}:{number}",
                kind=EntryKind.PAGE,
                file_id=files.get(receipt_id),
                receipt_id=receipt_id,
                document_id=document_id,
                page=number,
                refs=refs((), text),
                body=text,
                dated=received[receipt_id],
                subtype=family(content_type),
            )
        )
    return rows


def _pages(document_ids: list[int]) -> list[tuple[int, int, str, str]]:
    """The pages with text of these documents, normalised: (document, number, text, type)."""
    if not document_ids:
        return []
    found = (
        DocumentPage.objects.filter(document_id__in=document_ids)
        .exclude(text="")
        .values_list("document_id", "number", "text", "document__content_type")
    )
    pages = []
    for document_id, number, raw, content_type in found:
        text = normalise(raw)
        if text:
            pages.append((document_id, number, text, content_type))
    return pages


def document_rows(document_ids: list[int]) -> list[Row]:
    """Every page entry of these documents, in every place they stand: a receipt's documents
    (with the receipt's file) and office copies on files.

    The receipts are locked first (PostgreSQL), in id order: a receipt being put on a file
    meanwhile either committed before (its file is read here) or waits, and then indexes
    these pages itself with the text written here."""
    pairs = list(
        ReceiptDocument.objects.filter(document_id__in=document_ids).values_list(
            "receipt_id", "document_id"
        )
    )
    receipt_ids = sorted({receipt_id for receipt_id, _d in pairs})
    received: dict[int, dt.date] = {}
    if receipt_ids:
        locked = Receipt.objects.filter(id__in=receipt_ids).order_by("id")
        if connection.features.has_select_for_update:
            locked = locked.select_for_update()
        received = dict(locked.values_list("id", "received_on"))
    rows = receipt_page_rows(pairs, received, receipt_files(receipt_ids))
    return rows + office_copy_rows(Q(document_id__in=document_ids))


def office_copy_rows(where: Q) -> list[Row]:
    """Pages of the papers on files that are documents, not receipts (office copies of
    issued letters); ``where`` filters the correspondence items."""
    items = list(
        CorrespondenceItem.objects.filter(where, document__isnull=False).values_list(
            "file_id", "document_id", "added_at"
        )
    )
    by_document: dict[int, list[tuple[int, dt.date]]] = {}
    for file_id, document_id, added_at in items:
        by_document.setdefault(document_id, []).append((file_id, day(added_at)))
    rows = []
    for document_id, number, text, _type in _pages(list(by_document)):
        for file_id, on in by_document[document_id]:
            rows.append(
                Row(
                    key=f"page:f{file_id}:d{document_id}:{number}",
                    kind=EntryKind.PAGE,
                    file_id=file_id,
                    document_id=document_id,
                    page=number,
                    refs=refs((), text),
                    body=text,
                    dated=on,
                    subtype="office_copy",
                )
            )
    return rows


# --- Drafts and issued letters ------------------------------------------------------------


def draft_rows(where: Q) -> list[Row]:
    found = list(
        Draft.objects.filter(where, current_version__isnull=False).values_list(
            "id",
            "file_id",
            "kind",
            "classification",
            "current_version_id",
            "current_version__subject",
            "current_version__body",
            "current_version__references",
            "current_version__enclosures",
            "current_version__created_at",
            "approved_at",
            "fair_copy__signed_at",
            "fair_copy__dispatch__number",
            "fair_copy__dispatch__issued_at",
        )
    )
    addressees = _addressees([r[4] for r in found])
    rows = []
    for (
        pk,
        file_id,
        kind,
        grade,
        version_id,
        subject,
        body,
        references,
        enclosures,
        written_at,
        approved_at,
        signed_at,
        dispatch_number,
        issued_at,
    ) in found:
        title = normalise(subject)
        text = normalise(
            "\n".join(
                p
                for p in (body_text(body), addressees.get(version_id, ""), references, enclosures)
                if p
            )
        )
        last = max(m for m in (written_at, approved_at, signed_at, issued_at) if m is not None)
        rows.append(
            Row(
                key=f"draft:{pk}",
                kind=EntryKind.DRAFT,
                file_id=file_id,
                draft_id=pk,
                title=title,
                refs=refs([dispatch_number or ""], title, text),
                body=text,
                dated=day(last),
                subtype=kind,
                grade=grade,
            )
        )
    return rows


def _addressees(version_ids: list[int]) -> dict[int, str]:
    """Each version's addressees as one line of text: who, and where."""
    if not version_ids:
        return {}
    found = (
        Addressee.objects.filter(version_id__in=version_ids)
        .order_by("version_id", "order")
        .values_list(
            "version_id", "post__designation", "organisation__name", "name", "address", "email"
        )
    )
    lines: dict[int, list[str]] = {}
    for version_id, *parts in found:
        lines.setdefault(version_id, []).append(" ".join(p for p in parts if p))
    return {version_id: " ".join(parts) for version_id, parts in lines.items()}
