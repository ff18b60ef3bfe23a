"""The engagement records the standard asks for (S12.2, S13.1–S13.3), major incidents (S5.4) and the duty roster
the S7.4 measure reads. Managers keep them in the admin; the audit checklist and the verdict read them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ServiceSupervisor(models.Model):
    """An external service supervisor (行风监督员, S13.2) appointed for an office."""

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    name = models.CharField(_("name"), max_length=80)
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    appointed_on = models.DateField(_("appointed on"))
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("serving"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("external service supervisor")
        verbose_name_plural = _("external service supervisors")
        ordering = ["office", "name"]

    def __str__(self) -> str:
        return self.name


class EngagementRecord(models.Model):
    """A customer forum (S12.2), a supervisor's visit (S13.2), a leader reception day (S13.3) or a reading of the
    suggestion box or book (S13.1): date, participants, minutes and follow-up actions."""

    class Kind(models.TextChoices):
        FORUM = "forum", _("Customer forum")
        SUPERVISOR_VISIT = "supervisor_visit", _("Service supervisor's visit")
        RECEPTION_DAY = "reception_day", _("Leader reception day")
        SUGGESTION_BOX = "suggestion_box", _("Suggestion box or book opened")

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    title = models.CharField(_("subject"), max_length=200)
    supervisor = models.ForeignKey(ServiceSupervisor, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="visits", verbose_name=_("service supervisor"))
    participants = models.TextField(_("participants"))
    participant_count = models.PositiveIntegerField(_("number of participants"), default=0)
    minutes = models.TextField(_("minutes"))
    follow_up = models.TextField(_("follow-up actions"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("engagement record")
        verbose_name_plural = _("engagement records")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["office", "kind", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}: {self.title}"


class SurveyResult(models.Model):
    """One result of a third-party satisfaction survey (S12.2), imported from the survey company's file."""

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    period = models.CharField(_("period"), max_length=20, help_text=_("e.g. 2026-H1 or 2026-Q3."))
    surveyor = models.CharField(_("survey company"), max_length=160)
    respondents = models.PositiveIntegerField(_("respondents"))
    satisfaction = models.DecimalField(_("satisfaction (%)"), max_digits=5, decimal_places=2,
                                       validators=[MinValueValidator(0), MaxValueValidator(100)])
    findings = models.TextField(_("findings and follow-up"), blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("imported by"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("satisfaction survey result")
        verbose_name_plural = _("satisfaction survey results")
        ordering = ["-year", "-period"]
        constraints = [models.UniqueConstraint(fields=["office", "period", "surveyor"],
                                               name="one_survey_result_per_period")]

    def __str__(self) -> str:
        return f"{self.period} {self.satisfaction}%"


class MajorIncident(models.Model):
    """An incident recorded against an office; a major one (harming the company's image) fails S5.4."""

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("what happened"))
    is_major = models.BooleanField(_("major (harms the company's image)"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.description[:40]}"


class DutyShift(models.Model):
    """Who is on duty at the office and when (the duty roster): with the languages each person serves in, it says
    whether an English speaker and a sign-language server are there (S7.4)."""

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("staff member"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty roster")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["office", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.staff} {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A shift must end after it starts.")})
