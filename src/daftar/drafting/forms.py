"""Typed input of the draft screens. The services check the content; these forms only parse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from daftar.drafting.content import MAX_ADDRESSEES, AddresseeInput
from daftar.drafting.models import AddresseeKind, AddresseeRole, DraftKind, DraftLanguage
from daftar.files.models import Classification
from daftar.lib.errors import InvalidInput

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_ID = 2**31 - 1


def _lines_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.CharField:
    """An optional short text of one item a line (references, enclosures)."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=help_text,
    )


class DraftForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=500)
    body = forms.CharField(
        label=_("Text"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 12, "class": "form-control rte-source"}),
        help_text=_("Bold, italic, underline, lists and tables are kept; other formatting is not."),
    )
    references = _lines_field(
        _("References"), _("One per line: the letters this one replies to or refers to.")
    )
    enclosures = _lines_field(_("Enclosures"), _("One per line, as listed under the letter."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["subject"].widget.attrs.update({"class": "form-control", "dir": "auto"})


class DraftNewForm(DraftForm):
    kind = forms.ChoiceField(label=_("Type"), choices=DraftKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=DraftLanguage.choices)
    classification = forms.TypedChoiceField(
        label=_("Classification"), choices=Classification.choices, coerce=int
    )
    field_order = ("kind", "language", "classification", "subject", "body")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in ("kind", "language", "classification"):
            self.fields[name].widget.attrs["class"] = "form-select"


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=500)


class CompareForm(forms.Form):
    a = forms.IntegerField(min_value=1, max_value=MAX_ID)
    b = forms.IntegerField(min_value=1, max_value=MAX_ID)


class ApproveForm(forms.Form):
    version = forms.IntegerField(min_value=1, max_value=MAX_ID)


@dataclass(frozen=True)
class AddresseeRow:
    """One row of the addressee editor as typed (to show it again after an error)."""

    kind: str
    role: str
    organisation: str
    post: str
    name: str
    address: str
    email: str


def _id(value: str, n: int) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not 0 < int(value) <= MAX_ID:
        raise InvalidInput(_("Addressee %(n)s: choose from the list.") % {"n": n})
    return int(value)


def addressee_rows(data: QueryDict) -> list[AddresseeRow]:
    """The rows as posted (parallel lists, one entry per row), blank rows dropped."""
    names = ("kind", "role", "organisation", "post", "name", "address", "email")
    columns = {name: data.getlist(f"addr_{name}")[: MAX_ADDRESSEES + 1] for name in names}
    count = max((len(values) for values in columns.values()), default=0)
    rows = []
    for i in range(count):
        cells = {n: (columns[n][i] if i < len(columns[n]) else "") for n in names}
        if any(cells[n].strip() for n in ("organisation", "name", "address", "email")):
            rows.append(AddresseeRow(**cells))
    return rows


def addressee_inputs(rows: list[AddresseeRow]) -> list[AddresseeInput]:
    found = []
    for n, row in enumerate(rows, start=1):
        kind = row.kind if row.kind in AddresseeKind.values else AddresseeKind.EXTERNAL
        role = row.role if row.role in AddresseeRole.values else AddresseeRole.TO
        if kind == AddresseeKind.INTERNAL:
            found.append(
                AddresseeInput(
                    kind=kind,
                    role=role,
                    organisation_id=_id(row.organisation, n),
                    post_id=_id(row.post, n),
                )
            )
        else:
            found.append(
                AddresseeInput(
                    kind=kind, role=role, name=row.name, address=row.address, email=row.email
                )
            )
    return found


class TemplateForm(forms.Form):
    letterhead = forms.CharField(
        label=_("Letterhead"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control", "dir": "auto"}),
        help_text=_("One line each: government, organisation, address."),
    )
    heading = forms.CharField(label=_("Heading"), max_length=200, required=False)
    salutation = forms.CharField(label=_("Salutation"), max_length=200, required=False)
    closing = forms.CharField(label=_("Closing"), max_length=200, required=False)
    footer = forms.CharField(label=_("Footer"), max_length=300, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("heading", "salutation", "closing", "footer"):
            self.fields[name].widget.attrs.update({"class": "form-control", "dir": "auto"})
