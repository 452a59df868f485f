"""Admin screens for receipts.

Senders (the shared directory) are kept here by the organisation admin, each save audited
like the org chart's. Each unit's diary number format is set on the "Diaries" screen.
Receipts and their movements change only through the services; here the register is looked
at, without remarks, enclosures or the subject of a classified receipt (docs/access.md).
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from daftar.audit.services import event_record
from daftar.files.admin import subject_shown
from daftar.lib import clock
from daftar.lib.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline
from daftar.lib.changes import changed
from daftar.org.admin import SOURCE, AuditedModelAdmin
from daftar.org.models import OrgUnit, User
from daftar.receipts.models import Diary, Receipt, ReceiptDocument, ReceiptMovement, Sender

if TYPE_CHECKING:  # generic only for the type checker (see daftar.lib.admin)
    DiaryFormBase = forms.ModelForm[Diary]
else:
    DiaryFormBase = forms.ModelForm

DIARY_PLACEHOLDERS = {"serial", "year", "unit"}


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def diary_template_error(template: str) -> str | None:
    """Why ``template`` cannot number a diary, or None when it can."""
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}
    except ValueError as exc:
        return str(_("The template is not valid: %(error)s") % {"error": exc})
    unknown = names - DIARY_PLACEHOLDERS
    if unknown:
        return str(
            _("Unknown placeholder(s) %(names)s; use {serial} {year} {unit}.")
            % {"names": ", ".join("{" + n + "}" for n in sorted(unknown))}
        )
    if not {"serial", "year"} <= names:
        return str(
            _(
                "The template must contain {serial} and {year}: the serial starts again each "
                "year, and diary numbers must never repeat."
            )
        )
    try:
        template.format(serial=1, year=2026, unit="R&I")
    except (ValueError, IndexError, KeyError) as exc:
        return str(_("The template is not valid: %(error)s") % {"error": exc})
    return None


class DiaryForm(DiaryFormBase):
    class Meta:
        model = Diary
        fields = ("diary_number_template",)

    def clean_diary_number_template(self) -> str:
        value: str = self.cleaned_data["diary_number_template"].strip()
        error = diary_template_error(value)
        if error:
            raise ValidationError(error)
        return value


@admin.register(Diary)
class DiaryAdmin(ReadOnlyModelAdmin[Diary]):
    """Every unit may keep a diary (the Central Registry's, or a section's own); only the
    number format is edited here, and each change is audited as a change of the unit."""

    form = DiaryForm
    list_display = ("code", "name", "kind", "diary_number_template")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    ordering = ("code",)
    fields = ("code", "name", "kind", "diary_number_template")
    readonly_fields = ("code", "name", "kind")

    def has_change_permission(self, request: HttpRequest, obj: Diary | None = None) -> bool:
        return request.user.has_perm("org.change_orgunit")

    def save_model(self, request: HttpRequest, obj: Diary, form: Any, change: Any) -> None:
        before = OrgUnit.objects.filter(pk=obj.pk).values_list("diary_number_template", flat=True)
        old = before.first()
        super().save_model(request, obj, form, change)
        if old != obj.diary_number_template:
            event_record(
                actor=_actor(request),
                action="unit.change",
                obj=OrgUnit.objects.get(pk=obj.pk),
                before={"diary_number_template": old},
                after={"diary_number_template": obj.diary_number_template, **SOURCE},
            )


@admin.register(Sender)
class SenderAdmin(AuditedModelAdmin[Sender]):
    audit_name = "sender"
    list_display = ("organisation", "name", "designation", "email", "created_at")
    search_fields = ("organisation", "name", "designation", "email")
    ordering = ("organisation", "name")
    fields = ("organisation", "name", "designation", "address", "email")

    def save_model(self, request: HttpRequest, obj: Sender, form: Any, change: Any) -> None:
        if not change:
            obj.created_by = _actor(request)
            obj.created_at = clock.now()
        super().save_model(request, obj, form, change)
        if change:  # the sender's name is in the entry of each of its receipts
            changed("receipt", obj.receipts.values_list("pk", flat=True))

    def snapshot(self, obj: Sender) -> dict[str, Any]:
        return {
            "organisation": obj.organisation,
            "name": obj.name,
            "designation": obj.designation,
            "address": obj.address,
            "email": obj.email,
        }


class ReceiptMovementInline(ReadOnlyTabularInline[ReceiptMovement]):
    model = ReceiptMovement
    fk_name = "receipt"
    fields = (
        "sent_at",
        "action",
        "from_post",
        "to_post",
        "sent_by",
        "due_on",
        "read_at",
        "pulled_back_at",
    )
    ordering = ("sent_at", "id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReceiptMovement]:
        return super().get_queryset(request).select_related("from_post", "to_post", "sent_by")


class ReceiptDocumentInline(ReadOnlyTabularInline[ReceiptDocument]):
    model = ReceiptDocument
    fields = ("order", "document")
    ordering = ("order",)
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReceiptDocument]:
        return super().get_queryset(request).select_related("document")


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyModelAdmin[Receipt]):
    list_display = (
        "diary_number",
        "subject_or_withheld",
        "sender",
        "received_on",
        "mode",
        "holder",
        "status",
        "priority",
        "classification",
        "is_physical",
    )
    list_filter = ("status", "mode", "priority", "classification", "is_physical", "registry")
    list_select_related = ("sender", "holder")
    search_fields = ("diary_number", "reference", "letter_number")
    date_hierarchy = "received_on"
    ordering = ("-created_at",)
    fields = (
        "diary_number",
        "reference",
        "registry",
        "year",
        "serial",
        "received_on",
        "mode",
        "sender",
        "letter_number",
        "letter_date",
        "subject_or_withheld",
        "language",
        "priority",
        "classification",
        "is_physical",
        "status",
        "holder",
        "created_by",
        "created_at",
        "closed_at",
    )
    readonly_fields = ("subject_or_withheld",)
    inlines = (ReceiptDocumentInline, ReceiptMovementInline)

    @admin.display(description=_("subject"))
    def subject_or_withheld(self, obj: Receipt) -> str:
        return subject_shown(obj.classification, obj.subject)
