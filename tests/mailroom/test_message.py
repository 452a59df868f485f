"""Reading messages as they come from real mail programs, malformed ones included."""

from __future__ import annotations

import hashlib
import io
from email.message import EmailMessage

import pytest
from django.utils import timezone
from pypdf import PdfReader

from daftar.mailroom import message as message_module
from daftar.mailroom.message import parse_message


def test_a_message_without_message_id_is_named_by_its_bytes() -> None:
    raw = b"From: someone@example.org\r\nSubject: hello\r\n\r\nbody\r\n"

    mail = parse_message(raw)

    assert mail.message_id == "sha256:" + hashlib.sha256(raw).hexdigest()
    assert mail.from_address == "someone@example.org" and mail.from_name == ""
    assert mail.sent_at is None and mail.body_text == "body"


def test_html_only_latin1_and_encoded_headers() -> None:
    raw = (
        b"From: =?utf-8?b?2LnYqNiv2KfZhNmE2Yc=?= <Abdullah@Example.ORG>\r\n"
        b"Subject: =?iso-8859-1?q?Caf=E9_budget?=\r\n"
        b"Date: not a date\r\n"
        b"Message-ID: <a1@example.org>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/html; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"<p>Caf=E9 <b>costs</b></p><script>alert(1)</script>\r\n"
    )

    mail = parse_message(raw)

    assert mail.from_name == "عبدالله" and mail.from_address == "abdullah@example.org"
    assert mail.subject == "Café budget"
    assert mail.sent_at is None
    assert "Café costs" in mail.body_text and "<" not in mail.body_text
    assert mail.attachments == []


def test_alternatives_inline_images_and_forwarded_messages() -> None:
    forwarded = EmailMessage()
    forwarded["From"] = "chief@pc.gov.pk"
    forwarded["Subject"] = "Original"
    forwarded.set_content("The original letter")
    message = EmailMessage()
    message["From"] = "Aslam <aslam@example.org>"
    message["Subject"] = "Fwd: Original"
    message.set_content("See below")
    message.add_alternative("<p>See <i>below</i></p>", subtype="html")
    message.add_attachment(b"\x89PNG fake", maintype="image", subtype="png")
    message.add_attachment(forwarded)

    mail = parse_message(message.as_bytes())

    assert mail.body_text == "See below"  # plain text preferred; its HTML twin is no attachment
    assert [(a.filename, a.content_type) for a in mail.attachments] == [
        ("attachment-1.png", "image/png"),
        ("attachment-2.eml", "message/rfc822"),
    ]
    assert b"The original letter" in mail.attachments[1].content


def test_the_pdf_of_a_very_long_message_is_cut_with_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(message_module, "PDF_TEXT_MAX", 300)
    mail = parse_message(
        b"From: a@example.org\r\nSubject: Long\r\n\r\n" + b"word " * 200 + b"THE-END\r\n"
    )

    pdf = message_module.message_pdf(mail, received_at=timezone.now(), mailbox="registry")

    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "The text is cut here" in text and "THE-END" not in text
