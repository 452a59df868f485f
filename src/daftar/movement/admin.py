"""Read-only admin screen for the movement log: every hop of every file, never rewritten.
Movements are made only by the movement services."""

from __future__ import annotations

from django.contrib import admin

from daftar.lib.admin import ReadOnlyModelAdmin
from daftar.movement.models import Movement


@admin.register(Movement)
class MovementAdmin(ReadOnlyModelAdmin[Movement]):
    list_display = (
        "sent_at",
        "file",
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
    search_fields = ("file__number", "file__subject", "to_post__code", "from_post__code")
    date_hierarchy = "sent_at"
    ordering = ("-sent_at", "-id")
    fields = (
        "file",
        "action",
        "from_post",
        "to_post",
        "sent_by",
        "sent_at",
        "remarks",
        "priority",
        "due_on",
        "read_at",
        "read_by",
        "pulled_back_at",
        "previous",
    )
