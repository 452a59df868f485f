"""Screens of the sign and issue steps, the dispatch and its deliveries, and the register.

Thin: parse, call one service or selector, render. Function permissions are gated with
``permission_required_page`` (403 naming the role); a draft, dispatch or delivery the person
may not see is a 404 (the selectors).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daftar.dispatch import services
from daftar.dispatch.delivery import delivery_mark_sent, delivery_retry
from daftar.dispatch.label import label_pdf
from daftar.dispatch.models import (
    PAPER_CHANNELS,
    Channel,
    Delivery,
    DeliveryStatus,
    Dispatch,
    FairCopy,
)
from daftar.dispatch.paper import PaperRow, paper_register_of
from daftar.dispatch.selectors import (
    RegisterRow,
    deliveries_of,
    dispatch_for_actor,
    fair_copy_of,
    register_of,
    register_units,
)
from daftar.drafting.models import AddresseeKind, Draft, DraftStatus
from daftar.drafting.selectors import draft_for_actor
from daftar.files.access_log import opening_record
from daftar.files.page_views import original
from daftar.files.views_shared import actor_of
from daftar.lib.errors import DaftarError, NotFound
from daftar.movement.forms import MAX_ID
from daftar.org.gating import permission_required_page
from daftar.org.models import User


def _draft(request: HttpRequest, pk: int) -> Draft:
    if pk > MAX_ID:
        raise Http404
    try:
        return draft_for_actor(actor_of(request), pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


class SignForm(forms.Form):
    secret = forms.CharField(
        label=gettext_lazy("Your password or a code from your authenticator app"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required_page(services.SIGN_PERMISSION)
def draft_sign(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    form = SignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                fair_copy = services.draft_sign(
                    actor=actor_of(request), draft_id=pk, secret=form.cleaned_data["secret"]
                )
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except DaftarError as exc:
                messages.error(request, exc.message)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("%(draft)s is signed and sealed as letter %(number)s.")
                    % {"draft": draft.label, "number": fair_copy.letter_number},
                )
                return redirect("dispatch-issue", pk=pk)
        else:
            status = 400
    context = {
        "draft": draft,
        "heading": _("Sign %(draft)s") % {"draft": draft.label},
        "version": draft.approved_version,
        "form": form,
    }
    return render(request, "dispatch/sign.html", context, status=status)


def _issue_context(draft: Draft, fair_copy: FairCopy | None) -> dict[str, Any]:
    rows = []
    if fair_copy is not None:
        for addressee in fair_copy.version.addressees.select_related(
            "organisation", "post"
        ).order_by("order"):
            # Post, courier or hand is the issuer's choice for those without e-mail.
            paper = addressee.kind != AddresseeKind.INTERNAL and not addressee.email
            channel = Channel.POST if paper else services.channel_for(addressee, {})
            rows.append({"addressee": addressee, "channel": channel, "paper": paper})
    return {
        "draft": draft,
        "heading": _("Issue %(draft)s") % {"draft": draft.label},
        "fair_copy": fair_copy,
        "rows": rows,
        "paper_channels": [(c.value, c.label) for c in Channel if c in PAPER_CHANNELS],
    }


@login_required
@require_http_methods(["GET", "POST"])
@permission_required_page(services.ISSUE_PERMISSION)
def letter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    fair_copy = fair_copy_of(draft)
    status = 200
    if request.method == "POST":
        chosen = {
            int(key.removeprefix("channel-")): str(request.POST.get(key, ""))
            for key in request.POST
            if key.startswith("channel-") and key.removeprefix("channel-").isdigit()
        }
        try:
            dispatch = services.letter_issue(actor=actor_of(request), draft_id=pk, channels=chosen)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DaftarError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(
                request, _("Issued under dispatch no. %(number)s.") % {"number": dispatch.number}
            )
            return redirect("dispatch-detail", pk=dispatch.pk)
    if draft.status == DraftStatus.ISSUED and fair_copy is not None:
        return redirect("dispatch-detail", pk=fair_copy.dispatch.pk)
    return render(request, "dispatch/issue.html", _issue_context(draft, fair_copy), status=status)


def _dispatch(actor: User, pk: int) -> Dispatch:
    try:
        return dispatch_for_actor(actor, min(pk, MAX_ID + 1))
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_GET
def dispatch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    dispatch = _dispatch(actor, pk)
    draft = dispatch.fair_copy.draft
    context = {
        "dispatch": dispatch,
        "fair_copy": dispatch.fair_copy,
        "draft": draft,
        "file": draft.file,
        "deliveries": deliveries_of(dispatch),
        "can_act": actor.has_perm(services.ISSUE_PERMISSION),
    }
    return render(request, "dispatch/dispatch_detail.html", context)


@login_required
@require_GET
def dispatch_letter(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The signed and sealed PDF, exactly as stored."""
    actor = actor_of(request)
    dispatch = _dispatch(actor, pk)
    draft = dispatch.fair_copy.draft
    document = dispatch.fair_copy.document
    opening_record(
        actor=actor,
        obj=document,
        grade=draft.classification,
        holder=draft.file.holder,
        via="dispatch",
        dispatch=dispatch.number,
    )
    return original(document)


