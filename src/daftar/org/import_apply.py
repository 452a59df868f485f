"""The writing step of ``daftar import-org``: a checked plan (``daftar.org.import_check``)
created as units, posts, people, role grants and charges, each with its audit event naming the
line of the file. Called by ``daftar.org.importer`` inside its transaction.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from daftar.audit.services import event_record
from daftar.org.import_check import _Plan
from daftar.org.models import Charge, OrgUnit, Post, User
from daftar.org.roles import ROLES
from daftar.org.snapshots import charge_snapshot, person_snapshot, post_snapshot, unit_snapshot


def _source(line: int) -> dict[str, object]:
    return {"source": "import-org", "line": line}


def _apply(plan: _Plan, *, actor: User | None, password: str | None) -> None:
    units: dict[str, OrgUnit] = dict(plan.db_units)
    pending_units = list(plan.units)
    while pending_units:
        ready = [d for d in pending_units if not d.parent or d.parent in units]
        if not ready:  # the checks rule cycles out; this guards the loop
            raise RuntimeError("unit parents form a cycle")
        for d in ready:
            unit = OrgUnit.objects.create(
                code=d.code, name=d.name, kind=d.kind, parent=units.get(d.parent)
            )
            units[d.code] = unit
            event_record(
                actor=actor,
                action="unit.create",
                obj=unit,
                after={**unit_snapshot(unit), **_source(d.line)},
            )
        pending_units = [d for d in pending_units if d.code not in units]

    posts: dict[str, Post] = dict(plan.db_posts)
    pending_posts = list(plan.posts)
    while pending_posts:
        ready_posts = [r for r in pending_posts if not r.reports_to or r.reports_to in posts]
        if not ready_posts:
            raise RuntimeError("posts report to each other in a cycle")
        for row in ready_posts:
            post = Post.objects.create(
                unit=units[row.unit_code],
                code=row.post_code,
                designation=row.designation,
                grade=row.grade,
                reports_to=posts.get(row.reports_to),
            )
            posts[row.post_code] = post
            event_record(
                actor=actor,
                action="post.create",
                obj=post,
                after={**post_snapshot(post), **_source(row.line)},
            )
        pending_posts = [r for r in pending_posts if r.post_code not in posts]

    people: dict[str, User] = dict(plan.db_people)
    # One hash for the whole import: a demo or training password is the same for everyone,
    # and hashing it once per person would cost half a second each (Argon2).
    encoded = make_password(password) if password else None
    for email, (full_name, line) in plan.people.items():
        person = User(email=email, full_name=full_name)
        if encoded is None:
            person.set_unusable_password()  # they set their own through a reset
        else:
            person.password = encoded
        person.save()
        people[email] = person
        event_record(
            actor=actor,
            action="person.create",
            obj=person,
            after={**person_snapshot(person), **_source(line)},
        )

    _grant_roles(plan, people, actor=actor)

    for row, start in plan.charges:
        charge = Charge.objects.create(
            person=people[row.email],
            post=posts[row.post_code],
            kind=row.charge_kind,
            start=start,
            end=row.charge_end,
        )
        event_record(
            actor=actor,
            action="charge.assign",
            obj=charge,
            post=charge.post,
            after={**charge_snapshot(charge), **_source(row.line)},
        )


def _grant_roles(plan: _Plan, people: dict[str, User], *, actor: User | None) -> None:
    groups = {g.name: g for g in Group.objects.filter(name__in=ROLES)}
    for email, (names, line) in plan.grants.items():
        person = people[email]
        before = sorted(person.groups.filter(name__in=ROLES).values_list("name", flat=True))
        person.groups.add(*(groups[name] for name in names))
        event_record(
            actor=actor,
            action="person.roles",
            obj=person,
            before={"roles": before},
            after={"roles": sorted({*before, *names}), **_source(line)},
        )
