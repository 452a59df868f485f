"""Releasing classified items: ``release_grant`` records the permission, ``release_check`` is
asked by every path that lets an item out (the acknowledgement e-mail today; dispatch and
export in issue 5).

Only a person who may share files (officers and signing officers) and is cleared for the
item's grade may release it, and only an item they can see.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.files.models import Classification, File
from daftar.files.selectors import file_for_actor
from daftar.lib import clock
from daftar.lib.errors import DaftarError, InvalidInput
from daftar.org.models import Post, User
from daftar.org.roles import permission_require
from daftar.org.selectors import post_ids_at_or_below
from daftar.receipts.models import Receipt
from daftar.receipts.selectors import receipt_for_actor
from daftar.releases.models import Release, ReleasePurpose

RELEASE_PERMISSION = "files.share_file"
MAX_REASON = 1000


# What can be released; drafts and dispatches join with issue 5.
Graded = File | Receipt


class ReleaseRequired(DaftarError):
    """A classified item was about to leave Daftar without a recorded release (HTTP 403)."""

    status = 403


def _label(obj: Graded) -> str:
    return obj._meta.label_lower


def _grade(level: int) -> str:
    return str(Classification(level).label)


def _visible(actor: User, obj: Graded) -> Graded:
    """The item as ``actor`` may see it (NotFound otherwise), locked for the grant."""
    if isinstance(obj, Receipt):
        return receipt_for_actor(actor, obj.pk, for_update=True)
    return file_for_actor(actor, obj.pk, for_update=True)


def in_charge_of(actor: User, item: Graded) -> bool:
    """A release is a decision about the item: its holder's post or an officer above it makes
    it. Sight alone (the owning unit, a read-only share) is not enough."""
    return Post.objects.filter(pk=item.holder_id, id__in=post_ids_at_or_below(actor)).exists()


def _refuse_unless_in_charge(actor: User, item: Graded) -> None:
    if not in_charge_of(actor, item):
        raise InvalidInput(
            _("Only the post that holds this item, or an officer above it, can release it.")
        )


def _release_for(obj: Graded, purpose: str) -> Release | None:
    return (
        Release.objects.filter(
            object_type=_label(obj),
            object_id=str(obj.pk),
            purpose=purpose,
            classification__gte=obj.classification,
        )
        .order_by("-granted_at")
        .first()
    )


@transaction.atomic(durable=True)
def release_grant(*, actor: User, obj: Graded, purpose: str, reason: str) -> Release:
    """Record that ``obj`` may leave Daftar for ``purpose``; audited as ``release.grant``."""
    if purpose not in ReleasePurpose.values:
        raise InvalidInput(_("Choose what the release is for: e-mail or export."))
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(_("Give the reason for releasing this item."))
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason is longer than %(n)d characters.") % {"n": MAX_REASON})
    permission_require(actor, RELEASE_PERMISSION)
    item = _visible(actor, obj)
    _refuse_unless_in_charge(actor, item)
    if item.classification < Classification.RESTRICTED:
        raise InvalidInput(_("This item is not classified; it needs no release."))
    if actor.clearance < item.classification:
        raise ReleaseRequired(
            _("Only a person cleared for %(grade)s can release this item.")
            % {"grade": _grade(item.classification)}
        )
    release = Release.objects.create(
        object_type=_label(item),
        object_id=str(item.pk),
        purpose=purpose,
        classification=item.classification,
        reason=reason,
        granted_by=actor,
        granted_at=clock.now(),
    )
    event_record(
        actor=actor,
        action="release.grant",
        obj=item,
        after={
            "release": release.pk,
            "purpose": purpose,
            "classification": item.classification,
            "reason": reason,
        },
    )
    return release


def release_check(obj: Graded, purpose: str) -> Release | None:
    """The release that lets ``obj`` out for ``purpose``; None when it is not classified.

    Raises ReleaseRequired, saying what is missing, when it is classified and not released."""
    if obj.classification < Classification.RESTRICTED:
        return None
    release = _release_for(obj, purpose)
    if release is None:
        message = (
            _(
                "This item is %(grade)s: it cannot be e-mailed until an officer cleared for "
                "%(grade)s records a release, with the reason."
            )
            if purpose == ReleasePurpose.EMAIL
            else _(
                "This item is %(grade)s: it cannot be exported until an officer cleared for "
                "%(grade)s records a release, with the reason."
            )
        )
        raise ReleaseRequired(message % {"grade": _grade(obj.classification)})
    return release
