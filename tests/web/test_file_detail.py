"""The file page: header, note sheet, send panel, timeline; opening marks the file read."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from daftar.accounts import state
from daftar.files.models import File, FileShare, NoteKind
from daftar.files.services import note_add
from daftar.lib import clock
from daftar.movement.models import Movement
from daftar.movement.services import file_pull_back, file_send
from daftar.org.models import User
from tests.cast import PASSWORD, Cast
from tests.conftest import last_event
from tests.web.conftest import count_queries, open_file, text_of

Login = Callable[[User], Client]


def detail(file: File) -> str:
    return reverse("file-detail", args=[file.pk])


def test_holder_sees_note_form_send_panel_and_suggestions(
    cast: Cast, file: File, login: Login
) -> None:
    response = login(cast.assistant).get(detail(file))
    assert response.status_code == 200
    html = text_of(response)
    assert file.number in html and file.subject in html
    assert "Unclassified" in html and "Routine" in html
    assert "With <strong>Assistant (Development-I)</strong>" in html
    assert reverse("note-add", args=[file.pk]) in html
    assert reverse("file-send", args=[file.pk]) in html
    assert reverse("post-search") in html
    # The officer above is suggested, with who holds the post.
    assert "Section Officer (Development-I)" in html and "Ayesha Siddiqui" in html
    assert "Above you" in html
    assert "No correspondence on this file yet." in html
    assert reverse("file-park", args=[file.pk]) in html
    assert reverse("file-close", args=[file.pk]) in html
    assert reverse("file-return", args=[file.pk]) not in html  # opened here: no one to return to
    assert f"{reverse('file-track')}?number=" in html


def test_viewing_as_the_receiver_marks_read_once(cast: Cast, file: File, login: Login) -> None:
    sent = file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    client = login(cast.section_officer)

    html = text_of(client.get(detail(file)))

    sent.refresh_from_db()
    assert sent.read_at is not None and sent.read_by == cast.section_officer
    event = last_event(file, "file.read")
    assert event.actor == cast.section_officer
    assert "Return to Assistant (Development-I)" in html
    assert "opened" in html
    client.get(detail(file))
    assert Movement.objects.get(pk=sent.pk).read_at == sent.read_at


def test_sender_may_pull_back_until_opened_and_others_only_read(
    cast: Cast, file: File, login: Login
) -> None:
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    assistant = login(cast.assistant)

    html = text_of(assistant.get(detail(file)))
    assert reverse("file-pull-back", args=[file.pk]) in html
    assert reverse("note-add", args=[file.pk]) not in html
    assert reverse("file-send", args=[file.pk]) not in html
    # The sender looking at it does not count as the receiver opening it.
    assert Movement.objects.get(file=file, to_post=cast.so_post).read_at is None

    login(cast.section_officer).get(detail(file))
    html = text_of(assistant.get(detail(file)))
    assert reverse("file-pull-back", args=[file.pk]) not in html
    assert "Only Section Officer (Development-I), who has it now" in html


def test_outsider_and_missing_files_are_404(cast: Cast, file: File, login: Login) -> None:
    outsider = login(cast.outsider)
    assert outsider.get(detail(file)).status_code == 404
    assert outsider.get(reverse("file-detail", args=[999_999])).status_code == 404
    # The Deputy Secretary is above the assistant holding it: may read it (need to know).
    assert login(cast.deputy_secretary).get(detail(file)).status_code == 200


def test_note_sheet_numbers_paragraphs_and_shows_drafts_and_finals(
    cast: Cast, file: File, login: Login
) -> None:
    note_add(actor=cast.assistant, file_id=file.pk, body="First para.\n\nSecond para.")
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    draft = note_add(
        actor=cast.section_officer, file_id=file.pk, body="Third para.\n\n<script>x()</script>"
    )
    agree = note_add(actor=cast.section_officer, file_id=file.pk, kind=NoteKind.AGREE)

    so_html = text_of(login(cast.section_officer).get(detail(file)))
    assert so_html.count("note-final") == 1
    assert so_html.count("note-draft") == 2
    paragraphs = re.findall(r"para-num[^>]*>(\d+)\.</span>\s*<p[^>]*>([^<]*)</p>", so_html)
    assert paragraphs == [
        ("1", "First para."),
        ("2", "Second para."),
        ("3", "Third para."),
        ("4", "&lt;script&gt;x()&lt;/script&gt;"),  # what officers write is text, never markup
    ]
    assert 'aria-label="Paragraph 4"' in so_html
    assert "Agreed." in so_html
    assert "Bilal Ahmed" in so_html and "Ayesha Siddiqui" in so_html
    assert reverse("note-edit", args=[draft.pk]) in so_html
    assert reverse("note-delete", args=[agree.pk]) in so_html
    assert reverse("note-edit", args=[agree.pk]) not in so_html  # nothing to edit in "Agreed"

    # The assistant sees the section officer's drafts but cannot touch them.
    asst_html = text_of(login(cast.assistant).get(detail(file)))
    assert "Third para." in asst_html
    assert reverse("note-edit", args=[draft.pk]) not in asst_html


def test_timeline_shows_custody_remarks_and_pulled_back_sends(
    cast: Cast, file: File, login: Login
) -> None:
    file_send(
        actor=cast.assistant,
        file_id=file.pk,
        to_post_id=cast.ds_post.pk,
        remarks="Sent to the wrong desk",
    )
    file_pull_back(actor=cast.assistant, file_id=file.pk)
    file_send(
        actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk, remarks="For orders."
    )
    html = text_of(login(cast.assistant).get(detail(file)))
    timeline = html[html.index('id="timeline"') :]
    assert "timeline-pulled" in timeline
    assert '<del class="fw-semibold">Deputy Secretary (Development)</del>' in timeline
    assert "pulled back" in timeline
    assert "“<bdi>Sent to the wrong desk</bdi>”" in timeline
    assert "“<bdi>For orders.</bdi>”" in timeline
    assert "has it now" in timeline
    assert timeline.index("Assistant (Development-I)") < timeline.index("For orders.")


def test_physical_file_has_no_note_form(cast: Cast, login: Login) -> None:
    from daftar.files.services import file_open

    paper = file_open(
        actor=cast.assistant,
        post_id=cast.assistant_post.pk,
        subject="Old land record",
        is_physical=True,
    )
    html = text_of(login(cast.assistant).get(detail(paper)))
    assert "Paper file" in html
    assert reverse("note-add", args=[paper.pk]) not in html
    assert reverse("file-send", args=[paper.pk]) in html  # its movement is still tracked


def _busy_file(cast: Cast, hops: int) -> File:
    """A file that went back and forth ``hops`` times, with a note at every stop."""
    file = open_file(cast.assistant, cast.assistant_post, f"Busy file {hops}")
    desks = [(cast.assistant, cast.so_post), (cast.section_officer, cast.assistant_post)]
    for i in range(hops):
        actor, to_post = desks[i % 2]
        note_add(actor=actor, file_id=file.pk, body=f"Note {i}.\n\nSecond paragraph {i}.")
        file_send(actor=actor, file_id=file.pk, to_post_id=to_post.pk, remarks=f"Hop {i}")
    return file


def test_file_page_query_count_does_not_grow_with_notes_and_movements(
    cast: Cast, login: Login
) -> None:
    small_file = _busy_file(cast, 3)  # ends with the section officer
    large_file = _busy_file(cast, 41)  # 41 notes, 42 movements; also with the section officer
    assert large_file.notes.count() == 41
    client = login(cast.section_officer)
    client.get(reverse("home"))  # warm-up: the session caches the time zone

    first_small, _ = count_queries(client, detail(small_file))  # marks it read
    first_large, first_sql = count_queries(client, detail(large_file))
    again_small, _ = count_queries(client, detail(small_file))
    again_large, sql = count_queries(client, detail(large_file))

    assert first_small == first_large, first_sql
    assert again_small == again_large, sql
    assert again_large <= 12, sql


def test_times_are_shown_in_the_organisations_time_zone(cast: Cast, login: Login) -> None:
    import datetime as dt

    from daftar.lib import clock

    with clock.frozen_at(dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)):
        file = open_file(cast.assistant, cast.assistant_post, "Zone check")
    html = text_of(login(cast.assistant).get(detail(file)))
    assert "1 Mar 2026, 15:00" in html  # Asia/Karachi is UTC+5
    assert "1 Mar 2026, 10:00" not in html


def test_the_holder_shares_and_ends_a_share_from_the_file_page(
    cast: Cast, file: File, login: Login
) -> None:
    until = (clock.now().date() + dt.timedelta(days=5)).isoformat()
    form = {"to_post": cast.outsider_post.pk, "until": until, "reason": "Costs to Budget"}
    assistant = login(cast.assistant)
    assert 'id="share-post-search"' not in text_of(assistant.get(detail(file)))
    assert assistant.post(reverse("file-share", args=[file.pk]), form).status_code == 403
    permission, _new = Permission.objects.get_or_create(
        codename="share_file",
        content_type_id=ContentType.objects.get_for_model(File).pk,
        defaults={"name": "Can share a file read-only"},
    )
    cast.assistant.user_permissions.add(permission)
    assert login(cast.outsider).get(detail(file)).status_code == 404
    assistant = login(cast.assistant)
    assert 'id="share-post-search"' in text_of(assistant.get(detail(file)))
    # Sharing asks for the password again (docs/login.md) once the login's proof is old,
    # then comes back to the file page.
    session = assistant.session
    session[state.REAUTH] = state.now_seconds() - settings.REAUTH_SECONDS - 1
    session.save()
    share_url = reverse("file-share", args=[file.pk])
    asked = assistant.post(share_url, form, HTTP_REFERER=f"http://testserver{detail(file)}")
    confirm = reverse("accounts:confirm")
    assert asked.status_code == 302 and asked["Location"].startswith(confirm)
    assert not FileShare.objects.exists()
    back = assistant.post(asked["Location"], {"password": PASSWORD})
    assert back.status_code == 302 and back["Location"] == detail(file)
    assert assistant.post(share_url, form).status_code == 302
    share = FileShare.objects.get()
    outsider_page = text_of(login(cast.outsider).get(detail(file)))
    assert "Costs to Budget" in outsider_page
    assert reverse("note-add", args=[file.pk]) not in outsider_page  # reading only
    refused = assistant.post(reverse("file-share", args=[file.pk]), {**form, "reason": ""})
    assert refused.status_code == 400 and FileShare.objects.count() == 1
    revoke = reverse("file-share-revoke", args=[file.pk, share.pk])
    assert login(cast.outsider).post(revoke).status_code == 400  # may read, may not end it
    assert login(cast.assistant).post(revoke).status_code == 302
    assert login(cast.outsider).get(detail(file)).status_code == 404


def test_the_grade_is_changed_from_the_file_page(cast: Cast, file: File, login: Login) -> None:
    assistant = login(cast.assistant)
    grade = reverse("file-grade", args=[file.pk])
    assert grade in text_of(assistant.get(detail(file)))
    assert assistant.post(grade, {"classification": "1"}).status_code == 302
    file.refresh_from_db()
    assert file.classification == 1
    assert last_event(file, "file.classify").actor == cast.assistant
    # Lowering needs an officer of BPS-19 or above; above one's clearance is refused too.
    assert assistant.post(grade, {"classification": "0", "reason": "x"}).status_code == 400
    assert assistant.post(grade, {"classification": "2"}).status_code == 400
    assert assistant.post(grade, {"classification": "7"}).status_code == 400
    assert login(cast.outsider).post(grade, {"classification": "0"}).status_code == 404
    file.refresh_from_db()
    assert file.classification == 1
