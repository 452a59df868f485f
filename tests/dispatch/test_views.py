"""The screens: sign, issue, the dispatch page, the signed PDF, the envelope label, the
register (its query count pinned), and who gets 403 or 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from daftar.dispatch.models import Channel, DeliveryStatus, Dispatch
from daftar.documents.selectors import document_bytes
from daftar.drafting.models import Draft, DraftStatus
from daftar.files.models import File
from daftar.files.services import file_open
from tests.accounts.helpers import sign_in
from tests.cast import PASSWORD, Cast
from tests.conftest import last_event
from tests.dispatch.conftest import Planning, approved, pdf_text, signed, to_org, to_outside

Capture = Callable[..., Any]


def client_of(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_sign_and_issue_through_the_screens(
    cast: Cast, approved_draft: Draft, django_capture_on_commit_callbacks: Capture
) -> None:
    ds = client_of(cast.deputy_secretary)
    sign_url = reverse("dispatch-sign", args=[approved_draft.pk])
    page = ds.get(sign_url)
    assert page.status_code == 200 and "Sign and seal" in page.content.decode()
    wrong = ds.post(sign_url, {"secret": "not-it"})
    assert wrong.status_code == 400 and "nothing was signed" in wrong.content.decode()
    approved_draft.refresh_from_db()
    assert approved_draft.status == DraftStatus.APPROVED
    done = ds.post(sign_url, {"secret": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("dispatch-issue", args=[approved_draft.pk])

    issue = ds.get(done["Location"])
    text = issue.content.decode()
    assert issue.status_code == 200
    assert "Planning Division" in text and "On Daftar" in text and "By e-mail" in text
    with django_capture_on_commit_callbacks(execute=True):
        issued = ds.post(done["Location"])
    dispatch = Dispatch.objects.get()
    assert issued["Location"] == reverse("dispatch-detail", args=[dispatch.pk])
    detail = ds.get(issued["Location"]).content.decode()
    assert dispatch.number in detail and "Signed PDF" in detail
    letter = ds.get(reverse("dispatch-letter", args=[dispatch.pk]))
    assert letter.status_code == 200
    assert b"".join(letter.streaming_content) == document_bytes(  # type: ignore[attr-defined]
        dispatch.fair_copy.document
    )
    # The office copy opens on the file like any other paper.
    file_page = ds.get(reverse("file-page", args=[approved_draft.file_id, 1]))
    assert file_page.status_code == 200
    assert "Office copy of a letter issued from this file" in file_page.content.decode()
    file_detail = ds.get(reverse("file-detail", args=[approved_draft.file_id])).content.decode()
    assert "OC" in file_detail and dispatch.fair_copy.letter_number in file_detail


def test_who_may_sign_and_see(cast: Cast, approved_draft: Draft) -> None:
    sign_url = reverse("dispatch-sign", args=[approved_draft.pk])
    assert client_of(cast.section_officer).get(sign_url).status_code == 403  # not a signer
    outsider = client_of(cast.outsider)
    assert outsider.get(reverse("dispatch-issue", args=[approved_draft.pk])).status_code == 404
    assert (
        client_of(cast.deputy_secretary).get(reverse("dispatch-sign", args=[987654])).status_code
        == 404
    )
    signed(cast, approved_draft)
    from daftar.dispatch.services import letter_issue

    dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=approved_draft.pk)
    for name in ("dispatch-detail", "dispatch-letter"):
        assert outsider.get(reverse(name, args=[dispatch.pk])).status_code == 404
        assert client_of(cast.deputy_secretary).get(reverse(name, args=[987654])).status_code == 404
    delivery = dispatch.deliveries.first()
    assert delivery is not None
    retry = reverse("dispatch-delivery-retry", args=[delivery.pk])
    assert outsider.post(retry).status_code == 404


def test_paper_copies_get_a_label_and_are_marked_sent(cast: Cast, file: File) -> None:
    draft = approved(cast, file, [to_outside(email="", name="The Chief Engineer")])
    signed(cast, draft)
    from daftar.dispatch.services import letter_issue

    dispatch = letter_issue(
        actor=cast.deputy_secretary,
        draft_id=draft.pk,
        channels={draft.approved_version.addressees.get().pk: Channel.COURIER},  # type: ignore[union-attr]
    )
    delivery = dispatch.deliveries.get()
    ds = client_of(cast.deputy_secretary)
    label = ds.get(reverse("dispatch-delivery-label", args=[delivery.pk]))
    assert label.status_code == 200 and label["Content-Type"] == "application/pdf"
    text = pdf_text(label.content)
    assert dispatch.number in text and "The Chief Engineer" in text and "Lahore" in text
    assert "BY COURIER" in text.upper()
    sent = ds.post(reverse("dispatch-delivery-sent", args=[delivery.pk]))
    assert sent.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.POSTED and delivery.delivered_at is not None
    assert last_event(dispatch, "dispatch.mark_sent").actor == cast.deputy_secretary
    again = ds.post(reverse("dispatch-delivery-sent", args=[delivery.pk]), follow=True)
    assert "already marked" in again.content.decode()


def test_a_classified_label_carries_the_grade(cast: Cast) -> None:
    file = file_open(
        actor=cast.assistant,
        post_id=cast.assistant_post.pk,
        subject="Dam security",
        classification=1,
    )
    draft = approved(cast, file, [to_outside(email="")], classification=1)
    signed(cast, draft)
    from daftar.dispatch.services import letter_issue

    delivery = letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk).deliveries.get()
    label = client_of(cast.deputy_secretary).get(
        reverse("dispatch-delivery-label", args=[delivery.pk])
    )
    text = pdf_text(label.content).upper()
    assert "RESTRICTED" in text and "TO BE OPENED BY THE ADDRESSEE ONLY" in text


def test_the_register_lists_a_units_dispatches_in_constant_queries(
    cast: Cast, planning: Planning, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    from daftar.dispatch.selectors import register_of
    from daftar.dispatch.services import letter_issue

    for n in range(2):
        file = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject=f"S{n}")
        draft = approved(cast, file, [to_org(planning.division)])
        signed(cast, draft)
        dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk)
    unit, year = cast.ds_post.unit, dispatch.year
    with django_assert_num_queries(1):
        rows = register_of(cast.deputy_secretary, unit, year)
        assert [r.dispatch.serial for r in rows] == [2, 1]
        assert [r.dispatch.fair_copy.draft.file.number for r in rows]
    page = client_of(cast.deputy_secretary).get(
        reverse("dispatch-register"), {"unit": unit.pk, "year": year}
    )
    assert page.status_code == 200 and dispatch.number in page.content.decode()
    # The registry clerk of the division reads every unit's register; the outsider has none
    # of this division's.
    clerk = client_of(cast.registry_clerk).get(
        reverse("dispatch-register"), {"unit": unit.pk, "year": year}
    )
    assert dispatch.number in clerk.content.decode()
    outsider = client_of(cast.outsider).get(
        reverse("dispatch-register"), {"unit": unit.pk, "year": year}
    )
    assert dispatch.number not in outsider.content.decode()
