"""Roles: declared in code, kept as Django groups after migrate, given to people (by the
service or by `daftar import-org`), and audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from pytest_django import DjangoAssertNumQueries

from daftar.audit.models import AuditEvent
from daftar.lib.errors import InvalidInput
from daftar.org.importer import ImportRejected, org_import
from daftar.org.models import User
from daftar.org.roles import (
    ROLES,
    RoleRequired,
    groups_sync,
    permission_require,
    roles_assign,
    roles_of,
)
from tests.cast import Cast
from tests.conftest import last_event

CONTRACT = {
    "receipts.diarise_receipt",
    "mailroom.handle_mail",
    "files.open_file",
    "files.share_file",
    "files.sign_document",
    "files.record_file",
    "org.manage_organisation",
    "org.view_programme_figures",
}


def group_permissions(name: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=name).permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_migrate_made_one_group_per_role_with_exactly_its_permissions() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)
    for name, role in ROLES.items():
        assert group_permissions(name) == set(role.permissions), name
    declared = {p for role in ROLES.values() for p in role.permissions}
    assert declared >= CONTRACT
    label = Permission.objects.get(codename="diarise_receipt").name
    assert label == "Diarise receipts"


@pytest.mark.django_db
def test_groups_sync_is_idempotent_and_takes_away_what_is_no_longer_declared() -> None:
    clerk = Group.objects.get(name="registry_clerk")
    stray = Permission.objects.get(codename="sign_document")
    clerk.permissions.add(stray)
    clerk.permissions.remove(Permission.objects.get(codename="handle_mail"))
    groups_sync()
    assert group_permissions("registry_clerk") == set(ROLES["registry_clerk"].permissions)
    before = {name: group_permissions(name) for name in ROLES}
    groups_sync()
    assert {name: group_permissions(name) for name in ROLES} == before
    assert Group.objects.filter(name__in=ROLES).count() == len(ROLES)


def test_roles_assign_sets_the_roles_audits_and_takes_effect_at_once(cast: Cast) -> None:
    person = cast.assistant
    assert not person.has_perm("files.sign_document")
    roles_assign(actor=cast.secretary, person=person, roles=["signing_officer", "auditor"])
    assert roles_of(person) == ["auditor", "signing_officer"]
    assert person.has_perm("files.sign_document")
    event = last_event(person, "person.roles")
    assert event.actor == cast.secretary
    assert event.before == {"roles": ["dealing_staff"]}
    assert event.after == {"roles": ["auditor", "signing_officer"]}
    fresh = User.objects.get(pk=person.pk)
    assert fresh.has_perm("audit.view_trail") and not fresh.has_perm("receipts.diarise_receipt")

    events = AuditEvent.objects.count()
    roles_assign(actor=None, person=person, roles=["auditor", "signing_officer"])
    assert AuditEvent.objects.count() == events  # no change, no event


def test_roles_assign_refuses_an_unknown_role_and_changes_nothing(cast: Cast) -> None:
    with pytest.raises(InvalidInput, match="Unknown role"):
        roles_assign(actor=None, person=cast.assistant, roles=["officer", "superhero"])
    assert roles_of(User.objects.get(pk=cast.assistant.pk)) == ["dealing_staff"]


def test_permission_require_names_the_roles_that_would_allow_it(cast: Cast) -> None:
    permission_require(cast.registry_clerk, "receipts.diarise_receipt")
    with pytest.raises(RoleRequired) as refused:
        permission_require(cast.registry_clerk, "files.sign_document")
    assert refused.value.status == 403
    assert refused.value.roles == ["signing_officer"]
    assert "Signing officer" in refused.value.message


# --- daftar import-org: the roles column ---------------------------------------------------

HEADER = (
    "unit_code,unit_name,unit_kind,parent_unit_code,post_code,designation,grade,reports_to,"
    "email,full_name,roles\n"
)
CHART = HEADER + (
    "XD,X Division,division,,XSEC,Secretary X,22,,sec@x.gov.pk,Sara X,signing_officer\n"
    "XS,X Section,section,XD,XSO,Section Officer X,17,XSEC,so@x.gov.pk,Omar X,officer; auditor\n"
    "XS,,,,XAS,Assistant X,15,XSO,asst@x.gov.pk,Ali X,\n"
    "XS,,,,XSO2,Section Officer X-2,17,XSEC,so@x.gov.pk,,records_officer\n"
)


@pytest.mark.django_db
def test_import_gives_roles_and_audits_them_with_the_line() -> None:
    result = org_import(CHART, actor=None, password="Pass-2026-long")
    assert result.created["roles"] == 4 and result.existing["roles"] == 0
    assert "4 role grants" in result.summary()
    assert roles_of(User.objects.get(email="sec@x.gov.pk")) == ["signing_officer"]
    omar = User.objects.get(email="so@x.gov.pk")
    assert roles_of(omar) == ["auditor", "officer", "records_officer"]
    assert roles_of(User.objects.get(email="asst@x.gov.pk")) == []
    event = last_event(omar, "person.roles")
    assert event.after == {
        "roles": ["auditor", "officer", "records_officer"],
        "source": "import-org",
        "line": 3,
    }

    again = org_import(CHART, actor=None)
    assert again.created["roles"] == 0 and again.existing["roles"] == 4
    assert "0 role grants (4 already held)" in again.summary()


@pytest.mark.django_db
def test_import_adds_roles_to_people_already_there_but_never_takes_one_away() -> None:
    org_import(CHART, actor=None)
    omar = User.objects.get(email="so@x.gov.pk")
    roles_assign(
        actor=None, person=omar, roles=["officer", "auditor", "records_officer", "dealing_staff"]
    )
    more = HEADER + "XS,,,,XSO,Section Officer X,,,so@x.gov.pk,,officer;signing_officer\n"
    result = org_import(more, actor=None)
    assert result.created["roles"] == 1 and result.existing["roles"] == 1
    assert roles_of(User.objects.get(pk=omar.pk)) == [
        "auditor",
        "dealing_staff",
        "officer",
        "records_officer",
        "signing_officer",
    ]


@pytest.mark.django_db
def test_import_with_an_unknown_role_reports_the_line_and_imports_nothing() -> None:
    bad = (
        CHART.replace("officer; auditor", "officer; admiral").replace(
            "records_officer", "Records_Officer"
        )
        + "XS,,,,XVAC,Vacant post,16,XSO,,,officer\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        org_import(bad, actor=None)
    report = rejected.value.report()
    assert "line 3: Unknown role(s): admiral." in report
    assert "line 6: roles given but email is empty." in report
    assert len(rejected.value.problems) == 2  # a role's case does not matter
    assert not User.objects.filter(email__endswith="@x.gov.pk").exists()
    assert not AuditEvent.objects.filter(action="person.roles").exists()


def test_a_persons_permissions_are_read_in_one_query(
    cast: Cast, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """Own and through roles together (org/backends.py): the menu asks on every page."""
    person = User.objects.get(pk=cast.registry_clerk.pk)
    direct = Permission.objects.get(codename="view_trail")
    person.user_permissions.add(direct)
    person = User.objects.get(pk=person.pk)
    with django_assert_num_queries(1):
        assert person.has_perm("receipts.diarise_receipt")  # through the registry clerk role
        assert person.has_perm("audit.view_trail")  # given directly
        assert not person.has_perm("files.sign_document")
