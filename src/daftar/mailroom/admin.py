"""Admin screens: mailboxes (audited saves), and fetched e-mails read-only with their
attachments (drafts change only through the mailroom services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from daftar.lib.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline
from daftar.mailroom.models import IncomingAttachment, IncomingMail, Mailbox
from daftar.org.admin import AuditedModelAdmin
from daftar.org.models import Post


@admin.register(Mailbox)
class MailboxAdmin(AuditedModelAdmin[Mailbox]):
    audit_name = "mailbox"
    list_display = ("name", "unit", "host", "username", "folder", "post", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "host", "username")
    fields = (
        "name",
        "unit",
        "host",
        "port",
        "tls",
        "username",
        "password_env",
        "folder",
        "post",
        "is_active",
        "last_fetch_at",
        "last_error",
    )
    readonly_fields = ("last_fetch_at", "last_error")
    autocomplete_fields = ("unit", "post")

    def audit_post(self, obj: Mailbox) -> Post | None:
        return obj.post

    def snapshot(self, obj: Mailbox) -> dict[str, Any]:
        return {
            "name": obj.name,
            "unit": obj.unit_id,
            "host": obj.host,
            "port": obj.port,
            "tls": obj.tls,
            "username": obj.username,
            "password_env": obj.password_env,
            "folder": obj.folder,
            "post": obj.post_id,
            "is_active": obj.is_active,
        }


class IncomingAttachmentInline(ReadOnlyTabularInline[IncomingAttachment]):
    model = IncomingAttachment
    fields = ("order", "filename", "content_type", "size", "document", "refusal")
    readonly_fields = fields
    show_change_link = False


@admin.register(IncomingMail)
class IncomingMailAdmin(ReadOnlyModelAdmin[IncomingMail]):
    list_display = ("created_at", "mailbox", "from_address", "subject", "status", "receipt")
    list_filter = ("status", "mailbox")
    search_fields = ("from_address", "from_name", "subject", "message_id")
    date_hierarchy = "created_at"
    list_select_related = ("mailbox", "receipt")
    inlines = (IncomingAttachmentInline,)
