"""The files API: list, open, read, the note sheet, and park / unpark / close / reopen."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from daftar.audit.models import AuditEvent
from daftar.files.models import File, FileStatus, Note
from daftar.files.services import file_open, note_add
from daftar.movement.models import Movement
from daftar.movement.services import file_return, file_send
from tests.api.conftest import ClientFor
from tests.cast import Cast
from tests.conftest import last_event

FILES = "/api/v1/files/"


def url(file: File, action: str = "") -> str:
    return f"{FILES}{file.pk}/{action + '/' if action else ''}"


# --- List -------------------------------------------------------------------------------------


def test_list_shows_summaries_of_files_open_to_the_reader(
    cast: Cast, file: File, client_for: ClientFor
) -> None:
    second = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Canals")
    theirs = file_open(actor=cast.outsider, post_id=cast.outsider_post.pk, subject="Budget")
    note_add(actor=cast.assistant, file_id=file.pk, body="Not for lists.")

    response = client_for(cast.assistant).get(FILES)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["next"] is None and body["previous"] is None
    assert [r["id"] for r in body["results"]] == [second.pk, file.pk]  # newest first
    assert body["results"][1] == {
        "id": file.pk,
        "number": file.number,
        "subject": file.subject,
        "classification": 0,
        "priority": 0,
        "status": "open",
        "is_physical": False,
        "holder": {"id": cast.assistant_post.pk, "designation": "Assistant (Development-I)"},
        "created_at": body["results"][1]["created_at"],
    }
    outsider_ids = [r["id"] for r in client_for(cast.outsider).get(FILES).json()["results"]]
    assert outsider_ids == [theirs.pk]


def test_list_is_paginated(cast: Cast, client_for: ClientFor) -> None:
    for n in range(27):
        file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject=f"Subject {n}")
    client = client_for(cast.assistant)
    first = client.get(FILES).json()
    assert first["count"] == 27 and len(first["results"]) == 25
    assert first["next"] is not None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["previous"] is not None
    assert client.get(FILES, {"page": 9}).status_code == 404


def test_anonymous_requests_are_refused(cast: Cast, file: File) -> None:
    assert APIClient().get(FILES).status_code == 403
    assert APIClient().get(url(file)).status_code == 403


# --- Open ---------------------------------------------------------------------------------


def test_open_a_file(cast: Cast, client_for: ClientFor) -> None:
    response = client_for(cast.assistant).post(
        FILES,
        {"post": cast.assistant_post.pk, "subject": "  Small dams  ", "priority": 2, "head": "7"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    created = File.objects.get(pk=body["id"])
    assert body["number"] == created.number == f"7-1/{created.year}-D-I"
    assert body["subject"] == "Small dams" and body["priority"] == 2
    assert body["holder"]["id"] == cast.assistant_post.pk
    assert body["can_act"] is True and body["notes"] == []
    assert body["current_movement"]["action"] == "open"
    event = last_event(created, "file.open")
    assert event.actor == cast.assistant and event.post == cast.assistant_post


@pytest.mark.parametrize(
    "payload",
    [
        {"subject": "No post"},
        {"post": "abc", "subject": "Bad post"},
        {"post": 0, "subject": ""},
        {"post": 0, "subject": "x" * 501},
        {"post": 0, "subject": "Dams", "classification": 9},
        {"post": 0, "subject": "Dams", "priority": -1},
    ],
)
def test_open_refuses_bad_input_and_creates_nothing(
    cast: Cast, client_for: ClientFor, payload: dict[str, object]
) -> None:
    if payload.get("post") == 0:
        payload = {**payload, "post": cast.assistant_post.pk}
    client = client_for(cast.assistant)  # logging in is itself an audit event
    events_before = AuditEvent.objects.count()
    response = client.post(FILES, payload, format="json")
    assert response.status_code == 400
    assert not File.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_open_at_a_post_one_does_not_hold_is_404(cast: Cast, client_for: ClientFor) -> None:
    response = client_for(cast.outsider).post(
        FILES, {"post": cast.assistant_post.pk, "subject": "Dams"}, format="json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "You do not hold that post."}
    assert not File.objects.exists()


# --- Read ---------------------------------------------------------------------------------


def test_receiver_opening_the_file_marks_it_read_and_ends_pull_back(
    cast: Cast, file: File, client_for: ClientFor
) -> None:
    note_add(actor=cast.assistant, file_id=file.pk, body="Para one.\n\nPara two.")
    sent = file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    sender = client_for(cast.assistant)

    # The sender looking at it does not open it for the receiver.
    seen_by_sender = sender.get(url(file)).json()
    assert seen_by_sender["can_act"] is False and seen_by_sender["can_pull_back"] is True
    assert Movement.objects.get(pk=sent.pk).read_at is None

    response = client_for(cast.section_officer).get(url(file))

    assert response.status_code == 200
    body = response.json()
    assert body["holder"]["id"] == cast.so_post.pk
    assert body["holder"]["unit"]["code"] == "D-I"
    assert body["can_act"] is True and body["can_pull_back"] is False
    assert body["current_movement"]["id"] == sent.pk
    assert body["current_movement"]["from_post"]["id"] == cast.assistant_post.pk
    assert body["current_movement"]["read_at"] is not None
    [note] = body["notes"]
    assert note["is_final"] is True and note["editable"] is False
    assert note["paragraphs"] == [
        {"number": 1, "text": "Para one."},
        {"number": 2, "text": "Para two."},
    ]
    assert note["author"] == {"id": cast.assistant.pk, "full_name": "Bilal Ahmed"}
    assert last_event(file, "file.read").actor == cast.section_officer

    # Opened: the sender can no longer pull it back, and reading again writes nothing.
    assert sender.post(url(file, "pull-back")).status_code == 409
    receiver = client_for(cast.section_officer)  # logging in is itself an audit event
    events = AuditEvent.objects.count()
    receiver.get(url(file))
    assert AuditEvent.objects.count() == events


def test_read_shows_own_drafts_but_not_other_peoples(
    cast: Cast, file: File, client_for: ClientFor
) -> None:
    note_add(actor=cast.assistant, file_id=file.pk, body="Proposal.")
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    draft = note_add(actor=cast.section_officer, file_id=file.pk, body="Thinking aloud.")

    own = client_for(cast.section_officer).get(url(file)).json()["notes"]
    assert [(n["id"], n["is_final"], n["editable"]) for n in own] == [
        (own[0]["id"], True, False),
        (draft.pk, False, True),
    ]
    assert own[1]["paragraphs"] == [{"number": 2, "text": "Thinking aloud."}]
    others = client_for(cast.assistant).get(url(file)).json()["notes"]
    assert [n["is_final"] for n in others] == [True]


def test_read_is_404_for_outsiders_and_missing_files(
    cast: Cast, file: File, client_for: ClientFor
) -> None:
    outsider = client_for(cast.outsider)
    assert outsider.get(url(file)).status_code == 404
    assert outsider.get(f"{FILES}999999/").status_code == 404
    # Another ministry's officer, or one not cleared for its grade, is told nothing.
    assert outsider.get(url(file)).json() == {"detail": "No such file, or it is not open to you."}
    assert client_for(cast.registry_clerk).get(url(file)).status_code == 404
    # The Secretary, above the assistant holding it, may read it (need to know: the chain).
    assert client_for(cast.secretary).get(url(file)).status_code == 200


# --- Notes --------------------------------------------------------------------------------


def test_write_a_note(cast: Cast, file: File, client_for: ClientFor) -> None:
    response = client_for(cast.assistant).post(
        url(file, "notes"), {"body": "First.\n\nSecond."}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["first_para"] == 1 and body["para_count"] == 2
    assert body["is_final"] is False and body["editable"] is True
    assert body["post"] == {
        "id": cast.assistant_post.pk,
        "designation": cast.assistant_post.designation,
    }
    note = Note.objects.get(pk=body["id"])
    assert last_event(note, "note.add").after == {
        "file": file.number,
        "kind": "text",
        "body": "First.\n\nSecond.",
    }
    agree = client_for(cast.assistant).post(url(file, "notes"), {"kind": "agree"}, format="json")
    assert agree.status_code == 201 and agree.json()["para_count"] == 0


def test_note_by_a_previous_holder_is_409_and_by_outsider_404(
    cast: Cast, file: File, client_for: ClientFor
) -> None:
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    response = client_for(cast.assistant).post(url(file, "notes"), {"body": "Late."})
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This file is now with Section Officer (Development-I), not with your post."
    }
    assert client_for(cast.outsider).post(url(file, "notes"), {"body": "Hi."}).status_code == 404
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    "payload", [{"body": "   \n\n  "}, {}, {"kind": "essay", "body": "Text."}, {"body": None}]
)
def test_note_refuses_bad_input(
    cast: Cast, file: File, client_for: ClientFor, payload: dict[str, object]
) -> None:
    client = client_for(cast.assistant)  # logging in is itself an audit event
    events = AuditEvent.objects.count()
    response = client.post(url(file, "notes"), payload, format="json")
    assert response.status_code == 400
    assert not Note.objects.exists() and AuditEvent.objects.count() == events


def test_edit_and_delete_a_draft(cast: Cast, file: File, client_for: ClientFor) -> None:
    first = note_add(actor=cast.assistant, file_id=file.pk, body="A.\n\nA2.")
    second = note_add(actor=cast.assistant, file_id=file.pk, body="B.")
    client = client_for(cast.assistant)

    edited = client.patch(f"/api/v1/notes/{first.pk}/", {"body": "A only."}, format="json")

    assert edited.status_code == 200
    assert edited.json()["paragraphs"] == [{"number": 1, "text": "A only."}]
    second.refresh_from_db()
    assert second.first_para == 2
    assert last_event(first, "note.edit").before == {"body": "A.\n\nA2."}

    deleted = client.delete(f"/api/v1/notes/{first.pk}/")

    assert deleted.status_code == 204
    assert not Note.objects.filter(pk=first.pk).exists()
    assert last_event(first, "note.delete").before == {"file": file.number, "body": "A only."}
    second.refresh_from_db()
    assert second.first_para == 1


def test_edit_refuses_bad_input_other_people_and_final_notes(
    cast: Cast, file: File, client_for: ClientFor
) -> None:
    note = note_add(actor=cast.assistant, file_id=file.pk, body="Mine.")
    note_url = f"/api/v1/notes/{note.pk}/"
    author = client_for(cast.assistant)
    assert author.patch(note_url, {"body": "  "}, format="json").status_code == 400
    assert author.patch(note_url, {}, format="json").status_code == 400
    assert client_for(cast.outsider).patch(note_url, {"body": "X"}).status_code == 404
    assert client_for(cast.outsider).delete(note_url).status_code == 404
    assert author.patch("/api/v1/notes/999999/", {"body": "X"}).status_code == 404

    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    assert author.patch(note_url, {"body": "Changed."}).status_code == 409  # not the holder
    file_return(actor=cast.section_officer, file_id=file.pk)
    final = author.patch(note_url, {"body": "Changed."})
    assert final.status_code == 409
    assert final.json() == {
        "detail": "This note was sent on with the file and is final; it cannot change."
    }
    assert author.delete(note_url).status_code == 409
    note.refresh_from_db()
    assert note.body == "Mine." and note.is_final
    assert not AuditEvent.objects.filter(action__in=["note.edit", "note.delete"]).exists()


# --- Park, unpark, close, reopen --------------------------------------------------------------


def test_park_unpark_close_reopen(cast: Cast, file: File, client_for: ClientFor) -> None:
    client = client_for(cast.assistant)
    for action, status in [
        ("park", FileStatus.PARKED),
        ("unpark", FileStatus.OPEN),
        ("close", FileStatus.CLOSED),
        ("reopen", FileStatus.OPEN),
    ]:
        response = client.post(url(file, action))
        assert response.status_code == 200, action
        assert response.json()["status"] == status
        file.refresh_from_db()
        assert file.status == status
        event = last_event(file, f"file.{action}")
        assert event.actor == cast.assistant and event.after == {"status": status}


def test_status_changes_refused(cast: Cast, file: File, client_for: ClientFor) -> None:
    client = client_for(cast.assistant)
    assert client.post(url(file, "unpark")).status_code == 409  # it is not parked
    assert client.post(url(file, "reopen")).status_code == 409  # it is not closed
    assert client_for(cast.outsider).post(url(file, "park")).status_code == 404
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.secretary_post.pk)
    assert client.post(url(file, "park")).status_code == 409  # no longer with the assistant
    response = client_for(cast.secretary).post(url(file, "close"))
    assert response.status_code == 409
    assert "owns this file" in response.json()["detail"]
    file.refresh_from_db()
    assert file.status == FileStatus.OPEN
    assert not AuditEvent.objects.filter(action__in=["file.park", "file.close"]).exists()
