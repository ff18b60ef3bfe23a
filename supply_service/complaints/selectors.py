"""Reads of complaints: who may see which item (the visibility rule, written once), the staff list in a constant
number of queries, the timeline, statistics in SQL."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.db.models.lookups import Contains
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supply_service.complaints.models import Complaint, Kind
from supply_service.core.history import HistoryEntry, history_timeline

VIEW = "complaints.view_complaint"
VIEW_REPORTS = "complaints.view_report_complaint"
# Fields the timeline never shows (a hash; identity lives elsewhere and has no history).
HIDDEN_HISTORY_FIELDS = {"tracking_secret", "customer_name", "customer_phone", "updated_at"}


def complaint_visible_to(*, user, complaint: Complaint) -> bool:
    """The visibility rule: `complaints.view_complaint`; reports also `complaints.view_report_complaint`; and the
    staff member an item concerns never sees it, whatever their role (superusers included)."""
    if user is None or not user.is_authenticated or not user.has_perm(VIEW):
        return False
    if complaint.concerned_staff_id is not None and complaint.concerned_staff_id == user.pk:
        return False
    return complaint.kind != Kind.REPORT or user.has_perm(VIEW_REPORTS)


def complaint_openwork_visibility(complaint: Complaint) -> tuple[str, int | None]:
    """The same rule for the kernel's open-work table (every work list and home): a report needs the report
    permission, and the item is hidden from the staff member it concerns."""
    return (VIEW_REPORTS if complaint.kind == Kind.REPORT else ""), complaint.concerned_staff_id


def complaint_visible_q(*, user) -> Q:
    """The same rule as a filter."""
    q = ~Q(concerned_staff=user.pk)
    if not user.has_perm(VIEW_REPORTS):
        q &= ~Q(kind=Kind.REPORT)
    return q


def complaint_hidden_q(user) -> Q:
    """The complement, for rows elsewhere that point at complaints (SLA clocks, callbacks, chases …; the kernel's
    `register_hidden_subjects`): items about `user`, and reports without the report permission."""
    q = Q(concerned_staff=user.pk)
    if not user.has_perm(VIEW_REPORTS):
        q |= Q(kind=Kind.REPORT)
    return q


def identity_hidden_q(user) -> Q:
    """Sealed identity records (the personal-data access log points at them) of the items hidden from `user`."""
    return Q(complaint__in=Complaint.objects.filter(complaint_hidden_q(user)).values("pk"))


def outbox_hidden_q(user) -> Q:
    """Outbox messages about items hidden from `user` (the acknowledgement and "reply sent" to the complainant, a
    staff note): their idempotency key names the item's number between colons."""
    names_it = Contains(OuterRef("idempotency_key"),
                        Concat(Value(":"), F("number"), Value(":"), output_field=CharField()))
    return Q(Exists(Complaint.objects.filter(complaint_hidden_q(user)).filter(names_it)))


def complaint_get(*, number: str) -> Complaint | None:
    """The item by its number, None when there is none (or the text cannot be a number: PostgreSQL refuses NUL)."""
    if not number or "\x00" in number or len(number) > 24:
        return None
    return (Complaint.objects.select_related("office", "owner", "first_responder", "customer", "concerned_staff",
                                             "duplicate_of", "supervised_by", "reply_drafted_by",
                                             "reply_approved_by")
            .filter(number=(number or "").upper()).first())


@dataclass
class ListFilters:
    office_id: int | None = None
    owner_id: int | None = None
    kind: str = ""
    state: str = ""
    open_only: bool = True
    query: str = ""


