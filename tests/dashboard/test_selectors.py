from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from supply_service.core.models import CalendarDay, SlaClock
from supply_service.dashboard.periods import Month, month_parse, months_ending
from supply_service.dashboard.selectors import (
    fulfilment_by_commitment,
    fulfilment_by_office,
    fulfilment_overall,
    fulfilment_trend,
    open_work_now,
    outage_notice_lateness,
    registered_measures,
)
from supply_service.dashboard.selectors_time import (
    connection_times,
    percentile_from_histogram,
    repair_arrival_distribution,
)
from tests.dashboard.conftest import local


def _row(rows, code):
    return next(row for row in rows if row.commitment.code == code)


def test_month_bounds_are_beijing_months_S13_6():
    november = Month(2026, 11)
    assert november.start == local(2026, 11, 1)
    assert november.end == local(2026, 12, 1)
    assert Month(2026, 1).shifted(-1) == Month(2025, 12)
    assert [m.key for m in months_ending(Month(2026, 2), 3)] == ["2025-12", "2026-01", "2026-02"]
    assert month_parse("2026-13") is None and month_parse("x") is None and month_parse("2026-02") == Month(2026, 2)


@pytest.mark.req("S5.2", "S13.6")
def test_fulfilment_met_breached_waived_paused_across_month_boundary_S5_2(clocks, manager, small_sample):
    # October (Beijing): met at 23:30 on 31 October — 15:30 UTC, still October in both
    clocks.met(local(2026, 10, 31, 23, 0), local(2026, 10, 31, 23, 30))
    # November in Beijing, still 31 October in UTC: counts for November
    clocks.met(local(2026, 10, 31, 23, 50), local(2026, 11, 1, 0, 20))
    clocks.late(local(2026, 11, 3, 9, 0), local(2026, 11, 3, 10, 0))           # 60 > 45 minutes
    clocks.swept(local(2026, 11, 30, 23, 30), now=local(2026, 12, 1, 0, 30))   # breached in December
    clocks.waived(local(2026, 11, 5, 9, 0), local(2026, 11, 5, 9, 10), by=manager)  # not counted
    clocks.paused(local(2026, 11, 6, 9, 0), local(2026, 11, 6, 9, 5))         # not settled: not counted

    november = _row(fulfilment_by_commitment(month=Month(2026, 11)), "repair_arrival").rate
    assert (november.met, november.missed, november.total) == (1, 1, 2)
    assert november.value == Decimal("50.0") and november.passed is False  # target 100 (Commitment table)
    october = _row(fulfilment_by_commitment(month=Month(2026, 10)), "repair_arrival").rate
    assert (october.met, october.total, october.value) == (1, 1, Decimal("100.0"))
    december = _row(fulfilment_by_commitment(month=Month(2026, 12)), "repair_arrival").rate
    assert (december.met, december.total) == (0, 1)
    assert SlaClock.objects.filter(state=SlaClock.State.WAIVED).count() == 1


def test_year_boundary_in_beijing_time_S13_6(clocks, small_sample):
    clocks.met(local(2025, 12, 31, 23, 0), local(2025, 12, 31, 23, 40))
    clocks.met(local(2025, 12, 31, 23, 50), local(2026, 1, 1, 0, 5))
    trend = fulfilment_trend(last=Month(2026, 1), months=months_ending(Month(2026, 1), 2))
    assert [(p.month.key, p.rate.met) for p in trend] == [("2025-12", 1), ("2026-01", 1)]


@pytest.mark.req("S13.4")
def test_below_minimum_sample_not_judged_nor_ranked_S13_4(clocks, other_office, reference_data):
    clocks.late(local(2026, 11, 3, 9, 0), local(2026, 11, 3, 10, 0))
    rate = _row(fulfilment_by_commitment(month=Month(2026, 11)), "repair_arrival").rate
    assert rate.total == 1 and rate.minimum == 20  # the policy's default
    assert rate.passed is None and "20" in rate.note
    offices = fulfilment_by_office(month=Month(2026, 11))
    assert all(row.rank is None for row in offices)


def test_offices_ranked_by_rate_with_enough_sample(clocks, other_office, small_sample):
    for _ in range(2):
        clocks.met(local(2026, 11, 3, 9, 0), local(2026, 11, 3, 9, 10), office=other_office)
    clocks.met(local(2026, 11, 3, 9, 0), local(2026, 11, 3, 9, 10))
    clocks.late(local(2026, 11, 3, 9, 0), local(2026, 11, 3, 10, 0))
    rows = fulfilment_by_office(month=Month(2026, 11))
    assert rows[0].office == other_office and rows[0].rank == 1 and rows[1].rank == 2
    overall = fulfilment_overall(fulfilment_by_commitment(month=Month(2026, 11)))
    assert (overall.met, overall.total) == (3, 4)


