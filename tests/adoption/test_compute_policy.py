"""policy_update: validated, audited, and the admin page saves through it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from daftar.adoption.models import AdoptionPolicy
from daftar.adoption.services import policy_update
from daftar.audit.models import AuditEvent
from daftar.lib.errors import InvalidInput
from daftar.org.models import User

pytestmark = pytest.mark.django_db


def test_a_change_is_saved_and_audited_with_before_and_after(admin_user: User) -> None:
    policy = policy_update(actor=admin_user, l3_electronic_min=80, cost_per_page="12.50")
    assert (policy.l3_electronic_min, policy.cost_per_page) == (80, Decimal("12.50"))
    assert AdoptionPolicy.current().updated_by == admin_user
    event = AuditEvent.objects.get(action="adoption.policy_update")
    assert event.before == {"l3_electronic_min": 75, "cost_per_page": "10.00"}
    assert event.after == {"l3_electronic_min": 80, "cost_per_page": "12.50"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"staffed_min": 101}, "from 0 to 100"),
        ({"trained_min": -1}, "from 0 to 100"),
        ({"l3_electronic_min": 96}, "cannot ask for less"),  # above level 4's 95
        ({"l2_receipts_min": 80}, "cannot ask for less"),  # above level 3's 75
        ({"cost_per_page": "-1"}, "0 or more"),
        ({"paper_transit_hours": "1.25"}, "at most 1 decimals"),
        ({"currency": " "}, "currency"),
        ({"colour": "red"}, "Unknown setting"),
    ],
)
def test_bad_values_change_nothing(
    admin_user: User, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        policy_update(actor=admin_user, **fields)
    assert not AdoptionPolicy.objects.exists()
    assert not AuditEvent.objects.filter(action="adoption.policy_update").exists()


def test_no_change_writes_no_event(admin_user: User) -> None:
    policy_update(actor=admin_user, staffed_min=50)
    assert not AuditEvent.objects.filter(action="adoption.policy_update").exists()


def test_the_admin_page_saves_through_the_service(admin_client: Client, admin_user: User) -> None:
    url = "/admin/adoption/adoptionpolicy/1/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    form = {
        name: getattr(AdoptionPolicy.current(), name)
        for name in (
            "staffed_min",
            "trained_min",
            "l2_receipts_min",
            "l2_electronic_min",
            "l3_electronic_min",
            "l3_receipts_min",
            "l4_electronic_min",
            "l4_receipts_min",
            "l4_signed_min",
            "l4_external_min",
            "cost_per_page",
            "currency",
            "paper_transit_hours",
        )
    }
    bad = admin_client.post(url, {**form, "l4_signed_min": 150})
    assert bad.status_code == 200 and "from 0 to 100" in bad.content.decode()
    assert not AdoptionPolicy.objects.exists()
    saved = admin_client.post(url, {**form, "l4_signed_min": 85})
    assert saved.status_code == 302
    assert AdoptionPolicy.current().l4_signed_min == 85
    event = AuditEvent.objects.get(action="adoption.policy_update")
    assert event.actor == admin_user and event.after == {"l4_signed_min": 85}
    assert admin_client.get("/admin/adoption/adoptionpolicy/").status_code == 302
    assert admin_client.get("/admin/adoption/monthlyfigures/").status_code == 200
