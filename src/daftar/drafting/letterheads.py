"""The form of each type of communication: an organisation's own template (LetterTemplate),
or the built-in one in English or Urdu when it has none, and the organisation admin's edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.drafting.models import DraftKind, DraftLanguage, LetterTemplate
from daftar.lib import clock
from daftar.lib.errors import InvalidInput, NotFound
from daftar.org.admin_scope import managed_unit_ids
from daftar.org.models import ORGANISATION_KINDS, OrgUnit, User
from daftar.org.roles import permission_require

GOVERNMENT = {"en": "Government of Pakistan", "ur": "حکومتِ پاکستان"}

# kind: (English heading, salutation, closing), (Urdu heading, salutation, closing)
_DEFAULTS: dict[str, dict[str, tuple[str, str, str]]] = {
    DraftKind.LETTER: {
        "en": ("", "Sir,", "Yours faithfully,"),
        "ur": ("", "جنابِ عالی،", "والسلام"),
    },
    DraftKind.OFFICE_MEMORANDUM: {
        "en": ("OFFICE MEMORANDUM", "", ""),
        "ur": ("دفتری یادداشت", "", ""),
    },
    DraftKind.NOTIFICATION: {
        "en": ("NOTIFICATION", "", ""),
        "ur": ("اعلامیہ", "", ""),
    },
    DraftKind.DEMI_OFFICIAL: {
        "en": ("D.O. LETTER", "Dear Sir,", "Yours sincerely,"),
        "ur": ("نیم سرکاری مراسلہ", "محترم،", "مخلص"),
    },
    DraftKind.SUMMARY: {
        "en": ("SUMMARY FOR THE PRIME MINISTER", "", ""),
        "ur": ("وزیرِ اعظم کے لیے سمری", "", ""),
    },
    DraftKind.MINISTER_NOTE: {
        "en": ("NOTE FOR THE MINISTER", "", ""),
        "ur": ("وزیر کے لیے نوٹ", "", ""),
    },
}


@dataclass(frozen=True)
class Form:
    """The blocks a fair copy is laid out with."""

    letterhead: str
    heading: str
    salutation: str
    closing: str
    footer: str
    is_default: bool


def default_form(organisation: OrgUnit, kind: str, language: str) -> Form:
    heading, salutation, closing = _DEFAULTS[kind][language]
    letterhead = f"{GOVERNMENT[language]}\n{organisation.name}"
    return Form(letterhead, heading, salutation, closing, "", is_default=True)


def form_for(organisation: OrgUnit, kind: str, language: str) -> Form:
    """The organisation's template for ``kind`` in ``language``, else the built-in one."""
    found = LetterTemplate.objects.filter(
        organisation=organisation, kind=kind, language=language
    ).first()
    if found is None:
        return default_form(organisation, kind, language)
    return Form(
        found.letterhead,
        found.heading,
        found.salutation,
        found.closing,
        found.footer,
        is_default=False,
    )


def organisations_managed(actor: User) -> list[OrgUnit]:
    """The organisations whose templates ``actor`` may edit: those they administer (all of
    them for a superuser)."""
    ids = managed_unit_ids(actor)
    units = OrgUnit.objects.filter(kind__in=ORGANISATION_KINDS).order_by("name")
    return list(units if ids is None else units.filter(pk__in=ids))


def _clean(value: str, limit: int, label: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(
            _("The %(what)s is longer than %(n)s characters.") % {"what": label, "n": limit}
        )
    return value


@transaction.atomic(durable=True)
def template_save(
    *,
    actor: User,
    organisation_id: int,
    kind: str,
    language: str,
    letterhead: str,
    heading: str,
    salutation: str,
    closing: str,
    footer: str,
) -> LetterTemplate:
    """Create or change one template of an organisation the actor administers."""
    permission_require(actor, "org.manage_organisation")
    if organisation_id not in {o.pk for o in organisations_managed(actor)}:
        raise NotFound(_("No such organisation, or you do not administer it."))
    if kind not in DraftKind.values or language not in DraftLanguage.values:
        raise InvalidInput(_("Unknown type of draft or language."))
    lines = [line.strip() for line in letterhead.splitlines() if line.strip()]
    if not lines:
        raise InvalidInput(_("The letterhead needs at least one line."))
    values = {
        "letterhead": _clean("\n".join(lines), 1000, _("letterhead")),
        "heading": _clean(heading, 200, _("heading")),
        "salutation": _clean(salutation, 200, _("salutation")),
        "closing": _clean(closing, 200, _("closing")),
        "footer": _clean(footer, 300, _("footer")),
    }
    template = (
        LetterTemplate.objects.select_for_update()
        .filter(organisation_id=organisation_id, kind=kind, language=language)
        .first()
    )
    before = None
    if template is None:
        template = LetterTemplate(organisation_id=organisation_id, kind=kind, language=language)
    else:
        before = {name: getattr(template, name) for name in values}
    for name, value in values.items():
        setattr(template, name, value)
    template.updated_at = clock.now()
    template.save()
    event_record(
        actor=actor,
        action="drafting.template_save",
        obj=template,
        before=before,
        after={"kind": kind, "language": language, **values},
    )
    return template
