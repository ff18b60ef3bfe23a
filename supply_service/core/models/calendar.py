from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarDay(models.Model):
    """One day of the working-day calendar: statutory holidays and make-up working days (调休)."""

    class Source(models.TextChoices):
        SEEDED = "seeded", _("Seeded from chinese-calendar")
        MANUAL = "manual", _("Entered by a manager")
        NOTICE = "notice", _("Imported from the State Council's notice")

    date = models.DateField(_("date"), primary_key=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("holiday or make-up day"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        permissions = [("import_calendarday", _("Can import the State Council's holiday notice"))]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"
