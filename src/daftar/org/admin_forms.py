"""Forms of the organisation admin screens: they refuse what would break the chart (a unit
inside itself, a reporting circle, a grade outside BPS 1-22, a file number template without a
serial, an unknown time zone, an address outside the official domains)."""

from __future__ import annotations

import string
import zoneinfo
from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from daftar.org.models import OrgUnit, Post, User

if TYPE_CHECKING:  # generic only for the type checker (see daftar.lib.admin)
    OrgUnitFormBase = forms.ModelForm[OrgUnit]
    PostFormBase = forms.ModelForm[Post]
    PersonCreationFormBase = AdminUserCreationForm[User]
    PersonChangeFormBase = UserChangeForm[User]
else:
    OrgUnitFormBase = forms.ModelForm
    PostFormBase = forms.ModelForm
    PersonCreationFormBase = AdminUserCreationForm
    PersonChangeFormBase = UserChangeForm

MAX_GRADE = 22


class OrgUnitForm(OrgUnitFormBase):
    class Meta:
        model = OrgUnit
        fields = (
            "code",
            "name",
            "kind",
            "parent",
            "time_zone",
            "file_number_template",
            "default_file_head",
        )

    def clean_parent(self) -> OrgUnit | None:
        parent: OrgUnit | None = self.cleaned_data.get("parent")
        if parent is None or self.instance.pk is None:
            return parent
        seen: set[int] = set()
        current: int | None = parent.pk
        while current is not None and current not in seen:
            if current == self.instance.pk:
                raise ValidationError(
                    _("%(unit)s is under this unit; a unit cannot be placed inside itself.")
                    % {"unit": parent}
                )
            seen.add(current)
            current = OrgUnit.objects.filter(pk=current).values_list("parent_id", flat=True)[0]
        return parent

    def clean_time_zone(self) -> str:
        value: str = self.cleaned_data["time_zone"].strip()
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError(
                _("%(zone)s is not a time zone name such as Asia/Karachi.") % {"zone": value}
            ) from exc
        return value

    def clean_file_number_template(self) -> str:
        value: str = self.cleaned_data["file_number_template"].strip()
        allowed = {"head", "serial", "year", "unit"}
        try:
            names = {name for _text, name, _spec, _conv in string.Formatter().parse(value) if name}
        except ValueError as exc:
            raise ValidationError(
                _("The template is not valid: %(error)s") % {"error": exc}
            ) from exc
        unknown = names - allowed
        if unknown:
            raise ValidationError(
                _("Unknown placeholder(s) %(names)s; use {head} {serial} {year} {unit}.")
                % {"names": ", ".join("{" + n + "}" for n in sorted(unknown))}
            )
        if "serial" not in names:
            raise ValidationError(
                _("The template must contain {serial}, or every file would get the same number.")
            )
        return value


class PostForm(PostFormBase):
    class Meta:
        model = Post
        fields = ("code", "designation", "unit", "grade", "reports_to", "is_active")

    def clean_grade(self) -> int | None:
        grade: int | None = self.cleaned_data.get("grade")
        if grade is not None and not 1 <= grade <= MAX_GRADE:
            raise ValidationError(_("The grade (BPS) must be between 1 and 22."))
        return grade

    def clean_reports_to(self) -> Post | None:
        boss: Post | None = self.cleaned_data.get("reports_to")
        if boss is None or self.instance.pk is None:
            return boss
        seen: set[int] = set()
        current: int | None = boss.pk
        while current is not None and current not in seen:
            if current == self.instance.pk:
                raise ValidationError(
                    _("%(post)s reports to this post already; that would make a circle.")
                    % {"post": boss}
                )
            seen.add(current)
            current = Post.objects.filter(pk=current).values_list("reports_to_id", flat=True)[0]
        return boss


class PersonCreationForm(PersonCreationFormBase):
    """Official e-mail, full name and a password (or none: the person sets one by reset).

    The model's e-mail validator refuses addresses outside DAFTAR_ALLOWED_EMAIL_DOMAINS with a
    message naming the allowed domains."""

    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("%(email)s already has an account.") % {"email": email})
        return email


class PersonChangeForm(PersonChangeFormBase):
    class Meta:
        model = User
        fields = (
            "email",
            "password",
            "full_name",
            "clearance",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        )

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("%(email)s already has an account.") % {"email": email})
        return email
