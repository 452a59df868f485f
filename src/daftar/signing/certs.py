"""Who holds which certificate: issued on first use, renewed and revoked on request."""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.db import transaction

from daftar.audit.services import event_record
from daftar.lib import clock
from daftar.lib.errors import InvalidInput, NotFound
from daftar.org.models import OrgUnit, User
from daftar.org.selectors import organisation_of, posts_held
from daftar.signing import ca
from daftar.signing.models import Certificate, CertificateKind, RevocationReason


def person_subject(person: User) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COMMON_NAME, person.full_name),
        x509.NameAttribute(NameOID.EMAIL_ADDRESS, person.email),
    ]
    posts = posts_held(person)
    if posts:  # the organisation of the person's senior post names them on the certificate
        senior = max(posts, key=lambda post: (post.grade or 0, -post.pk))
        name = organisation_of(senior.unit).name
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, name))
    return x509.Name(attributes)


def seal_subject(organisation: OrgUnit) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, organisation.name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation.name),
        ]
    )


def _live(**owner: object) -> Certificate | None:
    found = Certificate.objects.filter(revoked_at__isnull=True, **owner).first()
    if found is not None and found.not_after <= clock.now():
        return None  # expired: a new one is issued (the old one stays for old signatures)
    return found


def personal_certificate(person: User) -> Certificate:
    """The person's live certificate, issued on first use (inside the caller's transaction)."""
    found = _live(kind=CertificateKind.PERSONAL, person=person)
    if found is not None:
        return found
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=person.pk).first()  # one issuer at a time
        return _live(kind=CertificateKind.PERSONAL, person=person) or _issue_personal(person)


def seal_certificate(organisation: OrgUnit) -> Certificate:
    found = _live(kind=CertificateKind.SEAL, organisation=organisation)
    if found is not None:
        return found
    with transaction.atomic():
        OrgUnit.objects.select_for_update().filter(pk=organisation.pk).first()
        found = _live(kind=CertificateKind.SEAL, organisation=organisation)
        return found or _issue_seal(organisation)


def _supersede(**owner: object) -> None:
    """Retire an expired or renewed live certificate so a new one may be issued."""
    old = Certificate.objects.filter(revoked_at__isnull=True, **owner).first()
    if old is not None:
        _revoke(old, RevocationReason.SUPERSEDED)


def _issue_personal(person: User) -> Certificate:
    _supersede(kind=CertificateKind.PERSONAL, person=person)
    record = ca.issue(
        kind=CertificateKind.PERSONAL,
        subject=person_subject(person),
        email=person.email,
        person=person,
    )
    _issued(record)
    return record


def _issue_seal(organisation: OrgUnit) -> Certificate:
    _supersede(kind=CertificateKind.SEAL, organisation=organisation)
    record = ca.issue(
        kind=CertificateKind.SEAL, subject=seal_subject(organisation), organisation=organisation
    )
    _issued(record)
    return record


def _issued(record: Certificate) -> None:
    event_record(
        actor=None,
        action="certificate.issue",
        obj=record,
        after={"serial": record.serial, "kind": record.kind, "subject": record.subject},
    )


def renew_person(person: User) -> Certificate:
    with transaction.atomic(durable=True):
        return _issue_personal(person)


def renew_organisation(organisation: OrgUnit) -> Certificate:
    with transaction.atomic(durable=True):
        return _issue_seal(organisation)


def _revoke(record: Certificate, reason: str) -> None:
    record.revoked_at = clock.now()
    record.revocation_reason = reason
    record.save(update_fields=["revoked_at", "revocation_reason"])
    event_record(
        actor=None,
        action="certificate.revoke",
        obj=record,
        after={"serial": record.serial, "reason": reason},
    )
    ca.crl_issue()  # the published list never lags a revocation


def revoke(*, serial: str, reason: str) -> Certificate:
    if reason not in RevocationReason.values:
        raise InvalidInput(
            f"{reason!r} is not a revocation reason; use one of: "
            + ", ".join(RevocationReason.values)
        )
    with transaction.atomic(durable=True):
        record = Certificate.objects.select_for_update().filter(serial=serial.lower()).first()
        if record is None or record.kind == CertificateKind.CA:
            raise NotFound(f"No person's or organisation's certificate has serial {serial}.")
        if record.revoked_at is not None:
            raise InvalidInput(f"Certificate {serial} was already revoked on {record.revoked_at}.")
        _revoke(record, reason)
        return record
