"""The JSON API for moving files and finding them (``/api/v1/``): send, return, pull back,
the journey of a file, where a file is now, a post's inbox and the send-to picker.

Thin, one APIView per operation; shared serializers and error descriptions come from
``daftar.files.api_shared``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from daftar.files.api_shared import (
    FileSummarySerializer,
    PersonBriefSerializer,
    PostBriefSerializer,
    PostSerializer,
    actor_of,
    error_responses,
)
from daftar.files.models import Classification, File, FileStatus, Priority
from daftar.files.selectors import file_by_number_for_actor, file_for_actor, files_visible
from daftar.lib import clock
from daftar.lib.errors import NotFound
from daftar.movement import services
from daftar.movement.models import Movement
from daftar.movement.selectors import (
    INBOX_PAGE_SIZE,
    CustodySpell,
    inbox,
    inbox_counts,
    posts_by_id,
    timeline,
)
from daftar.org.selectors import holders_of, post_ids_held, post_search


class MovementSerializer(serializers.ModelSerializer[Movement]):
    """One hop of a file from post to post."""

    from_post = PostBriefSerializer(read_only=True, allow_null=True)
    to_post = PostBriefSerializer(read_only=True)
    sent_by = PersonBriefSerializer(read_only=True)
    read_by = PersonBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Movement
        fields = (
            "id",
            "action",
            "from_post",
            "to_post",
            "sent_by",
            "sent_at",
            "remarks",
            "priority",
            "due_on",
            "read_at",
            "read_by",
            "pulled_back_at",
        )


# --- Send, return, pull back ---------------------------------------------------------------


class SendInputSerializer(serializers.Serializer[Any]):
    to_post = serializers.IntegerField(help_text="The post to send the file to.")
    remarks = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    priority = serializers.ChoiceField(
        choices=Priority.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text="Defaults to the file's own priority.",
    )
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReturnInputSerializer(serializers.Serializer[Any]):
    remarks = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class FileSendApi(APIView):
    @extend_schema(
        operation_id="files_send",
        tags=["movement"],
        summary="Send a file",
        description=(
            "Send the file from the post holding it to any post: up, down or across. The "
            "sender's draft notes become final."
        ),
        request=SendInputSerializer,
        responses={201: MovementSerializer, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, file_id: int) -> Response:
        data = SendInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        movement = services.file_send(
            actor=actor_of(request),
            file_id=file_id,
            to_post_id=values["to_post"],
            remarks=values["remarks"],
            priority=values["priority"],
            due_on=values["due_on"],
        )
        return Response(MovementSerializer(movement).data, status=status.HTTP_201_CREATED)


class FileReturnApi(APIView):
    @extend_schema(
        operation_id="files_return",
        tags=["movement"],
        summary="Return a file",
        description="Send the file back to the post it came from.",
        request=ReturnInputSerializer,
        responses={201: MovementSerializer, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request, file_id: int) -> Response:
        data = ReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        movement = services.file_return(
            actor=actor_of(request), file_id=file_id, remarks=data.validated_data["remarks"]
        )
        return Response(MovementSerializer(movement).data, status=status.HTTP_201_CREATED)


class FilePullBackApi(APIView):
    @extend_schema(
        operation_id="files_pull_back",
        tags=["movement"],
        summary="Pull a file back",
        description=(
            "Take back a file your post sent, while the receiving post has not opened it. "
            "Answers with the send that was undone."
        ),
        request=None,
        responses={200: MovementSerializer, **error_responses(404, 409)},
    )
    def post(self, request: Request, file_id: int) -> Response:
        movement = services.file_pull_back(actor=actor_of(request), file_id=file_id)
        return Response(MovementSerializer(movement).data)


# --- Where a file has been and where it is --------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    movement: Movement
    held: bool
    since: dt.datetime | None
    until: dt.datetime | None
    duration_seconds: int | None


class TimelineEntrySerializer(serializers.Serializer[Any]):
    """One stop on the journey (a ``TimelineEntry``)."""

    movement = MovementSerializer()
    held = serializers.BooleanField(
        help_text="False for a send that was pulled back: the receiver never held the file."
    )
    since = serializers.DateTimeField(allow_null=True, help_text="When the post received it.")
    until = serializers.DateTimeField(
        allow_null=True, help_text="When it left; null while the post still holds it."
    )
    duration_seconds = serializers.IntegerField(
        allow_null=True, help_text="How long the post held (or has held) it."
    )


def _entry(item: CustodySpell | Movement) -> TimelineEntry:
    if isinstance(item, CustodySpell):
        return TimelineEntry(
            movement=item.movement,
            held=True,
            since=item.since,
            until=item.until,
            duration_seconds=int(item.duration.total_seconds()),
        )
    return TimelineEntry(movement=item, held=False, since=None, until=None, duration_seconds=None)


class FileMovementsApi(APIView):
    @extend_schema(
        operation_id="files_movements",
        tags=["movement"],
        summary="The journey of a file",
        description="Every hop in order, with how long each post held the file.",
        responses={200: TimelineEntrySerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request, file_id: int) -> Response:
        file = file_for_actor(actor_of(request), file_id)
        entries = [_entry(item) for item in timeline(file)]
        return Response(TimelineEntrySerializer(entries, many=True).data)


class TrackQuerySerializer(serializers.Serializer[Any]):
    number = serializers.CharField(max_length=120, help_text="The file number, e.g. 1-7/2026-D-I.")


class TrackSerializer(serializers.Serializer[Any]):
    file = FileSummarySerializer()
    holder = PostSerializer(help_text="The post that has the file now.")
    holders = PersonBriefSerializer(many=True, help_text="The people holding that post today.")
    since = serializers.DateTimeField(help_text="When the file reached that post.")
    opened_at = serializers.DateTimeField(
        allow_null=True, help_text="When that post opened it; null while unopened."
    )


class FileTrackApi(APIView):
    @extend_schema(
        operation_id="files_track",
        tags=["movement"],
        summary="Where is a file now",
        parameters=[TrackQuerySerializer],
        responses={200: TrackSerializer, **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        query = TrackQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        file = file_by_number_for_actor(actor_of(request), query.validated_data["number"])
        holder = posts_by_id([file.holder_id])[file.holder_id]
        current = file.current_movement
        found = {
            "file": file,
            "holder": holder,
            "holders": holders_of(holder),
            "since": current.sent_at if current else file.created_at,
            "opened_at": current.read_at if current else file.created_at,
        }
        return Response(TrackSerializer(found).data)


# --- A post's inbox and the send-to picker -------------------------------------------------


class InboxMovementSerializer(serializers.ModelSerializer[Movement]):
    from_post = PostBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Movement
        fields = (
            "id",
            "action",
            "from_post",
            "sent_at",
            "read_at",
            "priority",
            "due_on",
            "remarks",
        )


class InboxItemSerializer(serializers.ModelSerializer[File]):
    movement = InboxMovementSerializer(
        source="current_movement", read_only=True, help_text="The send that brought it here."
    )
    unread = serializers.BooleanField(
        source="inbox_unread", read_only=True, help_text="Not yet opened by the receiving post."
    )
    overdue = serializers.SerializerMethodField()

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
            "unread",
            "overdue",
            "movement",
        )

    def get_overdue(self, file: File) -> bool:
        return file.inbox_due_on is not None and file.inbox_due_on < self.context["today"]


class InboxCountsSerializer(serializers.Serializer[Any]):
    open = serializers.IntegerField()
    unread = serializers.IntegerField()
    parked = serializers.IntegerField()
    overdue = serializers.IntegerField()


class InboxPageSerializer(serializers.Serializer[Any]):
    post = PostSerializer()
    counts = InboxCountsSerializer()
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = InboxItemSerializer(many=True)


class InboxQuerySerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=FileStatus.choices, default=FileStatus.OPEN)


class InboxPagination(PageNumberPagination):
    page_size = INBOX_PAGE_SIZE


class PostInboxApi(APIView):
    @extend_schema(
        operation_id="posts_inbox",
        tags=["posts"],
        summary="A post's inbox",
        description=(
            "The files with one of your posts: unread first, then by priority, due date and "
            "longest waiting; with the tab counts."
        ),
        parameters=[InboxQuerySerializer],
        responses={200: InboxPageSerializer, **error_responses(400, 404)},
    )
    def get(self, request: Request, post_id: int) -> Response:
        actor = actor_of(request)
        query = InboxQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        held = post_ids_held(actor)
        if post_id not in held:
            raise NotFound(_("You do not hold that post."))
        files = inbox(post_id, status=query.validated_data["status"]).filter(
            pk__in=files_visible(actor, post_ids=held).values("pk")
        )
        paginator = InboxPagination()
        page = paginator.paginate_queryset(files, request, view=self) or []
        counts = inbox_counts([post_id])[post_id]
        body = {
            "post": posts_by_id([post_id])[post_id],
            "counts": counts,
            "count": paginator.page.paginator.count if paginator.page else 0,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": page,
        }
        context = {"today": clock.now().date()}
        return Response(InboxPageSerializer(body, context=context).data)


class PostSearchQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(
        max_length=200,
        required=False,
        default="",
        allow_blank=True,
        help_text="Words of the designation, code, unit or the holder's name.",
    )
    classification = serializers.ChoiceField(
        choices=Classification.choices,
        required=False,
        default=Classification.UNCLASSIFIED,
        help_text="The grade of the paper to send: only posts cleared for it are listed.",
    )


class PostSearchApi(APIView):
    @extend_schema(
        operation_id="posts_search",
        tags=["posts"],
        summary="Find a post to send to",
        parameters=[PostSearchQuerySerializer],
        responses={200: PostSerializer(many=True), **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        query = PostSearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        posts = post_search(data["q"], grade=data["classification"])
        return Response(PostSerializer(posts, many=True).data)
