"""Business expansion (业扩): new connection, capacity increase, change of use (S10.2.2, S11.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from supply_service.tickets.models.base import State, Ticket


def is_high_voltage(ticket) -> bool:
    return ticket.applicant_class == BusinessExpansion.ApplicantClass.HIGH_VOLTAGE


def is_residential(ticket) -> bool:
    return ticket.applicant_class == BusinessExpansion.ApplicantClass.LOW_VOLTAGE_RESIDENTIAL


def is_not_residential(ticket) -> bool:
    return not is_residential(ticket)


def is_low_voltage_non_residential(ticket) -> bool:
    return ticket.applicant_class == BusinessExpansion.ApplicantClass.LOW_VOLTAGE_NON_RESIDENTIAL


def _perm(verb: str) -> str:
    return f"tickets.{verb}_businessexpansion"


class BusinessExpansion(Ticket):
    """Stages by applicant class (each stage's time is kept: the customer sees them as progress, S9.5):

    - low-voltage residential: accept → site survey → contract signed → meter installed and energized
      (the residential clock runs from acceptance: 5 working days, S10.2.2);
    - low-voltage non-residential: accept → survey → supply plan reply → completion inspection → contract
      → energized;
    - high voltage: as non-residential with design review and mid-construction inspection before the completion
      inspection. For non-residential customers the clock starts when the inspection has passed and the contract
      is signed (the contract comes after the inspection) and stops at energizing.
    """

    NUMBER_PREFIX = "YK"
    KIND = "expansion"
    REOPEN_STATE = State.CONTRACT_SIGNED
    STATE_LABELS = {State.RESOLVED: _("Meter installed and energized")}

    class BusinessType(models.TextChoices):
        NEW = "new_connection", _("New connection")
        CAPACITY = "capacity_increase", _("Capacity increase")
        CHANGE_OF_USE = "change_of_use", _("Change of use")

    class ApplicantClass(models.TextChoices):
        LOW_VOLTAGE_RESIDENTIAL = "lv_residential", _("Low-voltage residential")
        LOW_VOLTAGE_NON_RESIDENTIAL = "lv_non_residential", _("Low-voltage non-residential")
        HIGH_VOLTAGE = "high_voltage", _("High voltage")

    business_type = models.CharField(_("business"), max_length=20, choices=BusinessType.choices)
    applicant_class = models.CharField(_("applicant class"), max_length=20, choices=ApplicantClass.choices)
    supply_sources = models.PositiveSmallIntegerField(
        _("supply sources"), default=1, choices=[(1, _("Single source")), (2, _("Dual source"))],
        help_text=_("High-voltage customers: one or two supply sources (the connection limits differ)."),
    )
    capacity_kva = models.DecimalField(_("capacity (kVA)"), max_digits=10, decimal_places=1, null=True, blank=True)
    site_address = models.CharField(_("site address"), max_length=255)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    surveyed_at = models.DateTimeField(_("site survey at"), null=True, blank=True)
    plan_replied_at = models.DateTimeField(_("supply plan replied at"), null=True, blank=True)
    design_reviewed_at = models.DateTimeField(_("design reviewed at"), null=True, blank=True)
    mid_inspected_at = models.DateTimeField(_("mid-construction inspection at"), null=True, blank=True)
    inspected_at = models.DateTimeField(_("completion inspection at"), null=True, blank=True)
    contract_signed_at = models.DateTimeField(_("contract signed at"), null=True, blank=True)
    energized_at = models.DateTimeField(_("energized at"), null=True, blank=True)
    meter_number = models.CharField(_("meter number"), max_length=30, blank=True)

    class Meta(Ticket.Meta):
        verbose_name = _("business expansion ticket")
        verbose_name_plural = _("business expansion tickets")
        permissions = [
            ("accept_businessexpansion", _("Can accept a business expansion application")),
            ("survey_businessexpansion", _("Can record the site survey")),
            ("reply_plan_businessexpansion", _("Can reply the supply plan")),
            ("review_design_businessexpansion", _("Can record the design review")),
            ("inspect_businessexpansion", _("Can record inspections")),
            ("sign_contract_businessexpansion", _("Can record the supply contract")),
            ("energize_businessexpansion", _("Can record meter installation and energizing")),
            ("cancel_businessexpansion", _("Can cancel a business expansion ticket")),
            ("callback_businessexpansion", _("Can call back on a business expansion ticket")),
            ("close_businessexpansion", _("Can close a business expansion ticket")),
            ("reopen_businessexpansion", _("Can reopen a business expansion ticket")),
            ("chase_businessexpansion", _("Can chase a business expansion ticket")),
            ("pause_businessexpansion", _("Can pause an application's clocks while waiting for the customer")),
        ]

    def commitment_facts(self) -> dict[str, str]:
        """Which connection limits apply: the applicant class and, for high voltage, the number of sources."""
        return {"applicant_class": self.applicant_class, "supply_sources": str(self.supply_sources or 1)}

    @transition(field="state", source=State.RECEIVED, target=State.ACCEPTED, permission=_perm("accept"),
                custom={"label": _("Accept the application")})
    def accept(self, *, at):
        self.accepted_at = at

    @transition(field="state", source=State.ACCEPTED, target=State.SURVEYED, permission=_perm("survey"),
                custom={"label": _("Site survey done")})
    def survey(self, *, at):
        self.surveyed_at = at

    @transition(field="state", source=State.SURVEYED, target=State.PLAN_REPLIED, conditions=[is_not_residential],
                permission=_perm("reply_plan"), custom={"label": _("Supply plan replied")})
    def reply_plan(self, *, at):
        self.plan_replied_at = at

    @transition(field="state", source=State.PLAN_REPLIED, target=State.DESIGN_REVIEWED, conditions=[is_high_voltage],
                permission=_perm("review_design"), custom={"label": _("Design review passed")})
    def review_design(self, *, at):
        self.design_reviewed_at = at

    @transition(field="state", source=State.DESIGN_REVIEWED, target=State.MID_INSPECTED,
                conditions=[is_high_voltage], permission=_perm("inspect"),
                custom={"label": _("Mid-construction inspection passed")})
    def inspect_mid(self, *, at):
        self.mid_inspected_at = at

    @transition(field="state", source=State.PLAN_REPLIED, target=State.INSPECTED,
                conditions=[is_low_voltage_non_residential], permission=_perm("inspect"),
                custom={"label": _("Completion inspection passed")})
    def inspect_low_voltage(self, *, at):
        self.inspected_at = at

    @transition(field="state", source=State.MID_INSPECTED, target=State.INSPECTED, conditions=[is_high_voltage],
                permission=_perm("inspect"), custom={"label": _("Completion inspection passed")})
    def inspect_high_voltage(self, *, at):
        self.inspected_at = at

    @transition(field="state", source=State.SURVEYED, target=State.CONTRACT_SIGNED, conditions=[is_residential],
                permission=_perm("sign_contract"), custom={"label": _("Supply contract signed")})
    def sign_residential_contract(self, *, at):
        self.contract_signed_at = at

    @transition(field="state", source=State.INSPECTED, target=State.CONTRACT_SIGNED, conditions=[is_not_residential],
                permission=_perm("sign_contract"), custom={"label": _("Supply contract signed")})
    def sign_contract(self, *, at):
        self.contract_signed_at = at

    @transition(field="state", source=State.CONTRACT_SIGNED, target=State.RESOLVED, permission=_perm("energize"),
                custom={"label": _("Meter installed and energized"), "form": "meter"})
    def energize(self, *, at, meter_number=""):
        self.energized_at = at
        self.resolved_at = at
        self.meter_number = meter_number

    @property
    def stages(self) -> list[tuple[str, object]]:
        """(label, time) of the stages this applicant class goes through, for the progress timeline."""
        stages = [(_("Received"), self.created_at), (_("Accepted"), self.accepted_at),
                  (_("Site survey"), self.surveyed_at)]
        if not is_residential(self):
            stages.append((_("Supply plan replied"), self.plan_replied_at))
        if is_high_voltage(self):
            stages += [(_("Design review"), self.design_reviewed_at),
                       (_("Mid-construction inspection"), self.mid_inspected_at)]
        if not is_residential(self):
            stages.append((_("Completion inspection"), self.inspected_at))
        stages += [(_("Supply contract signed"), self.contract_signed_at),
                   (_("Meter installed and energized"), self.energized_at)]
        return stages
