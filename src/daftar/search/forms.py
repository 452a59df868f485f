"""The search box and the advanced search, as one typed form producing a ``SearchQuery``.

The screens and the API read the same parameters (``q``, ``number``, ``sender``, ``unit``,
``date_from``, ``date_to``, ``classification``, ``status``, ``holder``, ``kind``, ``page``) and
turn them into a query with ``query_from``; bad input is an error on the form (400 in the API),
never a 500 and never a search of something else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from daftar.files.forms import MAX_ID, BootstrapForm
from daftar.files.models import Classification, FileStatus
from daftar.org.models import ORGANISATION_KINDS, OrgUnit, Post, User
from daftar.org.selectors import post_ids_held
from daftar.search.models import EntryKind
from daftar.search.types import SearchQuery

MAX_PAGE = 50  # 50 pages of 20 groups cover the pool of 1,000 matches
STATUS_CHOICES = [("", _("Any status")), *FileStatus.choices]
# The fields behind the "Advanced search" disclosure: any of them set opens it. The document
# types are there too, but a facet link sets them: that alone leaves the disclosure closed.
ADVANCED = (
    "number",
    "sender",
    "unit",
    "date_from",
    "date_to",
    "classification",
    "status",
    "holder",
)


@dataclass(frozen=True)
class UnitChoice:
    id: int
    label: str  # indented by depth under its organisation


def unit_choices(actor: User) -> list[UnitChoice]:
    """The units of the organisations the actor works in (the division of each post they
    hold, and everything under it), in chart order: what they can reasonably narrow to.

    Two queries (the posts held, every unit): a government's chart is a few thousand rows
    at most, and walking it in Python keeps the order and the indentation simple."""
    held = post_ids_held(actor)
    units = {u.pk: u for u in OrgUnit.objects.only("id", "name", "code", "kind", "parent_id")}
    own = Post.objects.filter(pk__in=held).values_list("unit_id", flat=True)
    roots: dict[int, None] = {}
    for unit_id in own:
        root = units.get(unit_id)
        while root is not None and root.kind not in ORGANISATION_KINDS and root.parent_id:
            root = units.get(root.parent_id)
        if root is not None:
            roots[root.pk] = None
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in sorted(units.values(), key=lambda u: u.name):
        children.setdefault(unit.parent_id, []).append(unit)
    found: list[UnitChoice] = []

    def walk(unit: OrgUnit, depth: int) -> None:
        found.append(UnitChoice(unit.pk, "\u2003" * depth + unit.name))
        for child in children.get(unit.pk, []):
            walk(child, depth + 1)

    for root_id in roots:
        walk(units[root_id], 0)
    return found


def grade_choices(actor: User) -> list[tuple[str, str]]:
    """The grades up to the actor's clearance: a higher one could only ever find nothing."""
    return [("", str(_("Any classification")))] + [
        (str(value), str(label))
        for value, label in Classification.choices
        if value <= actor.clearance
    ]


class SearchForm(BootstrapForm):
    q = forms.CharField(
        label=_("Search"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    number = forms.CharField(
        label=_("File or diary number"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 5-12/2025-Admin")}),
    )
    sender = forms.CharField(
        label=_("Sender"),
        max_length=200,
        required=False,
        help_text=_("A name or an organisation."),
    )
    unit = forms.TypedChoiceField(
        label=_("Unit"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the units in the list.")},
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    classification = forms.TypedChoiceField(
        label=_("Classification"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a classification from the list.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=STATUS_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Choose open, parked or closed.")},
    )
    holder = forms.IntegerField(
        label=_("With post"),
        min_value=1,
        max_value=MAX_ID,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Choose the post from the list.")},
    )
    kind = forms.MultipleChoiceField(
        label=_("Document type"),
        choices=EntryKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose document types from the list.")},
    )
    page = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE,
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "min_value": _("There is no such page of results."),
            "max_value": _("There is no such page of results."),
            "invalid": _("There is no such page of results."),
        },
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.holder_post: Post | None = None
        unit = cast(forms.TypedChoiceField, self.fields["unit"])
        unit.choices = [("", _("Any unit"))] + [(u.id, u.label) for u in unit_choices(actor)]
        grade = cast(forms.TypedChoiceField, self.fields["classification"])
        grade.choices = grade_choices(actor)
        # Check boxes are not form controls: undo what BootstrapForm gave them.
        self.fields["kind"].widget.attrs["class"] = "form-check-input"

    def clean_holder(self) -> int | None:
        holder: int | None = self.cleaned_data["holder"]
        if holder is not None:
            self.holder_post = Post.objects.select_related("unit").filter(pk=holder).first()
            if self.holder_post is None:
                raise forms.ValidationError(_("No such post: choose it from the list."))
        return holder

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def is_advanced(self) -> bool:
        """Whether an advanced field was filled in (the disclosure then opens)."""
        return any(self.data.get(name) for name in ADVANCED)

    def query(self) -> SearchQuery:
        return query_from(self.cleaned_data)


def query_from(data: Mapping[str, Any]) -> SearchQuery:
    """A ``SearchQuery`` from validated parameters (this form's, or the API's)."""
    return SearchQuery(
        text=(data.get("q") or "").strip(),
        number=(data.get("number") or "").strip(),
        sender=(data.get("sender") or "").strip(),
        unit_id=data.get("unit"),
        date_from=_date(data.get("date_from")),
        date_to=_date(data.get("date_to")),
        classification=data.get("classification"),
        status=data.get("status") or "",
        holder_post_id=data.get("holder"),
        kinds=tuple(data.get("kind") or ()),
    )


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None
