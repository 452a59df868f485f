"""The directory login backend: django-auth-ldap checks the password, Daftar's services write
the person (docs/ldap.md).

Listed before ModelBackend only when DAFTAR_LDAP_URI is set. The person is the Daftar
account with the e-mail address the directory entry holds; a first sign-in creates the
account when that address is an official one, and is refused with a message otherwise.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_auth_ldap.backend import LDAPBackend

from daftar.lib.errors import InvalidInput
from daftar.org.directory.config import dn_normal
from daftar.org.directory.services import (
    DirectoryEntry,
    directory_person_create,
    directory_person_sync,
)
from daftar.org.models import User


def _first(attrs: Any, name: str) -> str:
    values = attrs.get(name) if attrs is not None else None
    return str(values[0]) if values else ""


class DirectoryBackend(LDAPBackend):  # type: ignore[misc]  # django-auth-ldap has no types
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        try:
            user: User | None = super().authenticate(request, username, password, **kwargs)
        except InvalidInput as refusal:
            # Django's authenticate() turns PermissionDenied into a failed login and asks no
            # other backend; the message tells the person why on the next page shown.
            if request is not None:
                messages.error(request, refusal.message, fail_silently=True)
            raise PermissionDenied(refusal.message) from refusal
        return user

    def get_user(self, user_id: int) -> User | None:
        """The person of a session signed in by the directory. django-auth-ldap's own version
        would keep serving a person an admin has since deactivated; ModelBackend's does not."""
        user: User | None = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def get_or_build_user(self, username: str, ldap_user: Any) -> tuple[User, bool]:
        """Called by django-auth-ldap once the password is proved. Returns a saved person and
        ``built=False``, so django-auth-ldap itself saves nothing."""
        entry = self._entry(ldap_user)
        person = User.objects.filter(email__iexact=entry.email).first()
        if person is None:
            try:
                return directory_person_create(entry=entry), False
            except IntegrityError:  # a second sign-in of the same person created it first
                person = User.objects.get(email__iexact=entry.email)
        if not person.is_active:
            raise ldap_user.AuthenticationFailed("the Daftar account is not active")
        return directory_person_sync(person_id=person.pk, entry=entry), False

    def _entry(self, ldap_user: Any) -> DirectoryEntry:
        attr_map: dict[str, str] = self.settings.USER_ATTR_MAP
        email = _first(ldap_user.attrs, attr_map.get("email", "mail")).strip().lower()
        if not email:
            raise InvalidInput(
                _(
                    "Your directory entry has no e-mail address, which Daftar needs to know "
                    "you. Ask the directory's administrators to add your official address."
                )
            )
        mapping: dict[str, str] = getattr(settings, "LDAP_GROUP_ROLES", {})
        roles: frozenset[str] = frozenset()
        if mapping:
            group_dns = {dn_normal(dn) for dn in ldap_user.group_dns}
            roles = frozenset(name for dn, name in mapping.items() if dn in group_dns)
        return DirectoryEntry(
            dn=str(ldap_user.dn),
            email=email,
            full_name=_first(ldap_user.attrs, attr_map.get("full_name", "cn")),
            roles=roles,
            managed_roles=frozenset(mapping.values()),
        )
