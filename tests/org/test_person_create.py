from __future__ import annotations

import datetime as dt

import pytest
from pytest_django.fixtures import Settings

from daftar.files.models import Classification
from daftar.lib import clock
from daftar.lib.errors import InvalidInput
from daftar.org.models import User
from daftar.org.selectors import post_ids_held, post_search
from daftar.org.services import charge_assign, charge_end, person_create
from tests.cast import Cast
from tests.conftest import last_event


@pytest.mark.django_db
def test_only_official_addresses_get_accounts(settings: Settings) -> None:
    person = person_create(actor=None, email="Zara.Ali@MOWR.gov.pk", full_name="Zara Ali")
    assert person.email == "zara.ali@mowr.gov.pk"
    assert last_event(person, "person.create").after == {
        "email": "zara.ali@mowr.gov.pk",
        "full_name": "Zara Ali",
        "clearance": Classification.RESTRICTED,
    }
    with pytest.raises(InvalidInput, match=r"not an official address.*@gov\.pk"):
        person_create(actor=None, email="zara@gmail.com", full_name="Zara Ali")
    with pytest.raises(InvalidInput, match=r"already has an account"):
        person_create(actor=None, email="zara.ali@mowr.gov.pk", full_name="Zara Ali")
    settings.ALLOWED_EMAIL_DOMAINS = ["punjab.gov.pk"]
    with pytest.raises(InvalidInput, match=r"punjab\.gov\.pk"):
        person_create(actor=None, email="x@mowr.gov.pk", full_name="X")
    assert User.objects.count() == 1


def test_charges_decide_who_holds_a_post(cast: Cast) -> None:
    assert post_ids_held(cast.section_officer) == [cast.so_post.pk]
    # The deputy secretary also holds the section officer's post while she is on leave.
    today = clock.now().date()
    link = charge_assign(
        actor=None,
        person=cast.deputy_secretary,
        post=cast.so_post,
        kind="link",
        start=today - dt.timedelta(days=3),
    )
    assert set(post_ids_held(cast.deputy_secretary)) == {cast.ds_post.pk, cast.so_post.pk}
    with pytest.raises(InvalidInput, match="before it starts"):
        charge_end(actor=None, charge_id=link.pk, end=today - dt.timedelta(days=4))
    charge_end(actor=None, charge_id=link.pk, end=today - dt.timedelta(days=1))
    assert last_event(link, "charge.end").after == {"end": str(today - dt.timedelta(days=1))}
    assert post_ids_held(cast.deputy_secretary) == [cast.ds_post.pk]  # the leave is over


def test_post_search_by_designation_unit_or_holder(cast: Cast) -> None:
    assert list(post_search("section officer development")) == [cast.so_post]
    assert list(post_search("Siddiqui")) == [cast.so_post]  # the holder's name
    assert cast.registry_post in post_search("registry")
