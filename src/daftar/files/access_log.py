"""The access log: every opening of a Confidential or higher file, receipt or document.

An opening is a response that shows the item's content: the file or receipt page, a page of
the file's correspondence, a page image, a document's original, an API detail. Lists and
searches show summaries and are not logged. Each opening is an audit event
(``file.view``, ``receipt.view``, ``document.view``) naming the person, the post they acted
through and what they opened, in the audit trail with every other event.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from daftar.audit.services import event_record
from daftar.documents.models import Document
from daftar.files.models import Classification, File
from daftar.org.models import Post, User
from daftar.org.selectors import post_ids_held
from daftar.receipts.models import Receipt

LOGGED_FROM = Classification.CONFIDENTIAL


def opening_record(
    *,
    actor: User,
    obj: File | Receipt | Document,
    grade: int,
    holder: Post | None,
    via: str,
    **detail: Any,
) -> None:
    """Record that ``actor`` opened ``obj`` (of security ``grade``) through ``via``, if the
    grade is Confidential or higher. ``holder`` is the post that has the item now: when the
    actor holds it, that is the post named; otherwise the first post they hold."""
    if grade < LOGGED_FROM:
        return
    _write(actor=actor, obj=obj, grade=grade, holder=holder, via=via, detail=detail)


@transaction.atomic(durable=True)
def _write(
    *,
    actor: User,
    obj: File | Receipt | Document,
    grade: int,
    holder: Post | None,
    via: str,
    detail: dict[str, Any],
) -> None:
    held = post_ids_held(actor)
    post = (
        holder
        if holder is not None and holder.pk in held
        else Post.objects.filter(pk__in=held).order_by("pk").first()
    )
    event_record(
        actor=actor,
        post=post,
        action=f"{obj._meta.model_name}.view",
        obj=obj,
        after={"via": via, "classification": grade, **detail},
    )
