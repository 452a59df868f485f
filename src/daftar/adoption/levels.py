"""The e-office ladder: a unit's month → its level 0 to 4 and the reason, in words.

Level k needs every rule of levels 1..k (thresholds from ``AdoptionPolicy``):

1. someone active, posts staffed ≥ staffed_min, T ≥ trained_min
2. R ≥ l2_receipts_min and E ≥ l2_electronic_min
3. E ≥ l3_electronic_min and R ≥ l3_receipts_min
4. E ≥ l4_electronic_min, R ≥ l4_receipts_min, D ≥ l4_signed_min, X ≥ l4_external_min

Shares are compared as exact fractions (``num * 100 >= minimum * den``), never as rounded
percentages: 74.96% is below 75%. A share with nothing behind it: E fails (no file work is
no usage); R, D and X pass (nothing was done on paper either) and the reason says so. Posts
staffed and T fail when there are no posts or no people.

The reason is stored in English ("level 3: E 81%, R 90%; level 4 needs E ≥ 95%, R ≥ 95%,
D ≥ 90% and X ≥ 90%: D is 62%, X is 40%"), percentages as whole numbers, except that a share
just short of its threshold is shown with one decimal, rounded down (74.9%), so that a failing
figure never reads as if it met the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from daftar.adoption.models import AdoptionPolicy, MonthlyFigures

NOTHING = {
    "E": "no file work this month",
    "R": "no receipts this month",
    "D": "no letters this month",
    "X": "no letters to other organisations this month",
    "T": "nobody holds a post",
}


@dataclass(frozen=True)
class Share:
    name: str
    num: int
    den: int

    @property
    def empty(self) -> bool:
        return self.den == 0

    def meets(self, minimum: int) -> bool:
        """The exact comparison; an empty share passes only when nothing on paper counts
        against it (R, D, X)."""
        if self.empty:
            return self.name in {"R", "D", "X"}
        return self.num * 100 >= minimum * self.den

    def percent(self, *, below: int | None = None) -> str:
        """Whole percent, half up; a failing share that would round up to ``below`` is shown
        with one decimal, rounded down."""
        exact = Fraction(self.num * 100, self.den)
        whole = int(exact + Fraction(1, 2))  # the fraction is never negative: floor
        if below is not None and whole >= below:
            tenths = int(exact * 10)
            return f"{tenths // 10}.{tenths % 10}%"
        return f"{whole}%"

    def shown(self, *, below: int | None = None) -> str:
        if self.empty:
            return NOTHING[self.name]
        return f"{self.name} {self.percent(below=below)}"

    def short_of(self, minimum: int) -> str:
        if self.empty:
            return NOTHING[self.name]
        return f"{self.name} is {self.percent(below=minimum)}"


@dataclass(frozen=True)
class Rule:
    share: Share
    minimum: int

    def passes(self) -> bool:
        return self.share.meets(self.minimum)

    def wording(self) -> str:
        if self.share.name == "staffed":
            return f"{self.minimum}% of posts staffed"
        return f"{self.share.name} ≥ {self.minimum}%"

    def shown(self, *, below: int | None = None) -> str:
        if self.share.name == "staffed":
            return f"{self.share.num} of {self.share.den} posts staffed"
        return self.share.shown(below=below)

    def short_of(self) -> str:
        if self.share.name == "staffed":
            return self.shown()
        return self.share.short_of(self.minimum)


def shares(figures: MonthlyFigures) -> dict[str, Share]:
    electronic = figures.notes_electronic + figures.moves_electronic
    receipts = figures.receipts_electronic + figures.receipts_physical
    return {
        "staffed": Share("staffed", figures.posts_staffed, figures.posts),
        "T": Share("T", figures.people_trained, figures.people),
        "E": Share("E", electronic, electronic + figures.moves_physical),
        "R": Share("R", figures.receipts_electronic, receipts),
        "D": Share("D", figures.letters_signed, figures.letters_signed + figures.letters_paper),
        "X": Share(
            "X", figures.external_electronic, figures.external_electronic + figures.external_paper
        ),
    }


def ladder(figures: MonthlyFigures, policy: AdoptionPolicy) -> list[list[Rule]]:
    """The rules of levels 1 to 4, in the order the reason lists them."""
    s = shares(figures)
    return [
        [Rule(s["staffed"], policy.staffed_min), Rule(s["T"], policy.trained_min)],
        [Rule(s["R"], policy.l2_receipts_min), Rule(s["E"], policy.l2_electronic_min)],
        [Rule(s["E"], policy.l3_electronic_min), Rule(s["R"], policy.l3_receipts_min)],
        [
            Rule(s["E"], policy.l4_electronic_min),
            Rule(s["R"], policy.l4_receipts_min),
            Rule(s["D"], policy.l4_signed_min),
            Rule(s["X"], policy.l4_external_min),
        ],
    ]


def level_of(figures: MonthlyFigures, policy: AdoptionPolicy) -> tuple[int, str]:
    """The level the month reached and why, in words."""
    rules = ladder(figures, policy)
    if figures.people_active == 0:
        return 0, "level 0: no active people"
    level = 0
    while level < len(rules) and all(rule.passes() for rule in rules[level]):
        level += 1
    if level == 0:
        missing = ", ".join(rule.short_of() for rule in rules[0] if not rule.passes())
        return 0, f"level 0: {missing}; level 1 needs {_needs(rules[0])}"
    following = rules[level] if level < len(rules) else []
    # A share the next level finds short is shown as it is there (74.6%, not 75%) in both places.
    short = {r.share.name: r.minimum for r in following if not r.passes()}
    reached = ", ".join(rule.shown(below=short.get(rule.share.name)) for rule in rules[level - 1])
    if level == len(rules):
        return level, f"level {level}: {reached}"
    missing = ", ".join(rule.short_of() for rule in following if not rule.passes())
    return level, (
        f"level {level}: {reached}; level {level + 1} needs {_needs(following)}: {missing}"
    )


def _needs(rules: list[Rule]) -> str:
    words = [rule.wording() for rule in rules]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
