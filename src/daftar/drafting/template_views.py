"""The organisation admin's screen for letter templates: one form per type and language of
their own organisation, with a sample letter rendered in it as a PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from daftar.drafting.forms import TemplateForm
from daftar.drafting.letterheads import form_for, organisations_managed, template_save
from daftar.drafting.models import DraftKind, DraftLanguage
from daftar.drafting.render import LABELS, Letter, date_text, letter_pdf
from daftar.files.views_shared import actor_of, first_error
from daftar.lib import clock
from daftar.lib.errors import DaftarError
from daftar.org.gating import permission_required_page
from daftar.org.models import OrgUnit

SAMPLE = {
    "en": (
        "Sample subject of a letter",
        "<p>I am directed to refer to the subject cited above and to say that this is how "
        "a letter of this type is laid out.</p>",
    ),
    "ur": (
        "خط کا نمونہ عنوان",
        "<p>مجھے ہدایت ہوئی ہے کہ اس نوعیت کا خط اس طرح ترتیب دیا جاتا ہے</p>",
    ),
}


def _choice(request: HttpRequest) -> tuple[list[OrgUnit], OrgUnit | None, str, str]:
    """The organisations the admin may edit, and the organisation, type and language chosen
    (from the query string; the first of each when absent or not theirs)."""
    mine = organisations_managed(actor_of(request))
    wanted = request.GET.get("organisation", "")
    organisation = next((o for o in mine if str(o.pk) == wanted), mine[0] if mine else None)
    kind = request.GET.get("kind", "")
    language = request.GET.get("language", "")
    return (
        mine,
        organisation,
        kind if kind in DraftKind.values else DraftKind.LETTER,
        language if language in DraftLanguage.values else DraftLanguage.ENGLISH,
    )


@login_required
@permission_required_page("org.manage_organisation")
@require_http_methods(["GET", "POST"])
def letter_templates(request: HttpRequest) -> HttpResponse:
    mine, organisation, kind, language = _choice(request)
    context: dict[str, Any] = {
        "organisations": mine,
        "organisation": organisation,
        "kind": kind,
        "language": language,
        "kinds": DraftKind.choices,
        "languages": DraftLanguage.choices,
    }
    if organisation is None:
        messages.info(request, _("You administer no organisation, so there are no templates."))
        return render(request, "drafting/letter_templates.html", context)
    current = form_for(organisation, kind, language)
    form = TemplateForm(request.POST or None, initial=vars(current))
    context |= {"form": form, "is_default": current.is_default}
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, first_error(form))
            return render(request, "drafting/letter_templates.html", context, status=400)
        try:
            template_save(
                actor=actor_of(request),
                organisation_id=organisation.pk,
                kind=kind,
                language=language,
                **form.cleaned_data,
            )
        except DaftarError as exc:
            messages.error(request, exc.message)
            return render(request, "drafting/letter_templates.html", context, status=exc.status)
        messages.success(request, _("Template saved."))
        query = urlencode(
            {"organisation": str(organisation.pk), "kind": kind, "language": language}
        )
        return redirect(reverse("letter-templates") + "?" + query)
    return render(request, "drafting/letter_templates.html", context)


@login_required
@permission_required_page("org.manage_organisation")
@require_GET
def letter_template_preview(request: HttpRequest) -> HttpResponse:
    """A sample letter in the chosen template, as the fair copy would print it."""
    _mine, organisation, kind, language = _choice(request)
    if organisation is None:
        return render(request, "drafting/letter_templates.html", {"organisation": None})
    subject, body = SAMPLE[language]
    letter = Letter(
        organisation=organisation,
        form=form_for(organisation, kind, language),
        language=language,
        grade="",
        subject=subject,
        body=body,
        references=[],
        enclosures=[],
        to=[["Addressee", "Address"]],
        copies=[],
        letter_number="No. 1-1/2026",
        letter_date=date_text(clock.now().date(), language),
        signer_name=LABELS[language]["signer"],
        signer_designation="",
        draft_mark="SAMPLE",
        labels=LABELS[language],
    )
    return HttpResponse(letter_pdf(letter), content_type="application/pdf")
