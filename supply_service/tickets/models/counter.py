"""Counter transactions (S10.2.1) and 95598 call records (S10.2.6)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CounterTransaction(models.Model):
    """One customer served at the counter: residential fee collection ≤ 5 min, other business ≤ 15 min."""

    class Kind(models.TextChoices):
        FEE_RESIDENTIAL = "fee_residential", _("Residential fee collection")
        OTHER = "other", _("Other business")

    number = models.CharField(_("number"), max_length=24, unique=True, editable=False)
    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("clerk"))
    kind = models.CharField(_("business"), max_length=16, choices=Kind.choices)
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("customer"))
    started_at = models.DateTimeField(_("service started at"))
    finished_at = models.DateTimeField(_("service finished at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    NUMBER_PREFIX = "GT"

    class Meta:
        verbose_name = _("counter transaction")
        verbose_name_plural = _("counter transactions")
        ordering = ["-started_at"]
        permissions = [("serve_countertransaction", _("Can serve customers at the counter"))]

    def __str__(self) -> str:
        return self.number

    @property
    def owner(self):
        return self.clerk

    @property
    def commitment_code(self) -> str:
        return "counter_fee_residential" if self.kind == self.Kind.FEE_RESIDENTIAL else "counter_business"


class CallRecord(models.Model):
    """A 95598 call: how long it rang before an agent answered (S10.2.6: within 4 rings, 12 s)."""

    number = models.CharField(_("number"), max_length=24, unique=True, editable=False)
    external_id = models.CharField(_("call id in the telephone system"), max_length=40, unique=True, null=True,
                                   blank=True)
    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("agent"))
    caller_phone = models.CharField(_("caller's phone"), max_length=20, blank=True)
    rang_at = models.DateTimeField(_("call came in at"))
    ring_seconds = models.PositiveIntegerField(_("ring time (seconds)"))
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("customer"))
    ticket_number = models.CharField(_("ticket created"), max_length=24, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    NUMBER_PREFIX = "DH"

    class Meta:
        verbose_name = _("95598 call")
        verbose_name_plural = _("95598 calls")
        ordering = ["-rang_at"]
        permissions = [("take_callrecord", _("Can take and record 95598 calls"))]

    def __str__(self) -> str:
        return self.number

    @property
    def owner(self):
        return self.agent
