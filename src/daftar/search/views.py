"""The search screen (``/search/``) and its post picker.

One box, with the advanced fields folded away; results grouped by file or receipt. The view
parses the form, calls ``search`` once and shapes the links (facets, pages) that keep the
query. A number typed in the header box that is exactly one file or diary number the person
may see opens that paper at once (docs/search-screens.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from daftar.files.models import Classification, FileStatus
from daftar.files.selectors import files_visible
from daftar.files.views_shared import actor_of, post_options
from daftar.org.models import User
from daftar.org.selectors import post_search
from daftar.receipts.selectors import receipts_visible
from daftar.search.forms import SearchForm
from daftar.search.models import EntryKind
from daftar.search.selectors import search
from daftar.search.types import Results

# "F.No. 5-12/2025-Admin" names the file "5-12/2025-Admin".
_NUMBER_PREFIX = re.compile(r"^(?:f\.?\s*no\.?|no\.?)\s*", re.IGNORECASE)
KIND_ICONS = {
    EntryKind.FILE: "bi-folder2",
    EntryKind.NOTE: "bi-journal-text",
    EntryKind.RECEIPT: "bi-envelope-paper",
    EntryKind.PAGE: "bi-file-earmark-text",
    EntryKind.DRAFT: "bi-pencil-square",
}
STATUS_LABELS = dict(FileStatus.choices)
GRADE_LABELS = dict(Classification.choices)


@dataclass(frozen=True)
class Facet:
    kind: str
    label: str
    count: int
    url: str
    active: bool


def _query_string(params: QueryDict, **changes: list[str]) -> str:
    """The current query, without the page and the header's "go", with ``changes``."""
    kept = params.copy()
    for name in ("page", "go"):
        kept.pop(name, None)
    for name, values in changes.items():
        kept.setlist(name, values)
    return kept.urlencode()


def _facets(params: QueryDict, results: Results, chosen: list[str]) -> list[Facet]:
    base = reverse("search")
    return [
        Facet(
            kind=kind,
            label=str(label),
            count=results.facets[kind],
            url=f"{base}?{_query_string(params, kind=[kind])}",
            active=kind in chosen,
        )
        for kind, label in EntryKind.choices
        if results.facets.get(kind)
    ]


def paper_numbered(actor: User, text: str) -> str | None:
    """The page of the one file or receipt numbered exactly ``text`` that ``actor`` may see,
    else None (nothing, or more than one paper, answers to it: then the results show)."""
    token = text.strip()
    bare = _NUMBER_PREFIX.sub("", token)
    # One word with a digit in it: "1/2026/R&I" is a diary number though not a ``text.is_ref``.
    if not bare or " " in bare or not any(c.isdigit() for c in bare):
        return None
    by_number = Q(number__iexact=token) | Q(number__iexact=bare)
    files = list(files_visible(actor).filter(by_number).values_list("pk", flat=True)[:2])
    by_diary = Q(diary_number__iexact=token) | Q(diary_number__iexact=bare)
    receipts = list(receipts_visible(actor).filter(by_diary).values_list("pk", flat=True)[:2])
    if len(files) + len(receipts) != 1:
        return None
    if files:
        return reverse("file-detail", args=[files[0]])
    return reverse("receipt-detail", args=[receipts[0]])


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = SearchForm(request.GET or None, actor=actor)
    context: dict[str, Any] = {"form": form, "results": None, "icons": KIND_ICONS}
    if not request.GET:
        return render(request, "search/search.html", context)
    if not form.is_valid():
        return render(request, "search/search.html", context, status=400)
    query = form.query()
    if request.GET.get("go"):
        target = paper_numbered(actor, query.text)
        if target is not None:
            return redirect(target)
    if query.is_empty():
        context["needs_words"] = True
        return render(request, "search/search.html", context)
    results = search(actor, query, page=form.cleaned_data["page"] or 1)
    context.update(
        results=results,
        facets=_facets(request.GET, results, list(query.kinds)),
        all_kinds_url=f"{reverse('search')}?{_query_string(request.GET, kind=[])}",
        page_query=_query_string(request.GET),
        statuses=STATUS_LABELS,
        grades=GRADE_LABELS,
    )
    return render(request, "search/search.html", context)


@login_required
@require_GET
def holder_options(request: HttpRequest) -> HttpResponse:
    """The "with post" picker of the advanced search (an htmx partial): posts by
    designation, code, unit or holder's name, as in the send-to picker."""
    typed = request.GET.get("post", "")[:100]
    posts = list(post_search(typed)) if typed.strip() else []
    context = {"options": post_options(posts), "query": typed, "selected": None}
    return render(request, "search/_holder_options.html", context)
