"""A real mail system on loopback for the mailroom tests.

Dovecot (Debian's ``dovecot-imapd``) runs as a subprocess with its own configuration, a user
name per test (any name logs in with the test password) and a Maildir per user, all in a
temporary directory; an SMTP server
(aiosmtpd) delivers what it receives into the recipient's Maildir. A test sends its messages
by SMTP and Daftar reads them back over IMAP, exactly as in an office.
"""

from __future__ import annotations

import grp
import itertools
import mailbox
import os
import pwd
import shutil
import signal
import smtplib
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from pytest_django.fixtures import Settings

from daftar.mailroom.models import Mailbox, TlsMode
from tests.cast import Cast
from tests.tls import self_signed_certificate

PASSWORD = "imap-test-password"
_users = itertools.count(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _dovecot() -> str:
    found = shutil.which("dovecot", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if found is None:
        message = (
            "dovecot is not installed (apt-get install dovecot-imapd; scripts/system-deps.sh test)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@dataclass
class MailServer:
    root: Path
    imap_port: int
    smtp_port: int
    uid: int
    gid: int
    imaps_port: int = 0
    ca_file: str = ""  # the server's self-signed certificate, to trust it

    def user_new(self) -> str:
        """A fresh IMAP user with an empty Maildir (each test its own mailbox)."""
        name = f"u{os.getpid()}x{next(_users)}"
        home = self.root / "mail" / name
        home.mkdir()
        maildir = mailbox.Maildir(home / "Maildir", create=True)
        maildir.close()
        self.own(home)
        return name

    def own(self, path: Path) -> None:
        """Give the delivered files to the mail user (when the tests run as root)."""
        if os.getuid() != 0:
            return
        for where, _dirs, files in os.walk(path):
            os.chown(where, self.uid, self.gid)
            for name in files:
                os.chown(os.path.join(where, name), self.uid, self.gid)

    def send(self, message: EmailMessage, *, to_user: str) -> None:
        """Deliver ``message`` to ``to_user`` through the SMTP server."""
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=10) as smtp:
            smtp.send_message(message, to_addrs=[f"{to_user}@registry.test"])


class Delivery:
    """aiosmtpd handler: each accepted message goes into its recipients' Maildirs."""

    def __init__(self, root: Path, server: MailServer | None = None) -> None:
        self.root = root
        self.server = server

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        for rcpt in envelope.rcpt_tos:
            home = self.root / "mail" / rcpt.partition("@")[0]
            if not home.exists():
                return "550 No such user here"
            box = mailbox.Maildir(home / "Maildir", create=False)
            box.add(content)
            box.close()
            if self.server is not None:
                self.server.own(home)
        return "250 Delivered"


_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
first_valid_uid = 1
{users}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
service anvil {{
  chroot =
}}
"""


@pytest.fixture(scope="session")
def mail_server() -> Iterator[MailServer]:
    dovecot = _dovecot()
    # Not under pytest's temporary directory: as root that is private (0700), and Dovecot's
    # own users must reach the Maildirs.
    root = Path(tempfile.mkdtemp(prefix="daftar-mail-"))
    root.chmod(0o755)  # dovecot's own users must reach the Maildirs
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
        (root / sub).chmod(0o755)
    if os.getuid() == 0:  # mail is served as dovecot's own user; root is not allowed
        uid, gid, users = pwd.getpwnam("dovecot").pw_uid, grp.getgrnam("dovecot").gr_gid, ""
    else:  # everything as the user running the tests
        uid, gid = os.getuid(), os.getgid()
        me, group = pwd.getpwuid(uid).pw_name, grp.getgrgid(gid).gr_name
        users = (
            f"default_login_user = {me}\ndefault_internal_user = {me}\n"
            f"default_internal_group = {group}"
        )
    imap_port, imaps_port = free_port(), free_port()
    self_signed_certificate(root, "Daftar test IMAP")
    config = root / "dovecot.conf"
    config.write_text(
        _CONFIG.format(
            root=root,
            port=imap_port,
            imaps_port=imaps_port,
            users=users,
            uid=uid,
            gid=gid,
            password=PASSWORD,
        ),
        encoding="utf-8",
    )
    process = subprocess.Popen(  # noqa: S603
        [dovecot, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = MailServer(
        root=root,
        imap_port=imap_port,
        smtp_port=0,
        uid=uid,
        gid=gid,
        imaps_port=imaps_port,
        ca_file=str(root / "cert.pem"),
    )
    controller = Controller(Delivery(root, server), hostname="127.0.0.1", port=free_port())
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", imap_port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = root / "dovecot.log"
                    details = log.read_text() if log.exists() else ""
                    stderr = process.stderr.read().decode() if process.stderr else ""
                    pytest.fail(f"dovecot did not start: {stderr} {details}")
                time.sleep(0.05)
        controller.start()
        server.smtp_port = controller.port
        yield server
    finally:
        if server.smtp_port:
            controller.stop()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _blob_root(settings: Settings, tmp_path: Path) -> None:
    """Each test its own blob store (as in tests/documents)."""
    settings.DOCUMENT_STORE = {
        "BACKEND": "daftar.documents.storage.LocalBlobStore",
        "OPTIONS": {"root": str(tmp_path / "blobs")},
    }
    settings.IMAP_TIMEOUT_SECONDS = 10


@pytest.fixture
def imap_user(mail_server: MailServer, monkeypatch: pytest.MonkeyPatch) -> str:
    user = mail_server.user_new()
    monkeypatch.setenv("DAFTAR_IMAP_PASSWORD_REGISTRY", PASSWORD)
    return user


@pytest.fixture
def registry_mailbox(cast: Cast, mail_server: MailServer, imap_user: str) -> Mailbox:
    """The Central Registry's mailbox on the loopback server; drafts go to the clerk."""
    box = Mailbox(
        unit=cast.registry,
        name="registry@mowr.gov.pk",
        host="127.0.0.1",
        port=mail_server.imap_port,
        tls=TlsMode.PLAIN,
        username=imap_user,
        password_env="DAFTAR_IMAP_PASSWORD_REGISTRY",
        post=cast.registry_post,
    )
    box.full_clean()
    box.save()
    return box
