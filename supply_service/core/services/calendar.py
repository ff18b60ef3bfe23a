"""Working-day arithmetic and the deadline rule — the one place that knows them.

The deadline rule is the civil code's (民法典 arts. 201–203): the day an item starts is not counted; a deadline that
falls on a non-working day moves to the next working day; the last day ends at 24:00. Minute, hour and second
limits run on clock time, every day, 24 h.

Working days come from the `CalendarDay` table (seeded from chinese-calendar, edited by managers). A year with no
row in the table falls back to Monday–Friday, and every such use is logged and reported (admin and staff home).
"""

import logging
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from supply_service.core.models import CalendarDay, Commitment

logger = logging.getLogger(__name__)

_LOOKAHEAD_FACTOR = 3
_LOOKAHEAD_SLACK = 40


def _known_years(first: date, last: date) -> set[int]:
    """Years in [first.year, last.year] that have at least one row (index range scans, no per-row functions)."""
    return {
        year
        for year in range(first.year, last.year + 1)
        if CalendarDay.objects.filter(date__range=(date(year, 1, 1), date(year, 12, 31))).exists()
    }


def _report_fallback(years: set[int]) -> None:
    if not years:
        return
    logger.warning("Working-day calendar has no rows for %s: using Monday–Friday", sorted(years))


def _working_map(first: date, last: date) -> dict[date, bool]:
    """Whether each day in [first, last] is a working day, in one query (plus one for the years present)."""
    rows = dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "is_working_day"))
    known = _known_years(first, last)
    missing = set()
    result = {}
    day = first
    while day <= last:
        if day in rows:
            result[day] = rows[day]
        else:
            if day.year not in known:
                missing.add(day.year)
            result[day] = day.weekday() < 5
        day += timedelta(days=1)
    _report_fallback(missing)
    return result


def calendar_missing_years(*, around: date | None = None) -> list[int]:
    """This year and next, where the table has no rows for them: deadlines there use Monday–Friday."""
    today = around or timezone.localdate()
    wanted = {today.year, today.year + 1}
    return sorted(wanted - _known_years(date(today.year, 1, 1), date(today.year + 1, 12, 31)))


def is_working_day(day: date) -> bool:
    return _working_map(day, day)[day]


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (the start day itself is not counted); n=0 gives `start`
    moved forward to a working day."""
    if n < 0:
        raise ValueError("n must not be negative")
    span = n * _LOOKAHEAD_FACTOR + _LOOKAHEAD_SLACK
    days = _working_map(start, start + timedelta(days=span))
    if n == 0:
        return next_working_day(start, include=True, _days=days)
    count = 0
    day = start
    while True:
        day += timedelta(days=1)
        if day not in days:
            days.update(_working_map(day, day + timedelta(days=span)))
        if days[day]:
            count += 1
            if count == n:
                return day


def next_working_day(day: date, *, include: bool = False, _days: dict[date, bool] | None = None) -> date:
    """The first working day after `day` (or `day` itself with include=True)."""
    days = _days if _days is not None else _working_map(day, day + timedelta(days=_LOOKAHEAD_SLACK))
    candidate = day if include else day + timedelta(days=1)
    while True:
        if candidate not in days:
            days.update(_working_map(candidate, candidate + timedelta(days=_LOOKAHEAD_SLACK)))
        if days[candidate]:
            return candidate
        candidate += timedelta(days=1)


def working_days_between(a: date, b: date) -> int:
    """Working days after `a` up to and including `b` (0 when b <= a)."""
    if b <= a:
        return 0
    days = _working_map(a + timedelta(days=1), b)
    return sum(1 for working in days.values() if working)


def end_of_day(day: date) -> datetime:
    """24:00 of `day` in the office's time zone, i.e. the start of the next day."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def due_at(*, start: datetime, limit: Decimal, unit: str) -> datetime:
    """When a commitment of `limit` `unit` started at `start` falls due."""
    if unit == Commitment.Unit.SECONDS:
        return start + timedelta(seconds=float(limit))
    if unit == Commitment.Unit.MINUTES:
        return start + timedelta(minutes=float(limit))
    if unit == Commitment.Unit.HOURS:
        return start + timedelta(hours=float(limit))
    start_day = timezone.localtime(start).date()
    whole_days = int(limit)
    if unit == Commitment.Unit.WORKING_DAYS:
        return end_of_day(add_working_days(start_day, whole_days))
    if unit == Commitment.Unit.DAYS:
        return end_of_day(next_working_day(start_day + timedelta(days=whole_days), include=True))
    raise ValueError(f"{unit} is not a time unit")


def extend_for_pause(*, due: datetime, paused_from: datetime, resumed_at: datetime, unit: str) -> datetime:
    """Move a deadline on by the time a clock was paused.

    Clock-time limits move by the paused duration. Day limits move by the days the pause covered, counted like
    the limit itself (the day the pause began is not counted): working days for working-day limits, calendar
    days (then onto a working day) for calendar-day limits.
    """
    if unit in Commitment.CLOCK_UNITS:
        return due + (resumed_at - paused_from)
    first = timezone.localtime(paused_from).date()
    last = timezone.localtime(resumed_at).date()
    due_day = timezone.localtime(due).date() - timedelta(days=1)
    if unit == Commitment.Unit.WORKING_DAYS:
        covered = working_days_between(first, last)
        return end_of_day(add_working_days(due_day, covered)) if covered else due
    covered = (last - first).days
    return end_of_day(next_working_day(due_day + timedelta(days=covered), include=True)) if covered else due


def due_at_many(*, starts: list[datetime], limit: Decimal, unit: str) -> list[datetime]:
    """`due_at` for many start times with one calendar look-up (bulk imports)."""
    if not starts:
        return []
    if unit in Commitment.CLOCK_UNITS:
        return [due_at(start=start, limit=limit, unit=unit) for start in starts]
    days_of = [timezone.localtime(start).date() for start in starts]
    span = int(limit) * _LOOKAHEAD_FACTOR + _LOOKAHEAD_SLACK + 1
    days = _working_map(min(days_of), max(days_of) + timedelta(days=span))
    result = []
    for day in days_of:
        if unit == Commitment.Unit.WORKING_DAYS:
            count, current = 0, day
            if int(limit) == 0:
                current = next_working_day(day, include=True, _days=days)
            while count < int(limit):
                current += timedelta(days=1)
                if current not in days:
                    days.update(_working_map(current, current + timedelta(days=span)))
                if days[current]:
                    count += 1
            result.append(end_of_day(current))
        elif unit == Commitment.Unit.DAYS:
            result.append(end_of_day(next_working_day(day + timedelta(days=int(limit)), include=True, _days=days)))
        else:
            raise ValueError(f"{unit} is not a time unit")
    return result
