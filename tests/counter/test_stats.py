"""Counter statistics in SQL (waiting and handling times per service, window and hour; share within the S10.2.1
limits) and the measures registered for the audit checklist and the dashboard."""

from datetime import timedelta
from decimal import Decimal

import pytest

from supply_service.core.measures import measure_for_key
from supply_service.counter import services
from supply_service.counter.selectors import counter_times, today_bounds
from supply_service.counter.stats import counter_ratings
from tests.counter.conftest import NOW

pytestmark = pytest.mark.django_db


def serve(fee, win, clerk, frozen, *, wait, handle):
    services.ticket_take(service=fee)
    frozen.shift(timedelta(minutes=wait))
    ticket = services.ticket_call_next(window=win, by=clerk)
    ticket = services.ticket_serve(ticket=ticket, by=clerk)
    frozen.shift(timedelta(minutes=handle))
    return services.ticket_finish(ticket=ticket, by=clerk)


def test_counter_times_per_service_window_and_hour_S10_2_1(office, fee, win1, clerk, frozen,
                                                          django_assert_max_num_queries):
    services.window_open(window=win1, by=clerk)
    serve(fee, win1, clerk, frozen, wait=2, handle=4)   # within 5 min
    serve(fee, win1, clerk, frozen, wait=4, handle=6)   # over
    start, end = today_bounds(NOW)
    with django_assert_max_num_queries(5):
        times = counter_times(office=office, start=start, end=end)
    assert times.total.numbers == 2 and times.total.served == 2
    assert times.total.wait_minutes == Decimal("3.0") and times.total.handle_minutes == Decimal("5.0")
    assert times.total.fulfilment.met == 1 and times.total.fulfilment.breached == 1
    assert [r.key for r in times.by_service] == ["fee"] and [r.key for r in times.by_window] == [1]
    assert [r.key for r in times.by_hour] == [10]


def test_measures_are_registered_and_judged(office, fee, win1, clerk, frozen):
    services.window_open(window=win1, by=clerk)
    serve(fee, win1, clerk, frozen, wait=1, handle=3)
    start, end = today_bounds(NOW)
    within = measure_for_key("counter_within_limits")(office=office, start=start, end=end)
    assert within.value == Decimal("100.0") and within.passed is True and within.denominator == 1
    methods = measure_for_key("counter_payment_methods")(office=office, start=start, end=end)
    assert methods.value == 3 and methods.target == 3 and methods.passed is True
    empty = measure_for_key("counter_within_limits")(office=office, start=end, end=end + timedelta(days=1))
    assert empty.value is None and empty.passed is None


def test_ratings_per_clerk(client, office, fee, win1, clerk, frozen):
    services.window_open(window=win1, by=clerk)
    ticket = serve(fee, win1, clerk, frozen, wait=1, handle=1)
    from supply_service.counter.services_rating import rating_record

    rating_record(window=win1, ticket_id=ticket.pk, score="very_satisfied")
    start, end = today_bounds(NOW)
    assert counter_ratings(office=office, start=start, end=end) == [
        {"clerk__username": "clerk", "total": 1, "very_satisfied": 1, "satisfied": 0, "not_satisfied": 0}]


def test_the_dashboard_shows_counter_times_per_service_S10_2_1(client, office, fee, win1, clerk, manager, frozen):
    from django.urls import reverse

    from supply_service.dashboard.periods import month_of
    from supply_service.dashboard.report import report_build, report_sections

    services.window_open(window=win1, by=clerk)
    serve(fee, win1, clerk, frozen, wait=2, handle=4)   # within 5 min
    serve(fee, win1, clerk, frozen, wait=4, handle=6)   # over
    month = month_of(NOW)
    section = next(s for s in report_sections(report_build(month=month, office=office)) if s.key == "counter")
    assert [c.csv for c in section.rows[0][1:]] == ["2", "2", "3.0", "5.0", "1", "2", "50.0"]
    assert [c.csv for c in section.rows[-1][1:]] == ["2", "2", "3.0", "5.0", "1", "2", "50.0"]  # all services
    client.force_login(manager)
    url = reverse("dashboard:table_csv", kwargs={"section": "counter"})
    body = client.get(url, {"month": month.key, "office": office.pk}).content.decode("utf-8-sig")
    assert "50.0" in body and "3.0" in body
    page = client.get(reverse("dashboard:index"), {"month": month.key, "office": office.pk}).content.decode()
    assert 'id="section-counter"' in page
