"""The search archive's vocabulary: words drawn on Zipf's law, names, numbers and OCR noise.

The note sentences of ``bench.text`` repeat thirty templates, so every word in them is very
common. The archive's notes and scanned pages add "keyword" sentences whose words are drawn
from a made-up lexicon by rank (probability 1/rank), which gives the whole range a search
meets: a handful of words in over 100,000 papers, a long tail found in a few. The measured
terms are picked by rank (``terms``), so every run of one seed asks for the same words.
"""

from __future__ import annotations

import itertools
import random

from bench.orgchart import FIRST_NAMES, LAST_NAMES

ONSETS = ("b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh")
VOWELS = ("a", "e", "i", "o", "u", "aa", "ee")
CODAS = ("n", "r", "l", "m", "sh", "k", "t", "z", "d")
# More surnames than the staff's, for the senders and the people named in the papers; some
# have a double letter, a likely slip when typed.
NAMES = (
    *LAST_NAMES,
    "Durrani",
    "Gilani",
    "Hashmi",
    "Kazmi",
    "Leghari",
    "Mazari",
    "Bugti",
    "Jatoi",
    "Soomro",
    "Mengal",
    "Tareen",
    "Yousafzai",
    "Afridi",
    "Wazir",
    "Marri",
    "Zardari",
    "Bhutto",
    "Pirzada",
    "Sheikh",
    "Mirza",
    "Ansari",
    "Naqvi",
    "Rizvi",
    "Jaffery",
    "Bukhari",
    "Tirmizi",
    "Lodhi",
    "Warraich",
    "Cheema",
    "Tiwana",
)
ORGANISATIONS = (
    "Planning Commission",
    "Finance Division",
    "WAPDA",
    "Indus River System Authority",
    "Irrigation Department, Punjab",
    "Irrigation Department, Sindh",
    "Federal Flood Commission",
    "Pakistan Meteorological Department",
    "Auditor-General of Pakistan",
    "Law and Justice Division",
    "Establishment Division",
    "National Assembly Secretariat",
)
KEYWORD_SENTENCES = (
    "Reference is made to the letter of Mr. {name} regarding {w1} and {w2}.",
    "The report of the {w1} committee on {w2} was received from {name}.",
    "{name} has raised the issue of {w1} at the {w2} site.",
    "The {w1} works under the {w2} package are in progress.",
    "Please see F.No.{ref} for the earlier correspondence on {w1} and {w2}.",
)
URDU_KEYWORD = "جناب {name} نے {w1} کے بارے میں خط لکھا ہے۔"  # noqa: RUF001 - Urdu full stop


def made_up_words(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct pronounceable words that are neither English nor each other's stems."""
    shapes = [
        a + b + c + d + e
        for a, b, c, d, e in itertools.product(ONSETS, VOWELS, ONSETS, VOWELS, CODAS)
    ]
    rng.shuffle(shapes)
    return [w.capitalize() if i % 7 == 0 else w for i, w in enumerate(shapes[:n])]


def ocr_noise(text: str, rng: random.Random, rate: float = 0.05) -> str:
    """What a scanner's OCR makes of clean text: "rn" for "m", "1" for "l", "0" for "O",
    a dropped or stray character, now and then."""
    out = []
    for word in text.split(" "):
        r = rng.random()
        if r < rate:
            slip = rng.randrange(5)
            if slip == 0 and "m" in word:
                word = word.replace("m", "rn", 1)
            elif slip == 1 and "l" in word:
                word = word.replace("l", "1", 1)
            elif slip == 2 and "O" in word:
                word = word.replace("O", "0", 1)
            elif slip == 3 and len(word) > 4:
                k = rng.randrange(1, len(word) - 1)
                word = word[:k] + word[k + 1 :]
            else:
                word = word + rng.choice((",", "'", ".", "~"))
        out.append(word)
    return " ".join(out)


class Lexicon:
    """Zipf-distributed keyword sentences; deterministic for a given ``rng``."""

    def __init__(self, rng: random.Random, size: int = 20_000) -> None:
        self.rng = rng
        self.words = made_up_words(rng, size)
        self.cum: list[float] = list(itertools.accumulate(1.0 / r for r in range(1, size + 1)))
        names = list(NAMES)
        self.name_cum = list(itertools.accumulate(1.0 / r for r in range(1, len(names) + 1)))
        self.names = names
        self.numbers: list[str] = []  # file numbers the papers may quote (filled by the caller)

    def name(self) -> str:
        rng = self.rng
        first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        return f"{first} {rng.choices(self.names, cum_weights=self.name_cum)[0]}"

    def sentence(self, *, urdu: bool = False) -> str:
        rng = self.rng
        w1, w2 = rng.choices(self.words, cum_weights=self.cum, k=2)
        if urdu:
            return URDU_KEYWORD.format(name=self.name(), w1=w1)
        template = KEYWORD_SENTENCES[rng.randrange(len(KEYWORD_SENTENCES))]
        if "{ref}" in template and not self.numbers:
            template = KEYWORD_SENTENCES[0]
        ref = self.numbers[rng.randrange(len(self.numbers))] if self.numbers else ""
        return template.format(name=self.name(), w1=w1, w2=w2, ref=ref)

    def terms(self) -> dict[str, str]:
        """The measured words, by rank. Entries found at M: rank 1 167,927, rank 150 1,125,
        rank 12,000 10; the pair (ranks 5 and 30) 229."""
        w = self.words
        return {
            "common": w[0],
            "medium": w[149],
            "rare": w[11_999 % len(w)],
            "pair": f"{w[4]} {w[29]}",
        }
