"""Working-day arithmetic and the deadline rule — the one place that knows them.

The deadline rule is the civil code's (民法典 arts. 201–203): the day an item starts is not counted; a deadline that
falls on a non-working day moves to the next working day; the last day ends at 24:00. Minute, hour and second
limits run on clock time, every day, 24 h.

Working days come from the `CalendarDay` table (seeded from chinese-calendar, edited by managers). A year with no
row in the table falls back to Monday–Friday; that is logged once a day and reported (admin and managers' staff
home; next year from the `calendar_warning_month` policy on).
"""

import functools
import logging
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models import CharField, DateField, Exists
from django.utils import timezone

from supply_service.core.models import CalendarDay, Commitment, Policy
from supply_service.core.prepared import Bind, Read, fetch, prepared

logger = logging.getLogger(__name__)
_DAY_SECONDS = 24 * 3600

_LOOKAHEAD_FACTOR = 3
_LOOKAHEAD_SLACK = 40


def _known_years(first: date, last: date) -> set[int]:
    """Years in [first.year, last.year] that have at least one row (index range scans, no per-row functions)."""
    return {year for year in range(first.year, last.year + 1)
            if _ANY_DAY(first=date(year, 1, 1), last=date(year, 12, 31))}


def _days_between(first: str, last: str):
    """The calendar's rows from the bound date `first` to the bound date `last` (for `prepared` statements)."""
    return CalendarDay.objects.filter(date__gte=Bind(first, DateField()), date__lte=Bind(last, DateField()))


# One row of a year, if any: the statement is compiled once per process (core.prepared).
_ANY_DAY = prepared(lambda: _days_between("first", "last").values_list("pk")[:1])


_fallback_logged: set[tuple[date, int]] = set()


def _report_fallback(years: set[int]) -> None:
    """Log a year that falls back to Monday–Friday once a day, not at every deadline computation: a note in this
    process, and the cache for the other processes sharing it."""
    today = timezone.localdate()
    new = [year for year in sorted(years) if (today, year) not in _fallback_logged]
    if not new:
        return
    _fallback_logged.difference_update({seen for seen in _fallback_logged if seen[0] != today})
    _fallback_logged.update((today, year) for year in new)
    for year in new:
        if cache.add(f"core:calendar-fallback:{today}:{year}", True, timeout=_DAY_SECONDS):
            logger.warning("Working-day calendar has no rows for %s: using Monday–Friday", year)


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
    """Years the table has no rows for, that people must be told about: this year always, next year from the month
    of the `calendar_warning_month` policy (October by default — the State Council publishes in November or
    December). Deadlines in a missing year count Monday–Friday. One query (the policy and both years: a manager's
    home asks on every request)."""
    return fetch(calendar_missing_years_read(around=around))


def calendar_missing_years_read(*, around: date | None = None) -> Read:
    """`calendar_missing_years` as a read to send with a page's others (`core.together`)."""
    today = around or timezone.localdate()
    return _YEARS_STATE.read(code="calendar_warning_month", this_first=date(today.year, 1, 1),
                             this_last=date(today.year, 12, 31), next_first=date(today.year + 1, 1, 1),
                             next_last=date(today.year + 1, 12, 31)).then(functools.partial(_missing_years, today))


def _missing_years(today: date, found: list) -> list[int]:
    if not found:
        raise ImproperlyConfigured("Policy 'calendar_warning_month' is missing: run the migrations")
    month, this_year, next_year = found[0]
    missing = [] if this_year else [today.year]
    if today.month >= int(month) and not next_year:
        missing.append(today.year + 1)
    return missing


_YEARS_STATE = prepared(lambda: Policy.objects.filter(code=Bind("code", CharField())).annotate(
    this_year=Exists(_days_between("this_first", "this_last")),
    next_year=Exists(_days_between("next_first", "next_last")),
).values_list("value", "this_year", "next_year"))


def calendar_warn_missing(*, around: date | None = None) -> list[int]:
    """`calendar_missing_years`, logged as a warning once a day (the daily schedule `calendar-check` calls it)."""
    today = around or timezone.localdate()
    missing = calendar_missing_years(around=today)
    if missing and cache.add(f"core:calendar-missing:{today}", True, timeout=_DAY_SECONDS):
        logger.warning("Working-day calendar: no days for %s — import the State Council's holiday notice "
                       "(admin, calendar days, or manage.py import_holiday_notice)", missing)
    return missing


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


def _split(limit) -> tuple[int, Decimal]:
    """A day limit as whole days and the fraction of a day (1.5 → 1, 0.5)."""
    limit = Decimal(limit)
    whole = int(limit)
    return whole, limit - whole


def _day_deadline(*, start_day: date, limit, unit: str, days: dict[date, bool] | None = None) -> datetime:
    """The deadline of a day limit counted from `start_day`, by the civil code's rule (see the module docstring).

    - `n` working days: 24:00 of the n-th working day after the start day;
    - `n` calendar days: 24:00 of the n-th day after the start day, moved to the next working day when that day is
      not one;
    - 0 calendar days ("on that date", e.g. a meter read on its scheduled date): 24:00 of that very date, never moved;
    - a fraction of a day (1.5) adds that share of the next working day to the whole days' deadline (1.5 working
      days from Monday: Wednesday 12:00).
    """
    whole, fraction = _split(limit)
    def lookup(d):
        return (days[d] if days is not None and d in days else is_working_day(d))
    if unit == Commitment.Unit.WORKING_DAYS:
        last = _add_working_days_with(start_day, whole, lookup) if whole else (
            start_day if lookup(start_day) else _next_working_with(start_day, lookup))
    elif unit == Commitment.Unit.DAYS:
        last = start_day + timedelta(days=whole)
        if whole and not lookup(last):
            last = _next_working_with(last, lookup)
    else:
        raise ValueError(f"{unit} is not a day unit")
    deadline = end_of_day(last)
    if fraction:
        following = _next_working_with(last, lookup)
        deadline = timezone.make_aware(datetime.combine(following, time.min)) + timedelta(days=float(fraction))
    return deadline


