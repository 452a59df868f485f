"""The training screens under /programme/training/: who sees them (404 for everyone else),
the list with attendee counts and its query count, trained vs active from the summary
table, the session page, the form with per-line errors, the CSV upload and its template."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from daftar.adoption.models import MonthlyFigures, TrainingAttendance, TrainingSession
from daftar.adoption.training import training_session_record
from daftar.org.models import OrgUnit, User
from tests.accounts.helpers import sign_in
from tests.adoption.training_helpers import Trainers, make_trainers
from tests.cast import Cast
from tests.conftest import last_event


@pytest.fixture
def trainers(cast: Cast) -> Trainers:
    return make_trainers(cast)


def client_of(user: User) -> Client:
    return sign_in(Client(), user)


def session_of(
    actor: User, organisation: OrgUnit, people: list[User], day: int = 1, topic: str = "Noting"
) -> TrainingSession:
    return training_session_record(
        actor=actor,
        organisation=organisation,
        held_on=dt.date(2026, 1, day),
        topic=topic,
        trainer="Sana Javed",
        place="Committee Room 2",
        attendees=people,
    )


def test_outsiders_get_404_everywhere(cast: Cast, trainers: Trainers) -> None:
    session = session_of(trainers.wrd_admin, cast.division, [cast.assistant])
    pages = [
        reverse("training-list"),
        reverse("training-new"),
        reverse("training-import"),
        reverse("training-template"),
        reverse("training-detail", args=[session.pk]),
    ]
    for user in (cast.secretary, cast.assistant, cast.outsider):
        client = client_of(user)
        assert [client.get(url).status_code for url in pages] == [404] * 5
    fin = client_of(trainers.fin_admin)
    assert fin.get(pages[-1]).status_code == 404  # another organisation's session
    assert fin.post(pages[-1], {"attendees": cast.outsider.email}).status_code == 404
    assert (
        client_of(trainers.wrd_admin).get(reverse("training-detail", args=[10**12])).status_code
        == 404
    )
    assert session.attendances.count() == 1
    anonymous = Client().get(pages[0])
    assert anonymous.status_code == 302


def test_the_list_shows_the_sessions_a_person_may_see_in_constant_queries(
    cast: Cast, trainers: Trainers, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    people = [cast.assistant, cast.section_officer]
    for day in range(1, 4):
        session_of(trainers.wrd_admin, cast.division, people, day=day, topic=f"WRD {day}")
    session_of(trainers.fin_admin, trainers.finance, [cast.outsider], topic="Finance only")
    admin = client_of(trainers.wrd_admin)
    with django_assert_max_num_queries(12):
        page = admin.get(reverse("training-list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("WRD 3") < text.index("WRD 2") < text.index("WRD 1")  # newest first
    assert "Finance only" not in text
    assert "Figures not yet computed." in text
    for day in range(4, 30):
        session_of(trainers.programme, cast.division, people, day=day, topic=f"WRD {day}")
    programme = client_of(trainers.programme)
    with django_assert_max_num_queries(12):
        first = programme.get(reverse("training-list")).content.decode()
    assert "WRD 29" in first and "Finance only" not in first  # 25 a page
    assert "Page 1 of 2" in first
    second = programme.get(reverse("training-list"), {"page": 2}).content.decode()
    assert "Finance only" in second and "WRD 1<" in second


def test_trained_and_active_come_from_the_latest_month_computed(
    cast: Cast, trainers: Trainers
) -> None:
    now = timezone.now()
    for month, trained in ((dt.date(2026, 9, 1), 1), (dt.date(2026, 10, 1), 4)):
        MonthlyFigures.objects.create(
            unit=cast.division,
            month=month,
            computed_at=now,
            people=8,
            people_trained=trained,
            people_active=6,
        )
    MonthlyFigures.objects.create(
        unit=trainers.finance, month=dt.date(2026, 10, 1), computed_at=now, people=3
    )
    MonthlyFigures.objects.create(  # a section is not an organisation: not in this table
        unit=cast.section, month=dt.date(2026, 10, 1), computed_at=now, people=99
    )
    text = client_of(trainers.wrd_admin).get(reverse("training-list")).content.decode()
    assert "October 2026" in text and "Figures not yet computed." not in text
    assert "(50.0%)" in text and "(75.0%)" in text  # 4 and 6 of 8
    assert "Finance Division" not in text and ">99<" not in text
    programme = client_of(trainers.programme).get(reverse("training-list")).content.decode()
    assert "Finance Division" in programme and "Water Resources Division" in programme


def test_recording_a_session_through_the_form(cast: Cast, trainers: Trainers) -> None:
    admin = client_of(trainers.wrd_admin)
    form = admin.get(reverse("training-new")).content.decode()
    assert "Water Resources Division (WRD)" in form and "Finance Division" not in form
    data: dict[str, Any] = {
        "organisation": cast.division.pk,
        "held_on": "2026-01-05",
        "topic": "Noting and drafting",
        "trainer": "Sana Javed",
        "place": "Committee Room 2",
        "attendees": "SO.dev1@mowr.gov.pk\n\nnobody@mowr.gov.pk\n asst.dev1@mowr.gov.pk \nx\n",
    }
    bad = admin.post(reverse("training-new"), data)
    text = bad.content.decode()
    assert bad.status_code == 400
    assert "line 3: no active person with the official e-mail nobody@mowr.gov.pk." in text
    assert "line 5: no active person with the official e-mail x." in text
    assert TrainingSession.objects.count() == 0

    data["attendees"] = "SO.dev1@mowr.gov.pk\n asst.dev1@mowr.gov.pk \n"
    future = admin.post(reverse("training-new"), {**data, "held_on": "2099-01-01"})
    assert future.status_code == 400 and "cannot be dated in the future" in future.content.decode()
    other = admin.post(reverse("training-new"), {**data, "organisation": trainers.finance.pk})
    assert other.status_code == 400 and TrainingSession.objects.count() == 0

    done = admin.post(reverse("training-new"), data)
    session = TrainingSession.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("training-detail", args=[session.pk])
    assert last_event(session, "training.record").actor == trainers.wrd_admin
    again = admin.post(reverse("training-new"), data)
    assert again.status_code == 409 and TrainingSession.objects.count() == 1


def test_the_session_page_lists_and_adds_attendees(
    cast: Cast, trainers: Trainers, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    session = session_of(trainers.wrd_admin, cast.division, [cast.assistant, cast.secretary])
    admin = client_of(trainers.wrd_admin)
    url = reverse("training-detail", args=[session.pk])
    with django_assert_max_num_queries(11):
        page = admin.get(url)
    text = page.content.decode()
    assert "2 attendees" in text and "Bilal Ahmed" in text and "Nadia Rahman" in text
    bad = admin.post(url, {"attendees": "nobody@mowr.gov.pk"})
    assert bad.status_code == 400 and "line 1: no active person" in bad.content.decode()
    added = admin.post(url, {"attendees": f"{cast.assistant.email}\n{cast.outsider.email}"})
    assert added.status_code == 302
    assert TrainingAttendance.objects.filter(session=session).count() == 3
    assert "1 person(s) added" in admin.get(url).content.decode()


def test_uploading_a_csv(cast: Cast, trainers: Trainers) -> None:
    admin = client_of(trainers.wrd_admin)
    template = admin.get(reverse("training-template"))
    assert template["Content-Type"] == "text/csv; charset=utf-8"
    assert template.content.decode("utf-8-sig").startswith(
        "organisation,date,topic,trainer,place,email\n"
    )
    url = reverse("training-import")
    assert "Download the template CSV" in admin.get(url).content.decode()
    header = "organisation,date,topic,trainer,place,email\n"
    bad = header + (
        "WRD,2026-01-05,Noting,Sana Javed,Room 2,so.dev1@mowr.gov.pk\n"
        "FIN,2026-01-05,Noting,Sana Javed,Room 2,so.budget@mowr.gov.pk\n"
        "WRD,2026-01-05,Noting,Sana Javed,Room 2,nobody@mowr.gov.pk\n"
    )
    refused = admin.post(url, {"csv_file": SimpleUploadedFile("t.csv", bad.encode())})
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "line 3: No organisation with the code FIN" in text
    assert "line 4: No active person with the official e-mail nobody@mowr.gov.pk." in text
    assert TrainingSession.objects.count() == 0
    latin = admin.post(
        url, {"csv_file": SimpleUploadedFile("t.csv", header.encode() + "é\n".encode("latin-1"))}
    )
    assert latin.status_code == 400 and "line 2: This line is not UTF-8" in latin.content.decode()

    good = "\ufeff" + header + "WRD,2026-01-05,Noting,Sana Javed,Room 2,so.dev1@mowr.gov.pk\n"
    done = admin.post(url, {"csv_file": SimpleUploadedFile("t.csv", good.encode())})
    assert done.status_code == 302 and done["Location"] == reverse("training-list")
    assert TrainingAttendance.objects.count() == 1
    again = admin.post(url, {"csv_file": SimpleUploadedFile("t.csv", good.encode())}, follow=True)
    assert "0 new session(s) (1 already recorded), 0 new attendance(s)" in again.content.decode()
    assert TrainingAttendance.objects.count() == 1
