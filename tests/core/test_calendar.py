import logging
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from supply_service.core.models import CalendarDay
from supply_service.core.services.calendar import (
    add_working_days,
    calendar_missing_years,
    due_at,
    extend_for_pause,
    is_working_day,
    next_working_day,
    working_days_between,
)

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def local(*args):
    return datetime(*args, tzinfo=SH)


def test_seeded_national_day_2026_and_its_make_up_days():
    assert not is_working_day(date(2026, 10, 1))
    assert not is_working_day(date(2026, 10, 7))
    assert is_working_day(date(2026, 9, 20))  # Sunday, make-up working day
    assert is_working_day(date(2026, 10, 10))  # Saturday, make-up working day
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "National Day"
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).name == "Make-up working day"


def test_add_working_days_skips_national_day_2026():
    # Wednesday 30 Sept + 1 working day: 1–7 Oct are holidays, Thursday 8 Oct is the next working day.
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    # 8, 9 and the make-up Saturday 10 Oct count.
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    # The make-up Sunday 20 Sept counts as a working day.
    assert add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)


def test_add_working_days_across_spring_festival_2026():
    holidays = CalendarDay.objects.filter(date__range=(date(2026, 2, 15), date(2026, 2, 23)))
    assert set(holidays.values_list("is_working_day", flat=True)) == {False}
    assert is_working_day(date(2026, 2, 14))  # Saturday make-up day
    assert is_working_day(date(2026, 2, 28))  # Saturday make-up day
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)
    assert add_working_days(date(2026, 2, 14), 5) == date(2026, 2, 28)


def test_working_days_between_counts_after_the_start_day():
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert working_days_between(date(2026, 10, 8), date(2026, 10, 8)) == 0
    assert working_days_between(date(2026, 10, 9), date(2026, 10, 5)) == 0
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 27)) == 5


def test_zero_working_days_moves_a_holiday_to_the_next_working_day():
    assert add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 8)
    assert next_working_day(date(2026, 10, 9)) == date(2026, 10, 10)


def test_negative_working_days_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)


def test_working_day_deadline_ends_at_midnight_after_the_last_day():
    # Accepted Friday 27 Nov 2026 at 16:00; 5 working days: Mon 30 Nov … Fri 4 Dec, ends at 24:00.
    due = due_at(start=local(2026, 11, 27, 16, 0), limit=Decimal(5), unit="working_days")
    assert due == local(2026, 12, 5, 0, 0)


def test_calendar_day_deadline_moves_off_a_holiday():
    # 5 calendar days after 28 Sept is 3 Oct (National Day): the deadline moves to 8 Oct, 24:00.
    due = due_at(start=local(2026, 9, 28, 10, 0), limit=Decimal(5), unit="days")
    assert due == local(2026, 10, 9, 0, 0)


def test_minute_and_second_limits_run_on_clock_time_over_holidays():
    start = local(2026, 10, 1, 23, 30)
    assert due_at(start=start, limit=Decimal(45), unit="minutes") == local(2026, 10, 2, 0, 15)
    assert due_at(start=start, limit=Decimal(12), unit="seconds") == local(2026, 10, 1, 23, 30, 12)
    assert due_at(start=start, limit=Decimal(1), unit="hours") == local(2026, 10, 2, 0, 30)


def test_percent_is_not_a_time_unit():
    with pytest.raises(ValueError):
        due_at(start=local(2026, 1, 5, 9), limit=Decimal(90), unit="percent")


def test_missing_year_falls_back_to_monday_to_friday_and_is_reported(caplog):
    CalendarDay.objects.filter(date__year=2027).delete()
    with caplog.at_level(logging.WARNING, logger="supply_service.core.services.calendar"):
        # Thu 31 Dec 2026 + 2 working days: Fri 1 Jan 2027 counts (no holiday table), then Mon 4 Jan.
        assert add_working_days(date(2026, 12, 31), 2) == date(2027, 1, 4)
    assert "2027" in caplog.text
    assert calendar_missing_years(around=date(2026, 11, 27)) == [2027]
    assert calendar_missing_years(around=date(2025, 6, 1)) == []


def test_manager_edit_of_the_calendar_is_used():
    CalendarDay.objects.filter(date=date(2026, 11, 30)).update(is_working_day=False, name="Local holiday")
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 12, 1)


def test_pause_extends_working_day_deadline_by_the_working_days_it_covered():
    due = local(2026, 12, 5, 0, 0)  # end of Fri 4 Dec
    # Paused Mon 30 Nov 10:00, resumed Wed 2 Dec 09:00: Tue and Wed were paused -> two more working days.
    moved = extend_for_pause(
        due=due, paused_from=local(2026, 11, 30, 10), resumed_at=local(2026, 12, 2, 9), unit="working_days"
    )
    assert moved == local(2026, 12, 9, 0, 0)
    same_day = extend_for_pause(
        due=due, paused_from=local(2026, 11, 30, 10), resumed_at=local(2026, 11, 30, 15), unit="working_days"
    )
    assert same_day == due


def test_pause_extends_clock_time_by_its_duration():
    due = local(2026, 11, 27, 10, 45)
    moved = extend_for_pause(
        due=due, paused_from=local(2026, 11, 27, 10, 0), resumed_at=local(2026, 11, 27, 10, 20), unit="minutes"
    )
    assert moved == local(2026, 11, 27, 11, 5)


def test_query_count_of_deadline_arithmetic_is_constant(django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        add_working_days(date(2026, 1, 5), 5)
    with django_assert_max_num_queries(3):
        add_working_days(date(2026, 1, 5), 60)


@pytest.mark.parametrize("unit, limit", [("working_days", 5), ("working_days", 1), ("working_days", 0), ("days", 7),
                                         ("days", 0), ("minutes", 45)])
def test_bulk_deadlines_equal_the_single_ones(unit, limit, django_assert_max_num_queries):
    from supply_service.core.services.calendar import due_at_many

    starts = [local(2026, 9, 25, 10) + (local(2026, 1, 2) - local(2026, 1, 1)) * n for n in range(40)]
    with django_assert_max_num_queries(4):
        many = due_at_many(starts=starts, limit=Decimal(limit), unit=unit)
    assert many == [due_at(start=s, limit=Decimal(limit), unit=unit) for s in starts]
