"""The shared directory of senders (the correspondents receipts come from): adding an entry,
or finding the one that already says the same. Owns its transaction and writes its audit event.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.lib import clock
from daftar.lib.errors import InvalidInput, NotFound
from daftar.lib.transactions import composable
from daftar.org.models import User
from daftar.org.selectors import post_ids_held
from daftar.receipts.models import (
    Sender,
)


def _clean_line(value: str, *, field: str, limit: int = 200) -> str:
    value = " ".join(value.split())
    if len(value) > limit:
        raise InvalidInput(
            _("The %(field)s is longer than %(limit)d characters.")
            % {"field": field, "limit": limit}
        )
    return value


@composable
def sender_create(
    *,
    actor: User,
    organisation: str = "",
    name: str = "",
    designation: str = "",
    address: str = "",
    email: str = "",
) -> Sender:
    """Add a correspondent to the shared directory, or return the entry that already says
    the same (same organisation, name, designation and e-mail, whatever the case)."""
    if not post_ids_held(actor):
        raise NotFound(_("You hold no post, so you cannot add senders."))
    organisation = _clean_line(organisation, field=_("organisation"))
    name = _clean_line(name, field=_("name"))
    designation = _clean_line(designation, field=_("designation"))
    address = address.strip()
    email = email.strip().lower()
    if not organisation and not name:
        raise InvalidInput(_("A sender needs an organisation or a name."))
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput(
                _("%(email)s is not a valid e-mail address.") % {"email": email}
            ) from exc
    existing = Sender.objects.filter(
        organisation__iexact=organisation,
        name__iexact=name,
        designation__iexact=designation,
        email__iexact=email,
    ).first()
    if existing is not None:
        return existing
    sender = Sender.objects.create(
        organisation=organisation,
        name=name,
        designation=designation,
        address=address,
        email=email,
        created_by=actor,
        created_at=clock.now(),
    )
    event_record(
        actor=actor,
        action="sender.create",
        obj=sender,
        after={
            "organisation": organisation,
            "name": name,
            "designation": designation,
            "email": email,
        },
    )
    return sender
