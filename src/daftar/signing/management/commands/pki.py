"""``daftar pki init | issue | renew | revoke | crl`` (docs/signing.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from daftar.lib.errors import DaftarError
from daftar.org.models import OrgUnit, User
from daftar.signing import ca, certs
from daftar.signing.models import Certificate, RevocationReason


def _owner(parser: CommandParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--person", metavar="EMAIL", help="a person's personal certificate")
    group.add_argument("--organisation", metavar="CODE", help="an organisation's e-seal")


class Command(BaseCommand):
    help = "Run this instance's certificate authority: create it, issue, renew, revoke, CRL."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="Create the CA (once; it is never replaced).")
        init.add_argument("--name", help="the CA's name (default: Daftar CA <public host>)")
        _owner(sub.add_parser("issue", help="Issue a certificate unless one is live."))
        _owner(sub.add_parser("renew", help="New key and certificate; the old one superseded."))
        revoke = sub.add_parser("revoke", help="Revoke a certificate and re-issue the CRL.")
        revoke.add_argument("serial", help="the certificate's serial number (hex)")
        revoke.add_argument("--reason", required=True, choices=RevocationReason.values)
        crl = sub.add_parser("crl", help="Issue a fresh CRL and write it out.")
        crl.add_argument("--out", type=Path, help="file to write (DER); default: none")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"])(options)
        except DaftarError as exc:
            raise CommandError(exc.message) from exc

    def _init(self, options: dict[str, Any]) -> None:
        host = urlparse(settings.PUBLIC_URL).hostname or "localhost"
        record = ca.ca_init(name=options["name"] or f"Daftar CA {host}")
        pem = ca.certificate_of(record).public_bytes(serialization.Encoding.PEM).decode()
        self.stdout.write(f"certificate authority {record.subject} (serial {record.serial})")
        self.stdout.write(f"published at {ca.ca_url()}; its CRL at {ca.crl_url()}")
        self.stdout.write(pem, ending="")

    def _target(self, options: dict[str, Any]) -> User | OrgUnit:
        if options["person"]:
            person = User.objects.filter(email__iexact=options["person"]).first()
            if person is None:
                raise CommandError(f"no person with e-mail {options['person']}")
            return person
        unit = OrgUnit.objects.filter(code=options["organisation"]).first()
        if unit is None:
            raise CommandError(f"no organisation with code {options['organisation']}")
        return unit

    def _issue(self, options: dict[str, Any]) -> None:
        target = self._target(options)
        with transaction.atomic(durable=True):
            if isinstance(target, User):
                record = certs.personal_certificate(target)
            else:
                record = certs.seal_certificate(target)
        self._show(record)

    def _renew(self, options: dict[str, Any]) -> None:
        target = self._target(options)
        if isinstance(target, User):
            record = certs.renew_person(target)
        else:
            record = certs.renew_organisation(target)
        self._show(record)

    def _revoke(self, options: dict[str, Any]) -> None:
        record = certs.revoke(serial=options["serial"], reason=options["reason"])
        self.stdout.write(
            f"revoked {record.serial} ({record.subject}) on {record.revoked_at:%Y-%m-%d %H:%M} "
            f"for {record.revocation_reason}; CRL re-issued"
        )

    def _crl(self, options: dict[str, Any]) -> None:
        with transaction.atomic(durable=True):
            issued = ca.crl_issue()
        if options["out"]:
            options["out"].write_bytes(bytes(issued.der))
        self.stdout.write(
            f"CRL {issued.number} issued, next update {issued.next_update:%Y-%m-%d %H:%M}; "
            f"published at {ca.crl_url()}"
            + (f"; written to {options['out']}" if options["out"] else "")
        )

    def _show(self, record: Certificate) -> None:
        self.stdout.write(
            f"{record.kind} certificate {record.serial}: {record.subject}, "
            f"valid {record.not_before:%Y-%m-%d} to {record.not_after:%Y-%m-%d}"
        )
