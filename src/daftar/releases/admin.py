"""Releases in the admin: to look at, never to edit (they are recorded by release_grant)."""

from __future__ import annotations

from django.contrib import admin

from daftar.lib.admin import ReadOnlyModelAdmin
from daftar.releases.models import Release


@admin.register(Release)
class ReleaseAdmin(ReadOnlyModelAdmin[Release]):
    list_display = ("object_type", "object_id", "purpose", "classification", "granted_by")
    list_filter = ("purpose", "classification")
    list_select_related = ("granted_by",)
    search_fields = ("object_id", "reason", "granted_by__full_name")
    date_hierarchy = "granted_at"
