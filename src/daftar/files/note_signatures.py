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
from typing import Any

from daftar.files.models import Note


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
