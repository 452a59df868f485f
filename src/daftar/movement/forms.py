"""Typed input for sending, returning and the post picker."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from daftar.files.forms import MAX_ID as MAX_ID  # re-exported: the id fields of every form
from daftar.files.forms import BootstrapForm
from daftar.files.models import Classification, Priority


class SendForm(BootstrapForm):
    to_post = forms.IntegerField(
        label=_("Send to"),
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "required": _("Choose the post to send the file to."),
            "invalid": _("Choose the post to send the file to."),
            "min_value": _("Choose the post to send the file to."),
            "max_value": _("Choose the post to send the file to."),
        },
        widget=forms.HiddenInput(),
    )
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", _("Unchanged")), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    due_on = forms.DateField(
        label=_("Reply by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD.")},
    )


class ReturnForm(BootstrapForm):
    remarks = forms.CharField(label=_("Remarks"), required=False, max_length=2000)


class PostSearchForm(forms.Form):
    q = forms.CharField(required=False, strip=True)
    exclude = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    to_post = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)  # stays checked
    # The grade of the paper being sent: only posts cleared for it are offered.
    classification = forms.TypedChoiceField(
        required=False,
        choices=Classification.choices,
        coerce=int,
        empty_value=Classification.UNCLASSIFIED,  # type: ignore[arg-type]  # stubs: str only
    )

    def clean_q(self) -> str:
        # A pasted paragraph is not an error: search by its first words.
        return str(self.cleaned_data.get("q") or "")[:100]


BOXES = ("inbox", "parked", "sent")


class HomeForm(forms.Form):
    """Which post's desk to show, and which box of it (garbage falls back to the defaults)."""

    post = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    box = forms.ChoiceField(choices=[(b, b) for b in BOXES], required=False)
