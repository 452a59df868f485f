"""Admin screens for the organisation chart: units, posts, people and their charges.

The organisation admin (a ministry's IT cell) keeps the chart here. Every save, delete and
password change made through these screens writes an audit event inside the admin's own
transaction, with the admin as actor and only the fields that changed (never a password hash).
Counters (``Sequence``) can be looked at but not edited: numbering must stay gap-free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Model, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from daftar.audit.services import event_record
from daftar.lib import clock
from daftar.lib.admin import ModelAdminBase, ReadOnlyModelAdmin, TabularInlineBase
from daftar.org.admin_forms import OrgUnitForm, PersonChangeForm, PersonCreationForm, PostForm
from daftar.org.admin_scope import SCOPES, scoped
from daftar.org.models import Charge, OrgUnit, Post, Sequence, User
from daftar.org.snapshots import (
    changes,
    charge_snapshot,
    person_snapshot,
    post_snapshot,
    unit_snapshot,
)

M = TypeVar("M", bound=Model)

if TYPE_CHECKING:  # generic only for the type checker (see daftar.lib.admin)
    UserAdminBase = BaseUserAdmin[User]
else:
    UserAdminBase = BaseUserAdmin

SOURCE = {"source": "admin"}


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _today_charges() -> QuerySet[Charge]:
    return Charge.objects.current(clock.now().date()).select_related("person", "post")


def _record_charge_event(actor: User, action: str, charge: Charge, **kw: Any) -> None:
    event_record(actor=actor, action=action, obj=charge, post=charge.post, **kw)


class OrganisationScoped:
    """Lists, pages and choices limited to the admin's own organisation (admin_scope)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        return scoped(queryset.model, queryset, request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        model = db_field.remote_field.model
        if model in SCOPES:
            kwargs["queryset"] = scoped(model, model._default_manager.all(), request.user)
            if db_field.name == "parent" and not request.user.is_superuser:
                kwargs["required"] = True  # no new top-level units outside one's organisation
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class AuditedModelAdmin(ModelAdminBase, Generic[M]):
    """Writes ``<audit_name>.<create_verb>|change|delete`` for each admin save or delete, and
    ``charge.assign|change|delete`` for charges edited in an inline."""

    audit_name = ""
    create_verb = "create"

    def snapshot(self, obj: M) -> dict[str, Any]:
        """The audited fields of ``obj``; each org admin names its own."""
        raise NotImplementedError

    def audit_post(self, obj: M) -> Post | None:
        """The post the event concerns (charges name theirs, like the charge services)."""
        return None

    def _record(self, request: HttpRequest, obj: M, verb: str, **kw: Any) -> None:
        event_record(
            actor=_actor(request),
            action=f"{self.audit_name}.{verb}",
            obj=obj,
            post=self.audit_post(obj),
            **kw,
        )

    def save_model(self, request: HttpRequest, obj: M, form: Any, change: Any) -> None:
        before: dict[str, Any] | None = None
        if change and obj.pk is not None:
            original = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = self.snapshot(original) if original is not None else None
        super().save_model(request, obj, form, change)
        after = self.snapshot(obj)
        if before is None:
            self._record(request, obj, self.create_verb, after={**after, **SOURCE})
            return
        old, new = changes(before, after)
        if new:
            self._record(request, obj, "change", before=old, after={**new, **SOURCE})

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        self._record(request, obj, "delete", before=self.snapshot(obj), after=SOURCE)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self._record(request, obj, "delete", before=self.snapshot(obj), after=SOURCE)
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: Any) -> None:
        if formset.model is not Charge:
            super().save_formset(request, form, formset, change)
            return
        actor = _actor(request)
        formset.save(commit=False)
        changed_ids = [obj.pk for obj, _fields in formset.changed_objects]
        originals = Charge.objects.select_related("person", "post").in_bulk(changed_ids)
        for charge in formset.deleted_objects:
            _record_charge_event(
                actor, "charge.delete", charge, before=charge_snapshot(charge), after=SOURCE
            )
            charge.delete()
        for charge in formset.new_objects:
            charge.save()
            _record_charge_event(
                actor, "charge.assign", charge, after={**charge_snapshot(charge), **SOURCE}
            )
        for charge, _fields in formset.changed_objects:
            charge.save()
            old, new = changes(charge_snapshot(originals[charge.pk]), charge_snapshot(charge))
            if new:
                _record_charge_event(
                    actor, "charge.change", charge, before=old, after={**new, **SOURCE}
                )
        formset.save_m2m()


# --- Charges ----------------------------------------------------------------------------


class ChargeInline(OrganisationScoped, TabularInlineBase):
    """On a post: who holds it. On a person: what they hold. Ending a charge (a transfer,
    the end of leave) is done by giving it an end date; the files stay with the post."""

    model = Charge
    extra = 0
    autocomplete_fields = ("person", "post")
    fields = ("person", "post", "kind", "start", "end")
    ordering = ("-start",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Charge]:
        return super().get_queryset(request).select_related("person", "post")


@admin.register(Charge)
class ChargeAdmin(OrganisationScoped, AuditedModelAdmin[Charge]):
    audit_name = "charge"
    create_verb = "assign"  # the same action names as the charge services
    list_display = ("person", "post", "kind", "start", "end")
    list_filter = ("kind",)
    list_select_related = ("person", "post")
    search_fields = ("person__full_name", "person__email", "post__code", "post__designation")
    autocomplete_fields = ("person", "post")
    date_hierarchy = "start"
    ordering = ("-start",)

    def snapshot(self, obj: Charge) -> dict[str, Any]:
        return charge_snapshot(obj)

    def audit_post(self, obj: Charge) -> Post | None:
        return obj.post


