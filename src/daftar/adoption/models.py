"""The programme office's figures: each organisation unit's month, its e-office level, the
training behind it, and the published rubric's thresholds and costs.

``MonthlyFigures`` is a summary table written only by ``levels_compute`` (one month rewritten
in one transaction), so the dashboard reads a few hundred rows however large the data. Every
count is kept beside the shares made from it, so a figure can always be explained.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AdoptionPolicy(models.Model):
    """The rubric's thresholds (whole percentages) and the savings constants: one row (pk 1),
    changed only through ``policy_update`` so each change is audited. The defaults are the
    published rubric (PRODUCT.md, "E-office levels")."""

    staffed_min = models.PositiveSmallIntegerField(_("posts staffed for level 1 (%)"), default=50)
    trained_min = models.PositiveSmallIntegerField(_("T for level 1 (%)"), default=50)
    l2_receipts_min = models.PositiveSmallIntegerField(_("R for level 2 (%)"), default=50)
    l2_electronic_min = models.PositiveSmallIntegerField(_("E for level 2 (%)"), default=25)
    l3_electronic_min = models.PositiveSmallIntegerField(_("E for level 3 (%)"), default=75)
    l3_receipts_min = models.PositiveSmallIntegerField(_("R for level 3 (%)"), default=75)
    l4_electronic_min = models.PositiveSmallIntegerField(_("E for level 4 (%)"), default=95)
    l4_receipts_min = models.PositiveSmallIntegerField(_("R for level 4 (%)"), default=95)
    l4_signed_min = models.PositiveSmallIntegerField(_("D for level 4 (%)"), default=90)
    l4_external_min = models.PositiveSmallIntegerField(_("X for level 4 (%)"), default=90)
    cost_per_page = models.DecimalField(
        _("cost of a printed page"), max_digits=8, decimal_places=2, default=Decimal("10.00")
    )
    currency = models.CharField(_("currency"), max_length=10, default="Rs")
    paper_transit_hours = models.DecimalField(
        _("hours a paper file takes from desk to desk"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("4.0"),
    )
    updated_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("e-office rubric and costs")
        verbose_name_plural = _("e-office rubric and costs")

    def __str__(self) -> str:
        return str(_("E-office rubric and costs"))

    @classmethod
    def current(cls) -> AdoptionPolicy:
        """The row in force; the defaults when nobody has changed them (not saved)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class MonthlyFigures(models.Model):
    """One unit's month: the counts behind E, R, D, X, T and A over the unit and the units
    below it (an attached department or subordinate office reports on its own and is not
    counted in its parent; the Government unit counts everything), the level and its reason.

    Written only by ``levels_compute``. ``final`` is set when the month had ended at the time
    of computing; a month to date is recomputed until then."""

    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    final = models.BooleanField(_("month complete"), default=False)
    computed_at = models.DateTimeField(_("computed at"))
    # E: file work (notes and movements) on electronic vs physical files
    notes_electronic = models.PositiveIntegerField(default=0)
    moves_electronic = models.PositiveIntegerField(default=0)
    moves_physical = models.PositiveIntegerField(default=0)
    files_electronic = models.PositiveIntegerField(default=0)  # distinct files worked on
    files_physical = models.PositiveIntegerField(default=0)
    # R: receipts diarised in the month, with an electronic copy or on paper only
    receipts_electronic = models.PositiveIntegerField(default=0)
    receipts_physical = models.PositiveIntegerField(default=0)
    # D: outgoing letters issued, signed electronically vs entered as signed on paper
    letters_signed = models.PositiveIntegerField(default=0)
    letters_paper = models.PositiveIntegerField(default=0)
    # X: copies sent to addressees outside the organisation, electronically vs on paper
    external_electronic = models.PositiveIntegerField(default=0)
    external_paper = models.PositiveIntegerField(default=0)
    # T and A: posts, and the people holding them at the end of the month
    posts = models.PositiveIntegerField(default=0)
    posts_staffed = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    people_trained = models.PositiveIntegerField(default=0)
    people_active = models.PositiveIntegerField(default=0)
    # Pace
    median_wait_hours = models.DecimalField(
        max_digits=8, decimal_places=1, null=True, blank=True
    )  # how long a file waited at a desk before it moved on (moves in the month)
    overdue = models.PositiveIntegerField(default=0)  # files and receipts past due at month end
    # Savings
    pages_saved = models.PositiveIntegerField(default=0)
    cost_saved = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    hops_electronic = models.PositiveIntegerField(default=0)
    hours_saved = models.DecimalField(max_digits=12, decimal_places=1, default=Decimal("0"))
    # The level and why, in words ("level 3: E 81%, R 90%; level 4 needs …")
    level = models.PositiveSmallIntegerField(_("e-office level"), default=0)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["unit", "month"], name="monthly_figures_unique"),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["month", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}: level {self.level}"

    @staticmethod
    def share(num: int, den: int) -> Decimal | None:
        """A whole-number-and-one-decimal percentage; None when there was no such work."""
        if den == 0:
            return None
        return (Decimal(100 * num) / Decimal(den)).quantize(Decimal("0.1"))

    @property
    def e(self) -> Decimal | None:
        work = self.notes_electronic + self.moves_electronic
        return self.share(work, work + self.moves_physical)

    @property
    def r(self) -> Decimal | None:
        return self.share(
            self.receipts_electronic, self.receipts_electronic + self.receipts_physical
        )

    @property
    def d(self) -> Decimal | None:
        return self.share(self.letters_signed, self.letters_signed + self.letters_paper)

    @property
    def x(self) -> Decimal | None:
        return self.share(self.external_electronic, self.external_electronic + self.external_paper)

    @property
    def t(self) -> Decimal | None:
        return self.share(self.people_trained, self.people)

    @property
    def a(self) -> Decimal | None:
        return self.share(self.people_active, self.people)

    @property
    def staffed(self) -> Decimal | None:
        return self.share(self.posts_staffed, self.posts)


class TrainingSession(models.Model):
    """A training session: when, where, by whom, on what; run for one organisation."""

    organisation = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    trainer = models.CharField(_("trainer"), max_length=200)
    place = models.CharField(_("place"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("training session")
        permissions = (("record_training", _("Record training sessions and who attended")),)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["organisation", "held_on", "topic", "trainer", "place"],
                name="training_session_unique",
            )
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class TrainingAttendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="attendances"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("training attendance")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["session", "person"], name="training_attendance_unique")
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["person", "session"])]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.session_id}"
