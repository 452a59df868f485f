"""Shared pieces of the JSON API (``/api/v1/``), used by the files, movement and search APIs:
who is asking, the error answers an operation can give, and the brief serializers of posts,
units, people and file summaries.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.request import Request

from daftar.files.models import File
from daftar.org.models import OrgUnit, Post, User


def actor_of(request: Request) -> User:
    """The signed-in person; the default permission class has already refused anyone else."""
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - IsAuthenticated runs first
        raise TypeError("an authenticated daftar User is required")
    return user


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="What went wrong, for the officer to read.")


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """OpenAPI descriptions of the error answers an operation can give."""
    described = {
        400: OpenApiResponse(
            response=OpenApiTypes.OBJECT,
            description=(
                'Bad input; nothing was changed. Either {"detail": message} or, for a '
                "malformed request, {field: [messages]}."
            ),
        ),
        403: OpenApiResponse(
            response=ErrorSerializer,
            description="You lack the role this needs; the message names it.",
        ),
        404: OpenApiResponse(
            response=ErrorSerializer,
            description="No such object, or it is not open to you (the two are not told apart).",
        ),
        409: OpenApiResponse(
            response=ErrorSerializer,
            description="The file has moved on: it is not with your post, or not in that state.",
        ),
    }
    return {code: described[code] for code in codes}


class PostBriefSerializer(serializers.ModelSerializer[Post]):
    class Meta:
        model = Post
        fields = ("id", "designation")


class UnitBriefSerializer(serializers.ModelSerializer[OrgUnit]):
    class Meta:
        model = OrgUnit
        fields = ("id", "code", "name")


class PostSerializer(serializers.ModelSerializer[Post]):
    unit = UnitBriefSerializer(read_only=True)

    class Meta:
        model = Post
        fields = ("id", "code", "designation", "grade", "unit")


class PersonBriefSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ("id", "full_name")


class FileSummarySerializer(serializers.ModelSerializer[File]):
    """What a list shows of a file: never its notes."""

    holder = PostBriefSerializer(read_only=True)

    class Meta:
        model = File
        fields = (
            "id",
            "number",
            "subject",
            "classification",
            "priority",
            "status",
            "is_physical",
            "holder",
            "created_at",
        )


SUMMARY_FIELDS = (
    "id",
    "number",
    "subject",
    "classification",
    "priority",
    "status",
    "is_physical",
    "created_at",
    "holder__id",
    "holder__designation",
)


class FileSummaryPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = FileSummarySerializer(many=True)
