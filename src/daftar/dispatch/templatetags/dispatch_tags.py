"""Pieces of dispatch that other apps' pages include: the Sign / Issue / View dispatch
buttons of a draft (``dispatch/_draft_actions.html``, on the draft page) and the "arrived on
Daftar" line of a receipt delivered from another organisation (on the receipt page)."""

from __future__ import annotations

from typing import Any

from django import template

from daftar.dispatch.models import Dispatch
from daftar.dispatch.selectors import delivery_of_receipt
from daftar.dispatch.services import ISSUE_PERMISSION, SIGN_PERMISSION
from daftar.drafting.models import Draft, DraftStatus
from daftar.org.models import User
from daftar.org.selectors import organisation_of, post_ids_held
from daftar.receipts.models import Mode, Receipt
from daftar.signing.api import verification_url

register = template.Library()


@register.simple_tag(takes_context=True)
def draft_dispatch_actions(context: dict[str, Any], draft: Draft) -> dict[str, Any]:
    """What the signed-in person may do next with ``draft``: sign it (approved, their post
    holds the file, they sign documents), issue it (signed, same custody, the issue role), or
    open its dispatch (issued)."""
    user = context["request"].user
    actions: dict[str, Any] = {"can_sign": False, "can_issue": False, "dispatch": None}
    if not isinstance(user, User):
        return actions
    if draft.status == DraftStatus.ISSUED:
        actions["dispatch"] = (
            Dispatch.objects.filter(fair_copy__draft=draft).only("pk", "number").first()
        )
        return actions
    if draft.status not in (DraftStatus.APPROVED, DraftStatus.SIGNED):
        return actions
    holds = draft.file.holder_id in post_ids_held(user)
    actions["can_sign"] = (
        holds and draft.status == DraftStatus.APPROVED and user.has_perm(SIGN_PERMISSION)
    )
    actions["can_issue"] = (
        holds and draft.status == DraftStatus.SIGNED and user.has_perm(ISSUE_PERMISSION)
    )
    return actions


@register.inclusion_tag("dispatch/_arrival.html")
def arrival_note(receipt: Receipt) -> dict[str, Any]:
    """For a receipt that arrived on Daftar: from whom, under which dispatch number, who
    signed it, and the link to verify the signature. No query for any other receipt."""
    if receipt.mode != Mode.INTERNAL:
        return {"arrival": None}
    delivery = delivery_of_receipt(receipt.pk)
    if delivery is None:
        return {"arrival": None}
    dispatch = delivery.dispatch
    fair_copy = dispatch.fair_copy
    return {
        "arrival": {
            "dispatch": dispatch,
            "organisation": organisation_of(dispatch.unit).name,
            "signer": fair_copy.signed_by.full_name,
            "designation": fair_copy.signed_post.designation,
            "verify_url": verification_url(fair_copy.token),
        }
    }
