"""State changes of stored documents. Each owns its transaction and writes its audit event.

Storing: the upload is checked (``checks.inspect``) before anything is written, so a refused
upload leaves nothing behind; the blob is stored next (content-addressed, atomic), then the
row, its pages and the audit event in one transaction; OCR is queued after the commit.

OCR: ``Document.ocr_status`` is the truth, the task queue only a means. A task turns a
``queued`` document ``running`` (counting the attempt), and then ``done`` with its text, back
to ``queued`` for a later attempt, or ``failed`` with the reason after ``OCR_MAX_ATTEMPTS``.
``ocr_recover`` re-queues documents whose job was lost (a worker killed mid-page, a crash
between commit and enqueue); ``daftar worker`` runs it.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta
from functools import partial
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from daftar.audit.services import event_record
from daftar.documents.checks import Inspection, has_no_text_layer, inspect
from daftar.documents.models import Document, DocumentPage, OcrStatus
from daftar.documents.storage import blob_store
from daftar.lib import clock
from daftar.lib.changes import changed
from daftar.org.models import User

log = logging.getLogger(__name__)

OCR_MAX_ATTEMPTS = 3
# A job a worker claimed this long ago and never finished is taken to be lost (its worker
# died on another machine). On the worker's own machine a dead worker is noticed at once.
OCR_LEASE = timedelta(hours=2)


def document_store(*, actor: User, name: str, content: bytes) -> Document:
    """Check and keep an uploaded document; queue OCR for scans.

    Raises ``InvalidInput`` (too large, a type that is not accepted whatever its name says, an
    image bomb, a PDF that does not parse, a password-protected PDF) before anything is
    written. The same bytes stored twice are one blob and two Documents."""
    found = inspect(name=name, content=content)
    # The blob goes first: a row never points to bytes that are not there. Should the
    # transaction below fail, the blob stays unreferenced (never served; same bytes reuse it).
    sha256 = blob_store().put(content)
    with transaction.atomic(durable=True):
        return document_keep(actor=actor, found=found, sha256=sha256, size=len(content))


def document_keep(
    *, actor: User, found: Inspection, sha256: str, size: int, ocr: bool = True
) -> Document:
    """The Document of checked bytes already in the blob store (``sha256``): the row, its
    pages and the audit event, inside the caller's transaction. ``ocr=False`` for a PDF
    Daftar made itself (it has its text layer); otherwise a scan is queued for OCR after the
    commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_keep must run inside the caller's transaction")
    queued = ocr and found.needs_ocr
    document = Document.objects.create(
        sha256=sha256,
        size=size,
        content_type=found.content_type,
        original_name=found.name,
        page_count=found.page_count,
        flags=found.flags,
        ocr_status=OcrStatus.QUEUED if queued else OcrStatus.NOT_NEEDED,
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    DocumentPage.objects.bulk_create(
        DocumentPage(document=document, number=number, text=text)
        for number, text in enumerate(found.page_texts, start=1)
    )
    changed("document", [document.pk])
    event_record(
        actor=actor,
        action="document.store",
        obj=document,
        after={
            "name": document.original_name,
            "sha256": sha256,
            "size": size,
            "type": document.content_type,
            "pages": document.page_count,
            "flags": document.flags,
            "ocr": document.ocr_status,
        },
    )
    if queued:
        transaction.on_commit(partial(_ocr_enqueue, document.pk), robust=True)
    return document


def _ocr_enqueue(document_id: int, *, delay_seconds: int = 0) -> None:
    """Queue the OCR task (after the commit that made the document ``queued``) and note its
    id on the document. Losing this step to a crash loses nothing: ``ocr_recover`` finds a
    queued document without a live job and queues it again."""
    from daftar.documents.tasks import document_ocr  # (tasks import services)

    task = document_ocr
    if delay_seconds:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay_seconds))
    result = task.enqueue(document_id)
    Document.objects.filter(pk=document_id, ocr_status=OcrStatus.QUEUED).update(
        ocr_task_id=result.id
    )


def ocr_pages(document: Document) -> list[int]:
    """The pages OCR reads: every page of a scan; the PDF pages without a text layer."""
    texts = dict(document.pages.values_list("number", "text"))
    return [
        number
        for number in range(1, (document.page_count or 0) + 1)
        if has_no_text_layer(texts.get(number, ""))
    ]


@transaction.atomic(durable=True)
def ocr_begin(*, document_id: int, task_id: str | None = None) -> Document | None:
    """Claim a queued document for OCR (``running``, one attempt more); None when there is
    nothing to do (done already, failed, or another job has it): tasks are idempotent."""
    document = Document.objects.select_for_update().filter(pk=document_id).first()
    if document is None or document.ocr_status != OcrStatus.QUEUED:
        return None
    document.ocr_status = OcrStatus.RUNNING
    document.ocr_attempts += 1
    if task_id is not None:
        document.ocr_task_id = UUID(task_id)
    document.save(update_fields=["ocr_status", "ocr_attempts", "ocr_task_id"])
    return document


