"""Issuing a signed letter: the dispatch number, the office copy on the correspondence side
with its final entry, a delivery per addressee, the release rule for e-mail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from daftar.dispatch.models import Channel, Delivery, DeliveryStatus, Dispatch
from daftar.dispatch.services import letter_issue
from daftar.drafting.models import Draft, DraftStatus
from daftar.files.correspondence import correspondence_of, file_page
from daftar.files.models import CorrespondenceKind, File, NoteKind
from daftar.files.services import file_open
from daftar.lib import clock
from daftar.lib.errors import Conflict, NotFound
from daftar.movement.services import file_send
from daftar.org.models import Sequence
from daftar.org.roles import RoleRequired, roles_assign
from daftar.releases.models import ReleasePurpose
from daftar.releases.services import ReleaseRequired, release_grant
from tests.cast import Cast
from tests.conftest import last_event
from tests.dispatch.conftest import Planning, after, approved, signed, to_org, to_outside

Capture = Callable[..., Any]


def test_issue_numbers_places_the_office_copy_and_records_it(
    cast: Cast, file: File, approved_draft: Draft, django_capture_on_commit_callbacks: Capture
) -> None:
    fair_copy = signed(cast, approved_draft)
    with django_capture_on_commit_callbacks() as callbacks:  # deliveries: their own tests
        dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=approved_draft.pk)
    assert len(callbacks) == 2  # one on Daftar, one by e-mail
    year = clock.now().astimezone(dt.timezone(dt.timedelta(hours=5))).year
    assert dispatch.number == f"D-1/{year}-DEV"  # the DS's unit: the Development Wing
    assert (dispatch.unit, dispatch.serial, dispatch.year) == (cast.ds_post.unit, 1, year)
    approved_draft.refresh_from_db()
    assert approved_draft.status == DraftStatus.ISSUED

    (item,) = correspondence_of(file)
    assert item == dispatch.office_copy
    assert item.kind == CorrespondenceKind.OFFICE_COPY and item.flag == "A"
    assert item.document == fair_copy.document and item.receipt is None
    assert (item.first_page, item.page_count) == (1, 1)
    note = item.note
    assert note.is_final and note.kind == NoteKind.ENTRY
    assert f"issued under dispatch no. {dispatch.number}" in note.body
    assert "office copy at F/A" in note.body and fair_copy.letter_number in note.body
    page = file_page(cast.deputy_secretary, file.pk, 1)
    assert page.document_id == fair_copy.document_id

    deliveries = list(dispatch.deliveries.order_by("addressee__order"))
    assert [d.channel for d in deliveries] == [Channel.INTERNAL, Channel.EMAIL]
    assert all(d.status == DeliveryStatus.PENDING for d in deliveries)
    assert deliveries[1].email == "chairman@wapda.gov.pk"
    event = last_event(approved_draft, "draft.issue")
    assert event.actor == cast.deputy_secretary and event.post == cast.ds_post
    assert after(event)["dispatch"] == dispatch.number and after(event)["office_copy"] == "A"


def test_numbers_run_on_per_unit_and_year(cast: Cast, planning: Planning) -> None:
    numbers = []
    for n in range(3):
        file = file_open(
            actor=cast.assistant, post_id=cast.assistant_post.pk, subject=f"Dam scheme {n}"
        )
        draft = approved(cast, file, [to_org(planning.division)])
        signed(cast, draft)
        numbers.append(letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk).serial)
    assert numbers == [1, 2, 3]
    year = Dispatch.objects.first().year  # type: ignore[union-attr]
    seq = Sequence.objects.get(key=f"dispatch:{cast.ds_post.unit_id}:{year}")
    assert seq.last_value == 3


def test_the_year_is_the_organisations(cast: Cast, approved_draft: Draft) -> None:
    """1 January 01:00 in Karachi is 31 December in UTC: the dispatch is of the new year."""
    signed(cast, approved_draft)
    moment = dt.datetime(2027, 12, 31, 20, 0, tzinfo=dt.UTC)  # 01:00 on 1 Jan 2028 in PKT
    with clock.frozen_at(moment):
        dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=approved_draft.pk)
    assert dispatch.year == 2028 and dispatch.number == "D-1/2028-DEV"
    assert timezone.is_aware(dispatch.issued_at)


def test_only_a_signed_letter_held_by_the_issuer_is_issued(
    cast: Cast, file: File, approved_draft: Draft
) -> None:
    with pytest.raises(Conflict, match="only a signed letter"):
        letter_issue(actor=cast.deputy_secretary, draft_id=approved_draft.pk)
    signed(cast, approved_draft)
    with pytest.raises(NotFound):  # an officer of another division
        letter_issue(actor=cast.outsider, draft_id=approved_draft.pk)
    no_role = roles_assign(actor=None, person=cast.section_officer, roles=[])
    with pytest.raises(RoleRequired):
        letter_issue(actor=no_role, draft_id=approved_draft.pk)
    # The assistant may issue (dealing staff), once the file is back at their desk.
    with pytest.raises(Conflict, match="not with your post"):
        letter_issue(actor=cast.assistant, draft_id=approved_draft.pk)
    file_send(actor=cast.deputy_secretary, file_id=file.pk, to_post_id=cast.assistant_post.pk)
    dispatch = letter_issue(actor=cast.assistant, draft_id=approved_draft.pk)
    assert dispatch.issued_post == cast.assistant_post
    assert dispatch.unit == cast.assistant_post.unit
    with pytest.raises(Conflict, match="only a signed letter"):
        letter_issue(actor=cast.assistant, draft_id=approved_draft.pk)


def test_paper_channels_are_chosen_for_addressees_without_email(cast: Cast, file: File) -> None:
    draft = approved(
        cast,
        file,
        [to_outside(email="", name="The Chief Engineer"), to_outside(email="", name="DG")],
    )
    signed(cast, draft)
    first, second = draft.approved_version.addressees.order_by("order")  # type: ignore[union-attr]
    dispatch = letter_issue(
        actor=cast.deputy_secretary, draft_id=draft.pk, channels={second.pk: Channel.COURIER}
    )
    channels = dict(Delivery.objects.filter(dispatch=dispatch).values_list("addressee", "channel"))
    assert channels == {first.pk: Channel.POST, second.pk: Channel.COURIER}


def test_a_classified_letter_is_emailed_only_under_a_release(cast: Cast) -> None:
    file = file_open(
        actor=cast.assistant,
        post_id=cast.assistant_post.pk,
        subject="Security of the dam sites",
        classification=1,
    )
    draft = approved(cast, file, [to_outside()], classification=1)
    signed(cast, draft)
    with pytest.raises(ReleaseRequired, match="cannot be e-mailed"):
        letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk)
    assert not Dispatch.objects.exists()
    assert not Sequence.objects.filter(key__startswith="dispatch:", last_value__gt=0).exists()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SIGNED
    release = release_grant(
        actor=cast.deputy_secretary,
        obj=file,
        purpose=ReleasePurpose.EMAIL,
        reason="Reply to WAPDA on the scheme",
    )
    dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk)
    assert after(last_event(draft, "draft.issue"))["release"] == release.pk
    assert dispatch.deliveries.get().channel == Channel.EMAIL
