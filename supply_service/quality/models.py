"""Supply quality (S6.1–S6.4, S5.3): voltage classes and their limits, monitoring points, monthly voltage figures,
abnormal-condition periods, exemptions and the office's targets — all data a manager edits, with history.

Reliability is computed from the outage notices (actual power-off and restoration times, affected customers) by
`selectors_reliability`; `OutageMonth` keeps the per-outage, per-month sums of the restored outages so that a year
reads a few thousand rows instead of every affected customer (`services_reliability` maintains it).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class VoltageClass(models.Model):
    """A voltage class and its S6.1 deviation limits (per cent of nominal), editable by a manager.

    A sample is qualified when  −lower_pct ≤ deviation ≤ +upper_pct; for the ≥ 35 kV class the standard limits the
    sum of both (`sum_limit_pct`, 10 %): the office chooses the split (upper + lower must not exceed the sum).
    Under abnormal system conditions (S6.2) the band is ±abnormal_pct."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    nominal_volts = models.PositiveIntegerField(_("nominal voltage (V)"))
    three_phase = models.BooleanField(_("three-phase"), default=True)
    upper_pct = models.DecimalField(_("upper limit (+%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    lower_pct = models.DecimalField(_("lower limit (−%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    sum_limit_pct = models.DecimalField(
        _("limit of the sum of both deviations (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=PERCENT, help_text=_("≥ 35 kV (S6.1): the absolute positive and negative deviations together."))
    abnormal_pct = models.DecimalField(_("limit under abnormal conditions (±%)"), max_digits=5, decimal_places=2,
                                       default=Decimal("10"), validators=PERCENT, help_text=_("S6.2"))
    article = models.CharField(_("article"), max_length=20, default="S6.1")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voltage class")
        verbose_name_plural = _("voltage classes")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (self.sum_limit_pct is not None and self.upper_pct is not None and self.lower_pct is not None
                and self.upper_pct + self.lower_pct > self.sum_limit_pct):
            raise ValidationError(_("The upper and lower limits together exceed the limit of their sum."))

    def band(self, *, abnormal: bool = False) -> tuple[Decimal, Decimal]:
        """(lowest, highest) qualified deviation in per cent."""
        if abnormal:
            return -self.abnormal_pct, self.abnormal_pct
        return -self.lower_pct, self.upper_pct


class MonitoringPoint(models.Model):
    """A voltage monitoring point. Classes as in State Grid practice: A — 10(6) kV buses of substations that supply
    the area; B — 35 kV dedicated-line and ≥ 110 kV customers; C — 35 kV non-dedicated and 10(6) kV customers;
    D — low-voltage (380/220 V) network and customers (transformer areas)."""

    class Category(models.TextChoices):
        A = "A", _("A: substation 10 kV bus")
        B = "B", _("B: 35 kV dedicated line and ≥ 110 kV customers")
        C = "C", _("C: 35 kV non-dedicated and 10 kV customers")
        D = "D", _("D: low-voltage network and customers")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("class"), max_length=1, choices=Category.choices)
    voltage_class = models.ForeignKey(VoltageClass, on_delete=models.PROTECT, related_name="points",
                                      verbose_name=_("voltage class"))
    nominal_volts = models.PositiveIntegerField(
        _("nominal voltage (V)"), null=True, blank=True,
        help_text=_("Empty: the voltage class's (e.g. 380 V points in the ≤ 10 kV three-phase class)."))
    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("customer"))
    transformer_area = models.ForeignKey("customers.TransformerArea", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("transformer area"))
    is_active = models.BooleanField(_("in service"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voltage monitoring point")
        verbose_name_plural = _("voltage monitoring points")
        ordering = ["code"]
        indexes = [models.Index(fields=["office", "category"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.customer_id and self.transformer_area_id:
            raise ValidationError(_("A monitoring point is at a customer or in a transformer area, not both."))

    @property
    def nominal(self) -> int:
        return self.nominal_volts or self.voltage_class.nominal_volts


class VoltageMonth(models.Model):
    """One point's month: minutes monitored and minutes outside the limits (S6.1 band; within an abnormal-condition
    period, the S6.2 band — when the figures come from samples)."""

    class Source(models.TextChoices):
        MONTHLY = "monthly", _("Monthly figures imported")
        SAMPLES = "samples", _("Computed from samples")

    point = models.ForeignKey(MonitoringPoint, on_delete=models.PROTECT, related_name="months",
                              verbose_name=_("monitoring point"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    minutes_monitored = models.PositiveIntegerField(_("minutes monitored"))
    minutes_above = models.PositiveIntegerField(_("minutes above the upper limit"), default=0)
    minutes_below = models.PositiveIntegerField(_("minutes below the lower limit"), default=0)
    abnormal_minutes = models.PositiveIntegerField(
        _("minutes under abnormal conditions"), default=0,
        help_text=_("Of the minutes monitored, those judged against the S6.2 band (from samples)."))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.MONTHLY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly voltage figures")
        verbose_name_plural = _("monthly voltage figures")
        ordering = ["-month", "point"]
        constraints = [
            models.UniqueConstraint(fields=["point", "month"], name="quality_one_row_per_point_and_month"),
            models.CheckConstraint(
                condition=models.Q(minutes_above__lte=models.F("minutes_monitored") - models.F("minutes_below")),
                name="quality_minutes_outside_within_monitored"),
        ]
        indexes = [models.Index(fields=["month", "point"])]

    def __str__(self) -> str:
        return f"{self.point_id} {self.month:%Y-%m}"


class AbnormalPeriod(models.Model):
    """An abnormal system condition (S6.2): samples inside it are judged against ±abnormal_pct."""

    office = models.ForeignKey("core.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("office"), help_text=_("Empty: every office."))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reason = models.CharField(_("reason"), max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("abnormal-condition period")
        verbose_name_plural = _("abnormal-condition periods")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.reason}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(_("The period must end after it starts."))


class Exemption(models.Model):
    """A customer (every point at that customer) or a point exempt from S6.1 (S6.3), from a month to a month."""

    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("customer"))
    point = models.ForeignKey(MonitoringPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("monitoring point"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: until further notice."))
    reason = models.CharField(_("reason"), max_length=255,
                              help_text=_("E.g. power factor below the supply rules' requirement (S6.3)."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exemption from S6.1")
        verbose_name_plural = _("exemptions from S6.1")
        ordering = ["-starts_on"]
        constraints = [models.CheckConstraint(
            condition=models.Q(customer__isnull=False) | models.Q(point__isnull=False),
            name="quality_exemption_names_customer_or_point")]

    def __str__(self) -> str:
        return f"{self.customer_id or ''}/{self.point_id or ''} {self.starts_on}"

    def clean(self) -> None:
        if not self.customer_id and not self.point_id:
            raise ValidationError(_("Name the exempt customer or monitoring point."))
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(_("The exemption must end on or after its first day."))


class QualityTarget(models.Model):
    """The provincial company's standard for a year (S6.4; S6.1 for the integrated voltage rate), per office or for
    every office (office empty). The office's own row wins over the general one; the latest year up to the one
    asked for applies."""

    office = models.ForeignKey("core.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("office"), help_text=_("Empty: every office without its own row."))
    year = models.PositiveSmallIntegerField(_("from year"))
    rs1_pct = models.DecimalField(_("RS-1 target (%)"), max_digits=7, decimal_places=4, validators=PERCENT)
    rs3_pct = models.DecimalField(_("RS-3 target (%)"), max_digits=7, decimal_places=4, validators=PERCENT)
    voltage_pct = models.DecimalField(_("integrated voltage qualification rate target (%)"), max_digits=7,
                                      decimal_places=4, validators=PERCENT)
    source = models.CharField(_("source"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supply-quality target")
        verbose_name_plural = _("supply-quality targets")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="quality_one_target_per_office_and_year"),
            models.UniqueConstraint(fields=["year"], condition=models.Q(office__isnull=True),
                                    name="quality_one_general_target_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.office_id or '*'}"


class OutageMonth(models.Model):
    """Derived, not a business record: one restored (not cancelled) outage's share of one local month
    (Asia/Shanghai) for the affected customers of one office. Rewritten in the transaction of every change of the
    notice's actual times, state or affected customers (hook `outage_changed`), rebuilt from scratch by
    `manage.py quality_rebuild`; an outage still off is never stored (the selectors count it live, up to now).

    customers: affected customers of the office; customer_hours: hours off inside the month × customers;
    interruptions: the customers again in the month the outage began, else 0."""

    notice = models.ForeignKey("outages.OutageNotice", on_delete=models.CASCADE, related_name="+",
                               db_constraint=False, db_index=False)  # the unique constraint's index serves it
    office = models.ForeignKey("core.Office", on_delete=models.CASCADE, related_name="+", db_constraint=False,
                               db_index=False)
    month = models.DateField()
    category = models.CharField(max_length=10)
    customers = models.PositiveIntegerField()
    customer_hours = models.FloatField()
    interruptions = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "office", "month"],
                                               name="quality_one_outage_month_per_office")]
        indexes = [models.Index(fields=["month", "office"], name="quality_outage_month_office")]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.office_id} {self.month:%Y-%m}"
