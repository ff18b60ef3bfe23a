"""The counter: services and windows of an office, queue numbers, the calls the board shows, receipts, tenders and
the customers' ratings of a window.

A queue number (`QueueTicket`) is taken at the kiosk or the ticket printer, waits, is called to a window, and when
the customer comes it becomes the transaction (`tickets.CounterTransaction`, whose S10.2.1 clock starts at the call).
The transaction model stays in `tickets` (moving it between apps with its history and clocks was not worth the risk:
see docs/apps/counter.md); this app links to it one-to-one.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from supply_service.core.i18n_fields import TranslatedField, translated_char
from supply_service.core.models import WorkItem


def new_pad_key() -> str:
    return secrets.token_urlsafe(18)


class Service(models.Model):
    """What a customer queues for at one office: each has its own letter and number sequence."""

    class Kind(models.TextChoices):
        FEE = "fee", _("Fee collection")
        BUSINESS = "business", _("Business acceptance")
        ENQUIRY = "enquiry", _("Enquiries")

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    kind = models.CharField(_("service"), max_length=12, choices=Kind.choices)
    letter = models.CharField(_("letter"), max_length=1, help_text=_("The letter before the number, e.g. A."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("queue service")
        verbose_name_plural = _("queue services")
        ordering = ["office", "position", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["office", "kind"], name="counter_one_service_of_a_kind"),
            models.UniqueConstraint(fields=["office", "letter"], name="counter_one_letter_per_office"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} {self.get_kind_display()}"


class Window(models.Model):
    """A counter window (窗口): the services it calls, open or closed, the clerk signed in, the green channel."""

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    number = models.PositiveSmallIntegerField(_("window number"))
    services = models.ManyToManyField(Service, related_name="windows", verbose_name=_("services called here"))
    is_open = models.BooleanField(_("open"), default=False)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("clerk signed in"))
    green_channel = models.BooleanField(
        _("green channel"), default=False,
        help_text=_("Priority numbers (elderly, disabled, appointments) are called here first."))
    pad_key = models.CharField(_("rating pad key"), max_length=40, unique=True, default=new_pad_key, editable=False)
    history = HistoricalRecords(excluded_fields=["pad_key"])

    class Meta:
        verbose_name = _("counter window")
        verbose_name_plural = _("counter windows")
        ordering = ["office", "number"]
        constraints = [models.UniqueConstraint(fields=["office", "number"], name="counter_one_window_number")]
        permissions = [("green_channel_window", _("Can open and close the green channel of a window"))]

    def __str__(self) -> str:
        return str(_("Window %(number)s") % {"number": self.number})


class QueueTicket(ConcurrentTransitionMixin, models.Model):
    """A queue number (排队号): waiting → called → serving → done, or no-show; transferred numbers wait again."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        SERVING = "serving", _("Being served")
        DONE = "done", _("Served")
        NO_SHOW = "no_show", _("Did not come")

    class Priority(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary")
        ASSISTED = "assisted", _("Elderly or disabled")
        APPOINTMENT = "appointment", _("Appointment")

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("service"))
    number = models.CharField(_("queue number"), max_length=12)
    day = models.DateField(_("day"))
    priority = models.CharField(_("priority"), max_length=12, choices=Priority.choices, default=Priority.ORDINARY)
    appointment_code = models.CharField(_("appointment code"), max_length=40, blank=True)
    appointment_checked = models.BooleanField(_("appointment code checked"), null=True, blank=True)
    phone = models.CharField(_("phone for the reminder"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    state = FSMField(_("state"), default=State.WAITING, choices=State.choices, protected=True)
    taken_at = models.DateTimeField(_("taken at"))
    sort_at = models.DateTimeField(_("queue position time"), help_text=_(
        "The time the number is called by: the time taken, earlier by the priority's head start."))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    served_at = models.DateTimeField(_("served from"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(_("recalls"), default=0)
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("window"))
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("clerk"))
    transaction = models.OneToOneField("tickets.CounterTransaction", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="queue_ticket", verbose_name=_("transaction"))
    heads_up_sent = models.BooleanField(_("reminder sent"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("queue number")
        verbose_name_plural = _("queue numbers")
        ordering = ["-taken_at"]
        constraints = [models.UniqueConstraint(fields=["office", "day", "number"], name="counter_number_once_a_day")]
        indexes = [models.Index(fields=["office", "state", "sort_at"], name="counter_q_waiting")]
        permissions = [("call_queueticket", _("Can call and serve queue numbers"))]

    def __str__(self) -> str:
        return self.number

    @property
    def is_priority(self) -> bool:
        return self.priority != self.Priority.ORDINARY

    @transition(field=state, source=State.WAITING, target=State.CALLED)
    def call(self, *, window, clerk, at):
        self.window, self.clerk, self.called_at = window, clerk, at

    @transition(field=state, source=State.CALLED, target=State.CALLED)
    def recall(self):
        self.recalls += 1

    @transition(field=state, source=State.CALLED, target=State.SERVING)
    def serve(self, *, at):
        self.served_at = at

    @transition(field=state, source=State.SERVING, target=State.DONE)
    def finish(self, *, at):
        self.finished_at = at

    @transition(field=state, source=State.CALLED, target=State.NO_SHOW)
    def miss(self, *, at):
        self.finished_at = at

    @transition(field=state, source=[State.CALLED, State.SERVING], target=State.WAITING)
    def transfer(self, *, service):
        self.service = service
        self.window = self.clerk = self.called_at = self.served_at = self.transaction = None
        self.recalls = 0


class BoardCall(models.Model):
    """One call shown on the waiting-hall board (a recall is a new row: it is announced again)."""

    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    ticket = models.ForeignKey(QueueTicket, on_delete=models.PROTECT, related_name="calls",
                               verbose_name=_("queue number"))
    window = models.ForeignKey(Window, on_delete=models.PROTECT, related_name="+", verbose_name=_("window"))
    called_at = models.DateTimeField(_("called at"))

    class Meta:
        verbose_name = _("board call")
        verbose_name_plural = _("board calls")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["office", "-id"], name="counter_board_feed")]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.window_id}"


class Tender(models.Model):
    """How a customer pays at the counter (cash, bank card, mobile pay); recorded as the payment method it maps to."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh_hans, name_en, name_ug, name_bo = translated_char("name", _("name"), max_length=80)
    payment_method = models.ForeignKey("customers.PaymentMethod", on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("payment method"))
    is_cash = models.BooleanField(_("cash (change is given)"), default=False)
    is_active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    name = TranslatedField("name")

    class Meta:
        verbose_name = _("counter payment method")
        verbose_name_plural = _("counter payment methods")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return str(self.name)


class Receipt(models.Model):
    """A counter payment's receipt (number from a daily sequence); a reversal adds a negative payment, never a
    delete."""

    number = models.CharField(_("receipt number"), max_length=24, unique=True, editable=False)
    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("window"))
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("clerk"))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("customer"))
    payment = models.OneToOneField("customers.Payment", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("payment"))
    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="+", verbose_name=_("paid by"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    tendered = models.DecimalField(_("handed over (yuan)"), max_digits=12, decimal_places=2)
    change = models.DecimalField(_("change (yuan)"), max_digits=12, decimal_places=2)
    arrears_before = models.DecimalField(_("arrears before (yuan)"), max_digits=12, decimal_places=2)
    ticket = models.ForeignKey(QueueTicket, null=True, blank=True, on_delete=models.PROTECT, related_name="receipts",
                               verbose_name=_("queue number"))
    issued_at = models.DateTimeField(_("issued at"))
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("reversed by"))
    reversal_reason = models.CharField(_("reason for the reversal"), max_length=255, blank=True)
    reversal_payment = models.OneToOneField("customers.Payment", null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+", verbose_name=_("reversal payment"))
    history = HistoricalRecords()

    NUMBER_PREFIX = "SK"

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["office", "issued_at"], name="counter_receipt_day")]
        permissions = [("reverse_receipt", _("Can reverse a counter payment"))]

    def __str__(self) -> str:
        return self.number


class Rating(models.Model):
    """The customer's press on the window's rating pad: one per served number."""

    class Score(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", _("Very satisfied")
        SATISFIED = "satisfied", _("Satisfied")
        NOT_SATISFIED = "not_satisfied", _("Not satisfied")

    class Reason(models.TextChoices):
        WAIT = "wait", _("Waited too long")
        ATTITUDE = "attitude", _("Staff attitude")
        SKILL = "skill", _("Problem not solved")
        ENVIRONMENT = "environment", _("Hall and facilities")
        OTHER = "other", _("Other")

    ticket = models.OneToOneField(QueueTicket, on_delete=models.PROTECT, related_name="rating",
                                  verbose_name=_("queue number"))
    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    window = models.ForeignKey(Window, on_delete=models.PROTECT, related_name="+", verbose_name=_("window"))
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("clerk"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+", verbose_name=_("service"))
    score = models.CharField(_("rating"), max_length=16, choices=Score.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        ordering = ["-rated_at"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.score}"


class RatingFollowUp(ConcurrentTransitionMixin, WorkItem):
    """The follow-up case (回访) of a "not satisfied" press on the pad: a kernel work item owned by the office's
    customer manager, with its own callback clock (commitment `counter_rating_followup`). The manager calls the
    customer back (reached or not, satisfied after all or not, a note) — the clock stops there — and then closes
    the case. Never shown to the clerk who was rated (`concerned_clerk`)."""

    class State(models.TextChoices):
        OPEN = "open", _("Callback due")
        CALLED_BACK = "called_back", _("Called back")
        CLOSED = "closed", _("Closed")

    NUMBER_PREFIX = "PJ"
    FINAL_STATES = (State.CLOSED,)

    state = FSMField(_("state"), default=State.OPEN, choices=State.choices, protected=True)
    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="followup",
                                  verbose_name=_("service rating"))
    concerned_clerk = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("clerk rated"))
    reached = models.BooleanField(_("customer reached"), null=True, blank=True)
    satisfied_after = models.BooleanField(_("satisfied after the callback"), null=True, blank=True)
    callback_note = models.TextField(_("callback note"), blank=True)
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    called_back_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("called back by"))

    class Meta:
        verbose_name = _("rating follow-up")
        verbose_name_plural = _("rating follow-ups")
        ordering = ["-created_at"]
        permissions = [
            ("call_back_ratingfollowup", _("Can record the callback of a rating follow-up")),
            ("close_ratingfollowup", _("Can close a rating follow-up")),
        ]

    def has_callback(self) -> bool:
        return self.called_back_at is not None

    @transition(field=state, source=[State.OPEN, State.CALLED_BACK], target=State.CALLED_BACK,
                permission="counter.call_back_ratingfollowup", custom={"label": _("Record the callback"),
                                                                        "form": "callback"})
    def record_callback(self, *, at, by, reached: bool, satisfied: bool | None, note: str):
        self.reached, self.satisfied_after, self.callback_note = reached, satisfied, note
        self.called_back_at, self.called_back_by = at, by
        self.resolved_at = self.resolved_at or at

    @transition(field=state, source=State.CALLED_BACK, target=State.CLOSED, conditions=[has_callback],
                permission="counter.close_ratingfollowup", custom={"label": _("Close")})
    def close(self, *, at):
        self.closed_at = at


class ClerkCard(models.Model):
    """The clerk's card shown on the rating pad while the clerk is signed in at a window: staff number and photo
    (a clean JPEG re-encoded by `core.images`, no metadata). Kept by managers; the user model has no photo."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="clerk_card",
                                verbose_name=_("clerk"))
    staff_number = models.CharField(_("staff number"), max_length=20, unique=True)
    photo = models.BinaryField(_("photo"), blank=True, default=b"", editable=False)
    photo_updated_at = models.DateTimeField(_("photo updated at"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["photo"])

    class Meta:
        verbose_name = _("clerk card")
        verbose_name_plural = _("clerk cards")
        ordering = ["staff_number"]

    def __str__(self) -> str:
        return self.staff_number
