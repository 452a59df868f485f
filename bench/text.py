# ruff: noqa: RUF001 - Urdu sentences end with the Arabic full stop (U+06D4), on purpose.
"""Synthetic office prose: file subjects and note bodies in English with some Urdu.

Sentences are built once per run from templates and slot values (seeded), then notes draw
sentences from that pool, so every note is a different combination while generation stays
cheap (a few microseconds per note).
"""

from __future__ import annotations

import random

PLACES = (
    "Potohar",
    "Thar",
    "Cholistan",
    "Swat",
    "Gilgit",
    "Gwadar",
    "Sukkur",
    "Multan",
    "Bannu",
    "Hunza",
    "Larkana",
    "Turbat",
    "Sialkot",
    "Chitral",
    "Zhob",
    "Kohat",
)
URDU_PLACES = (
    "پوٹھوہار",
    "تھر",
    "چولستان",
    "سوات",
    "گلگت",
    "گوادر",
    "سکھر",
    "ملتان",
    "بنوں",
    "ہنزہ",
)
SCHEMES = (
    "small dams",
    "canal lining",
    "tube-well solarisation",
    "flood protection bunds",
    "drinking water supply",
    "watercourse improvement",
    "groundwater recharge",
    "hill torrent management",
    "rainwater harvesting",
    "telemetry of river flows",
)
SUBJECT_TEMPLATES = (
    "Construction of {scheme} in {place} region",
    "PC-I for {scheme} in {place}: revised cost estimate",
    "Release of funds for {scheme}, {place} ({year})",
    "Audit para {n} of {year}: {scheme} in {place}",
    "Court case: writ petition No. {n}/{year} regarding {scheme}",
    "Appointment of consultants for {scheme} in {place}",
    "Parliament question No. {n} on {scheme}",
    "Re-appropriation of funds under {scheme}, {place}",
    "Inquiry into delay in {scheme} at {place}",
    "Annual development programme {year}: {scheme}",
    "{place} میں {scheme_ur} کی تعمیر",
    "{place} کے لیے فنڈز کا اجرا ({year})",
)
URDU_SCHEMES = ("چھوٹے ڈیم", "نہری پختگی", "سیلابی بند", "پینے کا پانی", "واٹر کورس")

EN_SENTENCES = (
    "The proposal at flag {flag} has been examined in the light of the relevant rules.",
    "The revised PC-I of the {scheme} project in {place} costs Rs. {amount} million.",
    "The Planning Commission has asked for the comments of this Division by {date}.",
    "Finance Division may kindly be requested to release Rs. {amount} million.",
    "The case was discussed in the meeting held on {date} under the chair of the Secretary.",
    "The provincial government has not yet furnished the utilisation certificate.",
    "The Audit para relates to the excess payment of Rs. {amount} million to the contractor.",
    "Para {para} above may kindly be seen for the background of the case.",
    "The Law and Justice Division has advised that the matter is sub judice.",
    "The draft reply to the parliament question is placed opposite for approval.",
    "The consultants have submitted the feasibility study for {scheme} in {place}.",
    "Approval of the competent authority is solicited for the proposal at para {para}.",
    "The tender was advertised on {date} and {n} bids were received.",
    "The lowest evaluated bid of Rs. {amount} million is within the approved cost.",
    "The inquiry committee may be asked to submit its report within {n} days.",
    "We may request the provincial irrigation department to expedite the work.",
    "The matter has been pending since {date} for want of the required documents.",
    "Submitted for perusal and orders, please.",
    "The observations of the Ministry of Finance have been addressed point-wise.",
    "The site of the {scheme} at {place} was inspected by the project director.",
    "A reminder may be issued to the Chief Engineer for the progress report.",
    "The budget allocation for the current year is Rs. {amount} million.",
    "The summary for the Prime Minister is placed below for signature.",
    "The Establishment Division has concurred with the proposal.",
    "The expenditure incurred so far is Rs. {amount} million against the release.",
    "The contractor has requested an extension of time up to {date}.",
    "The file may be returned to the section with the above observations.",
    "The minutes of the Departmental Development Working Party are placed at flag {flag}.",
    "A copy of the notification dated {date} is also placed on file.",
    "The DDWP approved the scheme subject to the vetting of the rates.",
)
UR_SENTENCES = (
    "تجویز کا جائزہ متعلقہ قواعد کی روشنی میں لیا گیا ہے۔",
    "منصوبے کی نظرثانی شدہ لاگت {amount} ملین روپے ہے۔",
    "صوبائی حکومت نے ابھی تک استعمال کا سرٹیفکیٹ فراہم نہیں کیا۔",
    "مجاز اتھارٹی کی منظوری کے لیے پیش ہے۔",
    "معاملہ {date} سے زیر التوا ہے۔",
    "براہ کرم ملاحظہ اور احکامات کے لیے پیش ہے۔",
    "وزارت خزانہ سے فنڈز کے اجرا کی درخواست کی جا سکتی ہے۔",
    "{place} میں منصوبے کی جگہ کا معائنہ پراجیکٹ ڈائریکٹر نے کیا۔",
    "ٹھیکیدار نے {date} تک مدت میں توسیع کی درخواست کی ہے۔",
    "فائل مندرجہ بالا مشاہدات کے ساتھ سیکشن کو واپس کی جا سکتی ہے۔",
    "اجلاس کی کارروائی کی نقل فائل پر موجود ہے۔",
    "چیف انجینئر کو پیش رفت رپورٹ کے لیے یاد دہانی بھیجی جائے۔",
)


