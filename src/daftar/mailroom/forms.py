"""Typed input for the clerk's e-mail draft screens. Forms only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from daftar.files.forms import MAX_ID, BootstrapForm
from daftar.files.models import Classification, Priority
from daftar.receipts.models import Language
from daftar.receipts.services import MAX_SUBJECT

DATE_WIDGET = {"type": "date"}


def _date(label: Any, *, required: bool = False, message: Any = "") -> forms.DateField:
    errors = {"invalid": _("Enter the date as YYYY-MM-DD.")}
    if message:
        errors["required"] = message
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        error_messages=errors,
    )


class MailCompleteForm(BootstrapForm):
    """What the clerk confirms or adds to turn an e-mail draft into a receipt."""

    sender = forms.IntegerField(
        label=_("Sender"),
        required=False,
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "invalid": _("Choose the sender from the list, or add a new one."),
            "min_value": _("Choose the sender from the list, or add a new one."),
            "max_value": _("Choose the sender from the list, or add a new one."),
        },
        widget=forms.HiddenInput(),
    )
    new_organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    new_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    new_designation = forms.CharField(label=_("Designation"), max_length=200, required=False)
    new_email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("For e-mailing the acknowledgement."),
        error_messages={"invalid": _("Enter a valid e-mail address for the sender.")},
    )
    new_address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=MAX_SUBJECT,
        error_messages={"required": _("A receipt needs a subject.")},
    )
    received_on = _date(
        _("Received on"), required=True, message=_("Enter the date the e-mail was received.")
    )
    letter_number = forms.CharField(label=_("Letter no."), max_length=120, required=False)
    letter_date = _date(_("Letter date"))
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, initial=Language.ENGLISH
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.ROUTINE
    )
    classification = forms.TypedChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        coerce=int,
        initial=Classification.UNCLASSIFIED,
    )
    enclosures = forms.CharField(
        label=_("Enclosures"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    remarks = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    to_post = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "invalid": _("Choose the post to send the receipt to."),
            "min_value": _("Choose the post to send the receipt to."),
            "max_value": _("Choose the post to send the receipt to."),
        },
    )
    send_remarks = forms.CharField(
        label=_("Remarks for the receiver"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_on = _date(_("Reply by"))

    @property
    def new_sender(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "organisation": data.get("new_organisation", ""),
            "name": data.get("new_name", ""),
            "designation": data.get("new_designation", ""),
            "email": data.get("new_email", ""),
            "address": data.get("new_address", ""),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        adding = bool(data.get("new_organisation") or data.get("new_name"))
        described = adding or any(
            data.get(k) for k in ("new_designation", "new_email", "new_address")
        )
        if data.get("sender") and described:
            raise forms.ValidationError(
                _("Choose a sender from the list or add a new one, not both.")
            )
        if not data.get("sender") and not adding:
            raise forms.ValidationError(
                _("Choose the sender from the list, or add a new one with an organisation or name.")
            )
        if data.get("letter_date") and data["letter_date"] > data["received_on"]:
            raise forms.ValidationError(_("The letter is dated after it was received."))
        if data.get("due_on") and not data.get("to_post"):
            raise forms.ValidationError(
                _("A reply date goes with sending: choose where to send the receipt.")
            )
        return data


class MailDiscardForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Why is it discarded?"),
        max_length=2000,
        help_text=_("E.g. spam, a duplicate, not for this office. The message is kept."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the e-mail is discarded.")},
    )