def _add_working_days_with(start: date, n: int, lookup) -> date:
    day, count = start, 0
    while count < n:
        day += timedelta(days=1)
        if lookup(day):
            count += 1
    return day


def _next_working_with(day: date, lookup) -> date:
    day += timedelta(days=1)
    while not lookup(day):
        day += timedelta(days=1)
    return day


def due_at(*, start: datetime, limit: Decimal, unit: str) -> datetime:
    """When a commitment of `limit` `unit` started at `start` falls due (fractions count: 1.5 h, 1.5 working days)."""
    if unit in Commitment.CLOCK_UNITS:
        return start + _clock_delta(limit, unit)
    start_day = timezone.localtime(start).date()
    whole, _fraction = _split(limit)
    days = _working_map(start_day, start_day + timedelta(days=whole * _LOOKAHEAD_FACTOR + _LOOKAHEAD_SLACK))
    return _day_deadline(start_day=start_day, limit=limit, unit=unit, days=days)


def _clock_delta(limit, unit: str) -> timedelta:
    seconds = {Commitment.Unit.SECONDS: 1, Commitment.Unit.MINUTES: 60, Commitment.Unit.HOURS: 3600}[unit]
    return timedelta(seconds=float(Decimal(limit) * seconds))


def deadline_before(*, event: datetime, limit: Decimal, unit: str) -> datetime:
    """The latest moment something must happen to be at least `limit` `unit` before `event` (e.g. a planned outage
    announced 7 days ahead, important customers told 24 hours ahead of a temporary one). Clock units and calendar
    days count back in time; working days count back over working days, keeping the time of day."""
    if unit in Commitment.CLOCK_UNITS:
        return event - _clock_delta(limit, unit)
    if unit == Commitment.Unit.DAYS:
        return event - timedelta(days=float(limit))
    if unit == Commitment.Unit.WORKING_DAYS:
        local = timezone.localtime(event)
        whole, fraction = _split(limit)
        day = local.date()
        days = _working_map(day - timedelta(days=whole * _LOOKAHEAD_FACTOR + _LOOKAHEAD_SLACK), day)
        count = 0
        while count < whole:
            day -= timedelta(days=1)
            if days.get(day, day.weekday() < 5):
                count += 1
        moment = timezone.make_aware(datetime.combine(day, local.timetz().replace(tzinfo=None)))
        return moment - timedelta(days=float(fraction))
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
    if unit not in Commitment.DAY_UNITS:
        raise ValueError(f"{unit} is not a time unit")
    days_of = [timezone.localtime(start).date() for start in starts]
    span = int(limit) * _LOOKAHEAD_FACTOR + _LOOKAHEAD_SLACK + 1
    days = _working_map(min(days_of), max(days_of) + timedelta(days=span))
    return [_day_deadline(start_day=day, limit=limit, unit=unit, days=days) for day in days_of]


# --- The office's local periods ---------------------------------------------------------------------------------
# "This year", "this month" and "today" are the office's local periods (Asia/Shanghai, the project's TIME_ZONE), never
# UTC ones: 06:00 on 1 January in Beijing is 22:00 on 31 December UTC. Every period filter takes its bounds from here.


def local_year(at: datetime | None = None) -> int:
    return timezone.localtime(at or timezone.now()).year


def period_bounds(*, year: int, month: int | None = None) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar year, or of a month of it, as aware datetimes."""
    if month is None:
        first, after = date(year, 1, 1), date(year + 1, 1, 1)
    else:
        first = date(year, month, 1)
        after = date(year + (month == 12), month % 12 + 1, 1)
    return (timezone.make_aware(datetime.combine(first, time.min)),
            timezone.make_aware(datetime.combine(after, time.min)))


def this_year_bounds(at: datetime | None = None) -> tuple[datetime, datetime]:
    return period_bounds(year=local_year(at))


def this_month_bounds(at: datetime | None = None) -> tuple[datetime, datetime]:
    local = timezone.localtime(at or timezone.now())
    return period_bounds(year=local.year, month=local.month)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[00:00, 24:00) of a local day."""
    return timezone.make_aware(datetime.combine(day, time.min)), end_of_day(day)


def deadline_text(value: datetime | None) -> str:
    """A due time as people read deadlines — the one format of every page, print and the admin: a day limit ends
    at 24:00 of its last day (stored as the next midnight), so 2026-12-05 00:00 reads "2026-12-04 24:00"; other
    times as they are, in the office's time zone."""
    if not value:
        return ""
    return local_deadline_text(timezone.localtime(value))


def local_deadline_text(local: datetime) -> str:
    """`deadline_text` of a datetime already in the office's time zone."""
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return f"{local.date() - timedelta(days=1):%Y-%m-%d} 24:00"
    return f"{local:%Y-%m-%d %H:%M}"
