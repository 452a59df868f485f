"""Private keys at rest: sealed under the key-encryption key, never plaintext in the DB."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.db import connection
from pytest_django.fixtures import Settings

from daftar.signing import ca, certs, keystore
from daftar.signing.models import Certificate
from tests.cast import Cast

pytestmark = pytest.mark.usefixtures("authority")


def _raw_key_column(serial: str) -> bytes:
    table = Certificate._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key_sealed FROM {table} WHERE serial = %s", [serial])  # noqa: S608
        (value,) = cursor.fetchone()
    return bytes(value)


def test_key_column_holds_no_plaintext_key(cast: Cast) -> None:
    record = certs.personal_certificate(cast.secretary)
    plain = ca.private_key_of(record).private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    stored = _raw_key_column(record.serial)

    assert plain not in stored and plain[:64] not in stored
    assert b"PRIVATE KEY" not in stored
    with pytest.raises(ValueError):
        serialization.load_der_private_key(stored, password=None)
    assert keystore.unseal(stored, serial=record.serial) == plain


def test_a_key_does_not_open_under_another_serial_or_kek(cast: Cast) -> None:
    record = certs.personal_certificate(cast.secretary)
    sealed = bytes(record.key_sealed)
    with pytest.raises(keystore.KeyUnavailable):
        keystore.unseal(sealed, serial="0123")
    with pytest.raises(keystore.KeyUnavailable):
        keystore.unseal(sealed, serial=record.serial, key=bytes(32))


def test_kek_file_is_private(settings: Settings) -> None:
    path = Path(settings.DATA_DIR) / "keys" / keystore.FILE_NAME
    assert path.exists()
    assert path.stat().st_mode & 0o077 == 0
    assert len(bytes.fromhex(path.read_text())) == 32


def test_kek_from_the_environment(settings: Settings) -> None:
    settings.PKI_KEY = "ab" * 32
    assert keystore.kek() == bytes.fromhex("ab" * 32)
    settings.PKI_KEY = "not hex"
    with pytest.raises(keystore.KeyUnavailable, match="DAFTAR_PKI_KEY"):
        keystore.kek()
