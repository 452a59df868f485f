"""The clerk's screens for e-mail drafts: the drafts waiting at one's posts, a draft with its
message and documents, completing it into an e-mail receipt and discarding it."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from playwright.sync_api import expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from daftar.audit.models import AuditEvent
from daftar.documents.services import document_store
from daftar.documents.storage import blob_store
from daftar.lib import clock
from daftar.mailroom.models import (
    IncomingAttachment,
    IncomingMail,
    IncomingStatus,
    Mailbox,
    TlsMode,
)
from daftar.org.models import Post, User
from daftar.org.roles import roles_assign
from daftar.org.selectors import organisation_of
from daftar.receipts.models import Mode, Receipt, Sender
from daftar.receipts.senders import sender_create
from tests.cast import Cast
from tests.documents.samples import text_pdf
from tests.web.conftest import count_queries, text_of
from tests.web.test_browser_cycle import CHROMIUM_ARGS, Watch, log_in, shot

Login = Callable[[User], Client]
_ids = itertools.count(1)

BODY = "Sir,\nPlease find the release order attached.\nTariq Mahmood"
REFUSAL = "Plain text files are not accepted."


@pytest.fixture(autouse=True)
def own_blobs(blob_root: Path) -> Path:
    return blob_root


def mailbox_for(cast: Cast, post: Post) -> Mailbox:
    n = next(_ids)
    return Mailbox.objects.create(
        unit=post.unit,
        name=f"box{n}@mowr.gov.pk",
        host="mail.mowr.gov.pk",
        port=993,
        tls=TlsMode.SSL,
        username=f"box{n}",
        password_env="DAFTAR_IMAP_PASSWORD_REGISTRY",
        post=post,
    )


def raw_message(subject: str, from_address: str) -> bytes:
    message = EmailMessage()
    message["From"] = f"Tariq Mahmood <{from_address}>"
    message["To"] = "registry@mowr.gov.pk"
    message["Subject"] = subject
    message.set_content(BODY)
    return message.as_bytes()


def make_draft(
    cast: Cast,
    mailbox: Mailbox,
    *,
    subject: str = "Release of funds for Satpara dam",
    from_address: str = "chief.water@pc.gov.pk",
    received: dt.datetime | None = None,
    holder: User | None = None,
) -> IncomingMail:
    """A draft as ``mail_fetch`` leaves it: the raw message in the blob store, the message as
    PDF, one attachment kept and one refused."""
    holder = holder or cast.registry_clerk
    raw = raw_message(subject, from_address)
    printed = document_store(actor=holder, name="email.pdf", content=text_pdf([subject]))
    kept = document_store(
        actor=holder, name="release-order.pdf", content=text_pdf(["Release order"])
    )
    received = received or clock.now()
    incoming = IncomingMail.objects.create(
        mailbox=mailbox,
        message_id=f"<{next(_ids)}@pc.gov.pk>",
        post=mailbox.post,
        from_name="Tariq Mahmood",
        from_address=from_address,
        subject=subject,
        sent_at=received - dt.timedelta(hours=1),
        body_text=BODY,
        raw_sha256=blob_store().put(raw),
        raw_size=len(raw),
        message_document=printed,
        created_at=received,
    )
    IncomingAttachment.objects.create(
        incoming=incoming,
        order=1,
        filename="release-order.pdf",
        content_type="application/pdf",
        size=kept.size,
        document=kept,
    )
    IncomingAttachment.objects.create(
        incoming=incoming,
        order=2,
        filename="notes.txt",
        content_type="text/plain",
        size=22,
        refusal=REFUSAL,
    )
    return incoming


@pytest.fixture
def registry_box(cast: Cast) -> Mailbox:
    return mailbox_for(cast, cast.registry_post)


@pytest.fixture
def draft(cast: Cast, registry_box: Mailbox) -> IncomingMail:
    return make_draft(cast, registry_box)


def complete_data(**overrides: str) -> dict[str, str]:
    data = {
        "subject": "Release of funds for Satpara dam",
        "received_on": "2026-03-02",
        "letter_number": "PC/W/2026/114",
        "letter_date": "2026-03-01",
        "language": "en",
        "priority": "1",
        "classification": "1",
        "new_name": "Tariq Mahmood",
        "new_organisation": "Planning Commission",
        "new_email": "chief.water@pc.gov.pk",
        "to_post": "",
    }
    data.update(overrides)
    return data


def state() -> tuple[int, int, int, list[str]]:
    return (
        Receipt.objects.count(),
        Sender.objects.count(),
        AuditEvent.objects.exclude(action__startswith="accounts.").count(),  # not logins
        sorted(IncomingMail.objects.values_list("status", flat=True)),
    )


# --- The list ---------------------------------------------------------------------------------


def test_list_shows_the_drafts_waiting_at_ones_posts_newest_first(
    cast: Cast, login: Login, registry_box: Mailbox
) -> None:
    now = clock.now()
    older = make_draft(cast, registry_box, subject="Older letter", received=now - dt.timedelta(1))
    newer = make_draft(cast, registry_box, subject="Newer letter", received=now)
    elsewhere = make_draft(
        cast,
        mailbox_for(cast, cast.outsider_post),
        subject="Budget call letter",
        holder=cast.outsider,
    )
    done = make_draft(cast, registry_box, subject="Dealt with already")
    IncomingMail.objects.filter(pk=done.pk).update(status=IncomingStatus.DISCARDED)

    page = text_of(login(cast.registry_clerk).get(reverse("mail-list")))

    assert "Newer letter" in page and "Older letter" in page
    assert page.index("Newer letter") < page.index("Older letter")
    assert reverse("mail-detail", args=[newer.pk]) in page
    assert reverse("mail-detail", args=[older.pk]) in page
    assert "Budget call letter" not in page and "Dealt with already" not in page
    assert "Registry Clerk" in page and "chief.water@pc.gov.pk" in page
    assert "1 refused" in page  # the refused attachment is flagged

    # A post with a mailbox of its own: its holder needs the mail role to see the drafts.
    roles_assign(actor=None, person=cast.outsider, roles=["officer", "registry_clerk"])
    other = text_of(login(cast.outsider).get(reverse("mail-list")))
    assert "Budget call letter" in other and reverse("mail-detail", args=[elsewhere.pk]) in other
    assert "Newer letter" not in other
    officer = login(cast.section_officer).get(reverse("mail-list"))  # no mail role
    assert officer.status_code == 403 and "Newer letter" not in text_of(officer)


def test_list_needs_login(client: Client) -> None:
    response = client.get(reverse("mail-list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_list_queries_do_not_grow_with_the_drafts(
    cast: Cast, login: Login, registry_box: Mailbox
) -> None:
    client = login(cast.registry_clerk)
    make_draft(cast, registry_box)
    client.get(reverse("mail-list"))
    few, _ = count_queries(client, reverse("mail-list"))
    for n in range(4):
        make_draft(cast, registry_box, subject=f"Letter {n}")
    many, sql = count_queries(client, reverse("mail-list"))
    assert many == few, "\n".join(sql)
    assert few <= 8, few


# --- The draft --------------------------------------------------------------------------------


def test_draft_page_shows_the_message_its_documents_and_a_prefilled_form(
    cast: Cast, login: Login, draft: IncomingMail
) -> None:
    response = login(cast.registry_clerk).get(reverse("mail-detail", args=[draft.pk]))

    page = text_of(response)
    assert response.status_code == 200
    assert "Please find the release order attached.<br>Tariq Mahmood" in page
    assert "release-order.pdf" in page and "notes.txt" in page
    assert escape(REFUSAL) in page and "22\xa0bytes" in page
    assert reverse("mail-raw", args=[draft.pk]) in page
    # Prefilled from the message: the subject, the day it arrived, a new sender from From.
    assert 'value="Release of funds for Satpara dam"' in page
    zone = ZoneInfo(organisation_of(cast.registry).time_zone)
    received = clock.now().astimezone(zone).date().isoformat()  # the office's day
    assert f'name="received_on" value="{received}"' in page
    assert 'name="new_name" value="Tariq Mahmood"' in page
    assert 'name="new_email" value="chief.water@pc.gov.pk"' in page
    assert reverse("mail-complete", args=[draft.pk]) in page
    assert reverse("mail-discard", args=[draft.pk]) in page
    assert "<script>" not in page and "style=" not in page  # CSP: nothing inline


def test_draft_page_picks_the_sender_with_the_from_address(
    cast: Cast, login: Login, draft: IncomingMail
) -> None:
    known = sender_create(
        actor=cast.registry_clerk,
        organisation="Planning Commission",
        name="Tariq Mahmood",
        email="Chief.Water@pc.gov.pk",
    )

    page = text_of(login(cast.registry_clerk).get(reverse("mail-detail", args=[draft.pk])))

    assert f'name="sender" value="{known.pk}" checked' in page
    assert 'name="new_email" value="chief.water' not in page


def test_the_original_message_downloads_as_eml(
    cast: Cast, login: Login, draft: IncomingMail
) -> None:
    response = login(cast.registry_clerk).get(reverse("mail-raw", args=[draft.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert f'filename="email-{draft.pk}.eml"' in response["Content-Disposition"]
    assert response.content == blob_store().read(draft.raw_sha256)


def test_outsiders_get_404_everywhere_and_change_nothing(
    cast: Cast, login: Login, draft: IncomingMail
) -> None:
    roles_assign(actor=None, person=cast.outsider, roles=["officer", "registry_clerk"])
    before = state()
    for user in (cast.outsider, cast.section_officer):
        client = login(user)
        if user == cast.section_officer:  # no mail role: refused before any draft is looked up
            for name in ("mail-detail", "mail-raw", "mail-complete", "mail-discard"):
                assert client.post(reverse(name, args=[draft.pk])).status_code == 403
            continue
        assert client.get(reverse("mail-detail", args=[draft.pk])).status_code == 404
        assert client.get(reverse("mail-raw", args=[draft.pk])).status_code == 404
        response = client.post(reverse("mail-complete", args=[draft.pk]), complete_data())
        assert response.status_code == 404
        response = client.post(reverse("mail-discard", args=[draft.pk]), {"reason": "spam"})
        assert response.status_code == 404
    clerk = login(cast.registry_clerk)
    assert clerk.get(reverse("mail-detail", args=[999_999])).status_code == 404
    assert clerk.get(f"/mail/{2**70}/").status_code == 404  # past any id: not a DB error
    assert state() == before


# --- Completing -------------------------------------------------------------------------------


def test_completing_makes_an_email_receipt_and_shows_it(
    cast: Cast, login: Login, draft: IncomingMail
) -> None:
    response = login(cast.registry_clerk).post(
        reverse("mail-complete", args=[draft.pk]), complete_data()
    )

    receipt = Receipt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("receipt-detail", args=[receipt.pk])
    assert receipt.mode == Mode.EMAIL
    assert receipt.subject == "Release of funds for Satpara dam"
    assert receipt.letter_number == "PC/W/2026/114"
    assert receipt.received_on == dt.date(2026, 3, 2)
    assert receipt.holder == cast.registry_post
    assert (receipt.sender.organisation, receipt.sender.email) == (
        "Planning Commission",
        "chief.water@pc.gov.pk",
    )
    draft.refresh_from_db()
    assert draft.status == IncomingStatus.REGISTERED and draft.receipt == receipt
    shown = login(cast.registry_clerk).get(response["Location"])
    assert shown.status_code == 200 and escape(receipt.diary_number) in text_of(shown)
    # The draft page now says where it went, and offers no forms.
    page = text_of(login(cast.registry_clerk).get(reverse("mail-detail", args=[draft.pk])))
    assert escape(receipt.diary_number) in page and 'id="complete-form"' not in page
    assert "Release of funds" not in text_of(login(cast.registry_clerk).get(reverse("mail-list")))


def test_completing_with_a_known_sender_and_sending_on(
    cast: Cast, login: Login, draft: IncomingMail
) -> None:
    known = sender_create(actor=cast.registry_clerk, name="Tariq Mahmood")
    data = complete_data(
        sender=str(known.pk),
        new_name="",
        new_organisation="",
        new_email="",
        to_post=str(cast.so_post.pk),
        send_remarks="For necessary action",
    )

    response = login(cast.registry_clerk).post(reverse("mail-complete", args=[draft.pk]), data)

    receipt = Receipt.objects.get()
    assert response.status_code == 302
    assert receipt.sender == known and Sender.objects.count() == 1
    assert receipt.holder == cast.so_post and receipt.mode == Mode.EMAIL


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"subject": ""}, "A receipt needs a subject."),
        ({"received_on": "yesterday"}, "Enter the date as YYYY-MM-DD."),
        ({"new_name": "", "new_organisation": "", "new_email": ""}, "Choose the sender"),
        ({"sender": "1"}, "not both"),
        ({"due_on": "2026-04-01"}, "A reply date goes with sending"),
        ({"to_post": "abc"}, "Choose the post to send the receipt to."),
        ({"letter_date": "2026-03-05"}, "The letter is dated after it was received."),
        ({"new_email": "not-an-address"}, "Enter a valid e-mail address"),
    ],
)
def test_a_bad_form_changes_nothing(
    cast: Cast, login: Login, draft: IncomingMail, overrides: dict[str, str], message: str
) -> None:
    before = state()

    response = login(cast.registry_clerk).post(
        reverse("mail-complete", args=[draft.pk]), complete_data(**overrides)
    )

    assert response.status_code == 400
    assert message in text_of(response)
    assert 'id="complete-form"' in text_of(response)  # the form again, with the entries
    assert state() == before


def test_a_refused_registration_is_a_message_not_a_500(
    cast: Cast, login: Login, draft: IncomingMail
) -> None:
    """The form is fine but the service refuses: its message on the page, its status."""
    known = sender_create(actor=cast.registry_clerk, name="Tariq Mahmood")
    data = complete_data(sender=str(known.pk), new_name="", new_organisation="", new_email="")
    data.update(received_on="2999-01-01", letter_date="")
    before = state()

    response = login(cast.registry_clerk).post(reverse("mail-complete", args=[draft.pk]), data)

    assert response.status_code == 400
    page = text_of(response)
    assert "The date of receipt is in the future." in page and 'id="complete-form"' in page
    assert 'value="2999-01-01"' in page  # the entries survive
    assert state() == before


def test_the_sender_from_the_from_header_is_added_with_the_receipt(
    cast: Cast, login: Login, draft: IncomingMail
) -> None:
    """The new-sender fields as the message filled them: the service adds the sender in the
    receipt's transaction, so a refusal leaves nothing behind and a success makes one."""
    client = login(cast.registry_clerk)
    data = complete_data(new_organisation="", received_on="2999-01-01", letter_date="")
    before = state()

    refused = client.post(reverse("mail-complete", args=[draft.pk]), data)

    assert refused.status_code == 400 and state() == before
    data.update(received_on="2026-03-02")
    assert client.post(reverse("mail-complete", args=[draft.pk]), data).status_code == 302
    sender = Receipt.objects.get().sender
    assert (sender.name, sender.email, sender.organisation) == (
        "Tariq Mahmood",
        "chief.water@pc.gov.pk",
        "",
    )


