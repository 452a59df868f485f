"""The receipt screens: diarise (upload + register + send), the receipt page with its pages
shown in the browser, the holder's actions, and the receipts inbox on the desk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from daftar.documents.models import Document
from daftar.files.models import CorrespondenceItem, File
from daftar.lib import clock
from daftar.org.models import User
from daftar.org.roles import roles_assign
from daftar.receipts.custody import receipt_mark_read, receipt_send
from daftar.receipts.models import (
    Mode,
    Receipt,
    ReceiptAction,
    ReceiptMovement,
    ReceiptStatus,
    Sender,
)
from daftar.receipts.senders import sender_create
from tests.cast import Cast
from tests.conftest import last_event
from tests.documents.samples import ENGLISH_LINES, docx, scan, text_pdf, windows_program
from tests.receipts.conftest import register
from tests.web.conftest import count_queries, open_file, text_of

Login = Callable[[User], Client]


@pytest.fixture(autouse=True)
def own_blobs(blob_root: Path) -> Path:
    return blob_root


@pytest.fixture
def sender(cast: Cast) -> Sender:
    return sender_create(
        actor=cast.registry_clerk,
        organisation="Planning Commission",
        name="Tariq Mahmood",
        designation="Chief (Water)",
        email="chief.water@pc.gov.pk",
    )


def png_upload(name: str = "letter.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, scan(ENGLISH_LINES), content_type="image/png")


def today() -> dt.date:
    """Today in the organisation's time zone (the diary's)."""
    return clock.now().astimezone(ZoneInfo("Asia/Karachi")).date()


def diarise_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "subject": "Release of funds for Satpara dam",
        "received_on": today().isoformat(),
        "mode": Mode.POST,
        "letter_number": "F.4(12)/2026-Dev",
        "letter_date": today().isoformat(),
        "language": "en",
        "priority": "0",
        "classification": "0",
    }
    data.update(overrides)
    return data


def scanned_receipt(cast: Cast, sender: Sender, login: Login, **overrides: object) -> Receipt:
    """The registry clerk diarises a scanned letter through the screen."""
    response = login(cast.registry_clerk).post(
        reverse("receipt-new"),
        diarise_data(sender=sender.pk, documents=[png_upload()], **overrides),
    )
    assert response.status_code == 302, text_of(response)[:3000]
    return Receipt.objects.order_by("-id").first()  # type: ignore[return-value]


# --- Diarise -------------------------------------------------------------------------------


def test_diarise_screen_offers_sender_scan_and_send_to(cast: Cast, login: Login) -> None:
    html = text_of(login(cast.registry_clerk).get(reverse("receipt-new")))
    assert 'enctype="multipart/form-data"' in html
    assert reverse("sender-search") in html and reverse("post-search") in html
    assert 'name="documents"' in html and "multiple" in html
    assert "Keep it here for now" in html
    assert f'value="{today().isoformat()}"' in html  # received today, by default


def test_diarise_with_a_new_sender_uploads_registers_and_sends(cast: Cast, login: Login) -> None:
    client = login(cast.registry_clerk)
    response = client.post(
        reverse("receipt-new"),
        diarise_data(
            new_organisation="WAPDA",
            new_name="Khalid Javed",
            new_email="gm.water@wapda.gov.pk",
            documents=[png_upload("page1.png"), png_upload("page2.png")],
            to_post=cast.assistant_post.pk,
            send_remarks="Please deal with this.",
            due_on=(today() + dt.timedelta(days=7)).isoformat(),
            enclosures="PC-I (3 copies)",
        ),
    )
    receipt = Receipt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("receipt-detail", args=[receipt.pk])
    assert (
        receipt.sender.organisation == "WAPDA" and receipt.sender.email == "gm.water@wapda.gov.pk"
    )
    assert receipt.holder == cast.assistant_post and receipt.inbox_unread
    assert receipt.enclosures == "PC-I (3 copies)"
    names = [d.document.original_name for d in receipt.documents.order_by("order")]
    assert names == ["page1.png", "page2.png"]
    sent = ReceiptMovement.objects.get(receipt=receipt, from_post=cast.registry_post)
    assert sent.remarks == "Please deal with this." and sent.due_on == today() + dt.timedelta(7)
    assert last_event(receipt, "receipt.register").actor == cast.registry_clerk

    page = text_of(client.get(response["Location"]))
    number = escape(receipt.diary_number)
    assert f"Diarised as {number} and sent to Assistant (Development-I)." in page
    assert reverse("receipt-acknowledgement", args=[receipt.pk]) in page
    assert reverse("receipt-acknowledge-email", args=[receipt.pk]) in page


def test_diarise_a_paper_only_receipt_kept_here(cast: Cast, sender: Sender, login: Login) -> None:
    response = login(cast.registry_clerk).post(
        reverse("receipt-new"), diarise_data(sender=sender.pk, is_physical="on")
    )
    receipt = Receipt.objects.get()
    assert response.status_code == 302
    assert receipt.is_physical and receipt.holder == cast.registry_post
    assert not receipt.documents.exists()


def test_refused_upload_registers_nothing(cast: Cast, sender: Sender, login: Login) -> None:
    program = SimpleUploadedFile("scan.pdf", windows_program())
    response = login(cast.registry_clerk).post(
        reverse("receipt-new"),
        diarise_data(sender=sender.pk, documents=[png_upload(), program]),
    )
    assert response.status_code == 400
    html = text_of(response)
    assert "scan.pdf is" in html and "not accepted" in html
    assert not Receipt.objects.exists()
    # The form keeps what was typed and the chosen sender.
    assert "Release of funds for Satpara dam" in html
    assert f'value="{sender.pk}"' in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "Choose the sender from the list, or add a new one"),
        ({"sender": "1", "new_name": "X"}, "not both"),
        ({"sender": "1", "documents": []}, "Attach the scanned letter"),
        ({"sender": "1", "subject": ""}, "A receipt needs a subject."),
        ({"sender": "1", "due_on": "2099-01-01"}, "A reply date goes with sending"),
    ],
)
def test_diarise_form_errors_register_nothing(
    cast: Cast, sender: Sender, login: Login, overrides: dict[str, object], message: str
) -> None:
    data = diarise_data(**{"documents": [png_upload()], **overrides})
    if data.get("sender") == "1":
        data["sender"] = sender.pk
    response = login(cast.registry_clerk).post(reverse("receipt-new"), data)
    assert response.status_code == 400
    assert message in text_of(response)
    assert not Receipt.objects.exists()
    assert not Document.objects.exists()


def test_a_service_refusal_is_shown_with_its_status(
    cast: Cast, sender: Sender, login: Login
) -> None:
    future = (today() + dt.timedelta(days=3)).isoformat()
    response = login(cast.registry_clerk).post(
        reverse("receipt-new"), diarise_data(sender=sender.pk, is_physical="on", received_on=future)
    )
    assert response.status_code == 400
    assert "The date of receipt is in the future." in text_of(response)
    assert not Receipt.objects.exists()


def test_sender_search_partial(cast: Cast, sender: Sender, login: Login) -> None:
    client = login(cast.registry_clerk)
    html = text_of(client.get(reverse("sender-search"), {"q": "planning tariq"}))
    assert "Planning Commission" in html and f'value="{sender.pk}"' in html
    html = text_of(client.get(reverse("sender-search"), {"q": "nobody-like-this"}))
    assert "No sender matches" in html


# --- The receipt page ----------------------------------------------------------------------


def test_holder_opens_the_receipt_sees_its_pages_and_it_is_marked_read(
    cast: Cast, sender: Sender, login: Login
) -> None:
    receipt = scanned_receipt(cast, sender, login, to_post=cast.assistant_post.pk)
    document = receipt.documents.get().document
    client = login(cast.assistant)

    html = text_of(client.get(reverse("receipt-detail", args=[receipt.pk])))

    image_url = reverse("receipt-page-image", args=[receipt.pk, document.pk, 1])
    assert image_url in html
    assert "OCR" in html and "Planning Commission" in html
    assert "F.4(12)/2026-Dev" in html
    assert reverse("receipt-send", args=[receipt.pk]) in html
    assert reverse("receipt-return", args=[receipt.pk]) in html  # back to the registry
    assert reverse("receipt-open-file", args=[receipt.pk]) in html
    assert reverse("receipt-put-on-file", args=[receipt.pk]) in html
    assert reverse("receipt-close", args=[receipt.pk]) in html
    receipt.refresh_from_db()
    assert not receipt.inbox_unread
    assert last_event(receipt, "receipt.read").actor == cast.assistant

    image = client.get(image_url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert (
        client.get(reverse("receipt-page-image", args=[receipt.pk, document.pk, 2])).status_code
        == 404
    )


def test_outsiders_get_404_for_the_receipt_and_its_pages(
    cast: Cast, sender: Sender, login: Login
) -> None:
    receipt = scanned_receipt(cast, sender, login)
    document = receipt.documents.get().document
    outsider = login(cast.outsider)
    urls = [
        reverse("receipt-detail", args=[receipt.pk]),
        reverse("receipt-page-image", args=[receipt.pk, document.pk, 1]),
        reverse("receipt-document-original", args=[receipt.pk, document.pk]),
        reverse("receipt-file-choices", args=[receipt.pk]),
    ]
    for url in urls:
        assert outsider.get(url).status_code == 404, url
    for name in ("receipt-send", "receipt-close", "receipt-open-file", "receipt-pull-back"):
        response = outsider.post(reverse(name, args=[receipt.pk]), {"to_post": cast.so_post.pk})
        assert response.status_code == 404, name
    assert (
        login(cast.registry_clerk).get(reverse("receipt-detail", args=[999_999])).status_code == 404
    )
    # A document of another receipt is not reachable through this one.
    other = scanned_receipt(cast, sender, login)
    clerk = login(cast.registry_clerk)
    wrong = reverse("receipt-page-image", args=[other.pk, document.pk, 1])
    assert clerk.get(wrong).status_code == 404


def test_office_documents_are_offered_as_the_original(
    cast: Cast, sender: Sender, login: Login
) -> None:
    word = SimpleUploadedFile("note.docx", docx())
    clerk = login(cast.registry_clerk)
    clerk.post(reverse("receipt-new"), diarise_data(sender=sender.pk, documents=[word]))
    receipt = Receipt.objects.get()
    document = receipt.documents.get().document
    html = text_of(clerk.get(reverse("receipt-detail", args=[receipt.pk])))
    original = reverse("receipt-document-original", args=[receipt.pk, document.pk])
    assert original in html and "cannot be shown as pages" in html
    response = clerk.get(original)
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content).startswith(b"PK")
    assert 'filename="note.docx"' in response["Content-Disposition"]


def test_send_return_pull_back_and_close_through_the_screen(
    cast: Cast, sender: Sender, login: Login
) -> None:
    receipt = register(cast, sender)
    clerk = login(cast.registry_clerk)

    response = clerk.post(
        reverse("receipt-send", args=[receipt.pk]),
        {"to_post": cast.assistant_post.pk, "remarks": "For action."},
    )
    assert response.status_code == 302
    assert "box=receipts" in response["Location"]
    receipt.refresh_from_db()
    assert receipt.holder == cast.assistant_post

    # Before the assistant opens it, the registry can pull it back.
    html = text_of(clerk.get(reverse("receipt-detail", args=[receipt.pk])))
    assert reverse("receipt-pull-back", args=[receipt.pk]) in html
    assert clerk.post(reverse("receipt-pull-back", args=[receipt.pk])).status_code == 302
    receipt.refresh_from_db()
    assert receipt.holder == cast.registry_post
    assert last_event(receipt, "receipt.pull_back").actor == cast.registry_clerk

    clerk.post(reverse("receipt-send", args=[receipt.pk]), {"to_post": cast.assistant_post.pk})
    assistant = login(cast.assistant)
    response = assistant.post(
        reverse("receipt-return", args=[receipt.pk]), {"remarks": "Not ours: Budget's."}
    )
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.holder == cast.registry_post
    assert receipt.current_movement is not None
    assert receipt.current_movement.action == ReceiptAction.RETURN

    response = clerk.post(reverse("receipt-close", args=[receipt.pk]), {"remarks": "Filed."})
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.CLOSED
    closed = last_event(receipt, "receipt.close").after
    assert closed is not None and closed["remarks"] == "Filed."


def test_non_holders_hear_409_and_bad_input_400(cast: Cast, sender: Sender, login: Login) -> None:
    receipt = register(cast, sender)
    receipt_send(
        actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    receipt_mark_read(actor=cast.assistant, receipt_id=receipt.pk)
    # The clerk held it once: may see it, may not act (also with the role to open files).
    roles_assign(actor=None, person=cast.registry_clerk, roles=["registry_clerk", "dealing_staff"])
    clerk = login(cast.registry_clerk)
    for name, data in (
        ("receipt-send", {"to_post": cast.so_post.pk}),
        ("receipt-close", {}),
        ("receipt-open-file", {}),
        ("receipt-pull-back", {}),
    ):
        response = clerk.post(reverse(name, args=[receipt.pk]), data)
        assert response.status_code == 409, name
        assert "alert-danger" in text_of(response)
    assistant = login(cast.assistant)
    response = assistant.post(reverse("receipt-send", args=[receipt.pk]), {"to_post": "x"})
    assert response.status_code == 400
    assert "Choose the post to send the receipt to." in text_of(response)
    response = assistant.post(
        reverse("receipt-send", args=[receipt.pk]), {"to_post": cast.assistant_post.pk}
    )
    assert response.status_code == 400
    assert "already with this post" in text_of(response)


def test_open_a_new_file_with_the_receipt(cast: Cast, sender: Sender, login: Login) -> None:
    receipt = scanned_receipt(cast, sender, login, to_post=cast.assistant_post.pk)
    assistant = login(cast.assistant)
    response = assistant.post(reverse("receipt-open-file", args=[receipt.pk]), {"subject": ""})
    item = CorrespondenceItem.objects.get(receipt=receipt)
    assert response.status_code == 302
    assert response["Location"] == reverse("file-detail", args=[item.file_id])
    assert item.file.subject == receipt.subject and item.flag == "A" and item.kind == "puc"
    html = text_of(assistant.get(response["Location"]))
    assert "as its PUC (F/A)" in html
    assert reverse("file-page", args=[item.file_id, 1]) in html
    assert "No correspondence on this file yet." not in html
    # The receipt page now says which file it is on, and offers no actions.
    html = text_of(assistant.get(reverse("receipt-detail", args=[receipt.pk])))
    assert item.file.number in html
    assert reverse("receipt-send", args=[receipt.pk]) not in html


def test_put_on_a_file_chosen_from_the_files_held(cast: Cast, sender: Sender, login: Login) -> None:
    held = open_file(cast.assistant, cast.assistant_post, "Satpara dam: release of funds")
    open_file(cast.assistant, cast.assistant_post, "Tarbela fourth extension")
    receipt = register(cast, sender)
    receipt_send(
        actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    assistant = login(cast.assistant)

    choices = reverse("receipt-file-choices", args=[receipt.pk])
    html = text_of(assistant.get(choices, {"q": "satpara"}))
    assert held.number in html and "Tarbela" not in html
    html = text_of(assistant.get(choices, {"q": held.number}))
    assert f'value="{held.pk}"' in html

    response = assistant.post(reverse("receipt-put-on-file", args=[receipt.pk]), {"file": held.pk})
    assert response.status_code == 302
    item = CorrespondenceItem.objects.get(receipt=receipt)
    assert item.file == held and item.kind == "puc"
    # Someone else's file: refused, nothing put (409: the assistant sees the section's file,
    # by need to know, but does not hold it).
    other = register(cast, sender)
    receipt_send(actor=cast.registry_clerk, receipt_id=other.pk, to_post_id=cast.assistant_post.pk)
    so_file = open_file(cast.section_officer, cast.so_post, "Not the assistant's")
    response = assistant.post(reverse("receipt-put-on-file", args=[other.pk]), {"file": so_file.pk})
    assert response.status_code == 409
    assert not CorrespondenceItem.objects.filter(receipt=other).exists()


def test_acknowledgement_printed_and_emailed(cast: Cast, sender: Sender, login: Login) -> None:
    receipt = register(cast, sender)
    clerk = login(cast.registry_clerk)
    response = clerk.post(reverse("receipt-acknowledgement", args=[receipt.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]

    response = clerk.post(reverse("receipt-acknowledge-email", args=[receipt.pk]), follow=True)
    assert response.status_code == 200
    assert "e-mailed to chief.water@pc.gov.pk" in text_of(response)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["chief.water@pc.gov.pk"]
    # Someone who neither diarised nor holds it may not.
    outsider = login(cast.outsider)
    assert outsider.post(reverse("receipt-acknowledgement", args=[receipt.pk])).status_code == 404


# --- The desk --------------------------------------------------------------------------------


def test_receipts_tab_lists_unread_first_with_counts(
    cast: Cast, sender: Sender, login: Login
) -> None:
    seen = register(cast, sender, subject="Already seen receipt")
    receipt_send(actor=cast.registry_clerk, receipt_id=seen.pk, to_post_id=cast.assistant_post.pk)
    receipt_mark_read(actor=cast.assistant, receipt_id=seen.pk)
    fresh = register(cast, sender, subject="Fresh receipt")
    receipt_send(
        actor=cast.registry_clerk,
        receipt_id=fresh.pk,
        to_post_id=cast.assistant_post.pk,
        remarks="Urgent, please.",
    )
    client = login(cast.assistant)
    home = text_of(client.get(reverse("home")))
    assert "Receipts" in home and "box=receipts" in home
    html = text_of(client.get(reverse("home"), {"box": "receipts"}))
    assert html.index("Fresh receipt") < html.index("Already seen receipt")
    assert "Letter from Planning Commission" in html
    assert "marked by Registry Clerk" in html and "Urgent, please." in html
    assert reverse("receipt-detail", args=[fresh.pk]) in html
    assert "1 new" in html


def test_receipts_inbox_query_count_does_not_grow(cast: Cast, sender: Sender, login: Login) -> None:
    def send(n: int) -> None:
        for i in range(n):
            receipt = register(cast, sender, subject=f"Letter {i}")
            receipt_send(
                actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
            )

    client = login(cast.assistant)
    client.get(reverse("home"))
    url = f"{reverse('home')}?box=receipts"
    send(1)
    few, _ = count_queries(client, url)
    send(15)
    many, sql = count_queries(client, url)
    assert few == many, sql


def test_receipts_sent_box_shows_where_each_is_and_offers_pull_back(
    cast: Cast, sender: Sender, login: Login
) -> None:
    opened = register(cast, sender, subject="Opened by the assistant")
    receipt_send(actor=cast.registry_clerk, receipt_id=opened.pk, to_post_id=cast.assistant_post.pk)
    receipt_mark_read(actor=cast.assistant, receipt_id=opened.pk)
    waiting = register(cast, sender, subject="Not yet opened")
    receipt_send(
        actor=cast.registry_clerk,
        receipt_id=waiting.pk,
        to_post_id=cast.so_post.pk,
        remarks="For the SO.",
    )
    client = login(cast.registry_clerk)
    url = f"{reverse('home')}?box=receipts_sent"
    html = text_of(client.get(url))
    assert "Opened by the assistant" in html and "Not yet opened" in html
    assert "Now with <strong>Section Officer (Development-I)</strong>" in html
    assert "Not opened yet" in html and "For the SO." in html
    assert reverse("receipt-pull-back", args=[waiting.pk]) in html
    assert reverse("receipt-pull-back", args=[opened.pk]) not in html

    few, _ = count_queries(client, url)
    for i in range(8):
        more = register(cast, sender, subject=f"More {i}")
        receipt_send(
            actor=cast.registry_clerk, receipt_id=more.pk, to_post_id=cast.assistant_post.pk
        )
    many, sql = count_queries(client, url)
    assert few == many, sql


# --- Papers on the file ---------------------------------------------------------------------


def test_file_page_viewer_pages_through_the_papers(
    cast: Cast, sender: Sender, login: Login
) -> None:
    receipt = scanned_receipt(cast, sender, login, to_post=cast.assistant_post.pk)
    assistant = login(cast.assistant)
    assistant.post(reverse("receipt-open-file", args=[receipt.pk]))
    file = File.objects.get(correspondence__receipt=receipt)
    paper = register(cast, sender, is_physical=True, subject="Reminder on paper")
    receipt_send(actor=cast.registry_clerk, receipt_id=paper.pk, to_post_id=cast.assistant_post.pk)
    assistant.post(reverse("receipt-put-on-file", args=[paper.pk]), {"file": file.pk})

    html = text_of(assistant.get(reverse("file-page", args=[file.pk, 1])))
    assert reverse("file-page-image", args=[file.pk, 1]) in html
    assert "Page 1 of 2" in html and reverse("file-page", args=[file.pk, 2]) in html
    image = assistant.get(reverse("file-page-image", args=[file.pk, 1]))
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")

    html = text_of(assistant.get(reverse("file-page", args=[file.pk, 2])))
    assert "This paper is on paper." in html and escape(paper.diary_number) in html
    assert reverse("file-page", args=[file.pk, 1]) in html  # previous
    assert assistant.get(reverse("file-page-image", args=[file.pk, 2])).status_code == 404
    assert assistant.get(reverse("file-page", args=[file.pk, 3])).status_code == 404
    outsider = login(cast.outsider)
    assert outsider.get(reverse("file-page", args=[file.pk, 1])).status_code == 404
    assert outsider.get(reverse("file-page-image", args=[file.pk, 1])).status_code == 404

    detail = text_of(assistant.get(reverse("file-detail", args=[file.pk])))
    panel = detail[detail.index('id="corr-heading"') :]
    assert panel.index(escape(receipt.diary_number)) < panel.index(escape(paper.diary_number))
    assert ">PUC<" in panel and ">FR<" in panel
    assert "note-receipt" in detail
    assert "See the paper at flag B" in detail


def test_a_paper_is_copied_onto_another_file_from_the_viewer(
    cast: Cast, sender: Sender, login: Login
) -> None:
    receipt = scanned_receipt(cast, sender, login, to_post=cast.assistant_post.pk)
    assistant = login(cast.assistant)
    assistant.post(reverse("receipt-open-file", args=[receipt.pk]))
    source = File.objects.get(correspondence__receipt=receipt)
    other = open_file(cast.assistant, cast.assistant_post, "Satpara dam: audit paras")

    viewer = text_of(assistant.get(reverse("file-page", args=[source.pk, 1])))
    assert reverse("file-page-copy", args=[source.pk, 1]) in viewer
    choices = text_of(assistant.get(reverse("file-copy-choices", args=[source.pk]), {"q": "audit"}))
    assert f'value="{other.pk}"' in choices and f'value="{source.pk}"' not in choices
    assert "Copy onto this file" in choices

    url = reverse("file-page-copy", args=[source.pk, 1])
    missing = assistant.post(url, {})
    assert missing.status_code == 302 and not other.correspondence.exists()
    response = assistant.post(url, {"file": other.pk})
    assert response.status_code == 302 and response["Location"] == reverse(
        "file-detail", args=[other.pk]
    )
    copy = other.correspondence.get()
    assert copy.is_copy and copy.receipt == receipt and copy.flag == "A"
    again = assistant.post(url, {"file": other.pk})  # already there: told, nothing added
    assert again.status_code == 302 and other.correspondence.count() == 1
    outsider = login(cast.outsider)
    assert outsider.post(url, {"file": other.pk}).status_code == 404
    assert outsider.get(reverse("file-copy-choices", args=[source.pk])).status_code == 404


def test_flags_and_pages_in_notes_link_to_the_viewer(
    cast: Cast, sender: Sender, login: Login
) -> None:
    receipt = scanned_receipt(cast, sender, login, to_post=cast.assistant_post.pk)
    assistant = login(cast.assistant)
    assistant.post(reverse("receipt-open-file", args=[receipt.pk]))
    file = File.objects.get(correspondence__receipt=receipt)
    assistant.post(
        reverse("note-add", args=[file.pk]),
        {
            "kind": "text",
            "body": "Kindly see F/A and Flag A at page 1; p. 9 and F/Z do not exist. <b>x</b>",
        },
    )
    html = text_of(assistant.get(reverse("file-detail", args=[file.pk])))
    viewer = reverse("file-page", args=[file.pk, 1])
    assert f'<a class="page-ref" href="{viewer}">F/A</a>' in html
    assert f'<a class="page-ref" href="{viewer}">Flag A</a>' in html
    assert f'<a class="page-ref" href="{viewer}">page 1</a>' in html
    assert "p. 9 and F/Z do not exist." in html  # not linked: no such page or flag
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_file_page_query_count_does_not_grow_with_papers(
    cast: Cast, sender: Sender, login: Login
) -> None:
    def file_with_papers(n: int) -> File:
        file = open_file(cast.assistant, cast.assistant_post, f"File with {n} papers")
        for i in range(n):
            receipt = register(cast, sender, subject=f"Paper {i}")
            receipt_send(
                actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
            )
            from daftar.files.correspondence import receipt_put_on_file

            receipt_put_on_file(actor=cast.assistant, receipt_id=receipt.pk, file_id=file.pk)
        return file

    small, large = file_with_papers(1), file_with_papers(6)
    client = login(cast.assistant)
    client.get(reverse("home"))
    few, _ = count_queries(client, reverse("file-detail", args=[small.pk]))
    many, sql = count_queries(client, reverse("file-detail", args=[large.pk]))
    assert few == many, sql


def test_viewer_shows_the_text_of_a_pdf_page_and_pages_within_a_document(
    cast: Cast, sender: Sender, login: Login
) -> None:
    pdf = SimpleUploadedFile(
        "letter.pdf",
        text_pdf(["First page of the Satpara letter.", "Second page: the annexure of costs."]),
    )
    clerk = login(cast.registry_clerk)
    clerk.post(
        reverse("receipt-new"),
        diarise_data(sender=sender.pk, documents=[pdf], to_post=cast.assistant_post.pk),
    )
    receipt = Receipt.objects.get()
    assistant = login(cast.assistant)
    assistant.post(reverse("receipt-open-file", args=[receipt.pk]))
    item = CorrespondenceItem.objects.get(receipt=receipt)
    assert (item.first_page, item.last_page) == (1, 2)

    html = text_of(assistant.get(reverse("file-page", args=[item.file_id, 2])))
    assert "Page 2 of 2" in html
    assert "Second page: the annexure of costs." in html
    assert "First page of the Satpara letter." not in html
    assert 'rel="prev" data-page-turn href="' + reverse("file-page", args=[item.file_id, 1]) in html
    image = assistant.get(reverse("file-page-image", args=[item.file_id, 2]))
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_diarising_needs_a_post(login: Login, cast: Cast) -> None:
    from daftar.org import services as org

    nobody = org.person_create(actor=None, email="nobody@mowr.gov.pk", full_name="No Post")
    roles_assign(actor=None, person=nobody, roles=["registry_clerk"])
    response = login(nobody).get(reverse("receipt-new"))
    assert response.status_code == 403
    assert "You hold no post at present, so you cannot diarise." in text_of(response)
    response = login(nobody).post(reverse("receipt-new"), diarise_data(is_physical="on"))
    assert response.status_code == 403
    assert not Receipt.objects.exists()


def test_receipt_page_query_count_does_not_grow_with_movements(
    cast: Cast, sender: Sender, login: Login
) -> None:
    def travelled(hops: int) -> Receipt:
        receipt = register(cast, sender, subject=f"{hops} hops")
        desks = [
            (cast.registry_clerk, cast.assistant_post),
            (cast.assistant, cast.registry_post),
        ]
        for i in range(hops):
            actor, to_post = desks[i % 2]
            receipt_send(actor=actor, receipt_id=receipt.pk, to_post_id=to_post.pk)
        return receipt

    short, long = travelled(1), travelled(9)  # both end with the assistant
    client = login(cast.assistant)
    client.get(reverse("home"))
    client.get(reverse("receipt-detail", args=[short.pk]))  # opening marks them read
    client.get(reverse("receipt-detail", args=[long.pk]))
    few, _ = count_queries(client, reverse("receipt-detail", args=[short.pk]))
    many, sql = count_queries(client, reverse("receipt-detail", args=[long.pk]))
    assert few == many, sql


def test_find_a_receipt_by_diary_number_or_slip_reference(
    cast: Cast, sender: Sender, login: Login
) -> None:
    from daftar.receipts.acknowledgement import display_reference

    receipt = register(cast, sender)
    clerk = login(cast.registry_clerk)
    track = reverse("receipt-track")
    detail = reverse("receipt-detail", args=[receipt.pk])
    assert clerk.get(track, {"number": receipt.diary_number.lower()})["Location"] == detail
    reference = display_reference(receipt.reference).lower()
    assert clerk.get(track, {"number": reference})["Location"] == detail
    response = clerk.get(track, {"number": "999/1999/X"})
    assert response.status_code == 404
    assert "No receipt with diary number or reference" in text_of(response)
    assert text_of(clerk.get(track)).count('name="number"') >= 1
    # Someone who never held it: as if it did not exist.
    response = login(cast.outsider).get(track, {"number": receipt.diary_number})
    assert response.status_code == 404
    assert track in text_of(login(cast.assistant).get(reverse("home"), {"box": "receipts"}))


def test_absurd_numbers_in_addresses_are_404(cast: Cast, sender: Sender, login: Login) -> None:
    receipt = scanned_receipt(cast, sender, login, to_post=cast.assistant_post.pk)
    document = receipt.documents.get().document
    assistant = login(cast.assistant)
    assistant.post(reverse("receipt-open-file", args=[receipt.pk]))
    file = File.objects.get(correspondence__receipt=receipt)
    huge = 10**20
    for url in (
        reverse("file-page", args=[file.pk, huge]),
        reverse("file-page", args=[file.pk, 0]),
        reverse("file-page-image", args=[file.pk, 2**31]),
        reverse("file-page", args=[huge, 1]),
        reverse("receipt-detail", args=[huge]),
        reverse("receipt-page-image", args=[receipt.pk, huge, 1]),
        reverse("receipt-page-image", args=[receipt.pk, document.pk, huge]),
    ):
        assert assistant.get(url).status_code == 404, url
