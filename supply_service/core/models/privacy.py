from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    """One look at a customer's unmasked personal information, or one export of personal data (PIPL): who, when,
    which customer or how many records, and why (exports). Written by `core.services.privacy` only; never changed
    or deleted; readable by auditors (`core.view_personaldataaccess`).

    Also holds the kernel's two cross-cutting permissions: exporting personal data, and acting for every office
    (the office rule in `core.access`)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed unmasked")
        EXPORT = "export", _("Exported")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of record")
    )
    object_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    label = models.CharField(_("which"), max_length=120, help_text=_("The customer's account number, or what was "
                                                                    "exported."))
    record_count = models.PositiveIntegerField(_("records"), default=1)
    reason = models.TextField(_("reason"), blank=True)
    where = models.CharField(_("where"), max_length=40, help_text=_("The page or the admin the data was seen in."))

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)  # there is nothing to add, change or delete by hand
        permissions = [
            ("export_personal_data", _("Can export personal data")),
            ("act_any_office", _("Can act on the items of every office")),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_action_display()} · {self.label}"
