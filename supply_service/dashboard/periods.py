"""Months as the dashboard and the publication count them: local (Asia/Shanghai) calendar months, [start, end)."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from supply_service.core.services.calendar import period_bounds

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
TREND_MONTHS = 12


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return period_bounds(year=self.year, month=self.month)

    @property
    def start(self) -> datetime:
        return self.bounds[0]

    @property
    def end(self) -> datetime:
        return self.bounds[1]

    def shifted(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return self.key


def month_of(at: datetime | date | None = None) -> Month:
    """The local month of a time (now by default) or of a date."""
    if isinstance(at, date) and not isinstance(at, datetime):
        return Month(at.year, at.month)
    local = timezone.localtime(at or timezone.now())
    return Month(local.year, local.month)


def month_parse(text: str | None) -> Month | None:
    """"2026-11" → Month; None for anything else (bad input is the caller's message, never a 500)."""
    match = MONTH_RE.match((text or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return Month(year, month)


def months_ending(last: Month, count: int = TREND_MONTHS) -> list[Month]:
    """`count` months, oldest first, ending with `last`."""
    return [last.shifted(offset) for offset in range(1 - count, 1)]
