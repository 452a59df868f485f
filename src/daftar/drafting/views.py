"""The draft screens: start a draft on a file, read it (any version), revise it, compare two
versions, approve, cancel, and preview the fair copy as a PDF.

Thin views: parse, call one service or selector, render. A refused action shows the page
again with the reason and the error's status; drafts one may not see answer 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daftar.drafting import services
from daftar.drafting.compare import versions_compare
from daftar.drafting.content import clean_body
from daftar.drafting.forms import (
    AddresseeRow,
    ApproveForm,
    CancelForm,
    CompareForm,
    DraftForm,
    DraftNewForm,
    addressee_inputs,
    addressee_rows,
)
from daftar.drafting.models import Draft, DraftEnclosure, DraftStatus, DraftVersion
from daftar.drafting.render import draft_preview_pdf
from daftar.drafting.selectors import (
    draft_for_actor,
    file_documents,
    organisations,
    posts_in_organisation,
    version_of,
    versions_of,
)
from daftar.files.access_log import opening_record
from daftar.files.models import File, FileStatus
from daftar.files.selectors import file_for_actor
from daftar.files.views_shared import actor_of, first_error
from daftar.lib.errors import DaftarError, InvalidInput, NotFound
from daftar.org.gating import permission_required_page
from daftar.org.models import Post, User
from daftar.org.selectors import post_ids_held


def _draft(actor: User, pk: int) -> Draft:
    try:
        return draft_for_actor(actor, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def holds(actor: User, file: File) -> bool:
    return file.holder_id in post_ids_held(actor)


def _rows_of(version: DraftVersion | None) -> list[AddresseeRow]:
    if version is None:
        return []
    return [
        AddresseeRow(
            kind=a.kind,
            role=a.role,
            organisation=str(a.organisation_id or ""),
            post=str(a.post_id or ""),
            name=a.name,
            address=a.address,
            email=a.email,
        )
        for a in version.addressees.all()
    ]


def _posts_of(row: AddresseeRow) -> list[Post]:
    if not row.organisation.isdigit() or int(row.organisation) >= 2**31:
        return []
    return posts_in_organisation(int(row.organisation))


def _editor(
    request: HttpRequest,
    *,
    file: File,
    form: DraftForm,
    rows: list[AddresseeRow],
    draft: Draft | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = rows or [AddresseeRow("internal", "to", "", "", "", "", "")]
    context = {
        "file": file,
        "draft": draft,
        "form": form,
        # Each row with the posts of its organisation, for the picker without JavaScript.
        "rows": [
            (
                row,
                posts_in_organisation(int(row.organisation)) if row.organisation.isdigit() else [],
            )
            for row in rows
        ],
        "blank": AddresseeRow("internal", "to", "", "", "", "", ""),
        "organisations": list(organisations().only("id", "name")),
        "file_documents": file_documents(file),
        "enclosed": _enclosed_before(request, draft),
    }
    return render(request, "drafting/draft_form.html", context, status=status)


def _failed(request: HttpRequest, exc: DaftarError, **editor: Any) -> HttpResponse:
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    messages.error(request, exc.message)
    form: DraftForm = editor["form"]
    if isinstance(form.data, QueryDict):  # show the text again cleaned, never as typed
        data = form.data.copy()
        data["body"] = clean_body(str(form.data.get("body", "")))
        form.data = data
    return _editor(request, status=exc.status, **editor)


def _enclosed_before(request: HttpRequest, draft: Draft | None) -> set[int]:
    """What the picker shows ticked: as posted (a form shown again), else the current
    version's enclosed documents."""
    if request.method == "POST":
        return {int(v) for v in request.POST.getlist("enclosure_document") if v.isdigit()}
    if draft is None or draft.current_version_id is None:
        return set()
    return set(
        DraftEnclosure.objects.filter(version_id=draft.current_version_id).values_list(
            "document_id", flat=True
        )
    )


def _enclosed(post: QueryDict) -> list[int]:
    """The documents ticked in the enclosure picker."""
    values = post.getlist("enclosure_document")
    if not all(v.isdigit() for v in values):
        raise InvalidInput(_("An enclosed document is not on this file."))
    return [int(v) for v in values]


def _content(form: DraftForm, rows: list[AddresseeRow], post: QueryDict) -> dict[str, Any]:
    """The posted text, addressees and enclosed documents, as the services take them;
    InvalidInput when the form does not parse."""
    if not form.is_valid():
        raise InvalidInput(first_error(form))
    texts = {name: form.cleaned_data[name] for name in DraftForm.base_fields}
    return texts | {"addressees": addressee_inputs(rows), "document_ids": _enclosed(post)}


