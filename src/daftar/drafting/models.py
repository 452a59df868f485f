"""Drafts for approval (DFA): the reply that rides on a file until it is approved and signed.

A ``Draft`` is one outgoing communication being prepared on a file; its text lives in
numbered ``DraftVersion`` rows. A version stays open to further edits by its own post while
the file has not moved; an edit by a different post, or after the file has moved, starts a
new version, and from then on the old one never changes. Approval fixes one version; the
draft cannot change without a new approval.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from daftar.files.models import Classification


class DraftKind(models.TextChoices):
    LETTER = "letter", _("Letter")
    OFFICE_MEMORANDUM = "om", _("Office memorandum")
    NOTIFICATION = "notification", _("Notification")
    DEMI_OFFICIAL = "do", _("Demi-official letter")
    SUMMARY = "summary", _("Summary for the Prime Minister / Cabinet")
    MINISTER_NOTE = "minister_note", _("Note for the Minister")


class DraftLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    URDU = "ur", _("Urdu")


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # being written or revised
    APPROVED = "approved", _("Approved")  # a version is approved; not yet signed
    SIGNED = "signed", _("Signed")  # the fair copy is signed and sealed; not yet issued
    ISSUED = "issued", _("Issued")  # dispatched under a dispatch number
    CANCELLED = "cancelled", _("Cancelled")


class Draft(models.Model):
    file = models.ForeignKey("files.File", on_delete=models.PROTECT, related_name="drafts")
    serial = models.PositiveIntegerField(_("DFA no."), help_text=_("1, 2, … within the file."))
    kind = models.CharField(_("type"), max_length=20, choices=DraftKind.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=DraftLanguage.choices, default=DraftLanguage.ENGLISH
    )
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DraftStatus.choices, default=DraftStatus.DRAFT
    )
    # The newest version; the version that was approved (None until approved, and again None
    # when a later edit needs a new approval).
    current_version = models.ForeignKey(
        "DraftVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_version = models.ForeignKey(
        "DraftVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_post = models.ForeignKey(
        "org.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approval_note = models.OneToOneField(
        "files.Note", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("started at"))

    class Meta:
        verbose_name = _("draft for approval")
        verbose_name_plural = _("drafts for approval")
        permissions = (
            ("approve_draft", _("Approve drafts for approval")),
            ("issue_letter", _("Issue signed letters (dispatch)")),
        )
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["file", "serial"], name="draft_serial_unique"),
            models.CheckConstraint(
                condition=Q(approved_version__isnull=True) | Q(approved_at__isnull=False),
                name="draft_approval_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"DFA-{self.serial}"

    @property
    def label(self) -> str:
        return f"DFA-{self.serial}"


class DraftVersion(models.Model):
    """One version of a draft: never changed after it is written."""

    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    subject = models.CharField(_("subject"), max_length=500)
    # Sanitised HTML from the rich-text subset (services.clean_body); never raw input.
    body = models.TextField(_("text"))
    references = models.TextField(_("references"), blank=True)
    enclosures = models.TextField(
        _("enclosures"), blank=True, help_text=_("One per line, as listed under the letter.")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+")
    # The file's movement when this version was written: an edit after the file has moved
    # starts a new version.
    movement = models.ForeignKey(
        "movement.Movement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("draft version")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["draft", "number"], name="draft_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.draft_id} v{self.number}"


class AddresseeKind(models.TextChoices):
    INTERNAL = "internal", _("Organisation on Daftar")
    EXTERNAL = "external", _("Outside addressee")


class AddresseeRole(models.TextChoices):
    TO = "to", _("To")
    COPY = "copy", _("Copy to")


class Addressee(models.Model):
    """An addressee of one version. Inside the instance: an organisation (delivered to its
    Central Registry) and optionally the post it is meant for; outside: name, address,
    e-mail."""

    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="addressees")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=AddresseeKind.choices)
    role = models.CharField(max_length=4, choices=AddresseeRole.choices, default=AddresseeRole.TO)
    organisation = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey(
        "org.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name or designation"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("addressee")
        ordering: ClassVar[list[str]] = ["order"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["version", "order"], name="addressee_order_unique"),
            models.CheckConstraint(
                condition=(Q(kind="internal") & Q(organisation__isnull=False))
                | (Q(kind="external") & Q(organisation__isnull=True) & ~Q(name="")),
                name="addressee_kind_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.organisation_id)


class DraftEnclosure(models.Model):
    """A document sent with the letter (uploaded through the documents app)."""

    version = models.ForeignKey(
        DraftVersion, on_delete=models.PROTECT, related_name="enclosure_documents"
    )
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("enclosure")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["version", "order"], name="enclosure_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id} encl. {self.order}"


class LetterTemplate(models.Model):
    """An organisation's form of one type of communication in one language: the letterhead
    lines and the blocks the fair copy is laid out with (docs/drafting.md)."""

    organisation = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="letter_templates"
    )
    kind = models.CharField(_("type"), max_length=20, choices=DraftKind.choices)
    language = models.CharField(_("language"), max_length=2, choices=DraftLanguage.choices)
    letterhead = models.TextField(
        _("letterhead"), help_text=_("Lines at the top: government, organisation, address.")
    )
    heading = models.CharField(
        _("heading"), max_length=200, blank=True, help_text=_("e.g. OFFICE MEMORANDUM")
    )
    salutation = models.CharField(_("salutation"), max_length=200, blank=True)
    closing = models.CharField(_("closing"), max_length=200, blank=True)
    footer = models.CharField(_("footer"), max_length=300, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("letter template")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "language"], name="letter_template_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind} {self.language}"
