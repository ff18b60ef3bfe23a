"""Reads of the quality app other apps and the pages share: targets, a period's figures, year over year (S5.3).

Voltage: `selectors_voltage`; reliability: `selectors_reliability`.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from supply_service.core.access import OtherOfficeDenied, acts_for_every_office
from supply_service.quality.models import QualityTarget
from supply_service.quality.periods import local_month, month_start, next_month
from supply_service.quality.selectors_reliability import Reliability, reliability_summary
from supply_service.quality.selectors_voltage import voltage_summary


def quality_office_for(*, user, office_id: int | None) -> int | None:
    """The office whose figures `user` may read when asking for `office_id` (None: every office): any office for
    who acts for every office (`core.act_any_office`, superusers), else the user's own office whatever was asked.
    Staff without an office and without that permission read nothing (OtherOfficeDenied)."""
    if acts_for_every_office(user):
        return office_id
    own = getattr(user, "office_id", None)
    if own is None:
        raise OtherOfficeDenied(_("Only staff of an office, or who see every office, may read these figures."))
    return own


def quality_target_for(*, office_id: int | None, year: int) -> QualityTarget | None:
    """The office's own target row for the latest year ≤ `year`, else the general one — one query."""
    rows = list(QualityTarget.objects.filter(Q(office_id=office_id) | Q(office__isnull=True), year__lte=year)
                .order_by("-year")) if office_id is not None else \
        list(QualityTarget.objects.filter(office__isnull=True, year__lte=year).order_by("-year"))
    own = [row for row in rows if row.office_id is not None]
    return own[0] if own else (rows[0] if rows else None)


def month_range(start: datetime, end: datetime) -> tuple[date, date]:
    """[first, after) months of the local months in [start, end) (a period ending at a month start excludes it)."""
    first = local_month(start)
    last = local_month(end)
    after = last if month_start(last) >= end else next_month(last)
    return first, after


@dataclass(frozen=True)
class PeriodFigures:
    voltage: dict
    reliability: Reliability
    target: QualityTarget | None


def quality_figures(*, office_id: int | None, start: datetime, end: datetime) -> PeriodFigures:
    first, after = month_range(start, end)
    return PeriodFigures(
        voltage=voltage_summary(office_id=office_id, first=first, after=after),
        reliability=reliability_summary(office_id=office_id, start=start, end=end),
        target=quality_target_for(office_id=office_id, year=local_month(start).year),
    )


def shifted_year(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


@dataclass(frozen=True)
class Change:
    now: Decimal | None
    before: Decimal | None
    higher_is_better: bool = True

    @property
    def delta(self) -> Decimal | None:
        return None if self.now is None or self.before is None else self.now - self.before

    @property
    def improved(self) -> bool | None:
        """Not worse than a year earlier (None: one of the two has no figures)."""
        if self.delta is None:
            return None
        return self.delta >= 0 if self.higher_is_better else self.delta <= 0


def quality_year_over_year(*, office_id: int | None, start: datetime, end: datetime,
                           current: PeriodFigures | None = None) -> dict[str, Change]:
    """S5.3: the period against the same period a year earlier — RS-1, AIHC-1 and the integrated voltage rate.
    `current`: the period's figures when the caller has them already."""
    now = current or quality_figures(office_id=office_id, start=start, end=end)
    before = quality_figures(office_id=office_id, start=shifted_year(start, -1), end=shifted_year(end, -1))
    return {
        "rs1": Change(now.reliability.rs1, before.reliability.rs1),
        "aihc1": Change(now.reliability.aihc1, before.reliability.aihc1, higher_is_better=False),
        "voltage": Change(now.voltage["integrated"], before.voltage["integrated"]),
    }
