"""The search index: one row per thing a person can find, kept in the same database and
rewritten in the same transaction as what it indexes (docs/search.md).

Only text and what never changes about its source live here; what does change (a file's
holder, status, grade, unit) is read from the file or receipt at query time, so the index
cannot drift from it. The full-text machinery is the database's own and is added by the
migration ``0002_engines``: a generated ``tsv`` column with a GIN index on PostgreSQL, an
FTS5 table kept by triggers on SQLite.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    FILE = "file", _("File")
    NOTE = "note", _("Note")
    RECEIPT = "receipt", _("Receipt")
    PAGE = "page", _("Page of a document")
    DRAFT = "draft", _("Draft or issued letter")


class Entry(models.Model):
    """One findable thing. ``key`` names it uniquely ("note:12", "page:r4:d9:3") so that
    indexing is an upsert and can run twice, or concurrently, without duplicates.

    Access: an entry is visible when its ``file`` is visible to the searcher, or its
    ``receipt`` is (``files_visible``, ``receipts_visible``), and the searcher is cleared for
    its own ``grade`` (a draft's grade; 0 for everything else)."""

    id = models.BigAutoField(primary_key=True)
    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    file = models.ForeignKey(
        "files.File",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the (file, kind) index serves
    )
    receipt = models.ForeignKey(
        "receipts.Receipt",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the (receipt, kind) index serves
    )
    note = models.ForeignKey(
        "files.Note", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    draft = models.ForeignKey(
        "drafting.Draft", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A finer type for the "document type" filter: the draft's kind, "issued" for a letter
    # that went out, the receipt's mode.
    subtype = models.CharField(max_length=20, blank=True)
    grade = models.PositiveSmallIntegerField(default=0)
    dated = models.DateField(_("date"))
    # Normalised text (search.text.normalise): ``title`` ranks above ``body``; ``refs`` holds
    # the numbers in it (file, diary, letter, dispatch numbers), each folded to one token.
    title = models.CharField(max_length=700, blank=True)
    refs = models.TextField(blank=True)
    body = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["file", "kind"], name="search_entry_file"),
            models.Index(fields=["receipt", "kind"], name="search_entry_receipt"),
        ]

    def __str__(self) -> str:
        return self.key


class Word(models.Model):
    """Every word the index has seen (normalised, 3 to 40 letters), for close spellings:
    a misspelt name or an OCR slip is looked up here by trigram similarity and the search is
    widened to the words found. It only grows; a word whose entries went away finds nothing."""

    id = models.BigAutoField(primary_key=True)
    word = models.CharField(max_length=40, unique=True)

    class Meta:
        verbose_name = _("indexed word")

    def __str__(self) -> str:
        return self.word
