"""Reads over the organisation chart."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from daftar.lib import clock
from daftar.org.clearance import cleared_for
from daftar.org.models import ORGANISATION_KINDS, Charge, OrgUnit, Post, User


def posts_held(person: User) -> list[Post]:
    """The posts a person holds today, by any kind of charge."""
    today = clock.now().date()
    post_ids = Charge.objects.current(today).filter(person=person).values("post_id")
    return list(Post.objects.filter(id__in=post_ids, is_active=True).select_related("unit"))


def post_ids_held_query(person: User) -> QuerySet[Charge, int]:
    """The ids of the posts a person holds today, as a query to nest in another one."""
    today = clock.now().date()
    return (
        Charge.objects.current(today)
        .filter(person=person, post__is_active=True)
        .values_list("post_id", flat=True)
        .distinct()
    )


def post_ids_held(person: User) -> list[int]:
    return list(post_ids_held_query(person))


def unit_ids_held_query(person: User) -> QuerySet[Post, int]:
    """The units of the posts a person holds today, as a query to nest in another one."""
    return Post.objects.filter(id__in=post_ids_held_query(person)).values_list("unit_id", flat=True)


_BELOW_SQL = """
WITH RECURSIVE below(id) AS (
    SELECT * FROM ({base}) held
    UNION
    SELECT p.id FROM {table} p JOIN below b ON p.reports_to_id = b.id
)
SELECT id FROM below
"""


def post_ids_at_or_below(person: User, *, post_ids: Sequence[int] | None = None) -> RawSQL:
    """The posts a person holds today and every post below them by ``reports_to``, as one
    recursive query to nest in another (``to_post_id__in=…``): no extra round trip.

    ``UNION`` (not ``UNION ALL``) drops posts already found, so a cycle in a mis-entered chart
    ends the walk instead of looping."""
    if post_ids is None:
        base, params = post_ids_held_query(person).order_by().query.sql_with_params()
    else:  # no post has id 0: an empty list still compiles to a query that finds nothing
        ids = Post.objects.filter(id__in=list(post_ids) or [0]).order_by().values_list("id")
        base, params = ids.query.sql_with_params()
    table = connection.ops.quote_name(Post._meta.db_table)
    # Safe: the SQL is ours and the ORM's compiled query; every value travels as a parameter.
    return RawSQL(_BELOW_SQL.format(base=base, table=table), tuple(params))  # noqa: S611


def holders_of(post: Post) -> list[User]:
    today = clock.now().date()
    return [
        c.person
        for c in Charge.objects.current(today)
        .filter(post=post)
        .select_related("person")
        .order_by("kind", "start")
    ]


def post_search(query: str, *, limit: int = 20, grade: int = 0) -> QuerySet[Post]:
    """Posts for the send-to picker, by designation, code, unit or the holder's name; only
    those cleared to receive papers of ``grade`` (a security classification)."""
    today = clock.now().date()
    posts = Post.objects.filter(cleared_for(grade), is_active=True).select_related("unit")
    for word in query.split()[:5]:
        holder_ids = (
            Charge.objects.current(today)
            .filter(person__full_name__icontains=word)
            .values("post_id")
        )
        posts = posts.filter(
            Q(designation__icontains=word)
            | Q(code__icontains=word)
            | Q(unit__name__icontains=word)
            | Q(unit__code__icontains=word)
            | Q(id__in=holder_ids)
        )
    return posts.order_by("-grade", "designation")[:limit]


def organisation_of(unit: OrgUnit) -> OrgUnit:
    """The nearest unit at or above ``unit`` that is an organisation in its own right."""
    current: OrgUnit | None = unit
    while current is not None:
        if current.kind in ORGANISATION_KINDS:
            return current
        current = current.parent
    return unit


_CHAIN_SQL = """
WITH RECURSIVE chain(post_id, depth) AS (
    SELECT reports_to_id, 1 FROM {table} WHERE id = %s
    UNION ALL
    SELECT p.reports_to_id, c.depth + 1 FROM {table} p JOIN chain c ON p.id = c.post_id
    WHERE c.depth < %s
)
SELECT post_id FROM chain WHERE post_id IS NOT NULL ORDER BY depth
"""
_CHAIN_LIMIT = 30


def chain_above(post: Post) -> list[int]:
    """Ids of the posts above ``post`` by ``reports_to``, nearest first, in one query.

    A mis-entered chart may contain a cycle: the walk stops after 30 steps and each post is
    listed once."""
    with connection.cursor() as cursor:
        cursor.execute(
            _CHAIN_SQL.format(table=connection.ops.quote_name(Post._meta.db_table)),
            [post.pk, _CHAIN_LIMIT],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return [pk for pk in dict.fromkeys(ids) if pk != post.pk]


def holders_by_post(post_ids: list[int]) -> dict[int, list[User]]:
    """The people holding each of several posts today, in one query (for pickers and lists)."""
    today = clock.now().date()
    found: dict[int, list[User]] = {pid: [] for pid in post_ids}
    for charge in (
        Charge.objects.current(today)
        .filter(post_id__in=post_ids)
        .select_related("person")
        .only("post_id", "person__id", "person__full_name", "person__email")
        .order_by("kind", "start")
    ):
        people = found.setdefault(charge.post_id, [])
        if charge.person not in people:
            people.append(charge.person)
    return found


def posts_around(post: Post, *, grade: int = 0) -> list[Post]:
    """The post ``post`` reports to, then the posts that report to it: the usual next desks
    (those cleared for papers of ``grade``)."""
    around = Post.objects.filter(
        Q(pk=post.reports_to_id) | Q(reports_to_id=post.pk), cleared_for(grade), is_active=True
    ).select_related("unit")
    return sorted(around, key=lambda p: (p.pk != post.reports_to_id, -(p.grade or 0), p.pk))
