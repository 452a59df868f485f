"""Read-only admin screens for the audit log and its checkpoints. Events are only ever
inserted, by the service (or admin save) whose change they record; nobody edits or deletes
them here (and the database refuses it anyway, see protect.py).

The admin shows who did what, when, to what, but not the before/after values: those can hold
a paper's words, and admins do not read papers by being admins (docs/access.md). Auditors read
them on their own screens, within their clearance (docs/audit.md)."""

from __future__ import annotations

from django.contrib import admin

from daftar.audit.models import AuditCheckpoint, AuditEvent
from daftar.lib.admin import ReadOnlyModelAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin[AuditEvent]):
    list_display = ("seq", "at", "action", "actor", "post", "object_type", "object_id")
    list_filter = ("action", "object_type")
    list_select_related = ("actor", "post")
    search_fields = ("action", "object_id", "actor__email", "actor__full_name")
    date_hierarchy = "at"
    ordering = ("-seq",)
    fields = (
        "seq",
        "at",
        "action",
        "actor",
        "post",
        "object_type",
        "object_id",
        "prev_hash",
        "hash",
    )


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyModelAdmin[AuditCheckpoint]):
    list_display = ("at", "seq", "head_hash", "key_id")
    ordering = ("-seq", "-id")
    fields = ("seq", "head_hash", "at", "key_id", "signature")
