"""The JSON API for files (``/api/v1/``): list, open and read a file, and park, unpark,
close and reopen it. The note sheet's operations are in ``note_api``, the pieces the other
APIs share in ``api_shared``.

Thin, one APIView per operation: an input serializer checks the shape of the request, one
service or selector does the work, an output serializer shapes the answer. Access goes only
through ``file_for_actor`` / ``files_visible``; the services' errors become 400, 404 and 409
in ``daftar.api.exception_handler``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from daftar.files import services
from daftar.files.access_log import opening_record
from daftar.files.api_shared import (
    SUMMARY_FIELDS,
    FileSummaryPageSerializer,
    FileSummarySerializer,
    PersonBriefSerializer,
    PostBriefSerializer,
    PostSerializer,
    UnitBriefSerializer,
    actor_of,
    error_responses,
)
from daftar.files.models import Classification, File, Priority
from daftar.files.note_api import NoteSerializer
from daftar.files.selectors import file_for_actor, files_visible, notes_of
from daftar.movement.models import Movement
from daftar.movement.services import file_mark_read
from daftar.org.models import User
from daftar.org.roles import permission_require
from daftar.org.selectors import post_ids_held

# --- File detail --------------------------------------------------------------------------


class CurrentMovementSerializer(serializers.ModelSerializer[Movement]):
    """The send that brought the file to its holder."""

    from_post = PostBriefSerializer(read_only=True, allow_null=True)
    sent_by = PersonBriefSerializer(read_only=True)

    class Meta:
        model = Movement
        fields = (
            "id",
            "action",
            "from_post",
            "sent_by",
            "sent_at",
            "remarks",
            "priority",
            "due_on",
            "read_at",
        )


class FileDetailSerializer(serializers.ModelSerializer[File]):
    """A file as its reader sees it. Context: ``notes``, ``actor``, ``held_post_ids``."""

    unit = UnitBriefSerializer(read_only=True)
    holder = PostSerializer(read_only=True)
    created_by = PersonBriefSerializer(read_only=True)
    current_movement = CurrentMovementSerializer(read_only=True, allow_null=True)
    can_act = serializers.SerializerMethodField(
        help_text="The file is with a post the reader holds: they may write on it and send it."
    )
    can_pull_back = serializers.SerializerMethodField(
        help_text="The reader's post sent it and the receiver has not opened it yet."
    )
    notes = serializers.SerializerMethodField(
        help_text="The note sheet in order: final notes, and the reader's own drafts."
    )

    class Meta:
        model = File
        fields = (
            "id",
            "number",
            "subject",
            "head",
            "year",
            "serial",
            "classification",
            "priority",
            "status",
            "is_physical",
            "unit",
            "holder",
            "current_movement",
            "can_act",
            "can_pull_back",
            "created_by",
            "created_at",
            "closed_at",
            "notes",
        )

    def _held(self) -> Sequence[int]:
        held: Sequence[int] = self.context["held_post_ids"]
        return held

    def get_can_act(self, file: File) -> bool:
        return file.holder_id in self._held()

    def get_can_pull_back(self, file: File) -> bool:
        current = file.current_movement
        return (
            current is not None
            and current.from_post_id in self._held()
            and current.read_at is None
            and current.pulled_back_at is None
        )

    @extend_schema_field(NoteSerializer(many=True))
    def get_notes(self, file: File) -> list[dict[str, Any]]:
        context = {
            "actor": self.context["actor"],
            "holding_post_ids": [file.holder_id] if self.get_can_act(file) else [],
        }
        return [NoteSerializer(note, context=context).data for note in self.context["notes"]]


def _with_current_movement(file: File) -> File:
    """Load the send that brought the file, with its sender, in one query."""
    if file.current_movement_id is not None:
        file.current_movement = Movement.objects.select_related("from_post", "sent_by").get(
            pk=file.current_movement_id
        )
    return file


def _detail(actor: User, file: File, *, held: Sequence[int]) -> dict[str, Any]:
    """The file's detail; the note sheet (final notes and the reader's own drafts) in one
    query however long it is."""
    notes = list(notes_of(file).filter(Q(is_final=True) | Q(author=actor)))
    context = {"actor": actor, "held_post_ids": held, "notes": notes}
    return FileDetailSerializer(file, context=context).data


# --- Files: list, open, read --------------------------------------------------------------


class FileOpenInputSerializer(serializers.Serializer[Any]):
    post = serializers.IntegerField(help_text="The post (one you hold) that opens the file.")
    subject = serializers.CharField(max_length=500)
    classification = serializers.ChoiceField(
        choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.ROUTINE)
    head = serializers.CharField(
        max_length=20, required=False, default="", allow_blank=True, help_text="Subject head."
    )
    is_physical = serializers.BooleanField(
        default=False, help_text="A paper file registered for tracking only."
    )


class FileListApi(APIView):
    @extend_schema(
        operation_id="files_list",
        tags=["files"],
        summary="Files open to you",
        description="Every file a post you hold has held, newest first: summaries, no notes.",
        responses={200: FileSummaryPageSerializer},
    )
    def get(self, request: Request) -> Response:
        files = (
            files_visible(actor_of(request))
            .select_related("holder")
            .only(*SUMMARY_FIELDS)
            .order_by("-id")
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(files, request, view=self)
        return paginator.get_paginated_response(FileSummarySerializer(page, many=True).data)

    @extend_schema(
        operation_id="files_open",
        tags=["files"],
        summary="Open a new file",
        request=FileOpenInputSerializer,
        responses={201: FileDetailSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        permission_require(actor, "files.open_file")
        data = FileOpenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        file = services.file_open(
            actor=actor,
            post_id=values["post"],
            subject=values["subject"],
            classification=values["classification"],
            priority=values["priority"],
            head=values["head"],
            is_physical=values["is_physical"],
        )
        return Response(
            _detail(actor, file, held=[file.holder_id]),
            status=status.HTTP_201_CREATED,
        )


class FileDetailApi(APIView):
    @extend_schema(
        operation_id="files_read",
        tags=["files"],
        summary="Read a file",
        description=(
            "The file, its current holder and its note sheet. When the reader's post is the "
            "receiver and has not opened it yet, this marks it opened: from then on the sender "
            "can no longer pull it back."
        ),
        responses={200: FileDetailSerializer, **error_responses(404)},
    )
    def get(self, request: Request, file_id: int) -> Response:
        actor = actor_of(request)
        file = _with_current_movement(file_for_actor(actor, file_id))
        held = post_ids_held(actor)
        current = file.current_movement
        if file.holder_id in held and current is not None and current.read_at is None:
            file_mark_read(actor=actor, file_id=file.pk)
            file = _with_current_movement(file)
        opening_record(
            actor=actor, obj=file, grade=file.classification, holder=file.holder, via="api"
        )
        return Response(_detail(actor, file, held=held))


# --- Status: park, unpark, close, reopen -------------------------------------------------


class _FileStatusApi(APIView):
    change: ClassVar[Callable[..., File]]
    required_permission: ClassVar[str | None] = None

    def post(self, request: Request, file_id: int) -> Response:
        actor = actor_of(request)
        if self.required_permission:
            permission_require(actor, self.required_permission)
        file = type(self).change(actor=actor, file_id=file_id)
        return Response(FileSummarySerializer(file).data)


def _status_schema(
    name: str, summary: str, description: str, errors: tuple[int, ...] = (404, 409)
) -> Callable[[type], type]:
    return extend_schema_view(
        post=extend_schema(
            operation_id=f"files_{name}",
            summary=summary,
            description=description,
            request=None,
            responses={200: FileSummarySerializer, **error_responses(*errors)},
            tags=["files"],
        )
    )


@_status_schema("park", "Park a file", "Set aside an open file that is waiting on something.")
class FileParkApi(_FileStatusApi):
    change = staticmethod(services.file_park)


@_status_schema("unpark", "Unpark a file", "Bring a parked file back to the open tray.")
class FileUnparkApi(_FileStatusApi):
    change = staticmethod(services.file_unpark)


@_status_schema(
    "close",
    "Close a file",
    "Only the unit that owns the file can close it, and only a person with "
    "`files.record_file` (403 without it).",
    (403, 404, 409),
)
class FileCloseApi(_FileStatusApi):
    change = staticmethod(services.file_close)
    required_permission = "files.record_file"


@_status_schema(
    "reopen",
    "Reopen a file",
    "Only the unit that owns the file can reopen it, and only a person with "
    "`files.record_file` (403 without it).",
    (403, 404, 409),
)
class FileReopenApi(_FileStatusApi):
    change = staticmethod(services.file_reopen)
    required_permission = "files.record_file"
