"""Admin screens: mailboxes are added and changed with audited saves and their checks;
fetched e-mails are view-only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from daftar.audit.models import AuditEvent
from daftar.mailroom.models import IncomingMail, Mailbox, TlsMode
from daftar.org.models import User
from tests.accounts.helpers import login_verified
from tests.cast import PASSWORD, Cast


@pytest.fixture
def admin_client(cast: Cast) -> Client:
    it_admin = User.objects.create_superuser(
        "it.cell@mowr.gov.pk", PASSWORD, full_name="IT Cell Administrator"
    )
    client = Client()
    login_verified(client, it_admin)  # admins log in with a second factor
    return client


def form(cast: Cast, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "registry@mowr.gov.pk",
        "unit": cast.registry.pk,
        "host": "mail.mowr.gov.pk",
        "port": 993,
        "tls": TlsMode.SSL,
        "username": "registry",
        "password_env": "DAFTAR_IMAP_PASSWORD_REGISTRY",
        "folder": "INBOX",
        "post": cast.registry_post.pk,
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_mailbox_admin_checks_and_audits(admin_client: Client, cast: Cast) -> None:
    add = reverse("admin:mailroom_mailbox_add")
    assert admin_client.get(add).status_code == 200
    refused = admin_client.post(
        add, form(cast, tls=TlsMode.PLAIN, password_env="DAFTAR_SECRET_KEY")
    )
    assert refused.status_code == 200 and not Mailbox.objects.exists()
    assert "DAFTAR_IMAP_PASSWORD_" in refused.content.decode()

    assert admin_client.post(add, form(cast)).status_code == 302
    box = Mailbox.objects.get()
    created = AuditEvent.objects.get(action="mailbox.create", object_id=str(box.pk))
    assert created.after is not None and created.after["password_env"] == box.password_env
    assert created.post == cast.registry_post

    change = reverse("admin:mailroom_mailbox_change", args=[box.pk])
    assert admin_client.post(change, form(cast, folder="Registry")).status_code == 302
    changed = AuditEvent.objects.get(action="mailbox.change", object_id=str(box.pk))
    assert changed.before == {"folder": "INBOX"}
    assert changed.after is not None and changed.after["folder"] == "Registry"


def test_incoming_mail_admin_is_view_only(admin_client: Client) -> None:
    assert admin_client.get(reverse("admin:mailroom_incomingmail_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:mailroom_incomingmail_add")).status_code == 403
    assert not IncomingMail.objects.exists()
