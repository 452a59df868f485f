"""The movement log: every hop of a file from post to post, never rewritten.

Custody ("who held it, from when to when"), the inbox, sent items and pendency are all
queries over this table.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daftar.files.models import Priority


class Action(models.TextChoices):
    OPEN = "open", _("Opened")
    PUT_UP = "put_up", _("Put up")
    MARK_DOWN = "mark_down", _("Marked down")
    SEND_ACROSS = "send_across", _("Sent across")
    RETURN = "return", _("Returned")


class Movement(models.Model):
    file = models.ForeignKey("files.File", on_delete=models.PROTECT, related_name="movements")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_post = models.ForeignKey(
        "org.Post",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements_out",
        verbose_name=_("from"),
    )
    to_post = models.ForeignKey(
        "org.Post", on_delete=models.PROTECT, related_name="movements_in", verbose_name=_("to")
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"))
    remarks = models.TextField(_("remarks"), blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.ROUTINE
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    read_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pulled_back_at = models.DateTimeField(_("pulled back at"), null=True, blank=True)
    # The movement that had brought the file to the sender; custody returns to it on pull back.
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("movement")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["file", "sent_at"]),
            models.Index(fields=["to_post", "file"]),
            models.Index(fields=["from_post", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.from_post_id} → {self.to_post_id} ({self.action})"
