"""The acknowledgement slip: a one-page PDF telling the sender that their letter was received,
under which diary number, and a short reference to quote when they ask after it.

The reference is eight characters of Crockford's base-32 (digits and letters without I, L,
O and U, so it reads aloud without "is that an O or a zero?"), taken from an HMAC of the
diary number with the instance's secret key: unique like the diary number, but not guessable
from it, so quoting a reference proves one was given the slip.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import salted_hmac
from weasyprint import HTML  # type: ignore[import-untyped]

from daftar.files.models import Classification
from daftar.org.selectors import organisation_of
from daftar.receipts.models import Receipt

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8  # 40 bits
_SALT = "daftar.receipts.acknowledgement"
# Crockford decoding: what a caller may read for what is printed.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def reference_for(diary_number: str, *, attempt: int = 0) -> str:
    """The reference of the receipt with ``diary_number`` (stored without the dash).

    40 bits collide now and then once an instance holds millions of receipts; diarisation
    then takes the next ``attempt``, so the stored reference stays unique."""
    keyed = diary_number if attempt == 0 else f"{diary_number}#{attempt}"
    digest = salted_hmac(_SALT, keyed, algorithm="sha256").digest()
    value = int.from_bytes(digest[:5], "big")
    chars = []
    for _ in range(REFERENCE_LENGTH):
        value, index = divmod(value, 32)
        chars.append(CROCKFORD[index])
    return "".join(reversed(chars))


def display_reference(reference: str) -> str:
    """``7KQ2M9XD`` as printed and read aloud: ``7KQ2-M9XD``."""
    half = len(reference) // 2
    return f"{reference[:half]}-{reference[half:]}"


def normalise_reference(text: str) -> str:
    """What someone typed or read out, as stored: case, dashes and spaces ignored."""
    return "".join(text.upper().split()).replace("-", "").translate(_READ_AS)


def slip_context(receipt: Receipt) -> dict[str, Any]:
    organisation = organisation_of(receipt.registry)
    zone = ZoneInfo(organisation.time_zone)
    return {
        "receipt": receipt,
        "organisation": organisation,
        "registry": receipt.registry,
        "sender": receipt.sender,
        "reference": display_reference(receipt.reference),
        "diarised_at": receipt.created_at.astimezone(zone),
        "urdu": receipt.language == "ur",
        # Printed at the top and bottom of every page of a classified slip.
        "grade": (
            receipt.get_classification_display().upper()
            if receipt.classification > Classification.UNCLASSIFIED
            else ""
        ),
    }


def acknowledgement_pdf(receipt: Receipt) -> bytes:
    """Render the slip (``receipts/acknowledgement.html``) to PDF with WeasyPrint.

    Rendered in English, the language of official correspondence; an Urdu subject is shaped
    with Noto Nastaliq Urdu."""
    with translation.override("en"):
        html = render_to_string("receipts/acknowledgement.html", slip_context(receipt))
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
