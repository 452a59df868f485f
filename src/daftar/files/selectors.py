"""Reads of files and notes, with access applied.

Need to know (docs/access.md): a person sees a file of a grade within their clearance when a
post they hold today, or a post below one of theirs in today's reporting chain, has held it;
when it belongs to the unit of a post they hold; or when it is shared with a post they hold.
Every view, API and service goes through ``file_for_actor``; missing and forbidden both answer
NotFound.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from daftar.files.models import File, FileShare, FileStatus, Note
from daftar.files.share_rules import live_shares
from daftar.lib.errors import NotFound
from daftar.movement.models import Movement
from daftar.org.models import Charge, Post, User
from daftar.org.selectors import post_ids_at_or_below, post_ids_held_query


def _held_here_or_below(actor: User, post_ids: Sequence[int] | None) -> Exists:
    """Held (not pulled back) by one of the actor's posts or a post below one of them."""
    return Exists(
        Movement.objects.filter(
            file=OuterRef("pk"),
            to_post_id__in=post_ids_at_or_below(actor, post_ids=post_ids),
            pulled_back_at__isnull=True,
        )
    )


def _shared_with(post_ids: Sequence[int] | QuerySet[Charge, int]) -> Exists:
    return Exists(
        FileShare.objects.filter(live_shares(), file=OuterRef("pk"), post_id__in=post_ids)
    )


def files_visible(actor: User, *, post_ids: Sequence[int] | None = None) -> QuerySet[File]:
    """Files the actor may see, in one query (every part is nested); the posts held are
    looked up inside it unless given. Being an administrator or superuser adds nothing."""
    held = post_ids_held_query(actor) if post_ids is None else post_ids
    units = Post.objects.filter(id__in=held).values("unit_id")
    need_to_know = _held_here_or_below(actor, post_ids) | Q(unit_id__in=units) | _shared_with(held)
    return File.objects.filter(need_to_know, classification__lte=actor.clearance)


def files_visible_from(actor: User, below: Sequence[int]) -> QuerySet[File]:
    """``files_visible`` in another shape, for listing the files of a person with few posts
    at or below theirs (``below``, already read): each part a plain ``IN`` that PostgreSQL
    reads through its index and hashes once, where the nested ``EXISTS`` of
    ``files_visible`` is probed per file (right for one file, 0.8 s to list a section's
    5,000 files out of 130,000). The same rule; a test holds the two equal."""
    held = post_ids_held_query(actor)
    moved = Movement.objects.filter(to_post_id__in=list(below), pulled_back_at__isnull=True)
    shared = FileShare.objects.filter(live_shares(), post_id__in=held)
    return File.objects.filter(
        Q(id__in=moved.values("file_id"))
        | Q(unit_id__in=Post.objects.filter(id__in=held).values("unit_id"))
        | Q(id__in=shared.values("file_id")),
        classification__lte=actor.clearance,
    )


def file_for_actor(actor: User, file_id: int, *, for_update: bool = False) -> File:
    """The file if ``actor`` may see it, else NotFound. ``for_update`` locks the row."""
    if for_update:
        # Lock the bare row first, then read it with its joins. Locking the joined query
        # (FOR UPDATE OF file) would, after waiting for a concurrent send, recheck the join
        # against the old holder's row and drop the file: the loser would hear "no such
        # file" instead of "the file is now with …".
        list(File.objects.select_for_update().filter(pk=file_id).values_list("pk"))
    found = (
        files_visible(actor)
        .select_related("holder__unit", "unit", "current_movement")
        .filter(pk=file_id)
        .first()
    )
    if found is None:
        raise NotFound(_("No such file, or it is not open to you."))
    return found


def file_by_number_for_actor(actor: User, number: str) -> File:
    visible = files_visible(actor).select_related("holder__unit")
    found = visible.filter(number__iexact=number.strip()).first()
    if found is None:
        raise NotFound(_("No such file, or it is not open to you."))
    return found


def notes_of(file: File) -> QuerySet[Note]:
    """The note sheet in order, with what it shows of each author and signature, in one query."""
    return (
        # The signature of a final note comes in the same query (a LEFT JOIN), for its mark.
        file.notes.select_related("author", "post", "signature")
        .only(
            "id",
            "kind",
            "body",
            "is_final",
            "first_para",
            "para_count",
            "created_at",
            "updated_at",
            "finalised_at",
            "author__full_name",
            "author_id",
            "post__designation",
            "post_id",
            "file_id",
            "signature__certificate_serial",
            "signature__content_sha256",
            "signature__note_id",
        )
        # Paragraph order: an entry written final at once precedes older drafts.
        .order_by("first_para", "id")
    )


FILE_CHOICES = 20


def files_held(actor: User, query: str) -> list[File]:
    """Files the actor's posts hold and could take a paper (electronic, not closed),
    matching every word of ``query`` in the number or subject; newest first."""
    files = File.objects.filter(
        holder_id__in=post_ids_held_query(actor),
        classification__lte=actor.clearance,
        is_physical=False,
        status__in=[FileStatus.OPEN, FileStatus.PARKED],
    )
    for word in query.split()[:5]:
        files = files.filter(Q(number__icontains=word) | Q(subject__icontains=word))
    return list(files.only("id", "number", "subject", "status").order_by("-id")[:FILE_CHOICES])