def test_connection_time_average_and_90th_percentile_in_working_days(clocks, small_sample):
    # 2026-10-01..07 is the National Day holiday: working days are counted from the calendar table
    assert not CalendarDay.objects.get(date="2026-10-05").is_working_day
    # Fri 9 → Mon 12 October: 2 days, Saturday 10 October 2026 is a make-up working day (调休)
    clocks.met(local(2026, 10, 9, 10), local(2026, 10, 12, 16), code="resident_connection")
    clocks.met(local(2026, 10, 12, 10), local(2026, 10, 14, 16), code="resident_connection")  # 2 days
    clocks.met(local(2026, 10, 12, 10), local(2026, 10, 19, 16), code="resident_connection")  # 5 days
    row = next(r for r in connection_times(month=Month(2026, 10)) if r.commitment.code == "resident_connection")
    assert row.count == 3 and row.histogram == [(2, 2), (5, 1)]
    assert row.average == Decimal("3.0") and row.percentile == 5


def test_percentile_nearest_rank():
    assert percentile_from_histogram([(1, 9), (10, 1)]) == 1
    assert percentile_from_histogram([(1, 8), (10, 2)]) == 10
    assert percentile_from_histogram([]) is None


def test_repair_arrival_distribution_by_area_class_S10_2_5(clocks, small_sample):
    start = local(2026, 11, 3, 9, 0)
    for minutes in (10, 20, 40, 50, 90):
        clocks.met(start, start + timedelta(minutes=minutes))
    urban = next(r for r in repair_arrival_distribution(month=Month(2026, 11)) if r.commitment.code == "repair_arrival")
    assert [n for _label, n in urban.buckets] == [1, 1, 1, 1, 1]
    assert urban.count == 5 and "15" in urban.buckets[0][0]


def test_outage_notices_with_short_notice_S10_2_10(clocks, small_sample):
    from supply_service.core.services.sla import sla_start, sla_stop

    for published, starts in ((local(2026, 11, 1, 9), local(2026, 11, 2, 9)),     # 24 hours ahead: kept
                              (local(2026, 11, 5, 9), local(2026, 11, 5, 20))):   # 11 hours ahead: short notice
        item = clocks.item()
        sla_start(subject=item, commitment="outage_notice_temporary", at=published - timedelta(hours=1),
                  before=starts)
        sla_stop(subject=item, commitment="outage_notice_temporary", at=published)
    rate = outage_notice_lateness(month=Month(2026, 11))
    assert rate.total == 2 and rate.missed == 1


def test_open_work_now_counts_overdue_and_chases(reference_data):
    summary = open_work_now()
    assert summary.totals == {"open": 0, "overdue": 0, "amber": 0, "chases": 0}
    assert {row["kind"] for row in summary.rows} >= {"repair"}


def test_registered_measures_shown_generically_and_failures_contained(reference_data):
    from supply_service.core.measures import _MEASURES, Measure, MeasureResult, register_measure

    def broken(**kwargs):
        raise RuntimeError("boom")

    register_measure(Measure("t_ok", ("S1",), "ok", lambda **kw: MeasureResult(value=3, unit="count"), order=1))
    register_measure(Measure("t_broken", ("S1",), "broken", broken, order=2))
    try:
        rows = {row.key: row for row in registered_measures(month=Month(2026, 11))}
        assert rows["t_ok"].result.value == 3 and rows["t_broken"].error
    finally:
        _MEASURES.pop("t_ok")
        _MEASURES.pop("t_broken")


def test_selectors_constant_queries(clocks, small_sample, django_assert_max_num_queries):
    for day in range(1, 6):
        clocks.met(local(2026, 11, day, 9), local(2026, 11, day, 9, 10))
    with django_assert_max_num_queries(7):  # commitments, target and policy twice, two GROUP BYs
        fulfilment_by_commitment(month=Month(2026, 11))
        fulfilment_trend(last=Month(2026, 11), months=months_ending(Month(2026, 11)))


@pytest.mark.req("S13.5")
def test_callback_rate_per_month_against_its_target_S13_5(agent, small_sample):
    from supply_service.core.models import Callback
    from supply_service.dashboard.selectors import callback_trend
    from supply_service.tickets.models import RepairTicket
    from tests.factories import tickets as make

    outcomes = [Callback.Outcome.SATISFIED, Callback.Outcome.UNSATISFIED, Callback.Outcome.UNREACHABLE, None]
    for index, outcome in enumerate(outcomes):
        ticket = make.repair(agent)
        RepairTicket.objects.filter(pk=ticket.pk).update(resolved_at=local(2026, 11, 10 + index, 9))
        if outcome:
            Callback.objects.create(content_type=ContentType.objects.get_for_model(RepairTicket),
                                    object_id=ticket.pk, item_number=ticket.number, by=agent, outcome=outcome)
    settled_at_once = make.repair(agent)  # answered in the first contact: needs no callback
    RepairTicket.objects.filter(pk=settled_at_once.pk).update(resolved_at=local(2026, 11, 20, 9), callback_due=False)
    # resolved at 00:30 on 1 December in Beijing (16:30 UTC on 30 November): December
    late = make.repair(agent)
    RepairTicket.objects.filter(pk=late.pk).update(resolved_at=local(2026, 12, 1, 0, 30))
    november, december = callback_trend(months=months_ending(Month(2026, 12), 2))
    assert (november.rate.met, november.rate.total, november.rate.value) == (2, 4, Decimal("50.0"))
    assert november.rate.target == 90 and november.rate.passed is False
    assert (december.rate.met, december.rate.total) == (0, 1)
