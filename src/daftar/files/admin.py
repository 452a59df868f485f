"""Read-only admin screens for files and notes.

Files and notes change only through the services (``file_open``, ``note_add``, the movement
services…), which check custody and write the audit trail; here they can only be looked at.
The text of notes on classified files is not shown: it is read on the file's own screen,
where access rules apply and views of classified files are recorded.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from daftar.files.models import Classification, CorrespondenceItem, File, Note
from daftar.lib.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline
from daftar.movement.models import Movement

WITHHELD = _("(withheld: the file is classified; read it on the file's screen)")


def note_text(note: Note) -> str:
    if note.file.classification > Classification.UNCLASSIFIED:
        return str(WITHHELD)
    return note.body or str(_("I agree."))


class NoteInline(ReadOnlyTabularInline[Note]):
    model = Note
    fields = ("first_para", "kind", "author", "post", "text", "is_final", "created_at")
    readonly_fields = ("text",)
    ordering = ("id",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Note]:
        return super().get_queryset(request).select_related("file", "author", "post")

    @admin.display(description=_("text"))
    def text(self, obj: Note) -> str:
        return note_text(obj)


class MovementInline(ReadOnlyTabularInline[Movement]):
    model = Movement
    fk_name = "file"
    fields = (
        "sent_at",
        "action",
        "from_post",
        "to_post",
        "sent_by",
        "remarks",
        "due_on",
        "read_at",
        "pulled_back_at",
    )
    ordering = ("sent_at", "id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Movement]:
        return super().get_queryset(request).select_related("from_post", "to_post", "sent_by")


class CorrespondenceInline(ReadOnlyTabularInline[CorrespondenceItem]):
    model = CorrespondenceItem
    fields = ("flag", "kind", "receipt", "first_page", "page_count", "is_copy", "added_at")
    ordering = ("first_page",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CorrespondenceItem]:
        return super().get_queryset(request).select_related("receipt")


@admin.register(File)
class FileAdmin(ReadOnlyModelAdmin[File]):
    list_display = (
        "number",
        "subject",
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
    search_fields = ("number", "subject")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = (
        "number",
        "subject",
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
    inlines = (MovementInline, CorrespondenceInline, NoteInline)


@admin.register(Note)
class NoteAdmin(ReadOnlyModelAdmin[Note]):
    list_display = ("file", "first_para", "kind", "author", "post", "is_final", "created_at")
    list_filter = ("kind", "is_final")
    list_select_related = ("file", "author", "post")
    search_fields = ("file__number", "author__full_name", "author__email")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = (
        "file",
        "first_para",
        "para_count",
        "kind",
        "author",
        "post",
        "text",
        "is_final",
        "created_at",
        "updated_at",
        "finalised_at",
    )
    readonly_fields = ("text",)

    @admin.display(description=_("text"))
    def text(self, obj: Note) -> str:
        return note_text(obj)
