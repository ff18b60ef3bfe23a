"""The appointment (预约服务) as a closed-loop work item of the kernel, its reminders and the waiting list."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from supply_service.appointments.models.planning import AppointmentKind, Place
from supply_service.core.models import WorkItem


class State(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    ON_THE_WAY = "on_the_way", _("On the way")
    ARRIVED = "arrived", _("Arrived")
    DONE = "done", _("Served")
    CALLED_BACK = "called_back", _("Called back")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Missed")


FINAL_STATES = (State.CLOSED, State.CANCELLED, State.NO_SHOW)
BOOKED_STATES = (State.REQUESTED, State.CONFIRMED, State.ON_THE_WAY, State.ARRIVED)  # hold a place in a slot
CHANGEABLE_STATES = (State.REQUESTED, State.CONFIRMED)  # may be rescheduled or cancelled


class Party(models.TextChoices):
    CUSTOMER = "customer", _("The customer")
    OFFICE = "office", _("The office")


def _perm(verb: str) -> str:
    return f"appointments.{verb}_appointment"


class Appointment(ConcurrentTransitionMixin, WorkItem):
    """A booked place in a computed slot. On-site visits (and home service) agree a one-hour arrival window that
    the `appointment_arrival` clock measures (S10.2.7)."""

    NUMBER_PREFIX = "YY"

    state = FSMField(_("state"), default=State.REQUESTED, choices=State.choices, protected=True)
    kind = models.ForeignKey(AppointmentKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("customer"))
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=10, choices=Place.choices)
    address = models.CharField(_("address of the visit"), max_length=255, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("served by"))
    home_service = models.BooleanField(_("home service"), default=False,
                                       help_text=_("Disabled or elderly customer: home visit, priority, no fee "
                                                   "(S10.3.5)."))
    fee_waived = models.BooleanField(_("no fee"), default=False)
    language = models.CharField(_("language of messages"), max_length=10, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    ticket_number = models.CharField(_("work ticket"), max_length=24, blank=True, db_index=True)
    access_code = models.CharField(_("code for changes"), max_length=12, editable=False)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    departed_at = models.DateTimeField(_("set off at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.CharField(_("cancelled by"), max_length=10, choices=Party.choices, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    missed_by = models.CharField(_("missed by"), max_length=10, choices=Party.choices, blank=True)
    reschedule_reason = models.CharField(_("reason for the last change of time"), max_length=255, blank=True)
    times_rescheduled = models.PositiveSmallIntegerField(_("times rescheduled"), default=0)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["office", "starts_at"]), models.Index(fields=["assignee", "starts_at"])]
        permissions = [
            ("confirm_appointment", _("Can confirm an appointment")),
            ("reschedule_appointment", _("Can reschedule an appointment")),
            ("arrive_appointment", _("Can record arrival at an appointment")),
            ("serve_appointment", _("Can record an appointment served")),
            ("noshow_appointment", _("Can record a missed appointment")),
            ("cancel_appointment", _("Can cancel an appointment")),
            ("callback_appointment", _("Can call back after an appointment")),
            ("close_appointment", _("Can close an appointment")),
        ]

    @property
    def is_visit(self) -> bool:
        """Staff go to the customer: the arrival window and its clock apply."""
        return self.place == Place.ON_SITE

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES

    @transition(field=state, source=State.REQUESTED, target=State.CONFIRMED, permission=_perm("confirm"),
                custom={"label": _("Confirm")})
    def confirm(self, *, at):
        self.confirmed_at = at

    @transition(field=state, source=list(CHANGEABLE_STATES), target=State.CONFIRMED, permission=_perm("reschedule"),
                custom={"label": _("Reschedule"), "form": "reschedule", "admin": False})
    def reschedule(self, *, at, starts_at, ends_at, reason, assignee=None):
        self.starts_at, self.ends_at = starts_at, ends_at
        self.assignee = assignee
        self.reschedule_reason = reason
        self.times_rescheduled += 1
        self.confirmed_at = self.confirmed_at or at

    @transition(field=state, source=State.CONFIRMED, target=State.ON_THE_WAY, permission=_perm("arrive"),
                custom={"label": _("On the way"), "visit_only": True})
    def set_off(self, *, at):
        self.departed_at = at

    @transition(field=state, source=[State.CONFIRMED, State.ON_THE_WAY], target=State.ARRIVED,
                permission=_perm("arrive"), custom={"label": _("Arrived"), "style": "good"})
    def arrive(self, *, at):
        self.arrived_at = at

    @transition(field=state, source=State.ARRIVED, target=State.DONE, permission=_perm("serve"),
                custom={"label": _("Served")})
    def serve(self, *, at):
        self.resolved_at = at

    @transition(field=state, source=State.DONE, target=State.CALLED_BACK, conditions=[WorkItem.loop_closable],
                permission=_perm("callback"), custom={"label": _("Called back: satisfied"), "admin": False})
    def call_back(self, *, at):
        self.called_back_at = at

    @transition(field=state, source=State.DONE, target=State.CONFIRMED, permission=_perm("callback"),
                custom={"label": _("Reopen"), "admin": False})
    def reopen(self, *, at):
        self.resolved_at = None

    @transition(field=state, source=[State.DONE, State.CALLED_BACK], target=State.CLOSED,
                conditions=[WorkItem.loop_closable], permission=_perm("close"), custom={"label": _("Close")})
    def close(self, *, at):
        self.closed_at = at

    @transition(field=state, source=[State.REQUESTED, State.CONFIRMED, State.ON_THE_WAY], target=State.CANCELLED,
                permission=_perm("cancel"), custom={"label": _("Cancel"), "form": "reason", "style": "danger",
                                                    "admin": False})
    def cancel(self, *, at, by_party, reason):
        self.cancelled_at = at
        self.closed_at = at
        self.cancelled_by = by_party
        self.cancel_reason = reason

    @transition(field=state, source=[State.CONFIRMED, State.ON_THE_WAY], target=State.NO_SHOW,
                permission=_perm("noshow"), custom={"label": _("Missed"), "form": "missed", "style": "danger",
                                                    "admin": False})
    def miss(self, *, at, missed_by, reason):
        self.missed_by = missed_by
        self.closed_at = at
        self.no_callback_reason = reason[:255]


class Reminder(models.Model):
    """A reminder due before an appointment, for one revision of it. The sweep sends a reminder only while its
    revision is the appointment's current one and the appointment still holds its place: every change makes new
    reminders and leaves the old ones superseded — never a stale reminder."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        SUPERSEDED = "superseded", _("Superseded")

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="reminders",
                                    verbose_name=_("appointment"))
    revision = models.PositiveIntegerField(_("revision"))
    due_at = models.DateTimeField(_("due at"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["state", "due_at"])]
        constraints = [models.UniqueConstraint(fields=["appointment", "revision"], name="one_reminder_per_revision")]

    def __str__(self) -> str:
        return f"{self.appointment_id} r{self.revision} {self.state}"