def test_a_draft_dealt_with_is_a_conflict(cast: Cast, login: Login, draft: IncomingMail) -> None:
    client = login(cast.registry_clerk)
    assert client.post(reverse("mail-discard", args=[draft.pk]), {"reason": "spam"}).status_code
    before = state()

    again = client.post(reverse("mail-complete", args=[draft.pk]), complete_data())
    discard = client.post(reverse("mail-discard", args=[draft.pk]), {"reason": "spam again"})

    assert again.status_code == 409 and discard.status_code == 409
    assert "already been dealt with" in text_of(again)
    assert "already been dealt with" in text_of(discard)
    assert state() == before


# --- Discarding -------------------------------------------------------------------------------


def test_discarding_needs_a_reason(cast: Cast, login: Login, draft: IncomingMail) -> None:
    client = login(cast.registry_clerk)
    before = state()

    for reason in ("", "   "):
        response = client.post(reverse("mail-discard", args=[draft.pk]), {"reason": reason})
        assert response.status_code == 400
        assert "Say why the e-mail is discarded." in text_of(response)
    assert state() == before

    response = client.post(reverse("mail-discard", args=[draft.pk]), {"reason": "Spam"})

    assert response.status_code == 302 and response["Location"] == reverse("mail-list")
    draft.refresh_from_db()
    assert draft.status == IncomingStatus.DISCARDED and draft.discard_reason == "Spam"
    assert Receipt.objects.count() == 0
    page = text_of(client.get(reverse("mail-detail", args=[draft.pk])))
    assert "This e-mail was discarded." in page and 'id="discard-form"' not in page


