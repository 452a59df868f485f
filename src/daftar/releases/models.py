"""The recorded permission to let a classified item out of Daftar (by e-mail, or as an export).

A release names the item the way the audit log does (``object_type``, ``object_id``), so one
table serves receipts and files now and drafts and dispatches later. It covers the item at the
grade it had when it was granted: if the item is upgraded afterwards, a new release is needed.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daftar.files.models import Classification


class ReleasePurpose(models.TextChoices):
    EMAIL = "email", _("e-mail to an outside address")
    EXPORT = "export", _("export out of Daftar")


class Release(models.Model):
    object_type = models.CharField(_("item type"), max_length=40)
    object_id = models.CharField(_("item id"), max_length=40)
    purpose = models.CharField(_("purpose"), max_length=10, choices=ReleasePurpose.choices)
    classification = models.PositiveSmallIntegerField(
        _("grade released"), choices=Classification.choices
    )
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"))

    class Meta:
        verbose_name = _("release")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["object_type", "object_id", "purpose"]),
        ]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id} {self.purpose}"
