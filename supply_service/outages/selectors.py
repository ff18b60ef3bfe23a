"""Reads about outage notices that the public pages, the kiosk, the customer page and the intake form share."""

from datetime import date, datetime, time
from typing import NamedTuple

from django.db.models import Count, DateTimeField, IntegerField, Q, QuerySet
from django.utils import timezone

from supply_service.core.i18n_fields import translated_value
from supply_service.core.models import Outbox
from supply_service.core.prepared import Bind, Read, fetch, prepared
from supply_service.core.services.calendar import period_bounds, this_year_bounds
from supply_service.core.together import run
from supply_service.customers.models import Customer
from supply_service.customers.selectors import customers_on
from supply_service.outages.models import AffectedCustomer, OutageNotice

ACTIVE_STATES = (OutageNotice.State.PUBLISHED, OutageNotice.State.IN_PROGRESS, OutageNotice.State.CAUSE_REMOVED)
COUNTED_STATES = (*OutageNotice.PUBLIC_STATES, OutageNotice.State.CLOSED)


def notice_affected_preview(*, notice: OutageNotice) -> QuerySet[Customer]:
    """Who the notice would cut off, from the customers' feeders and transformer areas (before publication)."""
    return customers_on(
        feeders=list(notice.feeders.values_list("pk", flat=True)),
        areas=list(notice.areas.values_list("pk", flat=True)),
    ).select_related("transformer_area").order_by("account_number")


def notice_affected(*, notice: OutageNotice) -> QuerySet[Customer]:
    """Who it cuts off: the snapshot taken at publication, else the preview."""
    if notice.published_at is None:
        return notice_affected_preview(notice=notice)
    return Customer.objects.filter(outages_affecting__notice=notice).order_by("account_number")


def public_notices(*, area: str = "", day: date | None = None, now: datetime | None = None) -> QuerySet[OutageNotice]:
    """Current and upcoming published notices, soonest first (S13.7), optionally in an area or on a day."""
    now = now or timezone.now()
    qs = OutageNotice.objects.filter(
        Q(state=OutageNotice.State.PUBLISHED, planned_end__gte=now)
        | Q(state__in=[OutageNotice.State.IN_PROGRESS, OutageNotice.State.CAUSE_REMOVED])
    )
    if area:
        qs = qs.filter(Q(area_zh_hans__icontains=area) | Q(area_en__icontains=area) | Q(area_ug__icontains=area)
                       | Q(area_bo__icontains=area))
    if day is not None:
        start = timezone.make_aware(datetime.combine(day, time.min))
        end = timezone.make_aware(datetime.combine(day, time.max))
        qs = qs.filter(planned_start__lte=end, planned_end__gte=start)
    return qs.select_related("office").order_by("planned_start")


_UPCOMING_FOR = prepared(lambda: OutageNotice.objects.filter(
    affected__customer_id=Bind("customer", IntegerField()), state__in=ACTIVE_STATES,
    planned_end__gte=Bind("now", DateTimeField())).order_by("planned_start"))
_PLANNED_COUNT_FOR = prepared(lambda: OutageNotice.objects.filter(
    affected__customer_id=Bind("customer", IntegerField()), kind=OutageNotice.Kind.PLANNED, state__in=COUNTED_STATES,
    planned_start__gte=Bind("start", DateTimeField()), planned_start__lt=Bind("end", DateTimeField()),
).order_by().values("kind").annotate(n=Count("pk")).values_list("n", flat=True))


class CustomerNoticeRow(NamedTuple):
    """A notice as the staff customer page lists it (its area in the active language, as `OutageNotice.area`): a
    tuple, no model instances — a notice's instance carries its texts in four languages (issue 12)."""

    number: str
    kind: str
    area: str
    planned_start: datetime
    planned_end: datetime
    state: str


_UPCOMING_ROWS_FOR = prepared(lambda: OutageNotice.objects.filter(
    affected__customer_id=Bind("customer", IntegerField()), state__in=ACTIVE_STATES,
    planned_end__gte=Bind("now", DateTimeField())).order_by("planned_start").values_list(
    "number", "kind", translated_value("area"), "planned_start", "planned_end", "state"))


def notices_affecting(*, customer: Customer, now: datetime | None = None) -> dict:
    """The customer's upcoming/current notices (rows) and how many planned outages they have this year (the S6.5
    count, counted in SQL), two queries (statements compiled once: `core.prepared`)."""
    return run(notices_affecting_reads(customer=customer, now=now))


def notices_affecting_reads(*, customer: Customer, now: datetime | None = None):
    """`notices_affecting` as a generator of its two reads, sent together with a page's others (`core.together`)."""
    now = now or timezone.now()
    start, end = this_year_bounds(now)
    upcoming, counts = yield (_UPCOMING_ROWS_FOR.read(customer=customer.pk, now=now),
                              _PLANNED_COUNT_FOR.read(customer=customer.pk, start=start, end=end))
    return {"upcoming": list(map(CustomerNoticeRow._make, upcoming)), "planned_count": sum(counts)}


def notices_upcoming_for(*, customer: Customer, now: datetime | None = None) -> list[OutageNotice]:
    """The customer's upcoming and current notices alone (the kiosk account): one query."""
    return fetch(notices_upcoming_read(customer_pk=customer.pk, now=now))


def notices_upcoming_read(*, customer_pk: int, now: datetime | None = None) -> Read:
    return _UPCOMING_FOR.read(customer=customer_pk, now=now or timezone.now())


def active_notice_for(*, customer: Customer) -> OutageNotice | None:
    """A published or ongoing notice that covers this customer (to link a repair call to it)."""
    covers = Q(affected__customer=customer)
    if customer.feeder_id:
        covers |= Q(feeders=customer.feeder_id)
    if customer.transformer_area_id:
        covers |= Q(areas=customer.transformer_area_id)
    return (
        OutageNotice.objects.filter(state__in=ACTIVE_STATES)
        .filter(covers)
        .order_by("planned_start")
        .distinct()
        .first()
    )


def planned_outage_counts(*, customer_ids, year: int, exclude_notice=None) -> dict[int, int]:
    """Planned outages each customer has (published or done) in a local calendar year, in one aggregate query."""
    start, end = period_bounds(year=year)
    qs = AffectedCustomer.objects.filter(
        customer_id__in=customer_ids, notice__kind=OutageNotice.Kind.PLANNED, notice__state__in=COUNTED_STATES,
        notice__planned_start__gte=start, notice__planned_start__lt=end,
    )
    if exclude_notice is not None:
        qs = qs.exclude(notice=exclude_notice)
    return dict(qs.values("customer").annotate(n=Count("pk")).values_list("customer", "n"))


def notice_delivery_counts(*, notice: OutageNotice) -> dict[str, int]:
    """How the notice's messages fared: pending / sending / sent / failed."""
    counts = dict(
        Outbox.objects.filter(idempotency_key__startswith=f"outage:{notice.pk}:")
        .values("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return {state: counts.get(state, 0) for state in Outbox.State.values}


def notice_list_for_staff(*, office_id: int | None = None, state: str = "", kind: str = "") -> QuerySet[OutageNotice]:
    """The staff list: notices of an office (or all), newest start first, by state and kind."""
    qs = OutageNotice.objects.select_related("office", "created_by").order_by("-planned_start", "-pk")
    if office_id is not None:
        qs = qs.filter(office_id=office_id)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def notice_get_by_number(*, number: str, related: tuple[str, ...] = ()) -> OutageNotice | None:
    return OutageNotice.objects.select_related(*related).filter(number=number).first()
