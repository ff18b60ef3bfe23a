"""Published months: the fulfilment figures of a month, frozen when a manager (or the 5th-working-day schedule)
publishes them (S13.6). A row never changes after it is written; a correction is a new revision of the same month,
shown beside the earlier ones."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedMonth(models.Model):
    month = models.DateField(_("month"), help_text=_("The first day of the month published."))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("published by"), help_text=_("Empty when the schedule published the month."),
    )
    reason = models.CharField(_("reason for the revision"), max_length=255, blank=True)
    figures = models.JSONField(_("figures"), help_text=_("The frozen figures: counts per commitment and callbacks."))

    class Meta:
        verbose_name = _("published month")
        verbose_name_plural = _("published months")
        ordering = ["-month", "-revision"]
        constraints = [models.UniqueConstraint(fields=["month", "revision"], name="one_revision_number_per_month")]
        permissions = [
            ("view_dashboard", _("Can view the managers' dashboard")),
            ("publish_publishedmonth", _("Can publish a month's fulfilment figures")),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} r{self.revision}"

    def save(self, *args, **kwargs):
        """Written once: a published figure never changes (a correction is a new revision)."""
        if self.pk is not None:
            raise ValidationError(_("A published month cannot be changed; publish a revision instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A published month cannot be deleted; publish a revision instead."))
