"""The demo's incoming papers: letters diarised at the Central Registry and sent to sections.

Each letter is a scan drawn here (an A4 page at 150 dpi with a letterhead, reference, date and
a few lines), stored through ``document_store`` (so its OCR is queued for ``daftar worker``),
diarised and sent in one step by the registry clerk through ``receipt_register``. Two of them
are then put on files by the people who receive them, one as the PUC of a new file and one as
a fresh receipt on a file already under discussion; the others wait unopened in the desks'
receipts inboxes. A letter whose subject is already in the diary is not diarised again.
"""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from daftar.documents.services import document_store
from daftar.files.correspondence import file_open_from_receipt, receipt_put_on_file
from daftar.files.models import File
from daftar.lib import clock
from daftar.org.models import Charge, ChargeKind, Post, User
from daftar.receipts.diary import receipt_register
from daftar.receipts.models import Mode, Receipt
from daftar.receipts.senders import sender_create

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CLERK_POST = "RI-UDC"
PKT = zoneinfo.ZoneInfo("Asia/Karachi")


@dataclass(frozen=True)
class Letter:
    organisation: str
    sender: str
    designation: str
    email: str
    letter_number: str
    subject: str
    lines: tuple[str, ...]
    to_post: str  # the post it is sent to (for a reply on a file: the file's holder)
    days_ago: int
    then: str = ""  # "new file", "on file:<subject>" or "" (left in the inbox)


LETTERS = (
    Letter(
        "Water and Power Development Authority (WAPDA)",
        "Engr. Asif Raza",
        "Chief Engineer (Dams)",
        "ce.dams@wapda.gov.pk",
        "WAPDA/CE(D)/2026/311",
        "Mohmand Dam: monthly progress report",
        (
            "Please find enclosed the monthly progress report of the Mohmand Dam project.",
            "Concrete placement in the main dam reached 61 percent of the planned quantity.",
            "The diversion tunnels are complete; spillway works are on schedule.",
        ),
        "SO-D1",
        1,
    ),
    Letter(
        "Planning Commission",
        "Mr. Tariq Mahmood",
        "Chief (Water)",
        "chief.water@pc.gov.pk",
        "F.4(12)/2026-Water",
        "CDWP meeting: agenda items of the Ministry of Water Resources",
        (
            "The next meeting of the CDWP is scheduled for the last week of the month.",
            "The Ministry may send its agenda items with the approved PC-I documents.",
            "Working papers must reach this office at least ten days before the meeting.",
        ),
        "SO-D1",
        2,
        then="new file",
    ),
    Letter(
        "Finance Division",
        "Mr. Kamran Ali",
        "Deputy Secretary (Budget)",
        "ds.budget@finance.gov.pk",
        "F.3(5)/2026-Budget",
        "Release of PSDP funds: second quarter",
        (
            "The second quarterly release of PSDP funds has been authorised.",
            "Utilisation of the first release must be reported before further releases.",
        ),
        "SO-BA",
        3,
    ),
    Letter(
        "World Bank, Islamabad Office",
        "Ms. Sarah Collins",
        "Task Team Leader",
        "scollins@worldbank.org",
        "WB/DASU/2026/44",
        "Dasu hydropower project: follow-up of the aide memoire",
        (
            "Further to the aide memoire of the last mission, we request an update",
            "on the resettlement action plan and on the transmission line contracts.",
        ),
        "",
        2,
        then="on file:Dasu hydropower project: aide memoire of the World Bank mission",
    ),
    Letter(
        "Senate Secretariat",
        "Mr. Javed Iqbal",
        "Deputy Secretary (Questions)",
        "questions@senate.gov.pk",
        "F.2(47)/2026-Q",
        "Senate unstarred question No. 112: small dams in Balochistan",
        (
            "The following unstarred question has been received for answer.",
            "Reply in twenty copies may be sent within fifteen days.",
        ),
        "SO-W1",
        1,
    ),
)


