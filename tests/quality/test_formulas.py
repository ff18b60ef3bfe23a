"""The integrated voltage rate's weighting and fallbacks, and the month split (no database)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from supply_service.quality.periods import months_in, split_by_month
from supply_service.quality.selectors_voltage import Rate, integrated_rate

SH = ZoneInfo("Asia/Shanghai")


def test_integrated_rate_weights_a_half_and_bcd_equally_S6_1():
    rates = {"A": Rate(1000, 10), "B": Rate(1000, 0), "C": Rate(1000, 100), "D": Rate(1000, 50)}
    assert integrated_rate(rates) == Decimal("97.000")


def test_integrated_rate_without_a_class():
    assert integrated_rate({"B": Rate(1000, 0), "D": Rate(1000, 100)}) == Decimal("95.000")
    assert integrated_rate({"A": Rate(1000, 10)}) == Decimal("99.000")
    assert integrated_rate({}) is None
    assert integrated_rate({"A": Rate(0, 0)}) is None


def test_a_point_month_without_minutes_has_no_rate():
    assert Rate(0, 0).pct is None


def test_split_at_local_month_end_and_midnight():
    pieces = list(split_by_month(datetime(2026, 12, 31, 23, tzinfo=SH), datetime(2027, 1, 1, 1, 30, tzinfo=SH)))
    assert pieces == [(date(2026, 12, 1), 1.0), (date(2027, 1, 1), 1.5)]


def test_months_of_a_period_are_local_months():
    assert months_in(datetime(2026, 1, 1, tzinfo=SH), datetime(2026, 3, 1, tzinfo=SH)) == [date(2026, 1, 1),
                                                                                           date(2026, 2, 1)]
