"""The shared part of every electronic work ticket (电子工作传票): one state field, the common transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from supply_service.core.html import choice_label
from supply_service.core.models import WorkItem


class State(models.TextChoices):
    """Every state any ticket kind uses; each kind walks its own path through them (see its transitions)."""

    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    SURVEYED = "surveyed", _("Site surveyed")
    PLAN_REPLIED = "plan_replied", _("Supply plan replied")
    DESIGN_REVIEWED = "design_reviewed", _("Design reviewed")
    MID_INSPECTED = "mid_inspected", _("Mid-construction inspection passed")
    INSPECTED = "inspected", _("Completion inspection passed")
    CONTRACT_SIGNED = "contract_signed", _("Supply contract signed")
    DISPATCHED = "dispatched", _("Dispatched to a crew")
    ON_SITE = "on_site", _("Crew on site")
    CAUSE_REMOVED = "cause_removed", _("Cause removed")
    IN_PROGRESS = "in_progress", _("Being handled")
    RESOLVED = "resolved", _("Resolved")
    CALLED_BACK = "called_back", _("Called back")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


FINAL_STATES = (State.CLOSED, State.CANCELLED)


def _may(verb: str):
    """Permission check for a transition shared by every kind: `tickets.<verb>_<model>`."""

    def check(instance, user) -> bool:
        return user.has_perm(f"tickets.{verb}_{instance._meta.model_name}")

    return check


def ticket_is_open(instance) -> bool:
    return instance.state not in FINAL_STATES


def ticket_is_cancellable(instance) -> bool:
    """Before resolution only: a resolved request is called back and closed, not cancelled."""
    return instance.state not in (*FINAL_STATES, State.RESOLVED, State.CALLED_BACK)


class Ticket(ConcurrentTransitionMixin, WorkItem):
    """Abstract e-ticket. A kind sets NUMBER_PREFIX, KIND, REOPEN_STATE, STATE_LABELS and its own transitions."""

    KIND = ""
    REOPEN_STATE = State.RECEIVED
    STATE_LABELS: dict[str, str] = {}
    ACTION_PERMISSIONS = ["cancel", "callback", "close", "reopen", "chase"]

    state = FSMField(_("state"), default=State.RECEIVED, choices=State.choices, protected=True)
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("customer"),
    )
    request = models.TextField(_("request"))
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)

    class Meta(WorkItem.Meta):
        abstract = True
        ordering = ["-created_at"]
        # A search finds closed tickets by their exact phone number from this index (number and account number
        # have theirs): tickets.selectors.closed_tickets_by_identifier.
        indexes = [models.Index(fields=["customer_phone"], name="%(class)s_phone")]

    @property
    def state_label(self) -> str:
        return self.STATE_LABELS.get(self.state) or choice_label(type(self)._meta.get_field("state"), self.state)

    @property
    def is_open(self) -> bool:
        return ticket_is_open(self)

    @transition(field=state, source="*", target=State.CANCELLED, conditions=[ticket_is_cancellable],
                permission=_may("cancel"),
                custom={"label": _("Cancel"), "form": "reason", "style": "danger"})
    def cancel(self, *, at, reason):
        self.cancel_reason = reason
        self.cancelled_at = at
        self.closed_at = at

    @transition(field=state, source=State.RESOLVED, target=State.CALLED_BACK, conditions=[WorkItem.loop_closable],
                permission=_may("callback"), custom={"label": _("Called back: satisfied"), "admin": False})
    def call_back(self, *, at):
        self.called_back_at = at

    @transition(field=state, source=State.RESOLVED, target=RETURN_VALUE(*State.values),
                permission=_may("reopen"), custom={"label": _("Reopen"), "admin": False, "form": "reason"})
    def reopen(self, *, at):
        self.resolved_at = None
        self.reopened += 1
        return self.REOPEN_STATE

    @transition(field=state, source=[State.RESOLVED, State.CALLED_BACK], target=State.CLOSED,
                conditions=[WorkItem.loop_closable], permission=_may("close"), custom={"label": _("Close")})
    def close(self, *, at):
        self.closed_at = at
