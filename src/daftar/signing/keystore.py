"""Private keys at rest: sealed with AES-256-GCM under the instance's key-encryption key.

The key-encryption key (KEK) is 32 bytes, given as 64 hex digits in ``DAFTAR_PKI_KEY`` (or a
file named by ``DAFTAR_PKI_KEY_FILE``), otherwise kept in ``DATA_DIR/keys/pki-kek.hex``
(mode 0600), made on first need. The database holds only ``nonce || ciphertext``, with the
certificate's serial as associated data, so a sealed key copied onto another certificate's
row does not open. Losing the KEK loses every private key (signatures already made stay
verifiable: only the certificates are needed for that). See docs/signing.md.
"""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from daftar.lib.errors import DaftarError

FILE_NAME = "pki-kek.hex"
NONCE_BYTES = 12
KEY_BYTES = 32


class KeyUnavailable(DaftarError):
    """The key-encryption key is missing or wrong: private keys cannot be opened."""

    status = 500


def kek_path() -> Path:
    return Path(settings.DATA_DIR) / "keys" / FILE_NAME


def _parse(text: str, where: str) -> bytes:
    try:
        raw = bytes.fromhex(text.strip())
    except ValueError as exc:
        raise KeyUnavailable(f"{where} is not hexadecimal") from exc
    if len(raw) != KEY_BYTES:
        raise KeyUnavailable(f"{where} must be {KEY_BYTES * 2} hex digits (256 bits)")
    return raw


@functools.cache
def _kek_from(configured: str, path: Path) -> bytes:
    if configured:
        return _parse(configured, "DAFTAR_PKI_KEY")
    if not path.exists():
        _create(path)
    return _parse(path.read_text(encoding="ascii"), str(path))


def kek() -> bytes:
    # Cached per (setting, path): tests that point DATA_DIR elsewhere get that instance's key.
    return _kek_from(settings.PKI_KEY, kek_path())


def _create(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:  # O_EXCL: two workers starting together keep one key, the first one written
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(KEY_BYTES) + "\n")


def seal(plaintext: bytes, *, serial: str, key: bytes | None = None) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(key or kek()).encrypt(nonce, plaintext, serial.encode("ascii"))


def unseal(sealed: bytes, *, serial: str, key: bytes | None = None) -> bytes:
    from cryptography.exceptions import InvalidTag

    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        return AESGCM(key or kek()).decrypt(nonce, body, serial.encode("ascii"))
    except InvalidTag as exc:
        raise KeyUnavailable(
            f"the private key of certificate {serial} does not open with this instance's "
            "key-encryption key (DAFTAR_PKI_KEY or DATA_DIR/keys/pki-kek.hex)"
        ) from exc
