"""Fetching: messages sent by SMTP to a real Dovecot on loopback become draft receipts."""

from __future__ import annotations

import imaplib
import io
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from daftar.documents.selectors import document_bytes
from daftar.lib import clock
from daftar.mailroom import fetching
from daftar.mailroom.fetching import mail_fetch
from daftar.mailroom.imap import ImapSource, MailSourceError
from daftar.mailroom.models import IncomingMail, IncomingStatus, Mailbox, TlsMode
from daftar.mailroom.selectors import incoming_attachments, incoming_raw
from tests.cast import Cast
from tests.conftest import last_event
from tests.documents.samples import text_pdf
from tests.mailroom.conftest import PASSWORD, MailServer


def letter(
    *,
    subject: str = "Release of funds for Satpara dam",
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
    message_id: str | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Tariq Mahmood <Chief.Water@pc.gov.pk>"
    message["To"] = "registry@mowr.gov.pk"
    message["Subject"] = subject
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = message_id or make_msgid(domain="pc.gov.pk")
    message.set_content("Sir,\nPlease find the release order attached.\nTariq Mahmood")
    for name, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message


def unseen(server: MailServer, user: str) -> list[bytes]:
    imap = imaplib.IMAP4("127.0.0.1", server.imap_port, timeout=10)
    try:
        imap.login(user, PASSWORD)
        imap.select("INBOX", readonly=True)
        _status, data = imap.uid("SEARCH", "UNSEEN")
        return data[0].split() if data and isinstance(data[0], bytes) else []
    finally:
        imap.logout()


PDF = text_pdf(["Release order: Rs. 40 million for Satpara dam, second instalment."])


def test_message_with_a_pdf_becomes_a_draft_and_is_imported_once(
    cast: Cast, registry_mailbox: Mailbox, mail_server: MailServer, imap_user: str
) -> None:
    sent = letter(attachments=[("release-order.pdf", "application/pdf", PDF)])
    mail_server.send(sent, to_user=imap_user)
    assert len(unseen(mail_server, imap_user)) == 1

    report = mail_fetch(mailbox_id=registry_mailbox.pk)

    assert report.ok and len(report.imported) == 1, report
    incoming = IncomingMail.objects.get(pk=report.imported[0])
    assert incoming.status == IncomingStatus.NEW
    assert incoming.post == cast.registry_post
    assert incoming.message_id == sent["Message-ID"]
    assert (incoming.from_name, incoming.from_address) == ("Tariq Mahmood", "chief.water@pc.gov.pk")
    assert incoming.subject == "Release of funds for Satpara dam"
    assert "release order attached" in incoming.body_text
    assert incoming.sent_at is not None
    [attachment] = incoming_attachments(incoming)
    assert attachment.refusal == "" and attachment.document is not None
    assert attachment.document.original_name == "release-order.pdf"
    assert document_bytes(attachment.document) == PDF
    assert attachment.document.uploaded_by == cast.registry_clerk  # who holds the post
    # The message as a PDF (the receipt's first document) and exactly as received (.eml).
    assert incoming.message_document.content_type == "application/pdf"
    printed = " ".join(incoming.message_document.pages.values_list("text", flat=True))
    assert "Release of funds for Satpara dam" in printed
    raw = incoming_raw(cast.registry_clerk, incoming.pk)
    assert sent["Message-ID"].encode() in raw and len(raw) == incoming.raw_size
    event = last_event(incoming, "mail.import")
    assert event.post == cast.registry_post
    assert event.after is not None and event.after["message_id"] == sent["Message-ID"]
    # Seen on the server only now; a second fetch finds nothing new.
    assert unseen(mail_server, imap_user) == []
    again = mail_fetch(mailbox_id=registry_mailbox.pk)
    assert again.ok and again.imported == [] and again.already == 0
    assert IncomingMail.objects.count() == 1
    registry_mailbox.refresh_from_db()
    assert registry_mailbox.last_fetch_at is not None and registry_mailbox.last_error == ""


def test_unsupported_attachment_is_refused_and_the_message_kept(
    cast: Cast, registry_mailbox: Mailbox, mail_server: MailServer, imap_user: str
) -> None:
    mail_server.send(
        letter(
            attachments=[
                ("setup.exe", "application/octet-stream", b"MZ\x90\x00" + b"\x00" * 200),
                ("release-order.pdf", "application/pdf", PDF),
            ]
        ),
        to_user=imap_user,
    )

    report = mail_fetch(mailbox_id=registry_mailbox.pk)

    assert report.ok and len(report.imported) == 1 and report.refused_attachments == 1
    incoming = IncomingMail.objects.get(pk=report.imported[0])
    refused, stored = incoming_attachments(incoming)
    assert refused.filename == "setup.exe" and refused.document is None
    assert "setup.exe" in refused.refusal and refused.size == 204
    assert stored.document is not None and stored.refusal == ""
    # The refused bytes are not lost: they are in the message as received.
    assert b"setup.exe" in incoming_raw(cast.registry_clerk, incoming.pk)
    event = last_event(incoming, "mail.import")
    assert event.after is not None and event.after["refused"][0]["name"] == "setup.exe"
    assert unseen(mail_server, imap_user) == []


def test_a_fetch_interrupted_before_the_commit_imports_next_time(
    registry_mailbox: Mailbox,
    mail_server: MailServer,
    imap_user: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mail_server.send(letter(), to_user=imap_user)

    def power_cut(**kwargs: object) -> None:
        raise RuntimeError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(fetching, "event_record", power_cut)  # the last step of the transaction
        report = mail_fetch(mailbox_id=registry_mailbox.pk)

    assert report.imported == [] and len(report.failed) == 1 and "power cut" in report.failed[0]
    assert not IncomingMail.objects.exists()
    assert len(unseen(mail_server, imap_user)) == 1  # still there for the next fetch
    registry_mailbox.refresh_from_db()
    assert "power cut" in registry_mailbox.last_error

    report = mail_fetch(mailbox_id=registry_mailbox.pk)
    assert report.ok and len(report.imported) == 1
    assert unseen(mail_server, imap_user) == []


def test_a_fetch_interrupted_after_the_commit_does_not_import_twice(
    registry_mailbox: Mailbox,
    mail_server: MailServer,
    imap_user: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mail_server.send(letter(), to_user=imap_user)

    def connection_lost(self: ImapSource, uid: str) -> None:
        raise MailSourceError("connection lost")

    with monkeypatch.context() as patch:
        patch.setattr(ImapSource, "mark_seen", connection_lost)
        report = mail_fetch(mailbox_id=registry_mailbox.pk)
    assert len(report.imported) == 1 and report.error == "connection lost"
    assert len(unseen(mail_server, imap_user)) == 1

    report = mail_fetch(mailbox_id=registry_mailbox.pk)
    assert report.ok and report.imported == [] and report.already == 1
    assert IncomingMail.objects.count() == 1
    assert unseen(mail_server, imap_user) == []


def test_the_same_message_delivered_twice_is_one_draft(
    registry_mailbox: Mailbox, mail_server: MailServer, imap_user: str
) -> None:
    message = letter()
    mail_server.send(message, to_user=imap_user)
    mail_server.send(message, to_user=imap_user)

    report = mail_fetch(mailbox_id=registry_mailbox.pk)

    assert report.ok and len(report.imported) == 1 and report.already == 1
    assert unseen(mail_server, imap_user) == []


def test_another_message_under_a_message_id_already_imported_is_not_lost(
    registry_mailbox: Mailbox, mail_server: MailServer, imap_user: str
) -> None:
    message_id = make_msgid(domain="pc.gov.pk")
    mail_server.send(letter(message_id=message_id, subject="First"), to_user=imap_user)
    mail_server.send(letter(message_id=message_id, subject="Second"), to_user=imap_user)

    report = mail_fetch(mailbox_id=registry_mailbox.pk)

    assert report.ok and len(report.imported) == 2 and report.already == 0
    first, second = IncomingMail.objects.order_by("pk")
    assert (first.subject, first.message_id, first.duplicate_of) == ("First", message_id, None)
    assert second.subject == "Second" and second.duplicate_of == first
    assert second.message_id == f"{message_id} sha256:{second.raw_sha256}"
    event = last_event(second, "mail.import")
    assert event.after is not None and event.after["duplicate_of"] == first.pk
    # Fetched again (the \Seen lost), each is still recognised.
    assert mail_fetch(mailbox_id=registry_mailbox.pk).imported == []


def test_fetch_mail_command_says_what_it_did(
    registry_mailbox: Mailbox,
    mail_server: MailServer,
    imap_user: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    mail_server.send(letter(), to_user=imap_user)
    mail_server.send(letter(subject="Second letter"), to_user=imap_user)

    call_command("fetch_mail", "--mailbox", str(registry_mailbox.pk))

    out = capsys.readouterr().out
    ids = sorted(IncomingMail.objects.values_list("pk", flat=True))
    assert f"Mailbox {registry_mailbox.pk} (registry@mowr.gov.pk): 2 new draft(s)" in out
    assert all(f"#{pk}" in out for pk in ids)
    call_command("fetch_mail")  # every active mailbox
    assert "0 new draft(s)." in capsys.readouterr().out


def test_a_wrong_password_is_reported_and_nothing_is_read(
    registry_mailbox: Mailbox,
    mail_server: MailServer,
    imap_user: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mail_server.send(letter(), to_user=imap_user)
    monkeypatch.setenv("DAFTAR_IMAP_PASSWORD_REGISTRY", "wrong")

    with pytest.raises(CommandError, match=f"mailbox {registry_mailbox.pk}"):
        call_command("fetch_mail", "--mailbox", str(registry_mailbox.pk))

    registry_mailbox.refresh_from_db()
    assert "AUTHENTICATIONFAILED" in registry_mailbox.last_error
    assert not IncomingMail.objects.exists()
    assert len(unseen(mail_server, imap_user)) == 1
    monkeypatch.delenv("DAFTAR_IMAP_PASSWORD_REGISTRY")
    report = mail_fetch(mailbox_id=registry_mailbox.pk)
    assert report.error is not None and "DAFTAR_IMAP_PASSWORD_REGISTRY" in report.error


def test_a_vacant_post_leaves_the_mail_on_the_server(
    cast: Cast, registry_mailbox: Mailbox, mail_server: MailServer, imap_user: str
) -> None:
    from daftar.org.models import Charge

    mail_server.send(letter(), to_user=imap_user)
    Charge.objects.filter(post=cast.registry_post).update(end=clock.now().date().replace(year=2020))

    report = mail_fetch(mailbox_id=registry_mailbox.pk)

    assert report.error is not None and "vacant" in report.error
    assert len(unseen(mail_server, imap_user)) == 1


def test_no_plain_imap_beyond_this_machine(cast: Cast) -> None:
    from django.core.exceptions import ValidationError

    box = Mailbox(
        unit=cast.registry,
        name="registry",
        host="imap.mowr.gov.pk",
        port=143,
        tls=TlsMode.PLAIN,
        username="registry",
        password_env="DAFTAR_SECRET_KEY",
        post=cast.outsider_post,
    )
    with pytest.raises(ValidationError) as caught:
        box.full_clean()
    assert set(caught.value.message_dict) == {"tls", "password_env", "post"}


@pytest.mark.parametrize("tls", [TlsMode.SSL, TlsMode.STARTTLS])
def test_tls_with_the_servers_certificate_authority(
    registry_mailbox: Mailbox,
    mail_server: MailServer,
    imap_user: str,
    settings: Settings,
    tls: str,
) -> None:
    registry_mailbox.tls = tls
    registry_mailbox.port = mail_server.imaps_port if tls == TlsMode.SSL else mail_server.imap_port
    registry_mailbox.save()
    settings.IMAP_CA_FILE = mail_server.ca_file
    mail_server.send(letter(), to_user=imap_user)

    report = mail_fetch(mailbox_id=registry_mailbox.pk)

    assert report.ok and len(report.imported) == 1, report


def test_an_untrusted_certificate_is_refused(
    registry_mailbox: Mailbox, mail_server: MailServer, imap_user: str
) -> None:
    registry_mailbox.tls = TlsMode.SSL
    registry_mailbox.port = mail_server.imaps_port
    registry_mailbox.save()
    mail_server.send(letter(), to_user=imap_user)

    report = mail_fetch(mailbox_id=registry_mailbox.pk)

    assert report.error is not None and "CERTIFICATE_VERIFY_FAILED" in report.error
    assert not IncomingMail.objects.exists()
    assert len(unseen(mail_server, imap_user)) == 1


def test_a_message_deleted_by_another_mail_program_meanwhile_is_passed_over(
    registry_mailbox: Mailbox, mail_server: MailServer, imap_user: str
) -> None:
    mail_server.send(letter(subject="Deleted"), to_user=imap_user)
    mail_server.send(letter(subject="Kept"), to_user=imap_user)

    class DeletedAfterSearch(ImapSource):
        """Someone's mail program deletes the first message just after our search."""

        def unseen(self) -> list[str]:
            found = super().unseen()
            other = imaplib.IMAP4("127.0.0.1", mail_server.imap_port, timeout=10)
            other.login(imap_user, PASSWORD)
            other.select("INBOX")
            other.uid("STORE", found[0], "+FLAGS", "(\\Deleted)")
            other.expunge()
            other.logout()
            return found

    report = mail_fetch(mailbox_id=registry_mailbox.pk, source=DeletedAfterSearch(registry_mailbox))

    assert report.ok and len(report.imported) == 1, report
    assert IncomingMail.objects.get().subject == "Kept"


def test_documents_are_stored_in_the_name_of_the_regular_holder(
    cast: Cast, registry_mailbox: Mailbox, mail_server: MailServer, imap_user: str
) -> None:
    """An officer who also holds the registry post on additional charge (since earlier)
    does not become the uploader: the clerk who holds it regularly does."""
    import datetime as dt

    from daftar.org import services as org
    from daftar.org.models import ChargeKind

    org.charge_assign(
        actor=None,
        person=cast.section_officer,
        post=cast.registry_post,
        start=dt.date(2019, 1, 1),
        kind=ChargeKind.ADDITIONAL,
    )
    mail_server.send(letter(), to_user=imap_user)

    [incoming_id] = mail_fetch(mailbox_id=registry_mailbox.pk).imported

    incoming = IncomingMail.objects.get(pk=incoming_id)
    assert incoming.message_document.uploaded_by == cast.registry_clerk


def test_a_message_too_large_is_not_downloaded(
    registry_mailbox: Mailbox, mail_server: MailServer, imap_user: str, settings: Settings
) -> None:
    settings.MAIL_MAX_BYTES = 20_000
    mail_server.send(
        letter(subject="Huge", attachments=[("big.pdf", "application/pdf", PDF * 8)]),
        to_user=imap_user,
    )
    mail_server.send(letter(subject="Small"), to_user=imap_user)

    report = mail_fetch(mailbox_id=registry_mailbox.pk)

    assert len(report.imported) == 1 and IncomingMail.objects.get().subject == "Small"
    [problem] = report.failed
    assert "more than the 20000 accepted" in problem
    assert len(unseen(mail_server, imap_user)) == 1  # the large one, left for a person


@pytest.mark.django_db(transaction=True)  # the worker closes its database connections
def test_the_worker_reads_the_mailboxes_on_its_rounds(
    cast: Cast, registry_mailbox: Mailbox, mail_server: MailServer, imap_user: str
) -> None:
    mail_server.send(letter(attachments=[]), to_user=imap_user)
    out = io.StringIO()
    call_command("worker", "--batch", "--fetch-mail-every", "1", stdout=out)
    draft = IncomingMail.objects.get()
    assert draft.mailbox == registry_mailbox and draft.status == IncomingStatus.NEW
    assert "1 new draft(s)" in out.getvalue()
    assert unseen(mail_server, imap_user) == []
    call_command("worker", "--batch", "--fetch-mail-every", "0", stdout=io.StringIO())
    assert IncomingMail.objects.count() == 1