@transaction.atomic(durable=True)
def ocr_finish(*, document_id: int, texts: dict[int, str]) -> Document | None:
    """Keep the recognised text of each OCR'd page; the document is ``done``."""
    document = Document.objects.select_for_update().filter(pk=document_id).first()
    if document is None or document.ocr_status != OcrStatus.RUNNING:
        return None  # recovered and queued again meanwhile: that run will finish it
    DocumentPage.objects.filter(document=document, number__in=list(texts)).delete()
    DocumentPage.objects.bulk_create(
        # PostgreSQL text cannot hold NUL, which Tesseract can emit on noise.
        DocumentPage(document=document, number=number, text=text.replace("\x00", ""))
        for number, text in sorted(texts.items())
    )
    # The pages are indexed where the document stands (a receipt, a file) in this
    # transaction: a scan read after it was put on a file is found on that file.
    changed("document", [document.pk])
    document.ocr_status = OcrStatus.DONE
    document.ocr_error = ""
    document.save(update_fields=["ocr_status", "ocr_error"])
    event_record(
        actor=None,
        action="document.ocr",
        obj=document,
        after={
            "status": document.ocr_status,
            "attempt": document.ocr_attempts,
            "pages": sorted(texts),
            "characters": sum(len(t) for t in texts.values()),
        },
    )
    return document


@transaction.atomic(durable=True)
def ocr_fail(*, document_id: int, reason: str, permanent: bool = False) -> Document | None:
    """Record a failed attempt: queued again after a pause (longer each time), or ``failed``
    with the reason once the attempts are used up or when trying again cannot help."""
    document = Document.objects.select_for_update().filter(pk=document_id).first()
    if document is None or document.ocr_status != OcrStatus.RUNNING:
        return None
    attempt = document.ocr_attempts
    if permanent or attempt >= OCR_MAX_ATTEMPTS:
        document.ocr_status = OcrStatus.FAILED
        document.ocr_error = (
            _("OCR failed after %(n)s attempts: %(reason)s") % {"n": attempt, "reason": reason}
            if not permanent
            else _("OCR cannot read this document: %(reason)s") % {"reason": reason}
        )
    else:
        document.ocr_status = OcrStatus.QUEUED
        document.ocr_error = _("Attempt %(n)s failed (%(reason)s); trying again.") % {
            "n": attempt,
            "reason": reason,
        }
        delay = settings.OCR_RETRY_SECONDS * attempt
        transaction.on_commit(partial(_ocr_enqueue, document.pk, delay_seconds=delay), robust=True)
    document.save(update_fields=["ocr_status", "ocr_error"])
    event_record(
        actor=None,
        action="document.ocr",
        obj=document,
        after={"status": document.ocr_status, "attempt": attempt, "error": reason},
    )
    return document


def ocr_recover() -> list[int]:
    """Queue again every document whose OCR job is gone; return their ids.

    A ``queued`` or ``running`` document is left alone while its job is waiting, or running
    in a live worker within ``OCR_LEASE``. Otherwise the job was lost: a worker killed
    mid-page, a machine that lost power, a crash between commit and enqueue. The document is
    queued again, or ``failed`` if it has used up its attempts (a scan that kills the worker
    every time must not loop forever)."""
    pending = Document.objects.filter(
        ocr_status__in=[OcrStatus.QUEUED, OcrStatus.RUNNING]
    ).values_list("pk", flat=True)
    return [pk for pk in list(pending) if _ocr_recover_one(pk)]


@transaction.atomic(durable=True)
def _ocr_recover_one(document_id: int) -> bool:
    document = Document.objects.select_for_update().filter(pk=document_id).first()
    if document is None or document.ocr_status not in {OcrStatus.QUEUED, OcrStatus.RUNNING}:
        return False
    job = (
        DBTaskResult.objects.filter(pk=document.ocr_task_id).first()
        if document.ocr_task_id
        else None
    )
    if job is not None and _job_alive(job):
        return False
    before = {"status": document.ocr_status, "attempts": document.ocr_attempts}
    if (
        document.ocr_status == OcrStatus.QUEUED
        and job is not None
        and job.status == TaskResultStatus.FAILED
    ):
        # The job crashed before it could start the OCR (ocr_begin never committed): that
        # counts as an attempt too, or a job that cannot even start would be re-queued forever.
        document.ocr_attempts += 1
        if document.ocr_attempts >= OCR_MAX_ATTEMPTS:
            document.ocr_status = OcrStatus.FAILED
            document.ocr_error = _(
                "The OCR job failed %(n)s times before it started: %(error)s"
            ) % {"n": document.ocr_attempts, "error": job.exception_class_path or "?"}
    if document.ocr_status == OcrStatus.RUNNING and document.ocr_attempts >= OCR_MAX_ATTEMPTS:
        document.ocr_status = OcrStatus.FAILED
        document.ocr_error = _(
            "OCR was interrupted %(n)s times (the worker stopped while reading this document)."
        ) % {"n": document.ocr_attempts}
    elif document.ocr_status != OcrStatus.FAILED:
        document.ocr_status = OcrStatus.QUEUED
        transaction.on_commit(partial(_ocr_enqueue, document.pk), robust=True)
    document.save(update_fields=["ocr_status", "ocr_error", "ocr_attempts"])
    event_record(
        actor=None,
        action="document.ocr_recover",
        obj=document,
        before=before,
        after={"status": document.ocr_status, "lost_job": str(document.ocr_task_id or "")},
    )
    return True


def _job_alive(job: DBTaskResult[Any, Any]) -> bool:
    if job.status == TaskResultStatus.READY:
        return True
    if job.status != TaskResultStatus.RUNNING:
        return False  # finished, yet the document was left queued or running
    if job.started_at is None or job.started_at < timezone.now() - OCR_LEASE:
        return False
    return not any(worker_dead(worker_id) for worker_id in job.worker_ids[-1:])


def worker_id_new(suffix: str) -> str:
    """``host:pid:suffix``: lets ``worker_dead`` tell a worker that died on this machine."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{suffix}"[:64]


def worker_dead(worker_id: str) -> bool:
    """True when ``worker_id`` names a process of this machine that no longer runs. A worker
    of another machine (or of plain ``db_worker``) is not known to be dead."""
    host, _sep, rest = worker_id.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
