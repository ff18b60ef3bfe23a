"""The complaints app's panels, registered in `ComplaintsConfig.ready` through the kernel's page panels:

- the staff customer page: the customer's complaints, suggestions and praise — never reports (they are not linked
  to an account) and never an item about the viewer. One query.
- the kiosk's account page (a verified customer, `core.panels` page "kiosk_account"): the customer's own items
  linked to their account, each with its state in words, the date the answer is promised by and whether the reply
  was sent. Never a report, never the sealed identity, the staff member concerned, the findings or the draft: the
  rows carry only those few fields. Two queries (the finished-days policy, the rows with their promise).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import DateTimeField, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop

from supply_service.complaints.models import FINAL_STATES, REPLY_COMMITMENT, Complaint, Kind, State
from supply_service.complaints.selectors import VIEW_REPORTS
from supply_service.core.html import choice_label, esc, number_linker, panel_section_html, time_html
from supply_service.core.models import SlaClock
from supply_service.core.prepared import Bind, prepared
from supply_service.core.services.calendar import deadline_text
from supply_service.core.services.policy import policy_int_reads
from supply_service.core.together import run

LIMIT = 20
KIOSK_LIMIT = 10
KIOSK_TITLE = gettext_noop("My complaints and suggestions")
# The customer is told the item is being looked into while a reply is drafted and reviewed (internal steps).
CUSTOMER_STATE = {State.REPLY_DRAFTED: State.INVESTIGATING, State.REPLY_APPROVED: State.INVESTIGATING}


class CustomerComplaintRow(NamedTuple):
    """An item as the staff customer page lists it: a tuple, no model instances (issue 12)."""

    number: str
    kind: str
    state: str
    created_at: datetime


def customer_complaints_panel(*, request, customer):
    """The customer's complaints on the staff customer page (one statement, sent with the page's others:
    `core.together`); None (no panel) without the permission to view complaints."""
    user = request.user
    if not user.has_perm("complaints.view_complaint"):
        return None
    statement = _STAFF_ROWS_WITH_REPORTS if user.has_perm(VIEW_REPORTS) else _STAFF_ROWS
    rows = list(map(CustomerComplaintRow._make, (yield statement.read(customer=customer.pk, user=user.pk))))
    return {"rows": rows, "rows_html": customer_complaint_rows_html(rows)}


def customer_complaints_html(panel: dict, *, request, customer) -> SafeString:
    """`complaints/partials/customer_panel.html` (its writer: `core.panels`)."""
    return mark_safe(panel_section_html(  # noqa: S308  (every value escaped)
        "complaints", gettext_noop("Complaints, reports and suggestions"), table_id="customer-complaints",
        labels=(gettext_noop("Number"), gettext_noop("Kind"), gettext_noop("State"), gettext_noop("Received")),
        rows_html=panel["rows_html"] if panel["rows"] else "", empty=gettext_noop("Nothing to show.")))


def customer_complaint_rows_html(rows) -> SafeString:
    """The panel's table rows (tests/core/test_panel_rows.py compares them with the template loop they replace)."""
    kind, state = Complaint._meta.get_field("kind"), Complaint._meta.get_field("state")
    link, tz = number_linker("complaints:detail"), timezone.get_current_timezone()
    return mark_safe("".join(  # noqa: S308  (every value escaped)
        f'<tr><td>{link(item.number)}</td>'
        f'<td>{esc(choice_label(kind, item.kind))}</td><td>{esc(choice_label(state, item.state))}</td>'
        f'<td>{time_html(item.created_at, tz=tz)}</td></tr>'
        for item in rows))


def _staff_rows(*, reports: bool):
    """The customer's items for a viewer (bound: `user`): never one about the viewer; reports only with the
    permission — the rule of `complaint_visible_q`, written with the viewer bound (two statements, compiled once)."""
    q = ~Q(concerned_staff=Bind("user", IntegerField()))
    if not reports:
        q &= ~Q(kind=Kind.REPORT)
    return (Complaint.objects.filter(q, customer_id=Bind("customer", IntegerField()))
            .order_by("-created_at").values_list(*CustomerComplaintRow._fields)[:LIMIT])


_STAFF_ROWS = prepared(lambda: _staff_rows(reports=False))
_STAFF_ROWS_WITH_REPORTS = prepared(lambda: _staff_rows(reports=True))


@dataclass(frozen=True)
class KioskRow:
    """What the kiosk shows of one item — nothing else is loaded."""

    number: str
    kind_label: str
    state: str
    state_label: str
    created_at: datetime
    promised_by: datetime | None
    reply_sent: bool
    replied_at: datetime | None

    @property
    def promised_label(self) -> str:
        return deadline_text(self.promised_by) if self.promised_by else ""


def _kiosk_rows():
    promise = (SlaClock.objects.filter(content_type_id=Bind("content_type", IntegerField()), object_id=OuterRef("pk"),
                                       commitment__code__in=REPLY_COMMITMENT.values())
               .order_by("-started_at", "-pk").values("due_at")[:1])
    return (Complaint.objects.filter(customer_id=Bind("customer", IntegerField())).exclude(kind=Kind.REPORT)
            .filter(~Q(state__in=FINAL_STATES) | Q(closed_at__gte=Bind("since", DateTimeField())))
            .annotate(promised_by=Subquery(promise))
            .only("number", "kind", "state", "created_at", "replied_at", "closed_at")
            .order_by("-created_at", "-pk")[:KIOSK_LIMIT])


_KIOSK_ROWS = prepared(_kiosk_rows)  # compiled once per process (core.prepared)


def kiosk_complaint_rows(*, customer_pk: int, now: datetime | None = None) -> list[KioskRow]:
    """The verified customer's own complaints, suggestions and praise (linked to their account; reports never are,
    and are left out anyway): the open ones and those finished in the last `kiosk_finished_days` days, newest
    first. The promise is the due time of the item's latest reply clock (Commitment table). Two queries."""
    return run(kiosk_complaint_rows_reads(customer_pk=customer_pk, now=now))


def kiosk_complaint_rows_reads(*, customer_pk: int, now: datetime | None = None):
    """`kiosk_complaint_rows` as a generator of its reads (`core.together`): the policy, then the rows."""
    since = (now or timezone.now()) - timedelta(days=(yield from policy_int_reads("kiosk_finished_days")))
    items = yield _KIOSK_ROWS.read(customer=customer_pk, since=since,
                                   content_type=ContentType.objects.get_for_model(Complaint).pk)
    return [KioskRow(number=c.number, kind_label=str(c.get_kind_display()), state=c.state,
                     state_label=str(State(CUSTOMER_STATE.get(c.state, c.state)).label), created_at=c.created_at,
                     promised_by=c.promised_by if c.kind != Kind.PRAISE else None,
                     reply_sent=c.replied_at is not None, replied_at=c.replied_at)
            for c in items]


def kiosk_complaints_panel(*, customer_pk: int, now: datetime | None = None, **_kwargs):
    """The kiosk account's complaints section (a generator of its reads: `core.together`)."""
    return {"title": KIOSK_TITLE, "rows": (yield from kiosk_complaint_rows_reads(customer_pk=customer_pk, now=now))}
