from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from daftar.audit.models import AuditEvent
from daftar.files.models import File
from daftar.files.services import file_open
from daftar.org.models import User
from daftar.receipts.models import Sender
from daftar.receipts.senders import sender_create
from daftar.signing import ca
from daftar.signing.models import Certificate
from tests.accounts.helpers import login_verified
from tests.audit.dba import triggers_off
from tests.cast import Cast, make_cast


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    """Argon2 is deliberately slow; the cast would spend most of each test hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static(settings: Settings) -> None:
    """Pages call {% static %}; the manifest storage would need collectstatic first."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # quiets WhiteNoise's warning
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    """pytest-django's superuser client, with the second factor an admin must have."""
    return login_verified(Client(), admin_user)


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


@pytest.fixture
def sender(cast: Cast) -> Sender:
    """A correspondent in the shared directory (folders that need another define their own)."""
    return sender_create(
        actor=cast.registry_clerk,
        organisation="Planning Commission",
        name="Tariq Mahmood",
        designation="Chief (Water)",
        address="P Block, Pak Secretariat, Islamabad",
        email="chief.water@pc.gov.pk",
    )


@pytest.fixture
def file(cast: Cast) -> File:
    """A file opened by the assistant, still with the assistant."""
    return file_open(
        actor=cast.assistant,
        post_id=cast.assistant_post.pk,
        subject="Construction of small dams in Potohar region",
    )


def last_event(obj: object, action: str) -> AuditEvent:
    """The newest audit event of ``action`` on ``obj``; fails the test when there is none."""
    event = (
        AuditEvent.objects.filter(object_id=str(obj.pk), action=action)  # type: ignore[attr-defined]
        .order_by("-id")
        .first()
    )
    assert event is not None, f"no audit event {action} for {obj}"
    return event


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` run in the PostgreSQL pass of ``make test`` only."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL pass")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _audit_flushable(request: pytest.FixtureRequest) -> Iterator[None]:
    """A transactional test ends with a flush of every table, which the append-only audit
    triggers refuse; switch them off first, as a DBA would (post_migrate restores them)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")  # set up first, so torn down after this
    yield
    triggers_off()


def own_blob_store(settings: Settings, tmp_path: Path) -> Path:
    """Point the blob store and the derived copies (page images) at this test's own folder,
    so a test that damages a blob on purpose cannot hurt another storing the same bytes."""
    root = tmp_path / "blobs"
    settings.DOCUMENT_STORE = {
        "BACKEND": "daftar.documents.storage.LocalBlobStore",
        "OPTIONS": {"root": str(root)},
    }
    settings.DOCUMENT_DERIVED_DIR = tmp_path / "derived"
    return root


@pytest.fixture
def blob_root(settings: Settings, tmp_path: Path) -> Path:
    return own_blob_store(settings, tmp_path)


@pytest.fixture
def authority(db: None) -> Certificate:
    """The instance's certificate authority (what `daftar pki init` makes)."""
    return ca.ca_init(name="Daftar test CA")
