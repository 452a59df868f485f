"""The checks of ``daftar import-org`` that need more than one row, or the database: rows
checked against each other (a unit declared two ways, a post given twice, cycles of parents
or of reports_to) and against what exists (a disagreement is a problem, never applied), giving
the plan of what the import would create (``_Plan``). Called by ``daftar.org.importer``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from daftar.lib.csvsheet import Problem
from daftar.org.models import Charge, OrgUnit, Post, User
from daftar.org.orgcsv import CHARGE_COLUMNS, Row
from daftar.org.roles import ROLES


@dataclass
class _UnitDecl:
    code: str
    line: int
    name: str = ""
    name_line: int = 0
    kind: str = ""
    kind_line: int = 0
    parent: str = ""
    parent_line: int = 0
    unsure: bool = False  # a row had an unusable value for this unit: do not pile on


@dataclass
class _Plan:
    units: list[_UnitDecl]
    posts: list[Row]
    people: dict[str, tuple[str, int]]  # new people: e-mail -> (full name, line naming them)
    charges: list[tuple[Row, dt.date]]
    grants: dict[str, tuple[list[str], int]]  # e-mail -> (roles to add, line naming the first)
    existing: dict[str, int]
    db_units: dict[str, OrgUnit]
    db_posts: dict[str, Post]
    db_people: dict[str, User]

    def created(self) -> dict[str, int]:
        return {
            "units": len(self.units),
            "posts": len(self.posts),
            "people": len(self.people),
            "charges": len(self.charges),
            "roles": sum(len(roles) for roles, _line in self.grants.values()),
        }


def _show(value: object) -> str:
    if value is None or value == "":
        return "(none)"
    return repr(value) if isinstance(value, str) else str(value)


def _differs(what: str, column: str, db_value: object, file_value: object) -> str:
    return (
        f"{what} already exists with {column} {_show(db_value)}; "
        f"the file says {_show(file_value)}. "
        "The import does not change existing records: change it in the admin screens "
        "or make the file agree."
    )


def _cycles(edges: dict[str, str]) -> list[list[str]]:
    """Each cycle in a child -> parent map, once, as the path that closes on itself."""
    found: list[list[str]] = []
    done: set[str] = set()
    for start in edges:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in done and node not in path:
            path.append(node)
            node = edges.get(node)
        if node is not None and node in path:
            found.append([*path[path.index(node) :], node])
        done.update(path)
    return found


class _Checker:
    def __init__(self, rows: list[Row], today: dt.date) -> None:
        self.rows = rows
        self.today = today
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def run(self) -> _Plan:
        decls, db_units = self._units()
        posts, db_posts = self._posts()
        people, db_people = self._people()
        charges, existing_charges = self._charges(db_posts, db_people)
        grants, held_roles = self._grants(db_people)
        return _Plan(
            units=[d for d in decls.values() if d.code not in db_units],
            posts=[r for code, r in posts.items() if code not in db_posts],
            people=people,
            charges=charges,
            grants=grants,
            existing={
                "units": sum(1 for code in decls if code in db_units),
                "posts": sum(1 for code in posts if code in db_posts),
                "people": len({r.email for r in self.rows if r.email in db_people}),
                "charges": existing_charges,
                "roles": held_roles,
            },
            db_units=db_units,
            db_posts=db_posts,
            db_people=db_people,
        )

    def _units(self) -> tuple[dict[str, _UnitDecl], dict[str, OrgUnit]]:
        decls: dict[str, _UnitDecl] = {}
        for row in self.rows:
            if not row.unit_code:
                continue
            d = decls.setdefault(row.unit_code, _UnitDecl(row.unit_code, row.line))
            if row.bad & {"unit_name", "unit_kind", "parent_unit_code"}:
                d.unsure = True
            for attr, column, value in (
                ("name", "unit_name", row.unit_name),
                ("kind", "unit_kind", row.unit_kind),
                ("parent", "parent_unit_code", row.parent_code),
            ):
                if not value:
                    continue
                old = getattr(d, attr)
                if not old:
                    setattr(d, attr, value)
                    setattr(d, f"{attr}_line", row.line)
                elif old != value:
                    self.problem(
                        row.line,
                        f"Unit {d.code} has {column} {old!r} on line "
                        f"{getattr(d, f'{attr}_line')} but {value!r} here.",
                    )
        wanted = set(decls) | {d.parent for d in decls.values() if d.parent}
        db_units = OrgUnit.objects.select_related("parent").in_bulk(wanted, field_name="code")
        for code, d in decls.items():
            db = db_units.get(code)
            if db is None and not d.unsure:
                if not d.name:
                    self.problem(d.line, f"Unit {code} is new but no row gives its unit_name.")
                if not d.kind:
                    self.problem(d.line, f"Unit {code} is new but no row gives its unit_kind.")
            elif db is not None:
                db_parent = db.parent.code if db.parent else ""
                for column, value, db_value, line in (
                    ("unit_name", d.name, db.name, d.name_line),
                    ("unit_kind", d.kind, db.kind, d.kind_line),
                    ("parent_unit_code", d.parent, db_parent, d.parent_line),
                ):
                    if value and value != db_value:
                        self.problem(line, _differs(f"Unit {code}", column, db_value, value))
            if d.parent and d.parent not in decls and d.parent not in db_units:
                self.problem(
                    d.parent_line,
                    f"Parent unit {d.parent} is not declared in the file and does not exist.",
                )
        for cycle in _cycles({c: d.parent for c, d in decls.items() if d.parent}):
            self.problem(
                decls[cycle[0]].parent_line,
                f"Units {' → '.join(cycle)} go round in a circle of parents.",
            )
        return decls, db_units

    def _posts(self) -> tuple[dict[str, Row], dict[str, Post]]:
        posts: dict[str, Row] = {}
        for row in self.rows:
            if not row.post_code:
                continue
            first = posts.get(row.post_code)
            if first is not None:
                self.problem(
                    row.line,
                    f"Post {row.post_code} is already on line {first.line}; "
                    "give each post one row.",
                )
                continue
            posts[row.post_code] = row
        wanted = set(posts) | {r.reports_to for r in posts.values() if r.reports_to}
        db_posts = Post.objects.select_related("unit", "reports_to").in_bulk(
            wanted, field_name="code"
        )
        for code, row in posts.items():
            db = db_posts.get(code)
            if db is not None:
                boss = db.reports_to.code if db.reports_to else ""
                for column, value, db_value in (
                    ("unit_code", row.unit_code, db.unit.code),
                    ("designation", row.designation, db.designation),
                    ("grade", row.grade, db.grade),
                    ("reports_to", row.reports_to, boss),
                ):
                    if value not in (None, "") and value != db_value:
                        self.problem(row.line, _differs(f"Post {code}", column, db_value, value))
            if row.reports_to and row.reports_to not in posts and row.reports_to not in db_posts:
                self.problem(
                    row.line,
                    f"reports_to {row.reports_to} is not a post in the file and does not exist.",
                )
        for cycle in _cycles({c: r.reports_to for c, r in posts.items() if r.reports_to}):
            self.problem(
                posts[cycle[0]].line,
                f"Posts {' → '.join(cycle)} report to each other in a circle.",
            )
        return posts, db_posts

    def _people(self) -> tuple[dict[str, tuple[str, int]], dict[str, User]]:
        named: dict[str, Row] = {}
        first_seen: dict[str, Row] = {}
        for row in self.rows:
            if not row.email:
                continue
            first_seen.setdefault(row.email, row)
            if not row.full_name:
                continue
            earlier = named.setdefault(row.email, row)
            if earlier.full_name != row.full_name:
                self.problem(
                    row.line,
                    f"{row.email} is named {earlier.full_name!r} on line {earlier.line} "
                    f"but {row.full_name!r} here.",
                )
        db_people = User.objects.in_bulk(set(first_seen), field_name="email")
        new: dict[str, tuple[str, int]] = {}
        for email, row in first_seen.items():
            db = db_people.get(email)
            name_row = named.get(email)
            if db is not None:
                if name_row is not None and name_row.full_name != db.full_name:
                    self.problem(
                        name_row.line,
                        _differs(f"Person {email}", "full_name", db.full_name, name_row.full_name),
                    )
            elif name_row is None:
                self.problem(row.line, f"{email} is a new person; give their full_name.")
            else:
                new[email] = (name_row.full_name, name_row.line)
        return new, db_people

    def _grants(self, db_people: dict[str, User]) -> tuple[dict[str, tuple[list[str], int]], int]:
        """Roles the file gives that people do not hold yet; roles are only ever added here
        (taking one away is an admin's decision, made in the admin screens)."""
        held: dict[str, set[str]] = {}
        pairs = User.groups.through.objects.filter(
            user__in=db_people.values(), group__name__in=ROLES
        ).values_list("user__email", "group__name")
        for email, name in pairs:
            held.setdefault(email, set()).add(name)
        grants: dict[str, tuple[list[str], int]] = {}
        already = 0
        for row in (r for r in self.rows if r.email):
            for name in row.roles:
                if name in held.get(row.email, set()):
                    already += 1
                    continue
                roles, _line = grants.setdefault(row.email, ([], row.line))
                if name not in roles:
                    roles.append(name)
            held.setdefault(row.email, set()).update(row.roles)
        return grants, already

    def _charges(
        self, db_posts: dict[str, Post], db_people: dict[str, User]
    ) -> tuple[list[tuple[Row, dt.date]], int]:
        new: list[tuple[Row, dt.date]] = []
        existing = 0
        for row in self.rows:
            if not (row.email and row.post_code) or row.bad & CHARGE_COLUMNS:
                continue
            person, post = db_people.get(row.email), db_posts.get(row.post_code)
            if person is not None and post is not None:
                held = Charge.objects.filter(person=person, post=post, kind=row.charge_kind)
                if row.charge_start is not None:
                    match = held.filter(start=row.charge_start).first()
                else:
                    match = held.current(self.today).order_by("start").first()
                if match is not None:
                    existing += 1
                    if row.charge_end is not None and match.end != row.charge_end:
                        what = f"The {row.charge_kind} charge of {row.email} on {row.post_code}"
                        self.problem(
                            row.line, _differs(what, "charge_end", match.end, row.charge_end)
                        )
                    continue
            start = row.charge_start or self.today
            if row.charge_end is not None and row.charge_end < start:
                self.problem(
                    row.line,
                    f"charge_end {row.charge_end} is before the charge starts ({start}, the day "
                    "of the import, as charge_start is blank).",
                )
                continue
            new.append((row, start))
        return new, existing
