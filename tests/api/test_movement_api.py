"""The movement API: send, return, pull back, the journey, tracking, inboxes, the post picker."""

from __future__ import annotations

import datetime as dt

import pytest

from daftar.audit.models import AuditEvent
from daftar.files.models import File, FileStatus
from daftar.files.services import file_open, file_park
from daftar.lib import clock
from daftar.movement.models import Movement
from daftar.movement.services import file_mark_read, file_pull_back, file_send
from tests.api.conftest import ClientFor
from tests.cast import Cast
from tests.conftest import last_event


def url(file: File, action: str) -> str:
    return f"/api/v1/files/{file.pk}/{action}/"


def inbox_url(post_id: int) -> str:
    return f"/api/v1/posts/{post_id}/inbox/"


# --- Send ---------------------------------------------------------------------------------


def test_send_a_file(cast: Cast, file: File, client_for: ClientFor) -> None:
    due = clock.now().date() + dt.timedelta(days=3)
    response = client_for(cast.assistant).post(
        url(file, "send"),
        {"to_post": cast.so_post.pk, "remarks": " For orders. ", "priority": 2, "due_on": due},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["action"] == "put_up"
    assert body["from_post"]["id"] == cast.assistant_post.pk
    assert body["to_post"] == {"id": cast.so_post.pk, "designation": cast.so_post.designation}
    assert body["sent_by"] == {"id": cast.assistant.pk, "full_name": "Bilal Ahmed"}
    assert body["remarks"] == "For orders."
    assert body["priority"] == 2 and body["due_on"] == due.isoformat()
    assert body["read_at"] is None and body["read_by"] is None
    file.refresh_from_db()
    assert file.holder == cast.so_post and file.current_movement_id == body["id"]
    event = last_event(file, "file.put_up")
    assert event.actor == cast.assistant and event.post == cast.assistant_post
    assert event.after is not None and event.after["remarks"] == "For orders."


def test_send_by_a_non_holder_is_409_and_by_an_outsider_404(
    cast: Cast, file: File, client_for: ClientFor
) -> None:
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    again = client_for(cast.assistant).post(url(file, "send"), {"to_post": cast.ds_post.pk})
    assert again.status_code == 409
    assert again.json()["detail"] == (
        "This file is now with Section Officer (Development-I), not with your post."
    )
    outsider = client_for(cast.outsider).post(url(file, "send"), {"to_post": cast.ds_post.pk})
    assert outsider.status_code == 404
    file.refresh_from_db()
    assert file.holder == cast.so_post and file.movements.count() == 2


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"to_post": "SO"},
        {"to_post": "self"},
        {"to_post": 999_999},
        {"to_post": "so", "priority": 42},
        {"to_post": "so", "due_on": "tomorrow"},
        {"to_post": "so", "due_on": "past"},
        {"to_post": "so", "remarks": "x" * 2001},
    ],
)
def test_send_refuses_bad_input_and_changes_nothing(
    cast: Cast, file: File, client_for: ClientFor, payload: dict[str, object]
) -> None:
    posts = {"so": cast.so_post.pk, "self": cast.assistant_post.pk}
    if payload.get("to_post") in posts:
        payload = {**payload, "to_post": posts[str(payload["to_post"])]}
    if payload.get("due_on") == "past":
        payload = {**payload, "due_on": (clock.now().date() - dt.timedelta(days=1)).isoformat()}
    client = client_for(cast.assistant)  # logging in is itself an audit event
    events = AuditEvent.objects.count()
    response = client.post(url(file, "send"), payload, format="json")
    assert response.status_code == 400
    file.refresh_from_db()
    assert file.holder == cast.assistant_post and file.movements.count() == 1
    assert AuditEvent.objects.count() == events


def test_send_a_closed_file_is_409(cast: Cast, file: File, client_for: ClientFor) -> None:
    client = client_for(cast.assistant)
    assert client.post(url(file, "close")).status_code == 200
    response = client.post(url(file, "send"), {"to_post": cast.so_post.pk})
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


# --- Return -------------------------------------------------------------------------------


