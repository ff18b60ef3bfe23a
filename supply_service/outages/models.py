"""Outage notices: planned, temporary, emergency and supply restriction (S6.5, S10.2.9, S10.2.10, S13.7)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from supply_service.core.i18n_fields import TranslatedField, translated_char, translated_text


def _perm(verb: str) -> str:
    return f"outages.{verb}_outagenotice"


def has_times(notice) -> bool:
    return notice.planned_start is not None and notice.planned_end is not None and notice.planned_end > notice.planned_start


class OutageNotice(ConcurrentTransitionMixin, models.Model):
    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planned maintenance")
        TEMPORARY = "temporary", _("Temporary maintenance")
        EMERGENCY = "emergency", _("Emergency outage")
        RESTRICTION = "restriction", _("Supply restriction")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        IN_PROGRESS = "in_progress", _("Power off")
        CAUSE_REMOVED = "cause_removed", _("Cause removed")
        RESTORED = "restored", _("Supply restored")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    PUBLIC_STATES = (State.PUBLISHED, State.IN_PROGRESS, State.CAUSE_REMOVED, State.RESTORED)
    NUMBER_PREFIX = "TD"

    number = models.CharField(_("number"), max_length=24, unique=True, editable=False)
    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    feeders = models.ManyToManyField("customers.Feeder", blank=True, related_name="outages",
                                     verbose_name=_("supply lines (feeders)"))
    areas = models.ManyToManyField("customers.TransformerArea", blank=True, related_name="outages",
                                   verbose_name=_("transformer areas"))
    area_zh_hans, area_en, area_ug, area_bo = translated_char("area", _("area affected"), max_length=255)
    text_zh_hans, text_en, text_ug, text_bo = translated_text("text", _("notice text"))
    reason = models.CharField(_("reason"), max_length=255)
    explanation = models.TextField(
        _("explanation for customers who ask"), blank=True,
        help_text=_("What staff tell customers who call or come in (emergency outages: S10.2.10)."),
    )
    planned_start = models.DateTimeField(_("start"))
    planned_end = models.DateTimeField(_("end"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("drafted by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("approved by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    started_at = models.DateTimeField(_("power off at"), null=True, blank=True)
    cause_removed_at = models.DateTimeField(_("cause removed at"), null=True, blank=True)
    restored_at = models.DateTimeField(_("restored at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    override_reason = models.CharField(
        _("manager's override"), max_length=255, blank=True,
        help_text=_("Why a late publication or more planned outages than allowed were accepted."),
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1,
                                                help_text=_("Goes up each time the notice is rescheduled."))
    history = HistoricalRecords()

    area = TranslatedField("area")
    text = TranslatedField("text")

    class Meta:
        verbose_name = _("outage notice")
        verbose_name_plural = _("outage notices")
        ordering = ["-planned_start"]
        indexes = [models.Index(fields=["state", "planned_start"])]
        permissions = [
            ("approve_outagenotice", _("Can approve an outage notice")),
            ("publish_outagenotice", _("Can publish an outage notice")),
            ("override_outagenotice", _("Can override the advance-notice and frequency rules")),
            ("operate_outagenotice", _("Can record power off, cause removed and restored")),
            ("cancel_outagenotice", _("Can cancel or reschedule an outage notice")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.area}"

    @property
    def is_public(self) -> bool:
        return self.state in self.PUBLIC_STATES

    def commitment_facts(self) -> dict[str, str]:
        """Facts that choose the variant of a commitment family (the advance notice depends on the kind)."""
        return {"kind": self.kind}

    @transition(field=state, source=State.DRAFT, target=State.APPROVED, conditions=[has_times],
                permission=_perm("approve"), custom={"label": _("Approve")})
    def approve(self, *, at, by):
        self.approved_by = by

    @transition(field=state, source=State.APPROVED, target=State.PUBLISHED, conditions=[has_times],
                permission=_perm("publish"), custom={"label": _("Publish")})
    def publish(self, *, at):
        self.published_at = at

    @transition(field=state, source=State.DRAFT, target=State.PUBLISHED, conditions=[has_times],
                permission=_perm("publish"), custom={"label": _("Publish now (emergency)")})
    def publish_emergency(self, *, at):
        self.published_at = at

    @transition(field=state, source=State.PUBLISHED, target=State.PUBLISHED, conditions=[has_times],
                permission=_perm("cancel"), custom={"label": _("Reschedule"), "form": "times"})
    def reschedule(self, *, at, start, end):
        self.planned_start, self.planned_end = start, end
        self.revision += 1

    @transition(field=state, source=State.PUBLISHED, target=State.IN_PROGRESS, permission=_perm("operate"),
                custom={"label": _("Power off")})
    def start(self, *, at):
        self.started_at = at

    @transition(field=state, source=State.IN_PROGRESS, target=State.CAUSE_REMOVED, permission=_perm("operate"),
                custom={"label": _("Cause removed")})
    def remove_cause(self, *, at):
        self.cause_removed_at = at

    @transition(field=state, source=State.CAUSE_REMOVED, target=State.RESTORED, permission=_perm("operate"),
                custom={"label": _("Supply restored")})
    def restore(self, *, at):
        self.restored_at = at

    @transition(field=state, source=State.RESTORED, target=State.CLOSED, permission=_perm("operate"),
                custom={"label": _("Close")})
    def close(self, *, at):
        self.closed_at = at

    @transition(field=state, source=[State.DRAFT, State.APPROVED, State.PUBLISHED], target=State.CANCELLED,
                permission=_perm("cancel"), custom={"label": _("Cancel"), "form": "reason"})
    def cancel(self, *, at, reason):
        self.cancel_reason = reason
        self.closed_at = at


class AffectedCustomer(models.Model):
    """Who a published notice cuts off, fixed at publication (and again at each reschedule).

    Written tens of thousands at a time by one INSERT … SELECT from the customers table itself, so the database
    keeps no foreign-key constraints here: checking them cost as much as the insert (53 000 rows: 0.7 s at commit,
    row locks on every customer). Notices and customers are never deleted (PROTECT still guards the ORM). The two
    composite indexes below serve both directions, so the columns carry no index of their own."""

    notice = models.ForeignKey(OutageNotice, on_delete=models.PROTECT, related_name="affected", db_constraint=False,
                               db_index=False)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="outages_affecting",
                                 db_constraint=False, db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "customer"], name="one_row_per_notice_and_customer")]
        indexes = [models.Index(fields=["customer", "notice"])]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.customer_id}"
