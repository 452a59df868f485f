"""A real LDAP directory on loopback for the LDAP login tests (docs/ldap.md).

OpenLDAP's slapd (Debian's ``slapd``) runs as a subprocess from a ``slapd.conf`` in a
temporary directory: an mdb database for ``dc=gov,dc=pk`` with the core, cosine and
inetOrgPerson schemas, a TLS certificate of its own for StartTLS and ldaps://, and access
rules like a ministry's (people may only bind; the service account reads). Each pytest
worker starts one for the session; each test adds its own people, so tests do not depend on
each other.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ldap
import ldap.modlist
import pytest
from pytest_django.fixtures import Settings

from daftar.org.directory.config import DirectoryConfig, parse_group_roles
from tests.tls import self_signed_certificate

BASE = "dc=gov,dc=pk"
ROOT_DN = f"cn=admin,{BASE}"
ROOT_PASSWORD = "slapd-root-password"
SERVICE_DN = f"cn=daftar,ou=services,{BASE}"
SERVICE_PASSWORD = "daftar-service-password"
REGISTRY_GROUP = f"cn=registry,ou=groups,{BASE}"
OFFICERS_GROUP = f"cn=officers,ou=groups,{BASE}"
GROUP_ROLES = f"{REGISTRY_GROUP}=Registry clerk;CN=Officers, OU=Groups, DC=gov, DC=pk=Officer"
_people = itertools.count(1)

_CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {root}/slapd.pid
argsfile {root}/slapd.args
TLSCertificateFile {root}/cert.pem
TLSCertificateKeyFile {root}/key.pem

database mdb
maxsize 16777216
suffix "{base}"
rootdn "{root_dn}"
rootpw {root_password}
directory {root}/db
access to attrs=userPassword by anonymous auth by self read by * none
access to * by users read by * none
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _slapd() -> str:
    found = shutil.which("slapd", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if found is None:
        message = "slapd is not installed (apt-get install slapd; scripts/system-deps.sh test)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@dataclass
class Directory:
    port: int
    ldaps_port: int
    ca_file: str

    @property
    def uri(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    def _admin(self) -> ldap.ldapobject.LDAPObject:
        conn = ldap.initialize(self.uri, bytes_mode=False)
        conn.simple_bind_s(ROOT_DN, ROOT_PASSWORD)
        return conn

    def add(self, dn: str, attrs: dict[str, list[str]]) -> None:
        conn = self._admin()
        try:
            encoded = {k: [v.encode() for v in values] for k, values in attrs.items()}
            conn.add_s(dn, ldap.modlist.addModlist(encoded))
        finally:
            conn.unbind_s()

    def modify(self, dn: str, attr: str, values: list[str], *, op: int = ldap.MOD_REPLACE) -> None:
        conn = self._admin()
        try:
            conn.modify_s(dn, [(op, attr, [v.encode() for v in values])])
        finally:
            conn.unbind_s()

    def person_add(
        self, full_name: str, *, mail: str | None, password: str, groups: tuple[str, ...] = ()
    ) -> str:
        """A new person under ou=people (a fresh uid each time); returns their DN."""
        uid = f"p{os.getpid()}x{next(_people)}"
        dn = f"uid={uid},ou=people,{BASE}"
        attrs = {
            "objectClass": ["inetOrgPerson"],
            "uid": [uid],
            "cn": [full_name],
            "sn": [full_name.split()[-1]],
            "userPassword": [password],
        }
        if mail is not None:
            attrs["mail"] = [mail]
        self.add(dn, attrs)
        for group in groups:
            self.modify(group, "member", [dn], op=ldap.MOD_ADD)
        return dn

    def config(self, **changes: object) -> DirectoryConfig:
        values: dict[str, object] = {
            "uri": self.uri,
            "user_base": f"ou=people,{BASE}",
            "bind_dn": SERVICE_DN,
            "bind_password": SERVICE_PASSWORD,
            "group_roles": parse_group_roles(GROUP_ROLES),
            "group_base": f"ou=groups,{BASE}",
            "timeout": 5,
        }
        values.update(changes)
        return DirectoryConfig(**values)  # type: ignore[arg-type]


def _load(directory: Directory) -> None:
    """The tree: people, groups, and the service account Daftar searches with."""
    directory.add(BASE, {"objectClass": ["dcObject", "organization"], "dc": ["gov"], "o": ["GoP"]})
    for ou in ("people", "groups", "services"):
        directory.add(f"ou={ou},{BASE}", {"objectClass": ["organizationalUnit"], "ou": [ou]})
    directory.add(
        SERVICE_DN,
        {
            "objectClass": ["organizationalRole", "simpleSecurityObject"],
            "cn": ["daftar"],
            "userPassword": [SERVICE_PASSWORD],
        },
    )
    for group in (REGISTRY_GROUP, OFFICERS_GROUP):
        # groupOfNames needs a member; the service account stands in.
        cn = group.split(",")[0].removeprefix("cn=")
        directory.add(group, {"objectClass": ["groupOfNames"], "cn": [cn], "member": [SERVICE_DN]})


def _wait_listening(process: subprocess.Popen[bytes], port: int, root: Path) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                _, stderr = process.communicate()
                pytest.fail(f"slapd did not start: {stderr.decode(errors='replace')[-2000:]}")
            time.sleep(0.05)


@pytest.fixture(scope="session")
def directory() -> Iterator[Directory]:
    slapd = _slapd()
    root = Path(tempfile.mkdtemp(prefix="daftar-ldap-"))
    (root / "db").mkdir()
    self_signed_certificate(root, "Daftar test directory")
    config = root / "slapd.conf"
    config.write_text(
        _CONFIG.format(root=root, base=BASE, root_dn=ROOT_DN, root_password=ROOT_PASSWORD),
        encoding="utf-8",
    )
    port, ldaps_port = free_port(), free_port()
    listen = f"ldap://127.0.0.1:{port}/ ldaps://127.0.0.1:{ldaps_port}/"
    # -d keeps slapd in the foreground (a child we can stop); level 0 logs only errors.
    process = subprocess.Popen(  # noqa: S603
        [slapd, "-d", "0", "-f", str(config), "-h", listen],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_listening(process, port, root)
        server = Directory(port=port, ldaps_port=ldaps_port, ca_file=str(root / "cert.pem"))
        _load(server)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()
        shutil.rmtree(root, ignore_errors=True)


def directory_settings(settings: Settings, config: DirectoryConfig) -> None:
    """Switch LDAP login on with the settings settings.py makes from the environment."""
    for name, value in config.django_settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = config.backends(list(settings.AUTHENTICATION_BACKENDS))


@pytest.fixture
def ldap_on(db: None, settings: Settings, directory: Directory) -> Directory:
    """LDAP login switched on for one test (plain ldap:// on loopback)."""
    directory_settings(settings, directory.config())
    return directory
