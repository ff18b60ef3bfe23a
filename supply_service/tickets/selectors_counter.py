"""Reads of the counter desk (S10.2.1) and the 95598 desk (S10.2.6): today's transactions, the office's calls,
each row with the state and due time of its SLA clock in the same query."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from supply_service.core.models import SlaClock
from supply_service.core.selectors import Fulfilment
from supply_service.tickets.models import CallRecord, CounterTransaction


def _with_clock(qs: QuerySet, model) -> QuerySet:
    """Annotate each row with the state and due time of its (only) SLA clock, in the same query."""
    clocks = SlaClock.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
    ).order_by("-started_at")
    return qs.annotate(
        clock_state=Subquery(clocks.values("state")[:1]),
        clock_due=Subquery(clocks.values("due_at")[:1]),
    )


def _day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """Start and end of the office's day (Asia/Shanghai) that contains `now`."""
    local = timezone.localtime(now)
    start = datetime.combine(local.date(), time.min, tzinfo=local.tzinfo)
    return start, start + timedelta(days=1)


@dataclass(frozen=True)
class TodaySummary:
    count: int
    finished: int
    fulfilment: Fulfilment


def counter_today(*, clerk, now: datetime) -> QuerySet[CounterTransaction]:
    start, end = _day_bounds(now)
    qs = CounterTransaction.objects.filter(clerk=clerk, started_at__gte=start, started_at__lt=end)
    return _with_clock(qs.select_related("customer").order_by("-started_at", "-pk"), CounterTransaction)


def counter_open_for(*, clerk) -> list[CounterTransaction]:
    """The clerk's transactions not finished yet (at most one), with their clocks."""
    qs = CounterTransaction.objects.filter(clerk=clerk, finished_at__isnull=True).select_related("customer")
    return list(_with_clock(qs, CounterTransaction).order_by("started_at"))


def counter_today_summary(*, clerk, now: datetime) -> TodaySummary:
    """Today's count and the share served within the limit (met / settled), one SQL aggregate."""
    start, end = _day_bounds(now)
    clocks = SlaClock.objects.filter(
        content_type=ContentType.objects.get_for_model(CounterTransaction), object_id=OuterRef("pk")
    )
    counts = (
        CounterTransaction.objects.filter(clerk=clerk, started_at__gte=start, started_at__lt=end)
        .annotate(clock_state=Subquery(clocks.order_by("-started_at").values("state")[:1]))
        .aggregate(
            count=Count("pk"),
            finished=Count("pk", filter=Q(finished_at__isnull=False)),
            met=Count("pk", filter=Q(clock_state=SlaClock.State.MET)),
            breached=Count("pk", filter=Q(clock_state=SlaClock.State.BREACHED)),
        )
    )
    return TodaySummary(counts["count"], counts["finished"], Fulfilment(met=counts["met"], breached=counts["breached"]))


def counter_transaction_get(*, number: str) -> CounterTransaction | None:
    return CounterTransaction.objects.filter(number=number).first()


def office_calls(*, office) -> QuerySet[CallRecord]:
    qs = CallRecord.objects.filter(office=office) if office is not None else CallRecord.objects.none()
    return _with_clock(qs.select_related("agent", "customer").order_by("-rang_at", "-pk"), CallRecord)


def call_get(*, number: str) -> CallRecord | None:
    return CallRecord.objects.select_related("customer", "office").filter(number=number).first()
