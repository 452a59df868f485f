"""The correspondence side of a file, one page at a time: the page screen, its image and
original, and copying its paper onto another file.

``page_png``, ``original``, ``has_page_images`` and ``PAGE_WIDTH`` serve a document the
caller has already cleared; the receipt and dispatch screens use them too.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from daftar.documents.checks import IMAGE_TYPES, PDF
from daftar.documents.models import Document, DocumentPage
from daftar.documents.selectors import document_bytes, page_image
from daftar.documents.storage import BlobError
from daftar.files.access_log import opening_record
from daftar.files.correspondence import correspondence_of, receipt_copy_to_file
from daftar.files.correspondence import file_page as correspondence_page
from daftar.files.forms import CopyToFileForm
from daftar.files.selectors import file_for_actor, files_held
from daftar.files.views_shared import actor_of
from daftar.lib.errors import DaftarError, InvalidInput, NotFound

PAGE_WIDTH = 1000  # pixels: sharp on a laptop, a few hundred kilobytes a page


def has_page_images(document: Document) -> bool:
    return document.content_type == PDF or document.content_type in IMAGE_TYPES


def page_png(document: Document, number: int) -> HttpResponse:
    """A page image of a document the caller has already cleared for the actor."""
    try:
        png = page_image(document, number, width=PAGE_WIDTH)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except InvalidInput as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    except BlobError:
        return HttpResponse(
            _("The stored copy of this document cannot be read; tell the administrator."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def original(document: Document) -> HttpResponseBase:
    """The original bytes (for Office files, which have no page images)."""
    try:
        content = document_bytes(document)
    except BlobError:
        return HttpResponse(
            _("The stored copy of this document cannot be read; tell the administrator."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def file_page_view(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Page ``number`` of the file's correspondence, with previous and next through the file."""
    actor = actor_of(request)
    try:
        page = correspondence_page(actor, pk, number)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DaftarError as exc:
        messages.error(request, exc.message)
        return redirect("file-detail", pk=pk)
    file = page.item.file
    opening_record(
        actor=actor,
        obj=file,
        grade=file.classification,
        holder=file.holder,
        via="page",
        page=number,
    )
    papers = correspondence_of(file)
    last = max((item.last_page for item in papers), default=number)
    document = None
    text = ""
    if page.document_id is not None:
        document = Document.objects.filter(pk=page.document_id).first()
        text = (
            DocumentPage.objects.filter(document_id=page.document_id, number=page.document_page)
            .values_list("text", flat=True)
            .first()
            or ""
        )
    context: dict[str, Any] = {
        "file": file,
        "page": page,
        "item": page.item,
        "receipt": page.item.receipt,
        "papers": papers,
        "last_page": last,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < last else None,
        "document": document,
        "has_image": document is not None and has_page_images(document),
        "text": text.strip(),
        "page_width": PAGE_WIDTH,
    }
    return render(request, "files/file_page.html", context)


@login_required
@require_POST
def file_page_copy(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Put a copy of the paper at this page onto another file the person holds."""
    actor = actor_of(request)
    form = CopyToFileForm(request.POST)
    try:
        page = correspondence_page(actor, pk, number)
        if page.item.receipt_id is None:
            raise InvalidInput(_("An office copy stays on the file it was issued from."))
        if not form.is_valid():
            raise InvalidInput(_("Choose the file to copy the paper onto."))
        item = receipt_copy_to_file(
            actor=actor, receipt_id=page.item.receipt_id, file_id=form.cleaned_data["file"]
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DaftarError as exc:
        messages.error(request, exc.message)
        return redirect("file-page", pk=pk, number=number)
    messages.success(
        request,
        _("A copy of %(diary)s is now on file %(number)s as F/%(flag)s.")
        % {"diary": item.reference, "number": item.file.number, "flag": item.flag},
    )
    return redirect("file-detail", pk=item.file_id)


@login_required
@require_GET
def file_copy_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """The files a paper of this file can be copied onto (an htmx partial)."""
    actor = actor_of(request)
    try:
        file_for_actor(actor, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    query = request.GET.get("q", "")[:200]
    choices = [f for f in files_held(actor, query) if f.pk != pk]
    return render(
        request,
        "receipts/_file_options.html",
        {"files": choices, "query": query, "copying": True},
    )


def _page_document(request: HttpRequest, pk: int, number: int, *, via: str) -> tuple[Document, int]:
    """The document at a page of a file the actor may see; its opening is logged."""
    actor = actor_of(request)
    try:
        page = correspondence_page(actor, pk, number)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DaftarError as exc:
        raise Http404(exc.message) from exc
    document = (
        Document.objects.filter(pk=page.document_id).first()
        if page.document_id is not None
        else None
    )
    if document is None:
        raise Http404(_("This page is on paper."))
    file = page.item.file
    opening_record(
        actor=actor,
        obj=document,
        grade=file.classification,
        holder=file.holder,
        via=via,
        file=file.number,
        page=number,
    )
    return document, page.document_page


@login_required
@require_GET
def file_page_image(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document, document_page = _page_document(request, pk, number, via="page image")
    return page_png(document, document_page)


@login_required
@require_GET
def file_page_original(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    document, _page = _page_document(request, pk, number, via="original")
    return original(document)
