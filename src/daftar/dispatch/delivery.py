"""Sending each addressee's copy of an issued letter (docs/dispatch.md).

``delivery_run`` is what ``letter_issue`` queues after its commit, once per delivery on Daftar
or by e-mail; it is idempotent (a delivery already done is left alone) and owns its own
durable transaction, the delivery row locked so two runs never send twice. E-mail goes through
Django's mail backend with the signed PDF and the enclosures attached and a Message-ID of our
own, kept with the delivery; a refused or unreachable server leaves it FAILED with the
server's words, for ``delivery_retry``. Paper copies wait for ``delivery_mark_sent``.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.dispatch.internal import internal_deliver
from daftar.dispatch.models import PAPER_CHANNELS, Channel, Delivery, DeliveryStatus
from daftar.dispatch.selectors import dispatch_for_actor
from daftar.documents.selectors import document_bytes
from daftar.documents.storage import BlobError
from daftar.drafting.models import DraftEnclosure
from daftar.lib import clock
from daftar.lib.errors import Conflict
from daftar.org.models import User
from daftar.org.roles import permission_require
from daftar.org.selectors import post_ids_held

logger = logging.getLogger(__name__)

ISSUE_PERMISSION = "drafting.issue_letter"
_TO_RUN = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


def _locked(delivery_id: int) -> Delivery | None:
    return (
        Delivery.objects.select_for_update(of=("self",))
        .select_related(
            "dispatch__fair_copy__document",
            "dispatch__fair_copy__version",
            "dispatch__fair_copy__draft__file",
            "dispatch__fair_copy__signed_by",
            "dispatch__fair_copy__signed_post",
            "dispatch__unit",
            "dispatch__issued_by",
            "dispatch__issued_post",
            "addressee__organisation",
            "addressee__post",
        )
        .filter(pk=delivery_id)
        .first()
    )


def delivery_run(delivery_id: int) -> Delivery | None:
    """Deliver one copy on Daftar or by e-mail, once; None for no such delivery."""
    with transaction.atomic(durable=True):
        delivery = _locked(delivery_id)
        if delivery is None or delivery.status not in _TO_RUN:
            return delivery
        if delivery.channel not in (Channel.INTERNAL, Channel.EMAIL):
            return delivery  # paper goes out by hand: delivery_mark_sent
        delivery.attempts += 1
        delivery.attempted_at = clock.now()
        if delivery.channel == Channel.INTERNAL:
            internal_deliver(delivery)
        else:
            _email(delivery)
        return delivery


def deliveries_pending_run(*, older_than: dt.timedelta) -> list[int]:
    """Run the deliveries still pending ``older_than`` after their issue: the after-commit run
    was lost (the process stopped between the commit and the delivery). The worker calls
    this every minute; ``delivery_run`` makes a second run of one delivery a no-op."""
    due = clock.now() - older_than
    ids = list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING,
            channel__in=(Channel.INTERNAL, Channel.EMAIL),
            dispatch__issued_at__lte=due,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for delivery_id in ids:
        delivery_run(delivery_id)
    return ids


def _message(delivery: Delivery) -> EmailMessage:
    dispatch = delivery.dispatch
    fair_copy = dispatch.fair_copy
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or None
    message = EmailMessage(
        subject=f"{fair_copy.letter_number}: {fair_copy.version.subject}",
        body=_(
            "Please find attached letter %(letter)s dated %(date)s, issued under dispatch no. "
            "%(number)s, on “%(subject)s”.\n\nThe letter is digitally signed by %(signer)s, "
            "%(designation)s, and sealed by %(organisation)s. Any PDF reader shows the "
            "signatures; the verification page printed on the letter confirms them."
        )
        % {
            "letter": fair_copy.letter_number,
            "date": formats.date_format(fair_copy.letter_date, "j M Y"),
            "number": dispatch.number,
            "subject": fair_copy.version.subject,
            "signer": fair_copy.signed_by.full_name,
            "designation": fair_copy.signed_post.designation,
            "organisation": dispatch.unit.name,
        },
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.email],
        headers={"Message-ID": make_msgid(idstring=f"dispatch{delivery.pk}", domain=domain)},
    )
    message.attach(
        f"letter-{dispatch.number.replace('/', '-')}.pdf",
        document_bytes(fair_copy.document),
        "application/pdf",
    )
    for enclosure in (
        DraftEnclosure.objects.filter(version=fair_copy.version)
        .select_related("document")
        .order_by("order")
    ):
        document = enclosure.document
        message.attach(document.original_name, document_bytes(document), document.content_type)
    return message


def _email(delivery: Delivery) -> None:
    """Send, inside the delivery's transaction (its row lock keeps a second run waiting)."""
    try:
        message = _message(delivery)
        message.send()
    except (smtplib.SMTPException, OSError, BlobError) as exc:
        logger.warning("E-mail of dispatch delivery %s failed: %s", delivery.pk, exc)
        delivery.status = DeliveryStatus.FAILED
        delivery.error = str(exc) or exc.__class__.__name__
        delivery.save(update_fields=["status", "error", "attempts", "attempted_at"])
        action = "dispatch.deliver_failed"
        after = {"delivery": delivery.pk, "channel": Channel.EMAIL, "error": delivery.error}
    else:
        delivery.status = DeliveryStatus.SENT
        delivery.message_id = str(message.extra_headers["Message-ID"])
        delivery.delivered_at = clock.now()
        delivery.error = ""
        delivery.save(
            update_fields=[
                "status",
                "message_id",
                "delivered_at",
                "error",
                "attempts",
                "attempted_at",
            ]
        )
        action = "dispatch.deliver"
        after = {
            "delivery": delivery.pk,
            "channel": Channel.EMAIL,
            "email": delivery.email,
            "message_id": delivery.message_id,
        }
    event_record(
        actor=delivery.dispatch.issued_by,
        post=delivery.dispatch.issued_post,
        action=action,
        obj=delivery.dispatch,
        after=after,
    )


