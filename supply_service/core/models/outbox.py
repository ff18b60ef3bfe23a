from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Outbox(models.Model):
    """One message to send, written in the same transaction as the event that caused it.

    Delivery (`core.services.outbox`) claims a row with a conditional update before sending, so a task that runs
    twice or in two workers at once sends it once. A claim is stamped when it is taken and is taken again only when
    it is older than OUTBOX_CLAIM_TIMEOUT_SECONDS (its worker died): after a hard kill delivery is at-least-once,
    and the idempotency key goes to the gateway with every attempt.

    An e-mail may carry one attachment (`attachment_name`, its MIME type and its text content — an iCalendar event,
    a CSV; binary content would be stored base64-encoded with a type saying so). SMS ignores it.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attachment_name = models.CharField(_("attachment file name"), max_length=120, blank=True, default="",
                                       db_default="")
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True, default="", db_default="")
    attachment_content = models.TextField(_("attachment"), blank=True, default="", db_default="")
    history = HistoricalRecords(excluded_fields=["claim_token", "claimed_at", "attachment_content"])

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        permissions = [("retry_outbox", _("Can retry failed messages"))]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"
