"""Bases for admin screens over records that change only through services (files, notes,
movements, audit events): they can be listed and looked at, never added, changed or deleted
from the admin. Staff still need the model's "view" permission (superusers have it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

M = TypeVar("M", bound=Model)

# django-stubs makes the admin classes generic; at run time they are not subscriptable (we do
# not monkeypatch Django), so the generic parameter lives on our own bases.
if TYPE_CHECKING:
    ModelAdminBase = admin.ModelAdmin[Any]
    TabularInlineBase = admin.TabularInline[Any, Any]
else:
    ModelAdminBase = admin.ModelAdmin
    TabularInlineBase = admin.TabularInline


class ReadOnlyModelAdmin(ModelAdminBase, Generic[M]):
    """List and view only. Bulk actions are off, so there is no "delete selected" either."""

    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False


class ReadOnlyTabularInline(TabularInlineBase, Generic[M]):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
