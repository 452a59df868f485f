"""The auditor's filter: every field optional; a file number or e-mail that names nothing is
a form error (an auditor may look for any file, so no 404 here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daftar.audit.selectors import TrailFilter
from daftar.files.models import File
from daftar.org.models import User


class TrailForm(forms.Form):
    file = forms.CharField(label=_("File number"), max_length=120, required=False)
    person = forms.EmailField(label=_("Person (e-mail)"), required=False)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("To"), required=False)
    action = forms.CharField(
        label=_("Action"),
        max_length=60,
        required=False,
        help_text=_("e.g. file.put_up, or file. for every file action"),
    )

    def clean_file(self) -> File | None:
        number = self.cleaned_data["file"].strip()
        if not number:
            return None
        found = File.objects.filter(number=number).first()
        if found is None:
            raise forms.ValidationError(_("No file has this number."))
        return found

    def clean_person(self) -> User | None:
        email = self.cleaned_data["person"]
        if not email:
            return None
        found = User.objects.filter(email__iexact=email).first()
        if found is None:
            raise forms.ValidationError(_("Nobody has this e-mail address."))
        return found

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end comes before the start."))
        return data

    def trail_filter(self) -> TrailFilter:
        """The filter of a valid form; dates are whole days in the viewer's time zone."""
        data = self.cleaned_data
        return TrailFilter(
            file=data.get("file"),
            person=data.get("person"),
            since=_day_start(data.get("since")),
            until=_day_after(data.get("until")),
            action=(data.get("action") or "").strip(),
        )


def _day_start(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _day_after(day: dt.date | None) -> dt.datetime | None:
    if day is None or day == dt.date.max:  # the last day there is: no end
        return None
    return _day_start(day + dt.timedelta(days=1))
