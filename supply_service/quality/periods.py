"""Local (Asia/Shanghai) calendar months, [start, end), for the quality figures."""

from collections.abc import Iterator
from datetime import date, datetime, time

from django.utils import timezone


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def month_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(date(day.year, day.month, 1), time.min))


def local_month(moment: datetime) -> date:
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


def months_in(start: datetime, end: datetime) -> list[date]:
    """The first days of the local months that [start, end) touches."""
    months, current = [], local_month(start)
    while month_start(current) < end:
        months.append(current)
        current = next_month(current)
    return months


def split_by_month(begin: datetime, finish: datetime) -> Iterator[tuple[date, float]]:
    """(month, hours) of the interval [begin, finish) in each local month it touches — an interval that crosses
    midnight or a month end is cut at the local month boundary."""
    current = local_month(begin)
    while begin < finish:
        boundary = month_start(next_month(current))
        piece_end = min(finish, boundary)
        yield current, (piece_end - begin).total_seconds() / 3600
        begin, current = piece_end, next_month(current)


def hours_in(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600
