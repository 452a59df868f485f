"""The public pages: no login, CSRF-protected uploads, rate-limited, plain answers."""

from __future__ import annotations

import pytest
from cryptography import x509
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import Settings

from daftar.files.models import Classification
from daftar.signing import api
from daftar.signing.models import Certificate
from tests.cast import Cast
from tests.signing.conftest import signed_letter
from tests.signing.test_validation import one_byte_changed

pytestmark = pytest.mark.usefixtures("authority")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def upload(client: Client, url: str, data: bytes, name: str = "letter.pdf") -> tuple[int, str]:
    response = client.post(url, {"pdf": SimpleUploadedFile(name, data, "application/pdf")})
    return response.status_code, response.content.decode()


def test_ca_certificate_and_crl_are_public(authority: Certificate) -> None:
    client = Client()
    crt = client.get("/pki/ca.crt")
    assert crt.status_code == 200 and crt["Content-Type"] == "application/pkix-cert"
    assert crt.content == bytes(authority.der)
    crl = client.get("/pki/ca.crl")
    assert crl.status_code == 200
    assert x509.load_der_x509_crl(crl.content).next_update_utc is not None


def test_upload_valid_tampered_and_not_a_pdf(cast: Cast, letter: bytes) -> None:
    pdf = signed_letter(cast, letter)
    client = Client()
    assert "Verify a signed letter" in client.get("/verify/").content.decode()

    status, page = upload(client, "/verify/", pdf)
    assert status == 200 and "The signatures on this letter are valid" in page
    assert cast.secretary.full_name in page and "Not changed since it was signed" in page
    status, page = upload(client, "/verify/", one_byte_changed(pdf))
    assert status == 200 and "did not pass the check" in page
    assert "Changed after it was signed" in page
    status, page = upload(client, "/verify/", b"just text", name="letter.txt")
    assert status == 400 and "This is not a PDF file" in page


def test_token_page_shows_the_record_and_compares_the_copy(cast: Cast, letter: bytes) -> None:
    token = api.verification_token_new()
    pdf = signed_letter(cast, letter, token=token)
    client = Client()

    page = client.get(f"/verify/{token}/").content.decode()
    assert cast.secretary.full_name in page and cast.secretary_post.designation in page
    assert "Construction of small dams" in page  # Unclassified: the subject is shown
    status, page = upload(client, f"/verify/{token}/", pdf)
    assert status == 200 and "exactly the file that was issued" in page
    status, page = upload(client, f"/verify/{token}/", one_byte_changed(pdf))
    assert "not the very file that was issued" in page and "did not pass" in page


def test_classified_title_is_not_shown(cast: Cast, letter: bytes) -> None:
    token = api.verification_token_new()
    api.pdf_sign(
        person=cast.secretary,
        post=cast.secretary_post,
        pdf=letter,
        reason="Approved",
        token=token,
        title="Water sharing talks: our position",
        classification=Classification.CONFIDENTIAL,
    )
    page = Client().get(f"/verify/{token}/").content.decode()
    assert "our position" not in page and cast.secretary.full_name in page


def test_unknown_token_is_a_plain_404() -> None:
    response = Client().get("/verify/no-such-token/")
    assert response.status_code == 404
    assert "No letter found at this address" in response.content.decode()


def test_csrf_is_required() -> None:
    client = Client(enforce_csrf_checks=True)
    status, _page = upload(client, "/verify/", b"%PDF-1.4")
    assert status == 403


def test_uploads_are_rate_limited_per_address(settings: Settings, letter: bytes) -> None:
    settings.VERIFY_PER_MINUTE = 2
    client = Client()
    assert upload(client, "/verify/", letter)[0] == 200
    assert upload(client, "/verify/", letter)[0] == 200
    status, page = upload(client, "/verify/", letter)
    assert status == 429 and "Too many checks" in page
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert upload(other, "/verify/", letter)[0] == 200


def test_too_large_upload_is_refused(settings: Settings, letter: bytes) -> None:
    settings.VERIFY_MAX_BYTES = 2048
    status, page = upload(Client(), "/verify/", letter + b"\n" * 4096)
    assert status == 400 and "larger than" in page
