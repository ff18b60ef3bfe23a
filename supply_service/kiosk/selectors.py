"""What the kiosk pages read. Public information (no verification) and one customer's account overview, which
reads a constant number of queries whatever the number of bills, payments or tickets."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, DateTimeField, IntegerField, Prefetch, Q, QuerySet
from django.utils import timezone

from supply_service.core.html import choice_label
from supply_service.core.models import Commitment, Office, SlaClock
from supply_service.core.prepared import Bind, Read, fetch, prepared
from supply_service.core.selectors import pick_open_clocks, sla_pause_reasons
from supply_service.core.services.calendar import deadline_text
from supply_service.core.services.policy import policy_int_reads
from supply_service.core.templatetags.once import remembered
from supply_service.core.together import parallel, run
from supply_service.customers.charts import Chart, consumption_chart
from supply_service.customers.models import (
    Customer,
    EnergyTip,
    FeeItem,
    Payment,
    PaymentMethod,
    Procedure,
    Tariff,
    TariffItem,
)
from supply_service.customers.selectors import (
    BillRow,
    bills_read,
    customer_summary_with_arrears_read,
    latest_payments_read,
    mask_name,
)
from supply_service.outages.selectors import notices_upcoming_read, public_notices
from supply_service.tickets.models import FINAL_STATES, TICKET_KINDS, BusinessExpansion, State
from supply_service.tickets.selectors_customer import tickets_open_for_customer_read

OPEN_APPLICATIONS = 10
ADDRESS_KEPT = 6


# --- the terminal's office -----------------------------------------------------------------------------------
def office_for_terminal(*, pk: int | None, code: str | None) -> Office | None:
    """The active office by pk (session) or else by code (cookie); one query, none when neither is known."""
    return run(office_for_terminal_reads(pk=pk, code=code))


def office_for_terminal_reads(*, pk: int | None, code: str | None):
    """`office_for_terminal` as a generator of its read (`core.together`)."""
    if pk is not None:
        found = yield _OFFICE_BY_PK.read(pk=pk)
    elif code:
        found = yield _OFFICE_BY_CODE.read(code=code)
    else:
        return None
    return found[0] if found else None


_OFFICE_BY_PK = prepared(lambda: Office.objects.filter(pk=Bind("pk", IntegerField()), is_active=True)[:1])
_OFFICE_BY_CODE = prepared(lambda: Office.objects.filter(code=Bind("code", CharField()), is_active=True)[:1])


CONNECTION_FAMILY = "connection_total"  # the clock the customer's progress shows (acceptance → energized)


def office_by_code(*, code: str) -> Office | None:
    return Office.objects.filter(code=code, is_active=True).first()


# --- public information (S8.3, S9.5, S10.3.4, S10.3.6) --------------------------------------------------------
def tariffs_published() -> QuerySet[Tariff]:
    return Tariff.objects.filter(is_active=True).prefetch_related(
        Prefetch("items", queryset=TariffItem.objects.order_by("position", "pk"))
    ).order_by("position", "code")


def fee_items_published() -> QuerySet[FeeItem]:
    return FeeItem.objects.filter(is_active=True).order_by("position", "code")


def procedures_published() -> QuerySet[Procedure]:
    return Procedure.objects.filter(is_active=True).select_related("commitment").order_by("position", "code")


def commitments_published() -> list[Commitment]:
    return sorted(Commitment.objects.filter(is_active=True), key=lambda c: c.sort_key)


def payment_methods_offered() -> QuerySet[PaymentMethod]:
    return PaymentMethod.objects.filter(is_active=True).order_by("position", "code")


# The account page names the ways to pay (only when something is owed): their names, not the four descriptions, in a
# statement compiled once (issue 12: the whole rows, built anew as a queryset on every page, were read for four names).
_METHOD_NAMES = prepared(lambda: payment_methods_offered().only(
    *(f.name for f in PaymentMethod._meta.fields if f.name.startswith("name_"))))


def energy_tips_published() -> QuerySet[EnergyTip]:
    return EnergyTip.objects.filter(is_active=True).order_by("position", "pk")


def outage_notices_current():
    return public_notices()


def text_lines(text: str) -> list[str]:
    """A multi-line text field as its non-empty lines (steps, documents to bring)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- one customer's account (S9.5, S10.3.1) -------------------------------------------------------------------
