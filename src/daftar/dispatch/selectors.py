"""Reads of fair copies, dispatches and deliveries, with access applied.

A dispatch is seen through its draft, and so through the file it was issued from
(``draft_for_actor``): NotFound for missing and forbidden alike. The dispatch register of a
unit is open to the holders of that unit's posts and to the registry clerks of its
organisation; it lists summaries, and withholds the subject of a letter graded above the
reader's clearance.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from daftar.dispatch.models import Delivery, Dispatch, FairCopy
from daftar.drafting.models import Draft
from daftar.drafting.selectors import draft_for_actor
from daftar.lib.errors import NotFound
from daftar.org.models import OrgUnit, UnitKind, User
from daftar.org.selectors import organisation_of, posts_held

REGISTER_PERMISSION = "receipts.diarise_receipt"


def _not_found() -> NotFound:
    return NotFound(_("No such dispatch, or it is not open to you."))


def dispatch_for_actor(actor: User, dispatch_id: int) -> Dispatch:
    """The dispatch if ``actor`` may see the draft it issued, else NotFound."""
    dispatch = (
        Dispatch.objects.select_related(
            "fair_copy__document",
            "fair_copy__version",
            "fair_copy__signed_by",
            "fair_copy__signed_post",
            "unit",
            "issued_by",
            "issued_post",
            "office_copy",
        )
        .filter(pk=dispatch_id)
        .first()
    )
    if dispatch is None:
        raise _not_found()
    try:
        draft = draft_for_actor(actor, dispatch.fair_copy.draft_id)
    except NotFound as exc:
        raise _not_found() from exc
    dispatch.fair_copy.draft = draft
    return dispatch


def fair_copy_of(draft: Draft) -> FairCopy | None:
    """The draft's signed fair copy, with its dispatch when issued (one query)."""
    found: FairCopy | None = (
        FairCopy.objects.select_related("document", "signed_by", "signed_post", "dispatch")
        .filter(draft=draft)
        .first()
    )
    return found


def deliveries_of(dispatch: Dispatch) -> list[Delivery]:
    return list(
        dispatch.deliveries.select_related(
            "addressee__organisation", "addressee__post", "receipt__registry", "received_by"
        ).order_by("addressee__order")
    )


def register_units(actor: User) -> list[OrgUnit]:
    """The units whose dispatch register ``actor`` may read: those of the posts they hold,
    and (for registry clerks) every unit of the organisations whose registry they sit in."""
    posts = posts_held(actor)
    units = {p.unit.pk: p.unit for p in posts}
    if actor.has_perm(REGISTER_PERMISSION):
        for post in posts:
            if post.unit.kind == UnitKind.REGISTRY:
                organisation = organisation_of(post.unit)
                for unit in _units_of(organisation):
                    units.setdefault(unit.pk, unit)
    return sorted(units.values(), key=lambda u: u.name)


def _units_of(organisation: OrgUnit) -> list[OrgUnit]:
    found, level = [organisation], [organisation]
    while level:
        level = list(OrgUnit.objects.filter(parent__in=level).exclude(pk__in=[u.pk for u in found]))
        level = [u for u in level if organisation_of(u).pk == organisation.pk]
        found.extend(level)
    return found


@dataclass(frozen=True)
class RegisterRow:
    dispatch: Dispatch
    subject: str  # empty when withheld
    withheld: bool


def register_of(actor: User, unit: OrgUnit, year: int) -> list[RegisterRow]:
    """The unit's dispatch register of ``year``, newest first, in one query."""
    dispatches: QuerySet[Dispatch] = (
        Dispatch.objects.filter(unit=unit, year=year)
        .select_related("fair_copy__version", "fair_copy__draft__file", "issued_post", "issued_by")
        .order_by("-serial")
    )
    rows = []
    for dispatch in dispatches:
        draft = dispatch.fair_copy.draft
        withheld = draft.classification > actor.clearance
        subject = "" if withheld else dispatch.fair_copy.version.subject
        rows.append(RegisterRow(dispatch, subject, withheld))
    return rows


def delivery_of_receipt(receipt_id: int) -> Delivery | None:
    """The delivery that brought a receipt (for its "arrived on Daftar" line)."""
    found: Delivery | None = (
        Delivery.objects.select_related(
            "dispatch__unit", "dispatch__fair_copy__signed_by", "dispatch__fair_copy__signed_post"
        )
        .filter(receipt_id=receipt_id)
        .first()
    )
    return found
