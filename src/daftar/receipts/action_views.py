"""The actions posted from the receipt page: custody (send, return, pull back, close), dealing
with it on a file (open a file with it, put it on one, and the file picker), recording a
release, and the acknowledgement slip (printed or e-mailed). A refused action comes back to
the receipt page with its message (views.action_failed).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from daftar.files.correspondence import file_open_from_receipt, receipt_put_on_file
from daftar.files.selectors import files_held
from daftar.files.views_shared import actor_of, first_error
from daftar.lib.errors import Conflict, DaftarError, InvalidInput, NotFound
from daftar.org.gating import permission_required_page
from daftar.receipts import custody
from daftar.receipts.acknowledge import receipt_acknowledge
from daftar.receipts.forms import (
    OpenFileForm,
    PutOnFileForm,
    ReceiptSendForm,
    RemarksForm,
    SearchForm,
)
from daftar.receipts.models import ReceiptMovement
from daftar.receipts.selectors import (
    receipt_for_actor,
)
from daftar.receipts.views import action_failed
from daftar.releases.forms import ReleaseForm
from daftar.releases.services import RELEASE_PERMISSION, release_grant


def _back_home(movement: ReceiptMovement) -> HttpResponse:
    return redirect(f"{reverse('home')}?post={movement.from_post_id or ''}&box=receipts")


@login_required
@require_POST
def receipt_send(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReceiptSendForm(request.POST)
    if not form.is_valid():
        return action_failed(request, pk, InvalidInput(first_error(form)), send_form=form)
    data = form.cleaned_data
    try:
        movement = custody.receipt_send(
            actor=actor_of(request),
            receipt_id=pk,
            to_post_id=data["to_post"],
            remarks=data["remarks"],
            due_on=data["due_on"],
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc, send_form=form)
    messages.success(
        request,
        _("Receipt %(number)s sent to %(post)s. You can pull it back until it is opened.")
        % {"number": movement.receipt.diary_number, "post": movement.to_post.designation},
    )
    return _back_home(movement)


@login_required
@require_POST
def receipt_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = RemarksForm(request.POST)
    if not form.is_valid():
        return action_failed(request, pk, InvalidInput(first_error(form)))
    try:
        movement = custody.receipt_return(
            actor=actor_of(request), receipt_id=pk, remarks=form.cleaned_data["remarks"]
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(
        request,
        _("Receipt %(number)s returned to %(post)s.")
        % {"number": movement.receipt.diary_number, "post": movement.to_post.designation},
    )
    return _back_home(movement)


@login_required
@require_POST
def receipt_pull_back(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        movement = custody.receipt_pull_back(actor=actor_of(request), receipt_id=pk)
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(
        request,
        _("Receipt %(number)s pulled back from %(post)s; it is with you again.")
        % {"number": movement.receipt.diary_number, "post": movement.to_post.designation},
    )
    return redirect("receipt-detail", pk=pk)


@login_required
@require_POST
def receipt_close(request: HttpRequest, pk: int) -> HttpResponse:
    form = RemarksForm(request.POST)
    if not form.is_valid():
        return action_failed(request, pk, InvalidInput(first_error(form)))
    try:
        receipt = custody.receipt_close(
            actor=actor_of(request), receipt_id=pk, remarks=form.cleaned_data["remarks"]
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(request, _("Receipt %(number)s is closed.") % {"number": receipt.diary_number})
    return redirect("receipt-detail", pk=pk)


@login_required
@permission_required_page("files.open_file")
@require_POST
def receipt_open_file(request: HttpRequest, pk: int) -> HttpResponse:
    form = OpenFileForm(request.POST)
    if not form.is_valid():
        return action_failed(request, pk, InvalidInput(first_error(form)))
    try:
        item = file_open_from_receipt(
            actor=actor_of(request), receipt_id=pk, subject=form.cleaned_data["subject"]
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(
        request,
        _("File %(number)s opened with receipt %(diary)s as its PUC (F/%(flag)s).")
        % {"number": item.file.number, "diary": item.reference, "flag": item.flag},
    )
    return redirect("file-detail", pk=item.file_id)


@login_required
@require_POST
def receipt_put_on(request: HttpRequest, pk: int) -> HttpResponse:
    form = PutOnFileForm(request.POST)
    if not form.is_valid():
        return action_failed(request, pk, InvalidInput(first_error(form)))
    try:
        item = receipt_put_on_file(
            actor=actor_of(request), receipt_id=pk, file_id=form.cleaned_data["file"]
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(
        request,
        _("Receipt %(diary)s put on file %(number)s as F/%(flag)s (%(kind)s).")
        % {
            "diary": item.reference,
            "number": item.file.number,
            "flag": item.flag,
            "kind": item.get_kind_display(),
        },
    )
    return redirect("file-detail", pk=item.file_id)


@login_required
@require_GET
def file_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """The files a receipt can go on (an htmx partial of the "Put on file" picker)."""
    actor = actor_of(request)
    try:
        receipt_for_actor(actor, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "receipts/_file_options.html",
        {"files": files_held(actor, query), "query": query},
    )


@login_required
@permission_required_page(RELEASE_PERMISSION)
@require_POST
def receipt_release(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the release of a classified receipt for e-mail or export."""
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return action_failed(request, pk, InvalidInput(first_error(form)))
    try:
        receipt = receipt_for_actor(actor_of(request), pk)
        release_grant(
            actor=actor_of(request),
            obj=receipt,
            purpose=form.cleaned_data["purpose"],
            reason=form.cleaned_data["reason"],
        )
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    messages.success(request, _("The release is recorded."))
    return redirect("receipt-detail", pk=pk)


@login_required
@require_POST
def receipt_acknowledgement(request: HttpRequest, pk: int) -> HttpResponse:
    """Print the acknowledgement slip: the PDF, to print and post (recorded as given)."""
    try:
        ack = receipt_acknowledge(actor=actor_of(request), receipt_id=pk, email=False)
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    response = HttpResponse(ack.pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="acknowledgement-{ack.receipt.reference}.pdf"'
    )
    return response


@login_required
@require_POST
def receipt_acknowledge_email(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        ack = receipt_acknowledge(actor=actor_of(request), receipt_id=pk, email=True)
    except DaftarError as exc:
        return action_failed(request, pk, exc)
    if ack.error is not None:
        return action_failed(
            request,
            pk,
            Conflict(
                _("The acknowledgement could not be e-mailed (%(error)s); print it and post it.")
                % {"error": ack.error}
            ),
        )
    messages.success(
        request,
        _("Acknowledgement %(reference)s e-mailed to %(email)s.")
        % {"reference": ack.reference, "email": ack.emailed_to},
    )
    return redirect("receipt-detail", pk=pk)
