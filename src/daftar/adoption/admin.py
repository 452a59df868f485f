"""Admin screens of the programme's figures.

The rubric and costs (one row) are changed only through ``policy_update``, which validates
the values and records the change in the audit trail; the monthly figures are written only by
``levels_compute`` and can be looked at here, never changed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from daftar.adoption.models import AdoptionPolicy, MonthlyFigures
from daftar.adoption.services import POLICY_FIELDS, policy_problems, policy_update
from daftar.lib.admin import ModelAdminBase, ReadOnlyModelAdmin
from daftar.org.models import User


class PolicyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AdoptionPolicy
        fields = POLICY_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            for name, message in policy_problems(cleaned).items():
                self.add_error(name, message)
        return cleaned


@admin.register(AdoptionPolicy)
class AdoptionPolicyAdmin(ModelAdminBase):
    form = PolicyForm
    readonly_fields = ("updated_at", "updated_by")
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # there is one row; its change page shows the defaults until first saved

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("admin:adoption_adoptionpolicy_change", args=[1]))

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        return AdoptionPolicy.current() if object_id == "1" else None

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # The admin wraps a save in its own transaction; ``policy_update`` owns a durable one,
        # which cannot nest, so the page runs without the admin's block.
        view = self._changeform_view  # type: ignore[attr-defined]  # (Django's, not in stubs)
        response: HttpResponse = view(request, object_id, form_url, extra_context)
        return response

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: Any) -> None:
        if not isinstance(request.user, User):
            raise PermissionDenied
        fields = {name: form.cleaned_data[name] for name in POLICY_FIELDS}
        saved = policy_update(actor=request.user, **fields)
        obj.pk, obj.updated_at, obj.updated_by = saved.pk, saved.updated_at, saved.updated_by


@admin.register(MonthlyFigures)
class MonthlyFiguresAdmin(ReadOnlyModelAdmin[MonthlyFigures]):
    list_display = ("month", "unit", "level", "final", "computed_at")
    list_filter = ("month", "level", "final")
    search_fields = ("unit__code", "unit__name")
    list_select_related = ("unit",)
    ordering = ("-month", "unit__code")
