"""Adding up the units: which units' rows count each leaf unit's work, and the sums.

Every item (a note, a movement, a receipt, a letter, a person's charge) is first put in the
one unit it belongs to (its leaf); a unit's row then covers the unit and every unit below it,
except attached departments and subordinate offices, which report on their own with their
subtrees. The Government unit covers everything below it (the instance's total). Things
counted as distinct (files, posts, people) are kept as sets of ids, so a person holding posts
in two sections of one wing counts once in the wing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from daftar.org.models import OrgUnit, UnitKind

# Units that report on their own: not counted in the unit above them.
SEPARATE_KINDS = frozenset({UnitKind.ATTACHED_DEPARTMENT, UnitKind.SUBORDINATE_OFFICE})

COUNTS = (
    "notes_electronic",
    "moves_electronic",
    "moves_physical",
    "receipts_electronic",
    "receipts_physical",
    "letters_signed",
    "letters_paper",
    "external_electronic",
    "external_paper",
    "posts",
    "overdue",
    "pages_saved",
    "hops_electronic",
)


@dataclass
class Tally:
    """One unit's month while it is being counted: plain counts, sets of distinct ids, the
    waits (microseconds) and the carrying time saved (microseconds, exact until rounded)."""

    notes_electronic: int = 0
    moves_electronic: int = 0
    moves_physical: int = 0
    receipts_electronic: int = 0
    receipts_physical: int = 0
    letters_signed: int = 0
    letters_paper: int = 0
    external_electronic: int = 0
    external_paper: int = 0
    posts: int = 0
    overdue: int = 0
    pages_saved: int = 0
    hops_electronic: int = 0
    saved_microseconds: int = 0
    files_electronic: set[int] = field(default_factory=set)
    files_physical: set[int] = field(default_factory=set)
    posts_staffed: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)
    waits: list[int] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.saved_microseconds += other.saved_microseconds
        self.files_electronic |= other.files_electronic
        self.files_physical |= other.files_physical
        self.posts_staffed |= other.posts_staffed
        self.people |= other.people
        self.waits.extend(other.waits)


@dataclass(frozen=True)
class UnitNode:
    id: int
    parent_id: int | None
    kind: str
    code: str
    name: str


def units_load() -> dict[int, UnitNode]:
    """The whole chart in one query (a few thousand short rows at most), by name."""
    rows = OrgUnit.objects.order_by("name", "id").values_list(
        "id", "parent_id", "kind", "code", "name"
    )
    return {row[0]: UnitNode(*row) for row in rows}


def covering(units: dict[int, UnitNode], leaf: int) -> list[int]:
    """The units whose rows count what happened in ``leaf``: the leaf, then each unit above
    it up to (not past) an attached department or subordinate office, and every Government
    unit above it whatever lies between. A parent loop in a mis-entered chart ends the walk."""
    found = [leaf]
    seen = {leaf}
    child = units.get(leaf)
    separated = False
    while child is not None and child.parent_id is not None and child.parent_id not in seen:
        separated = separated or child.kind in SEPARATE_KINDS
        parent = units.get(child.parent_id)
        if parent is None:
            break
        if not separated or parent.kind == UnitKind.GOVERNMENT:
            found.append(parent.id)
        seen.add(parent.id)
        child = parent
    return found


def roll_up(units: dict[int, UnitNode], leaves: dict[int, Tally]) -> dict[int, Tally]:
    """Every unit's tally over the units it covers (a unit with nothing gets an empty one)."""
    totals = {unit_id: Tally() for unit_id in units}
    for leaf, tally in leaves.items():
        if leaf not in units:
            continue  # an item of a unit that is gone from the chart cannot be placed
        for unit_id in covering(units, leaf):
            totals[unit_id].add(tally)
    return totals
