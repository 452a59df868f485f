"""Text as the index keeps it, and as a query is read: one function for both sides, so what
was written is what is looked for.

``normalise`` folds the forms one word can take on a screen or in an OCR result: Unicode
compatibility forms, the Arabic letters that Urdu writes with other code points (ي → ی,
ك → ک), the short-vowel marks and the kashida that Urdu print usually leaves out.
``refs_of`` finds numbers such as ``F.No.5-12/2025-Admin`` or ``D-17/2026-DEV`` and folds each
to one token (``5122025admin``), so a number is matched exactly whatever its punctuation and
case, and whether or not "F.No." is written before it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_FOLDS = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh → Farsi/Urdu yeh
        "\u0649": "\u06cc",  # alef maksura → Urdu yeh
        "\u0643": "\u06a9",  # Arabic kaf → keheh
        "\u0640": None,  # tatweel (kashida)
        "\u200c": None,  # zero-width non-joiner
        "\u200d": None,  # zero-width joiner
        "\u00ad": None,  # soft hyphen
    }
)
# Harakat and other marks written above or below Arabic-script letters.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_SPACE = re.compile(r"\s+")

# A number: letters and digits joined by "-", "/" or ".", with at least one digit and one
# "-" or "/" ("5-12/2025-Admin", "D-17/2026-DEV", "R/45/2026/CR").
_REF = re.compile(r"(?<![\w./-])[^\W_](?:[\w.]*[-/][\w.]+)+(?![\w/-])")
_PREFIX = re.compile(r"^(?:f\.?\s*no\.?|no\.?)\s*", re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W\d_]{3,40}")


def normalise(text: str) -> str:
    """The searchable form of ``text``: folded as above, white space collapsed."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLDS)
    return _SPACE.sub(" ", _MARKS.sub("", folded)).strip()


def fold_ref(number: str) -> str:
    """One number as one lower-case token: ``F.No.5-12/2025-Admin`` → ``5122025admin``."""
    return _NOT_ALNUM.sub("", _PREFIX.sub("", number.strip())).lower()


def is_ref(token: str) -> bool:
    """Whether a query token is a number to match exactly."""
    return bool(_REF.fullmatch(token)) and any(c.isdigit() for c in token)


def refs_of(*texts: str) -> str:
    """The numbers found in ``texts`` (each folded), space-separated, each once, in order."""
    found: dict[str, None] = {}
    for text in texts:
        for match in _REF.finditer(text):
            if any(c.isdigit() for c in match.group()):
                folded = fold_ref(match.group())
                if folded:
                    found[folded] = None
    return " ".join(found)


def words_of(texts: Iterable[str]) -> set[str]:
    """The distinct words (letters only, 3 to 40 of them, lower case) of normalised texts:
    what the close-spelling lookup (``search.models.Word``) keeps."""
    words: set[str] = set()
    for text in texts:
        words.update(w.lower() for w in _WORD.findall(text))
    return words
