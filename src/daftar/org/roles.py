"""Roles: named sets of permissions, declared here and kept as Django groups.

A role says what kind of work a person does (a registry clerk diarises, a signing officer
signs); what they may see is a separate matter, decided per object by the selectors (custody,
the reporting chain, shares, clearance). So a role opens a screen, never a file: function-level
refusals answer 403 with the role that is needed, object-level ones 404.

The groups are created or brought in line with ``ROLES`` after every ``migrate`` (see
``groups_sync``), so an edit here reaches every instance with its next upgrade.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daftar.audit.services import event_record
from daftar.lib.errors import DaftarError, InvalidInput
from daftar.org.models import User


@dataclass(frozen=True)
class Role:
    name: str  # also the group's name, and what `import-org` reads in its `roles` column
    label: Promise
    does: Promise
    permissions: tuple[str, ...]  # "app_label.codename"
    two_factor: bool = False  # the auth branch's policy requires it for these permissions


_ADMIN_MODELS = ("orgunit", "post", "charge", "user")

ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        Role(
            "registry_clerk",
            gettext_lazy("Registry clerk"),
            gettext_lazy(
                "Receives the dak: diarises receipts, registers e-mailed letters, sends "
                "them to the sections, and issues signed letters."
            ),
            ("receipts.diarise_receipt", "mailroom.handle_mail", "drafting.issue_letter"),
        ),
        Role(
            "dealing_staff",
            gettext_lazy("Dealing staff"),
            gettext_lazy(
                "Keeps a section's files: opens new files, notes on them, and closes and "
                "records them when the officer orders; issues signed letters."
            ),
            ("files.open_file", "files.record_file", "drafting.issue_letter"),
        ),
        Role(
            "officer",
            gettext_lazy("Officer"),
            gettext_lazy(
                "Decides on files: opens, closes and records them, approves drafts, shares one "
                "with another post for reading, and releases classified papers for e-mail or "
                "export when cleared for their grade."
            ),
            (
                "files.open_file",
                "files.record_file",
                "files.share_file",
                "drafting.approve_draft",
                "drafting.issue_letter",
            ),
        ),
        Role(
            "signing_officer",
            gettext_lazy("Signing officer"),
            gettext_lazy("An officer who also signs letters and documents for the Government."),
            (
                "files.open_file",
                "files.record_file",
                "files.share_file",
                "files.sign_document",
                "drafting.approve_draft",
                "drafting.issue_letter",
            ),
            two_factor=True,
        ),
        Role(
            "organisation_admin",
            gettext_lazy("Organisation admin"),
            gettext_lazy(
                "Manages the people, posts, units and charges of their own organisation in the "
                "admin screens; does not read files by being an admin."
            ),
            (
                "org.manage_organisation",
                *(f"org.{verb}_{model}" for model in _ADMIN_MODELS for verb in ("view", "change")),
                *(f"org.add_{model}" for model in _ADMIN_MODELS),
                "adoption.record_training",
            ),
            two_factor=True,
        ),
        Role(
            "records_officer",
            gettext_lazy("Records officer"),
            gettext_lazy("Closes, records and reopens files for the record room."),
            ("files.record_file",),
        ),
        Role(
            "programme_office",
            gettext_lazy("Programme office"),
            gettext_lazy("Sees the e-office programme's aggregate figures, never a file."),
            ("org.view_programme_figures", "adoption.record_training"),
        ),
        Role(
            "auditor",
            gettext_lazy("Auditor"),
            gettext_lazy("Browses and exports the audit trail of a file, a person or a period."),
            ("audit.view_trail",),
        ),
    )
}


class RoleRequired(DaftarError):
    """The person lacks the permission a screen or action needs (HTTP 403)."""

    status = 403

    def __init__(self, permission: str) -> None:
        self.permission = permission
        self.roles = roles_granting(permission)
        names = ", ".join(str(ROLES[r].label) for r in self.roles)
        super().__init__(
            _("This needs the role of %(roles)s, which you do not have.") % {"roles": names}
            if names
            else _("You may not do this.")
        )


def roles_granting(permission: str) -> list[str]:
    return [name for name, role in ROLES.items() if permission in role.permissions]


def permission_require(user: User, permission: str) -> None:
    """Raise RoleRequired unless ``user`` has ``permission`` (through a role or directly)."""
    if not user.has_perm(permission):
        raise RoleRequired(permission)


def _permissions(names: Iterable[str]) -> dict[str, Permission]:
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = Permission.objects.filter(query).select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}": p for p in found}


def groups_sync() -> None:
    """Create each role's group and give it exactly the role's permissions.

    Idempotent; a permission taken out of a role here is taken from the group. A declared
    permission that does not exist (a typo, an app not migrated) is an error, not a silence.
    """
    declared = {name for role in ROLES.values() for name in role.permissions}
    # post_migrate reaches the apps one by one; the permissions of apps later in the list
    # may not be created yet, so create them now (Django's own step, idempotent).
    for label in sorted({name.split(".", 1)[0] for name in declared}):
        create_permissions(django_apps.get_app_config(label), verbosity=0)
    known = _permissions(declared)
    missing = sorted(declared - known.keys())
    if missing:
        raise RuntimeError(f"Roles name permissions that do not exist: {', '.join(missing)}")
    with transaction.atomic():
        for role in ROLES.values():
            group, _created = Group.objects.get_or_create(name=role.name)
            group.permissions.set([known[name] for name in role.permissions])


def roles_of(user: User) -> list[str]:
    return sorted(user.groups.filter(name__in=ROLES).values_list("name", flat=True))


@transaction.atomic(durable=True)
def roles_assign(*, actor: User | None, person: User, roles: Iterable[str]) -> User:
    """Give ``person`` exactly ``roles`` (names from ROLES); other groups are left alone."""
    wanted = sorted(set(roles))
    unknown = [r for r in wanted if r not in ROLES]
    if unknown:
        raise InvalidInput(
            _("Unknown role(s): %(unknown)s. The roles are: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(ROLES)}
        )
    before = roles_of(person)
    if before == wanted:
        return person
    groups = list(Group.objects.filter(name__in=wanted))
    if len(groups) != len(wanted):
        raise RuntimeError("The role groups are missing; run `daftar migrate`.")
    person.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name__in=wanted))
    person.groups.add(*groups)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        person.__dict__.pop(cache, None)  # has_perm must see the new roles at once
    event_record(
        actor=actor,
        action="person.roles",
        obj=person,
        before={"roles": before},
        after={"roles": wanted},
    )
    return person
