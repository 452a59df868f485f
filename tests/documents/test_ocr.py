"""OCR with the real Tesseract on scans drawn in the test, the retry path, and the recovery of
jobs a dead worker left behind. One short page per OCR run keeps the suite quick."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from daftar.audit.models import AuditEvent
from daftar.documents.models import Document, OcrStatus
from daftar.documents.ocr import parse_sidecar
from daftar.documents.services import OCR_LEASE, document_store, ocr_begin, ocr_recover
from tests.cast import Cast
from tests.conftest import last_event
from tests.documents import samples
from tests.documents.conftest import CaptureCallbacks

Store = Callable[[str, bytes], Document]
Run = Callable[[], None]


def job_of(document: Document) -> DBTaskResult[Any, Any]:
    assert document.ocr_task_id is not None
    return DBTaskResult.objects.get(pk=document.ocr_task_id)


def page_text(document: Document, number: int) -> str:
    return document.pages.get(number=number).text


def test_english_scan_is_read_by_the_worker(store: Store, run_worker: Run) -> None:
    document = store("scan.png", samples.scan(samples.ENGLISH_LINES))
    assert document.ocr_status == OcrStatus.QUEUED

    run_worker()

    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.DONE, document.ocr_error
    assert document.ocr_attempts == 1
    text = page_text(document, 1)
    for word in ("Construction", "small", "dams", "Potohar", "budget"):
        assert word in text
    job = job_of(document)
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.worker_ids[-1].startswith(f"{socket.gethostname()[:40]}:")
    event = last_event(document, "document.ocr")
    assert event.actor is None
    assert event.after is not None and event.after["status"] == OcrStatus.DONE


def test_urdu_scanned_pdf_is_read_from_the_sidecar(store: Store, run_worker: Run) -> None:
    document = store("khat.pdf", samples.scanned_pdf(samples.scan(samples.URDU_LINES, urdu=True)))

    run_worker()

    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.DONE, document.ocr_error
    text = page_text(document, 1)
    for word in ("پانی", "وسائل", "حکومت", "پاکستان"):
        assert word in text


def test_only_the_scanned_page_of_a_mixed_pdf_is_ocred(store: Store, run_worker: Run) -> None:
    typed = "Minute sheet of the Deputy Secretary, typed on the computer."
    document = store("mixed.pdf", samples.mixed_pdf(typed, samples.scan(samples.ENGLISH_LINES)))
    assert document.page_count == 2
    assert document.ocr_status == OcrStatus.QUEUED

    run_worker()

    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.DONE, document.ocr_error
    assert "Deputy Secretary" in page_text(document, 1)  # its own text layer, kept
    assert "Potohar" in page_text(document, 2)  # read by OCR
    assert last_event(document, "document.ocr").after == {
        "status": OcrStatus.DONE,
        "attempt": 1,
        "pages": [2],
        "characters": len(page_text(document, 2)),
    }


def test_ocr_failure_is_retried_then_fails_with_the_reason(
    store: Store, run_worker: Run, settings: Settings
) -> None:
    settings.OCR_LANGUAGES = ["eng", "zzz"]  # no such Tesseract language: OCRmyPDF refuses
    document = store("scan.png", samples.scan(["Retry"]))

    run_worker()  # attempts 1 and 2 fail and are queued again (no pause here); 3 gives up

    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.FAILED
    assert document.ocr_attempts == 3
    assert document.ocr_error.startswith("OCR failed after 3 attempts")
    assert "zzz" in document.ocr_error
    events = AuditEvent.objects.filter(object_id=str(document.pk), action="document.ocr")
    assert [e.after["status"] for e in events.order_by("id") if e.after] == [
        OcrStatus.QUEUED,
        OcrStatus.QUEUED,
        OcrStatus.FAILED,
    ]

    run_worker()  # nothing left to do: the failed document stays failed
    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.FAILED
    assert document.ocr_attempts == 3


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_document_left_running_by_a_dead_worker_is_requeued_and_read(
    store: Store, run_worker: Run
) -> None:
    document = store("scan.png", samples.scan(samples.ENGLISH_LINES))
    # A worker on this machine claims the job, starts the OCR and is killed mid-page.
    job = job_of(document)
    job.claim(f"{socket.gethostname()[:40]}:{_dead_pid()}:killed")
    assert ocr_begin(document_id=document.pk, task_id=str(job.pk)) is not None
    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.RUNNING

    run_worker()  # the new worker finds the lost job first, queues it again and runs it

    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.DONE, document.ocr_error
    assert document.ocr_task_id != job.pk
    event = last_event(document, "document.ocr_recover")
    assert event.before == {"status": OcrStatus.RUNNING, "attempts": 1}
    assert document.ocr_attempts == 2
    assert "Potohar" in page_text(document, 1)


def test_a_queued_document_whose_enqueue_was_lost_is_queued_again(
    cast: Cast, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    # The after-commit enqueue never runs here, as if the process died right after the commit.
    document = document_store(actor=cast.registry_clerk, name="s.png", content=samples.scan(["x"]))
    assert document.ocr_task_id is None
    assert not DBTaskResult.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert ocr_recover() == [document.pk]
    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.QUEUED
    job = DBTaskResult.objects.get()
    assert document.ocr_task_id == job.pk and job.status == TaskResultStatus.READY
    assert ocr_recover() == []  # a waiting job is a live job


def test_live_and_waiting_jobs_are_left_alone(store: Store, settings: Settings) -> None:
    waiting = store("a.png", samples.scan(["a"]))
    running = store("b.png", samples.scan(["b"]))
    stale = store("c.png", samples.scan(["c"]))
    for document, worker in ((running, "live"), (stale, "stale")):
        job = job_of(document)
        # A worker of another machine: not known to be dead, so only its lease counts.
        job.claim(f"other-host:1:{worker}")
        ocr_begin(document_id=document.pk, task_id=str(job.pk))
    DBTaskResult.objects.filter(pk=job_of(stale).pk).update(
        started_at=timezone.now() - OCR_LEASE - timedelta(minutes=1)
    )

    assert ocr_recover() == [stale.pk]
    waiting.refresh_from_db()
    running.refresh_from_db()
    assert waiting.ocr_status == OcrStatus.QUEUED
    assert running.ocr_status == OcrStatus.RUNNING


def test_a_document_that_kills_every_worker_fails_in_the_end(store: Store) -> None:
    document = store("poison.png", samples.scan(["x"]))
    Document.objects.filter(pk=document.pk).update(ocr_status=OcrStatus.RUNNING, ocr_attempts=3)
    DBTaskResult.objects.filter(pk=job_of(document).pk).update(status=TaskResultStatus.FAILED)

    assert ocr_recover() == [document.pk]
    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.FAILED
    assert "interrupted 3 times" in document.ocr_error


@pytest.mark.parametrize(
    ("sidecar", "pages"),
    [
        ("one\ftwo\n", {1: "one", 2: "two"}),
        ("[OCR skipped on page(s) 1-3]\ffour", {4: "four"}),
        ("one\f[OCR skipped on page(s) 2]\fthree\f", {1: "one", 3: "three", 4: ""}),
    ],
)
def test_sidecar_pages(sidecar: str, pages: dict[int, str]) -> None:
    assert parse_sidecar(sidecar) == pages


def test_transparent_and_multi_page_scans_become_pdfs_for_ocr() -> None:
    import io

    import pypdf
    from PIL import Image

    from daftar.documents.ocr import _image_to_pdf

    rgba = Image.open(io.BytesIO(samples.scan(["See through"]))).convert("RGBA")
    out = io.BytesIO()
    rgba.save(out, "PNG", dpi=(300, 300))
    two_pages = samples.tiff([samples.scan(["One"]), samples.scan(["Two"])])

    assert len(pypdf.PdfReader(io.BytesIO(_image_to_pdf(out.getvalue()))).pages) == 1
    assert len(pypdf.PdfReader(io.BytesIO(_image_to_pdf(two_pages))).pages) == 2


def test_a_job_for_a_document_already_taken_or_done_does_nothing(store: Store) -> None:
    from daftar.documents.tasks import ocr_run

    document = store("scan.png", samples.scan(["Twice"]))
    assert ocr_begin(document_id=document.pk) is not None
    assert ocr_begin(document_id=document.pk) is None  # a second job finds it running
    Document.objects.filter(pk=document.pk).update(ocr_status=OcrStatus.DONE)

    assert ocr_run(document_id=document.pk) == "skipped"
    document.refresh_from_db()
    assert document.ocr_attempts == 1


def test_ocr_text_is_kept_without_nul_characters(store: Store) -> None:
    from daftar.documents.services import ocr_finish

    document = store("scan.png", samples.scan(["Noise"]))
    ocr_begin(document_id=document.pk)

    assert ocr_finish(document_id=document.pk, texts={1: "No\x00ise"}) is not None
    assert page_text(document, 1) == "Noise"


def test_a_job_that_crashes_before_starting_counts_as_an_attempt(store: Store) -> None:
    document = store("scan.png", samples.scan(["x"]))
    Document.objects.filter(pk=document.pk).update(ocr_attempts=1)
    DBTaskResult.objects.filter(pk=job_of(document).pk).update(
        status=TaskResultStatus.FAILED, exception_class_path="builtins.ImportError"
    )

    assert ocr_recover() == [document.pk]
    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.QUEUED
    assert document.ocr_attempts == 2

    # Its next job (not enqueued here: no commit in this test) crashes the same way.
    assert ocr_recover() == [document.pk]
    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.FAILED
    assert document.ocr_error == (
        "The OCR job failed 3 times before it started: builtins.ImportError"
    )
