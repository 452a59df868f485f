from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from daftar.files.forms import BootstrapForm
from daftar.releases.models import ReleasePurpose
from daftar.releases.services import MAX_REASON


class ReleaseForm(BootstrapForm):
    purpose = forms.ChoiceField(label=_("Release for"), choices=ReleasePurpose.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with your name; an auditor may ask for it."),
    )
