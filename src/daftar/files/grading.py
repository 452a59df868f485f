"""Changing a file's security grade by hand.

The holder may raise it (to a grade they and every holder of their post are cleared for). Only
an officer — a post of BPS-19 (Deputy Secretary) or above — may lower it, with a reason, and
never below the most restrictive paper on the file, since that paper sets the file's level.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.files.models import Classification, File
from daftar.files.selectors import file_for_actor
from daftar.files.services import held_post
from daftar.lib.errors import InvalidInput
from daftar.org.clearance import not_cleared_message, refuse_unless_cleared
from daftar.org.models import Post, User

LOWERING_GRADE = 19


def _check_lowering(file: File, post: Post, grade: int, reason: str) -> None:
    if (post.grade or 0) < LOWERING_GRADE:
        raise InvalidInput(
            _("Only an officer of BPS-%(grade)s or above can lower a file's grade.")
            % {"grade": LOWERING_GRADE}
        )
    if not reason.strip():
        raise InvalidInput(_("Say why the file's grade is lowered."))
    papers = file.correspondence.aggregate(top=Max("receipt__classification"))["top"]
    if papers is not None and grade < papers:
        raise InvalidInput(
            _("A paper on the file is %(grade)s; the file cannot be graded lower.")
            % {"grade": Classification(papers).label}
        )


@transaction.atomic(durable=True)
def file_classify(*, actor: User, file_id: int, classification: int, reason: str = "") -> File:
    """Set the file's grade: raised by its holder, lowered only by an officer with a reason."""
    if classification not in Classification.values:
        raise InvalidInput(_("Unknown classification."))
    file = file_for_actor(actor, file_id, for_update=True)
    post = held_post(actor, file)
    before = file.classification
    if classification == before:
        raise InvalidInput(_("The file already has this grade."))
    if classification > actor.clearance:
        raise InvalidInput(not_cleared_message(classification))
    if classification > before:
        refuse_unless_cleared(post, classification)
    else:
        _check_lowering(file, post, classification, reason)
    file.classification = classification
    file.save(update_fields=["classification"])
    event_record(
        actor=actor,
        post=post,
        action="file.classify",
        obj=file,
        before={"classification": before},
        after={"classification": classification, "reason": reason.strip()},
    )
    return file
