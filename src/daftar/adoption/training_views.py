"""The training screens under /programme/training/: the sessions list with trained vs active
people, a session's page, recording a session, and the CSV upload with its template.

Thin: parse, call one service or selector, render. A person without the training permission,
or with no organisation to see, gets 404 (the selectors), as does a session of another
organisation.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from daftar.adoption import training_selectors as selectors
from daftar.adoption.models import TrainingSession
from daftar.adoption.training import (
    ImportRejected,
    people_by_email,
    training_attendees_add,
    training_file_import,
    training_session_record,
)
from daftar.adoption.training_csv import TEMPLATE
from daftar.files.views_shared import actor_of
from daftar.lib.csvsheet import Problem
from daftar.lib.errors import DaftarError, NotFound
from daftar.movement.forms import MAX_ID
from daftar.org.models import OrgUnit, User

PAGE_SIZE = 25
MAX_UPLOAD = 2 * 1024 * 1024  # a CSV of some 20,000 attendees


def _styled(form: forms.Form) -> None:
    """Bootstrap's classes on every widget (the project renders fields by hand)."""
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class AttendeesField(forms.CharField):
    """Official e-mails, one per line, each checked on its own line."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Attendees: official e-mails, one per line"))
        kwargs.setdefault(
            "widget", forms.Textarea(attrs={"rows": 8, "dir": "ltr", "spellcheck": "false"})
        )
        super().__init__(max_length=100_000, **kwargs)

    def clean(self, value: Any) -> list[User]:
        text = str(super().clean(value))
        lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)]
        lines = [(n, line) for n, line in lines if line]
        people = people_by_email(line for _n, line in lines)
        errors = [
            forms.ValidationError(
                _("line %(line)s: no active person with the official e-mail %(email)s.")
                % {"line": n, "email": line}
            )
            for n, line in lines
            if line.lower() not in people
        ]
        if errors:
            raise forms.ValidationError(errors)
        return [people[line.lower()] for _n, line in lines]


class SessionForm(forms.Form):
    organisation = forms.TypedChoiceField(label=gettext_lazy("Organisation"), coerce=int)
    held_on = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=200)
    trainer = forms.CharField(label=gettext_lazy("Trainer"), max_length=200)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    attendees = AttendeesField()

    def __init__(self, *args: Any, organisations: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {u.pk: u for u in organisations}
        field = self.fields["organisation"]
        field.choices = [  # type: ignore[attr-defined]
            (u.pk, f"{u.name} ({u.code})") for u in organisations
        ]
        _styled(self)


class AddForm(forms.Form):
    attendees = AttendeesField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class UploadForm(forms.Form):
    csv_file = forms.FileField(label=gettext_lazy("CSV file (UTF-8)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


def _scope(actor: User) -> selectors.Scope:
    try:
        return selectors.training_scope(actor)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _session(actor: User, pk: int) -> TrainingSession:
    try:
        return selectors.session_in(_scope(actor), min(pk, MAX_ID + 1))
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_GET
def training_list(request: HttpRequest) -> HttpResponse:
    visible = _scope(actor_of(request))
    sessions = selectors.sessions_in(visible)
    trained = selectors.trained_vs_active(visible)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "adoption/training_list.html", {"page": page, "trained": trained})


@login_required
@require_http_methods(["GET", "POST"])
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    session = _session(actor, pk)
    form = AddForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                added = training_attendees_add(
                    actor=actor, session_id=session.pk, attendees=form.cleaned_data["attendees"]
                )
            except DaftarError as exc:
                messages.error(request, exc.message)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("%(count)s person(s) added; the others were already on the session.")
                    % {"count": len(added)},
                )
                return redirect("training-detail", pk=session.pk)
        else:
            status = 400
    context = {"session": session, "attendees": selectors.attendees_of(session), "form": form}
    return render(request, "adoption/training_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = SessionForm(
        request.POST or None, organisations=selectors.organisations_in(_scope(actor))
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = training_session_record(
                    actor=actor,
                    organisation=form.organisations[data["organisation"]],
                    held_on=data["held_on"],
                    topic=data["topic"],
                    trainer=data["trainer"],
                    place=data["place"],
                    attendees=data["attendees"],
                )
            except DaftarError as exc:
                messages.error(request, exc.message)
                status = exc.status if exc.status != 404 else 400
            else:
                messages.success(request, _("The training session is recorded."))
                return redirect("training-detail", pk=session.pk)
        else:
            status = 400
    return render(request, "adoption/training_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def training_upload(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    _scope(actor)  # the gate
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["csv_file"]
            if upload.size > MAX_UPLOAD:
                messages.error(request, _("The file is larger than 2 MB; split it."))
            else:
                try:
                    result = training_file_import(actor=actor, data=upload.read())
                except ImportRejected as exc:
                    messages.error(request, exc.message)
                    problems = exc.problems
                except DaftarError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, result.summary())
                    return redirect("training-list")
    context = {"form": form, "problems": problems}
    return render(request, "adoption/training_upload.html", context, status=status)


@login_required
@require_GET
def training_template(request: HttpRequest) -> HttpResponse:
    _scope(actor_of(request))  # the gate
    response = HttpResponse("\ufeff" + TEMPLATE, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="training-template.csv"'
    return response
