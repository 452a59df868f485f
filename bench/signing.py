"""What signing a letter costs: ``python -m bench.signing [--letters 20]``.

It makes a scratch database next to the configured one (Django's test database,
``test_<NAME>``), runs there and drops it: the configured database is never written. One
Division, one signing officer, one file; for each letter a draft is written and approved
(not timed), then ``draft_sign`` is timed whole — re-confirming the signer's password,
rendering the fair copy, the personal PAdES signature, the e-seal, storing the PDF, the audit
event — beside its parts measured alone on the same letter: the fair copy rendering, one
bare pyHanko signature of that PDF with a key in memory (the floor: what any PAdES signer
must pay), and ``pdf_verify`` of the signed letter. Also ``data_sign`` of one final note.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import time
from typing import Any

PASSWORD = "Bench-signing-2026!"  # noqa: S105 — the scratch database's one officer


class Timer:
    """Milliseconds of each block, by name."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self._started = 0.0

    def start(self) -> None:
        self._started = time.perf_counter()

    def stop(self, name: str) -> None:
        elapsed = (time.perf_counter() - self._started) * 1000
        self.times.setdefault(name, []).append(elapsed)


def _figures(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{name:<44} p50 {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms"


def _world() -> tuple[Any, Any, Any]:
    from daftar.files.services import file_open
    from daftar.org import services as org
    from daftar.org.models import UnitKind, User
    from daftar.org.roles import roles_assign
    from daftar.signing.ca import ca_init

    ca_init(name="Daftar CA (bench)")
    gov = org.unit_create(actor=None, code="B-GOP", name="Government", kind=UnitKind.GOVERNMENT)
    division = org.unit_create(
        actor=None, code="B-DIV", name="Bench Division", kind=UnitKind.DIVISION, parent=gov
    )
    other = org.unit_create(
        actor=None, code="B-OTH", name="Other Division", kind=UnitKind.DIVISION, parent=gov
    )
    post = org.post_create(
        actor=None, unit=division, code="B-DS", designation="Deputy Secretary", grade=19
    )
    person = org.person_create(
        actor=None, email="ds@bench.gov.pk", full_name="Bench Officer", password=PASSWORD
    )
    org.charge_assign(actor=None, person=person, post=post, start=dt.date(2020, 1, 1))
    roles_assign(actor=None, person=person, roles=["signing_officer"])
    person = User.objects.get(pk=person.pk)
    file = file_open(actor=person, post_id=post.pk, subject="Letters for the bench")
    return person, file, other


def _approved(person: Any, file: Any, other: Any, n: int) -> Any:
    from daftar.drafting.services import AddresseeInput, draft_approve, draft_create

    draft = draft_create(
        actor=person,
        file_id=file.pk,
        kind="letter",
        language="en",
        classification=0,
        subject=f"Bench letter {n}",
        body="<p>I am directed to refer to the subject cited above.</p>" * 12,
        references="",
        enclosures="",
        addressees=[AddresseeInput(organisation_id=other.pk)],
    )
    return draft_approve(actor=person, draft_id=draft.pk, version_number=1)


def _bare_signature(pdf: bytes) -> bytes:
    """The floor: pyHanko signing the same PDF with an RSA-2048 key already in memory."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    meta = signers.PdfSignatureMetadata(
        field_name="Floor", subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    signed: bytes = signers.PdfSigner(meta, signer=FLOOR_SIGNER[0]).sign_pdf(writer).getvalue()
    return signed


FLOOR_SIGNER: list[Any] = []


def _floor_signer(person: Any) -> Any:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from daftar.signing import ca
    from daftar.signing.certs import personal_certificate

    record = personal_certificate(person)
    key = ca.private_key_of(record).private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(bytes(record.der)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key),
        cert_registry=SimpleCertificateStore(),
    )


def measure(letters: int) -> dict[str, list[float]]:
    from daftar.dispatch.services import draft_sign
    from daftar.documents.selectors import document_bytes
    from daftar.drafting.render import fair_copy_pdf
    from daftar.signing.api import data_sign, pdf_verify

    person, file, other = _world()
    FLOOR_SIGNER.append(_floor_signer(person))
    warm, timer = Timer(), Timer()
    for n in range(letters + 1):
        t = warm if n == 0 else timer  # the first letter warms fonts and caches
        draft = _approved(person, file, other, n)
        t.start()
        fair_copy = draft_sign(actor=person, draft_id=draft.pk, secret=PASSWORD)
        t.stop("sign")
        t.start()
        unsigned = fair_copy_pdf(
            fair_copy.version,
            letter_number="No. 1",
            letter_date=fair_copy.letter_date,
            signer_name="Bench Officer",
            signer_designation="Deputy Secretary",
            verify_url="http://127.0.0.1:8000/verify/x/",
        )
        t.stop("render")
        t.start()
        _bare_signature(unsigned)
        t.stop("floor")
        signed = document_bytes(fair_copy.document)
        t.start()
        report = pdf_verify(signed)
        t.stop("verify")
        if not report.ok:
            raise SystemExit(f"a signed letter did not verify: {report.summary}")
        t.start()
        data_sign(person=person, data=b'{"note": 1}' * 40)
        t.stop("note")
    return timer.times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daftar.settings")
    import django

    django.setup()
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        times = measure(args.letters)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"{args.letters} letters on {connection.vendor}")
    print(_figures("draft_sign (confirm, render, sign, seal, store)", times["sign"]))
    print(_figures("  fair copy rendering alone", times["render"]))
    print(_figures("  floor: one bare pyHanko signature", times["floor"]))
    print(_figures("pdf_verify of the signed letter", times["verify"]))
    print(_figures("data_sign of one final note", times["note"]))
    ratio = statistics.median(times["sign"]) / statistics.median(times["floor"])
    print(f"draft_sign is {ratio:.1f}x the floor (two signatures, rendering, password check)")


if __name__ == "__main__":
    main()
