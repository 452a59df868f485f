"""Every action on the file page: success, 404 for outsiders, 409 for the wrong desk, and bad
input that shows a message and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from daftar.files.models import File, FileStatus, Note, NoteKind
from daftar.files.services import file_close, file_park, note_add
from daftar.lib import clock
from daftar.movement.models import Action, Movement
from daftar.movement.services import file_mark_read, file_send
from daftar.org.models import User
from tests.cast import Cast
from tests.conftest import last_event
from tests.web.conftest import text_of

Login = Callable[[User], Client]


def url(name: str, obj: File | Note) -> str:
    return reverse(name, args=[obj.pk])


# --- Opening a file ---------------------------------------------------------------------------


def test_file_new_opens_and_redirects(cast: Cast, login: Login) -> None:
    client = login(cast.assistant)
    form = text_of(client.get(reverse("file-new")))
    assert 'name="subject"' in form
    assert 'type="hidden" name="post"' in form  # one post: nothing to choose

    response = client.post(
        reverse("file-new"),
        {
            "post": cast.assistant_post.pk,
            "subject": "  Flood protection   works, Jhelum ",
            "classification": 1,
            "priority": 2,
            "head": "",
        },
    )
    file = File.objects.get(subject="Flood protection works, Jhelum")
    assert response.status_code == 302 and response["Location"] == url("file-detail", file)
    assert file.holder == cast.assistant_post and file.classification == 1
    assert file.priority == 2 and not file.is_physical
    assert last_event(file, "file.open").actor == cast.assistant


def test_file_new_bad_input_shows_errors_and_opens_nothing(cast: Cast, login: Login) -> None:
    client = login(cast.assistant)
    cases = [
        {"post": cast.assistant_post.pk, "subject": "", "classification": 0, "priority": 0},
        {"post": cast.outsider_post.pk, "subject": "X", "classification": 0, "priority": 0},
        {"post": "abc", "subject": "X", "classification": 9, "priority": "high"},
        {"post": cast.assistant_post.pk, "subject": "x" * 501, "classification": 0, "priority": 0},
    ]
    for data in cases:
        response = client.post(reverse("file-new"), data)
        assert response.status_code == 400, data
        assert "alert-danger" in text_of(response)
    assert File.objects.count() == 0


def test_file_new_lets_a_person_with_two_posts_choose(cast: Cast, login: Login) -> None:
    from daftar.org import services as org

    org.charge_assign(
        actor=None,
        person=cast.assistant,
        post=cast.registry_post,
        start=dt.date(2020, 1, 1),
        kind="additional",
    )
    html = text_of(login(cast.assistant).get(reverse("file-new")))
    assert '<select name="post"' in html
    assert "Registry Clerk — Central Registry" in html


# --- Notes ------------------------------------------------------------------------------------


def test_note_add_and_agree(cast: Cast, file: File, login: Login) -> None:
    client = login(cast.assistant)
    response = client.post(url("note-add", file), {"body": "One.\n\nTwo.", "kind": "text"})
    note = Note.objects.get(file=file)
    assert response.status_code == 302
    assert response["Location"] == f"{url('file-detail', file)}#note-{note.pk}"
    assert note.para_count == 2 and not note.is_final
    assert last_event(note, "note.add").actor == cast.assistant

    response = client.post(url("note-add", file), {"body": "", "kind": "agree"})
    assert response.status_code == 302
    assert Note.objects.filter(file=file, kind=NoteKind.AGREE).count() == 1


def test_note_add_bad_input_keeps_the_text_and_adds_nothing(
    cast: Cast, file: File, login: Login
) -> None:
    client = login(cast.assistant)
    empty = client.post(url("note-add", file), {"body": "   \n\n  ", "kind": "text"})
    assert empty.status_code == 400
    assert "The note is empty" in text_of(empty)

    agree_with_text = client.post(url("note-add", file), {"body": "My words", "kind": "agree"})
    assert agree_with_text.status_code == 400
    assert "My words</textarea>" in text_of(agree_with_text)  # nothing typed is lost

    bad_kind = client.post(url("note-add", file), {"body": "x", "kind": "scribble"})
    assert bad_kind.status_code == 400
    assert Note.objects.filter(file=file).count() == 0


def test_note_add_by_outsider_is_404_and_by_former_holder_409(
    cast: Cast, file: File, login: Login
) -> None:
    assert login(cast.outsider).post(url("note-add", file), {"body": "x"}).status_code == 404
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    response = login(cast.assistant).post(url("note-add", file), {"body": "late", "kind": "text"})
    assert response.status_code == 409
    assert "now with Section Officer (Development-I)" in text_of(response)
    assert "late</textarea>" not in text_of(response)  # no note form: not the holder now
    assert Note.objects.filter(file=file).count() == 0


def test_note_edit_get_post_and_htmx_partial(cast: Cast, file: File, login: Login) -> None:
    note = note_add(actor=cast.assistant, file_id=file.pk, body="Draft text.")
    client = login(cast.assistant)

    page = client.get(url("note-edit", note))
    assert page.status_code == 200 and "Draft text.</textarea>" in text_of(page)
    partial = client.get(url("note-edit", note), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in text_of(partial) and f'id="note-{note.pk}"' in text_of(partial)

    response = client.post(url("note-edit", note), {"body": "Better text.\n\nAnd more."})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "Better text.\n\nAnd more." and note.para_count == 2
    assert last_event(note, "note.edit").before == {"body": "Draft text."}


def test_note_edit_refusals(cast: Cast, file: File, login: Login) -> None:
    note = note_add(actor=cast.assistant, file_id=file.pk, body="Mine.")
    empty = login(cast.assistant).post(url("note-edit", note), {"body": "  "})
    assert empty.status_code == 400
    # Another person's draft, and an outsider: 404 both.
    assert login(cast.section_officer).get(url("note-edit", note)).status_code == 404
    assert login(cast.outsider).post(url("note-edit", note), {"body": "x"}).status_code == 404
    assert login(cast.assistant).get(reverse("note-edit", args=[999_999])).status_code == 404
    # Sent on: final, can no longer change.
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    final = login(cast.assistant).get(url("note-edit", note))
    assert final.status_code == 409
    assert "final" in text_of(final)
    changed = login(cast.assistant).post(url("note-edit", note), {"body": "Rewritten"})
    assert changed.status_code == 409
    note.refresh_from_db()
    assert note.body == "Mine."


def test_note_delete(cast: Cast, file: File, login: Login) -> None:
    note = note_add(actor=cast.assistant, file_id=file.pk, body="Oops.")
    assert login(cast.outsider).post(url("note-delete", note)).status_code == 404
    assert login(cast.assistant).get(url("note-delete", note)).status_code == 405
    response = login(cast.assistant).post(url("note-delete", note))
    assert response.status_code == 302
    assert not Note.objects.filter(pk=note.pk).exists()
    assert last_event(note, "note.delete").actor == cast.assistant


# --- Sending ----------------------------------------------------------------------------------


def test_send_moves_the_file_and_finalises_drafts(cast: Cast, file: File, login: Login) -> None:
    note = note_add(actor=cast.assistant, file_id=file.pk, body="Put up.")
    due = clock.now().date() + dt.timedelta(days=7)
    response = login(cast.assistant).post(
        url("file-send", file),
        {
            "to_post": cast.so_post.pk,
            "remarks": "For orders.",
            "priority": "2",
            "due_on": due.isoformat(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('home')}?post={cast.assistant_post.pk}"
    file.refresh_from_db()
    assert file.holder == cast.so_post
    movement = Movement.objects.get(file=file, pk=file.current_movement_id or 0)
    assert movement.action == Action.PUT_UP and movement.remarks == "For orders."
    assert movement.priority == 2 and movement.due_on == due
    note.refresh_from_db()
    assert note.is_final
    assert last_event(file, "file.put_up").actor == cast.assistant


def test_send_with_unchanged_priority_keeps_the_files(cast: Cast, file: File, login: Login) -> None:
    login(cast.assistant).post(url("file-send", file), {"to_post": cast.so_post.pk, "priority": ""})
    file.refresh_from_db()
    assert (
        Movement.objects.get(file=file, pk=file.current_movement_id or 0).priority == file.priority
    )


def test_send_bad_input_shows_message_and_changes_nothing(
    cast: Cast, file: File, login: Login
) -> None:
    client = login(cast.assistant)
    past = (clock.now().date() - dt.timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, str | int], str]] = [
        ({}, "Choose the post to send the file to."),
        ({"to_post": "abc"}, "Choose the post to send the file to."),
        ({"to_post": 999_999}, "No such post"),
        ({"to_post": cast.assistant_post.pk}, "already with this post"),
        ({"to_post": cast.so_post.pk, "due_on": past}, "past"),
        ({"to_post": cast.so_post.pk, "due_on": "31/31/2026"}, "YYYY-MM-DD"),
        ({"to_post": cast.so_post.pk, "priority": "42"}, "Select a valid choice"),
    ]
    for data, message in cases:
        response = client.post(url("file-send", file), {"remarks": "keep me", **data})
        assert response.status_code == 400, data
        html = text_of(response)
        assert message in html, data
        assert "keep me</textarea>" in html  # the remarks survive the error
    file.refresh_from_db()
    assert file.holder == cast.assistant_post and file.movements.count() == 1


def test_send_keeps_a_searched_choice_after_an_error(cast: Cast, file: File, login: Login) -> None:
    past = (clock.now().date() - dt.timedelta(days=1)).isoformat()
    response = login(cast.assistant).post(
        url("file-send", file), {"to_post": cast.registry_post.pk, "due_on": past}
    )
    html = text_of(response)
    assert f'value="{cast.registry_post.pk}" required checked' in html


def test_send_by_outsider_404_and_by_former_holder_409(
    cast: Cast, file: File, login: Login
) -> None:
    data = {"to_post": cast.ds_post.pk}
    assert login(cast.outsider).post(url("file-send", file), data).status_code == 404
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    response = login(cast.assistant).post(url("file-send", file), data)
    assert response.status_code == 409
    assert "now with Section Officer (Development-I)" in text_of(response)
    file.refresh_from_db()
    assert file.holder == cast.so_post


def test_send_failure_over_htmx_refreshes_with_the_status(
    cast: Cast, file: File, login: Login
) -> None:
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    response = login(cast.assistant).post(
        url("file-send", file), {"to_post": cast.ds_post.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 409
    assert response["HX-Refresh"] == "true"


def test_return_to_sender(cast: Cast, file: File, login: Login) -> None:
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    # Only the holder can return it.
    assert login(cast.assistant).post(url("file-return", file)).status_code == 409
    response = login(cast.section_officer).post(
        url("file-return", file), {"remarks": "Redo para 2.", "to_post": ""}
    )
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.holder == cast.assistant_post
    movement = Movement.objects.get(file=file, pk=file.current_movement_id or 0)
    assert movement.action == Action.RETURN and movement.remarks == "Redo para 2."


def test_return_of_a_file_opened_here_is_409(cast: Cast, file: File, login: Login) -> None:
    response = login(cast.assistant).post(url("file-return", file), {"remarks": "x"})
    assert response.status_code == 409
    assert "no one to return it to" in text_of(response)


def test_pull_back_until_opened(cast: Cast, file: File, login: Login) -> None:
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    assert login(cast.outsider).post(url("file-pull-back", file)).status_code == 404
    response = login(cast.assistant).post(url("file-pull-back", file))
    assert response.status_code == 302 and response["Location"] == url("file-detail", file)
    file.refresh_from_db()
    assert file.holder == cast.assistant_post
    assert last_event(file, "file.pull_back").actor == cast.assistant

    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    file_mark_read(actor=cast.section_officer, file_id=file.pk)
    late = login(cast.assistant).post(url("file-pull-back", file))
    assert late.status_code == 409
    assert "already opened" in text_of(late)
    file.refresh_from_db()
    assert file.holder == cast.so_post


# --- Park, unpark, close, reopen -------------------------------------------------------------


def test_park_unpark_close_reopen(cast: Cast, file: File, login: Login) -> None:
    client = login(cast.assistant)
    steps = [
        ("file-park", FileStatus.PARKED),
        ("file-unpark", FileStatus.OPEN),
        ("file-close", FileStatus.CLOSED),
        ("file-reopen", FileStatus.OPEN),
    ]
    for name, status in steps:
        response = client.post(url(name, file))
        assert response.status_code == 302, name
        file.refresh_from_db()
        assert file.status == status, name
    assert last_event(file, "file.reopen").actor == cast.assistant


def test_status_actions_in_the_wrong_state_are_409(cast: Cast, file: File, login: Login) -> None:
    client = login(cast.assistant)
    response = client.post(url("file-unpark", file))
    assert response.status_code == 409
    assert "That cannot be done now: the file is open." in text_of(response)
    assert client.post(url("file-reopen", file)).status_code == 409
    file_park(actor=cast.assistant, file_id=file.pk)
    assert client.post(url("file-park", file)).status_code == 409
    file_close(actor=cast.assistant, file_id=file.pk)
    closed = text_of(client.get(url("file-detail", file)))
    assert url("file-send", file) not in closed and url("note-add", file) not in closed
    assert url("file-reopen", file) in closed
    file.refresh_from_db()
    assert file.status == FileStatus.CLOSED


def test_status_actions_by_outsider_404_and_non_holder_409(
    cast: Cast, file: File, login: Login
) -> None:
    for name in ("file-park", "file-unpark", "file-close", "file-reopen"):
        assert login(cast.outsider).post(url(name, file)).status_code == 404, name
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    assert login(cast.assistant).post(url("file-park", file)).status_code == 409
    file.refresh_from_db()
    assert file.status == FileStatus.OPEN


def test_actions_refuse_get(cast: Cast, file: File, login: Login) -> None:
    client = login(cast.assistant)
    for name in ("file-send", "file-return", "file-pull-back", "file-park", "note-add"):
        assert client.get(url(name, file)).status_code == 405, name
    file.refresh_from_db()
    assert file.status == FileStatus.OPEN


def test_actions_need_login(client: Client, file: File) -> None:
    response = client.post(url("file-send", file), {"to_post": 1})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert file.movements.count() == 1


def test_huge_numbers_are_bad_input_not_a_crash(cast: Cast, file: File, login: Login) -> None:
    huge = "9" * 25
    client = login(cast.assistant)
    assert client.get(f"/files/{huge}/").status_code == 404
    assert client.post(f"/notes/{huge}/delete/").status_code == 404
    assert client.get(reverse("home"), {"post": huge}).status_code in {200, 404}
    assert client.get(reverse("post-search"), {"q": "a", "exclude": huge}).status_code == 200
    for odd in (huge, "²", "-5", "1e3"):
        response = client.post(url("file-send", file), {"to_post": odd})
        assert response.status_code == 400, odd
    file.refresh_from_db()
    assert file.holder == cast.assistant_post
