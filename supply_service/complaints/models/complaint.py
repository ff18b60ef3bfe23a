"""Complaints (投诉), reports (举报), suggestions (意见建议) and praise (表扬): one closed-loop work item, one machine.

received → accepted (classified) | rejected | duplicate → investigating → reply_drafted → reply_approved → replied
→ called_back → closed; an unsatisfied callback reopens the item (back to investigating). "Replied" means the final
answer was sent to the customer — not the first contact (docs/apps/complaints.md).

The reporter's name, phone, address and ID number are NOT fields of this model (nor of its history): they live in
the sealed `ReporterIdentity` record. The kernel fields `customer_name` / `customer_phone` stay empty.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from supply_service.core.models import WorkItem


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report (whistleblowing)")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class Category(models.TextChoices):
    # complaints
    SERVICE_ATTITUDE = "service_attitude", _("Service attitude")
    BUSINESS_HANDLING = "business_handling", _("Business handling")
    SUPPLY_QUALITY = "supply_quality", _("Outages and supply quality")
    BILLING = "billing", _("Bills and charges")
    METERING = "metering", _("Meters")
    REPAIR = "repair", _("Fault repair")
    # reports
    MISCONDUCT = "misconduct", _("Staff misconduct")
    POWER_THEFT = "power_theft", _("Power theft")
    CONNECTIONS = "connections", _("Favours through connections")
    EXTRA_FEES = "extra_fees", _("Extra or unlawful fees")
    # everything
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")
    OTHER = "other", _("Other")


CATEGORIES_BY_KIND = {
    Kind.COMPLAINT: [Category.SERVICE_ATTITUDE, Category.BUSINESS_HANDLING, Category.SUPPLY_QUALITY,
                     Category.BILLING, Category.METERING, Category.REPAIR, Category.OTHER],
    Kind.REPORT: [Category.MISCONDUCT, Category.POWER_THEFT, Category.CONNECTIONS, Category.EXTRA_FEES,
                  Category.OTHER],
    Kind.SUGGESTION: [Category.SUGGESTION, Category.OTHER],
    Kind.PRAISE: [Category.PRAISE],
}
DEFAULT_CATEGORY = {Kind.COMPLAINT: Category.OTHER, Kind.REPORT: Category.OTHER, Kind.SUGGESTION: Category.SUGGESTION,
                    Kind.PRAISE: Category.PRAISE}

# The commitment (Commitment.code) of the final answer of each kind; praise is thanked, not answered on a clock.
REPLY_COMMITMENT = {Kind.COMPLAINT: "complaint_reply", Kind.REPORT: "report_reply",
                    Kind.SUGGESTION: "suggestion_reply"}
FIRST_CONTACT_COMMITMENT = "complaint_first_contact"
FIRST_CONTACT_KINDS = (Kind.COMPLAINT, Kind.REPORT)


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Merged as a duplicate")
    INVESTIGATING = "investigating", _("Being investigated")
    REPLY_DRAFTED = "reply_drafted", _("Reply drafted")
    REPLY_APPROVED = "reply_approved", _("Reply approved")
    REPLIED = "replied", _("Replied")
    CALLED_BACK = "called_back", _("Called back")
    CLOSED = "closed", _("Closed")


FINAL_STATES = (State.CLOSED, State.REJECTED, State.DUPLICATE)


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Substantiated")
    PARTLY = "partly", _("Partly substantiated")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")


class RootCause(models.TextChoices):
    STAFF_CONDUCT = "staff_conduct", _("Staff conduct")
    PROCESS = "process", _("Process or rules")
    TECHNICAL = "technical", _("Equipment or network")
    SYSTEM = "system", _("Information system")
    CUSTOMER = "customer", _("Misunderstanding on the customer's side")
    OTHER = "other", _("Other")


class ReplyChannel(models.TextChoices):
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")
    TRACKING = "tracking", _("Tracking page only (no contact details)")


def _perm(verb: str) -> str:
    return f"complaints.{verb}_complaint"


def needs_findings(item) -> bool:
    return item.kind in (Kind.COMPLAINT, Kind.REPORT)


def draft_complete(item) -> bool:
    """A reply can be drafted once there is a text and, for complaints and reports, the findings."""
    if not (item.reply_text or "").strip():
        return False
    return not needs_findings(item) or bool(item.finding and item.root_cause)


def corrective_actions_done(item) -> bool:
    """Every corrective-action task of the item is closed (condition of `close`)."""
    return not item.corrective_actions.filter(done_at__isnull=True).exists()


def loop_closable(item) -> bool:
    return WorkItem.loop_closable(item)


class Complaint(ConcurrentTransitionMixin, WorkItem):
    NUMBER_PREFIX = "KS"

    Kind = Kind
    Category = Category
    State = State

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    state = FSMField(_("state"), default=State.RECEIVED, choices=State.choices, protected=True)
    summary = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("what happened"))
    anonymous = models.BooleanField(_("anonymous"), default=False,
                                    help_text=_("No name or contact details were given."))
    language = models.CharField(_("customer's language"), max_length=10, blank=True)
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("customer"))
    # what it concerns (none of them: the office)
    ticket_number = models.CharField(_("ticket concerned"), max_length=24, blank=True)
    outage_number = models.CharField(_("outage concerned"), max_length=24, blank=True)
    concerned_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("staff member concerned"),
        help_text=_("The staff member the item is about never sees it."),
    )
    # public follow-up
    tracking_secret = models.CharField(_("tracking secret (hashed)"), max_length=128, blank=True, editable=False)
    # classification and outcome
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejecting"), max_length=255, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="duplicates", verbose_name=_("duplicate of"))
    merged_numbers = models.CharField(_("duplicates merged into it"), max_length=255, blank=True)
    first_contact_at = models.DateTimeField(_("first contact at"), null=True, blank=True)
    investigation_started_at = models.DateTimeField(_("investigation started at"), null=True, blank=True)
    supervised_at = models.DateTimeField(_("supervised since"), null=True, blank=True)
    supervised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("supervised by"))
    finding = models.CharField(_("finding"), max_length=20, choices=Finding.choices, blank=True)
    root_cause = models.CharField(_("root cause"), max_length=20, choices=RootCause.choices, blank=True)
    findings_note = models.TextField(_("findings"), blank=True)
    reply_text = models.TextField(_("reply"), blank=True)
    reply_channel = models.CharField(_("reply sent by"), max_length=12, choices=ReplyChannel.choices, blank=True)
    reply_drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("reply drafted by"))
    reply_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", verbose_name=_("reply approved by"))
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True,
                                      help_text=_("When the final answer was sent (not the first contact)."))
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    identity_erased_at = models.DateTimeField(_("reporter identity erased at"), null=True, blank=True)

    class Meta(WorkItem.Meta):
        verbose_name = _("complaint or report")
        verbose_name_plural = _("complaints and reports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["office", "state", "created_at"]),
            models.Index(fields=["office", "kind", "created_at"]),
        ]
        permissions = [
            ("view_report_complaint", _("Can see whistleblowing reports")),
            ("view_reporter_identity", _("Can read the sealed reporter identity (logged, with a reason)")),
            ("approve_identity_request", _("Can approve reading a reporter's identity (custodian)")),
            ("accept_complaint", _("Can accept, reject or merge complaints")),
            ("assign_complaint", _("Can assign complaints for investigation")),
            ("investigate_complaint", _("Can investigate complaints and draft replies")),
            ("approve_reply_complaint", _("Can approve replies to complaints")),
            ("reply_complaint", _("Can send replies to complaints")),
            ("callback_complaint", _("Can call back on complaints")),
            ("close_complaint", _("Can close complaints")),
            ("reopen_complaint", _("Can reopen complaints")),
            ("pause_complaint", _("Can pause a complaint's clocks")),
            ("supervise_complaint", _("Can supervise (chase) complaints")),
        ]

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES

    @property
    def is_report(self) -> bool:
        return self.kind == Kind.REPORT

    @property
    def state_label(self) -> str:
        return self.get_state_display()

    @transition(field=state, source=State.RECEIVED, target=State.ACCEPTED, permission=_perm("accept"),
                custom={"label": _("Accept and classify"), "form": "classify"})
    def accept(self, *, at, category):
        self.category = category
        self.accepted_at = at

    @transition(field=state, source=State.RECEIVED, target=State.REJECTED, permission=_perm("accept"),
                custom={"label": _("Reject"), "form": "reason", "style": "danger"})
    def reject(self, *, at, reason):
        self.reject_reason = reason
        self.closed_at = at

    @transition(field=state, source=[State.RECEIVED, State.ACCEPTED], target=State.DUPLICATE,
                permission=_perm("accept"), custom={"label": _("Merge as a duplicate"), "form": "duplicate",
                                                    "style": "danger", "dedicated": True})
    def mark_duplicate(self, *, at, original):
        self.duplicate_of = original
        self.closed_at = at

    @transition(field=state, source=State.ACCEPTED, target=State.INVESTIGATING, permission=_perm("assign"),
                custom={"label": _("Assign for investigation"), "form": "assign"})
    def assign(self, *, at, handler):
        self.owner = handler
        self.investigation_started_at = self.investigation_started_at or at

    @transition(field=state, source=State.INVESTIGATING, target=State.REPLY_DRAFTED, conditions=[draft_complete],
                permission=_perm("investigate"), custom={"label": _("Record findings and draft the reply"),
                                                         "form": "draft"})
    def draft_reply(self, *, at, by):
        self.reply_drafted_by = by

    @transition(field=state, source=State.REPLY_DRAFTED, target=State.INVESTIGATING,
                permission=_perm("approve_reply"), custom={"label": _("Send the draft back"), "form": "reason"})
    def return_draft(self, *, at, reason):
        self.reply_approved_by = None

    @transition(field=state, source=State.REPLY_DRAFTED, target=State.REPLY_APPROVED,
                permission=_perm("approve_reply"), custom={"label": _("Approve the reply")})
    def approve_reply(self, *, at, by):
        self.reply_approved_by = by

    @transition(field=state, source=State.REPLY_APPROVED, target=State.REPLIED, permission=_perm("reply"),
                custom={"label": _("Reply sent to the customer"), "form": "reply_channel"})
    def send_reply(self, *, at, channel):
        self.reply_channel = channel
        self.replied_at = at
        self.resolved_at = at

    @transition(field=state, source=State.REPLIED, target=State.CALLED_BACK, conditions=[loop_closable],
                permission=_perm("callback"), custom={"label": _("Called back: satisfied"), "dedicated": True})
    def call_back(self, *, at):
        self.called_back_at = at

    @transition(field=state, source=State.REPLIED, target=State.INVESTIGATING, permission=_perm("reopen"),
                custom={"label": _("Reopen"), "dedicated": True})
    def reopen(self, *, at):
        self.reopened += 1
        self.resolved_at = None
        self.replied_at = None
        self.reply_approved_by = None

    @transition(field=state, source=[State.REPLIED, State.CALLED_BACK], target=State.CLOSED,
                conditions=[loop_closable, corrective_actions_done], permission=_perm("close"),
                custom={"label": _("Close")})
    def close(self, *, at):
        self.closed_at = at


class CorrectiveAction(models.Model):
    """A task that puts right what a complaint found (owner, due date); the complaint closes only when all are done."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="corrective_actions",
                                  verbose_name=_("complaint"))
    description = models.CharField(_("corrective action"), max_length=255)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    due_date = models.DateField(_("due date"))
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("done by"))
    done_note = models.CharField(_("what was done"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.description