def mask_address(address: str) -> str:
    address = (address or "").strip()
    return address[:ADDRESS_KEPT] + "***" if address else ""


def deadline_label(at: datetime | None) -> str:
    """A deadline as customers read it (the kernel's one format: a day limit ends at 24:00 of its last day)."""
    return deadline_text(at)


@dataclass(frozen=True)
class Stage:
    label: str
    at: datetime | None
    done: bool
    current: bool
    due_at: datetime | None = None

    @property
    def due_label(self) -> str:
        return deadline_label(self.due_at)


@dataclass(frozen=True)
class Application:
    number: str
    business: str
    applicant_class: str
    state_label: str
    stages: list[Stage]
    clock: SlaClock | None
    waiting_for: str = ""  # why the application waits on the customer (the open pause's reason)
    finished_at: datetime | None = None  # closed or cancelled (shown for `kiosk_finished_days` after that)
    cancelled: bool = False

    @property
    def paused(self) -> bool:
        return self.clock is not None and self.clock.state == SlaClock.State.PAUSED


@dataclass(frozen=True)
class TicketRow:
    number: str
    kind_label: str
    state_label: str
    created_at: datetime
    due: datetime | None

    @property
    def due_label(self) -> str:
        return deadline_label(self.due)


@dataclass
class AccountOverview:
    customer: Customer
    name: str
    address: str
    bills: list[BillRow]
    chart: Chart
    payments: list[Payment]
    payment_methods: list[PaymentMethod]
    applications: list[Application]
    other_tickets: list[TicketRow]
    outages: list = field(default_factory=list)


def _stages(ticket: BusinessExpansion, clock: SlaClock | None) -> list[Stage]:
    """Done stages carry their time; the first pending one is current; the last one (energizing: what the
    commitment clock measures) carries the clock's due time."""
    raw = ticket.stages
    current = next((i for i, (_label, at) in enumerate(raw) if at is None), None)
    due = clock.due_at if clock is not None and clock.state == SlaClock.State.RUNNING else None
    last = len(raw) - 1
    return [
        Stage(label=str(label), at=at, done=at is not None, current=(i == current),
              due_at=due if i == last and at is None else None)
        for i, (label, at) in enumerate(raw)
    ]


_APPLICATIONS = prepared(lambda: BusinessExpansion.objects.filter(customer_id=Bind("customer", IntegerField()))
                         .filter(~Q(state__in=FINAL_STATES) | Q(closed_at__gte=Bind("since", DateTimeField())))
                         .order_by("-created_at")[:OPEN_APPLICATIONS])


# The open clocks of the customer's applications (as `sla_open_clocks_by_subject` reads them for a list of tickets,
# here by the customer: one statement compiled once; an application's clocks are few and only open ones are read).
_OPEN_CLOCKS = prepared(lambda: SlaClock.objects.filter(
    content_type_id=Bind("content_type", IntegerField()), stopped_at__isnull=True,
    object_id__in=BusinessExpansion.objects.filter(customer_id=Bind("customer", IntegerField())).values("pk"),
).exclude(state=SlaClock.State.WAIVED).select_related("commitment").order_by("-started_at", "-pk"))


def applications_in_progress(*, customer: Customer, now: datetime | None = None) -> list[Application]:
    """The customer's business-expansion applications (业扩进程, S9.5) as stage timelines: the open ones, and the
    ones finished (closed or cancelled) in the last `kiosk_finished_days` days, with their dates; three queries
    (a fourth when a clock is paused: its reason)."""
    return run(applications_reads(customer_pk=customer.pk, now=now))


