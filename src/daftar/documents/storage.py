"""Where the original bytes of documents live: a content-addressed blob store.

A blob is named by the SHA-256 of its bytes, so the same scan uploaded twice is stored once and
a blob can never be changed in place. Every read checks the hash again: a damaged or altered
blob is refused loudly (``BlobDamaged``), never served.

The store is chosen by ``settings.DOCUMENT_STORE`` (``BACKEND`` and ``OPTIONS``); the default,
``LocalBlobStore``, keeps blobs under the data directory. An S3-compatible store (MinIO, Ceph)
is another class with the same four methods.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import IO, Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

_CHUNK = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


class BlobError(RuntimeError):
    """The blob store cannot hand out what was asked for."""


class BlobMissing(BlobError):
    """No blob is stored under this hash."""


class BlobDamaged(BlobError):
    """The stored bytes no longer hash to their name: damaged on disk or altered."""


class BlobStore(Protocol):
    def put(self, content: bytes | IO[bytes]) -> str:
        """Store the bytes (or everything a binary stream yields); return their SHA-256.

        Either the whole blob is stored or nothing is: a failure leaves no partial blob.
        Storing bytes that are already there stores nothing new."""
        ...

    def read(self, sha256: str) -> bytes:
        """The bytes stored under ``sha256``, checked against it first.

        Raises ``BlobMissing`` or ``BlobDamaged``; never returns bytes that fail the check."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def location(self, sha256: str) -> str:
        """Where the blob is, for operators and error messages (a path, a URL)."""
        ...


def check_sha256(sha256: str) -> str:
    """A blob name is 64 lower-case hex digits; anything else (``../``) is refused."""
    if not _SHA256.fullmatch(sha256):
        raise BlobError(f"not a SHA-256 blob name: {sha256!r}")
    return sha256


class LocalBlobStore:
    """Blobs as files: ``ROOT/ab/cd/abcd…`` (two levels of 256 directories, named by the first
    two bytes of the hash, keep every directory small).

    A new blob is written to a temporary file in the directory it will live in, flushed to the
    disk (``fsync``), then renamed to its name in one step, and the directory is synced too: a
    crash or a full disk leaves either the whole blob or no blob, never a half-written one
    under a valid name. Blobs are made read-only; the originals are never altered.
    """

    def __init__(self, *, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def location(self, sha256: str) -> str:
        return str(self.path(sha256))

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, content: bytes | IO[bytes]) -> str:
        if isinstance(content, bytes | bytearray | memoryview):
            data = bytes(content)
            sha256 = hashlib.sha256(data).hexdigest()
            if self._intact(sha256):
                return sha256
            final = self.path(sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            self._write_atomically(final.parent, [data], final)
            return sha256
        # A stream: its hash is known only at the end, so it is spooled into the root (the
        # same file system) and renamed into its directory once named.
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := content.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            if self._intact(sha256):
                tmp.unlink()
                return sha256
            final = self.path(sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp.chmod(0o440)
            tmp.replace(final)
            _fsync_dir(final.parent)
            return sha256
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise

    def read(self, sha256: str) -> bytes:
        path = self.path(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise BlobMissing(f"no stored document {sha256} (expected at {path})") from exc
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise BlobDamaged(
                f"stored document {sha256} is damaged: its bytes at {path} hash to {actual}. "
                "Restore the file from a backup; it is not served until then."
            )
        return data

    def _intact(self, sha256: str) -> bool:
        """Already stored and sound. A damaged copy is replaced by the fresh upload."""
        try:
            self.read(sha256)
        except BlobError:
            return False
        return True

    @staticmethod
    def _write_atomically(directory: Path, chunks: list[bytes], final: Path) -> None:
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=directory)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            tmp.chmod(0o440)
            tmp.replace(final)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        _fsync_dir(directory)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def blob_store() -> BlobStore:
    """The configured store (``settings.DOCUMENT_STORE``). Cheap: built on each call, so a
    test that changes the setting gets a store that follows it."""
    config: dict[str, Any] = settings.DOCUMENT_STORE
    cls = import_string(config["BACKEND"])
    store: BlobStore = cls(**config.get("OPTIONS", {}))
    return store
