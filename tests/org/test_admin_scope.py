"""An organisation admin manages the people and structure of their own organisation only; a
superuser manages all of them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from daftar.audit.models import AuditEvent
from daftar.org import services as org
from daftar.org.admin_scope import managed_unit_ids
from daftar.org.models import Charge, OrgUnit, Post, UnitKind, User
from daftar.org.roles import roles_assign
from tests.accounts.helpers import sign_in
from tests.cast import PASSWORD, Cast


@pytest.fixture
def wrd_admin(cast: Cast) -> User:
    """The Water Resources Division's IT cell: staff, organisation admin, a post in WRD."""
    post = org.post_create(
        actor=None, unit=cast.division, code="IT-WRD", designation="System Administrator"
    )
    person = org.person_create(
        actor=None,
        email="it.cell@mowr.gov.pk",
        full_name="IT Cell",
        password=PASSWORD,
        is_staff=True,
    )
    org.charge_assign(actor=None, person=person, post=post, start=dt.date(2024, 1, 1))
    return roles_assign(actor=None, person=person, roles=["organisation_admin"])


@pytest.fixture
def client_of(wrd_admin: User) -> Client:
    client = Client()
    sign_in(client, wrd_admin)
    return client


def test_managed_units_are_the_organisation_down_to_the_next_organisation(
    cast: Cast, wrd_admin: User
) -> None:
    attached = org.unit_create(
        actor=None,
        code="FFC",
        name="Federal Flood Commission",
        kind=UnitKind.ATTACHED_DEPARTMENT,
        parent=cast.division,
    )
    ids = managed_unit_ids(wrd_admin)
    wing = OrgUnit.objects.get(code="DEV")
    assert ids == {cast.division.pk, wing.pk, cast.section.pk, cast.registry.pk}
    assert attached.pk not in ids
    assert managed_unit_ids(cast.section_officer) == set()  # no role: nothing
    superuser = User.objects.create_superuser("root@mowr.gov.pk", PASSWORD, full_name="Root")
    assert managed_unit_ids(superuser) is None


def test_lists_and_pages_show_only_the_own_organisation(cast: Cast, client_of: Client) -> None:
    units = client_of.get(reverse("admin:org_orgunit_changelist")).content.decode()
    assert "Development-I Section" in units and "Budget Section" not in units
    assert "Finance Division" not in units
    people = client_of.get(reverse("admin:org_user_changelist")).content.decode()
    assert cast.assistant.full_name in people and cast.outsider.full_name not in people
    posts = client_of.get(reverse("admin:org_post_changelist")).content.decode()
    assert "Assistant (Development-I)" in posts and "Section Officer (Budget)" not in posts
    charges = client_of.get(reverse("admin:org_charge_changelist")).content.decode()
    assert cast.outsider.full_name not in charges

    for name, obj in (
        ("admin:org_post_change", cast.outsider_post),
        ("admin:org_user_change", cast.outsider),
        ("admin:org_orgunit_change", OrgUnit.objects.get(code="BUD")),
    ):
        response = client_of.get(reverse(name, args=[obj.pk]))
        assert response.status_code == 302, name  # "does not exist", back to the index
    own = client_of.get(reverse("admin:org_user_change", args=[cast.assistant.pk]))
    assert own.status_code == 200
    assert 'name="is_superuser"' not in own.content.decode()
    assert 'name="user_permissions"' not in own.content.decode()
    assert 'name="groups"' in own.content.decode()


def test_a_post_or_charge_outside_the_organisation_is_refused_and_nothing_changes(
    cast: Cast, client_of: Client
) -> None:
    events = AuditEvent.objects.count()
    response = client_of.post(
        reverse("admin:org_post_add"),
        {
            "code": "SO-BUD2",
            "designation": "Section Officer (Budget-II)",
            "unit": str(OrgUnit.objects.get(code="BUD").pk),
            "grade": "17",
            "is_active": "on",
            "charges-TOTAL_FORMS": "0",
            "charges-INITIAL_FORMS": "0",
            "charges-MIN_NUM_FORMS": "0",
            "charges-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "Select a valid choice" in response.content.decode()
    response = client_of.post(
        reverse("admin:org_charge_add"),
        {
            "person": str(cast.assistant.pk),
            "post": str(cast.outsider_post.pk),
            "kind": "additional",
            "start": "2026-01-01",
        },
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Post.objects.filter(code="SO-BUD2").exists()
    assert not Charge.objects.filter(post=cast.outsider_post, person=cast.assistant).exists()
    assert AuditEvent.objects.count() == events
