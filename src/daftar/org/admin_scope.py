"""What an organisation admin may manage in the admin screens: their own organisation.

A staff person with ``org.manage_organisation`` who is not a superuser sees and changes only
the units of the organisations they hold posts in (each organisation down to, not including,
the next unit that is an organisation of its own, such as an attached department), the posts
of those units, the charges on those posts, and the people holding or having held them. People
with no charge at all are visible to every organisation admin, so that a new person can be
given a first post. Superusers see everything. Anyone else sees nothing. A new unit must be
placed under one of the admin's units, so the organisation's own top unit (whose parent lies
outside it) is changed by a superuser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet

from daftar.org.models import ORGANISATION_KINDS, Charge, OrgUnit, Post, User
from daftar.org.selectors import organisation_of, posts_held

PERMISSION = "org.manage_organisation"


def managed_unit_ids(user: Any) -> set[int] | None:
    """The ids of the units ``user`` manages; None for a superuser (all of them)."""
    if not isinstance(user, User) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    if not user.has_perm(PERMISSION):
        return set()
    roots = {organisation_of(post.unit).pk for post in posts_held(user)}
    found = set(roots)
    frontier = roots
    while frontier:  # one query a level; charts are a handful of levels deep
        below = OrgUnit.objects.filter(parent_id__in=frontier).exclude(pk__in=found)
        frontier = set(below.exclude(kind__in=ORGANISATION_KINDS).values_list("pk", flat=True))
        found |= frontier
    return found


def scoped_units(queryset: QuerySet[OrgUnit], ids: set[int] | None) -> QuerySet[OrgUnit]:
    return queryset if ids is None else queryset.filter(pk__in=ids)


def scoped_posts(queryset: QuerySet[Post], ids: set[int] | None) -> QuerySet[Post]:
    return queryset if ids is None else queryset.filter(unit_id__in=ids)


def scoped_charges(queryset: QuerySet[Charge], ids: set[int] | None) -> QuerySet[Charge]:
    return queryset if ids is None else queryset.filter(post__unit_id__in=ids)


def scoped_people(queryset: QuerySet[User], ids: set[int] | None) -> QuerySet[User]:
    if ids is None:
        return queryset
    charged = Charge.objects.filter(post__unit_id__in=ids).values("person_id")
    return queryset.filter(Q(pk__in=charged) | Q(charges__isnull=True)).distinct()


SCOPES: dict[type[Any], Callable[[QuerySet[Any], set[int] | None], QuerySet[Any]]] = {
    OrgUnit: scoped_units,
    Post: scoped_posts,
    Charge: scoped_charges,
    User: scoped_people,
}


def scoped(model: type[Any], queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    scope = SCOPES.get(model)
    return queryset if scope is None else scope(queryset, managed_unit_ids(user))
