"""What the office offers: the six kinds of appointment (S9.4), slot templates per office × weekday × kind with their
parallel capacity, exceptions (closures, changed capacity), the duty rota from which capacity follows, and the
per-office-and-day row that serialises bookings. Slots themselves are computed (`appointments.slots`), never stored."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from supply_service.core.roles import ROLES


class Place(models.TextChoices):
    OFFICE = "office", _("At the office")
    ON_SITE = "on_site", _("On site")


class AppointmentKind(models.Model):
    """One of the six kinds of S9.4: where it happens, how long it takes, which role serves it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    place = models.CharField(_("place"), max_length=10, choices=Place.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("typical duration (minutes)"), validators=[MinValueValidator(5)])
    serving_role = models.CharField(_("serving role"), max_length=40, choices=[(k, v) for k, v in ROLES.items()])
    home_service = models.BooleanField(
        _("home service possible"), default=False,
        help_text=_("Counter business that disabled and elderly customers may have done at home (S10.3.5)."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appointment kind")
        verbose_name_plural = _("appointment kinds")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (seeded names are English msgids with translations)."""
        return gettext(self.name)

    @property
    def on_site(self) -> bool:
        return self.place == Place.ON_SITE


class DayRule(models.TextChoices):
    EVERY_DAY = "every_day", _("Every day")
    WORKING_DAYS = "working_days", _("Working days (make-up days included)")
    HOLIDAYS = "holidays", _("Rest days and public holidays only")


class SlotTemplate(models.Model):
    """From `starts_at` to `ends_at` on a weekday, slots of the kind's duration, `capacity` in parallel."""

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    kind = models.ForeignKey(AppointmentKind, on_delete=models.PROTECT, related_name="templates",
                             verbose_name=_("kind"))
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=[(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
                               (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday"))])
    days = models.CharField(_("on which days"), max_length=14, choices=DayRule.choices, default=DayRule.EVERY_DAY)
    starts_at = models.TimeField(_("first slot at"))
    ends_at = models.TimeField(_("last slot ends by"))
    capacity = models.PositiveSmallIntegerField(_("in parallel"), default=1, validators=[MinValueValidator(1)])
    priority_reserve = models.PositiveSmallIntegerField(
        _("held for home service"), default=0,
        help_text=_("Places of each slot that only disabled and elderly customers may book (S10.3.5)."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("slot template")
        verbose_name_plural = _("slot templates")
        ordering = ["office", "weekday", "kind", "starts_at"]
        indexes = [models.Index(fields=["office", "weekday"])]

    def __str__(self) -> str:
        return f"{self.office} · {self.get_weekday_display()} · {self.kind} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(_("The last slot must end after the first one starts."))
        if self.priority_reserve is not None and self.capacity and self.priority_reserve > self.capacity:
            raise ValidationError(_("Cannot hold more places than the slot has."))


class SlotException(models.Model):
    """A day on which an office offers less (or nothing) of one kind or of every kind: a closure, a training day."""

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    date = models.DateField(_("date"))
    kind = models.ForeignKey(AppointmentKind, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("kind"), help_text=_("Empty: every kind."))
    capacity = models.PositiveSmallIntegerField(
        _("places per slot"), default=0, help_text=_("0 closes the day for appointments."))
    reason = models.CharField(_("reason"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appointment exception")
        verbose_name_plural = _("appointment exceptions")
        ordering = ["-date"]
        indexes = [models.Index(fields=["office", "date"])]

    def __str__(self) -> str:
        return f"{self.office} {self.date:%Y-%m-%d}: {self.reason}"


class DutyShift(models.Model):
    """Who is on duty when, for which kinds: capacity never exceeds the people on duty."""

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("person on duty"))
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    kinds = models.ManyToManyField(AppointmentKind, related_name="+", verbose_name=_("kinds served"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty rota")
        ordering = ["date", "starts_at"]
        indexes = [models.Index(fields=["office", "date"])]

    def __str__(self) -> str:
        return f"{self.person} {self.date:%Y-%m-%d} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(_("The shift must end after it starts."))


class BookingDay(models.Model):
    """One row per office and day, locked (SELECT … FOR UPDATE) by every booking of that day: two bookings of the
    same day queue, the second sees the first, and a slot is never overbooked."""

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    bookings = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "date"], name="one_booking_day_per_office")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.date}: {self.bookings}"
