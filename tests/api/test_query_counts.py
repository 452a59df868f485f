"""List and detail endpoints cost the same number of queries however much data they show."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from daftar.files.models import File
from daftar.files.services import file_open, note_add
from daftar.movement.services import file_mark_read, file_return, file_send
from tests.api.conftest import ClientFor
from tests.cast import Cast


def queries(client: APIClient, path: str) -> tuple[int, dict[str, object]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries), response.json()


def send_to_so(cast: Cast, subject: str, *, notes: int = 0) -> File:
    file = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject=subject)
    for n in range(notes):
        note_add(actor=cast.assistant, file_id=file.pk, body=f"Point {n}.\n\nMore on {n}.")
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    return file


def test_inbox_queries_do_not_grow_with_the_files(cast: Cast, client_for: ClientFor) -> None:
    client = client_for(cast.section_officer)
    inbox = f"/api/v1/posts/{cast.so_post.pk}/inbox/"
    for n in range(2):
        send_to_so(cast, f"Few {n}")
    client.get(inbox)  # the first request of a session also stores its time zone
    few, few_body = queries(client, inbox)

    for n in range(18):
        file = send_to_so(cast, f"Many {n}", notes=1)
        if n % 3 == 0:
            file_mark_read(actor=cast.section_officer, file_id=file.pk)
    many, many_body = queries(client, inbox)

    assert few_body["count"] == 2 and many_body["count"] == 20
    assert few == many


def test_file_list_queries_do_not_grow_with_the_files(cast: Cast, client_for: ClientFor) -> None:
    client = client_for(cast.assistant)
    send_to_so(cast, "One")
    client.get("/api/v1/files/")
    few, _ = queries(client, "/api/v1/files/")
    for n in range(20):
        send_to_so(cast, f"More {n}", notes=1)
    many, body = queries(client, "/api/v1/files/")
    assert body["count"] == 21
    assert few == many


def test_file_detail_queries_do_not_grow_with_notes_or_movements(
    cast: Cast, client_for: ClientFor
) -> None:
    client = client_for(cast.section_officer)
    short = send_to_so(cast, "Short", notes=1)
    long = send_to_so(cast, "Long", notes=8)
    for n in range(3):  # a longer journey, final notes from both desks, and open drafts
        note_add(actor=cast.section_officer, file_id=long.pk, body=f"SO view {n}.")
        file_return(actor=cast.section_officer, file_id=long.pk)
        note_add(actor=cast.assistant, file_id=long.pk, body=f"Assistant reply {n}.")
        file_send(actor=cast.assistant, file_id=long.pk, to_post_id=cast.so_post.pk)
    note_add(actor=cast.section_officer, file_id=long.pk, body="Draft one.")
    note_add(actor=cast.section_officer, file_id=long.pk, body="Draft two.")
    short_url, long_url = f"/api/v1/files/{short.pk}/", f"/api/v1/files/{long.pk}/"
    client.get("/api/v1/files/")  # settle the session

    first_open_short, _ = queries(client, short_url)  # the receiver opens it: marks it read
    again_short, short_body = queries(client, short_url)
    again_long, long_body = queries(client, long_url)

    assert len(short_body["notes"]) == 1  # type: ignore[arg-type]
    assert len(long_body["notes"]) == 8 + 3 + 3 + 2  # type: ignore[arg-type]
    assert again_short == again_long
    assert first_open_short > again_short  # opening writes; reading again does not

    # Opening a long file for the first time costs what opening a short one did.
    longer = send_to_so(cast, "Longer", notes=12)
    first_open_longer, _ = queries(client, f"/api/v1/files/{longer.pk}/")
    assert first_open_longer == first_open_short
