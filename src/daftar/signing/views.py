"""The public pages: the CA certificate, the CRL, and verifying a letter.

No login: a member of the public holding a letter must be able to check it. Uploads are
rate-limited per client address (``DAFTAR_VERIFY_PER_MINUTE``) and never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from daftar.files.models import Classification
from daftar.signing import ca
from daftar.signing.forms import VerifyForm
from daftar.signing.models import SignedDocument
from daftar.signing.verify import VerificationReport, pdf_verify

RATE_WINDOW_SECONDS = 60


@require_GET
def ca_certificate(request: HttpRequest) -> HttpResponse:
    record = ca.ca_record()
    if record is None:
        raise Http404("no certificate authority yet")
    response = HttpResponse(bytes(record.der), content_type="application/pkix-cert")
    response["Content-Disposition"] = 'attachment; filename="daftar-ca.crt"'
    return response


@require_GET
def ca_crl(request: HttpRequest) -> HttpResponse:
    if ca.ca_record() is None:
        raise Http404("no certificate authority yet")
    response = HttpResponse(ca.crl_current(), content_type="application/pkix-crl")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _too_many(request: HttpRequest) -> bool:
    """Count this address's uploads in the current minute; True past the limit."""
    address = request.META.get("REMOTE_ADDR", "unknown")
    key = f"signing:verify-rate:{address}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
        count = 1
    return count > settings.VERIFY_PER_MINUTE


def _check(request: HttpRequest) -> tuple[VerifyForm, VerificationReport | None, int]:
    if request.method != "POST":
        return VerifyForm(), None, 200
    if _too_many(request):
        return VerifyForm(), None, 429
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, None, 400
    return form, pdf_verify(form.cleaned_data["pdf"]), 200


@require_http_methods(["GET", "POST"])
def verify_upload(request: HttpRequest) -> HttpResponse:
    form, report, status = _check(request)
    context = {
        "form": form,
        "report": report,
        "throttled": status == 429,
        "ca_url": ca.ca_url(),
    }
    return render(request, "signing/verify.html", context, status=status)


@require_http_methods(["GET", "POST"])
def verify_token(request: HttpRequest, token: str) -> HttpResponse:
    document = SignedDocument.objects.filter(token=token).first()
    if document is None:
        return render(request, "signing/unknown.html", status=404)
    form, report, status = _check(request)
    same_file = None
    if report is not None and report.sha256:
        same_file = report.sha256 == document.sha256
    context = {
        "document": document,
        "show_title": document.classification == Classification.UNCLASSIFIED,
        "form": form,
        "report": report,
        "same_file": same_file,
        "throttled": status == 429,
    }
    return render(request, "signing/verify_token.html", context, status=status)