class WaitingEntry(models.Model):
    """A customer waiting for a place on a full day. A freed place is **held** for the first in line for the policy's
    minutes (`appointment_hold_minutes`): the slot arithmetic counts the hold, nobody else can book the place, the
    customer confirms it with the code of the SMS (→ booked); an expired hold passes to the next in line."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered a place")
        HELD = "held", _("A place is held")
        BOOKED = "booked", _("Booked the held place")
        EXPIRED = "expired", _("Held place not confirmed in time")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    kind = models.ForeignKey(AppointmentKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    date = models.DateField(_("wanted day"))
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("customer"))
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=40)
    language = models.CharField(_("language of messages"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.WAITING)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offered_slot = models.DateTimeField(_("place offered"), null=True, blank=True)
    address = models.CharField(_("address of the visit"), max_length=255, blank=True)
    hold_until = models.DateTimeField(_("place held until"), null=True, blank=True)
    hold_ends_at = models.DateTimeField(_("held place ends at"), null=True, blank=True)
    hold_place = models.CharField(_("held place"), max_length=10, choices=Place.choices, blank=True)
    hold_assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("held for the visit of"))
    hold_home_service = models.BooleanField(_("home service"), default=False)
    hold_code = models.CharField(_("code to confirm the held place"), max_length=12, blank=True, editable=False)
    hold_attempts = models.PositiveSmallIntegerField(_("wrong codes"), default=0)
    appointment = models.ForeignKey(Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("appointment"))
    history = HistoricalRecords(excluded_fields=["hold_code"])

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["office", "kind", "date", "state"]),
                   models.Index(fields=["state", "hold_until"]), models.Index(fields=["phone", "state"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
