"""Organisations, posts (desks), people and the charges by which people hold posts.

Files move between posts, never between people: a transfer or leave changes a charge and the
file stays where it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from daftar.files.models import Classification
from daftar.org.validators import validate_official_email


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    MINISTRY = "ministry", _("Ministry")
    DIVISION = "division", _("Division")
    ATTACHED_DEPARTMENT = "attached_department", _("Attached department")
    SUBORDINATE_OFFICE = "subordinate_office", _("Subordinate office")
    WING = "wing", _("Wing")
    BRANCH = "branch", _("Branch")
    SECTION = "section", _("Section")
    REGISTRY = "registry", _("Central Registry")


# Units that stand as an organisation of their own (own time zone, own numbering, own metrics).
ORGANISATION_KINDS = frozenset(
    {
        UnitKind.GOVERNMENT,
        UnitKind.MINISTRY,
        UnitKind.DIVISION,
        UnitKind.ATTACHED_DEPARTMENT,
        UnitKind.SUBORDINATE_OFFICE,
    }
)

DEFAULT_FILE_NUMBER_TEMPLATE = "{head}-{serial}/{year}-{unit}"
DEFAULT_DIARY_NUMBER_TEMPLATE = "{serial}/{year}/{unit}"


class OrgUnit(models.Model):
    code = models.CharField(
        _("code"), max_length=40, unique=True, help_text=_("Short symbol, e.g. B-II")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    time_zone = models.CharField(_("time zone"), max_length=60, default="Asia/Karachi")
    file_number_template = models.CharField(
        _("file number template"),
        max_length=100,
        default=DEFAULT_FILE_NUMBER_TEMPLATE,
        help_text=_("Placeholders: {head} {serial} {year} {unit}"),
    )
    default_file_head = models.CharField(_("default file head"), max_length=20, default="1")
    # The diary of receipts this unit keeps (the Central Registry's, or a section's own).
    diary_number_template = models.CharField(
        _("diary number template"),
        max_length=100,
        default=DEFAULT_DIARY_NUMBER_TEMPLATE,
        help_text=_("Placeholders: {serial} {year} {unit}"),
    )

    class Meta:
        verbose_name = _("organisation unit")
        permissions = (
            ("manage_organisation", _("Manage the people and structure of an organisation")),
            ("view_programme_figures", _("See the programme's aggregate figures")),
        )
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Post(models.Model):
    """A desk such as "Section Officer (Budget-II)". Files are held by posts."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="posts"
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    designation = models.CharField(_("designation"), max_length=200)
    grade = models.PositiveSmallIntegerField(_("grade (BPS)"), null=True, blank=True)
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("post")
        ordering: ClassVar[list[str]] = ["designation"]

    def __str__(self) -> str:
        return self.designation


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, identified by an official e-mail address."""

    email = models.EmailField(
        _("official e-mail"), unique=True, validators=[validate_official_email]
    )
    full_name = models.CharField(_("full name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin screens"), default=False)
    # The highest grade of paper the person may see, receive or be offered as a recipient for.
    # Restricted by default: it is the grade of routine official paper that every appointed
    # government servant handles; Confidential and above need a deliberate grant.
    clearance = models.PositiveSmallIntegerField(
        _("security clearance"),
        choices=Classification.choices,
        default=Classification.RESTRICTED,
        help_text=_("The highest grade of paper this person may see or receive."),
    )
    date_joined = models.DateTimeField(_("joined"), auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.email


class ChargeKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    ADDITIONAL = "additional", _("Additional charge")
    LINK = "link", _("Link officer")


class ChargeQuerySet(models.QuerySet["Charge"]):
    def current(self, on: dt.date) -> ChargeQuerySet:
        return self.filter(Q(end__isnull=True) | Q(end__gte=on), start__lte=on)


class Charge(models.Model):
    """A person holds a post from ``start`` to ``end`` (inclusive; open-ended when empty)."""

    person = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.PROTECT, related_name="charges"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="charges"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ChargeKind.choices, default=ChargeKind.REGULAR
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)

    objects = ChargeQuerySet.as_manager()

    class Meta:
        verbose_name = _("charge")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["person", "start"])]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="charge_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.post} ({self.get_kind_display()})"


class Sequence(models.Model):
    """A gap-free counter (file serials, later diary and dispatch numbers).

    Taken under a row lock inside the caller's transaction, so a rolled-back caller gives its
    number back and two concurrent callers never share one.
    """

    key = models.CharField(max_length=120, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.last_value}"