def applications_reads(*, customer_pk: int, now: datetime | None = None):
    """`applications_in_progress` as a generator of its reads (`core.together`): the policy, then the applications
    and their open clocks together."""
    since = (now or timezone.now()) - timedelta(days=(yield from policy_int_reads("kiosk_finished_days")))
    tickets, open_clocks = yield (_APPLICATIONS.read(customer=customer_pk, since=since), _OPEN_CLOCKS.read(
        customer=customer_pk, content_type=ContentType.objects.get_for_model(BusinessExpansion).pk))
    shown = {t.pk for t in tickets}
    clocks = {pk: clock for pk, clock in pick_open_clocks(open_clocks, family=CONNECTION_FAMILY).items()
              if pk in shown}
    waiting = sla_pause_reasons(clocks=list(clocks.values()))
    business, applicant_class = (BusinessExpansion._meta.get_field(name) for name in ("business_type", "applicant_class"))
    return [
        Application(
            number=t.number, business=choice_label(business, t.business_type),
            applicant_class=choice_label(applicant_class, t.applicant_class),
            state_label=str(t.state_label), stages=_stages(t, clocks.get(t.pk)), clock=clocks.get(t.pk),
            waiting_for=waiting.get(clocks[t.pk].pk, "") if t.pk in clocks else "",
            finished_at=t.closed_at if t.state in FINAL_STATES else None, cancelled=t.state == State.CANCELLED,
        )
        for t in tickets
    ]


def other_open_tickets(*, customer: Customer) -> list[TicketRow]:
    """The customer's other open tickets (repairs, meter faults, bill queries …) with their state; one query on the
    open-work table (applications are shown as progress timelines)."""
    return fetch(other_open_tickets_read(customer_pk=customer.pk))


def other_open_tickets_read(*, customer_pk: int) -> Read:
    return tickets_open_for_customer_read(customer_id=customer_pk, exclude_kinds=(BusinessExpansion.KIND,)).then(
        _ticket_rows)


def _ticket_rows(found: list[dict]) -> list[TicketRow]:
    labels = remembered(("kiosk_ticket_labels",), dict)  # (kind, state) -> their words, per language
    rows = []
    for row in found:
        key = (row["kind"], row["state"])
        words = labels.get(key)
        if words is None:
            model = TICKET_KINDS[row["kind"]]
            words = labels[key] = (str(model._meta.verbose_name),
                                   str(model.STATE_LABELS.get(row["state"]) or State(row["state"]).label))
        rows.append(TicketRow(number=row["number"], kind_label=words[0], state_label=words[1],
                              created_at=row["created_at"], due=row["due"]))
    return rows


def account_overview(*, customer_pk: int, today: date | None = None, now: datetime | None = None) -> AccountOverview:
    """Everything the verified account page shows. Raises Customer.DoesNotExist for an unknown or inactive one."""
    return run(account_overview_reads(customer_pk=customer_pk, today=today, now=now))


def account_overview_reads(*, customer_pk: int, today: date | None = None, now: datetime | None = None):
    """`account_overview` as a generator of its reads (`core.together`), in two rounds: the customer with arrears,
    bills, payments, the ways to pay, the policy, other tickets and outages — all by the customer's number, none
    waiting for another — then the applications and their clocks (they need the policy). Nine queries (a tenth when
    an application's clock is paused); on PostgreSQL two round trips."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    customer, bills, payments, methods, others, outages, applications = yield from parallel(
        customer_summary_with_arrears_read(pk=customer_pk, today=today), bills_read(customer_pk=customer_pk, today=today),
        latest_payments_read(customer_pk=customer_pk), _METHOD_NAMES.read(),
        other_open_tickets_read(customer_pk=customer_pk), notices_upcoming_read(customer_pk=customer_pk, now=now),
        applications_reads(customer_pk=customer_pk, now=now))
    if not customer.is_active:
        raise Customer.DoesNotExist
    return AccountOverview(
        customer=customer,
        name=mask_name(customer.name),
        address=mask_address(customer.address),
        bills=bills,
        chart=consumption_chart(bills),
        payments=payments,
        payment_methods=methods if customer.arrears else [],
        applications=applications,
        other_tickets=others,
        outages=outages,
    )
