"""Signing an approved draft and issuing the signed letter (docs/dispatch.md).

``draft_sign``: the approved version becomes the fair copy — rendered, signed by the signing
officer with their personal certificate and sealed by the organisation in the same step — and
is kept as a stored document; the draft is SIGNED. ``letter_issue``: the signed letter gets a
dispatch number (gap-free per issuing unit and year), its office copy goes on the file's
correspondence side with a final entry in the notes, and one Delivery per addressee is made;
after the commit each goes out (``delivery``). Each owns its durable transaction and writes
its audit event in it. Locks: the file, then the draft (``draft_for_actor``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from daftar.dispatch.delivery import delivery_run
from daftar.dispatch.models import (
    PAPER_CHANNELS,
    Channel,
    Delivery,
    Dispatch,
    FairCopy,
    PaperLetter,
)
from daftar.dispatch.stored import pdf_keep
from daftar.drafting.models import Addressee, AddresseeKind, Draft, DraftStatus
from daftar.drafting.render import fair_copy_pdf
from daftar.drafting.selectors import draft_for_actor
from daftar.drafting.services import draft_status_set
from daftar.files.correspondence import office_copy_put
from daftar.files.models import Classification, FileStatus
from daftar.files.services import held_post
from daftar.lib import clock
from daftar.lib.errors import Conflict, InvalidInput
from daftar.org.models import OrgUnit, Post, User
from daftar.org.roles import permission_require
from daftar.org.selectors import organisation_of, post_ids_held
from daftar.org.services import sequence_next
from daftar.releases.models import ReleasePurpose
from daftar.releases.services import release_check
from daftar.signing.api import (
    pdf_seal,
    pdf_sign,
    signer_confirm,
    verification_token_new,
    verification_url,
)

SIGN_PERMISSION = "files.sign_document"
ISSUE_PERMISSION = "drafting.issue_letter"


def local_today(unit: OrgUnit) -> dt.date:
    """Today in the time zone of the organisation ``unit`` belongs to."""
    return clock.now().astimezone(ZoneInfo(organisation_of(unit).time_zone)).date()


# --- Signing -------------------------------------------------------------------------------


def _signable(actor: User, draft_id: int, *, for_update: bool) -> tuple[Draft, Post]:
    """The draft the actor may sign now, and the post they sign from; else the reason."""
    permission_require(actor, SIGN_PERMISSION)
    draft = draft_for_actor(actor, draft_id, for_update=for_update)
    if draft.status != DraftStatus.APPROVED or draft.approved_version is None:
        raise Conflict(
            _("%(draft)s is %(status)s: only an approved draft can be signed.")
            % {"draft": draft.label, "status": draft.get_status_display().lower()}
        )
    if for_update:
        return draft, held_post(actor, draft.file)
    if draft.file.holder_id not in post_ids_held(actor):
        raise Conflict(
            _("This file is now with %(post)s, not with your post.") % {"post": draft.file.holder}
        )
    return draft, draft.file.holder


def draft_sign(*, actor: User, draft_id: int, secret: str) -> FairCopy:
    """Sign and seal the approved version of a draft: its fair copy, kept as a document.

    The signer is re-confirmed first (``signer_confirm``: password or authenticator code),
    before any lock is taken; a wrong secret changes nothing here (the signing app records
    and throttles the failure). Then, in one durable transaction: the fair copy is rendered
    with its letter number ("No. <file number>"), today's date in the organisation's time
    zone and a QR code of its verification page, signed, sealed and stored; the draft is
    SIGNED; ``draft.sign`` is audited."""
    _signable(actor, draft_id, for_update=False)  # say what is wrong before asking a secret
    signer_confirm(person=actor, secret=secret)
    with transaction.atomic(durable=True):
        draft, post = _signable(actor, draft_id, for_update=True)
        return _sign(actor, draft, post)


def _sign(actor: User, draft: Draft, post: Post) -> FairCopy:
    version = draft.approved_version
    if version is None:  # checked by _signable; kept for the type checker
        raise Conflict(_("There is no approved version to sign."))
    file = draft.file
    organisation = organisation_of(file.unit)
    letter_number = _("No. %(number)s") % {"number": file.number}
    letter_date = local_today(file.unit)
    token = verification_token_new()
    rendered = fair_copy_pdf(
        version,
        letter_number=letter_number,
        letter_date=letter_date,
        signer_name=actor.full_name,
        signer_designation=post.designation,
        verify_url=verification_url(token),
    )
    title = f"{letter_number} — {version.subject}"
    signed = pdf_sign(
        person=actor,
        post=post,
        pdf=rendered,
        reason=_("Signed: %(title)s") % {"title": title},
        token=token,
        title=title,
        classification=draft.classification,
    )
    sealed = pdf_seal(
        organisation=organisation,
        pdf=signed,
        reason=_("E-seal of %(organisation)s") % {"organisation": organisation.name},
        token=token,
    )
    document = pdf_keep(actor=actor, name=f"letter-{file.number}-{draft.label}.pdf", content=sealed)
    now = clock.now()
    fair_copy = FairCopy.objects.create(
        draft=draft,
        version=version,
        letter_number=letter_number,
        letter_date=letter_date,
        token=token,
        document=document,
        signed_by=actor,
        signed_post=post,
        signed_at=now,
    )
    draft_status_set(
        draft,
        DraftStatus.SIGNED,
        actor=actor,
        post=post,
        action="draft.sign",
        after={
            "version": version.number,
            "letter_number": letter_number,
            "letter_date": letter_date,
            "document": document.pk,
            "sha256": document.sha256,
            "token": token,
        },
    )
    return fair_copy


# --- Issue ---------------------------------------------------------------------------------


def dispatch_number(unit: OrgUnit, *, serial: int, year: int) -> str:
    """``D-17/2026-R&I``: the serial in the issuing unit's dispatch register of ``year``."""
    return f"D-{serial}/{year}-{unit.code}"


