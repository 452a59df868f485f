"""Typed input for the file screens. Forms only parse; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from daftar.files.models import Classification, NoteKind, Priority
from daftar.org.models import Post

MAX_ID = 2**63 - 1  # larger ids cannot exist; refuse them as input rather than reach the database


class BootstrapForm(forms.Form):
    """Adds Bootstrap's classes to every widget, and ``is-invalid`` to fields with errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class FileOpenForm(BootstrapForm):
    post = forms.TypedChoiceField(
        label=_("Open at post"),
        coerce=int,
        error_messages={"invalid_choice": _("Choose one of the posts you hold.")},
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=500,
        error_messages={"required": _("A file needs a subject.")},
        widget=forms.TextInput(attrs={"autofocus": True}),
    )
    classification = forms.TypedChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        coerce=int,
        initial=Classification.UNCLASSIFIED,
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.ROUTINE
    )
    head = forms.CharField(
        label=_("File head"),
        max_length=20,
        required=False,
        help_text=_("Leave empty to use your unit's default head."),
    )
    is_physical = forms.BooleanField(
        label=_("This is a paper file (register it for tracking only)"), required=False
    )

    def __init__(self, *args: Any, posts: list[Post], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["post"])
        field.choices = [(p.pk, f"{p.designation} — {p.unit.name}") for p in posts]
        if len(posts) == 1:
            field.initial = posts[0].pk
            field.widget = forms.HiddenInput()


class NoteForm(BootstrapForm):
    body = forms.CharField(
        label=_("Your note"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Leave a blank line between paragraphs; each paragraph is numbered."),
    )
    kind = forms.ChoiceField(choices=NoteKind.choices, initial=NoteKind.TEXT)


class NoteEditForm(BootstrapForm):
    body = forms.CharField(
        label=_("Note"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("The note is empty. Write something, or delete it.")},
    )


class TrackForm(forms.Form):
    number = forms.CharField(label=_("File number"), max_length=120, required=False)


class CopyToFileForm(forms.Form):
    file = forms.IntegerField(min_value=1, max_value=MAX_ID)


class ShareForm(BootstrapForm):
    """Share the file read-only with a post (chosen in the picker), until a date, and why."""

    to_post = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    until = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=500)


class GradeForm(BootstrapForm):
    """A new security grade for the file; a reason is needed to lower it."""

    classification = forms.TypedChoiceField(
        label=_("Grade"), choices=Classification.choices, coerce=int
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
