"""Signatures on final notes: made where notes become final, checked by `daftar notes verify`,
and shown on the note sheet."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daftar.files.correspondence import receipt_put_on_file
from daftar.files.models import File, Note, NoteKind, NoteSignature
from daftar.files.note_signatures import canonical_content, content_sha256
from daftar.files.services import note_add, note_record_final
from daftar.movement.services import file_return, file_send
from daftar.org.models import Post, User
from daftar.receipts.custody import receipt_send
from daftar.signing.api import data_sign, data_verify
from daftar.signing.models import Certificate
from tests.cast import Cast
from tests.files.conftest import run_cli
from tests.receipts.conftest import register
from tests.web.conftest import count_queries, text_of

URDU = "\u0627\u0631\u062f\u0648"  # "Urdu", in Urdu: the content is UTF-8, not escaped


def test_the_canonical_content_is_pinned() -> None:
    """The bytes a signature covers must never drift: signatures already made depend on it."""
    note = Note(
        pk=12,
        author=User(pk=7, full_name="Bilal Ahmed"),
        post=Post(pk=3, designation="Assistant (Development-I)"),
        kind=NoteKind.TEXT,
        body="Put up.\n\n" + URDU,
        first_para=4,
        para_count=2,
        finalised_at=dt.datetime(2026, 11, 30, 9, 5, 6, 7, tzinfo=ZoneInfo("Asia/Karachi")),
    )
    content = canonical_content(note, file_number="1-3/2026-D-I")
    expected = (
        '{"author":[7,"Bilal Ahmed"],"body":"Put up.\\n\\n' + URDU + '","file":"1-3/2026-D-I",'
        '"final_at":"2026-11-30T04:05:06.000007+00:00","kind":"text","note":12,'
        '"paras":[4,2],"post":[3,"Assistant (Development-I)"]}'
    )
    assert content == expected.encode()
    assert content_sha256(content) == hashlib.sha256(content).hexdigest()


def _assert_signed(note: Note, file: File, person: User) -> NoteSignature:
    note.refresh_from_db()
    signature = NoteSignature.objects.get(note=note)
    content = canonical_content(note, file_number=file.number)
    assert signature.content_sha256 == hashlib.sha256(content).hexdigest()
    assert data_verify(
        certificate_serial=signature.certificate_serial, data=content, value=bytes(signature.value)
    )
    assert Certificate.objects.get(serial=signature.certificate_serial).person_id == person.pk
    return signature


def test_sending_signs_every_draft_with_its_authors_key(
    authority: Certificate, cast: Cast, file: File
) -> None:
    first = note_add(actor=cast.assistant, file_id=file.pk, body="One.\n\nTwo.")
    agreed = note_add(actor=cast.assistant, file_id=file.pk, kind=NoteKind.AGREE)
    assert not NoteSignature.objects.exists()  # drafts are not signed
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    a = _assert_signed(first, file, cast.assistant)
    b = _assert_signed(agreed, file, cast.assistant)
    assert a.certificate_serial == b.certificate_serial
    # The Section Officer writes and returns the file: their own key signs their note.
    reply = note_add(actor=cast.section_officer, file_id=file.pk, body="Discussed.")
    file_return(actor=cast.section_officer, file_id=file.pk)
    c = _assert_signed(reply, file, cast.section_officer)
    assert c.certificate_serial != a.certificate_serial


def test_an_entry_recorded_final_is_signed_at_once(
    authority: Certificate, cast: Cast, file: File
) -> None:
    with transaction.atomic():
        locked = File.objects.select_for_update().get(pk=file.pk)
        entry = note_record_final(
            actor=cast.assistant, file=locked, post=cast.assistant_post, body="DFA-1 approved."
        )
    _assert_signed(entry, file, cast.assistant)


def test_a_correspondence_entry_is_signed_when_the_file_is_sent(
    authority: Certificate, cast: Cast, file: File, sender: object
) -> None:
    receipt = register(cast, sender)  # type: ignore[arg-type]
    receipt_send(
        actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    item = receipt_put_on_file(actor=cast.assistant, receipt_id=receipt.pk, file_id=file.pk)
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    _assert_signed(item.note, file, cast.assistant)


def _send_queries(cast: Cast, file: File, drafts: int) -> int:
    for i in range(drafts):
        note_add(actor=cast.assistant, file_id=file.pk, body=f"Note {i}.")
    with CaptureQueriesContext(connection) as ctx:
        file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    file_return(actor=cast.section_officer, file_id=file.pk)
    return len(ctx.captured_queries)


def test_signing_adds_per_note_only_what_one_signature_needs(
    authority: Certificate, cast: Cast, file: File
) -> None:
    _send_queries(cast, file, 1)  # the assistant's certificate is issued on first use
    with transaction.atomic(), CaptureQueriesContext(connection) as one:
        data_sign(person=cast.assistant, data=b"x")
    per_signature = len(one.captured_queries)
    one_note = _send_queries(cast, file, 1)
    five_notes = _send_queries(cast, file, 5)
    assert five_notes - one_note == 4 * per_signature


def test_without_a_certificate_authority_notes_go_final_unsigned(cast: Cast, file: File) -> None:
    note = note_add(actor=cast.assistant, file_id=file.pk, body="Before pki init.")
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    note.refresh_from_db()
    assert note.is_final and not NoteSignature.objects.exists()
    with pytest.raises(CommandError, match="has no signature"):
        call_command("notes", "verify", file.number)


@pytest.fixture
def sent_file(authority: Certificate, cast: Cast, file: File) -> File:
    note_add(actor=cast.assistant, file_id=file.pk, body="Put up for orders.")
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    note_add(actor=cast.section_officer, file_id=file.pk, body="Seen.\n\nPlease discuss.")
    file_return(actor=cast.section_officer, file_id=file.pk)
    return file


def test_verify_passes_for_untouched_notes(sent_file: File) -> None:
    code, out = run_cli("notes", "verify", sent_file.number.lower())
    assert code == 0, out
    assert f"file {sent_file.number}: 2 final notes, every signature valid" in out


def test_verify_names_a_note_changed_in_the_database(sent_file: File, cast: Cast) -> None:
    second = Note.objects.get(file=sent_file, author=cast.section_officer)
    # What a DBA could do: the audit triggers guard the audit tables, not the notes.
    Note.objects.filter(pk=second.pk).update(body="Seen.\n\nApproved.")
    code, out = run_cli("notes", "verify", sent_file.number)
    assert code == 1
    assert f"note ¶2 (note {second.pk}, Ayesha Siddiqui) is BAD" in out
    assert "content has changed since it was signed" in out


def test_verify_names_a_forged_signature(sent_file: File) -> None:
    first = Note.objects.filter(file=sent_file).order_by("first_para").first()
    assert first is not None
    signature = first.signature
    value = bytearray(bytes(signature.value))
    value[10] ^= 0x01
    NoteSignature.objects.filter(pk=signature.pk).update(value=bytes(value))
    code, out = run_cli("notes", "verify", sent_file.number)
    assert code == 1 and "¶1" in out and "does not verify" in out


def test_verify_of_an_unknown_file_fails_clearly(db: None) -> None:
    code, out = run_cli("notes", "verify", "NO-SUCH/1")
    assert code == 1 and "NO-SUCH/1: no such file." in out


def test_the_sheet_marks_signed_notes_without_extra_queries(
    sent_file: File, cast: Cast, login: Callable[[User], Client]
) -> None:
    client = login(cast.assistant)
    url = reverse("file-detail", args=[sent_file.pk])
    client.get(url)  # warm-up: marks the file read, caches the session's time zone
    signed_count, sql = count_queries(client, url)
    html = text_of(client.get(url))
    serial = Note.objects.filter(file=sent_file).first().signature.certificate_serial  # type: ignore[union-attr]
    assert f"Signed by Bilal Ahmed · certificate {serial}" in html
    assert "Signed by Ayesha Siddiqui" in html
    NoteSignature.objects.all().delete()
    unsigned_count, _ = count_queries(client, url)
    assert "Signed by" not in text_of(client.get(url))
    assert signed_count == unsigned_count, sql
