"""LDAP login against a real slapd on loopback (tests/org/ldap_server.py; docs/ldap.md)."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import ldap
import pytest
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from daftar.audit.models import AuditEvent
from daftar.lib.env import ConfigError
from daftar.org.directory.backend import DirectoryBackend
from daftar.org.directory.config import BACKEND, MODEL_BACKEND, directory_config
from daftar.org.models import User
from daftar.org.services import person_create
from tests.cast import PASSWORD, Cast
from tests.conftest import last_event
from tests.org.ldap_server import (
    OFFICERS_GROUP,
    REGISTRY_GROUP,
    Directory,
    directory_settings,
    free_port,
)

DIRECTORY_PASSWORD = "Directory-pass-2026"
_serial = itertools.count(1)


def mail(local: str, domain: str = "mowr.gov.pk") -> str:
    """An address no other test (on this worker, against this directory) uses."""
    return f"{local}.{os.getpid()}.{next(_serial)}@{domain}"


def sign_in(client: Client, username: str, password: str) -> bool:
    """Through the login page, as a person does (a request, as the lockout backend needs)."""
    client.logout()
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


@pytest.fixture
def roles(db: None) -> dict[str, Group]:
    return {
        name: Group.objects.get_or_create(name=name)[0] for name in ("Registry clerk", "Officer")
    }


def test_directory_person_is_created_at_first_sign_in(
    ldap_on: Directory, roles: dict[str, Group], client: Client
) -> None:
    email = mail("zainab.malik")
    dn = ldap_on.person_add(
        "Zainab Malik", mail=email, password=DIRECTORY_PASSWORD, groups=(REGISTRY_GROUP,)
    )
    assert sign_in(client, email.upper(), DIRECTORY_PASSWORD)
    person = User.objects.get(email=email)
    assert person.full_name == "Zainab Malik"
    assert not person.has_usable_password()  # the directory keeps the password
    assert list(person.groups.all()) == [roles["Registry clerk"]]
    assert last_event(person, "person.create").after == {
        "email": email,
        "full_name": "Zainab Malik",
        "source": "directory",
        "dn": dn,
        "groups": ["Registry clerk"],
    }
    assert client.session["_auth_user_backend"] == BACKEND


def test_login_page_and_later_sign_ins_follow_the_directory(
    ldap_on: Directory,
    roles: dict[str, Group],
    client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    email = mail("usman.tariq")
    dn = ldap_on.person_add(
        "Usman Tariq", mail=email, password=DIRECTORY_PASSWORD, groups=(REGISTRY_GROUP,)
    )
    login = {"username": email, "password": DIRECTORY_PASSWORD}
    response = client.post(reverse("login"), login)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    person = User.objects.get(email=email)
    assert int(client.session["_auth_user_id"]) == person.pk

    # Renamed and moved from the registry to the officers in the directory.
    ldap_on.modify(dn, "cn", ["Usman Tariq Butt"])
    ldap_on.modify(REGISTRY_GROUP, "member", [dn], op=ldap.MOD_DELETE)
    ldap_on.modify(OFFICERS_GROUP, "member", [dn], op=ldap.MOD_ADD)
    client.logout()
    assert client.post(reverse("login"), login).status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Usman Tariq Butt"
    assert list(person.groups.all()) == [roles["Officer"]]
    sync = last_event(person, "person.directory_sync")
    assert sync.before == {"full_name": "Usman Tariq", "groups": ["Registry clerk"]}
    assert sync.after == {"full_name": "Usman Tariq Butt", "groups": ["Officer"], "dn": dn}

    # Nothing changed: the directory backend reads the person (twice: found, then locked) and
    # the groups (mapped, held), and writes nothing.
    events = AuditEvent.objects.count()
    request = RequestFactory().post(reverse("login"))
    with django_assert_num_queries(6):  # and the savepoint of its transaction, taken and released
        user = DirectoryBackend().authenticate(request, email, DIRECTORY_PASSWORD)
    assert user == person
    assert AuditEvent.objects.count() == events


def test_wrong_password_and_wildcards_are_refused(ldap_on: Directory, client: Client) -> None:
    email = mail("hina.javed")
    ldap_on.person_add("Hina Javed", mail=email, password=DIRECTORY_PASSWORD)
    assert not sign_in(client, email, "not-the-password")
    assert not sign_in(client, email, "")
    # The sign-in name is escaped in the filter: "*" matches no one.
    assert not sign_in(client, "*", DIRECTORY_PASSWORD)
    response = client.post(reverse("login"), {"username": email, "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email=email).exists()
    assert not AuditEvent.objects.filter(action="person.create").exists()


def test_directory_person_outside_the_official_domains_is_refused(
    ldap_on: Directory, client: Client
) -> None:
    email = mail("contractor", domain="example.com")
    ldap_on.person_add("A Contractor", mail=email, password=DIRECTORY_PASSWORD)
    response = client.post(reverse("login"), {"username": email, "password": DIRECTORY_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "may not use Daftar" in page
    assert "is not an official address" in page
    assert not User.objects.filter(email=email).exists()
    assert not AuditEvent.objects.filter(action="person.create").exists()


def test_directory_entry_without_an_address_is_refused(
    ldap_on: Directory, client: Client, settings: Settings
) -> None:
    dn = ldap_on.person_add("No Mail", mail=None, password=DIRECTORY_PASSWORD)
    uid = dn.split(",")[0].removeprefix("uid=")
    # Signing in by uid (as by sAMAccountName in Active Directory) finds the entry.
    directory_settings(settings, ldap_on.config(user_filter="(uid=%(user)s)"))
    response = client.post(reverse("login"), {"username": uid, "password": DIRECTORY_PASSWORD})
    assert "has no e-mail address" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


def test_local_person_not_in_the_directory_keeps_the_local_password(
    ldap_on: Directory, cast: Cast, client: Client, settings: Settings
) -> None:
    assert settings.AUTHENTICATION_BACKENDS[-2:] == [BACKEND, MODEL_BACKEND]
    assert sign_in(client, cast.assistant.email, PASSWORD)
    assert client.session["_auth_user_backend"] == MODEL_BACKEND
    assert not sign_in(client, cast.assistant.email, "wrong")


def test_local_password_of_a_directory_person_is_retired(
    ldap_on: Directory, client: Client
) -> None:
    email = mail("kamran.ali")
    person = person_create(actor=None, email=email, full_name="Kamran Ali", password=PASSWORD)
    dn = ldap_on.person_add("Kamran Ali", mail=email, password=DIRECTORY_PASSWORD)
    assert sign_in(client, email, PASSWORD)  # not yet signed in by the directory
    assert sign_in(client, email, DIRECTORY_PASSWORD)
    person.refresh_from_db()
    assert not person.has_usable_password()
    sync = last_event(person, "person.directory_sync")
    assert (sync.before, sync.after) == (
        {"local_password": True},
        {"local_password": False, "dn": dn},
    )
    assert not sign_in(client, email, PASSWORD)
    assert sign_in(client, email, DIRECTORY_PASSWORD)


def test_deactivated_account_is_refused_and_its_session_ends(
    ldap_on: Directory, client: Client
) -> None:
    email = mail("retired.officer")
    ldap_on.person_add("Retired Officer", mail=email, password=DIRECTORY_PASSWORD)
    assert sign_in(client, email, DIRECTORY_PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    # Deactivated by an admin while signed in: the next request is no longer theirs.
    User.objects.filter(email=email).update(is_active=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not sign_in(client, email, DIRECTORY_PASSWORD)
    assert not AuditEvent.objects.filter(action="person.directory_sync").exists()


def test_unreachable_directory_leaves_local_login_working(
    directory: Directory, cast: Cast, client: Client, settings: Settings
) -> None:
    directory_settings(settings, directory.config(uri=f"ldap://127.0.0.1:{free_port()}"))
    assert not sign_in(client, mail("someone"), DIRECTORY_PASSWORD)
    assert sign_in(client, cast.assistant.email, PASSWORD)


@pytest.mark.parametrize("tls", ["starttls", "ldaps"])
def test_tls_needs_the_directory_certificate(
    db: None, directory: Directory, client: Client, settings: Settings, tls: str
) -> None:
    email = mail("sana.iqbal")
    directory.person_add("Sana Iqbal", mail=email, password=DIRECTORY_PASSWORD)
    if tls == "ldaps":
        config = directory.config(uri=f"ldaps://127.0.0.1:{directory.ldaps_port}")
    else:
        config = directory.config(start_tls=True)
    # The directory's own certificate is not one the system trusts: the login fails.
    directory_settings(settings, config)
    assert not sign_in(client, email, DIRECTORY_PASSWORD)
    directory_settings(settings, dataclasses.replace(config, ca_file=directory.ca_file))
    assert sign_in(client, email, DIRECTORY_PASSWORD)


LDAP_ENV = {
    "DAFTAR_LDAP_URI": "ldaps://dc1.mowr.gov.pk ldaps://dc2.mowr.gov.pk",
    "DAFTAR_LDAP_USER_BASE": "ou=people,dc=mowr,dc=gov,dc=pk",
}


def _clear_ldap_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("DAFTAR_LDAP_"):
            monkeypatch.delenv(name)


def _settings_of(env: dict[str, str], tmp_path: Path) -> list[object]:
    """settings.py itself, loaded in a fresh interpreter with ``env`` (and no other
    DAFTAR_LDAP_ variable): [backends, AUTH_LDAP_SERVER_URI, bind password, group roles]."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DAFTAR_LDAP_")}
    environ |= {
        **env,
        "DAFTAR_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "daftar.settings",
    }
    script = (
        "import json; from django.conf import settings as s; print(json.dumps(["
        "s.AUTHENTICATION_BACKENDS, getattr(s, 'AUTH_LDAP_SERVER_URI', None),"
        "getattr(s, 'AUTH_LDAP_BIND_PASSWORD', None), getattr(s, 'LDAP_GROUP_ROLES', None)]))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=environ, capture_output=True, text=True, check=True
    )
    values: list[object] = json.loads(result.stdout)
    return values