def dispatch_number_take(unit: OrgUnit, year: int) -> tuple[int, str]:
    """The next serial of ``unit``'s dispatch register of ``year`` and its number, in the
    caller's transaction: one gap-free series for letters signed electronically
    (``Dispatch``) and on paper (``PaperLetter``). Refused when the number is already on
    either (two units whose codes overlap)."""
    serial = sequence_next(key=f"dispatch:{unit.pk}:{year}")
    number = dispatch_number(unit, serial=serial, year=year)
    if (
        Dispatch.objects.filter(number=number).exists()
        or PaperLetter.objects.filter(number=number).exists()
    ):
        raise InvalidInput(
            _("Dispatch number %(number)s is taken; the unit codes overlap.") % {"number": number}
        )
    return serial, number


def channel_for(addressee: Addressee, chosen: Mapping[int, str]) -> str:
    """How a copy goes: on Daftar to an organisation inside the instance; by e-mail to an
    outside address; otherwise by post, or by the courier or hand the issuer chose."""
    if addressee.kind == AddresseeKind.INTERNAL:
        return Channel.INTERNAL
    if addressee.email:
        return Channel.EMAIL
    channel = chosen.get(addressee.pk, Channel.POST)
    if channel not in PAPER_CHANNELS:
        raise InvalidInput(
            _("%(addressee)s has no e-mail address: choose post, courier or hand.")
            % {"addressee": addressee.name}
        )
    return channel


def _issuable(actor: User, draft_id: int) -> tuple[Draft, Post, FairCopy]:
    permission_require(actor, ISSUE_PERMISSION)
    draft = draft_for_actor(actor, draft_id, for_update=True)
    post = held_post(actor, draft.file)
    if draft.status != DraftStatus.SIGNED:
        raise Conflict(
            _("%(draft)s is %(status)s: only a signed letter can be issued.")
            % {"draft": draft.label, "status": draft.get_status_display().lower()}
        )
    if draft.file.status == FileStatus.CLOSED:
        raise Conflict(_("The file is closed; reopen it before issuing a letter from it."))
    fair_copy = FairCopy.objects.select_related("document", "version").get(draft=draft)
    return draft, post, fair_copy


@transaction.atomic(durable=True)
def letter_issue(
    *, actor: User, draft_id: int, channels: Mapping[int, str] | None = None
) -> Dispatch:
    """Issue a signed letter: dispatch number, office copy and entry, one Delivery per
    addressee (``channels`` may choose courier or hand, by addressee id, for those without
    e-mail). A classified letter goes by e-mail only under a release of its file for e-mail
    (``release_check``): refused before anything is written. Deliveries run after commit."""
    draft, post, fair_copy = _issuable(actor, draft_id)
    addressees = list(fair_copy.version.addressees.select_related("organisation").order_by("order"))
    if not addressees:
        raise InvalidInput(_("The letter has no addressee."))
    planned = [(a, channel_for(a, channels or {})) for a in addressees]
    release = None
    if any(c == Channel.EMAIL for _a, c in planned) and (
        draft.classification > Classification.UNCLASSIFIED
    ):
        release = release_check(draft.file, ReleasePurpose.EMAIL)
    unit = post.unit
    year = local_today(unit).year
    serial, number = dispatch_number_take(unit, year)
    date = formats.date_format(fair_copy.letter_date, "j M Y")
    office_copy = office_copy_put(
        actor=actor,
        file=draft.file,
        post=post,
        document=fair_copy.document,
        title=f"{fair_copy.letter_number} — {fair_copy.version.subject}",
        entry=lambda flag: (
            _(
                "Letter %(letter)s dated %(date)s (%(draft)s) issued under dispatch no. "
                "%(number)s (office copy at F/%(flag)s)."
            )
            % {
                "letter": fair_copy.letter_number,
                "date": date,
                "draft": draft.label,
                "number": number,
                "flag": flag,
            }
        ),
    )
    dispatch = Dispatch.objects.create(
        fair_copy=fair_copy,
        unit=unit,
        year=year,
        serial=serial,
        number=number,
        issued_by=actor,
        issued_post=post,
        issued_at=office_copy.added_at,
        office_copy=office_copy,
    )
    deliveries = [
        Delivery.objects.create(
            dispatch=dispatch,
            addressee=addressee,
            channel=channel,
            email=addressee.email if channel == Channel.EMAIL else "",
        )
        for addressee, channel in planned
    ]
    draft_status_set(
        draft,
        DraftStatus.ISSUED,
        actor=actor,
        post=post,
        action="draft.issue",
        after={
            "dispatch": number,
            "letter_number": fair_copy.letter_number,
            "office_copy": office_copy.flag,
            "note": office_copy.note_id,
            "deliveries": [[d.pk, d.channel] for d in deliveries],
            **({"release": release.pk} if release else {}),
        },
    )
    for delivery in deliveries:
        if delivery.channel in (Channel.INTERNAL, Channel.EMAIL):
            transaction.on_commit(partial(delivery_run, delivery.pk), robust=True)
    return dispatch
