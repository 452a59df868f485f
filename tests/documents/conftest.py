from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from daftar.documents.models import Document
from daftar.documents.services import document_store
from tests.cast import Cast
from tests.conftest import own_blob_store

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture(autouse=True)
def blob_root(settings: Settings, tmp_path: Path) -> Path:
    """Each test its own blob store and derived copies: tests that damage a blob on purpose
    cannot hurt another test storing the same bytes (the suite runs in parallel)."""
    settings.OCR_RETRY_SECONDS = 0  # a retry is ready at once, so one worker run sees it
    return own_blob_store(settings, tmp_path)


def blob_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def store(
    cast: Cast, django_capture_on_commit_callbacks: CaptureCallbacks
) -> Callable[[str, bytes], Document]:
    """Store as the registry clerk, running the after-commit hooks (the OCR enqueue)."""

    def _store(name: str, content: bytes) -> Document:
        with django_capture_on_commit_callbacks(execute=True):
            document = document_store(actor=cast.registry_clerk, name=name, content=content)
        document.refresh_from_db()  # the enqueue noted the task's id after the commit
        return document

    return _store


@pytest.fixture
def run_worker(transactional_db: None) -> Callable[[], None]:
    """``daftar worker --batch`` in this process. The worker commits as it goes (and closes
    connections between jobs), so tests using it run on ``transactional_db``: every commit
    is real and the hooks after it (a retry's enqueue) run as in production."""

    def _run() -> None:
        call_command("worker", "--batch", verbosity=0)

    return _run
