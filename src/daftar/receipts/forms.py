"""Typed input for the receipt screens. Forms only parse; the receipt services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from daftar.files.forms import BootstrapForm
from daftar.files.models import Classification, Priority
from daftar.movement.forms import BOXES, MAX_ID, HomeForm
from daftar.org.models import Post
from daftar.receipts.models import Language, Mode

MAX_UPLOADS = 20
ACCEPT = (
    ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.doc,.docx,.xls,.xlsx,.ppt,.pptx,"
    "application/pdf,image/jpeg,image/png,image/tiff"
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none were chosen)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        items = data if isinstance(data, list | tuple) else [data] if data else []
        return [
            cast("UploadedFile[Any]", super(MultipleFileField, self).clean(d, initial))
            for d in items
        ]


def _id_field(label: Any, message: Any, *, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        widget=forms.HiddenInput(),
    )


def _date(label: Any, *, required: bool = False, message: Any = "") -> forms.DateField:
    errors = {"invalid": _("Enter the date as YYYY-MM-DD.")}
    if message:
        errors["required"] = message
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=errors,
    )


class LetterForm(BootstrapForm):
    """What every receipt entry asks about the letter, its sender and where it goes next: the
    diarise screen and the completion of an e-mail draft. Subclasses add how it arrived
    (``received_on``, ``to_post``, …) and their own ``field_order``."""

    sender = _id_field(_("Sender"), _("Choose the sender from the list, or add a new one."))
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
    letter_number = forms.CharField(label=_("Letter no."), max_length=120, required=False)
    letter_date = _date(_("Letter date"))
    subject = forms.CharField(
        label=_("Subject"),
        max_length=500,
        error_messages={"required": _("A receipt needs a subject.")},
    )
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

    def check_sender(self, data: dict[str, Any]) -> None:
        """A sender chosen from the directory or a new one described: one of the two."""
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

    def check_sending(self, data: dict[str, Any]) -> None:
        if data.get("due_on") and not data.get("to_post"):
            raise forms.ValidationError(
                _("A reply date goes with sending: choose where to send the receipt.")
            )


class DiariseForm(LetterForm):
    """Everything the registry clerk enters for one receipt, its uploads and where it goes."""

    field_order = (
        "post",
        "sender",
        "new_organisation",
        "new_name",
        "new_designation",
        "new_email",
        "new_address",
        "received_on",
        "mode",
        "letter_number",
        "letter_date",
        "subject",
        "language",
        "priority",
        "classification",
        "enclosures",
        "remarks",
        "is_physical",
        "documents",
        "to_post",
        "send_remarks",
        "due_on",
    )
    post = forms.TypedChoiceField(
        label=_("Diarise at"),
        coerce=int,
        error_messages={"invalid_choice": _("Choose one of the posts you hold.")},
    )
    received_on = _date(
        _("Received on"), required=True, message=_("Enter the date the letter was received.")
    )
    mode = forms.ChoiceField(label=_("Received by"), choices=Mode.choices, initial=Mode.POST)
    is_physical = forms.BooleanField(
        label=_("Paper only: no scan (track it by its diary number)"), required=False
    )
    documents = MultipleFileField(
        label=_("Scanned letter or e-mailed documents"),
        required=False,
        help_text=_("PDF, JPEG, PNG or TIFF scans, or Word, Excel and PowerPoint files."),
    )
    to_post = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def __init__(self, *args: Any, posts: list[Post], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["post"])
        field.choices = [(p.pk, f"{p.designation} — {p.unit.name}") for p in posts]
        self.only_post = posts[0].pk if len(posts) == 1 else None
        if self.only_post is not None:
            field.initial = self.only_post
            field.required = False
            field.widget = forms.HiddenInput()

    def clean_post(self) -> int:
        chosen = self.cleaned_data.get("post")
        if chosen in (None, "") and self.only_post is not None:
            return self.only_post
        if chosen in (None, ""):
            raise forms.ValidationError(_("Choose the post whose diary to enter it in."))
        return int(chosen)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        self.check_sender(data)
        uploads: list[UploadedFile[Any]] = data.get("documents") or []
        if data.get("is_physical") and uploads:
            raise forms.ValidationError(
                _("A paper-only receipt has no scan: untick “Paper only”, or remove the files.")
            )
        if not data.get("is_physical") and not uploads:
            raise forms.ValidationError(
                _("Attach the scanned letter, or tick “Paper only” to track the paper by number.")
            )
        if len(uploads) > MAX_UPLOADS:
            raise forms.ValidationError(
                _("Attach at most %(n)d files to one receipt.") % {"n": MAX_UPLOADS}
            )
        self.check_sending(data)
        return data


class ReceiptSendForm(BootstrapForm):
    to_post = _id_field(_("Send to"), _("Choose the post to send the receipt to."), required=True)
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_on = forms.DateField(
        label=_("Reply by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD.")},
    )


class RemarksForm(BootstrapForm):
    remarks = forms.CharField(label=_("Remarks"), required=False, max_length=2000)


class OpenFileForm(BootstrapForm):
    subject = forms.CharField(
        label=_("Subject of the new file"),
        max_length=500,
        required=False,
        help_text=_("Leave empty to use the receipt's subject."),
    )


class PutOnFileForm(BootstrapForm):
    file = _id_field(_("File"), _("Choose the file to put the receipt on."), required=True)


class SearchForm(forms.Form):
    q = forms.CharField(required=False, strip=True)
    exclude = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    to_post = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def clean_q(self) -> str:
        return str(self.cleaned_data.get("q") or "")[:100]


DESK_BOXES = (*BOXES, "receipts", "receipts_sent")


class DeskForm(HomeForm):
    """The desk's boxes: the file boxes of ``HomeForm``, the receipts inbox and the receipts
    the post sent."""

    box = forms.ChoiceField(choices=[(b, b) for b in DESK_BOXES], required=False)
