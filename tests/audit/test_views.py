"""The auditor's screens: only with audit.view_trail; filters by file, person, period and
action; a page costs the same queries whatever the data; the CSV export is streamed, its
cells cannot start a spreadsheet formula, and the export is itself recorded."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from daftar.audit.models import AuditEvent
from daftar.files.models import Classification, File
from daftar.files.services import file_open, note_add
from daftar.org.models import Post, User
from tests.accounts.helpers import sign_in
from tests.cast import Cast

TRAIL = reverse("audit-trail")
EXPORT = reverse("audit-export")


@pytest.fixture
def auditor(cast: Cast) -> User:
    person = cast.outsider
    person.user_permissions.add(Permission.objects.get(codename="view_trail"))
    return User.objects.get(pk=person.pk)  # without the cached permissions


@pytest.fixture
def auditor_client(client: Client, auditor: User) -> Client:
    sign_in(client, auditor)
    return client


def _csv(response: object) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("url", [TRAIL, EXPORT])
def test_without_the_permission_the_answer_is_403(client: Client, cast: Cast, url: str) -> None:
    assert client.get(url).status_code == 302  # to the login page
    sign_in(client, cast.secretary)
    events = AuditEvent.objects.count()
    assert client.get(url).status_code == 403
    assert AuditEvent.objects.count() == events


def test_the_trail_of_a_file_includes_its_notes(auditor_client: Client, cast: Cast) -> None:
    file = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Dams")
    other = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Canals")
    note = note_add(actor=cast.assistant, file_id=file.pk, body="Please see.")
    note_add(actor=cast.assistant, file_id=other.pk, body="Not this one.")
    response = auditor_client.get(TRAIL, {"file": file.number})
    assert response.status_code == 200
    shown = {(e.object_type, e.object_id) for e in response.context["page"]}
    assert shown == {("files.file", str(file.pk)), ("files.note", str(note.pk))}


def test_filters_by_person_period_and_action(auditor_client: Client, cast: Cast) -> None:
    file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Dams")
    file_open(actor=cast.section_officer, post_id=cast.so_post.pk, subject="Canals")
    by_person = auditor_client.get(TRAIL, {"person": cast.section_officer.email.upper()})
    assert {e.actor_id for e in by_person.context["page"] if e.actor_id} == {
        cast.section_officer.pk
    }
    by_action = auditor_client.get(TRAIL, {"action": "file."})
    assert {e.action for e in by_action.context["page"]} == {"file.open"}
    today = dt.date.today()
    in_period = auditor_client.get(TRAIL, {"since": (today - dt.timedelta(days=1)).isoformat()})
    assert len(in_period.context["page"]) == AuditEvent.objects.count()
    before = auditor_client.get(TRAIL, {"until": (today - dt.timedelta(days=2)).isoformat()})
    assert len(before.context["page"]) == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"file": "no-such-file"}, "No file has this number."),
        ({"person": "nobody@mowr.gov.pk"}, "Nobody has this e-mail address."),
        ({"since": "2026-11-02", "until": "2026-11-01"}, "The end comes before the start."),
        ({"since": "yesterday"}, "Enter a valid date."),
    ],
)
def test_bad_filters_are_explained_and_export_nothing(
    auditor_client: Client, file: File, query: dict[str, str], message: str
) -> None:
    response = auditor_client.get(TRAIL, query)
    assert response.status_code == 400
    assert message in response.content.decode()
    events = AuditEvent.objects.count()
    assert auditor_client.get(EXPORT, query).status_code == 400
    assert AuditEvent.objects.count() == events


def test_the_last_day_there_is_is_accepted(auditor_client: Client, file: File) -> None:
    response = auditor_client.get(TRAIL, {"until": "9999-12-31"})
    assert response.status_code == 200


def test_a_page_costs_the_same_queries_however_long_the_trail(
    auditor_client: Client, cast: Cast, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    def page() -> None:
        # session, user, permissions, count, page, the grades of the files shown
        with django_assert_num_queries(6):
            assert auditor_client.get(TRAIL).status_code == 200

    file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="File")
    auditor_client.get(TRAIL)  # the first also looks up and keeps the time zone
    page()
    for n in range(30):
        file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject=f"File {n}")
    page()


def test_the_export_is_streamed_inert_and_recorded(
    auditor_client: Client, auditor: User, cast: Cast
) -> None:
    file = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="=HYPERLINK(1)")
    response = auditor_client.get(EXPORT, {"file": file.number})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    header, *rows = _csv(response)
    assert header[:5] == ["seq", "at_utc", "actor", "post", "action"]
    [row] = rows
    assert row[4] == "file.open" and row[2] == cast.assistant.email
    assert '"subject": "=HYPERLINK(1)"' in row[8]  # JSON text starts with "{", inert
    recorded = AuditEvent.objects.get(action="audit.export")
    assert recorded.actor_id == auditor.pk
    assert recorded.after == {"filters": {"file": file.number}}


def test_formula_cells_are_quoted(auditor_client: Client, cast: Cast) -> None:
    Post.objects.filter(pk=cast.assistant_post.pk).update(designation="=SUM(A1:A9)")
    file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Dams")
    [_header, row] = _csv(auditor_client.get(EXPORT, {"action": "file.open"}))
    assert row[3] == "'=SUM(A1:A9)"


def test_markup_in_events_is_shown_as_text(auditor_client: Client, cast: Cast) -> None:
    file_open(
        actor=cast.assistant,
        post_id=cast.assistant_post.pk,
        subject="<script>alert(1)</script>",
    )
    page = auditor_client.get(TRAIL).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_contents_above_the_auditors_clearance_are_withheld(
    auditor_client: Client, auditor: User, cast: Cast
) -> None:
    """Who did what and when is shown; the words of a paper graded above the auditor's
    clearance are not, on the page or in the export."""
    secret = file_open(
        actor=cast.deputy_secretary,
        post_id=cast.ds_post.pk,
        subject="Indus treaty position",
        classification=Classification.SECRET,
    )
    note_add(actor=cast.deputy_secretary, file_id=secret.pk, body="Our fallback line is X.")
    plain = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Canals")
    assert auditor.clearance < Classification.SECRET
    page = auditor_client.get(TRAIL).content.decode()
    assert "fallback line" not in page and "Indus treaty" not in page
    assert "Withheld: above your clearance" in page and "Canals" in page
    rows = {(row[5], row[6]): row for row in _csv(auditor_client.get(EXPORT))[1:]}
    assert rows[("files.note", str(secret.notes.get().pk))][8].startswith("(withheld")
    assert rows[("files.file", str(secret.pk))][4] == "file.open"
    assert "Canals" in rows[("files.file", str(plain.pk))][8]
