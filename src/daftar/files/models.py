"""Electronic (and registered physical) files and their note sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from daftar.movement.models import Movement


class Classification(models.IntegerChoices):
    """Security grades, lowest first, so a clearance compares with ``>=``."""

    UNCLASSIFIED = 0, _("Unclassified")
    RESTRICTED = 1, _("Restricted")
    CONFIDENTIAL = 2, _("Confidential")
    SECRET = 3, _("Secret")
    TOP_SECRET = 4, _("Top Secret")


class Priority(models.IntegerChoices):
    ROUTINE = 0, _("Routine")
    PRIORITY = 1, _("Priority")
    IMMEDIATE = 2, _("Immediate")
    MOST_IMMEDIATE = 3, _("Most Immediate")


class FileStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARKED = "parked", _("Parked")
    CLOSED = "closed", _("Closed")


class File(models.Model):
    number = models.CharField(_("file number"), max_length=120, unique=True)
    subject = models.CharField(_("subject"), max_length=500)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="files"
    )
    head = models.CharField(_("head"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.ROUTINE
    )
    is_physical = models.BooleanField(
        _("physical file"),
        default=False,
        help_text=_("A paper file registered for tracking: movement only, no electronic notes."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FileStatus.choices, default=FileStatus.OPEN
    )
    # Custody: exactly one post holds the file. Written only by the movement services, under
    # the file's row lock; ``current_movement`` is the send that brought it to the holder.
    holder = models.ForeignKey(
        "org.Post", verbose_name=_("with"), on_delete=models.PROTECT, related_name="files_held"
    )
    current_movement = models.OneToOneField(
        "movement.Movement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The inbox keys: copies of the current movement's unread flag, priority, reply-by date and
    # sending time, kept by ``mirror_current`` in the same transaction as the movement. On
    # the file row they let one index give a desk of 5,000 files its first page in order.
    inbox_unread = models.BooleanField(default=False, editable=False)
    inbox_priority = models.PositiveSmallIntegerField(default=Priority.ROUTINE, editable=False)
    inbox_due_on = models.DateField(null=True, blank=True, editable=False)
    inbox_since = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("file")
        permissions = (
            ("open_file", _("Open new files")),
            ("share_file", _("Share files with other posts")),
            ("sign_document", _("Sign documents")),
            ("record_file", _("Close, record and reopen files")),
        )
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["unit", "year", "serial"], name="file_serial_unique"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["holder", "status"]),
            # The inbox order (see movement.selectors.inbox): unread first, then priority,
            # reply-by date, longest waiting.
            models.Index(
                F("holder"),
                F("status"),
                F("inbox_unread").desc(),
                F("inbox_priority").desc(),
                F("inbox_due_on"),
                F("inbox_since"),
                F("id"),
                name="file_inbox_order",
            ),
            # "Where is file no. …" matches the number whatever its case.
            models.Index(Upper("number"), name="file_number_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.subject}"

    def mirror_current(self, movement: Movement) -> list[str]:
        """Copy the inbox keys from ``movement`` (the current one); returns the fields to save."""
        self.inbox_unread = movement.read_at is None
        self.inbox_priority = movement.priority
        self.inbox_due_on = movement.due_on
        self.inbox_since = movement.sent_at
        return INBOX_FIELDS


INBOX_FIELDS = ["inbox_unread", "inbox_priority", "inbox_due_on", "inbox_since"]


class NoteKind(models.TextChoices):
    TEXT = "text", _("Note")
    AGREE = "agree", _("Agreed")
    # A paper put on the file, entered in the notes at the point it arrived (one paragraph).
    RECEIPT = "receipt", _("Correspondence entry")
    # Written final by the system when something is done on the file (a draft approved, a
    # letter issued): one paragraph, never editable.
    ENTRY = "entry", _("Entry")


class Note(models.Model):
    """A note on the note sheet. Its paragraphs are numbered in one series across the file.

    A draft ("yellow") note is its author's to edit or delete while the file is with their
    post; sending the file makes it final ("green") and it never changes again.
    """

    file = models.ForeignKey(File, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    post = models.ForeignKey(
        "org.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("written as")
    )
    kind = models.CharField(max_length=10, choices=NoteKind.choices, default=NoteKind.TEXT)
    body = models.TextField(_("text"), blank=True)
    is_final = models.BooleanField(_("final"), default=False)
    # Paragraphs of this note are numbered first_para, first_para + 1, ...; an agreement
    # ("I agree", signature only) carries no paragraph.
    first_para = models.PositiveIntegerField(default=1)
    para_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("note")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["file", "id"]),
            models.Index(fields=["file"], condition=Q(is_final=False), name="note_draft_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.file.number} ¶{self.first_para}"

    def paragraphs(self) -> list[tuple[int, str]]:
        return [(self.first_para + i, p) for i, p in enumerate(split_paragraphs(self.body))]


class NoteSignature(models.Model):
    """The signature its author's key made over a final note's canonical content
    (``note_signatures.canonical_content``), at the moment the note became final.

    The SHA-256 of that content is kept beside the signature so a printed note (an export
    prints it) can be matched against ``daftar notes verify`` without the key."""

    note = models.OneToOneField(Note, on_delete=models.PROTECT, related_name="signature")
    certificate_serial = models.CharField(_("certificate serial"), max_length=64)
    algorithm = models.CharField(_("algorithm"), max_length=40)
    value = models.BinaryField(_("signature"))
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("note signature")

    def __str__(self) -> str:
        return f"note {self.note_id} by certificate {self.certificate_serial}"


def split_paragraphs(body: str) -> list[str]:
    """Paragraphs are separated by a blank line."""
    normalised = body.replace("\r\n", "\n").strip()
    if not normalised:
        return []
    return [" ".join(p.split("\n")).strip() for p in normalised.split("\n\n") if p.strip()]


class CorrespondenceKind(models.TextChoices):
    PUC = "puc", _("Paper under consideration")
    FRESH = "fr", _("Fresh receipt")
    # The signed copy of a letter issued from this file (dispatch), kept as its office copy.
    OFFICE_COPY = "oc", _("Office copy")


class CorrespondenceItem(models.Model):
    """A paper on the correspondence side of a file, with its flag and its pages there.

    Pages run in one series through the file's correspondence, in the order the papers were
    put on it; the first paper is the PUC, later ones fresh receipts. The paragraph entry in
    the notes (``note``) records the moment it was put on the file.

    A paper is a receipt, or (for the office copy of a letter issued from the file) a stored
    document with a ``title``: exactly one of the two.
    """

    file = models.ForeignKey(File, on_delete=models.PROTECT, related_name="correspondence")
    receipt = models.ForeignKey(
        "receipts.Receipt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="file_items",
    )
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(
        _("title"), max_length=600, blank=True, help_text=_("What a paper without a receipt is.")
    )
    kind = models.CharField(_("kind"), max_length=3, choices=CorrespondenceKind.choices)
    flag = models.CharField(_("flag"), max_length=3)
    first_page = models.PositiveIntegerField(_("first page"))
    page_count = models.PositiveIntegerField(_("pages"))
    is_copy = models.BooleanField(
        _("copy"), default=False, help_text=_("A copy of a paper that stands on another file.")
    )
    note = models.OneToOneField(Note, on_delete=models.PROTECT, related_name="correspondence_item")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("put on the file at"))

    class Meta:
        verbose_name = _("correspondence item")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["file", "receipt"], name="correspondence_once"),
            models.UniqueConstraint(fields=["file", "flag"], name="correspondence_flag_unique"),
            models.UniqueConstraint(
                fields=["file", "first_page"], name="correspondence_page_unique"
            ),
            models.CheckConstraint(
                condition=(Q(receipt__isnull=False) & Q(document__isnull=True))
                | (Q(receipt__isnull=True) & Q(document__isnull=False)),
                name="correspondence_receipt_or_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_id} F/{self.flag} pp. {self.first_page}-{self.last_page}"

    # What lists show of a paper, whichever kind it is (select_related receipt__sender).
    @property
    def subject(self) -> str:
        return self.receipt.subject if self.receipt is not None else self.title

    @property
    def reference(self) -> str:
        return self.receipt.diary_number if self.receipt is not None else ""

    @property
    def origin(self) -> str:
        return str(self.receipt.sender) if self.receipt is not None else str(_("Office copy"))

    @property
    def last_page(self) -> int:
        return self.first_page + self.page_count - 1


def flag_letter(index: int) -> str:
    """The flag of the ``index``-th paper (0-based): A … Z, then AA, AB …, as on paper slips."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class ShareBase(models.Model):
    """A read-only grant of one paper to one post, until an end date (inclusive).

    Made by a holder of the post that has the paper, for a recorded reason; revocable. It lets
    the holders of ``post`` see the paper and never lets them act on it (acting needs custody).
    The rules are in ``share_rules``; each kind of paper adds its own link (FileShare,
    ReceiptShare)."""

    post = models.ForeignKey(
        "org.Post", verbose_name=_("shared with"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    until = models.DateField(_("until"))
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_from = models.ForeignKey(
        "org.Post", verbose_name=_("shared by post"), on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(_("shared at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class FileShare(ShareBase):
    """A share of one file (see ShareBase)."""

    file = models.ForeignKey(File, on_delete=models.PROTECT, related_name="shares")

    class Meta:
        verbose_name = _("file share")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["post", "file", "until"],
                condition=Q(revoked_at__isnull=True),
                name="fileshare_live_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_id} → {self.post_id} until {self.until}"
