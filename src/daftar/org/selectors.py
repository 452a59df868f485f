"""Reads over the organisation chart."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from daftar.lib import clock
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


def holders_of(post: Post) -> list[User]:
    today = clock.now().date()
    return [
        c.person
        for c in Charge.objects.current(today)
        .filter(post=post)
        .select_related("person")
        .order_by("kind", "start")
    ]


def post_search(query: str, *, limit: int = 20) -> QuerySet[Post]:
    """Posts for the send-to picker, by designation, code, unit or the holder's name."""
    today = clock.now().date()
    posts = Post.objects.filter(is_active=True).select_related("unit")
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


def posts_around(post: Post) -> list[Post]:
    """The post ``post`` reports to, then the posts that report to it: the usual next desks."""
    around = Post.objects.filter(
        Q(pk=post.reports_to_id) | Q(reports_to_id=post.pk), is_active=True
    ).select_related("unit")
    return sorted(around, key=lambda p: (p.pk != post.reports_to_id, -(p.grade or 0), p.pk))
