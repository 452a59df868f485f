"""A sender's name is in the entry of each of its receipts: correcting the sender in the
admin rewrites them in the same transaction."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from daftar.org.models import User
from daftar.receipts.models import Sender
from daftar.search.models import Entry
from tests.accounts.helpers import login_verified
from tests.cast import PASSWORD, Cast
from tests.search.conftest import diarise, text_pdf


def test_correcting_a_sender_rewrites_its_receipts_entries(cast: Cast, sender: Sender) -> None:
    receipt = diarise(cast, sender, text_pdf(cast))
    admin = User.objects.create_superuser("it.cell@mowr.gov.pk", PASSWORD, full_name="IT Cell")
    client = login_verified(Client(), admin)

    saved = client.post(
        reverse("admin:receipts_sender_change", args=[sender.pk]),
        {
            "organisation": "Planning Commission",
            "name": "Tariq Mehmood",
            "designation": "Chief (Water)",
            "address": sender.address,
            "email": sender.email,
        },
    )

    assert saved.status_code == 302
    body = Entry.objects.get(key=f"receipt:{receipt.pk}").body
    assert body.startswith("Tariq Mehmood, Chief (Water) (Planning Commission)")
