"""Signed letters for the dispatch tests, made through the real services: the drafting
services write and approve the draft, the signing app's CA signs and seals it.

The cast's file goes to the Deputy Secretary (a signing officer), who approves and signs.
A second organisation, the Planning Division, has a Central Registry with a clerk: internal
deliveries are addressed to it. The Finance Division of the cast has no registry and no post
at its top: a delivery there fails.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pypdf import PdfReader

from daftar.audit.models import AuditEvent
from daftar.dispatch.models import FairCopy
from daftar.dispatch.services import draft_sign
from daftar.drafting.models import AddresseeKind, AddresseeRole, Draft, DraftKind
from daftar.drafting.services import AddresseeInput, draft_approve, draft_create
from daftar.files.models import File
from daftar.movement.services import file_send
from daftar.org import services as org
from daftar.org.models import OrgUnit, Post, UnitKind, User
from daftar.org.roles import roles_assign
from daftar.signing.models import Certificate
from tests.cast import PASSWORD, RESTR, Cast

BODY = "<p>I am directed to convey the approval of the competent authority.</p>"


@pytest.fixture(autouse=True)
def _authority(authority: Certificate) -> Certificate:
    return authority


class Planning:
    def __init__(self, division: OrgUnit, registry: OrgUnit, post: Post, clerk: User) -> None:
        self.division, self.registry, self.post, self.clerk = division, registry, post, clerk


@pytest.fixture
def planning(cast: Cast) -> Planning:
    gov = cast.division.parent
    division = org.unit_create(
        actor=None, code="PD", name="Planning Division", kind=UnitKind.DIVISION, parent=gov
    )
    registry = org.unit_create(
        actor=None,
        code="PD-R&I",
        name="Central Registry (Planning)",
        kind=UnitKind.REGISTRY,
        parent=division,
    )
    post = org.post_create(
        actor=None, unit=registry, code="PD-RC", designation="Diary Clerk (Planning)", grade=11
    )
    clerk = org.person_create(
        actor=None,
        email="diary@pc.gov.pk",
        full_name="Asad Ali",
        password=PASSWORD,
        clearance=RESTR,
    )
    org.charge_assign(actor=None, person=clerk, post=post, start=dt.date(2020, 1, 1))
    clerk = roles_assign(actor=None, person=clerk, roles=["registry_clerk"])
    return Planning(division, registry, post, User.objects.get(pk=clerk.pk))


def to_org(unit: OrgUnit) -> AddresseeInput:
    return AddresseeInput(kind=AddresseeKind.INTERNAL, organisation_id=unit.pk)


def to_outside(
    email: str = "chairman@wapda.gov.pk", name: str = "The Chairman", role: str = AddresseeRole.TO
) -> AddresseeInput:
    return AddresseeInput(
        kind=AddresseeKind.EXTERNAL,
        role=role,
        name=name,
        address="WAPDA House\nLahore",
        email=email,
    )


def approved(cast: Cast, file: File, addressees: list[AddresseeInput], **given: Any) -> Draft:
    """A draft written by the assistant and approved by the Deputy Secretary, who then holds
    the file."""
    values: dict[str, Any] = {
        "kind": DraftKind.LETTER,
        "language": "en",
        "classification": 0,
        "subject": "Release of funds for small dams",
        "body": BODY,
        "references": "",
        "enclosures": "",
        "addressees": addressees,
    }
    values.update(given)
    draft = draft_create(actor=cast.assistant, file_id=file.pk, **values)
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.ds_post.pk)
    assert draft.current_version is not None
    return draft_approve(
        actor=cast.deputy_secretary, draft_id=draft.pk, version_number=draft.current_version.number
    )


def signed(cast: Cast, draft: Draft) -> FairCopy:
    return draft_sign(actor=cast.deputy_secretary, draft_id=draft.pk, secret=PASSWORD)


@pytest.fixture
def approved_draft(cast: Cast, file: File, planning: Planning) -> Draft:
    return approved(cast, file, [to_org(planning.division), to_outside(role=AddresseeRole.COPY)])


def pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )


def after(event: AuditEvent) -> dict[str, Any]:
    """What an audit event recorded after the change."""
    recorded = event.after
    assert isinstance(recorded, dict)
    return recorded
