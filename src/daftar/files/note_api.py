"""The JSON API for a file's note sheet (``/api/v1/``): the note serializer, and writing,
editing and deleting a draft note.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from daftar.files import services
from daftar.files.api_shared import (
    PersonBriefSerializer,
    PostBriefSerializer,
    actor_of,
    error_responses,
)
from daftar.files.models import Note, NoteKind
from daftar.org.models import User


class ParagraphSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    text = serializers.CharField()


class NoteSerializer(serializers.ModelSerializer[Note]):
    """A note on the sheet. ``editable``: a draft the reader wrote, at the post holding it."""

    author = PersonBriefSerializer(read_only=True)
    post = PostBriefSerializer(read_only=True)
    paragraphs = serializers.SerializerMethodField()
    editable = serializers.SerializerMethodField()

    class Meta:
        model = Note
        fields = (
            "id",
            "kind",
            "body",
            "paragraphs",
            "first_para",
            "para_count",
            "is_final",
            "editable",
            "author",
            "post",
            "created_at",
            "updated_at",
            "finalised_at",
        )

    @extend_schema_field(ParagraphSerializer(many=True))
    def get_paragraphs(self, note: Note) -> list[dict[str, Any]]:
        return [{"number": n, "text": text} for n, text in note.paragraphs()]

    def get_editable(self, note: Note) -> bool:
        actor: User | None = self.context.get("actor")
        holding: Sequence[int] = self.context.get("holding_post_ids", ())
        return (
            actor is not None
            and not note.is_final
            and note.author_id == actor.pk
            and note.post_id in holding
        )


class NoteAddInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=NoteKind.choices, default=NoteKind.TEXT)
    body = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        trim_whitespace=False,
        help_text='Paragraphs separated by a blank line; empty for "I agree".',
    )


class NoteEditInputSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(trim_whitespace=False, allow_blank=True)


def _note_response(note: Note, actor: User, *, code: int = status.HTTP_200_OK) -> Response:
    data = NoteSerializer(note, context={"actor": actor, "holding_post_ids": [note.post_id]}).data
    return Response(data, status=code)


class FileNotesApi(APIView):
    @extend_schema(
        operation_id="notes_add",
        tags=["notes"],
        summary="Write a note",
        description="A draft note at the end of the sheet; it becomes final when the file is sent.",
        request=NoteAddInputSerializer,
        responses={201: NoteSerializer, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, file_id: int) -> Response:
        actor = actor_of(request)
        data = NoteAddInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.note_add(
            actor=actor,
            file_id=file_id,
            kind=data.validated_data["kind"],
            body=data.validated_data["body"],
        )
        return _note_response(note, actor, code=status.HTTP_201_CREATED)


class NoteApi(APIView):
    @extend_schema(
        operation_id="notes_edit",
        tags=["notes"],
        summary="Edit your draft note",
        request=NoteEditInputSerializer,
        responses={200: NoteSerializer, **error_responses(400, 404, 409)},
    )
    def patch(self, request: Request, note_id: int) -> Response:
        actor = actor_of(request)
        data = NoteEditInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.note_edit(actor=actor, note_id=note_id, body=data.validated_data["body"])
        return _note_response(note, actor)

    @extend_schema(
        operation_id="notes_delete",
        tags=["notes"],
        summary="Delete your draft note",
        request=None,
        responses={204: None, **error_responses(400, 404, 409)},
    )
    def delete(self, request: Request, note_id: int) -> Response:
        services.note_delete(actor=actor_of(request), note_id=note_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
