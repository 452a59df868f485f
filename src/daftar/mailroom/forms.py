"""Typed input for the clerk's e-mail draft screens. Forms only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from daftar.files.forms import MAX_ID, BootstrapForm
from daftar.receipts.forms import LetterForm, _date


class MailCompleteForm(LetterForm):
    """What the clerk confirms or adds to turn an e-mail draft into a receipt."""

    field_order = (
        "sender",
        "new_organisation",
        "new_name",
        "new_designation",
        "new_email",
        "new_address",
        "subject",
        "received_on",
        "letter_number",
        "letter_date",
        "language",
        "priority",
        "classification",
        "enclosures",
        "remarks",
        "to_post",
        "send_remarks",
        "due_on",
    )
    received_on = _date(
        _("Received on"), required=True, message=_("Enter the date the e-mail was received.")
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        self.check_sender(data)
        if data.get("letter_date") and data["letter_date"] > data["received_on"]:
            raise forms.ValidationError(_("The letter is dated after it was received."))
        self.check_sending(data)
        return data


class MailDiscardForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Why is it discarded?"),
        max_length=2000,
        help_text=_("E.g. spam, a duplicate, not for this office. The message is kept."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the e-mail is discarded.")},
    )
