"""Where each hit leads and what its line says: a note to its paragraph on the note sheet,
a page to the file's page viewer (or the receipt's page), a receipt, draft or file to its
own page. Everything the hits shown need is read in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from daftar.files.models import CorrespondenceItem, Note
from daftar.receipts.models import Receipt, ReceiptDocument
from daftar.search.snippets import marked_words, paragraph_of


@dataclass
class Places:
    """What the links of the hits on one page need, read once for all of them."""

    notes: dict[int, Note] = field(default_factory=dict)
    receipts: dict[int, Receipt] = field(default_factory=dict)
    # (file, receipt or None, document or None) → (first page on the file, flag)
    items: dict[tuple[int, int | None, int | None], tuple[int, str]] = field(default_factory=dict)
    # (receipt, document) → pages of the receipt's documents before this one
    offsets: dict[tuple[int, int], int] = field(default_factory=dict)


def places_for(rows: Iterable[dict[str, Any]], receipts: dict[int, Receipt]) -> Places:
    rows = list(rows)
    places = Places(receipts=receipts)
    note_ids = [r["note_id"] for r in rows if r["note_id"]]
    if note_ids:
        places.notes = {
            n.pk: n
            for n in Note.objects.filter(id__in=note_ids)
            .select_related("post")
            .only("id", "body", "first_para", "post__designation")
        }
    pages = [r for r in rows if r["kind"] == "page" and r["file_id"] and r["file_seen"]]
    if pages:
        on_file = Q()
        for r in pages:
            if r["receipt_id"]:
                on_file |= Q(file_id=r["file_id"], receipt_id=r["receipt_id"])
            else:
                on_file |= Q(file_id=r["file_id"], document_id=r["document_id"])
        for item in CorrespondenceItem.objects.filter(on_file).values(
            "file_id", "receipt_id", "document_id", "first_page", "flag"
        ):
            key = (item["file_id"], item["receipt_id"], item["document_id"])
            places.items[key] = (item["first_page"], item["flag"])
    receipt_ids = {r["receipt_id"] for r in pages if r["receipt_id"]}
    if receipt_ids:
        before: dict[int, int] = {}
        for attached in (
            ReceiptDocument.objects.filter(receipt_id__in=receipt_ids)
            .order_by("receipt_id", "order")
            .values("receipt_id", "document_id", "document__page_count")
        ):
            rid = attached["receipt_id"]
            places.offsets[(rid, attached["document_id"])] = before.get(rid, 0)
            before[rid] = before.get(rid, 0) + (attached["document__page_count"] or 1)
    return places


def _receipt_name(places: Places, receipt_id: int | None) -> str:
    receipt = places.receipts.get(receipt_id or 0)
    return receipt.diary_number if receipt is not None else ""


def link(row: dict[str, Any], raw_snippet: str, places: Places) -> tuple[str, str, int | None]:
    """(label, url, paragraph) of one hit."""
    kind = row["kind"]
    if kind == "note":
        note = places.notes.get(row["note_id"])
        para = paragraph_of(note.body, note.first_para, marked_words(raw_snippet)) if note else 1
        who = note.post.designation if note else ""
        url = reverse("file-detail", args=[row["file_id"]]) + f"#para-{para}"
        return _("Note, para %(n)s, %(post)s") % {"n": para, "post": who}, url, para
    if kind == "page":
        return (*_page_link(row, places), None)
    if kind == "receipt":
        url = reverse("receipt-detail", args=[row["receipt_id"]])
        return (
            _("Receipt %(number)s") % {"number": _receipt_name(places, row["receipt_id"])},
            url,
            None,
        )
    if kind == "draft":
        url = reverse("draft-detail", args=[row["draft_id"]])
        return _("Draft: %(subject)s") % {"subject": row["title"]}, url, None
    return _("File"), reverse("file-detail", args=[row["file_id"]]), None


def _page_link(row: dict[str, Any], places: Places) -> tuple[str, str]:
    page = row["page"] or 1
    rid, did = row["receipt_id"], row["document_id"]
    if row["file_id"] and row["file_seen"]:
        key = (row["file_id"], rid, None) if rid else (row["file_id"], None, did)
        found = places.items.get(key)
        if found is not None:
            first, flag = found
            number = (
                first + places.offsets.get((rid, did), 0) + page - 1 if rid else first + page - 1
            )
            url = reverse("file-page", args=[row["file_id"], number])
            return _("Page %(n)s on the file (flag %(flag)s)") % {"n": number, "flag": flag}, url
    if rid:
        url = reverse("receipt-detail", args=[rid]) + f"#doc-{did}-page-{page}"
        label = _("Receipt %(number)s, page %(n)s") % {
            "number": _receipt_name(places, rid),
            "n": page,
        }
        return label, url
    return _("Page %(n)s") % {"n": page}, reverse("file-detail", args=[row["file_id"]])
