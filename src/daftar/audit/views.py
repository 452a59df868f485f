"""The auditor's screens: browse the trail by file, person, period and action, and export
what the filter shows as CSV. Only for ``audit.view_trail`` (others get 403)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from itertools import islice

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from daftar.audit.forms import TrailForm
from daftar.audit.models import AuditEvent
from daftar.audit.selectors import TrailFilter, trail, withheld
from daftar.audit.services import trail_export_record
from daftar.lib.safe_output import cell_safe
from daftar.org.models import User

PAGE_SIZE = 50
EXPORT_CHUNK = 2000
WITHHELD = "(withheld: above your clearance)"
CSV_HEADER = [
    "seq",
    "at_utc",
    "actor",
    "post",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "hash",
]


@require_GET
@login_required
@permission_required("audit.view_trail", raise_exception=True)
def trail_list(request: HttpRequest) -> HttpResponse:
    form = TrailForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/trail.html", {"form": form}, status=400)
    where = form.trail_filter() if form.is_bound else TrailFilter()
    page = Paginator(trail(where), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    hidden = withheld(page.object_list, _auditor(request))
    context = {"form": form, "page": page, "query": query.urlencode(), "withheld": hidden}
    return render(request, "audit/trail.html", context)


def _auditor(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


@require_GET
@login_required
@permission_required("audit.view_trail", raise_exception=True)
def trail_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form = TrailForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/trail.html", {"form": form}, status=400)
    where = form.trail_filter()
    actor = _auditor(request)
    trail_export_record(actor=actor, filters=where.describe())
    response = StreamingHttpResponse(_csv_lines(trail(where), actor), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(events: QuerySet[AuditEvent], viewer: User) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    rows = events.iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(rows, EXPORT_CHUNK)):
        hidden = withheld(chunk, viewer)
        for event in chunk:
            yield writer.writerow([cell_safe(value) for value in _row(event, event.pk in hidden)])


def _row(event: AuditEvent, contents_withheld: bool) -> list[str]:
    if contents_withheld:  # above the auditor's clearance: who, what, when only
        return [*_head(event), WITHHELD, WITHHELD, event.hash]
    return [*_head(event), _json(event.before), _json(event.after), event.hash]


def _head(event: AuditEvent) -> list[str]:
    return [
        str(event.seq),
        event.at.isoformat(),
        event.actor.email if event.actor else "",
        str(event.post) if event.post else "",
        event.action,
        event.object_type,
        event.object_id,
    ]


def _json(value: object) -> str:
    if value is None:
        return ""
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
