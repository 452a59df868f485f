"""The desk: inboxes per post, parked files, sent items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from daftar.files.models import File
from daftar.files.services import file_park
from daftar.lib import clock
from daftar.movement.services import file_mark_read, file_send
from daftar.org import services as org
from daftar.org.models import User
from tests.cast import Cast
from tests.web.conftest import count_queries, open_file, text_of

Login = Callable[[User], Client]


def test_home_needs_login(client: Client, db: None) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_inbox_shows_unread_first_with_sender_remarks_priority_and_due(
    cast: Cast, login: Login
) -> None:
    read = open_file(cast.assistant, cast.assistant_post, "Already seen file")
    file_send(actor=cast.assistant, file_id=read.pk, to_post_id=cast.so_post.pk)
    file_mark_read(actor=cast.section_officer, file_id=read.pk)
    fresh = open_file(cast.assistant, cast.assistant_post, "Fresh urgent file")
    due = clock.now().date() + dt.timedelta(days=3)
    file_send(
        actor=cast.assistant,
        file_id=fresh.pk,
        to_post_id=cast.so_post.pk,
        remarks="Please see the PC-I before Friday's meeting.",
        priority=3,
        due_on=due,
    )

    response = login(cast.section_officer).get(reverse("home"))

    assert response.status_code == 200
    html = text_of(response)
    assert html.index("Fresh urgent file") < html.index("Already seen file")  # unread first
    assert html.count('class="badge text-bg-primary me-1">new<') == 1
    assert "From Assistant (Development-I)" in html
    assert "Please see the PC-I before Friday" in html
    assert "Most Immediate" in html
    assert "due " in html and "overdue" not in html.split("Fresh urgent file")[1][:2000]
    assert "1 new" in html


def test_overdue_files_are_marked(cast: Cast, login: Login) -> None:
    file = open_file(cast.assistant, cast.assistant_post)
    with clock.frozen_at(clock.now() - dt.timedelta(days=10)):
        file_send(
            actor=cast.assistant,
            file_id=file.pk,
            to_post_id=cast.so_post.pk,
            due_on=clock.now().date() + dt.timedelta(days=2),
        )
    html = text_of(login(cast.section_officer).get(reverse("home")))
    assert "overdue since" in html
    assert "text-danger" in html
    assert "1 overdue" in html


def test_parked_and_sent_tabs(cast: Cast, login: Login) -> None:
    parked = open_file(cast.assistant, cast.assistant_post, "Parked for the budget")
    file_park(actor=cast.assistant, file_id=parked.pk)
    sent = open_file(cast.assistant, cast.assistant_post, "Sent up for orders")
    file_send(actor=cast.assistant, file_id=sent.pk, to_post_id=cast.so_post.pk)
    client = login(cast.assistant)

    inbox_html = text_of(client.get(reverse("home")))
    assert "Parked for the budget" not in inbox_html
    assert "Sent up for orders" not in inbox_html

    parked_html = text_of(client.get(reverse("home"), {"box": "parked"}))
    assert "Parked for the budget" in parked_html

    sent_html = text_of(client.get(reverse("home"), {"box": "sent"}))
    assert "Sent up for orders" in sent_html
    assert "Now with" in sent_html and "Section Officer (Development-I)" in sent_html
    assert "Not opened yet" in sent_html
    assert reverse("file-pull-back", args=[sent.pk]) in sent_html

    file_mark_read(actor=cast.section_officer, file_id=sent.pk)
    sent_html = text_of(client.get(reverse("home"), {"box": "sent"}))
    assert "Opened" in sent_html
    assert reverse("file-pull-back", args=[sent.pk]) not in sent_html


def test_one_tab_per_post_held_selected_by_query(cast: Cast, login: Login) -> None:
    org.charge_assign(
        actor=None,
        person=cast.section_officer,
        post=cast.registry_post,
        start=dt.date(2020, 1, 1),
        kind="additional",
    )
    at_registry = open_file(cast.registry_clerk, cast.registry_post, "Diarised receipt file")
    at_section = open_file(cast.assistant, cast.assistant_post, "Section file")
    file_send(actor=cast.assistant, file_id=at_section.pk, to_post_id=cast.so_post.pk)
    client = login(cast.section_officer)

    first = text_of(client.get(reverse("home")))  # the first post by designation
    assert f'href="?post={cast.registry_post.pk}"' in first
    assert f'href="?post={cast.so_post.pk}"' in first
    assert at_registry.subject in first and at_section.subject not in first

    chosen = text_of(client.get(reverse("home"), {"post": cast.so_post.pk}))
    assert at_section.subject in chosen and at_registry.subject not in chosen
    assert "1 new" in chosen


def test_a_post_not_held_is_404_and_garbage_falls_back(cast: Cast, login: Login) -> None:
    client = login(cast.section_officer)
    assert client.get(reverse("home"), {"post": cast.outsider_post.pk}).status_code == 404
    assert client.get(reverse("home"), {"post": "x'; drop"}).status_code == 200
    assert client.get(reverse("home"), {"box": "nonsense", "page": "-3"}).status_code == 200


def test_person_without_a_post_is_told_so(cast: Cast, login: Login) -> None:
    nobody = org.person_create(actor=None, email="new.joiner@mowr.gov.pk", full_name="New Joiner")
    response = login(nobody).get(reverse("home"))
    assert response.status_code == 200
    assert "You hold no post at present." in text_of(response)


def _fill_inbox(cast: Cast, n: int) -> list[File]:
    files = []
    for i in range(n):
        file = open_file(cast.assistant, cast.assistant_post, f"Scheme {i}")
        file_send(
            actor=cast.assistant,
            file_id=file.pk,
            to_post_id=cast.so_post.pk,
            remarks=f"Remarks {i}",
            due_on=clock.now().date() + dt.timedelta(days=i % 5),
        )
        files.append(file)
    return files


def test_inbox_is_paginated_by_25(cast: Cast, login: Login) -> None:
    _fill_inbox(cast, 27)
    client = login(cast.section_officer)
    page1 = text_of(client.get(reverse("home")))
    assert page1.count('class="list-group-item list-group-item-action py-3') == 25
    assert "Page 1 of 2" in page1
    page2 = text_of(client.get(reverse("home"), {"post": cast.so_post.pk, "page": 2}))
    assert page2.count('class="list-group-item list-group-item-action py-3') == 2


def test_home_query_count_does_not_grow_with_the_inbox(cast: Cast, login: Login) -> None:
    url = reverse("home")
    client = login(cast.section_officer)
    _fill_inbox(cast, 3)
    client.get(url)  # warm-up: the session caches the time zone
    small, _ = count_queries(client, url)
    small_sent, _ = count_queries(login(cast.assistant), url + "?box=sent")

    _fill_inbox(cast, 27)  # 30 in all: more than a page
    large, sql = count_queries(client, url)
    large_sent, _ = count_queries(login(cast.assistant), url + "?box=sent")

    assert small == large, sql
    assert small_sent == large_sent
    assert large <= 8, sql  # with the person's permissions (the menu shows what roles allow)
