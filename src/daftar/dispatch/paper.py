"""Letters signed by hand on paper, entered in the dispatch register (docs/dispatch.md,
"Letters signed on paper").

A letter signed on paper (from a physical file, or because the signer has no certificate yet)
still leaves the office under a dispatch number: ``paper_letter_record`` takes the next serial
of the issuing unit's series (``dispatch:<unit id>:<year>``), the very series ``letter_issue``
numbers electronic letters from, so the register stays one gap-free list. Who may enter one is
who may read the unit's register (``selectors.register_units``). The count of these letters
is the paper side of D and X on the programme office's figures (docs/adoption.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.dispatch.models import PAPER_CHANNELS, Channel, PaperLetter
from daftar.dispatch.selectors import register_units
from daftar.dispatch.services import dispatch_number_take, local_today
from daftar.files.models import File
from daftar.files.selectors import file_for_actor
from daftar.lib import clock
from daftar.lib.errors import InvalidInput, NotFound
from daftar.org.models import ORGANISATION_KINDS, OrgUnit, Post, UnitKind, User
from daftar.org.selectors import organisation_of, posts_held

LIMITS = {"letter_number": 140, "subject": 500, "addressee": 300}


def _text(value: str, field: str, label: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InvalidInput(_("Give the %(label)s.") % {"label": label})
    if len(cleaned) > LIMITS[field]:
        raise InvalidInput(
            _("The %(label)s is longer than %(limit)s characters.")
            % {"label": label, "limit": LIMITS[field]}
        )
    return cleaned


def _recording_post(actor: User, unit: OrgUnit) -> Post:
    """The post the entry is made from: one the actor holds in the unit, else the registry
    post through which they keep the organisation's register."""
    posts = sorted(posts_held(actor), key=lambda p: p.pk)
    organisation = organisation_of(unit)
    for post in posts:
        if post.unit_id == unit.pk:
            return post
    for post in posts:
        if post.unit.kind == UnitKind.REGISTRY and organisation_of(post.unit).pk == organisation.pk:
            return post
    raise NotFound(_("No such unit, or its dispatch register is not open to you."))


def _addressee_organisation(organisation_id: int | None) -> OrgUnit | None:
    if organisation_id is None:
        return None
    found = OrgUnit.objects.filter(pk=organisation_id, kind__in=ORGANISATION_KINDS).first()
    if found is None:
        raise InvalidInput(_("No such organisation on Daftar to address the letter to."))
    return found


def _file(actor: User, file_id: int | None) -> File | None:
    if file_id is None:
        return None
    try:
        return file_for_actor(actor, file_id)
    except NotFound as exc:
        # Said the same way for a missing file and one the person may not see.
        raise InvalidInput(exc.message) from exc


@transaction.atomic(durable=True)
def paper_letter_record(
    *,
    actor: User,
    unit_id: int,
    letter_number: str,
    letter_date: dt.date,
    subject: str,
    addressee: str,
    channel: str,
    organisation_id: int | None = None,
    file_id: int | None = None,
) -> PaperLetter:
    """Enter a letter signed on paper in ``unit_id``'s dispatch register under the next
    dispatch number. Refused, with nothing written, when the register is not open to the
    actor, the channel is not paper, the letter is dated in the future, or the file is not
    one the actor may see."""
    unit = next((u for u in register_units(actor) if u.pk == unit_id), None)
    if unit is None:
        raise NotFound(_("No such unit, or its dispatch register is not open to you."))
    if channel not in PAPER_CHANNELS:
        raise InvalidInput(_("A letter signed on paper goes by post, courier or hand."))
    values = {
        "letter_number": _text(letter_number, "letter_number", _("letter number")),
        "subject": _text(subject, "subject", _("subject")),
        "addressee": _text(addressee, "addressee", _("addressee")),
    }
    today = local_today(unit)
    if letter_date > today:
        raise InvalidInput(_("The letter cannot be dated in the future."))
    organisation = _addressee_organisation(organisation_id)
    file = _file(actor, file_id)
    post = _recording_post(actor, unit)
    year = today.year
    serial, number = dispatch_number_take(unit, year)
    letter = PaperLetter.objects.create(
        unit=unit,
        year=year,
        serial=serial,
        number=number,
        letter_date=letter_date,
        file=file,
        organisation=organisation,
        channel=channel,
        recorded_by=actor,
        recorded_post=post,
        recorded_at=clock.now(),
        **values,
    )
    event_record(
        actor=actor,
        action="dispatch.paper_record",
        obj=letter,
        post=post,
        after={
            "number": number,
            "unit": unit.code,
            "letter_date": letter_date.isoformat(),
            "channel": channel,
            "organisation": organisation.code if organisation else None,
            "file": file.number if file else None,
            **values,
        },
    )
    return letter


# --- The register's paper rows --------------------------------------------------------------


@dataclass(frozen=True)
class PaperRow:
    letter: PaperLetter
    subject: str  # empty when withheld
    withheld: bool
    paper: bool = True  # tells the register template this row from an electronic one

    @property
    def channel_label(self) -> str:
        return str(Channel(self.letter.channel).label)


def paper_register_of(actor: User, unit: OrgUnit, year: int) -> list[PaperRow]:
    """The unit's letters signed on paper in ``year``, newest first, in one query; the
    subject is withheld when the letter's file is graded above the reader's clearance."""
    letters = (
        PaperLetter.objects.filter(unit=unit, year=year)
        .select_related("file", "organisation", "recorded_post")
        .order_by("-serial")
    )
    rows = []
    for letter in letters:
        withheld = letter.file is not None and letter.file.classification > actor.clearance
        rows.append(PaperRow(letter, "" if withheld else letter.subject, withheld))
    return rows