# --- Units ------------------------------------------------------------------------------


@admin.register(OrgUnit)
class OrgUnitAdmin(OrganisationScoped, AuditedModelAdmin[OrgUnit]):
    audit_name = "unit"
    form = OrgUnitForm
    list_display = ("code", "name", "kind", "parent", "sub_units", "post_count")
    list_display_links = ("code", "name")
    list_filter = ("kind", ("parent", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("parent",)
    search_fields = ("code", "name", "parent__code", "parent__name")
    autocomplete_fields = ("parent",)
    ordering = ("code",)
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "parent")}),
        (
            _("Organisation settings"),
            {"fields": ("time_zone", "file_number_template", "default_file_head")},
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrgUnit]:
        units: QuerySet[OrgUnit] = super().get_queryset(request)
        return units.annotate(
            child_count=Count("children", distinct=True),
            posts_count=Count("posts", distinct=True),
        )

    @admin.display(description=_("sub-units"), ordering="child_count")
    def sub_units(self, obj: OrgUnit) -> int:
        return int(getattr(obj, "child_count", 0))

    @admin.display(description=_("posts"), ordering="posts_count")
    def post_count(self, obj: OrgUnit) -> int:
        return int(getattr(obj, "posts_count", 0))

    def snapshot(self, obj: OrgUnit) -> dict[str, Any]:
        return unit_snapshot(obj)


# --- Posts ------------------------------------------------------------------------------


@admin.register(Post)
class PostAdmin(OrganisationScoped, AuditedModelAdmin[Post]):
    audit_name = "post"
    form = PostForm
    list_display = ("designation", "code", "unit", "grade", "reports_to", "held_by", "is_active")
    list_filter = ("is_active", "grade", "unit__kind")
    list_select_related = ("unit", "reports_to")
    search_fields = ("code", "designation", "unit__code", "unit__name")
    autocomplete_fields = ("unit", "reports_to")
    ordering = ("unit__code", "-grade", "designation")
    inlines = (ChargeInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("charges", queryset=_today_charges(), to_attr="current_charges")
            )
        )

    @admin.display(description=_("held by (today)"))
    def held_by(self, obj: Post) -> str:
        charges: list[Charge] = getattr(obj, "current_charges", [])
        return "; ".join(
            c.person.full_name if c.kind == "regular" else f"{c.person.full_name} ({c.kind})"
            for c in charges
        )

    def snapshot(self, obj: Post) -> dict[str, Any]:
        return post_snapshot(obj)


# --- People -----------------------------------------------------------------------------


@admin.register(User)
class PersonAdmin(OrganisationScoped, AuditedModelAdmin[User], UserAdminBase):
    audit_name = "person"
    form = PersonChangeForm
    add_form = PersonCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "clearance")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = (
        "full_name",
        "email",
        "current_posts",
        "clearance",
        "is_staff",
        "is_active",
        "last_login",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "clearance", "groups")
    search_fields = ("full_name", "email")
    ordering = ("full_name",)
    filter_horizontal = ("groups", "user_permissions")
    inlines = (ChargeInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("charges", queryset=_today_charges(), to_attr="current_charges")
            )
        )

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # An organisation admin gives roles (groups), never superuser or single permissions.
        hidden = {"is_superuser", "user_permissions"}
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]

    def get_inlines(self, request: HttpRequest, obj: User | None) -> Any:
        return self.inlines if obj is not None else ()  # charges once the person exists

    @admin.display(description=_("posts held today"))
    def current_posts(self, obj: User) -> str:
        charges: list[Charge] = getattr(obj, "current_charges", [])
        return "; ".join(
            c.post.designation if c.kind == "regular" else f"{c.post.designation} ({c.kind})"
            for c in charges
        )

    def snapshot(self, obj: User) -> dict[str, Any]:
        return person_snapshot(obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: Any) -> None:
        before = self._access(form.instance) if change else None
        super().save_related(request, form, formsets, change)
        after = self._access(form.instance)
        if before is not None and before != after:
            event_record(
                actor=_actor(request),
                action="person.permissions",
                obj=form.instance,
                before=before,
                after={**after, **SOURCE},
            )

    @staticmethod
    def _access(person: User) -> dict[str, list[str]]:
        return {
            "groups": sorted(person.groups.values_list("name", flat=True)),
            "user_permissions": sorted(
                f"{app}.{code}"
                for app, code in person.user_permissions.values_list(
                    "content_type__app_label", "codename"
                )
            ),
        }

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """The password screen, recording that the password was set or disabled."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and isinstance(response, HttpResponseRedirect):
                person = User.objects.filter(pk=unquote(id)).first()
                if person is not None and response.url != request.get_full_path():
                    event_record(
                        actor=_actor(request),
                        action="person.password",
                        obj=person,
                        after={"has_password": person.has_usable_password(), **SOURCE},
                    )
        return response


@admin.register(Sequence)
class SequenceAdmin(ReadOnlyModelAdmin[Sequence]):
    """Counters behind file (and later diary and dispatch) numbers: look, do not touch."""

    list_display = ("key", "last_value")
    search_fields = ("key",)
    ordering = ("key",)


admin.site.site_header = _("Daftar administration")
admin.site.site_title = _("Daftar admin")
admin.site.index_title = _("Organisation chart, people and records")
