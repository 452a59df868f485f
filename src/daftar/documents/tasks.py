"""Background jobs of stored documents (django-tasks, run by ``daftar worker``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django_tasks import TaskContext, task

from daftar.documents import services
from daftar.documents.storage import BlobError

if TYPE_CHECKING:
    from daftar.documents.ocr import OcrEngine

log = logging.getLogger(__name__)


@task(takes_context=True)
def document_ocr(context: TaskContext, document_id: int) -> str:
    """Read the text of a queued scan. Idempotent: a document that is not ``queued`` (done,
    failed, or taken by another job) is left alone. Never raises for a failed OCR: the
    document records it (and is queued again), so the job itself always finishes."""
    return ocr_run(document_id=document_id, task_id=str(context.task_result.id))


def ocr_run(*, document_id: int, task_id: str | None = None) -> str:
    """The body of ``document_ocr``: claim, recognise, record. Returns what happened."""
    from daftar.documents.ocr import OcrError  # (loads OCRmyPDF)
    from daftar.documents.selectors import document_bytes

    document = services.ocr_begin(document_id=document_id, task_id=task_id)
    if document is None:
        return "skipped"
    try:
        texts = ocr_engine().recognise(
            content=document_bytes(document),
            content_type=document.content_type,
            pages=services.ocr_pages(document),
        )
    except OcrError as exc:
        services.ocr_fail(document_id=document_id, reason=exc.message, permanent=exc.permanent)
        return "failed"
    except BlobError as exc:
        log.error("OCR of document %s: %s", document_id, exc)
        services.ocr_fail(document_id=document_id, reason=str(exc))
        return "failed"
    except Exception as exc:  # a bug or an unexpected engine error: recorded, and retried
        log.exception("OCR of document %s failed unexpectedly", document_id)
        services.ocr_fail(document_id=document_id, reason=f"{type(exc).__name__}: {exc}")
        return "failed"
    services.ocr_finish(document_id=document_id, texts=texts)
    return "done"


def ocr_engine() -> OcrEngine:
    """The OCR engine in use: OCRmyPDF with the configured languages."""
    from daftar.documents.ocr import OcrmypdfEngine

    return OcrmypdfEngine(
        languages=list(settings.OCR_LANGUAGES),
        page_timeout=float(settings.OCR_PAGE_TIMEOUT_SECONDS),
    )
