from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Commitment(models.Model):
    """A service commitment (服务承诺) of the standard: a time limit or a target rate, looked up by code."""

    class Unit(models.TextChoices):
        SECONDS = "seconds", _("seconds")
        MINUTES = "minutes", _("minutes")
        HOURS = "hours", _("hours")
        DAYS = "days", _("calendar days")
        WORKING_DAYS = "working_days", _("working days")
        PERCENT = "percent", _("percent")

    CLOCK_UNITS = (Unit.SECONDS, Unit.MINUTES, Unit.HOURS)
    DAY_UNITS = (Unit.DAYS, Unit.WORKING_DAYS)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    limit = models.DecimalField(
        _("limit"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    article = models.CharField(_("article of the standard"), max_length=20)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service commitment")
        verbose_name_plural = _("service commitments")
        ordering = ["article", "code"]

    def __str__(self) -> str:
        return f"{self.article} {self.display_title}"

    @property
    def display_title(self) -> str:
        """The title in the active language (seeded titles are English msgids with translations)."""
        return gettext(self.title)

    @property
    def is_time_limit(self) -> bool:
        return self.unit != self.Unit.PERCENT

    @property
    def display_limit(self) -> str:
        if self.unit in self.DAY_UNITS and self.limit == 0:
            return gettext("the same day")
        value = self.limit.normalize()
        return f"{value:f} {self.get_unit_display()}"

    @property
    def sort_key(self) -> tuple:
        """Articles in the standard's order (S10.2.2 before S10.2.10)."""
        parts = self.article.lstrip("S").split(".")
        return tuple(int(p) if p.isdigit() else 0 for p in parts), self.code


class Policy(models.Model):
    """A number the office may change that is not a time limit (attempts, lockouts, frequencies)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2)
    article = models.CharField(_("article of the standard"), max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy value")
        verbose_name_plural = _("policy values")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} = {self.value.normalize():f}"

    @property
    def display_title(self) -> str:
        return gettext(self.title)
