"""Script typed into any text field comes back as text: escaped in every page that shows it,
and printed literally on the acknowledgement slip (not interpreted by the PDF renderer)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pypdf
import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from daftar.files.models import File
from daftar.files.services import file_open, note_add
from daftar.lib import clock
from daftar.mailroom.models import IncomingMail
from daftar.movement.services import file_send
from daftar.org import services as org
from daftar.org.models import User
from daftar.receipts.diary import receipt_register
from daftar.receipts.models import Mode, Receipt
from daftar.receipts.senders import sender_create
from tests.accounts.helpers import sign_in
from tests.security.hostile import HOSTILE, PAYLOADS, SCRIPT, live_script
from tests.security.world import World, mail_draft, scanned_letter


@dataclass
class Hostile:
    file: File
    receipt: Receipt  # sent to the assistant
    kept: Receipt  # still at the registry
    draft: IncomingMail
    person: User


@pytest.fixture
def hostile(world: World, db: None) -> Hostile:
    """Every field a person types, filled with script, through the services the forms call."""
    cast = world.cast
    person = org.person_create(
        actor=None, email="hostile@mowr.gov.pk", full_name=HOSTILE, password="x-Long-2026!"
    )
    org.charge_assign(actor=None, person=person, post=cast.so_post, start=clock.now().date())
    sender = sender_create(
        actor=cast.registry_clerk,
        organisation=HOSTILE,
        name=HOSTILE,
        designation=HOSTILE,
        address=HOSTILE,
    )

    def receipt(**kw: object) -> Receipt:
        return receipt_register(
            actor=cast.registry_clerk,
            post_id=cast.registry_post.pk,
            sender_id=sender.pk,
            subject=HOSTILE,
            received_on=clock.now().date(),
            mode=Mode.POST,
            letter_number="F.1/2026",
            enclosures=HOSTILE,
            remarks=HOSTILE,
            document_ids=[scanned_letter(cast.registry_clerk).pk],
            **kw,  # type: ignore[arg-type]
        )

    sent = receipt(send_to_post_id=cast.assistant_post.pk, send_remarks=HOSTILE)
    file = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject=HOSTILE)
    note_add(actor=cast.assistant, file_id=file.pk, body=HOSTILE)
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk, remarks=HOSTILE)
    draft = mail_draft(cast.registry_post, cast.registry_clerk, HOSTILE)
    IncomingMail.objects.filter(pk=draft.pk).update(from_name=HOSTILE, body_text=HOSTILE)
    return Hostile(file=file, receipt=sent, kept=receipt(), draft=draft, person=person)


PAGES = {
    # name: (who looks, the address from the hostile papers)
    "file-detail": ("assistant", lambda h: reverse("file-detail", args=[h.file.pk])),
    "home-sent": ("assistant", lambda h: reverse("home") + "?box=sent"),
    "home-inbox": ("hostile", lambda h: reverse("home")),
    "receipt-detail": ("assistant", lambda h: reverse("receipt-detail", args=[h.receipt.pk])),
    "receipt-at-registry": ("clerk", lambda h: reverse("receipt-detail", args=[h.kept.pk])),
    "mail-list": ("clerk", lambda h: reverse("mail-list")),
    "mail-detail": ("clerk", lambda h: reverse("mail-detail", args=[h.draft.pk])),
    "file-track": ("assistant", lambda h: reverse("file-track") + f"?number={h.file.number}"),
    "search": ("assistant", lambda h: reverse("search") + "?q=budget"),
    "admin-people": ("superuser", lambda h: reverse("admin:org_user_changelist")),
    "admin-person": ("superuser", lambda h: reverse("admin:org_user_change", args=[h.person.pk])),
    "admin-senders": ("superuser", lambda h: reverse("admin:receipts_sender_changelist")),
}


def viewer(world: World, hostile: Hostile, who: str) -> Client:
    superuser = org.person_create(
        actor=None, email="root@mowr.gov.pk", full_name="Root", password="x-Long-2026!"
    )
    User.objects.filter(pk=superuser.pk).update(is_staff=True, is_superuser=True)
    users = {
        "superuser": superuser,
        "assistant": world.cast.assistant,
        "clerk": world.cast.registry_clerk,
        "hostile": hostile.person,
    }
    client = Client()
    sign_in(client, users[who])
    return client


@pytest.mark.parametrize("page", PAGES)
def test_typed_script_is_shown_as_text(world: World, hostile: Hostile, page: str) -> None:
    who, address = PAGES[page]
    response = viewer(world, hostile, who).get(address(hostile))
    assert response.status_code == 200
    html = response.content.decode()
    assert live_script(html) == []
    assert escape(SCRIPT) in html  # the field is on the page, as text


SEARCHES = {
    "receipt-track": ("receipt-track", "number"),
    "file-track": ("file-track", "number"),
    "post-search": ("post-search", "q"),
    "sender-search": ("sender-search", "q"),
    "receipt-file-choices": ("receipt-file-choices", "q"),
    "file-copy-choices": ("file-copy-choices", "q"),
    "search": ("search", "q"),
    "search-posts": ("search-posts", "post"),
}


@pytest.mark.parametrize("search", SEARCHES)
@pytest.mark.parametrize("typed", PAYLOADS)
def test_script_in_a_search_box_is_inert(world: World, db: None, search: str, typed: str) -> None:
    name, field = SEARCHES[search]
    desk = world.desks["own"]
    kwargs = {"pk": desk.receipt.pk if name.startswith("receipt-") else desk.file.pk}
    url = reverse(name, kwargs=kwargs if "choices" in name else None)
    searcher = world.able("receipts.diarise_receipt" if name == "sender-search" else None)
    client = sign_in(Client(), searcher)
    response = client.get(url, {field: typed})
    assert response.status_code in (200, 400, 404)
    assert live_script(response.content.decode()) == []


def test_the_acknowledgement_slip_prints_script_literally(world: World, hostile: Hostile) -> None:
    client = viewer(world, hostile, "clerk")
    response = client.post(reverse("receipt-acknowledgement", args=[hostile.kept.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert SCRIPT in flat  # printed as typed, not swallowed as an HTML element
    assert "onerror=alert(1)>" in flat
