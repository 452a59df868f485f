"""State changes for the organisation chart. Each owns its transaction and audit event."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.files.models import Classification
from daftar.lib.errors import InvalidInput
from daftar.org.models import (
    Charge,
    ChargeKind,
    OrgUnit,
    Post,
    Sequence,
    UnitKind,
    User,
)
from daftar.org.validators import validate_official_email


def sequence_next(*, key: str) -> int:
    """Next value of a gap-free counter. Runs inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_next must run inside the caller's transaction")
    row = Sequence.objects.select_for_update().filter(key=key).first()
    if row is None:
        try:
            # The first number of a new key: two callers may race to create the row; the
            # loser's savepoint rolls back and it waits on the winner's lock below.
            with transaction.atomic():
                Sequence.objects.create(key=key, last_value=0)
        except IntegrityError:
            pass
        row = Sequence.objects.select_for_update().get(key=key)
    row.last_value += 1
    row.save(update_fields=["last_value"])
    return row.last_value


def _clean_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_official_email(email)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0]) from exc
    return email


@transaction.atomic(durable=True)
def person_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    password: str | None = None,
    is_staff: bool = False,
    clearance: int = Classification.RESTRICTED,
) -> User:
    email = _clean_email(email)
    if not full_name.strip():
        raise InvalidInput(_("A person needs a full name."))
    if clearance not in Classification.values:
        raise InvalidInput(_("Unknown clearance."))
    if User.objects.filter(email=email).exists():
        raise InvalidInput(_("%(email)s already has an account.") % {"email": email})
    person = User.objects.create_user(
        email, password, full_name=full_name.strip(), is_staff=is_staff, clearance=clearance
    )
    event_record(
        actor=actor,
        action="person.create",
        obj=person,
        after={"email": email, "full_name": person.full_name, "clearance": clearance},
    )
    return person


@transaction.atomic(durable=True)
def unit_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    time_zone: str = "Asia/Karachi",
) -> OrgUnit:
    if kind not in UnitKind.values:
        raise InvalidInput(_("Unknown unit kind %(kind)r.") % {"kind": kind})
    if OrgUnit.objects.filter(code=code).exists():
        raise InvalidInput(_("A unit with code %(code)r already exists.") % {"code": code})
    unit = OrgUnit.objects.create(
        code=code, name=name, kind=kind, parent=parent, time_zone=time_zone
    )
    event_record(
        actor=actor,
        action="unit.create",
        obj=unit,
        after={"code": code, "name": name, "kind": kind},
    )
    return unit


@transaction.atomic(durable=True)
def post_create(
    *,
    actor: User | None,
    unit: OrgUnit,
    code: str,
    designation: str,
    grade: int | None = None,
    reports_to: Post | None = None,
) -> Post:
    if Post.objects.filter(code=code).exists():
        raise InvalidInput(_("A post with code %(code)r already exists.") % {"code": code})
    if grade is not None and not 1 <= grade <= 22:
        raise InvalidInput(_("The grade (BPS) must be between 1 and 22."))
    post = Post.objects.create(
        unit=unit, code=code, designation=designation, grade=grade, reports_to=reports_to
    )
    event_record(
        actor=actor,
        action="post.create",
        obj=post,
        after={"code": code, "designation": designation, "unit": unit.code},
    )
    return post


@transaction.atomic(durable=True)
def charge_assign(
    *,
    actor: User | None,
    person: User,
    post: Post,
    start: dt.date,
    kind: str = ChargeKind.REGULAR,
    end: dt.date | None = None,
) -> Charge:
    if kind not in ChargeKind.values:
        raise InvalidInput(_("Unknown charge kind %(kind)r.") % {"kind": kind})
    if end is not None and end < start:
        raise InvalidInput(_("A charge cannot end before it starts."))
    charge = Charge.objects.create(person=person, post=post, kind=kind, start=start, end=end)
    event_record(
        actor=actor,
        action="charge.assign",
        obj=charge,
        post=post,
        after={"person": person.email, "post": post.code, "kind": kind, "start": start, "end": end},
    )
    return charge


@transaction.atomic(durable=True)
def charge_end(*, actor: User | None, charge_id: int, end: dt.date) -> Charge:
    charge = Charge.objects.select_for_update().get(pk=charge_id)
    if end < charge.start:
        raise InvalidInput(_("A charge cannot end before it starts."))
    before = {"end": charge.end}
    charge.end = end
    charge.save(update_fields=["end"])
    event_record(
        actor=actor,
        action="charge.end",
        obj=charge,
        post=charge.post,
        before=before,
        after={"end": end},
    )
    return charge
