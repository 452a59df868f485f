"""Delivery on Daftar: the letter arrives in the addressee organisation's Central Registry as
a receipt (docs/dispatch.md).

The receipt is diarised in that registry's diary by ``receipt_diarise``, as
``receipt_register`` does (its own gap-free numbers and template), mode INTERNAL, from the
issuing organisation and signer, with the signed PDF and the enclosures as its documents (new
rows over the same stored bytes), held by the registry's post whose holders are cleared for
the letter's grade, and unread: when a person there first opens it, ``receipt_opened`` marks
the delivery received (the sender sees when, and by which post). No such post: the delivery
fails with the reason and nothing of the receipt is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.dispatch.models import Delivery, DeliveryStatus, Dispatch
from daftar.dispatch.stored import document_share_bytes
from daftar.drafting.models import DraftEnclosure
from daftar.files.models import Classification
from daftar.lib import clock
from daftar.lib.errors import InvalidInput
from daftar.org.clearance import cleared_for
from daftar.org.models import ORGANISATION_KINDS, Charge, OrgUnit, Post, UnitKind, User
from daftar.org.selectors import organisation_of
from daftar.receipts.diary import receipt_diarise
from daftar.receipts.models import (
    Language,
    Mode,
    Receipt,
    Sender,
)


def central_registry(organisation: OrgUnit) -> OrgUnit:
    """The organisation's Central Registry: the first unit of kind REGISTRY inside it (not
    inside an organisation below it), or the organisation's own top unit when it has none."""
    level = [organisation]
    while level:
        children = list(
            OrgUnit.objects.filter(parent__in=level).exclude(kind__in=ORGANISATION_KINDS)
        )
        registries = sorted(
            (u for u in children if u.kind == UnitKind.REGISTRY), key=lambda u: u.pk
        )
        if registries:
            return registries[0]
        level = children
    return organisation


def registry_post(registry: OrgUnit, grade: int) -> Post:
    """The registry's post that receives the letter: held today, and every holder cleared
    for ``grade``; InvalidInput naming the problem otherwise."""
    held = Charge.objects.current(clock.now().date()).filter(post=OuterRef("pk"))
    post = (
        Post.objects.filter(Exists(held), cleared_for(grade), unit=registry, is_active=True)
        .order_by("pk")
        .first()
    )
    if post is None:
        raise InvalidInput(
            _(
                "%(registry)s has no post held by someone cleared for %(grade)s papers to "
                "receive this letter."
            )
            % {"registry": registry.name, "grade": Classification(grade).label}
        )
    return post


def _sender(dispatch: Dispatch) -> Sender:
    """The directory entry for the issuing organisation and signer (reused when it exists)."""
    fair_copy = dispatch.fair_copy
    values = {
        "organisation": organisation_of(dispatch.unit).name[:200],
        "name": fair_copy.signed_by.full_name[:200],
        "designation": fair_copy.signed_post.designation[:200],
        "email": "",
    }
    found = Sender.objects.filter(**{f"{k}__iexact": v for k, v in values.items()}).first()
    if found is not None:
        return found
    return Sender.objects.create(**values, created_by=dispatch.issued_by, created_at=clock.now())


