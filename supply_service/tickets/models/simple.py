"""Meter faults (S10.2.8), written bill queries (S10.2.4), consultations and information queries."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from supply_service.tickets.models.base import State, Ticket


class MeterFaultTicket(Ticket):
    """A meter fault, handled within 2 working days (S10.2.8)."""

    NUMBER_PREFIX = "BJ"
    KIND = "meter_fault"
    REOPEN_STATE = State.IN_PROGRESS
    STATE_LABELS = {State.RESOLVED: _("Handled")}

    meter_number = models.CharField(_("meter number"), max_length=30, blank=True)
    is_test_request = models.BooleanField(
        _("meter test on request"), default=False,
        help_text=_("The customer asks for the meter to be tested (its own time limit)."),
    )
    started_at = models.DateTimeField(_("handling started at"), null=True, blank=True)
    handling = models.TextField(_("what was done"), blank=True)

    class Meta(Ticket.Meta):
        verbose_name = _("meter fault ticket")
        verbose_name_plural = _("meter fault tickets")
        permissions = [
            ("handle_meterfaultticket", _("Can handle a meter fault")),
            ("cancel_meterfaultticket", _("Can cancel a meter fault ticket")),
            ("callback_meterfaultticket", _("Can call back on a meter fault ticket")),
            ("close_meterfaultticket", _("Can close a meter fault ticket")),
            ("reopen_meterfaultticket", _("Can reopen a meter fault ticket")),
            ("chase_meterfaultticket", _("Can chase a meter fault ticket")),
            ("pause_meterfaultticket", _("Can pause a meter fault's clock while waiting for the customer")),
        ]

    def commitment_facts(self) -> dict[str, str]:
        return {"request": "test" if self.is_test_request else "fault"}

    @transition(field="state", source=State.RECEIVED, target=State.IN_PROGRESS,
                permission="tickets.handle_meterfaultticket", custom={"label": _("Start handling")})
    def start(self, *, at):
        self.started_at = at

    @transition(field="state", source=State.IN_PROGRESS, target=State.RESOLVED,
                permission="tickets.handle_meterfaultticket", custom={"label": _("Fault handled"), "form": "text"})
    def handle(self, *, at, text):
        self.handling = text
        self.resolved_at = at


class BillQuery(Ticket):
    """A written bill query (fax, mail, counter form): written reply within 1 working day (S10.2.4)."""

    NUMBER_PREFIX = "ZD"
    KIND = "bill_query"
    REOPEN_STATE = State.RECEIVED
    STATE_LABELS = {State.RESOLVED: _("Replied in writing")}

    bill_period = models.DateField(_("bill month"), null=True, blank=True)
    reply_text = models.TextField(_("written reply"), blank=True)
    reply_document = models.FileField(_("reply document"), upload_to="bill-replies/%Y/%m/", blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta(Ticket.Meta):
        verbose_name = _("written bill query")
        verbose_name_plural = _("written bill queries")
        permissions = [
            ("reply_billquery", _("Can reply to a bill query")),
            ("cancel_billquery", _("Can cancel a bill query")),
            ("callback_billquery", _("Can call back on a bill query")),
            ("close_billquery", _("Can close a bill query")),
            ("reopen_billquery", _("Can reopen a bill query")),
            ("chase_billquery", _("Can chase a bill query")),
        ]

    @transition(field="state", source=State.RECEIVED, target=State.RESOLVED, permission="tickets.reply_billquery",
                custom={"label": _("Send the written reply"), "form": "text"})
    def reply(self, *, at, text):
        self.reply_text = text
        self.replied_at = at
        self.resolved_at = at


class Consultation(Ticket):
    """A consultation, information query or service application: answered at once or followed up."""

    NUMBER_PREFIX = "ZX"
    KIND = "consultation"
    REOPEN_STATE = State.IN_PROGRESS
    STATE_LABELS = {State.RESOLVED: _("Answered")}

    class Topic(models.TextChoices):
        CONSULTATION = "consultation", _("Policy or technical consultation")
        INFORMATION = "information", _("Information query")
        APPLICATION = "application", _("Service application")
        SUGGESTION = "suggestion", _("Suggestion")

    topic = models.CharField(_("topic"), max_length=14, choices=Topic.choices, default=Topic.CONSULTATION)
    answer = models.TextField(_("answer"), blank=True)

    class Meta(Ticket.Meta):
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        permissions = [
            ("answer_consultation", _("Can answer a consultation")),
            ("cancel_consultation", _("Can cancel a consultation")),
            ("callback_consultation", _("Can call back on a consultation")),
            ("close_consultation", _("Can close a consultation")),
            ("reopen_consultation", _("Can reopen a consultation")),
            ("chase_consultation", _("Can chase a consultation")),
        ]

    @transition(field="state", source=State.RECEIVED, target=State.IN_PROGRESS,
                permission="tickets.answer_consultation", custom={"label": _("Follow up later")})
    def follow_up(self, *, at):
        pass

    @transition(field="state", source=[State.RECEIVED, State.IN_PROGRESS], target=State.RESOLVED,
                permission="tickets.answer_consultation", custom={"label": _("Answer"), "form": "text"})
    def answer_it(self, *, at, text):
        self.answer = text
        self.resolved_at = at
