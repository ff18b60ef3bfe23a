"""The sealed reporter identity: a separate record without history, read only through
`complaints.services_identity` (permission, a reason, for reports a custodian's approval; every read logged in the
kernel's personal-data access log), erased after the retention period."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supply_service.complaints.models.complaint import Complaint

IDENTITY_FIELDS = ("name", "phone", "email", "address", "id_number")


class ReporterIdentity(models.Model):
    """Name, phone, e-mail, address and ID number of the person who complained or reported. No history table (it
    would copy them), no admin page, never in a list, an export, a notification text or a log line."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="identity",
                                     verbose_name=_("complaint"))
    name = models.CharField(_("name"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    id_number = models.CharField(_("ID number"), max_length=30, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporter identity")
        verbose_name_plural = _("reporter identities")
        default_permissions = ()  # read through `complaints.view_reporter_identity` only

    def __str__(self) -> str:
        return str(_("Sealed identity of %(number)s") % {"number": self.complaint.number})

    def __repr__(self) -> str:  # never the values, even in a traceback
        return f"<ReporterIdentity {self.pk}>"

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in IDENTITY_FIELDS)


class IdentityRequest(models.Model):
    """A request to read a report's reporter identity; a custodian (another person, a manager) decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the custodian")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="identity_requests",
                                  verbose_name=_("complaint"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=255)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # An approval serves one read, within Policy `complaint_identity_approval_hours` of the decision: then a new
    # request is needed (services_identity.identity_read).
    used_at = models.DateTimeField(_("read at"), null=True, blank=True,
                                   help_text=_("The one read this approval allowed; a new read needs a new request."))

    class Meta:
        verbose_name = _("identity request")
        verbose_name_plural = _("identity requests")
        ordering = ["-requested_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.get_state_display()}"


class PublicSubmission(models.Model):
    """One public form post (feedback or tracking) by a hashed client address: the rate limit counts these rows.
    No address in clear; rows older than the window are useless and pruned by the next post."""

    at = models.DateTimeField(_("at"), default=timezone.now)
    client = models.CharField(_("client (hashed)"), max_length=64)
    purpose = models.CharField(_("purpose"), max_length=10)

    class Meta:
        verbose_name = _("public submission")
        verbose_name_plural = _("public submissions")
        default_permissions = ()
        indexes = [models.Index(fields=["client", "purpose", "at"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.at:%Y-%m-%d %H:%M}"
