"""Supply reliability (S6.4) from the outage records: actual power-off and restoration times, affected customers.

Per office and local month (DL/T 836 definitions):
- customer-hours = Σ over outages of (hours off inside the month × customers affected);
- AIHC-1 (average interruption hours per customer) = customer-hours / customers of the office;
- RS-1 = (1 − AIHC-1 / hours in the period) × 100 %;
- RS-3 = the same without supply-restriction (limited supply) outages;
- interruptions per customer = customer-interruptions / customers (an interruption counts in the month it began);
- planned (planned + temporary maintenance: 预安排) and unplanned (emergency: 故障) hours separately.

An outage is counted from `started_at` (power off) to `restored_at` (supply restored); one still off counts up to
now. An outage that crosses midnight or a month end is cut at the local month boundary. Customers of an office:
its active customers (the customer table keeps no connection date). Affected customers count for their own office.

Queries: three, whatever the number of customers — customers per office, the outages of the period, and the
affected customers counted per outage and office in SQL; the month split runs over outages, not customers.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from supply_service.customers.models import Customer
from supply_service.outages.models import AffectedCustomer, OutageNotice
from supply_service.quality.periods import (
    hours_in,
    local_month,
    month_start,
    months_in,
    next_month,
    split_by_month,
)

PLANNED, UNPLANNED, LIMITED = "planned", "unplanned", "limited"
CATEGORY = {
    OutageNotice.Kind.PLANNED: PLANNED,
    OutageNotice.Kind.TEMPORARY: PLANNED,
    OutageNotice.Kind.EMERGENCY: UNPLANNED,
    OutageNotice.Kind.RESTRICTION: LIMITED,
}
PCT = Decimal("0.0001")
HOURS = Decimal("0.0001")


@dataclass
class Reliability:
    """The reliability figures of one office (or all) over one period."""

    customers: int
    period_hours: float
    hours: dict[str, float] = field(default_factory=lambda: {PLANNED: 0.0, UNPLANNED: 0.0, LIMITED: 0.0})
    interruptions: dict[str, int] = field(default_factory=lambda: {PLANNED: 0, UNPLANNED: 0, LIMITED: 0})

    @property
    def customer_hours(self) -> float:
        return sum(self.hours.values())

    def _per_customer(self, value: float) -> Decimal | None:
        if not self.customers:
            return None
        return Decimal(value / self.customers).quantize(HOURS, ROUND_HALF_UP)

    @property
    def aihc1(self) -> Decimal | None:
        return self._per_customer(self.customer_hours)

    @property
    def aihc3(self) -> Decimal | None:
        return self._per_customer(self.customer_hours - self.hours[LIMITED])

    @property
    def aihc_planned(self) -> Decimal | None:
        return self._per_customer(self.hours[PLANNED])

    @property
    def aihc_unplanned(self) -> Decimal | None:
        return self._per_customer(self.hours[UNPLANNED])

    def _rs(self, customer_hours: float) -> Decimal | None:
        if not self.customers or not self.period_hours:
            return None
        value = (1 - customer_hours / self.customers / self.period_hours) * 100
        return Decimal(value).quantize(PCT, ROUND_HALF_UP)

    @property
    def rs1(self) -> Decimal | None:
        return self._rs(self.customer_hours)

    @property
    def rs3(self) -> Decimal | None:
        return self._rs(self.customer_hours - self.hours[LIMITED])

    @property
    def interruptions_per_customer(self) -> Decimal | None:
        if not self.customers:
            return None
        return Decimal(sum(self.interruptions.values()) / self.customers).quantize(HOURS, ROUND_HALF_UP)


def customers_per_office(*, office_id: int | None, end: datetime) -> dict[int, int]:
    rows = Customer.objects.filter(is_active=True)
    if office_id is not None:
        rows = rows.filter(office_id=office_id)
    return dict(rows.values_list("office_id").annotate(n=Count("id")).order_by())


def _period_outages(*, start: datetime, end: datetime):
    """Outages that were off at some moment of [start, end): powered off before the end, restored after the start
    (or not yet); never cancelled ones."""
    return (OutageNotice.objects.filter(started_at__isnull=False, started_at__lt=end)
            .filter(Q(restored_at__isnull=True) | Q(restored_at__gt=start))
            .exclude(state=OutageNotice.State.CANCELLED))


def _affected(*, outages, office_id: int | None) -> list[tuple[int, int, int]]:
    """(notice id, office id, customers) — counted in SQL; the outages as a subquery (no list of ids, whatever
    their number), so the database walks the affected customers notice by notice."""
    rows = AffectedCustomer.objects.filter(notice_id__in=outages.values("id"))
    if office_id is not None:
        rows = rows.filter(customer__office_id=office_id)
    return list(rows.values_list("notice_id", "customer__office_id").annotate(n=Count("id")).order_by())


def reliability_by_month(*, office_id: int | None, start: datetime, end: datetime,
                         now: datetime | None = None) -> dict[tuple[int, date], Reliability]:
    """{(office id, month): Reliability} for every office with customers and every local month of [start, end)."""
    now = now or timezone.now()
    months = months_in(start, end)
    customers = customers_per_office(office_id=office_id, end=end)
    figures = {
        (office, month): Reliability(customers=n, period_hours=hours_in(month_start(month),
                                                                          month_start(next_month(month))))
        for office, n in customers.items() for month in months
    }
    outages = _period_outages(start=start, end=end)
    notices = {row["id"]: row for row in outages.values("id", "kind", "started_at", "restored_at")}
    affected = _affected(outages=outages, office_id=office_id) if notices else []
    for notice_id, office, n in affected:
        notice = notices[notice_id]
        category = CATEGORY.get(notice["kind"], UNPLANNED)
        begin = max(notice["started_at"], start)
        finish = min(notice["restored_at"] or now, end)
        for month, hours in split_by_month(begin, finish):
            if (office, month) in figures:
                figures[(office, month)].hours[category] += hours * n
        if notice["started_at"] >= start and (office, local_month(notice["started_at"])) in figures:
            figures[(office, local_month(notice["started_at"]))].interruptions[category] += n
    return figures


def reliability_total(figures: dict[tuple[int, date], Reliability], *, office_id: int | None = None,
                      start: datetime, end: datetime) -> Reliability:
    """The period's figure from the monthly ones (all offices, or one): hours and interruptions added up; the
    customers of each office counted once (its last month's)."""
    customers: dict[int, int] = {}
    total = Reliability(customers=0, period_hours=hours_in(start, end))
    for (office, _month), month_figure in sorted(figures.items(), key=lambda item: item[0][1]):
        if office_id is not None and office != office_id:
            continue
        customers[office] = month_figure.customers
        for key in total.hours:
            total.hours[key] += month_figure.hours[key]
            total.interruptions[key] += month_figure.interruptions[key]
    total.customers = sum(customers.values())
    return total


def reliability_summary(*, office_id: int | None, start: datetime, end: datetime,
                        now: datetime | None = None) -> Reliability:
    figures = reliability_by_month(office_id=office_id, start=start, end=end, now=now)
    return reliability_total(figures, office_id=office_id, start=start, end=end)
