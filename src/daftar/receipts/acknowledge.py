"""Acknowledging a receipt: the acknowledgement recorded, and the slip (acknowledgement.py)
returned to print, or e-mailed to the sender after the commit."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.lib.errors import Conflict, InvalidInput
from daftar.org.models import Post, User
from daftar.org.selectors import post_ids_held
from daftar.receipts.acknowledgement import acknowledgement_pdf, display_reference
from daftar.receipts.models import Receipt, ReceiptAction
from daftar.receipts.selectors import receipt_for_actor
from daftar.releases.models import ReleasePurpose
from daftar.releases.services import release_check

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Acknowledgement:
    """The slip, and what became of the e-mail (``error`` says why it was not sent)."""

    receipt: Receipt
    reference: str
    pdf: bytes
    emailed_to: str | None
    error: str | None = None


def _acknowledging_post(actor: User, receipt: Receipt) -> Post:
    """The diarising post or the present holder acknowledges; others see but do not act."""
    held = post_ids_held(actor)
    diarised = receipt.movements.filter(action=ReceiptAction.DIARISE).values_list(
        "to_post_id", flat=True
    )
    for post_id in (*diarised, receipt.holder_id):
        if post_id in held:
            return Post.objects.get(pk=post_id)
    raise Conflict(
        _("Only the desk that diarised this receipt, or %(post)s, can acknowledge it.")
        % {"post": receipt.holder}
    )


def receipt_acknowledge(*, actor: User, receipt_id: int, email: bool = True) -> Acknowledgement:
    """Record an acknowledgement to the sender and return the slip (PDF).

    With ``email`` the slip is e-mailed to the sender's address once the event is committed;
    a failed delivery is recorded as ``receipt.acknowledge_failed`` and reported in the
    result, while the slip stays available to print and post.
    """
    with transaction.atomic(durable=True):
        receipt = receipt_for_actor(actor, receipt_id)
        post = _acknowledging_post(actor, receipt)
        to = receipt.sender.email if email else None
        if email and not to:
            raise InvalidInput(
                _("%(sender)s has no e-mail address; print the slip and post it instead.")
                % {"sender": receipt.sender}
            )
        # The slip names the subject: a classified one leaves only under a recorded release.
        release = release_check(receipt, ReleasePurpose.EMAIL) if email else None
        event_record(
            actor=actor,
            post=post,
            action="receipt.acknowledge",
            obj=receipt,
            after={
                "email": to,
                "reference": receipt.reference,
                **({"release": release.pk} if release else {}),
            },
        )
    # Committed: render and deliver outside any transaction (no lock held while SMTP talks).
    pdf = acknowledgement_pdf(receipt)
    reference = display_reference(receipt.reference)
    if to is None:
        return Acknowledgement(receipt, reference, pdf, None)
    error = _deliver(receipt, to=to, pdf=pdf, reference=reference)
    if error is not None:
        with transaction.atomic(durable=True):
            event_record(
                actor=actor,
                post=post,
                action="receipt.acknowledge_failed",
                obj=receipt,
                after={"email": to, "error": error},
            )
        return Acknowledgement(receipt, reference, pdf, None, error)
    return Acknowledgement(receipt, reference, pdf, to)


def _deliver(receipt: Receipt, *, to: str, pdf: bytes, reference: str) -> str | None:
    """Send the slip; returns None when the mail server accepted it, else the reason."""
    message = EmailMessage(
        subject=_("Acknowledgement: diary no. %(number)s") % {"number": receipt.diary_number},
        body=_(
            "Your letter on “%(subject)s” was received on %(date)s and entered under diary "
            "number %(number)s.\n\nPlease quote this number or the reference %(reference)s in "
            "any enquiry. The acknowledgement slip is attached.\n\n%(unit)s"
        )
        % {
            "subject": receipt.subject,
            "date": receipt.received_on.strftime("%d %B %Y"),
            "number": receipt.diary_number,
            "reference": reference,
            "unit": receipt.registry.name,
        },
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach(f"acknowledgement-{receipt.reference}.pdf", pdf, "application/pdf")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("Acknowledgement of receipt %s to %s failed: %s", receipt.pk, to, exc)
        return str(exc) or exc.__class__.__name__
    return None
