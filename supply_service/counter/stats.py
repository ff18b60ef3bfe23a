"""Counter statistics in SQL (for the dashboard: `counter.selectors.counter_times`): waiting time (taken → called)
and handling time (called → finished, the S10.2.1 clock's span) per service, window and hour of the day, the share
of transactions within their limit (met / settled S10.2.1 clocks), and ratings per clerk, window and service."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import ExtractHour
from django.utils import timezone

from supply_service.core.models import SlaClock
from supply_service.core.selectors import Fulfilment
from supply_service.counter.models import QueueTicket, Rating
from supply_service.tickets.models import CounterTransaction

WAIT = ExpressionWrapper(F("called_at") - F("taken_at"), output_field=DurationField())
HANDLE = ExpressionWrapper(F("finished_at") - F("called_at"), output_field=DurationField())


@dataclass(frozen=True)
class TimeRow:
    key: object
    numbers: int
    served: int
    wait_minutes: Decimal | None
    handle_minutes: Decimal | None
    fulfilment: Fulfilment


@dataclass(frozen=True)
class CounterTimes:
    by_service: list[TimeRow] = field(default_factory=list)
    by_window: list[TimeRow] = field(default_factory=list)
    by_hour: list[TimeRow] = field(default_factory=list)
    total: TimeRow | None = None


def _minutes(value) -> Decimal | None:
    if value is None:
        return None
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value) / 1_000_000
    return (Decimal(seconds) / 60).quantize(Decimal("0.1"))


def _tickets(*, office, start, end):
    clocks = SlaClock.objects.filter(content_type=ContentType.objects.get_for_model(CounterTransaction),
                                     object_id=OuterRef("transaction_id")).order_by("-started_at")
    qs = QueueTicket.objects.filter(taken_at__gte=start, taken_at__lt=end)
    if office is not None:
        qs = qs.filter(office=office)
    return qs.annotate(clock_state=Subquery(clocks.values("state")[:1]))


AGGREGATES = {
    "numbers": Count("pk"),
    "served": Count("pk", filter=Q(state=QueueTicket.State.DONE)),
    "wait": Avg(WAIT, filter=Q(called_at__isnull=False)),
    "handle": Avg(HANDLE, filter=Q(state=QueueTicket.State.DONE)),
    "met": Count("pk", filter=Q(clock_state=SlaClock.State.MET)),
    "breached": Count("pk", filter=Q(clock_state=SlaClock.State.BREACHED)),
}


def _row(key, values: dict) -> TimeRow:
    return TimeRow(key=key, numbers=values["numbers"], served=values["served"],
                   wait_minutes=_minutes(values["wait"]), handle_minutes=_minutes(values["handle"]),
                   fulfilment=Fulfilment(met=values["met"], breached=values["breached"]))


def _grouped(qs, *names) -> list[dict]:
    return list(qs.values(*names).annotate(**AGGREGATES).order_by(*names))


def counter_times(*, office, start, end) -> CounterTimes:
    """Four aggregate queries whatever the number of tickets (office None: every office)."""
    qs = _tickets(office=office, start=start, end=end)
    by_service = [_row(r["service__kind"], r) for r in _grouped(qs, "service__kind")]
    by_window = [_row(r["window__number"], r) for r in _grouped(qs.filter(window__isnull=False), "window__number")]
    hours = qs.filter(called_at__isnull=False).annotate(
        hour=ExtractHour("called_at", tzinfo=timezone.get_default_timezone()))
    by_hour = [_row(r["hour"], r) for r in _grouped(hours, "hour")]
    total = _row(None, qs.aggregate(**AGGREGATES))
    return CounterTimes(by_service=by_service, by_window=by_window, by_hour=by_hour, total=total)


def counter_ratings(*, office, start, end, by: str = "clerk__username") -> list[dict]:
    """Ratings per clerk (or `window__number`, `service__kind`): counts of each answer, one query."""
    qs = Rating.objects.filter(rated_at__gte=start, rated_at__lt=end)
    if office is not None:
        qs = qs.filter(office=office)
    return list(qs.values(by).annotate(
        total=Count("pk"),
        very_satisfied=Count("pk", filter=Q(score=Rating.Score.VERY_SATISFIED)),
        satisfied=Count("pk", filter=Q(score=Rating.Score.SATISFIED)),
        not_satisfied=Count("pk", filter=Q(score=Rating.Score.NOT_SATISFIED)),
    ).order_by(by))
