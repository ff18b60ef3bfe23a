"""Fault repair (抢修, 24 hours: S10.1.2): on site ≤ 45 min (S10.2.5), restored ≤ 1 working day (S10.2.9)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from supply_service.tickets.models.base import State, Ticket


def _perm(verb: str) -> str:
    return f"tickets.{verb}_repairticket"


class RepairTicket(Ticket):
    NUMBER_PREFIX = "QX"
    KIND = "repair"
    REOPEN_STATE = State.DISPATCHED
    STATE_LABELS = {State.RESOLVED: _("Repaired")}

    fault_address = models.CharField(_("fault address"), max_length=255)
    crew = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("repair crew"),
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("crew on site at"), null=True, blank=True)
    cause = models.CharField(_("cause of the fault"), max_length=255, blank=True)
    cause_removed_at = models.DateTimeField(_("cause removed at"), null=True, blank=True)
    repaired_at = models.DateTimeField(_("supply restored at"), null=True, blank=True)
    outage_ref = models.CharField(
        _("outage notice"), max_length=40, blank=True, help_text=_("The known outage this call belongs to.")
    )

    class Meta(Ticket.Meta):
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")
        permissions = [
            ("dispatch_repairticket", _("Can dispatch a repair crew")),
            ("arrive_repairticket", _("Can record the crew's arrival")),
            ("remove_cause_repairticket", _("Can record the cause removed")),
            ("repair_repairticket", _("Can record supply restored")),
            ("cancel_repairticket", _("Can cancel a repair ticket")),
            ("callback_repairticket", _("Can call back on a repair ticket")),
            ("close_repairticket", _("Can close a repair ticket")),
            ("reopen_repairticket", _("Can reopen a repair ticket")),
            ("chase_repairticket", _("Can chase a repair ticket")),
        ]

    def commitment_facts(self) -> dict[str, str]:
        """The arrival limit depends on the area class: the customer's transformer area's, else the office's."""
        area = getattr(self.customer, "transformer_area", None) if self.customer_id else None
        return {"area_class": (area.area_class if area is not None and area.area_class else None)
                or self.office.area_class}

    @transition(field="state", source=[State.RECEIVED, State.DISPATCHED], target=State.DISPATCHED,
                permission=_perm("dispatch"), custom={"label": _("Dispatch a crew"), "form": "crew"})
    def dispatch(self, *, at, crew):
        self.crew = crew
        self.dispatched_at = at

    @transition(field="state", source=State.DISPATCHED, target=State.ON_SITE, permission=_perm("arrive"),
                custom={"label": _("Crew arrived on site")})
    def arrive(self, *, at):
        self.arrived_at = at

    @transition(field="state", source=State.ON_SITE, target=State.CAUSE_REMOVED, permission=_perm("remove_cause"),
                custom={"label": _("Cause removed"), "form": "cause"})
    def remove_cause(self, *, at, cause):
        self.cause = cause
        self.cause_removed_at = at

    @transition(field="state", source=State.CAUSE_REMOVED, target=State.RESOLVED, permission=_perm("repair"),
                custom={"label": _("Supply restored")})
    def repair(self, *, at):
        self.repaired_at = at
        self.resolved_at = at

    @transition(field="state", source=[State.RECEIVED, State.DISPATCHED, State.ON_SITE, State.CAUSE_REMOVED],
                target=State.RESOLVED, custom={"label": _("Supply restored by the outage work"), "admin": False,
                                               "system": True})
    def restore_by_outage(self, *, at, notice_number):
        self.outage_ref = notice_number
        self.repaired_at = at
        self.resolved_at = at