def _delivery(request: HttpRequest, pk: int) -> Delivery:
    delivery = Delivery.objects.select_related("addressee").filter(pk=min(pk, MAX_ID + 1)).first()
    if delivery is None:
        raise Http404
    delivery.dispatch = _dispatch(actor_of(request), delivery.dispatch_id)
    return delivery


def _delivery_action(request: HttpRequest, pk: int, *, retry: bool) -> HttpResponse:
    delivery = _delivery(request, pk)
    actor = actor_of(request)
    try:
        if retry:
            done = delivery_retry(actor=actor, delivery_id=pk)
        else:
            done = delivery_mark_sent(actor=actor, delivery_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DaftarError as exc:
        messages.error(request, exc.message)
        return redirect("dispatch-detail", pk=delivery.dispatch_id)
    if done.status == DeliveryStatus.FAILED:
        messages.error(request, _("Delivery failed again: %(error)s") % {"error": done.error})
    else:
        messages.success(
            request, _("Delivery: %(status)s.") % {"status": done.get_status_display()}
        )
    return redirect("dispatch-detail", pk=delivery.dispatch_id)


@login_required
@require_POST
@permission_required_page(services.ISSUE_PERMISSION)
def delivery_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _delivery_action(request, pk, retry=True)


@login_required
@require_POST
@permission_required_page(services.ISSUE_PERMISSION)
def delivery_sent_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _delivery_action(request, pk, retry=False)


@login_required
@require_GET
def delivery_label(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = _delivery(request, pk)
    if delivery.channel not in PAPER_CHANNELS:
        raise Http404(_("This copy is not sent on paper."))
    response = HttpResponse(label_pdf(delivery), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="envelope-{delivery.dispatch.number.replace("/", "-")}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def dispatch_register(request: HttpRequest) -> HttpResponse:
    """The dispatch register of a unit the person may read, by year."""
    actor = actor_of(request)
    units = register_units(actor)
    if not units:
        raise Http404(_("You hold no post with a dispatch register."))
    by_id = {u.pk: u for u in units}
    unit_text = request.GET.get("unit", "")
    unit = by_id.get(int(unit_text)) if unit_text.isdigit() and len(unit_text) < 12 else None
    unit = unit or units[0]
    year_text = request.GET.get("year", "")
    this_year = services.local_today(unit).year
    year = int(year_text) if year_text.isdigit() and 1900 < int(year_text[:5]) < 3000 else this_year
    # Electronic and paper letters share the unit's series: one list, newest first.
    rows: list[RegisterRow | PaperRow] = [
        *register_of(actor, unit, year),
        *paper_register_of(actor, unit, year),
    ]
    rows.sort(
        key=lambda r: r.letter.serial if isinstance(r, PaperRow) else r.dispatch.serial,
        reverse=True,
    )
    context = {
        "units": units,
        "unit": unit,
        "year": year,
        "years": list(range(this_year, this_year - 6, -1)),
        "rows": rows,
    }
    return render(request, "dispatch/register.html", context)
