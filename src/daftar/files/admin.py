"""Read-only admin screen for the register of files.

Files change only through the services (``file_open``, ``note_add``, the movement services…),
which check custody and write the audit trail. Organisation admins keep the register (numbers,
units, holders, movements) but do not read files by virtue of being admins (docs/access.md):
no note text or movement remarks appear here, and the subject of a classified file is
withheld. Notes have no admin screen of their own.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from daftar.files.models import Classification, CorrespondenceItem, File, Note
from daftar.lib.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline
from daftar.movement.models import Movement

WITHHELD = _("(withheld: read it on the file's screen, where access rules apply)")


def subject_shown(classification: int, subject: str) -> str:
    """The subject, unless the paper is classified."""
    return subject if classification == Classification.UNCLASSIFIED else str(WITHHELD)


class NoteInline(ReadOnlyTabularInline[Note]):
    """Who wrote which paragraphs and when; never what they wrote."""

    model = Note
    fields = ("first_para", "para_count", "kind", "author", "post", "is_final", "created_at")
    ordering = ("id",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Note]:
        return super().get_queryset(request).select_related("author", "post")


class MovementInline(ReadOnlyTabularInline[Movement]):
    model = Movement
    fk_name = "file"
    fields = (
        "sent_at",
        "action",
        "from_post",
        "to_post",
        "sent_by",
        "due_on",
        "read_at",
        "pulled_back_at",
    )
    ordering = ("sent_at", "id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Movement]:
        return super().get_queryset(request).select_related("from_post", "to_post", "sent_by")


class CorrespondenceInline(ReadOnlyTabularInline[CorrespondenceItem]):
    model = CorrespondenceItem
    fields = (
        "flag",
        "kind",
        "receipt",
        "document",
        "title",
        "first_page",
        "page_count",
        "is_copy",
        "added_at",
    )
    ordering = ("first_page",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CorrespondenceItem]:
        return super().get_queryset(request).select_related("receipt", "document")


@admin.register(File)
class FileAdmin(ReadOnlyModelAdmin[File]):
    list_display = (
        "number",
        "subject_or_withheld",
        "unit",
        "holder",
        "status",
        "priority",
        "classification",
        "is_physical",
        "created_at",
    )
    list_filter = ("status", "priority", "classification", "is_physical", "unit")
    list_select_related = ("unit", "holder")
    search_fields = ("number",)  # a search by subject would reveal classified subjects
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = (
        "number",
        "subject_or_withheld",
        "unit",
        "head",
        "year",
        "serial",
        "classification",
        "priority",
        "is_physical",
        "status",
        "holder",
        "created_by",
        "created_at",
        "closed_at",
    )
    readonly_fields = ("subject_or_withheld",)
    inlines = (MovementInline, CorrespondenceInline, NoteInline)

    @admin.display(description=_("subject"))
    def subject_or_withheld(self, obj: File) -> str:
        return subject_shown(obj.classification, obj.subject)