def test_return_a_file(cast: Cast, file: File, client_for: ClientFor) -> None:
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.registry_post.pk)
    response = client_for(cast.registry_clerk).post(
        url(file, "return"), {"remarks": "Diarised."}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["action"] == "return" and body["to_post"]["id"] == cast.assistant_post.pk
    file.refresh_from_db()
    assert file.holder == cast.assistant_post
    event = last_event(file, "file.return")
    assert event.actor == cast.registry_clerk and event.post == cast.registry_post


def test_return_refused(cast: Cast, file: File, client_for: ClientFor) -> None:
    opened_here = client_for(cast.assistant).post(url(file, "return"))
    assert opened_here.status_code == 409
    assert "no one to return it to" in opened_here.json()["detail"]
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.registry_post.pk)
    assert client_for(cast.assistant).post(url(file, "return")).status_code == 409
    assert client_for(cast.outsider).post(url(file, "return")).status_code == 404
    too_long = client_for(cast.registry_clerk).post(
        url(file, "return"), {"remarks": "x" * 2001}, format="json"
    )
    assert too_long.status_code == 400
    file.refresh_from_db()
    assert file.holder == cast.registry_post
    assert not AuditEvent.objects.filter(action="file.return").exists()


# --- Pull back ----------------------------------------------------------------------------


def test_pull_back_before_the_receiver_opens(cast: Cast, file: File, client_for: ClientFor) -> None:
    sent = file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    response = client_for(cast.assistant).post(url(file, "pull-back"))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == sent.pk and body["pulled_back_at"] is not None
    file.refresh_from_db()
    assert file.holder == cast.assistant_post
    assert last_event(file, "file.pull_back").actor == cast.assistant
    # The receiver keeps sight only by need to know (it is above the assistant), not by custody.
    detail = client_for(cast.section_officer).get(f"/api/v1/files/{file.pk}/")
    assert detail.status_code == 200 and detail.json()["can_act"] is False


def test_pull_back_refused(cast: Cast, file: File, client_for: ClientFor) -> None:
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    assert client_for(cast.outsider).post(url(file, "pull-back")).status_code == 404
    not_sender = client_for(cast.section_officer).post(url(file, "pull-back"))
    assert not_sender.status_code == 409
    assert not_sender.json()["detail"] == "Only the post that sent this file can pull it back."
    file_mark_read(actor=cast.section_officer, file_id=file.pk)
    opened = client_for(cast.assistant).post(url(file, "pull-back"))
    assert opened.status_code == 409 and "already opened" in opened.json()["detail"]
    file.refresh_from_db()
    assert file.holder == cast.so_post
    assert not AuditEvent.objects.filter(action="file.pull_back").exists()


# --- Movements (the journey) ----------------------------------------------------------------


def test_movements_show_each_stop_with_how_long(
    cast: Cast, file: File, client_for: ClientFor
) -> None:
    start = clock.now().replace(microsecond=0)
    with clock.frozen_at(start + dt.timedelta(hours=1)):
        file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.ds_post.pk)
    with clock.frozen_at(start + dt.timedelta(hours=2)):
        file_pull_back(actor=cast.assistant, file_id=file.pk)
    with clock.frozen_at(start + dt.timedelta(hours=3)):
        file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)

    response = client_for(cast.section_officer).get(url(file, "movements"))

    assert response.status_code == 200
    stops = response.json()
    assert [(s["movement"]["action"], s["held"]) for s in stops] == [
        ("open", True),
        ("put_up", False),
        ("put_up", True),
    ]
    opening, pulled, current = stops
    assert opening["until"] == current["since"]
    assert opening["duration_seconds"] >= 3 * 3600 - 60
    assert pulled["since"] is None and pulled["duration_seconds"] is None
    assert pulled["movement"]["pulled_back_at"] is not None
    assert current["until"] is None and current["movement"]["to_post"]["id"] == cast.so_post.pk
    assert client_for(cast.outsider).get(url(file, "movements")).status_code == 404


# --- Track --------------------------------------------------------------------------------


