"""People signed in by the directory: created on first sign-in, kept in step afterwards.

Each function owns its transaction and records its audit event, like ``daftar.org.services``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.lib.errors import InvalidInput
from daftar.org.models import User
from daftar.org.validators import validate_official_email

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DirectoryEntry:
    """What the directory says about a person who has just proved their password."""

    dn: str
    email: str
    full_name: str
    roles: frozenset[str]  # Daftar groups their directory groups map to
    managed_roles: frozenset[str]  # every group the mapping names (the directory decides these)


def _groups(names: frozenset[str]) -> list[Group]:
    groups = list(Group.objects.filter(name__in=names).order_by("name"))
    missing = names - {group.name for group in groups}
    if missing:  # a typo in DAFTAR_LDAP_GROUP_ROLES, or a role not set up yet
        logger.warning("DAFTAR_LDAP_GROUP_ROLES names groups Daftar does not have: %s", missing)
    return groups


@transaction.atomic(durable=True)
def directory_person_create(*, entry: DirectoryEntry) -> User:
    """A directory person's first sign-in: an account, only for an official address.

    The account has no usable local password: the directory keeps the password.
    """
    email = entry.email.strip().lower()
    try:
        validate_official_email(email)
    except ValidationError as exc:
        raise InvalidInput(
            _("Your directory account (%(email)s) may not use Daftar: %(reason)s")
            % {"email": email, "reason": exc.messages[0]}
        ) from exc
    full_name = entry.full_name.strip() or email
    person = User.objects.create_user(email, None, full_name=full_name)  # unusable password
    groups = _groups(entry.roles)
    person.groups.add(*groups)
    event_record(
        actor=None,
        action="person.create",
        obj=person,
        after={
            "email": email,
            "full_name": full_name,
            "source": "directory",
            "dn": entry.dn,
            "groups": [group.name for group in groups],
        },
    )
    return person


@transaction.atomic(durable=True)
def directory_person_sync(*, person_id: int, entry: DirectoryEntry) -> User:
    """A later sign-in: take the name and mapped groups from the directory, and retire a
    local password (a person disabled in the directory must not get in with it). Writes and
    records only what changed."""
    person = User.objects.select_for_update().get(pk=person_id)
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    full_name = entry.full_name.strip()
    if full_name and full_name != person.full_name:
        before["full_name"], after["full_name"] = person.full_name, full_name
        person.full_name = full_name
    if person.has_usable_password():
        before["local_password"], after["local_password"] = True, False
        person.set_unusable_password()
    if after:
        person.save(update_fields=["full_name", "password"])
    wanted = _groups(entry.roles)
    wanted_names = {group.name for group in wanted}
    held = set(person.groups.filter(name__in=entry.managed_roles).values_list("name", flat=True))
    if held != wanted_names:
        person.groups.remove(*Group.objects.filter(name__in=held - wanted_names))
        person.groups.add(*wanted)
        before["groups"], after["groups"] = sorted(held), sorted(wanted_names)
    if after:
        event_record(
            actor=None,
            action="person.directory_sync",
            obj=person,
            before=before,
            after={**after, "dn": entry.dn},
        )
    return person
