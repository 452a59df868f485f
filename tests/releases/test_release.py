"""Releasing classified items: who may grant a release, what is recorded, and the e-mailed
acknowledgement that is refused without one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from daftar.audit.models import AuditEvent
from daftar.files.models import Classification
from daftar.lib import clock
from daftar.lib.errors import InvalidInput, NotFound
from daftar.org.roles import RoleRequired
from daftar.receipts.acknowledge import receipt_acknowledge
from daftar.receipts.custody import receipt_send
from daftar.receipts.models import Receipt, Sender
from daftar.receipts.senders import sender_create
from daftar.receipts.shares import receipt_share
from daftar.releases.models import Release, ReleasePurpose
from daftar.releases.services import ReleaseRequired, release_check, release_grant
from tests.accounts.helpers import sign_in
from tests.cast import Cast
from tests.clearance import clear_for
from tests.conftest import last_event
from tests.receipts.conftest import register


@pytest.fixture(autouse=True)
def _outbox(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def sender(cast: Cast) -> Sender:
    return sender_create(
        actor=cast.registry_clerk,
        organisation="WAPDA",
        name="Chief Engineer (Dams)",
        email="ce.dams@wapda.gov.pk",
    )


@pytest.fixture
def secret(cast: Cast, sender: Sender) -> Receipt:
    """A Secret receipt diarised at the registry and sent up to the Section Officer."""
    clear_for(cast.registry_clerk, Classification.SECRET)
    clear_for(cast.section_officer, Classification.SECRET)
    receipt = register(cast, sender, classification=Classification.SECRET)
    receipt_send(actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.so_post.pk)
    return receipt


def test_a_classified_acknowledgement_is_not_emailed_without_a_release(
    cast: Cast, secret: Receipt
) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(ReleaseRequired, match="Secret: it cannot be e-mailed") as refused:
        receipt_acknowledge(actor=cast.registry_clerk, receipt_id=secret.pk)
    assert refused.value.status == 403
    assert mail.outbox == [] and AuditEvent.objects.count() == events
    # Printing the slip to post it by hand needs no release.
    printed = receipt_acknowledge(actor=cast.registry_clerk, receipt_id=secret.pk, email=False)
    assert printed.pdf.startswith(b"%PDF") and mail.outbox == []


def test_a_cleared_officer_releases_it_and_then_it_is_emailed(cast: Cast, secret: Receipt) -> None:
    release = release_grant(
        actor=cast.section_officer,
        obj=secret,
        purpose=ReleasePurpose.EMAIL,
        reason="  The sender  asked for the diary number. ",
    )
    assert release.granted_by == cast.section_officer
    assert release.classification == Classification.SECRET
    assert release.reason == "The sender asked for the diary number."
    event = last_event(secret, "release.grant")
    assert event.actor == cast.section_officer
    assert event.after == {
        "release": release.pk,
        "purpose": "email",
        "classification": Classification.SECRET,
        "reason": "The sender asked for the diary number.",
    }

    result = receipt_acknowledge(actor=cast.registry_clerk, receipt_id=secret.pk)
    assert result.emailed_to == "ce.dams@wapda.gov.pk" and len(mail.outbox) == 1
    after = last_event(secret, "receipt.acknowledge").after
    assert after is not None and after["release"] == release.pk
    # An e-mail release does not cover an export.
    with pytest.raises(ReleaseRequired, match="cannot be exported"):
        release_check(secret, ReleasePurpose.EXPORT)


def test_an_upgrade_after_the_release_needs_a_new_one(cast: Cast, secret: Receipt) -> None:
    release_grant(
        actor=cast.section_officer, obj=secret, purpose=ReleasePurpose.EMAIL, reason="Asked."
    )
    assert release_check(secret, ReleasePurpose.EMAIL) is not None
    Receipt.objects.filter(pk=secret.pk).update(classification=Classification.TOP_SECRET)
    secret.refresh_from_db()
    with pytest.raises(ReleaseRequired, match="Top Secret"):
        release_check(secret, ReleasePurpose.EMAIL)


def test_unclassified_items_need_no_release(cast: Cast, sender: Sender) -> None:
    plain = register(cast, sender)
    receipt_send(actor=cast.registry_clerk, receipt_id=plain.pk, to_post_id=cast.so_post.pk)
    assert release_check(plain, ReleasePurpose.EMAIL) is None
    with pytest.raises(InvalidInput, match="not classified"):
        release_grant(
            actor=cast.section_officer, obj=plain, purpose=ReleasePurpose.EMAIL, reason="x"
        )
    assert receipt_acknowledge(actor=cast.registry_clerk, receipt_id=plain.pk).emailed_to


@pytest.mark.parametrize(
    ("who", "error", "message"),
    [
        ("registry_clerk", RoleRequired, "Officer"),  # cleared, but not an officer
        # Holds it, cleared lower: the rule already hides it from them (docs/access.md).
        ("section_officer", NotFound, "No such receipt"),
        ("outsider", NotFound, "No such receipt"),  # an officer of another Division
    ],
)
def test_only_a_cleared_officer_who_sees_it_may_release(
    cast: Cast, secret: Receipt, who: str, error: type[Exception], message: str
) -> None:
    clear_for(cast.outsider, Classification.TOP_SECRET)
    clear_for(cast.section_officer, Classification.CONFIDENTIAL)
    with pytest.raises(error, match=message):
        release_grant(
            actor=getattr(cast, who), obj=secret, purpose=ReleasePurpose.EMAIL, reason="Asked."
        )
    assert not Release.objects.exists()
    assert not AuditEvent.objects.filter(action="release.grant").exists()


@pytest.mark.parametrize(
    ("purpose", "reason", "message"),
    [
        ("fax", "Asked.", "e-mail or export"),
        ("email", "   ", "Give the reason"),
        ("export", "x" * 1001, "longer than 1000"),
    ],
)
def test_bad_input_is_refused_and_records_nothing(
    cast: Cast, secret: Receipt, purpose: str, reason: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        release_grant(actor=cast.section_officer, obj=secret, purpose=purpose, reason=reason)
    assert not Release.objects.exists()


# --- On the receipt page ---------------------------------------------------------------------


def test_an_officer_records_a_release_on_the_receipt_page(
    cast: Cast, secret: Receipt, client: Client
) -> None:
    page = reverse("receipt-detail", args=[secret.pk])
    sign_in(client, cast.registry_clerk)
    assert reverse("receipt-release", args=[secret.pk]) not in client.get(page).content.decode()
    refused = client.post(reverse("receipt-acknowledge-email", args=[secret.pk]))
    assert refused.status_code == 403 and "cannot be e-mailed" in refused.content.decode()
    denied = client.post(
        reverse("receipt-release", args=[secret.pk]), {"purpose": "email", "reason": "Asked."}
    )
    assert denied.status_code == 403 and not Release.objects.exists()

    sign_in(client, cast.section_officer)
    assert reverse("receipt-release", args=[secret.pk]) in client.get(page).content.decode()
    blank = client.post(reverse("receipt-release", args=[secret.pk]), {"purpose": "email"})
    assert blank.status_code == 400 and not Release.objects.exists()
    done = client.post(
        reverse("receipt-release", args=[secret.pk]),
        {"purpose": "email", "reason": "The sender <b>asked</b>."},
    )
    assert done.status_code == 302
    shown = client.get(page).content.decode()
    assert "Released for e-mail to an outside address at Secret" in shown
    assert "The sender &lt;b&gt;asked&lt;/b&gt;." in shown

    sign_in(client, cast.registry_clerk)
    sent = client.post(reverse("receipt-acknowledge-email", args=[secret.pk]))
    assert sent.status_code == 302 and len(mail.outbox) == 1


def test_a_reader_through_a_share_may_not_release_but_an_officer_above_may(
    cast: Cast, secret: Receipt
) -> None:
    """Releasing is a decision about the item: sight through a share is not enough."""
    clear_for(cast.outsider, Classification.SECRET)
    receipt_share(
        actor=cast.section_officer,
        receipt_id=secret.pk,
        post_id=cast.outsider_post.pk,
        until=clock.now().date() + dt.timedelta(days=3),
        reason="Budget to advise",
    )
    with pytest.raises(InvalidInput, match="holds this item, or an officer above it"):
        release_grant(
            actor=cast.outsider, obj=secret, purpose=ReleasePurpose.EMAIL, reason="Asked."
        )
    assert not Release.objects.exists()
    release_grant(
        actor=cast.deputy_secretary, obj=secret, purpose=ReleasePurpose.EMAIL, reason="Asked."
    )
    assert Release.objects.get().granted_by == cast.deputy_secretary


def test_the_release_form_is_offered_only_to_those_in_charge(
    cast: Cast, secret: Receipt, client: Client
) -> None:
    """A reader through a share, though an officer cleared for the grade, is not offered the
    form (the service would refuse them); the holder is."""
    clear_for(cast.outsider, Classification.SECRET)
    receipt_share(
        actor=cast.section_officer,
        receipt_id=secret.pk,
        post_id=cast.outsider_post.pk,
        until=clock.now().date() + dt.timedelta(days=3),
        reason="Budget to advise",
    )
    page = reverse("receipt-detail", args=[secret.pk])
    release = reverse("receipt-release", args=[secret.pk])
    sign_in(client, cast.outsider)
    shown = client.get(page)
    assert shown.status_code == 200 and release not in shown.content.decode()
    sign_in(client, cast.section_officer)
    assert release in client.get(page).content.decode()