def _diarise(delivery: Delivery) -> Receipt:
    """The receipt in the addressee's registry; inside the caller's transaction."""
    dispatch = delivery.dispatch
    fair_copy = dispatch.fair_copy
    draft, version = fair_copy.draft, fair_copy.version
    organisation = delivery.addressee.organisation
    if organisation is None:
        raise InvalidInput(_("This addressee is not an organisation on Daftar."))
    registry = central_registry(organisation)
    post = registry_post(registry, draft.classification)
    issuer: User = dispatch.issued_by
    now = clock.now()
    local = now.astimezone(ZoneInfo(organisation_of(registry).time_zone))
    for_post = delivery.addressee.post
    letter = Receipt(
        received_on=local.date(),
        mode=Mode.INTERNAL,
        sender=_sender(dispatch),
        letter_number=fair_copy.letter_number[:120],
        letter_date=fair_copy.letter_date,
        subject=version.subject,
        language=draft.language if draft.language in Language.values else Language.OTHER,
        priority=draft.file.priority,
        classification=draft.classification,
        enclosures=version.enclosures,
        remarks=_("Dispatch no. %(number)s.") % {"number": dispatch.number}
        + (f" {_('For')}: {for_post.designation}." if for_post is not None else ""),
    )
    documents = [fair_copy.document] + [
        e.document
        for e in DraftEnclosure.objects.filter(version=version)
        .select_related("document")
        .order_by("order")
    ]
    # The receipt's own rows over the same bytes; unread at the registry: the first opening
    # there is the moment it was received.
    receipt = receipt_diarise(
        letter,
        unit=registry,
        year=local.year,
        post=post,
        actor=issuer,
        at=now,
        document_ids=[document_share_bytes(doc, actor=issuer).pk for doc in documents],
        read=False,
    )
    event_record(
        actor=issuer,
        post=dispatch.issued_post,
        action="receipt.register",
        obj=receipt,
        after={
            "diary_number": receipt.diary_number,
            "subject": receipt.subject,
            "sender": receipt.sender_id,
            "mode": Mode.INTERNAL,
            "received_on": receipt.received_on,
            "classification": receipt.classification,
            "is_physical": False,
            "documents": [d.pk for d in documents],
            "dispatch": dispatch.number,
        },
    )
    return receipt


def internal_deliver(delivery: Delivery) -> None:
    """Deliver (or record why not) inside the caller's transaction, the delivery locked.

    The receipt is written under a savepoint: a refusal rolls all of it back and leaves only
    the failed status and its reason."""
    try:
        with transaction.atomic():
            receipt = _diarise(delivery)
    except InvalidInput as exc:
        _failed(delivery, exc.message)
        return
    delivery.receipt = receipt
    delivery.status = DeliveryStatus.DELIVERED
    delivery.delivered_at = receipt.created_at
    delivery.error = ""
    delivery.save(update_fields=["receipt", "status", "delivered_at", "error", *_ATTEMPT])
    event_record(
        actor=delivery.dispatch.issued_by,
        post=delivery.dispatch.issued_post,
        action="dispatch.deliver",
        obj=delivery.dispatch,
        after={
            "delivery": delivery.pk,
            "channel": delivery.channel,
            "receipt": receipt.diary_number,
            "registry": receipt.registry.code,
        },
    )


_ATTEMPT = ["attempts", "attempted_at"]


def _failed(delivery: Delivery, reason: str) -> None:
    delivery.status = DeliveryStatus.FAILED
    delivery.error = reason
    delivery.save(update_fields=["status", "error", *_ATTEMPT])
    event_record(
        actor=delivery.dispatch.issued_by,
        post=delivery.dispatch.issued_post,
        action="dispatch.deliver_failed",
        obj=delivery.dispatch,
        after={"delivery": delivery.pk, "channel": delivery.channel, "error": reason},
    )


def receipt_opened_received(
    sender: Any, *, receipt: Receipt, actor: User, post: Post, at: dt.datetime, **kwargs: Any
) -> None:
    """``receipts.signals.receipt_opened``: the first opening of a delivered letter by the
    registry (or whoever holds it then) is when it was received. Inside the opening's
    transaction; one query for any other receipt."""
    if receipt.mode != Mode.INTERNAL:
        return
    delivery = (
        Delivery.objects.select_for_update()
        .select_related("dispatch")
        .filter(receipt=receipt, received_at__isnull=True)
        .first()
    )
    if delivery is None:
        return
    delivery.status = DeliveryStatus.RECEIVED
    delivery.received_at = at
    delivery.received_by = post
    delivery.save(update_fields=["status", "received_at", "received_by"])
    event_record(
        actor=actor,
        post=post,
        action="dispatch.received",
        obj=delivery.dispatch,
        after={"delivery": delivery.pk, "receipt": receipt.diary_number, "post": post.code},
    )
