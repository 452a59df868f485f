"""Read-only admin screen for the movement log: every hop of every file, never rewritten.
Movements are made only by the movement services. Remarks are content and stay off this
screen (docs/access.md); the file is named by its number."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from daftar.lib.admin import ReadOnlyModelAdmin
from daftar.movement.models import Movement


@admin.register(Movement)
class MovementAdmin(ReadOnlyModelAdmin[Movement]):
    list_display = (
        "sent_at",
        "file_number",
        "action",
        "from_post",
        "to_post",
        "sent_by",
        "due_on",
        "read_at",
        "pulled_back_at",
    )
    list_filter = ("action", "priority")
    list_select_related = ("file", "from_post", "to_post", "sent_by")
    search_fields = ("file__number", "to_post__code", "from_post__code")
    date_hierarchy = "sent_at"
    ordering = ("-sent_at", "-id")
    fields = (
        "file_number",
        "action",
        "from_post",
        "to_post",
        "sent_by",
        "sent_at",
        "priority",
        "due_on",
        "read_at",
        "read_by",
        "pulled_back_at",
        "previous",
    )
    readonly_fields = ("file_number",)

    @admin.display(description=_("file"), ordering="file__number")
    def file_number(self, obj: Movement) -> str:
        return obj.file.number