def _fill(template: str, rng: random.Random, *, urdu: bool) -> str:
    places = URDU_PLACES if urdu else PLACES
    return template.format(
        flag=rng.choice("ABCDEFGHJK") + str(rng.randint(1, 30)),
        scheme=rng.choice(SCHEMES),
        scheme_ur=rng.choice(URDU_SCHEMES),
        place=rng.choice(places),
        amount=f"{rng.randint(1, 9999) / 10:.1f}",
        date=f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2019, 2025)}",
        para=rng.randint(1, 60),
        n=rng.randint(2, 400),
        year=rng.randint(2019, 2025),
    )


class Prose:
    """Sentence pools and helpers; deterministic for a given ``rng``."""

    def __init__(self, rng: random.Random, pool_size: int = 4000) -> None:
        self.rng = rng
        self.en = [_fill(rng.choice(EN_SENTENCES), rng, urdu=False) for _ in range(pool_size)]
        self.ur = [_fill(rng.choice(UR_SENTENCES), rng, urdu=True) for _ in range(pool_size // 4)]
        self.en_words = [len(s.split()) for s in self.en]
        self.ur_words = [len(s.split()) for s in self.ur]

    def subject(self) -> str:
        rng = self.rng
        template = rng.choice(SUBJECT_TEMPLATES)
        urdu = "{scheme_ur}" in template or "کے لیے" in template
        return _fill(template, rng, urdu=urdu)

    def body(self, words: int, *, urdu_share: float) -> tuple[str, int]:
        """A note of about ``words`` words in paragraphs; returns (body, paragraph count)."""
        rng = self.rng
        sentences: list[str] = []
        total = 0
        en, ur, en_w, ur_w = self.en, self.ur, self.en_words, self.ur_words
        while total < words:
            if rng.random() < urdu_share:
                i = rng.randrange(len(ur))
                sentences.append(ur[i])
                total += ur_w[i]
            else:
                i = rng.randrange(len(en))
                sentences.append(en[i])
                total += en_w[i]
        paragraphs = max(1, min(len(sentences), total // 45 + rng.randint(0, 1)))
        if paragraphs == 1:
            return " ".join(sentences), 1
        cuts = sorted(rng.sample(range(1, len(sentences)), paragraphs - 1))
        parts = []
        start = 0
        for cut in [*cuts, len(sentences)]:
            parts.append(" ".join(sentences[start:cut]))
            start = cut
        return "\n\n".join(parts), len(parts)
