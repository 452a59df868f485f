from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daftar.audit.models import AuditEvent
from daftar.files.models import Classification, File
from daftar.files.services import file_open, note_add
from daftar.movement.services import file_send
from daftar.org.models import Charge, OrgUnit, Post, User
from tests.accounts.helpers import login_verified
from tests.cast import PASSWORD, Cast

ORG_MODELS = ["orgunit", "post", "user", "charge", "sequence"]
READ_ONLY = [
    ("files", "file"),
    ("movement", "movement"),
    ("audit", "auditevent"),
]
ALL = [("org", m) for m in ORG_MODELS] + READ_ONLY


@pytest.fixture
def it_admin(cast: Cast) -> User:
    return User.objects.create_superuser(
        "it.cell@mowr.gov.pk", PASSWORD, full_name="IT Cell Administrator"
    )


@pytest.fixture
def admin_client(it_admin: User) -> Client:
    client = Client()
    login_verified(client, it_admin)  # admins log in with a second factor
    return client


@pytest.fixture
def classified_file(cast: Cast) -> File:
    file = file_open(
        actor=cast.section_officer,
        post_id=cast.so_post.pk,
        subject="Kishenganga: brief for the Court of Arbitration",
        classification=Classification.CONFIDENTIAL,
    )
    note_add(actor=cast.section_officer, file_id=file.pk, body="The secret part of the brief.")
    file_send(actor=cast.section_officer, file_id=file.pk, to_post_id=cast.ds_post.pk)
    return file


def _management(prefix: str = "charges", total: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize(("app", "model"), ALL)
def test_staff_can_load_every_changelist(
    admin_client: Client, classified_file: File, app: str, model: str
) -> None:
    response = admin_client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["orgunit", "post", "user", "charge"])
def test_staff_can_load_org_add_forms(admin_client: Client, model: str) -> None:
    assert admin_client.get(reverse(f"admin:org_{model}_add")).status_code == 200


@pytest.mark.parametrize(("app", "model"), [*READ_ONLY, ("org", "sequence")])
def test_records_changed_only_by_services_have_no_add_form(
    admin_client: Client, app: str, model: str
) -> None:
    assert admin_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 403


def test_change_pages_of_org_objects_load(admin_client: Client, cast: Cast) -> None:
    charge = Charge.objects.filter(post=cast.so_post).first()
    assert charge is not None
    for name, pk in [
        ("orgunit", cast.section.pk),
        ("post", cast.so_post.pk),
        ("user", cast.section_officer.pk),
        ("charge", charge.pk),
    ]:
        response = admin_client.get(reverse(f"admin:org_{name}_change", args=[pk]))
        assert response.status_code == 200, name
    listing = admin_client.get(reverse("admin:org_user_changelist"))
    assert "Section Officer (Development-I)" in listing.content.decode()  # current posts


