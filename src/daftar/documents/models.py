"""Stored documents: the original bytes, kept content-addressed, and what is derived from them.

A ``Document`` is one upload (its name, who uploaded it, what it turned out to be); its bytes
live in the blob store under their SHA-256, so the same scan uploaded twice is stored once.
The original is never changed; page text (OCR or the PDF's own text layer) is derived.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OcrStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")  # has a text layer, or is not a scan
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Flag(models.TextChoices):
    """Warnings stored in ``Document.flags``: the document is kept, but handle it with care."""

    JAVASCRIPT = "javascript", _("The PDF contains JavaScript.")
    OPEN_ACTION_JAVASCRIPT = (
        "open_action_javascript",
        _("The PDF runs JavaScript when it is opened."),
    )
    LAUNCH_ACTION = "launch_action", _("The PDF can launch other programs.")
    EMBEDDED_FILES = "embedded_files", _("The PDF carries embedded files.")
    MACROS = "macros", _("The Office file contains macros.")
    NAME_MISMATCH = "name_mismatch", _("The file name's extension does not match its content.")


class Document(models.Model):
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(
        _("type"), max_length=100, help_text=_("Detected from the content, not from the name.")
    )
    original_name = models.CharField(_("file name"), max_length=255)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    flags = models.JSONField(
        _("flags"), default=list, blank=True, help_text=_("Warnings found when it was checked.")
    )
    ocr_status = models.CharField(
        _("OCR"), max_length=12, choices=OcrStatus.choices, default=OcrStatus.NOT_NEEDED
    )
    ocr_attempts = models.PositiveSmallIntegerField(default=0)
    ocr_error = models.TextField(blank=True)
    ocr_task_id = models.UUIDField(
        null=True, blank=True, help_text=_("The background job that runs (or ran) the OCR.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("document")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["ocr_status"],
                name="document_ocr_pending",
                condition=models.Q(ocr_status__in=["queued", "running"]),
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class DocumentPage(models.Model):
    """The text of one page, from the PDF's text layer or from OCR."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("page"))
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("document page")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["document", "number"], name="document_page_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} p. {self.number}"