@login_required
@require_http_methods(["GET", "POST"])
def draft_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft on the file ``pk``."""
    actor = actor_of(request)
    try:
        file = file_for_actor(actor, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if request.method == "GET":
        form = DraftNewForm(initial={"classification": file.classification})
        return _editor(request, file=file, form=form, rows=[])
    form = DraftNewForm(request.POST)
    rows = addressee_rows(request.POST)
    try:
        content = _content(form, rows, request.POST)
        draft = services.draft_create(
            actor=actor,
            file_id=file.pk,
            kind=form.cleaned_data["kind"],
            language=form.cleaned_data["language"],
            classification=form.cleaned_data["classification"],
            **content,
        )
    except DaftarError as exc:
        return _failed(request, exc, file=file, form=form, rows=rows)
    messages.success(request, _("%(label)s started.") % {"label": draft.label})
    return redirect("draft-detail", pk=draft.pk)


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    draft = _draft(actor, pk)
    current = version_of(draft, draft.current_version.number) if draft.current_version else None
    if request.method == "GET":
        initial = {}
        if current is not None:
            initial = {f: getattr(current, f) for f in DraftForm.base_fields}
        form = DraftForm(initial=initial)
        return _editor(request, file=draft.file, form=form, rows=_rows_of(current), draft=draft)
    form = DraftForm(request.POST)
    rows = addressee_rows(request.POST)
    try:
        version = services.draft_edit(
            actor=actor, draft_id=draft.pk, **_content(form, rows, request.POST)
        )
    except DaftarError as exc:
        return _failed(request, exc, file=draft.file, form=form, rows=rows, draft=draft)
    messages.success(
        request,
        _("%(label)s saved as version %(n)s.") % {"label": draft.label, "n": version.number},
    )
    return redirect("draft-detail", pk=draft.pk)


def draft_page(
    request: HttpRequest, draft: Draft, *, number: int | None = None, status: int = 200
) -> HttpResponse:
    actor = actor_of(request)
    current = draft.current_version
    shown = version_of(draft, number or (current.number if current else 1))
    file = draft.file
    opening_record(
        actor=actor, obj=file, grade=draft.classification, holder=file.holder, via="draft"
    )
    holder = holds(actor, file) and file.status != FileStatus.CLOSED and not file.is_physical
    open_draft = draft.status in (DraftStatus.DRAFT, DraftStatus.APPROVED)
    context = {
        "draft": draft,
        "file": file,
        "version": shown,
        "is_current": current is not None and shown.pk == current.pk,
        "versions": versions_of(draft),
        "can_edit": holder and open_draft,
        "can_approve": (
            holder
            and draft.status == DraftStatus.DRAFT
            and actor.has_perm("drafting.approve_draft")
        ),
        "can_cancel": holder and open_draft,
        "cancel_form": CancelForm(),
    }
    return render(request, "drafting/draft_detail.html", context, status=status)


@login_required
@require_GET
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(actor_of(request), pk)
    raw = request.GET.get("version", "")
    number = int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else None
    try:
        return draft_page(request, draft, number=number)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _action_failed(request: HttpRequest, draft: Draft, exc: DaftarError) -> HttpResponse:
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    messages.error(request, exc.message)
    return draft_page(request, _draft(actor_of(request), draft.pk), status=exc.status)


@login_required
@permission_required_page("drafting.approve_draft")
@require_POST
def draft_approve(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    draft = _draft(actor, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _action_failed(request, draft, InvalidInput(_("Choose the version to approve.")))
    try:
        services.draft_approve(
            actor=actor, draft_id=draft.pk, version_number=form.cleaned_data["version"]
        )
    except DaftarError as exc:
        return _action_failed(request, draft, exc)
    messages.success(request, _("%(label)s approved.") % {"label": draft.label})
    return redirect("draft-detail", pk=draft.pk)


@login_required
@require_POST
def draft_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    draft = _draft(actor, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _action_failed(request, draft, InvalidInput(_("Say why the draft is cancelled.")))
    try:
        services.draft_cancel(actor=actor, draft_id=draft.pk, reason=form.cleaned_data["reason"])
    except DaftarError as exc:
        return _action_failed(request, draft, exc)
    messages.success(request, _("%(label)s cancelled.") % {"label": draft.label})
    return redirect("draft-detail", pk=draft.pk)


@login_required
@require_GET
def draft_compare(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(actor_of(request), pk)
    current = draft.current_version.number if draft.current_version else 1
    form = CompareForm(request.GET or {"a": max(current - 1, 1), "b": current})
    if not form.is_valid():
        return _action_failed(request, draft, InvalidInput(_("Choose two versions to compare.")))
    try:
        old = version_of(draft, form.cleaned_data["a"])
        new = version_of(draft, form.cleaned_data["b"])
    except NotFound as exc:
        return _action_failed(request, draft, InvalidInput(exc.message))
    context = {
        "draft": draft,
        "file": draft.file,
        "old": old,
        "new": new,
        "diffs": versions_compare(old, new),
        "versions": versions_of(draft),
    }
    return render(request, "drafting/draft_compare.html", context)


@login_required
@require_GET
def draft_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The current version laid out as the fair copy, marked DRAFT."""
    draft = _draft(actor_of(request), pk)
    if draft.current_version is None:
        raise Http404(_("No such draft, or it is not open to you."))
    version = version_of(draft, draft.current_version.number)
    response = HttpResponse(draft_preview_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{draft.label}-v{version.number}.pdf"'
    return response


@login_required
@require_GET
def organisation_posts(request: HttpRequest) -> HttpResponse:
    """The posts of one organisation, as <option>s for the addressee picker (htmx)."""
    raw = request.GET.get("addr_organisation", "")
    posts = posts_in_organisation(int(raw)) if raw.isdigit() and int(raw) < 2**31 else []
    return render(request, "drafting/_post_options.html", {"posts": posts, "selected": ""})
