"""Whether a post may receive papers of a security grade.

A post is cleared for a grade when it has at least one holder today and every holder today is
cleared for it: whoever holds the desk will open what arrives there. Unclassified papers go to
any post, vacant or not, as before classification existed.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from daftar.files.models import Classification
from daftar.lib import clock
from daftar.lib.errors import InvalidInput
from daftar.org.models import Charge, Post


def cleared_for(grade: int) -> Q:
    """A filter on posts: those cleared to receive papers of ``grade`` (nested, no query)."""
    if grade <= Classification.UNCLASSIFIED:
        return Q()
    holders = Charge.objects.current(clock.now().date()).filter(post=OuterRef("pk"))
    return Q(Exists(holders)) & ~Q(Exists(holders.filter(person__clearance__lt=grade)))


def not_cleared_message(grade: int) -> str:
    return _("You hold no clearance for %(grade)s papers.") % {"grade": Classification(grade).label}


def refuse_unless_cleared(post: Post, grade: int, *, vacant_ok: bool = True) -> None:
    """Raise InvalidInput, with the reason, unless ``post`` may receive papers of ``grade``.

    ``vacant_ok`` keeps today's rule that unclassified papers may go to a vacant post; a
    share, which only exists to let people read, needs someone there whatever the grade."""
    if grade <= Classification.UNCLASSIFIED and vacant_ok:
        return
    holders = Charge.objects.current(clock.now().date()).filter(post=post)
    clearances = list(holders.values_list("person__clearance", flat=True))
    label = Classification(grade).label
    if not clearances:
        raise InvalidInput(
            _("%(post)s has no one holding it today to receive %(grade)s papers.")
            % {"post": post, "grade": label}
        )
    if min(clearances) < grade:
        raise InvalidInput(
            _("%(post)s holds no clearance for %(grade)s papers.") % {"post": post, "grade": label}
        )
