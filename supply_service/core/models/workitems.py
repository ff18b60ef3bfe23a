from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Channel(models.TextChoices):
    COUNTER = "counter", _("Counter")
    PHONE = "phone", _("Phone (95598)")
    FAX = "fax", _("Fax")
    MAIL = "mail", _("Mail")
    KIOSK = "kiosk", _("Self-service kiosk")
    WEB = "web", _("Web")


class DailySequence(models.Model):
    """The last number handed out per prefix and day: numbers like GD-20261127-0042, without races."""

    prefix = models.CharField(max_length=8)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="one_sequence_per_prefix_and_day")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.day:%Y%m%d}: {self.last}"


class WorkItem(models.Model):
    """Abstract closed-loop work item (tickets, complaints, appointments …).

    A concrete workflow declares `NUMBER_PREFIX`, its own `state = FSMField(protected=True)` and its transitions;
    its `close` transition uses `conditions=[WorkItem.loop_closable]` so that the loop closes only through a
    callback or a recorded reason why none was possible (S13.5).
    """

    NUMBER_PREFIX = "GD"

    number = models.CharField(_("number"), max_length=24, unique=True, editable=False)
    office = models.ForeignKey(
        "core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    customer_name = models.CharField(_("customer name"), max_length=120, blank=True)
    customer_phone = models.CharField(_("customer phone"), max_length=40, blank=True)
    account_number = models.CharField(_("account number"), max_length=20, blank=True, db_index=True)
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("first responder"), help_text=_("Owns the case until a recorded hand-over (S10.3.3)."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("current owner")
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    no_callback_reason = models.CharField(
        _("reason there was no callback"), max_length=255, blank=True,
        help_text=_("Recorded when the customer could not be called back (S13.5)."),
    )
    callback_due = models.BooleanField(
        _("callback due"), default=True,
        help_text=_("Counts in the callback rate (S13.5). Off when the request was settled in the first contact "
                    "(a question answered at once) or the customer declined a callback or left no way to reach them."),
    )
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        """Saved, and its open-work row kept in the same transaction (every service, the admin, commands)."""
        from supply_service.core.services.openwork import openwork_sync

        super().save(*args, **kwargs)
        openwork_sync(self)

    def loop_closable(self) -> bool:
        """Condition for `close`: a satisfied callback since the item was resolved, or a recorded reason."""
        if self.no_callback_reason:
            return True
        callbacks = Callback.objects.for_item(self).filter(outcome=Callback.Outcome.SATISFIED)
        if self.resolved_at is not None:
            callbacks = callbacks.filter(at__gte=self.resolved_at)
        return callbacks.exists()


class ItemQuerySet(models.QuerySet):
    def for_item(self, item: models.Model) -> "ItemQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)


class _ItemLink(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("kind of item"))
    object_id = models.PositiveBigIntegerField(_("item id"))
    item = GenericForeignKey("content_type", "object_id")
    item_number = models.CharField(_("item"), max_length=24)

    objects = ItemQuerySet.as_manager()

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["content_type", "object_id"])]


class Callback(_ItemLink):
    """A callback (回访) to the customer after resolution; an unsatisfied one reopens the item (S13.5)."""

    class Outcome(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        UNSATISFIED = "unsatisfied", _("Not satisfied")
        UNREACHABLE = "unreachable", _("Could not be reached")

    at = models.DateTimeField(_("called at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("called by")
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta(_ItemLink.Meta):
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.item_number} · {self.get_outcome_display()}"


class HandOver(_ItemLink):
    """A recorded hand-over of a work item from one owner to another (S10.3.3)."""

    at = models.DateTimeField(_("handed over at"), default=timezone.now)
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    reason = models.CharField(_("reason"), max_length=255)
    history = HistoricalRecords()

    class Meta(_ItemLink.Meta):
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.item_number}: {self.from_user} → {self.to_user}"


class Chase(_ItemLink):
    """A manager's chase (督办) of a work item (S13.4): who, when, what is asked."""

    at = models.DateTimeField(_("chased at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("chased by")
    )
    note = models.CharField(_("instruction"), max_length=255)
    history = HistoricalRecords()

    class Meta(_ItemLink.Meta):
        verbose_name = _("chase")
        verbose_name_plural = _("chases")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.item_number} · {self.note}"
