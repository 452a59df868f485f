"""Fixtures for signed notes and exports: the instance's CA, a blob store per test, a sender,
a signed-in client, and the `daftar` commands run as the command line runs them."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from daftar.org.models import User
from daftar.receipts.models import Sender
from daftar.receipts.senders import sender_create
from tests.accounts.helpers import sign_in
from tests.cast import Cast


@pytest.fixture(autouse=True)
def own_blobs(blob_root: Path) -> Path:
    return blob_root


@pytest.fixture
def sender(cast: Cast) -> Sender:
    return sender_create(
        actor=cast.registry_clerk,
        organisation="WAPDA",
        name="Asif Raza",
        designation="Chief Engineer (Dams)",
        email="ce.dams@wapda.gov.pk",
    )


@pytest.fixture
def login(db: None) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        sign_in(client, user)
        return client

    return make


def run_cli(*args: str) -> tuple[int, str]:
    """A `daftar` command's exit status and its output, as the command line reports them
    (a CommandError is printed and exits 1)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + err.getvalue() + f"CommandError: {exc}"
    return 0, out.getvalue() + err.getvalue()
