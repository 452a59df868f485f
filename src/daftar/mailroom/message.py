"""Reading one e-mail message: its headers, its text and its attachments; and the PDF of it
that goes on the receipt as its first document.

Parsing never fails on a malformed message: a header that cannot be read is left empty, a
text in an unknown charset is decoded with replacement characters; the raw message is kept
anyway, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import mimetypes
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from weasyprint import HTML  # type: ignore[import-untyped]

from daftar.lib.safe_output import no_fetch

MESSAGE_ID_MAX = 500
SUBJECT_MAX = 1000
# The PDF of a message shows this much of its text (some 30 pages); a longer text is cut
# there with a note, as the whole message is kept as received anyway.
PDF_TEXT_MAX = 100_000


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    from_name: str
    from_address: str
    to: str
    cc: str
    subject: str
    sent_at: dt.datetime | None
    body_text: str
    attachments: list[Attachment] = field(default_factory=list)


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # a header the parser cannot make sense of
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def message_id_of(msg: Message, raw: bytes) -> str:
    value = _header(msg, "Message-ID").strip()
    if not value or len(value) > MESSAGE_ID_MAX:
        return "sha256:" + hashlib.sha256(raw).hexdigest()
    return value


def _sent_at(msg: Message) -> dt.datetime | None:
    value = _header(msg, "Date")
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        text = payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset
        text = payload.decode("utf-8", errors="replace")
    if part.get_content_type() == "text/html":
        text = strip_tags(text)
    return text.replace("\r\n", "\n").strip()


def _body_part(msg: EmailMessage) -> Message | None:
    try:
        return msg.get_body(preferencelist=("plain", "html"))
    except (KeyError, ValueError, LookupError):
        return None


def _parts(msg: Message) -> list[Message]:
    """The leaf parts, in order; a forwarded message (message/rfc822) is one part."""
    if msg.get_content_maintype() == "multipart" and isinstance(msg.get_payload(), list):
        leaves: list[Message] = []
        for sub in msg.get_payload():
            if isinstance(sub, Message):
                leaves.extend(_parts(sub))
        return leaves
    return [msg]


def _filename(part: Message, order: int) -> str:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if name:
        return " ".join(str(name).split())[:255]
    extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
    if part.get_content_type() == "message/rfc822":
        extension = ".eml"
    return f"attachment-{order}{extension}"


def _content(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        message = inner[0] if isinstance(inner, list) and inner else inner
        if isinstance(message, Message):
            return message.as_bytes()
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def parse_message(raw: bytes) -> ParsedMail:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)  # noqa: S101  (the "default" policy makes these)
    body = _body_part(msg)
    from_name, from_address = "", ""
    for name, address in getaddresses([_header(msg, "From")]):
        if address:
            from_name, from_address = name.strip()[:200], address.strip().lower()[:254]
            break
    attachments: list[Attachment] = []
    for part in _parts(msg):
        if part is body:
            continue
        is_attachment = part.get_content_disposition() == "attachment" or part.get_filename()
        if part.get_content_maintype() == "text" and not is_attachment:
            continue  # the other alternative of the text (HTML beside plain text)
        attachments.append(
            Attachment(
                filename=_filename(part, len(attachments) + 1),
                content_type=part.get_content_type()[:255],
                content=_content(part),
            )
        )
    return ParsedMail(
        message_id=message_id_of(msg, raw),
        from_name=from_name,
        from_address=from_address,
        to=_header(msg, "To"),
        cc=_header(msg, "Cc"),
        subject=_header(msg, "Subject")[:SUBJECT_MAX],
        sent_at=_sent_at(msg),
        body_text=_text_of(body) if body is not None else "",
        attachments=attachments,
    )


def message_pdf(mail: ParsedMail, *, received_at: dt.datetime, mailbox: str) -> bytes:
    """The message as a printable page: headers, text, the list of attachments. Only our
    template and the message's text go in (as text), so nothing is fetched from outside."""
    context: dict[str, Any] = {
        "mail": mail,
        "text": mail.body_text[:PDF_TEXT_MAX],
        "cut": len(mail.body_text) > PDF_TEXT_MAX,
        "received_at": received_at,
        "mailbox": mailbox,
    }
    html = render_to_string("mailroom/message.html", context)
    pdf: bytes = HTML(string=html, url_fetcher=no_fetch).write_pdf()
    return pdf


def pdf_name(mail: ParsedMail) -> str:
    when = (mail.sent_at or dt.datetime.now(tz=dt.UTC)).strftime("%Y-%m-%d")
    return f"e-mail {when}.pdf"
