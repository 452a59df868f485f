"""``GET /api/v1/search/``: the search screen's answer as JSON (docs/api.md).

The parameters are the screen's (``daftar.search.forms.SearchForm``, one parser for both),
the answer the same groups and hits: summaries only, never a note's or a page's whole text.
A snippet is plain text with the matched words given as ``highlights``, character offsets
``[start, end)`` into it, so a client needs no HTML parser and cannot be handed markup.
"""

from __future__ import annotations

import html
import re
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from daftar.files.api_shared import actor_of, error_responses
from daftar.search.forms import MAX_PAGE, SearchForm
from daftar.search.models import EntryKind
from daftar.search.selectors import search
from daftar.search.types import Hit

GROUP_KINDS = [("file", "File"), ("receipt", "Receipt on no file")]
_MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


def plain_snippet(snippet: str) -> tuple[str, list[list[int]]]:
    """The text of an escaped snippet and the ``[start, end)`` of each ``<mark>`` in it."""
    parts: list[str] = []
    spans: list[list[int]] = []
    length, position = 0, 0
    for match in _MARK.finditer(snippet):
        before = html.unescape(snippet[position : match.start()])
        marked = html.unescape(match.group(1))
        parts += [before, marked]
        length += len(before)
        spans.append([length, length + len(marked)])
        length += len(marked)
        position = match.end()
    parts.append(html.unescape(snippet[position:]))
    return "".join(parts), spans


class SearchThrottle(UserRateThrottle):
    """A search costs more than a page view: a script may not run them back to back."""

    scope = "search"
    rate = "120/minute"


class HitSerializer(serializers.Serializer[Hit]):
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    # DRF takes declared fields off the class; the stubs see Field.label, a string.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text='Where it is: "Note, paras 12-14, …", "…, page 3".'
    )
    snippet = serializers.SerializerMethodField(help_text="A few words around the match.")
    highlights = serializers.SerializerMethodField(
        help_text="The matched words: [start, end) character offsets into snippet."
    )
    url = serializers.CharField(help_text="The screen of the exact note paragraph or page.")
    dated = serializers.DateField()
    paragraph = serializers.IntegerField(allow_null=True)
    page = serializers.IntegerField(allow_null=True)
    close_spelling = serializers.BooleanField(
        help_text="Found through a close spelling of a word, not the word as typed."
    )

    def get_snippet(self, hit: Hit) -> str:
        return plain_snippet(hit.snippet)[0]

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ListField(
                child=serializers.IntegerField(), min_length=2, max_length=2
            )
        )
    )
    def get_highlights(self, hit: Hit) -> list[list[int]]:
        return plain_snippet(hit.snippet)[1]


class GroupSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=GROUP_KINDS)
    id = serializers.IntegerField(source="object_id")
    number = serializers.CharField()
    subject = serializers.CharField()
    classification = serializers.IntegerField()
    status = serializers.CharField()
    holder = serializers.CharField(help_text="The post that holds it now.")
    url = serializers.CharField()
    more = serializers.IntegerField(help_text="Further matches in it, among the first 1,000.")
    hits = HitSerializer(many=True)


class ResultsSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(
        source="hit_count", help_text="Matches among the first 1,000 (see capped)."
    )
    group_count = serializers.IntegerField()
    capped = serializers.BooleanField(
        help_text="More than 1,000 matches: neither counted nor ranked beyond them."
    )
    page = serializers.IntegerField()
    page_count = serializers.IntegerField()
    facets = serializers.DictField(
        child=serializers.IntegerField(), help_text="Matches per document type."
    )
    close_spellings = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each word typed that was widened, and the words tried for it.",
    )
    groups = GroupSerializer(many=True)


def _param(name: str, kind: Any, description: str, **extra: Any) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, **extra)


PARAMETERS = [
    _param("q", OpenApiTypes.STR, 'Words, "exact phrases", -excluded words, numbers.'),
    _param("number", OpenApiTypes.STR, "A file or diary number, matched exactly."),
    _param("sender", OpenApiTypes.STR, "The sender's name or organisation."),
    _param("unit", OpenApiTypes.INT, "An organisation unit (and those below it)."),
    _param("date_from", OpenApiTypes.DATE, "On or after this date."),
    _param("date_to", OpenApiTypes.DATE, "On or before this date."),
    _param("classification", OpenApiTypes.INT, "A security grade, 0 to your clearance."),
    _param(
        "status", OpenApiTypes.STR, "open, parked or closed.", enum=["open", "parked", "closed"]
    ),
    _param("holder", OpenApiTypes.INT, "The post that holds the file or receipt now."),
    _param(
        "kind",
        OpenApiTypes.STR,
        "Document types (repeat for several).",
        many=True,
        enum=list(EntryKind.values),
    ),
    _param("page", OpenApiTypes.INT, f"1 to {MAX_PAGE}; 20 files or receipts a page."),
]


class SearchApi(APIView):
    throttle_classes = [SearchThrottle]

    @extend_schema(
        operation_id="search",
        tags=["search"],
        summary="Search files, notes, receipts, drafts and scanned pages",
        description=(
            "Best matches first, grouped by file (or receipt on no file), only what you may "
            "see. Summaries: a snippet per match, never a whole note or page. One of q, "
            "number or sender is needed; the other parameters narrow."
        ),
        parameters=PARAMETERS,
        responses={200: ResultsSerializer, **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        actor = actor_of(request)
        form = SearchForm(request.query_params, actor=actor)
        if not form.is_valid():
            messages = [str(m) for errors in form.errors.values() for m in errors]
            return Response(
                {"detail": " ".join(messages), "errors": form.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        query = form.query()
        if query.is_empty():
            return Response(
                {"detail": _("Give words (q), a number or a sender to search for.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        results = search(actor, query, page=form.cleaned_data["page"] or 1)
        return Response(ResultsSerializer(results).data)
