"""The post picker, "where is this file now", login/logout, and page-wide rules (CSP, RTL)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from daftar.files.models import File
from daftar.movement.services import file_pull_back, file_send
from daftar.org.models import User
from tests.cast import PASSWORD, Cast
from tests.web.conftest import count_queries, text_of

Login = Callable[[User], Client]


def options(html: str) -> list[str]:
    return re.findall(r'<span class="fw-semibold">([^<]+)</span>', html)


def test_post_search_by_designation_unit_and_holder(cast: Cast, login: Login) -> None:
    client = login(cast.assistant)
    by_designation = text_of(client.get(reverse("post-search"), {"q": "deputy"}))
    assert options(by_designation) == ["Deputy Secretary (Development)"]
    assert "Development Wing" in by_designation and "Imran Qureshi" in by_designation

    by_unit = options(text_of(client.get(reverse("post-search"), {"q": "Budget Section"})))
    assert by_unit == ["Section Officer (Budget)"]

    by_holder = options(text_of(client.get(reverse("post-search"), {"q": "ayesha"})))
    assert by_holder == ["Section Officer (Development-I)"]

    both = options(text_of(client.get(reverse("post-search"), {"q": "section officer"})))
    assert set(both) == {"Section Officer (Budget)", "Section Officer (Development-I)"}


def test_post_search_excludes_keeps_choice_and_survives_bad_input(cast: Cast, login: Login) -> None:
    client = login(cast.assistant)
    query: dict[str, str | int] = {
        "q": "section officer",
        "exclude": cast.so_post.pk,
        "to_post": cast.outsider_post.pk,
    }
    html = text_of(client.get(reverse("post-search"), query))
    assert options(html) == ["Section Officer (Budget)"]
    assert f'value="{cast.outsider_post.pk}" required checked' in html

    nothing = client.get(reverse("post-search"), {"q": "zzzz-no-such"})
    assert nothing.status_code == 200 and "No post matches" in text_of(nothing)
    long = client.get(reverse("post-search"), {"q": "x" * 5000, "exclude": "abc"})
    assert long.status_code == 200
    assert "<html" not in text_of(long)  # a partial for htmx


def test_post_search_needs_login(client: Client, db: None) -> None:
    assert client.get(reverse("post-search"), {"q": "a"}).status_code == 302


def test_track_shows_holder_people_since_and_timeline(cast: Cast, file: File, login: Login) -> None:
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.ds_post.pk, remarks="Oops")
    file_pull_back(actor=cast.assistant, file_id=file.pk)
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk, remarks="Orders")
    response = login(cast.assistant).get(reverse("file-track"), {"number": f" {file.number} "})
    assert response.status_code == 200
    html = text_of(response)
    assert "Now with" in html and "Section Officer (Development-I)" in html
    assert "Ayesha Siddiqui" in html and "so.dev1@mowr.gov.pk" in html
    assert "not opened yet" in html
    assert "timeline-pulled" in html and "“<bdi>Orders</bdi>”" in html
    assert reverse("file-detail", args=[file.pk]) in html


def test_track_query_count_does_not_grow_with_the_history(
    cast: Cast, file: File, login: Login
) -> None:
    client = login(cast.assistant)
    client.get(reverse("home"))  # warm-up: the session caches the time zone
    url = f"{reverse('file-track')}?number={file.number}"
    short, _ = count_queries(client, url)
    for _hop in range(10):
        file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
        file_send(actor=cast.section_officer, file_id=file.pk, to_post_id=cast.assistant_post.pk)
    long, sql = count_queries(client, url)
    assert short == long, sql
    # Session and user, then the file with its holder (access nested), its movements and
    # the people holding the post it is with; and the person's permissions, direct and
    # through their roles (one query, org/backends.py: the menu offers what the roles allow).
    assert long <= 6, sql


def test_track_lowercase_number_is_found(cast: Cast, file: File, login: Login) -> None:
    response = login(cast.assistant).get(reverse("file-track"), {"number": file.number.lower()})
    assert response.status_code == 200 and file.subject in text_of(response)


def test_track_unknown_or_forbidden_number_is_404_with_a_message(
    cast: Cast, file: File, login: Login
) -> None:
    unknown = login(cast.assistant).get(reverse("file-track"), {"number": "NO-SUCH/1"})
    assert unknown.status_code == 404
    assert "No file numbered “NO-SUCH/1” is open to you." in text_of(unknown)
    forbidden = login(cast.outsider).get(reverse("file-track"), {"number": file.number})
    assert forbidden.status_code == 404
    assert file.subject not in text_of(forbidden)


def test_track_empty_and_too_long(cast: Cast, login: Login) -> None:
    client = login(cast.assistant)
    empty = client.get(reverse("file-track"))
    assert empty.status_code == 200 and "Type a file number" in text_of(empty)
    assert client.get(reverse("file-track"), {"number": "9" * 500}).status_code == 400


def test_login_page_and_logout(cast: Cast, client: Client) -> None:
    page = client.get(reverse("login"))
    assert page.status_code == 200 and "Log in to Daftar" in text_of(page)
    bad = client.post(reverse("login"), {"username": cast.assistant.email, "password": "wrong"})
    assert bad.status_code == 200 and "alert-danger" in text_of(bad)
    good = client.post(reverse("login"), {"username": cast.assistant.email, "password": PASSWORD})
    assert good.status_code == 302 and good["Location"] == reverse("home")
    home = text_of(client.get(reverse("home")))
    assert f'action="{reverse("logout")}"' in home and "Bilal Ahmed" in home
    out = client.post(reverse("logout"))
    assert out.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_pages_use_csp_without_inline_styles_or_scripts(
    cast: Cast, file: File, login: Login
) -> None:
    client = login(cast.assistant)
    pages = [
        reverse("home"),
        reverse("file-detail", args=[file.pk]),
        reverse("file-new"),
        f"{reverse('file-track')}?number={file.number}",
    ]
    for path in pages:
        response = client.get(path)
        html = text_of(response)
        policy = response["Content-Security-Policy"]
        assert "style-src 'self'" in policy and "'unsafe-inline'" not in policy
        assert " style=" not in html and "<style" not in html, path
        assert re.search(r"<script(?![^>]*\ssrc=)", html) is None, path  # no inline scripts
        assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html
        assert re.search(r"\b(ms|me|ps|pe)-\d", html)  # logical spacing, not left/right
        assert not re.search(r'class="[^"]*\b(ml|mr|pl|pr)-\d', html), path
        assert "text-left" not in html and "text-right" not in html


def test_urdu_pages_are_right_to_left(cast: Cast, file: File, login: Login) -> None:
    client = login(cast.assistant)
    html = text_of(client.get(reverse("home"), headers={"Accept-Language": "ur"}))
    assert '<html lang="ur" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    english = text_of(client.get(reverse("home"), headers={"Accept-Language": "en"}))
    assert '<html lang="en" dir="ltr">' in english and "bootstrap.rtl.min.css" not in english
