"""Local password login, with a person's permissions read in one query.

Django's ModelBackend reads a person's own permissions and their groups' (roles',
docs/roles.md) in two queries; the menu asks on every page, so this backend reads both at once.
Everything else — the password check, inactive people refused — is ModelBackend's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class PersonBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            found = Permission.objects.all()
            if not user_obj.is_superuser:
                found = found.filter(Q(user=user_obj) | Q(group__user=user_obj))
            pairs = found.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in pairs}
        return set(user_obj._perm_cache)