def test_ldap_is_off_unless_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    backends, *ldap_settings = _settings_of({}, tmp_path)
    assert isinstance(backends, list)
    assert BACKEND not in backends
    assert backends[-1] == MODEL_BACKEND
    assert ldap_settings == [None, None, None]
    _clear_ldap_env(monkeypatch)
    assert directory_config() is None


def test_settings_read_the_environment(tmp_path: Path) -> None:
    secret = tmp_path / "bind-password"
    secret.write_text("s3cret\n", encoding="utf-8")
    backends, uri, password, roles = _settings_of(
        {
            **LDAP_ENV,
            "DAFTAR_LDAP_BIND_DN": "cn=daftar,ou=services,dc=mowr,dc=gov,dc=pk",
            "DAFTAR_LDAP_BIND_PASSWORD_FILE": str(secret),
            "DAFTAR_LDAP_GROUP_ROLES": "cn=registry,ou=groups,dc=mowr,dc=gov,dc=pk=Registry clerk",
            "DAFTAR_LDAP_GROUP_BASE": "ou=groups,dc=mowr,dc=gov,dc=pk",
        },
        tmp_path,
    )
    off, *_ = _settings_of({}, tmp_path)
    assert isinstance(off, list)
    # The directory just before ModelBackend; whatever stands in front (lockout) stays there.
    assert backends == [*off[:-1], BACKEND, MODEL_BACKEND]
    assert uri == LDAP_ENV["DAFTAR_LDAP_URI"]
    assert password == "s3cret"
    assert roles == {"cn=registry,ou=groups,dc=mowr,dc=gov,dc=pk": "Registry clerk"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"DAFTAR_LDAP_URI": "dc1.mowr.gov.pk"}, "use ldap://"),
        ({"DAFTAR_LDAP_URI": "ldap://dc1.mowr.gov.pk:389"}, "would send passwords in clear"),
        ({"DAFTAR_LDAP_STARTTLS": "true"}, "already TLS: unset DAFTAR_LDAP_STARTTLS"),
        ({"DAFTAR_LDAP_USER_BASE": ""}, "DAFTAR_LDAP_USER_BASE must be set"),
        ({"DAFTAR_LDAP_USER_FILTER": "mail=%(user)s"}, "LDAP filter in parentheses"),
        ({"DAFTAR_LDAP_USER_FILTER": "(mail=someone)"}, "%\\(user\\)s"),
        ({"DAFTAR_LDAP_CA_FILE": "/nonexistent/ca.pem"}, "not a readable file"),
        ({"DAFTAR_LDAP_STARTTLS": "maybe"}, "not a boolean"),
        ({"DAFTAR_LDAP_TIMEOUT": "0"}, "at least 1"),
        ({"DAFTAR_LDAP_GROUP_ROLES": "Registry clerk"}, "is not GROUP_DN=Daftar group name"),
        ({"DAFTAR_LDAP_GROUP_ROLES": "registry=Registry clerk"}, "'registry' is not a DN"),
        ({"DAFTAR_LDAP_GROUP_ROLES": "cn=r,dc=pk=Registry clerk"}, "DAFTAR_LDAP_GROUP_BASE"),
        (
            {
                "DAFTAR_LDAP_GROUP_ROLES": "cn=r,dc=pk=R",
                "DAFTAR_LDAP_GROUP_BASE": "dc=pk",
                "DAFTAR_LDAP_GROUP_TYPE": "posix",
            },
            "use one of groupOfNames",
        ),
    ],
)
def test_bad_configuration_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, changes: dict[str, str], message: str
) -> None:
    _clear_ldap_env(monkeypatch)
    for name, value in {**LDAP_ENV, **changes}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        directory_config()