# --- In a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_clerk_completes_an_email_draft_in_the_browser(
    live_server: LiveServer, settings: Settings, cast: Cast, registry_box: Mailbox
) -> None:
    """The list, the draft and the completion in Chromium: screenshots, no CSP violation and
    no request leaving the machine."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    draft = make_draft(cast, registry_box)
    make_draft(cast, registry_box, subject="Seminar on flood forecasting", from_address="x@y.pk")
    base = live_server.url
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        watch = Watch(page)
        try:
            log_in(page, base, cast.registry_clerk.email)
            page.goto(f"{base}{reverse('mail-list')}")
            expect(page.get_by_role("heading", name="E-mail drafts")).to_be_visible()
            expect(page.locator("tr.mail-draft")).to_have_count(2)
            shot(page, "m01-mail-drafts")

            page.get_by_role("link", name=draft.subject).click()
            expect(page.get_by_role("heading", name=draft.subject)).to_be_visible()
            expect(page.locator("main")).to_contain_text(REFUSAL)
            expect(page.locator("#id_new_email")).to_have_value("chief.water@pc.gov.pk")
            expect(page.locator("details.new-sender")).to_have_attribute("open", "")
            page.get_by_label("Organisation").fill("Planning Commission")
            send = page.locator("#send")
            with page.expect_response(lambda r: "/posts/search/" in r.url) as searched:
                send.get_by_placeholder("Search designation, section or name").fill("Section")
            assert searched.value.ok
            send.locator(
                "#post-options label.post-option", has_text="Section Officer (Development-I)"
            ).click()
            shot(page, "m02-mail-draft")
            page.get_by_role("button", name="Diarise as a receipt").click()

            expect(page.get_by_text("and sent to Section Officer (Development-I)")).to_be_visible()
            expect(page.get_by_role("heading", name=draft.subject)).to_be_visible()
            shot(page, "m03-receipt-from-email")
        finally:
            context.close()
            chromium.close()
    assert watch.outside == [], watch.outside
    assert watch.console_errors == [], watch.console_errors
    receipt = Receipt.objects.get()
    assert receipt.mode == Mode.EMAIL and receipt.holder == cast.so_post


def test_the_diarise_page_points_to_the_drafts_waiting(
    cast: Cast, login: Login, draft: IncomingMail
) -> None:
    html = text_of(login(cast.registry_clerk).get(reverse("receipt-new")))
    assert reverse("mail-list") in html and "1 e-mail to diarise" in html
    others = text_of(login(cast.assistant).get(reverse("receipt-new")))
    assert reverse("mail-list") not in others  # nothing waits at the assistant's post