def letter_scan(letter: Letter, received_on: dt.date) -> bytes:
    """A plain A4 letter at 150 dpi: enough for the viewer and for OCR, small on disk."""
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    head, body = ImageFont.truetype(FONT_BOLD, 30), ImageFont.truetype(FONT, 24)
    draw.text((620, 110), letter.organisation, font=head, fill=0, anchor="ma")
    draw.line((120, 170, 1120, 170), fill=0, width=2)
    draw.text((120, 210), f"No. {letter.letter_number}", font=body, fill=0)
    draw.text((1120, 210), received_on.strftime("%d %B %Y"), font=body, fill=0, anchor="ra")
    draw.text((120, 290), "The Secretary, Ministry of Water Resources, Islamabad", font=body)
    draw.text((120, 370), f"Subject: {letter.subject}", font=head, fill=0)
    for row, line in enumerate(letter.lines):
        draw.text((120, 460 + row * 48), line, font=body, fill=0)
    draw.text((1120, 1400), letter.sender, font=body, fill=0, anchor="ra")
    draw.text((1120, 1440), letter.designation, font=body, fill=0, anchor="ra")
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(150, 150))
    return out.getvalue()


def _holder(code: str) -> tuple[User, Post]:
    post = Post.objects.get(code=code)
    charge = (
        Charge.objects.current(clock.now().date())
        .filter(post=post)
        .order_by("kind")
        .select_related("person")
        .first()
    )
    if charge is None or charge.kind != ChargeKind.REGULAR:
        raise ValueError(f"the demo post {code} has no regular holder")
    return charge.person, post


def working_morning(now: dt.datetime, working_days_ago: int) -> dt.datetime:
    """10:30 in Karachi, ``working_days_ago`` working days before ``now`` (and before it)."""
    day = now.astimezone(PKT).date()
    left = working_days_ago
    while True:
        moment = dt.datetime.combine(day, dt.time(10, 30), PKT)
        if day.weekday() < 5 and moment < now:
            if left == 0:
                return moment.astimezone(dt.UTC)
            left -= 1
        day -= dt.timedelta(days=1)


def load_receipts(now: dt.datetime) -> int:
    """Diarise the demo letters not yet in the diary; returns how many were diarised."""
    clerk, clerk_post = _holder(CLERK_POST)
    created = 0
    for letter in LETTERS:
        if Receipt.objects.filter(registry=clerk_post.unit, subject=letter.subject).exists():
            continue
        moment = working_morning(now, letter.days_ago)
        with clock.frozen_at(moment):
            _diarise(letter, clerk, clerk_post, moment.astimezone(PKT).date())
        created += 1
    return created


def _diarise(letter: Letter, clerk: User, clerk_post: Post, received_on: dt.date) -> None:
    sender = sender_create(
        actor=clerk,
        organisation=letter.organisation,
        name=letter.sender,
        designation=letter.designation,
        email=letter.email,
    )
    scan = document_store(actor=clerk, name="letter.png", content=letter_scan(letter, received_on))
    on_file = None
    if letter.then.startswith("on file:"):
        # A reply to a file under discussion goes to whoever holds that file now.
        on_file = File.objects.select_related("holder").get(
            subject=letter.then.removeprefix("on file:")
        )
        receiver, to_post = _holder(on_file.holder.code)
    else:
        receiver, to_post = _holder(letter.to_post)
    receipt = receipt_register(
        actor=clerk,
        post_id=clerk_post.pk,
        sender_id=sender.pk,
        subject=letter.subject,
        received_on=received_on,
        mode=Mode.POST,
        letter_number=letter.letter_number,
        letter_date=received_on - dt.timedelta(days=3),
        document_ids=[scan.pk],
        send_to_post_id=to_post.pk,
        send_remarks="For necessary action.",
    )
    if letter.then == "new file":
        file_open_from_receipt(actor=receiver, receipt_id=receipt.pk)
    elif on_file is not None:
        receipt_put_on_file(actor=receiver, receipt_id=receipt.pk, file_id=on_file.pk)