def _actionable(actor: User, delivery_id: int) -> Delivery:
    """A delivery of a dispatch the actor may see and act on (the issue role), else the
    reason; NotFound for a dispatch they may not see."""
    permission_require(actor, ISSUE_PERMISSION)
    dispatch_id = Delivery.objects.filter(pk=delivery_id).values_list("dispatch_id", flat=True)
    dispatch = dispatch_for_actor(actor, dispatch_id.first() or 0)
    delivery = dispatch.deliveries.get(pk=delivery_id)
    if not (
        dispatch.issued_post_id in post_ids_held(actor)
        or dispatch.fair_copy.draft.file.holder_id in post_ids_held(actor)
    ):
        raise Conflict(_("Only the issuing post, or the post holding the file, can do this."))
    return delivery


def delivery_retry(*, actor: User, delivery_id: int) -> Delivery:
    """Try a failed delivery (on Daftar or by e-mail) again, now."""
    delivery = _actionable(actor, delivery_id)
    if delivery.status != DeliveryStatus.FAILED:
        raise Conflict(_("Only a failed delivery can be tried again."))
    result = delivery_run(delivery.pk)
    return delivery if result is None else result


@transaction.atomic(durable=True)
def delivery_mark_sent(*, actor: User, delivery_id: int) -> Delivery:
    """Record that the paper copy (post, courier or hand) went out, and when."""
    delivery = _actionable(actor, delivery_id)
    locked = _locked(delivery.pk) or delivery
    if locked.channel not in PAPER_CHANNELS:
        raise Conflict(_("Only a copy sent on paper is marked as sent out."))
    if locked.status != DeliveryStatus.PENDING:
        raise Conflict(_("This copy was already marked as sent out."))
    locked.status = DeliveryStatus.POSTED
    locked.delivered_at = clock.now()
    locked.save(update_fields=["status", "delivered_at"])
    event_record(
        actor=actor,
        action="dispatch.mark_sent",
        obj=locked.dispatch,
        after={"delivery": locked.pk, "channel": locked.channel},
    )
    return locked
