"""The entry form of a letter signed on paper (``dispatch/paper/new/``), reached from the
dispatch register. Thin: parse, call ``paper_letter_record``, go back to the register; a
person with no register gets 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from daftar.dispatch.models import PAPER_CHANNELS, Channel
from daftar.dispatch.paper import paper_letter_record
from daftar.dispatch.selectors import register_units
from daftar.files.selectors import file_by_number_for_actor
from daftar.files.views_shared import actor_of
from daftar.lib.errors import DaftarError, NotFound
from daftar.org.models import ORGANISATION_KINDS, OrgUnit, User


class PaperLetterForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Issued by (unit)"), coerce=int)
    letter_number = forms.CharField(label=gettext_lazy("Letter no."), max_length=140)
    letter_date = forms.DateField(
        label=gettext_lazy("Letter date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=500)
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Addressed to an organisation on Daftar"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    addressee = forms.CharField(
        label=gettext_lazy("Addressee (designation, name and address)"), max_length=300
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Sent by"),
        choices=[(c.value, c.label) for c in Channel if c in PAPER_CHANNELS],
    )
    file_number = forms.CharField(
        label=gettext_lazy("File no. (optional)"), max_length=140, required=False
    )

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]
        organisations = OrgUnit.objects.filter(kind__in=ORGANISATION_KINDS).order_by("name")
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("— outside Daftar —")),
            *((u.pk, u.name) for u in organisations),
        ]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


def _paper_file_id(actor: User, form: PaperLetterForm) -> int | None:
    number = form.cleaned_data["file_number"].strip()
    if not number:
        return None
    try:
        return file_by_number_for_actor(actor, number).pk
    except NotFound as exc:
        form.add_error("file_number", exc.message)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def paper_letter_new(request: HttpRequest) -> HttpResponse:
    """Enter a letter signed on paper in a register the person may read."""
    actor = actor_of(request)
    units = register_units(actor)
    if not units:
        raise Http404(_("You hold no post with a dispatch register."))
    initial = {"unit": request.GET.get("unit", ""), "channel": Channel.POST}
    form = PaperLetterForm(request.POST or None, units=units, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            file_id = _paper_file_id(actor, form)
            if not form.errors:
                data = form.cleaned_data
                try:
                    letter = paper_letter_record(
                        actor=actor,
                        unit_id=data["unit"],
                        letter_number=data["letter_number"],
                        letter_date=data["letter_date"],
                        subject=data["subject"],
                        addressee=data["addressee"],
                        channel=data["channel"],
                        organisation_id=data["organisation"],
                        file_id=file_id,
                    )
                except DaftarError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(
                        request,
                        _("Entered in the register under dispatch no. %(number)s.")
                        % {"number": letter.number},
                    )
                    url = reverse("dispatch-register")
                    return redirect(f"{url}?unit={letter.unit_id}&year={letter.year}")
    return render(request, "dispatch/paper_new.html", {"form": form}, status=status)
