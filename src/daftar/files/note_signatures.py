"""Signatures on final notes: what is signed, signing in bulk, and checking them.

A note becomes final in one of two places (``notes_finalise`` when the file is sent on, and
``note_record_final`` for entries final at once); both sign here, inside the same transaction,
with the note author's own key (``daftar.signing.api.data_sign``). What is signed is the
note's *canonical content* below: change a word of the body in the database, the paragraph
numbers, the author or the moment it became final, and ``daftar notes verify`` names the note.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from daftar.files.models import File, Note, NoteSignature
from daftar.lib import clock
from daftar.signing.api import data_sign, data_verify, signing_ready


def canonical_content(note: Note, *, file_number: str) -> bytes:
    """The bytes a final note's signature covers: UTF-8 JSON, sorted keys, no spaces.

    This is the contract between signing and verifying: never change it without a version
    field (signatures already made must keep verifying). The author's name and the post's
    designation are those at signing time, so a renamed post makes the note fail to verify:
    the printed note would no longer match the sheet, which is what a check must say.
    """
    finalised_at = note.finalised_at
    if finalised_at is None:
        raise ValueError(f"note {note.pk} is not final")
    content: dict[str, Any] = {
        "file": file_number,
        "note": note.pk,
        "kind": note.kind,
        "paras": [note.first_para, note.para_count],
        "body": note.body,
        "author": [note.author_id, note.author.full_name],
        "post": [note.post_id, note.post.designation],
        "final_at": finalised_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def notes_sign(notes: Sequence[Note], *, file_number: str) -> list[NoteSignature]:
    """Sign notes that have just become final, each with its author's key, inside the
    caller's transaction; one INSERT for all of them. The notes come with ``author`` and
    ``post`` loaded (their name and designation are part of what is signed)."""
    # Until the instance has its certificate authority, notes become final unsigned (and
    # ``daftar notes verify`` names them): a send must not fail because the operator has not
    # set up signing yet.
    if not notes or not signing_ready():
        return []
    now = clock.now()
    rows = []
    for note in notes:
        content = canonical_content(note, file_number=file_number)
        signed = data_sign(person=note.author, data=content)
        rows.append(
            NoteSignature(
                note=note,
                certificate_serial=signed.certificate_serial,
                algorithm=signed.algorithm,
                value=signed.value,
                content_sha256=content_sha256(content),
                signed_at=now,
            )
        )
    return NoteSignature.objects.bulk_create(rows)


@dataclass(frozen=True)
class NoteCheck:
    """The result of checking one final note; ``problem`` is empty when it verifies."""

    note: Note
    problem: str

    @property
    def label(self) -> str:
        note = self.note
        return f"¶{note.first_para} (note {note.pk}, {note.author.full_name})"


def _problem(note: Note, *, file_number: str) -> str:
    try:
        signature = note.signature
    except NoteSignature.DoesNotExist:
        return "it has no signature"
    content = canonical_content(note, file_number=file_number)
    if content_sha256(content) != signature.content_sha256:
        return "its content has changed since it was signed (SHA-256 differs)"
    if not data_verify(
        certificate_serial=signature.certificate_serial,
        data=content,
        value=bytes(signature.value),
    ):
        return f"its signature does not verify with certificate {signature.certificate_serial}"
    return ""


def notes_verify(file: File) -> list[NoteCheck]:
    """Check every final note of ``file`` in paragraph order (notes, authors, posts and
    signatures in one query; the certificate checks are the signing app's)."""
    notes = (
        Note.objects.filter(file=file, is_final=True)
        .select_related("author", "post", "signature")
        .order_by("first_para", "id")
    )
    return [NoteCheck(note, _problem(note, file_number=file.number)) for note in notes]
