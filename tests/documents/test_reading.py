"""Reading stored documents: verified bytes, the blob store itself, and page images."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from daftar.documents.models import Document
from daftar.documents.selectors import document_bytes, page_image
from daftar.documents.storage import BlobDamaged, BlobError, BlobMissing, LocalBlobStore
from daftar.lib.env import ConfigError, env_words
from daftar.lib.errors import InvalidInput, NotFound
from tests.documents import samples
from tests.documents.conftest import blob_files

Store = Callable[[str, bytes], Document]


def damage(path: Path) -> None:
    """Flip one byte of a stored blob, as a failing disk or a meddler would."""
    path.chmod(0o640)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_document_bytes_are_the_original(store: Store) -> None:
    content = samples.text_pdf(["The original letter, to be kept byte for byte."])
    document = store("letter.pdf", content)

    assert document_bytes(document) == content


def test_a_damaged_blob_is_refused_not_served(store: Store, blob_root: Path) -> None:
    content = samples.scan(["Signed order"])
    document = store("order.png", content)
    path = LocalBlobStore(root=blob_root).path(document.sha256)
    damage(path)

    with pytest.raises(BlobDamaged, match=f"{document.sha256} is damaged"):
        document_bytes(document)
    with pytest.raises(BlobDamaged):
        page_image(document, 1, width=200)

    # The same bytes uploaded again replace the damaged copy.
    again = store("order (again).png", content)
    assert again.sha256 == document.sha256
    assert document_bytes(document) == content


def test_a_missing_blob_is_named(store: Store, blob_root: Path) -> None:
    document = store("gone.pdf", samples.text_pdf(["x" * 40]))
    LocalBlobStore(root=blob_root).path(document.sha256).unlink()

    with pytest.raises(BlobMissing, match=document.sha256):
        document_bytes(document)


def test_blob_store_writes_whole_read_only_files_and_takes_streams(tmp_path: Path) -> None:
    store = LocalBlobStore(root=tmp_path)
    data = os.urandom(3 * 1024 * 1024 + 17)

    from_stream = store.put(io.BytesIO(data))
    from_bytes = store.put(data)

    assert from_stream == from_bytes
    assert store.exists(from_bytes) and store.read(from_bytes) == data
    files = blob_files(tmp_path)
    assert files == [store.path(from_bytes)]  # no temporary file left over
    assert files[0].stat().st_mode & 0o222 == 0  # read-only: originals are not altered
    with pytest.raises(BlobError, match="not a SHA-256"):
        store.read("../../etc/passwd")


def test_pdf_page_images(store: Store) -> None:
    document = store("two.pdf", samples.text_pdf(["Page one " * 5, "Page two " * 5]))

    png = page_image(document, 2, width=300)

    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.width == 300
        assert 420 <= image.height <= 425  # A4 proportions
    assert page_image(document, 2, width=300) == png  # the derived copy
    with pytest.raises(NotFound):
        page_image(document, 3, width=300)
    with pytest.raises(InvalidInput):
        page_image(document, 1, width=10_000)


def test_scan_page_images_are_the_pages_themselves(store: Store) -> None:
    document = store("two.tif", samples.tiff([samples.scan(["One"]), samples.scan(["Two"])]))

    with Image.open(io.BytesIO(page_image(document, 2, width=620))) as image:
        assert image.size == (620, 200)  # 1240 x 400 scaled by half


def test_office_files_have_no_page_images(store: Store) -> None:
    document = store("letter.docx", samples.docx())

    with pytest.raises(InvalidInput, match="Word document has no page images"):
        page_image(document, 1, width=300)


def test_ocr_languages_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAFTAR_OCR_LANGUAGES", "eng+urd+script/Arabic")
    with pytest.raises(ConfigError, match="script/Arabic"):
        env_words("DAFTAR_OCR_LANGUAGES", ["eng"], separator="+")
    monkeypatch.setenv("DAFTAR_OCR_LANGUAGES", " eng + chi_sim ")
    assert env_words("DAFTAR_OCR_LANGUAGES", ["eng"], separator="+") == ["eng", "chi_sim"]
    monkeypatch.delenv("DAFTAR_OCR_LANGUAGES")
    assert env_words("DAFTAR_OCR_LANGUAGES", ["eng"], separator="+") == ["eng"]


def test_only_widths_in_steps_of_50_are_kept(store: Store, tmp_path: Path) -> None:
    document = store("one.pdf", samples.text_pdf(["A page to look at, twice." * 2]))

    page_image(document, 1, width=333)
    page_image(document, 1, width=400)

    kept = sorted(p.name for p in (tmp_path / "derived").rglob("*.png"))
    assert kept == ["1-400.png"]


def test_the_same_bytes_stored_at_once_by_many_threads_are_one_whole_blob(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    store = LocalBlobStore(root=tmp_path)
    data = os.urandom(2 * 1024 * 1024)

    with ThreadPoolExecutor(max_workers=8) as pool:
        names = set(pool.map(lambda _: store.put(data), range(16)))

    assert len(names) == 1
    assert blob_files(tmp_path) == [store.path(next(iter(names)))]  # no temporary files left
    assert store.read(hashlib.sha256(data).hexdigest()) == data
