"""Reads of drafts, with access applied.

A draft is seen through its file: whoever may see the file (``file_for_actor``, docs/access.md)
may read its drafts, provided they are cleared for the draft's own grade; everyone else, and
every id that does not exist, gets NotFound.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from daftar.drafting.models import Addressee, Draft, DraftVersion
from daftar.files.models import File
from daftar.files.selectors import file_for_actor
from daftar.lib.errors import NotFound
from daftar.org.models import ORGANISATION_KINDS, OrgUnit, Post, User
from daftar.org.selectors import organisation_of
from daftar.receipts.models import ReceiptDocument


def draft_for_actor(actor: User, draft_id: int, *, for_update: bool = False) -> Draft:
    """The draft if ``actor`` may see its file and is cleared for its grade, else NotFound.

    ``for_update`` locks the file (first, as every file service does) and then the draft."""
    file_id = Draft.objects.filter(pk=draft_id).values_list("file_id", flat=True).first()
    if file_id is None:
        raise NotFound(_("No such draft, or it is not open to you."))
    try:
        file = file_for_actor(actor, file_id, for_update=for_update)
    except NotFound as exc:
        raise NotFound(_("No such draft, or it is not open to you.")) from exc
    drafts = Draft.objects.select_related("current_version", "approved_version")
    if for_update:
        list(Draft.objects.select_for_update().filter(pk=draft_id).values_list("pk"))
    draft = drafts.filter(pk=draft_id, classification__lte=actor.clearance).first()
    if draft is None:
        raise NotFound(_("No such draft, or it is not open to you."))
    draft.file = file  # the file as the access check read it, with its holder
    return draft


def drafts_of(file: File) -> list[Draft]:
    """The file's drafts for its panel, newest first, each with its current version's subject
    and number: one query however many there are."""
    return list(
        Draft.objects.filter(file=file)
        .select_related("current_version", "created_post")
        .only(
            "id",
            "serial",
            "kind",
            "language",
            "classification",
            "status",
            "file_id",
            "created_at",
            "created_post__designation",
            "current_version__number",
            "current_version__subject",
            "current_version__created_at",
        )
        .order_by("-serial")
    )


def versions_of(draft: Draft) -> list[DraftVersion]:
    """Every version of the draft, newest first, with who wrote it (one query)."""
    return list(
        draft.versions.select_related("author", "post")
        .only(
            "id",
            "number",
            "subject",
            "created_at",
            "draft_id",
            "author__full_name",
            "post__designation",
        )
        .order_by("-number")
    )


def addressees_prefetch() -> Prefetch[str]:
    return Prefetch(
        "addressees",
        queryset=Addressee.objects.select_related("organisation", "post").order_by("order"),
    )


def version_of(draft: Draft, number: int) -> DraftVersion:
    """One version of the draft with its addressees and enclosure documents, else NotFound."""
    found = (
        draft.versions.select_related("author", "post")
        .prefetch_related(addressees_prefetch(), "enclosure_documents__document")
        .filter(number=number)
        .first()
    )
    if found is None:
        raise NotFound(_("This draft has no version %(n)s.") % {"n": number})
    found.draft = draft
    return found


def organisations() -> QuerySet[OrgUnit]:
    """The organisations on this instance a letter can be addressed to, by name."""
    return OrgUnit.objects.filter(kind__in=ORGANISATION_KINDS).order_by("name")


POSTS_LIMIT = 200


def posts_in_organisation(organisation_id: int) -> list[Post]:
    """The active posts of an organisation (its own units, not those of an organisation
    below it), senior first, for the "for the attention of" picker."""
    organisation = organisations().filter(pk=organisation_id).first()
    if organisation is None:
        return []
    unit_ids = {organisation.pk}
    frontier = {organisation.pk}
    while frontier:  # one query a level; charts are a handful of levels deep
        below = OrgUnit.objects.filter(parent_id__in=frontier).exclude(kind__in=ORGANISATION_KINDS)
        frontier = set(below.values_list("pk", flat=True)) - unit_ids
        unit_ids |= frontier
    posts = Post.objects.filter(unit_id__in=unit_ids, is_active=True).select_related("unit")
    return list(posts.order_by("-grade", "designation")[:POSTS_LIMIT])


def organisation_of_file(file: File) -> OrgUnit:
    """The organisation whose letterhead the file's letters carry: its owning unit's."""
    return organisation_of(file.unit)


def file_documents(file: File) -> list[tuple[int, str]]:
    """The documents of the papers on the file's correspondence side, in page order, as
    (document id, "F/A — name"): what a draft can enclose. One query."""
    rows = (
        ReceiptDocument.objects.filter(receipt__file_items__file=file)
        .order_by("receipt__file_items__first_page", "order")
        .values_list("document_id", "receipt__file_items__flag", "document__original_name")
    )
    return [(pk, f"F/{flag} — {name}") for pk, flag, name in rows]
