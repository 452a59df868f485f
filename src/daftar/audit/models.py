"""The event log. Every state change writes one row in the same transaction.

Rows are only ever inserted (database triggers refuse UPDATE, DELETE and TRUNCATE) and each
carries its place in a hash chain (``seq``, ``prev_hash``, ``hash``; see chain.py), so an
edit, a deletion or an insertion made behind the application's back is found by
``daftar audit verify``. Checkpoints sign the chain head with the instance's key.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from daftar.audit.chain import Content


class AuditEvent(models.Model):
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    post = models.ForeignKey(
        "org.Post",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("acting post"),
    )
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=40)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    seq = models.BigIntegerField(_("sequence"), unique=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit event")
        permissions = [
            ("view_trail", _("Browse and export the audit trail")),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["object_type", "object_id", "at"]),
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"

    def content(self) -> Content:
        return Content(
            seq=self.seq,
            at=self.at,
            actor_id=self.actor_id,
            post_id=self.post_id,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            before=self.before,
            after=self.after,
        )


class ChainHead(models.Model):
    """The one row every append locks (``SELECT … FOR UPDATE``), so concurrent writers take
    turns and never fork the chain; it holds the sequence and hash of the newest event."""

    seq = models.BigIntegerField(_("sequence"))
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash[:12]}"


class AuditCheckpoint(models.Model):
    """The chain head at a moment, signed with the instance's Ed25519 key."""

    seq = models.BigIntegerField(_("sequence"))
    head_hash = models.CharField(_("head hash"), max_length=64)
    at = models.DateTimeField(_("at"))
    key_id = models.CharField(_("key fingerprint"), max_length=64)
    signature = models.CharField(_("signature"), max_length=128)

    class Meta:
        verbose_name = _("audit checkpoint")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} #{self.seq} {self.head_hash[:12]}"