def complaint_list(*, user, filters: ListFilters) -> QuerySet[Complaint]:
    """The staff list: visible items, newest first, owner joined (one query per page plus the count)."""
    qs = Complaint.objects.filter(complaint_visible_q(user=user)).select_related("owner")
    if filters.office_id is not None:
        qs = qs.filter(office_id=filters.office_id)
    if filters.owner_id is not None:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.state:
        qs = qs.filter(state=filters.state)
    elif filters.open_only:
        qs = qs.exclude(state__in=["closed", "rejected", "duplicate"])
    if filters.query:
        qs = qs.filter(Q(number__iexact=filters.query) | Q(summary__icontains=filters.query))
    return qs.only("number", "kind", "category", "state", "summary", "channel", "created_at", "office_id",
                   "owner__username", "owner__first_name", "owner__last_name", "supervised_at",
                   "concerned_staff_id").order_by("-created_at", "-pk")


STEP_LABELS = {
    "complaints.create": gettext_lazy("Received"),
    "complaints.accept": gettext_lazy("Accepted and classified"),
    "complaints.reject": gettext_lazy("Rejected"),
    "complaints.mark_duplicate": gettext_lazy("Merged as a duplicate"),
    "complaints.merged": gettext_lazy("A duplicate was merged into it"),
    "complaints.assign": gettext_lazy("Assigned for investigation"),
    "complaints.draft_reply": gettext_lazy("Reply drafted"),
    "complaints.return_draft": gettext_lazy("Draft sent back"),
    "complaints.approve_reply": gettext_lazy("Reply approved"),
    "complaints.send_reply": gettext_lazy("Reply sent"),
    "complaints.call_back": gettext_lazy("Called back"),
    "complaints.reopen": gettext_lazy("Reopened after the callback"),
    "complaints.close": gettext_lazy("Closed"),
    "complaints.first_contact": gettext_lazy("First contact with the complainant"),
    "complaints.supervise": gettext_lazy("Supervised by a manager"),
    "complaints.pause": gettext_lazy("Clocks paused"),
    "complaints.resume": gettext_lazy("Clocks resumed"),
    "complaints.erase_identity": gettext_lazy("Reporter identity erased after the retention period"),
    "core.no_callback": gettext_lazy("Reason for no callback recorded"),
    "core.hand_over": gettext_lazy("Handed over"),
}


def _display(model_field, value, users) -> str:
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if getattr(model_field, "related_model", None) is not None and model_field.related_model._meta.label == "core.User":
        return str(users.get(value, value))
    return str(value)


def complaint_history(*, complaint: Complaint) -> list[HistoryEntry]:
    """The timeline (who, when, the step, what changed) — without the hashed secret or any identity field."""
    fields = [f.name for f in Complaint._meta.fields if f.editable and f.name not in HIDDEN_HISTORY_FIELDS]
    labels = {key: str(value) for key, value in STEP_LABELS.items()}
    return history_timeline(obj=complaint, labels=labels, display=_display, created_label=_("Received"),
                            changed_label=_("Changed"), included_fields=fields,
                            creator=lambda: complaint.first_responder)


def complaint_stats(*, office=None, start: datetime | None = None, end: datetime | None = None) -> dict:
    """Statistics in SQL for the dashboard: counts per kind, category and channel; substantiated rate; repeat
    complainants (customers with more than one complaint in the period). Four queries."""
    qs = Complaint.objects.all()
    if office is not None:
        qs = qs.filter(office=office)
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lt=end)
    by_kind = {row["kind"]: row["n"] for row in qs.values("kind").annotate(n=Count("pk")).order_by()}
    by_category = list(qs.values("kind", "category").annotate(n=Count("pk")).order_by("kind", "category"))
    by_channel = {row["channel"]: row["n"] for row in qs.values("channel").annotate(n=Count("pk")).order_by()}
    findings = qs.exclude(finding="").aggregate(
        total=Count("pk"), substantiated=Count("pk", filter=Q(finding__in=["substantiated", "partly"])))
    repeat = (qs.filter(customer__isnull=False, kind=Kind.COMPLAINT).values("customer")
              .annotate(n=Count("pk")).filter(n__gt=1).count())
    return {"by_kind": by_kind, "by_category": by_category, "by_channel": by_channel,
            "findings": findings, "repeat_complainants": repeat}
