"""Read-only admin screens for the audit log and its checkpoints. Events are only ever
inserted, by the service (or admin save) whose change they record; nobody edits or deletes
them here (and the database refuses it anyway, see protect.py)."""

from __future__ import annotations

import json

from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from daftar.audit.models import AuditCheckpoint, AuditEvent
from daftar.lib.admin import ReadOnlyModelAdmin


def _pretty(value: object) -> SafeString:
    if value is None:
        return format_html("{}", "—")
    text = json.dumps(value, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False, sort_keys=True)
    return format_html("<pre>{}</pre>", text)


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
        "before_",
        "after_",
        "prev_hash",
        "hash",
    )
    readonly_fields = ("before_", "after_")

    @admin.display(description=_("before"))
    def before_(self, obj: AuditEvent) -> SafeString:
        return _pretty(obj.before)

    @admin.display(description=_("after"))
    def after_(self, obj: AuditEvent) -> SafeString:
        return _pretty(obj.after)


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyModelAdmin[AuditCheckpoint]):
    list_display = ("at", "seq", "head_hash", "key_id")
    ordering = ("-seq", "-id")
    fields = ("seq", "head_hash", "at", "key_id", "signature")
