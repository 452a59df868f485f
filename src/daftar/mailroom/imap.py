"""Reading a mailbox: the small ``MailSource`` protocol and its IMAP implementation.

``ImapSource`` speaks IMAP4rev1 through the standard library's ``imaplib``: TLS from the start
(IMAPS), STARTTLS, or plain on loopback only. Messages are named by UID; reading uses
``BODY.PEEK[]`` so it does not set ``\\Seen``; ``mark_seen`` does, once the import committed.
"""

from __future__ import annotations

import imaplib
import re
import ssl
from collections.abc import Sequence
from types import TracebackType
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from daftar.lib.env import ConfigError, env_str
from daftar.mailroom.models import PASSWORD_ENV_PATTERN, Mailbox, TlsMode, is_loopback


class MailSourceError(Exception):
    """The mailbox cannot be read (connection, login, folder); the message says why."""


class MessageTooLarge(Exception):
    """The message is larger than ``MAIL_MAX_BYTES``; it was not downloaded."""

    def __init__(self, size: int) -> None:
        super().__init__(
            _("The message is %(size)s bytes, more than the %(limit)s accepted.")
            % {"size": size, "limit": settings.MAIL_MAX_BYTES}
        )
        self.size = size


class MailSource(Protocol):
    def unseen(self) -> list[str]:
        """The ids of the unseen messages, oldest first."""
        ...

    def fetch(self, uid: str) -> bytes | None:
        """The message exactly as stored, without marking it seen; None when it is gone
        (deleted meanwhile by a mail program reading the same mailbox). Raises
        ``MessageTooLarge`` rather than download more than ``MAIL_MAX_BYTES``."""
        ...

    def mark_seen(self, uid: str) -> None: ...

    def close(self) -> None: ...


def mailbox_password(mailbox: Mailbox) -> str:
    name = mailbox.password_env
    if not PASSWORD_ENV_PATTERN.match(name):
        raise MailSourceError(_("The password variable %(name)s is not allowed.") % {"name": name})
    try:
        password = env_str(name, "")
    except ConfigError as exc:
        raise MailSourceError(str(exc)) from exc
    if not password:
        raise MailSourceError(
            _("The password variable %(name)s (or %(name)s_FILE) is not set.") % {"name": name}
        )
    return password


def tls_context() -> ssl.SSLContext:
    """Certificates checked against the system's CAs, or DAFTAR_IMAP_CA_FILE's."""
    ca_file: str = settings.IMAP_CA_FILE
    return ssl.create_default_context(cafile=ca_file or None)


_UID = re.compile(rb"^\d+$")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class ImapSource:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        timeout = float(settings.IMAP_TIMEOUT_SECONDS)
        host, port = mailbox.host, mailbox.port
        try:
            if mailbox.tls == TlsMode.SSL:
                self.imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    host, port, ssl_context=tls_context(), timeout=timeout
                )
            elif mailbox.tls == TlsMode.STARTTLS:
                self.imap = imaplib.IMAP4(host, port, timeout=timeout)
                self.imap.starttls(ssl_context=tls_context())
            elif is_loopback(host):
                self.imap = imaplib.IMAP4(host, port, timeout=timeout)
            else:
                raise MailSourceError(
                    _("%(host)s is not on this machine: use TLS.") % {"host": host}
                )
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailSourceError(
                _("Cannot connect to %(host)s:%(port)s: %(error)s")
                % {"host": host, "port": port, "error": exc}
            ) from exc
        try:
            self.imap.login(mailbox.username, mailbox_password(mailbox))
            status, data = self.imap.select(_quoted(mailbox.folder))
            if status != "OK":
                raise MailSourceError(
                    _("No folder %(folder)s: %(error)s")
                    % {"folder": mailbox.folder, "error": _text(data)}
                )
        except (OSError, imaplib.IMAP4.error) as exc:
            self.close()
            raise MailSourceError(
                _("%(user)s at %(host)s: %(error)s")
                % {"user": mailbox.username, "host": host, "error": exc}
            ) from exc
        except MailSourceError:
            self.close()
            raise

    def __enter__(self) -> ImapSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _ok(self, status: str, data: Sequence[object], what: str) -> None:
        if status != "OK":
            raise MailSourceError(f"{what}: {_text(data)}")

    def unseen(self) -> list[str]:
        try:
            status, data = self.imap.uid("SEARCH", "UNSEEN")
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailSourceError(str(exc)) from exc
        self._ok(status, data, "SEARCH")
        raw = data[0] if data and isinstance(data[0], bytes) else b""
        uids = [uid for uid in raw.split() if _UID.match(uid)]
        return [uid.decode() for uid in sorted(uids, key=int)]

    def fetch(self, uid: str) -> bytes | None:
        try:
            status, data = self.imap.uid("FETCH", uid, "(RFC822.SIZE)")
            self._ok(status, data, "FETCH")
            sizes = [_SIZE.search(item) for item in data if isinstance(item, bytes)]
            size = next((int(found[1]) for found in sizes if found), None)
            if size is None:
                return None
            if size > settings.MAIL_MAX_BYTES:
                raise MessageTooLarge(size)
            status, data = self.imap.uid("FETCH", uid, "(BODY.PEEK[])")
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailSourceError(str(exc)) from exc
        self._ok(status, data, "FETCH")
        for item in data:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
                return item[1]
        return None

    def mark_seen(self, uid: str) -> None:
        try:
            status, data = self.imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailSourceError(str(exc)) from exc
        self._ok(status, data, "STORE")

    def close(self) -> None:
        try:
            if self.imap.state == "SELECTED":
                self.imap.close()
            self.imap.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(data: Sequence[object]) -> str:
    return " ".join(
        item.decode(errors="replace") if isinstance(item, bytes) else str(item) for item in data
    )
