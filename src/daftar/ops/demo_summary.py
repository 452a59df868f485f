"""What ``daftar demo`` prints about the demo ministry once it is loaded: its logins, the
state of its files, and the people to start with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from daftar.files.models import Classification, File, FileStatus
from daftar.lib import clock
from daftar.ops.demo_files import FILES
from daftar.ops.demo_programme import ProgrammeReport
from daftar.org.importer import ImportResult
from daftar.org.models import Charge, ChargeKind, Post

SHOWCASE_POSTS = ("SO-D1", "ASST-D1")  # their inboxes have unread files waiting


@dataclass(frozen=True)
class DemoLogin:
    name: str
    posts: str
    email: str


@dataclass
class DemoReport:
    org: ImportResult | None
    org_note: str
    admin_created: bool
    files_created: int
    receipts_created: int
    letters_created: int  # stories of drafts and letters played (ops.demo_letters)
    logins: list[DemoLogin]
    counts: dict[str, int]
    showcase: list[tuple[DemoLogin, int]]  # the people to start with, and their unread files
    programme: ProgrammeReport | None = None  # the other organisations (ops.demo_programme)


def demo_logins(post_codes: list[str]) -> list[DemoLogin]:
    order = {code: i for i, code in enumerate(post_codes)}
    charges = sorted(
        Charge.objects.current(clock.now().date())
        .filter(post__code__in=post_codes)
        .select_related("person", "post"),
        key=lambda c: (order[c.post.code], c.kind != ChargeKind.REGULAR),
    )
    people: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for charge in charges:
        label = charge.post.designation
        if charge.kind != ChargeKind.REGULAR:
            label += f" ({charge.get_kind_display().lower()})"
        people.setdefault(charge.person.email, []).append(label)
        names[charge.person.email] = charge.person.full_name
    return [DemoLogin(names[e], "; ".join(posts), e) for e, posts in people.items()]


def demo_counts(today: dt.date) -> dict[str, int]:
    files = File.objects.filter(unit__code__in={f.section for f in FILES})
    opened = Q(status=FileStatus.OPEN)
    counts: dict[str, int] = files.aggregate(
        files=Count("id"),
        open=Count("id", filter=opened),
        unread=Count("id", filter=opened & Q(current_movement__read_at__isnull=True)),
        overdue=Count("id", filter=opened & Q(current_movement__due_on__lt=today)),
        parked=Count("id", filter=Q(status=FileStatus.PARKED)),
        closed=Count("id", filter=Q(status=FileStatus.CLOSED)),
        physical=Count("id", filter=Q(is_physical=True)),
        classified=Count("id", filter=Q(classification__gt=Classification.UNCLASSIFIED)),
    )
    return counts


def demo_showcase() -> list[tuple[DemoLogin, int]]:
    result = []
    for code in SHOWCASE_POSTS:
        post = Post.objects.filter(code=code).first()
        if post is None:
            continue
        holder = Charge.objects.current(clock.now().date()).filter(post=post).first()
        if holder is None:
            continue
        unread = File.objects.filter(
            holder=post, status=FileStatus.OPEN, current_movement__read_at__isnull=True
        ).count()
        person = holder.person
        result.append((DemoLogin(person.full_name, post.designation, person.email), unread))
    return result
