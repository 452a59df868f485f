"""The envelope label of a copy sent on paper: a DL envelope (220 by 110 mm) with the
addressee block, the dispatch number, how it goes (by post, courier or hand) and, for a
classified letter, its grade top and bottom — the inner cover of a classified letter is
marked "to be opened by the addressee only"."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML  # type: ignore[import-untyped]

from daftar.dispatch.models import Delivery
from daftar.files.models import Classification
from daftar.org.selectors import organisation_of


def label_pdf(delivery: Delivery) -> bytes:
    """Render ``dispatch/label.html`` to PDF (WeasyPrint); English, as official addresses are."""
    dispatch = delivery.dispatch
    draft = dispatch.fair_copy.draft
    addressee = delivery.addressee
    context = {
        "delivery": delivery,
        "dispatch": dispatch,
        "addressee": addressee,
        "address_lines": [line.strip() for line in addressee.address.splitlines() if line.strip()],
        "organisation": organisation_of(dispatch.unit),
        "unit": dispatch.unit,
        "grade": (
            draft.get_classification_display().upper()
            if draft.classification > Classification.UNCLASSIFIED
            else ""
        ),
    }
    with translation.override("en"):
        html = render_to_string("dispatch/label.html", context)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
