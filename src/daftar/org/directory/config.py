"""LDAP settings from the environment (docs/ldap.md). Safe to import from settings.py.

Nothing here touches the database or the directory: a bad value stops start-up with the
variable's name, like every other reader in ``daftar.lib.env``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ldap
import ldap.dn
from django_auth_ldap.config import (
    GroupOfNamesType,
    GroupOfUniqueNamesType,
    LDAPSearch,
    NestedActiveDirectoryGroupType,
)

from daftar.lib.env import ConfigError, env_bool, env_int, env_str

BACKEND = "daftar.org.directory.backend.DirectoryBackend"
MODEL_BACKEND = "daftar.org.backends.PersonBackend"

# DAFTAR_LDAP_GROUP_TYPE: how a group lists its members, and how to find the groups.
_GROUP_TYPES: dict[str, tuple[type[Any], str]] = {
    "groupOfNames": (GroupOfNamesType, "(objectClass=groupOfNames)"),
    "groupOfUniqueNames": (GroupOfUniqueNamesType, "(objectClass=groupOfUniqueNames)"),
    # Active Directory: groups within groups count (a member of a member is a member).
    "activeDirectory": (NestedActiveDirectoryGroupType, "(objectClass=group)"),
}


def dn_normal(dn: str) -> str:
    """One spelling of a DN, so ``CN=Registry, OU=Groups`` and ``cn=registry,ou=groups`` match."""
    return str(ldap.dn.dn2str(ldap.dn.str2dn(dn))).lower()


def parse_group_roles(raw: str) -> dict[str, str]:
    """``DN=Group name;DN=Group name`` → {normalised DN: Django group name}.

    A DN is full of ``=`` and ``,``, a group name has neither ``=`` nor ``;``: each entry is
    split at its last ``=``.
    """
    roles: dict[str, str] = {}
    for entry in (part.strip() for part in raw.split(";")):
        if not entry:
            continue
        dn, sep, group = entry.rpartition("=")
        if not sep or not dn.strip() or not group.strip():
            raise ConfigError(
                f"DAFTAR_LDAP_GROUP_ROLES: {entry!r} is not GROUP_DN=Daftar group name"
            )
        try:
            roles[dn_normal(dn.strip())] = group.strip()
        except ldap.DECODING_ERROR as exc:
            raise ConfigError(f"DAFTAR_LDAP_GROUP_ROLES: {dn.strip()!r} is not a DN") from exc
    return roles


_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _uri(*, start_tls: bool) -> str:
    uri = env_str("DAFTAR_LDAP_URI", "")
    for one in uri.split():
        if not one.startswith(("ldap://", "ldaps://")):
            raise ConfigError(f"DAFTAR_LDAP_URI={uri!r}: use ldap://HOST[:PORT] or ldaps://…")
        host = urlsplit(one).hostname or ""
        if one.startswith("ldaps://") and start_tls:
            raise ConfigError(f"DAFTAR_LDAP_URI={uri!r} is already TLS: unset DAFTAR_LDAP_STARTTLS")
        # Every sign-in sends a password: never in clear across a network.
        if one.startswith("ldap://") and not start_tls and host not in _LOOPBACK:
            raise ConfigError(
                f"DAFTAR_LDAP_URI={uri!r} would send passwords in clear: use ldaps:// or set "
                "DAFTAR_LDAP_STARTTLS=true (plain ldap:// only to this machine)"
            )
    return uri


def _required(name: str) -> str:
    value = env_str(name, "")
    if not value:
        raise ConfigError(f"{name} must be set when DAFTAR_LDAP_URI is set")
    return value


def _user_filter() -> str:
    value = env_str("DAFTAR_LDAP_USER_FILTER", "(mail=%(user)s)")
    if "%(user)s" not in value or not (value.startswith("(") and value.endswith(")")):
        raise ConfigError(
            f"DAFTAR_LDAP_USER_FILTER={value!r}: an LDAP filter in parentheses with %(user)s "
            "where the sign-in name goes, e.g. (mail=%(user)s)"
        )
    return value


def _ca_file() -> str:
    value = env_str("DAFTAR_LDAP_CA_FILE", "")
    if value and not Path(value).is_file():
        raise ConfigError(f"DAFTAR_LDAP_CA_FILE={value!r} is not a readable file")
    return value


def _group_type() -> str:
    value = env_str("DAFTAR_LDAP_GROUP_TYPE", "groupOfNames")
    if value not in _GROUP_TYPES:
        raise ConfigError(f"DAFTAR_LDAP_GROUP_TYPE={value!r}: use one of {', '.join(_GROUP_TYPES)}")
    return value


@dataclass(frozen=True)
class DirectoryConfig:
    uri: str
    user_base: str
    user_filter: str = "(mail=%(user)s)"
    bind_dn: str = ""
    bind_password: str = field(default="", repr=False)
    start_tls: bool = False
    ca_file: str = ""
    timeout: int = 10
    mail_attr: str = "mail"
    name_attr: str = "cn"
    group_roles: dict[str, str] = field(default_factory=dict)
    group_base: str = ""
    group_type: str = "groupOfNames"

    def connection_options(self) -> dict[int, Any]:
        options: dict[int, Any] = {
            # Active Directory answers with referrals python-ldap cannot follow anonymously.
            ldap.OPT_REFERRALS: 0,
            ldap.OPT_NETWORK_TIMEOUT: self.timeout,
            ldap.OPT_TIMEOUT: self.timeout,
            ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_DEMAND,
        }
        if self.ca_file:
            options[ldap.OPT_X_TLS_CACERTFILE] = self.ca_file
        # The TLS options above take effect only in a new TLS context; it must come last.
        options[ldap.OPT_X_TLS_NEWCTX] = 0
        return options

    def django_settings(self) -> dict[str, Any]:
        """The ``AUTH_LDAP_*`` settings of django-auth-ldap, plus Daftar's own."""
        values: dict[str, Any] = {
            "AUTH_LDAP_SERVER_URI": self.uri,
            "AUTH_LDAP_BIND_DN": self.bind_dn,
            "AUTH_LDAP_BIND_PASSWORD": self.bind_password,
            "AUTH_LDAP_USER_SEARCH": LDAPSearch(
                self.user_base, ldap.SCOPE_SUBTREE, self.user_filter
            ),
            "AUTH_LDAP_START_TLS": self.start_tls,
            "AUTH_LDAP_CONNECTION_OPTIONS": self.connection_options(),
            "AUTH_LDAP_USER_ATTR_MAP": {"email": self.mail_attr, "full_name": self.name_attr},
            # Daftar's services write the person (with an audit event), not django-auth-ldap.
            "AUTH_LDAP_ALWAYS_UPDATE_USER": False,
            "LDAP_GROUP_ROLES": dict(self.group_roles),
        }
        if self.group_roles:
            group_type, object_filter = _GROUP_TYPES[self.group_type]
            values["AUTH_LDAP_GROUP_TYPE"] = group_type()
            values["AUTH_LDAP_GROUP_SEARCH"] = LDAPSearch(
                self.group_base, ldap.SCOPE_SUBTREE, object_filter
            )
        return values

    def backends(self, backends: list[str]) -> list[str]:
        """The directory is asked first; the local password (ModelBackend) after it, so people
        who are not in the directory keep signing in. Anything listed before ModelBackend
        (a lockout backend) stays in front."""
        if BACKEND in backends:
            return list(backends)
        if MODEL_BACKEND not in backends:
            return [*backends, BACKEND]
        at = backends.index(MODEL_BACKEND)
        return [*backends[:at], BACKEND, *backends[at:]]


