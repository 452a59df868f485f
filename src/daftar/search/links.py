"""Where each hit leads and what its line says: a note to its paragraph on the note sheet,
a page to the file's page viewer (or to the page on the receipt's own screen), a receipt,
draft or file to its own page. What the links need is read with the hits shown, in the same
query (``shown_entries``), so a page of results costs the same whatever it holds."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext as _

from daftar.documents.models import Document
from daftar.files.models import CorrespondenceItem
from daftar.receipts.models import ReceiptDocument
from daftar.search.models import Entry
from daftar.search.snippets import marked_words, paragraph_of

# Pages of the receipt's documents before this one (documents in their order; a document
# not yet counted takes one page, as on the file: files.correspondence.file_page).
_PAGES_BEFORE = """
(SELECT COALESCE(SUM(COALESCE(d.page_count, 1)), 0)
   FROM {attached} rd JOIN {document} d ON d.id = rd.document_id
   JOIN {attached} me ON me.receipt_id = rd.receipt_id AND me.document_id = {entry}.document_id
  WHERE rd.receipt_id = {entry}.receipt_id AND rd."order" < me."order")
"""
_GROUP_FIELDS = (
    "file__number", "file__subject", "file__classification", "file__status",
    "file__holder__designation", "receipt__diary_number", "receipt__subject",
    "receipt__classification", "receipt__status", "receipt__holder__designation",
)  # fmt: skip


def shown_entries(ids: list[int]) -> QuerySet[Entry, dict[str, Any]]:
    """The entries of the hits shown with all their lines and links need, in one query."""
    item = CorrespondenceItem.objects.filter(file_id=OuterRef("file_id")).filter(
        Q(receipt_id=OuterRef("receipt_id"))
        | Q(receipt_id__isnull=True, document_id=OuterRef("document_id"))
    )
    before = _PAGES_BEFORE.format(
        attached=ReceiptDocument._meta.db_table,
        document=Document._meta.db_table,
        entry=Entry._meta.db_table,
    )
    rows: QuerySet[Entry, dict[str, Any]] = Entry.objects.filter(id__in=ids).values(
        "id", "kind", "title", "dated", "page", "note_id", "document_id", "draft_id",
        "file_id", "receipt_id", "note__body", "note__first_para", "note__post__designation",
        *_GROUP_FIELDS,
        excerpt=Substr("body", 1, 240),
        item_first_page=Subquery(item.values("first_page")[:1]),
        item_flag=Subquery(item.values("flag")[:1]),
        pages_before=RawSQL(before, ()),  # noqa: S611 - our SQL, no values in it
    )  # fmt: skip
    return rows


def link(
    row: dict[str, Any], raw_snippet: str, refs: tuple[str, ...] = ()
) -> tuple[str, str, int | None]:
    """(label, url, paragraph) of one hit."""
    kind = row["kind"]
    if kind == "note":
        para = paragraph_of(
            row["note__body"] or "", row["note__first_para"] or 1, marked_words(raw_snippet), refs
        )
        url = reverse("file-detail", args=[row["file_id"]]) + f"#para-{para}"
        label = _("Note, para %(n)s, %(post)s") % {
            "n": para,
            "post": row["note__post__designation"],
        }
        return label, url, para
    if kind == "page":
        return (*_page_link(row), None)
    if kind == "receipt":
        url = reverse("receipt-detail", args=[row["receipt_id"]])
        return _("Receipt %(number)s") % {"number": row["receipt__diary_number"]}, url, None
    if kind == "draft":
        url = reverse("draft-detail", args=[row["draft_id"]])
        return _("Draft: %(subject)s") % {"subject": row["title"]}, url, None
    return _("File"), reverse("file-detail", args=[row["file_id"]]), None


def _page_link(row: dict[str, Any]) -> tuple[str, str]:
    page = row["page"] or 1
    if row["file_seen"] and row["item_first_page"] is not None:
        number = row["item_first_page"] + (row["pages_before"] or 0) + page - 1
        url = reverse("file-page", args=[row["file_id"], number])
        label = _("Page %(n)s on the file (flag %(flag)s)") % {
            "n": number,
            "flag": row["item_flag"],
        }
        return label, url
    if row["receipt_id"]:
        url = reverse("receipt-detail", args=[row["receipt_id"]])
        label = _("Receipt %(number)s, page %(n)s") % {
            "number": row["receipt__diary_number"],
            "n": page,
        }
        return label, f"{url}#doc-{row['document_id']}-page-{page}"
    return _("Page %(n)s") % {"n": page}, reverse("file-detail", args=[row["file_id"]])