def test_group_roles_format(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_ldap_env(monkeypatch)
    for name, value in LDAP_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv(
        "DAFTAR_LDAP_GROUP_ROLES",
        "CN=Registry, OU=Groups, DC=mowr, DC=gov, DC=pk = Registry clerk ;"
        " cn=signing,ou=groups,dc=mowr,dc=gov,dc=pk=Signing officer;",
    )
    monkeypatch.setenv("DAFTAR_LDAP_GROUP_BASE", "ou=groups,dc=mowr,dc=gov,dc=pk")
    monkeypatch.setenv("DAFTAR_LDAP_GROUP_TYPE", "activeDirectory")
    config = directory_config()
    assert config is not None
    assert config.group_roles == {
        "cn=registry,ou=groups,dc=mowr,dc=gov,dc=pk": "Registry clerk",
        "cn=signing,ou=groups,dc=mowr,dc=gov,dc=pk": "Signing officer",
    }
    assert "s3cret" not in repr(config.__class__(uri="x", user_base="y", bind_password="s3cret"))


@pytest.mark.parametrize(
    ("uri", "start_tls"),
    [
        ("ldap://dc1.mowr.gov.pk", "true"),
        ("ldap://127.0.0.1:3389", "false"),
        ("ldap://localhost", ""),
        ("ldap://[::1]", ""),
        ("ldaps://dc1.mowr.gov.pk:636", "false"),
    ],
)
def test_plain_ldap_only_with_starttls_or_on_this_machine(
    monkeypatch: pytest.MonkeyPatch, uri: str, start_tls: str
) -> None:
    _clear_ldap_env(monkeypatch)
    monkeypatch.setenv("DAFTAR_LDAP_USER_BASE", LDAP_ENV["DAFTAR_LDAP_USER_BASE"])
    monkeypatch.setenv("DAFTAR_LDAP_URI", uri)
    monkeypatch.setenv("DAFTAR_LDAP_STARTTLS", start_tls)
    config = directory_config()
    assert config is not None
    assert config.uri == uri
    assert config.start_tls is (start_tls == "true")


def test_directory_person_re_authenticates_with_the_directory_password(
    ldap_on: Directory, client: Client
) -> None:
    """Before sharing or signing (docs/login.md) the password is asked again: a directory
    person has no local one, so the directory answers."""
    email = mail("kamran.akhtar")
    ldap_on.person_add("Kamran Akhtar", mail=email, password=DIRECTORY_PASSWORD)
    assert sign_in(client, email, DIRECTORY_PASSWORD)
    confirm = reverse("accounts:confirm") + "?next=/"
    assert client.post(confirm, {"password": "not-the-password"}).status_code == 200
    response = client.post(confirm, {"password": DIRECTORY_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("accounts:password-change")).status_code == 302
