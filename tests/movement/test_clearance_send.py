"""A paper goes only to a post whose holders are all cleared for its grade; the picker offers
no other."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from daftar.files.grading import file_classify
from daftar.files.models import Classification, File
from daftar.files.services import file_open
from daftar.lib.errors import InvalidInput
from daftar.movement.models import Movement
from daftar.movement.services import file_return, file_send
from daftar.org import services as org
from daftar.org.models import Post
from daftar.org.selectors import post_search
from tests.cast import Cast


@pytest.fixture
def confidential(cast: Cast) -> File:
    return file_open(
        actor=cast.section_officer,
        post_id=cast.so_post.pk,
        subject="Indus Waters: brief",
        classification=Classification.CONFIDENTIAL,
    )


def vacant_post(cast: Cast) -> Post:
    return org.post_create(
        actor=None,
        unit=cast.section,
        code="JS-VAC",
        designation="Joint Secretary (vacant)",
        grade=20,
        reports_to=cast.secretary_post,
    )


def test_a_send_to_a_post_not_cleared_is_refused_and_changes_nothing(
    cast: Cast, confidential: File
) -> None:
    with pytest.raises(
        InvalidInput,
        match=r"Assistant \(Development-I\) holds no clearance for Confidential papers",
    ):
        file_send(
            actor=cast.section_officer, file_id=confidential.pk, to_post_id=cast.assistant_post.pk
        )
    confidential.refresh_from_db()
    assert confidential.holder_id == cast.so_post.pk
    assert Movement.objects.filter(file=confidential).count() == 1  # the opening only
    file_send(actor=cast.section_officer, file_id=confidential.pk, to_post_id=cast.ds_post.pk)


def test_a_vacant_post_takes_unclassified_papers_only(cast: Cast, file: File) -> None:
    vacant = vacant_post(cast)
    restricted = file_open(
        actor=cast.assistant,
        post_id=cast.assistant_post.pk,
        subject="Restricted",
        classification=Classification.RESTRICTED,
    )
    with pytest.raises(InvalidInput, match="no one holding it today"):
        file_send(actor=cast.assistant, file_id=restricted.pk, to_post_id=vacant.pk)
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=vacant.pk)  # as before


def test_every_holder_must_be_cleared(cast: Cast, confidential: File) -> None:
    # The assistant also holds the DS's desk on additional charge: the DS's post may no
    # longer receive Confidential papers, since whoever holds the desk opens what comes.
    org.charge_assign(
        actor=None,
        person=cast.assistant,
        post=cast.ds_post,
        start=dt.date(2020, 1, 1),
        kind="additional",
    )
    with pytest.raises(InvalidInput, match="holds no clearance for Confidential"):
        file_send(actor=cast.section_officer, file_id=confidential.pk, to_post_id=cast.ds_post.pk)


def test_a_return_to_a_post_not_cleared_is_refused(cast: Cast, file: File) -> None:
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    file_classify(
        actor=cast.section_officer, file_id=file.pk, classification=Classification.CONFIDENTIAL
    )
    with pytest.raises(InvalidInput, match="holds no clearance for Confidential"):
        file_return(actor=cast.section_officer, file_id=file.pk)
    file.refresh_from_db()
    assert file.holder_id == cast.so_post.pk


def test_the_picker_offers_only_cleared_posts(cast: Cast) -> None:
    vacant = vacant_post(cast)
    everyone = set(post_search("", limit=50))
    assert {cast.assistant_post, cast.registry_post, vacant} <= everyone
    confidential = set(post_search("", limit=50, grade=Classification.CONFIDENTIAL))
    assert confidential == {
        cast.secretary_post,
        cast.ds_post,
        cast.so_post,
        cast.outsider_post,
    }
    secret = set(post_search("", limit=50, grade=Classification.SECRET))
    assert secret == {cast.secretary_post, cast.ds_post}


def test_the_picker_endpoints_filter_by_the_grade(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.section_officer)
    page = client.get(reverse("post-search"), {"q": "Development", "classification": "2"})
    html = page.content.decode()
    assert "Section Officer (Development-I)" in html
    assert "Assistant (Development-I)" not in html
    assert (
        "Assistant (Development-I)"
        in client.get(reverse("post-search"), {"q": "Development"}).content.decode()
    )
    # A grade that does not exist offers nothing rather than everything.
    assert (
        "Deputy Secretary"
        not in client.get(
            reverse("post-search"), {"q": "Deputy", "classification": "9"}
        ).content.decode()
    )

    api = APIClient()
    api.force_authenticate(cast.section_officer)
    found = api.get(reverse("api-posts"), {"q": "Development", "classification": "3"})
    assert found.status_code == 200
    assert {p["code"] for p in found.json()} == {cast.ds_post.code}
    assert api.get(reverse("api-posts"), {"classification": "9"}).status_code == 400