def test_file_admin_is_view_only_and_withholds_classified_notes(
    admin_client: Client, classified_file: File
) -> None:
    url = reverse("admin:files_file_change", args=[classified_file.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert classified_file.number in page
    assert "The secret part of the brief." not in page
    assert "withheld" in page
    assert response.context["has_change_permission"] is False
    assert response.context["has_delete_permission"] is False
    delete = reverse("admin:files_file_delete", args=[classified_file.pk])
    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert File.objects.filter(pk=classified_file.pk).exists()
    # a POST to the change page cannot alter it either
    admin_client.post(url, {"subject": "Changed", "status": "closed"})
    classified_file.refresh_from_db()
    assert classified_file.subject.startswith("Kishenganga")


def test_audit_and_movement_admin_have_no_delete(
    admin_client: Client, classified_file: File
) -> None:
    event = AuditEvent.objects.order_by("id").first()
    assert event is not None
    response = admin_client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert response.status_code == 200
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    listing = admin_client.get(reverse("admin:movement_movement_changelist"))
    assert "delete_selected" not in listing.content.decode()


def test_person_add_form_refuses_a_non_official_address(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:org_user_add"),
        {
            "email": "ayesha@gmail.com",
            "full_name": "Ayesha Khan",
            "usable_password": "true",
            "password1": "Strong-pass-2026!",
            "password2": "Strong-pass-2026!",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "ayesha@gmail.com is not an official address" in response.content.decode()
    assert not User.objects.filter(email="ayesha@gmail.com").exists()
    assert not AuditEvent.objects.filter(action="person.create", actor__isnull=False).exists()


def test_person_add_form_creates_the_person_and_an_audit_event(
    admin_client: Client, it_admin: User
) -> None:
    response = admin_client.post(
        reverse("admin:org_user_add"),
        {
            "email": "Zainab.Farooq@MOWR.gov.pk",
            "full_name": "Zainab Farooq",
            "usable_password": "true",
            "password1": "Strong-pass-2026!",
            "password2": "Strong-pass-2026!",
        },
    )
    assert response.status_code == 302
    person = User.objects.get(email="zainab.farooq@mowr.gov.pk")
    assert person.check_password("Strong-pass-2026!")
    event = AuditEvent.objects.get(action="person.create", object_id=str(person.pk))
    assert event.actor == it_admin
    assert event.after is not None
    assert event.after["email"] == "zainab.farooq@mowr.gov.pk"
    assert event.after["has_password"] is True and event.after["source"] == "admin"
    assert "pbkdf2" not in str(event.after) and "argon2" not in str(event.after)

    duplicate = admin_client.post(
        reverse("admin:org_user_add"),
        {"email": "zainab.farooq@mowr.gov.pk", "full_name": "Z", "usable_password": "false"},
    )
    assert "already has an account" in duplicate.content.decode()


def test_person_without_password_and_password_set_later_is_audited(
    admin_client: Client, it_admin: User
) -> None:
    admin_client.post(
        reverse("admin:org_user_add"),
        {
            "email": "new.officer@mowr.gov.pk",
            "full_name": "New Officer",
            "usable_password": "false",
        },
    )
    person = User.objects.get(email="new.officer@mowr.gov.pk")
    assert not person.has_usable_password()
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {"password1": "Another-pass-2026!", "password2": "Another-pass-2026!"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Another-pass-2026!")
    event = AuditEvent.objects.get(action="person.password", object_id=str(person.pk))
    assert event.actor == it_admin and event.after == {"has_password": True, "source": "admin"}


def test_unit_admin_save_writes_create_and_change_events(
    admin_client: Client, cast: Cast, it_admin: User
) -> None:
    add = admin_client.post(
        reverse("admin:org_orgunit_add"),
        {
            "code": "D-II",
            "name": "Development-II Section",
            "kind": "section",
            "parent": str(cast.division.pk),
            "time_zone": "Asia/Karachi",
            "file_number_template": "{head}-{serial}/{year}-{unit}",
            "default_file_head": "1",
        },
    )
    assert add.status_code == 302
    unit = OrgUnit.objects.get(code="D-II")
    created = AuditEvent.objects.get(action="unit.create", object_id=str(unit.pk))
    assert created.actor == it_admin
    assert created.after is not None and created.after["parent"] == cast.division.code

    change = admin_client.post(
        reverse("admin:org_orgunit_change", args=[unit.pk]),
        {
            "code": "D-II",
            "name": "Development-II Section (Canals)",
            "kind": "section",
            "parent": str(cast.division.pk),
            "time_zone": "Asia/Karachi",
            "file_number_template": "{head}-{serial}/{year}-{unit}",
            "default_file_head": "1",
        },
    )
    assert change.status_code == 302
    changed = AuditEvent.objects.get(action="unit.change", object_id=str(unit.pk))
    assert changed.before == {"name": "Development-II Section"}
    assert changed.after == {"name": "Development-II Section (Canals)", "source": "admin"}


def test_unit_admin_refuses_a_circle_and_a_template_without_serial(
    admin_client: Client, cast: Cast
) -> None:
    response = admin_client.post(
        reverse("admin:org_orgunit_change", args=[cast.division.pk]),
        {
            "code": cast.division.code,
            "name": cast.division.name,
            "kind": "division",
            "parent": str(cast.section.pk),  # the section is under the division
            "time_zone": "Asia/Karachi",
            "file_number_template": "{head}/{year}-{unit}",
            "default_file_head": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "cannot be placed inside itself" in page
    assert "must contain {serial}" in page
    cast.division.refresh_from_db()
    assert cast.division.parent is not None and cast.division.parent.code == "GOP"
    assert not AuditEvent.objects.filter(action="unit.change").exists()


def test_post_admin_with_charge_inline_audits_post_and_charge(
    admin_client: Client, cast: Cast, it_admin: User
) -> None:
    data = {
        "code": "SO-D2",
        "designation": "Section Officer (Development-II)",
        "unit": str(cast.section.pk),
        "grade": "17",
        "reports_to": str(cast.ds_post.pk),
        "is_active": "on",
        **_management(total=1),
        "charges-0-person": str(cast.section_officer.pk),
        "charges-0-kind": "additional",
        "charges-0-start": "2026-01-01",
        "charges-0-end": "",
    }
    response = admin_client.post(reverse("admin:org_post_add"), data)
    assert response.status_code == 302
    post = Post.objects.get(code="SO-D2")
    assert AuditEvent.objects.get(action="post.create", object_id=str(post.pk)).actor == it_admin
    charge = Charge.objects.get(post=post)
    event = AuditEvent.objects.get(action="charge.assign", object_id=str(charge.pk))
    assert event.actor == it_admin and event.post == post
    assert event.after is not None
    assert event.after["person"] == cast.section_officer.email
    assert event.after["kind"] == "additional"


def test_post_admin_refuses_grade_out_of_range_and_a_reporting_circle(
    admin_client: Client, cast: Cast
) -> None:
    data = {
        "code": cast.secretary_post.code,
        "designation": "Secretary",
        "unit": str(cast.division.pk),
        "grade": "23",
        "reports_to": str(cast.assistant_post.pk),  # who reports (indirectly) to the Secretary
        "is_active": "on",
        **_management(),
    }
    response = admin_client.post(
        reverse("admin:org_post_change", args=[cast.secretary_post.pk]), data
    )
    page = response.content.decode()
    assert "between 1 and 22" in page
    assert "would make a circle" in page
    cast.secretary_post.refresh_from_db()
    assert cast.secretary_post.reports_to is None


def test_ending_a_charge_in_the_person_inline_is_audited(
    admin_client: Client, cast: Cast, it_admin: User
) -> None:
    charge = Charge.objects.get(person=cast.assistant)
    data = {
        "email": cast.assistant.email,
        "full_name": cast.assistant.full_name,
        "clearance": str(cast.assistant.clearance),
        "is_active": "on",
        "charges-TOTAL_FORMS": "1",
        "charges-INITIAL_FORMS": "1",
        "charges-MIN_NUM_FORMS": "0",
        "charges-MAX_NUM_FORMS": "1000",
        "charges-0-id": str(charge.pk),
        "charges-0-person": str(cast.assistant.pk),
        "charges-0-post": str(cast.assistant_post.pk),
        "charges-0-kind": "regular",
        "charges-0-start": "2020-01-01",
        "charges-0-end": "2026-06-30",
    }
    response = admin_client.post(reverse("admin:org_user_change", args=[cast.assistant.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="charge.change", object_id=str(charge.pk))
    assert event.actor == it_admin
    assert event.before == {"end": None}
    assert event.after is not None and str(event.after["end"]) == "2026-06-30"
    assert not AuditEvent.objects.filter(action="person.change").exists()  # nothing else changed


def test_deleting_a_unit_in_the_admin_is_audited(
    admin_client: Client, cast: Cast, it_admin: User
) -> None:
    empty = OrgUnit.objects.create(code="TMP", name="Temporary Cell", kind="section")
    response = admin_client.post(
        reverse("admin:org_orgunit_delete", args=[empty.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not OrgUnit.objects.filter(code="TMP").exists()
    event = AuditEvent.objects.get(action="unit.delete", object_id=str(empty.pk))
    assert event.actor == it_admin and event.before is not None and event.before["code"] == "TMP"


def test_people_who_are_not_staff_are_sent_to_the_login(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.section_officer)
    response = client.get(reverse("admin:org_post_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_person_and_post_lists_do_not_query_per_row(admin_client: Client, cast: Cast) -> None:
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [reverse("admin:org_user_changelist"), reverse("admin:org_post_changelist")]
    for url in urls:  # warm up the session and the content-type cache
        queries(url)
    before = [queries(u) for u in urls]
    for i in range(5):
        person = User.objects.create_user(f"extra{i}@mowr.gov.pk", None, full_name=f"Extra {i}")
        post = Post.objects.create(
            unit=cast.section, code=f"X-{i}", designation=f"Extra post {i}", reports_to=cast.so_post
        )
        Charge.objects.create(person=person, post=post, start=dt.date(2020, 1, 1))
    assert [queries(u) for u in urls] == before


def test_the_admin_shows_the_register_not_the_contents(
    admin_client: Client, cast: Cast, classified_file: File
) -> None:
    plain = file_open(
        actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Tube wells at Chakwal"
    )
    note_add(actor=cast.assistant, file_id=plain.pk, body="Costs look high.")
    file_send(
        actor=cast.assistant, file_id=plain.pk, to_post_id=cast.so_post.pk, remarks="Urgent, see"
    )
    page = admin_client.get(reverse("admin:files_file_change", args=[plain.pk])).content.decode()
    assert "Tube wells at Chakwal" in page  # an unclassified subject is part of the register
    assert "Costs look high." not in page and "Urgent, see" not in page
    listing = admin_client.get(reverse("admin:files_file_changelist")).content.decode()
    assert "Kishenganga" not in listing and classified_file.number in listing
    found = admin_client.get(reverse("admin:files_file_changelist"), {"q": "Kishenganga"})
    assert classified_file.number not in found.content.decode()  # no search by subject
    movements = admin_client.get(reverse("admin:movement_movement_changelist")).content.decode()
    assert "Kishenganga" not in movements and "Urgent, see" not in movements