def directory_config() -> DirectoryConfig | None:
    """The LDAP configuration, or None when DAFTAR_LDAP_URI is unset (LDAP login off)."""
    start_tls = env_bool("DAFTAR_LDAP_STARTTLS", False)
    uri = _uri(start_tls=start_tls)
    if not uri:
        return None
    group_roles = parse_group_roles(env_str("DAFTAR_LDAP_GROUP_ROLES", ""))
    return DirectoryConfig(
        uri=uri,
        user_base=_required("DAFTAR_LDAP_USER_BASE"),
        user_filter=_user_filter(),
        bind_dn=env_str("DAFTAR_LDAP_BIND_DN", ""),
        bind_password=env_str("DAFTAR_LDAP_BIND_PASSWORD", ""),
        start_tls=start_tls,
        ca_file=_ca_file(),
        timeout=env_int("DAFTAR_LDAP_TIMEOUT", 10, minimum=1),
        mail_attr=env_str("DAFTAR_LDAP_MAIL_ATTR", "mail") or "mail",
        name_attr=env_str("DAFTAR_LDAP_NAME_ATTR", "cn") or "cn",
        group_roles=group_roles,
        group_base=_required("DAFTAR_LDAP_GROUP_BASE") if group_roles else "",
        group_type=_group_type(),
    )
