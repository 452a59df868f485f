"""The papers of a programme organisation's month (see ``demo_programme_history``): letters
diarised at its Central Registry and sent to a Section Officer — electronic ones with their
scan (a Document row on the one shared blob), physical ones tracked by number — letters signed
on paper entered in the dispatch register, and the sign-ins of people who did nothing else."""

from __future__ import annotations

import datetime as dt

from daftar.dispatch.models import PaperLetter
from daftar.documents.models import Document, DocumentPage, OcrStatus
from daftar.files.models import File
from daftar.ops.demo_programme_history import (
    ADDRESSEES,
    PKT,
    SUBJECTS,
    MonthWriter,
    event,
    officer,
)
from daftar.receipts.acknowledgement import reference_for
from daftar.receipts.models import (
    Mode,
    Receipt,
    ReceiptAction,
    ReceiptDocument,
    ReceiptMovement,
    ReceiptStatus,
)


def receipt(w: MonthWriter, *, physical: bool) -> Receipt:
    rng, rows, staff = w.rng, w.rows, w.staff
    registry, clerk = staff.registry, staff.clerk
    person = staff.person[clerk]
    t = w.some_time(10, 120)
    year, serial = w.serial("diary", registry.pk, t)
    number = registry.diary_number_template.format(serial=serial, year=year, unit=registry.code)
    reference, attempt = reference_for(number), 0
    while reference in rows.references:
        attempt += 1
        reference = reference_for(number, attempt=attempt)
    rows.references.add(reference)
    _unit, chain = rng.choice(staff.chains)
    to = officer(chain)
    rid = w.ids.take(Receipt)
    subject = rng.choice(SUBJECTS)
    receipt = Receipt(
        id=rid,
        registry_id=registry.pk,
        year=year,
        serial=serial,
        diary_number=number,
        reference=reference,
        received_on=t.astimezone(PKT).date(),
        mode=Mode.POST if physical or rng.random() < 0.5 else Mode.EMAIL,
        sender_id=rng.choice(staff.sender_ids),
        letter_number=f"No. {rng.randint(1, 90)}({rng.randint(1, 400)})/{year}",
        letter_date=t.astimezone(PKT).date() - dt.timedelta(days=rng.randint(2, 9)),
        subject=subject,
        is_physical=physical,
        holder_id=to,
        created_by_id=person,
        created_at=t,
    )
    rows.receipts.append(receipt)
    w.acted.add(person)
    after = {"diary_number": number, "subject": subject, "is_physical": physical}
    rows.events.append(
        event(t, person, clerk, "receipt.register", ("receipts.receipt", rid), after)
    )
    if not physical:
        _scan(w, receipt, person, t)
    first = ReceiptMovement(
        id=w.ids.take(ReceiptMovement),
        receipt_id=rid,
        action=ReceiptAction.DIARISE,
        to_post_id=clerk,
        sent_by_id=person,
        sent_at=t,
        read_at=t,
        read_by_id=person,
    )
    sent = w.later(t, 5, 60)
    action = ReceiptAction.PUT_UP if to in staff.above[clerk] else ReceiptAction.SEND_ACROSS
    second = ReceiptMovement(
        id=w.ids.take(ReceiptMovement),
        receipt_id=rid,
        action=action,
        from_post_id=clerk,
        to_post_id=to,
        sent_by_id=person,
        sent_at=sent,
        previous_id=first.pk,
    )
    rows.receipt_moves += [first, second]
    rows.events.append(
        event(
            sent,
            person,
            clerk,
            f"receipt.{action}",
            ("receipts.receipt", rid),
            {"holder": staff.code[to], "movement": second.pk},
            {"holder": staff.code[clerk]},
        )
    )
    receipt.current_movement_id = second.pk
    closed = w.settle(second, staff.person[to], read=(30, 240), close=(10, 120))
    if closed is not None:
        receipt.status, receipt.closed_at = ReceiptStatus.CLOSED, closed
    receipt.mirror_current(second)
    return receipt


def _scan(w: MonthWriter, receipt: Receipt, person: int, t: dt.datetime) -> None:
    sha256, size, text = w.staff.document_blob
    did = w.ids.take(Document)
    w.rows.documents.append(
        Document(
            id=did,
            sha256=sha256,
            size=size,
            content_type="application/pdf",
            original_name="letter.pdf",
            page_count=1,
            ocr_status=OcrStatus.NOT_NEEDED,
            uploaded_by_id=person,
            uploaded_at=t,
        )
    )
    w.rows.pages.append(
        DocumentPage(id=w.ids.take(DocumentPage), document_id=did, number=1, text=text)
    )
    w.rows.receipt_docs.append(
        ReceiptDocument(
            id=w.ids.take(ReceiptDocument), receipt_id=receipt.pk, document_id=did, order=1
        )
    )
    w.rows.events.append(
        event(t, person, None, "document.store", ("documents.document", did), {"sha256": sha256})
    )


def paper_letter(w: MonthWriter, *, files: list[File]) -> PaperLetter:
    rng, staff = w.rng, w.staff
    unit_id, chain = rng.choice(staff.chains)
    unit = staff.units[unit_id]
    signer = officer(chain)
    person = staff.person[signer]
    t = w.some_time(60, 300)
    year, serial = w.serial("dispatch", unit.pk, t)
    on_file = [f for f in files if f.unit_id == unit_id and f.is_physical]
    letter = PaperLetter(
        id=w.ids.take(PaperLetter),
        unit_id=unit.pk,
        year=year,
        serial=serial,
        number=f"D-{serial}/{year}-{unit.code}",
        letter_number=f"F.{rng.randint(1, 40)}/{year}-{unit.code}",
        letter_date=t.astimezone(PKT).date(),
        subject=on_file[0].subject if on_file else rng.choice(SUBJECTS),
        file_id=on_file[0].pk if on_file else None,
        addressee=rng.choice(ADDRESSEES),
        channel=rng.choice(("post", "post", "courier", "hand")),
        recorded_by_id=person,
        recorded_post_id=signer,
        recorded_at=t,
    )
    w.rows.letters.append(letter)
    w.acted.add(person)
    w.rows.events.append(
        event(
            t,
            person,
            signer,
            "paper_letter.record",
            ("dispatch.paperletter", letter.pk),
            {"number": letter.number, "channel": letter.channel},
        )
    )
    return letter


def logins(w: MonthWriter, share: float) -> None:
    """People who only signed in (to read) on some day of the month."""
    for person in sorted(set(w.staff.person.values())):
        if person in w.acted or w.rng.random() >= share:
            continue
        t = w.some_time(0, 300)
        w.rows.events.append(
            event(t, person, None, "accounts.login", ("org.user", person), {"ip": None})
        )
        w.acted.add(person)