def test_track_a_file_by_number(cast: Cast, file: File, client_for: ClientFor) -> None:
    sent = file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    response = client_for(cast.assistant).get(
        "/api/v1/files/track/", {"number": f"  {file.number.lower()} "}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["file"]["id"] == file.pk
    assert body["holder"]["id"] == cast.so_post.pk and body["holder"]["unit"]["code"] == "D-I"
    assert body["holders"] == [{"id": cast.section_officer.pk, "full_name": "Ayesha Siddiqui"}]
    assert dt.datetime.fromisoformat(body["since"]) == sent.sent_at
    assert body["opened_at"] is None


def test_track_refused(cast: Cast, file: File, client_for: ClientFor) -> None:
    client = client_for(cast.assistant)
    assert client.get("/api/v1/files/track/").status_code == 400
    assert client.get("/api/v1/files/track/", {"number": "9-9/1999-X"}).status_code == 404
    outsider = client_for(cast.outsider).get("/api/v1/files/track/", {"number": file.number})
    assert outsider.status_code == 404


# --- Inbox --------------------------------------------------------------------------------


def test_inbox_orders_unread_first_and_counts_tabs(cast: Cast, client_for: ClientFor) -> None:
    def sent_to_so(subject: str, **kwargs: object) -> File:
        opened = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject=subject)
        file_send(
            actor=cast.assistant,
            file_id=opened.pk,
            to_post_id=cast.so_post.pk,
            **kwargs,  # type: ignore[arg-type]
        )
        return opened

    read = sent_to_so("Read already")
    file_mark_read(actor=cast.section_officer, file_id=read.pk)
    routine = sent_to_so("Routine")
    urgent = sent_to_so("Urgent", priority=3)
    parked = sent_to_so("Parked")
    file_park(actor=cast.section_officer, file_id=parked.pk)
    file_open(actor=cast.section_officer, post_id=cast.so_post.pk, subject="Own file")

    response = client_for(cast.section_officer).get(inbox_url(cast.so_post.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["post"]["id"] == cast.so_post.pk
    assert body["counts"] == {"open": 4, "unread": 2, "parked": 1, "overdue": 0}
    assert body["count"] == 4
    results = body["results"]
    assert [r["id"] for r in results[:3]] == [urgent.pk, routine.pk, read.pk]
    assert [r["unread"] for r in results] == [True, True, False, False]
    assert results[0]["movement"]["from_post"]["id"] == cast.assistant_post.pk
    assert results[3]["movement"]["action"] == "open"
    assert results[3]["movement"]["from_post"] is None
    parked_tab = client_for(cast.section_officer).get(
        inbox_url(cast.so_post.pk), {"status": FileStatus.PARKED}
    )
    assert [r["id"] for r in parked_tab.json()["results"]] == [parked.pk]
    # Reading the inbox opens nothing.
    assert Movement.objects.filter(file=routine, read_at__isnull=True).count() == 1


def test_inbox_flags_overdue(cast: Cast, file: File, client_for: ClientFor) -> None:
    today = clock.now().date()
    with clock.frozen_at(clock.now() - dt.timedelta(days=5)):
        file_send(
            actor=cast.assistant,
            file_id=file.pk,
            to_post_id=cast.so_post.pk,
            due_on=today - dt.timedelta(days=2),
        )
    body = client_for(cast.section_officer).get(inbox_url(cast.so_post.pk)).json()
    assert body["counts"]["overdue"] == 1
    assert body["results"][0]["overdue"] is True


def test_inbox_is_only_for_ones_own_posts(cast: Cast, client_for: ClientFor) -> None:
    assert client_for(cast.assistant).get(inbox_url(cast.so_post.pk)).status_code == 404
    assert client_for(cast.outsider).get(inbox_url(cast.so_post.pk)).status_code == 404
    assert client_for(cast.assistant).get(inbox_url(999_999)).status_code == 404
    bad_tab = client_for(cast.section_officer).get(inbox_url(cast.so_post.pk), {"status": "x"})
    assert bad_tab.status_code == 400


# --- The post picker ------------------------------------------------------------------------


def test_post_search(cast: Cast, client_for: ClientFor) -> None:
    client = client_for(cast.assistant)
    found = client.get("/api/v1/posts/", {"q": "section officer"}).json()
    assert {p["id"] for p in found} == {cast.so_post.pk, cast.outsider_post.pk}
    by_holder = client.get("/api/v1/posts/", {"q": "Siddiqui"}).json()
    assert by_holder == [
        {
            "id": cast.so_post.pk,
            "code": "SO-D1",
            "designation": "Section Officer (Development-I)",
            "grade": 17,
            "unit": {"id": cast.section.pk, "code": "D-I", "name": "Development-I Section"},
        }
    ]
    assert client.get("/api/v1/posts/", {"q": "x" * 201}).status_code == 400
