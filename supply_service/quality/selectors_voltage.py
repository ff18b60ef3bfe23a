"""Voltage qualification rates (S6.1–S6.3), in SQL.

Rate of a set of point-months = (1 − (minutes above + minutes below) / minutes monitored) × 100 %, minutes pooled
over the set (the State Grid definition per class: time outside the limits over time monitored).

Excluded from S6.1 (S6.3): a point-month whose point, or the customer it monitors, has an exemption overlapping
the month. Within abnormal-condition periods (S6.2) the minutes outside come from the ±10 % band (samples).

Integrated rate (综合电压合格率), as State Grid weights the classes:
    V = 0.5 × V_A + 0.5 × (V_B + V_C + V_D) / 3
When a class has no figures it drops out: the mean of the B/C/D rates present; V_A alone when none of B/C/D has
figures; the mean of B/C/D alone when A has none.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from supply_service.quality.models import Exemption, MonitoringPoint, VoltageMonth

HUNDRED = Decimal(100)
PLACES = Decimal("0.001")
A_WEIGHT = Decimal("0.5")
GROUPS = {
    "point": "point_id",
    "category": "point__category",
    "voltage_class": "point__voltage_class_id",
    "office": "point__office_id",
    "area": "point__transformer_area_id",
    "month": "month",
}


@dataclass(frozen=True)
class Rate:
    monitored: int
    outside: int
    points: int = 0

    @property
    def qualified(self) -> int:
        return self.monitored - self.outside

    @property
    def exact(self) -> Decimal | None:
        if not self.monitored:
            return None
        return (1 - Decimal(self.outside) / Decimal(self.monitored)) * HUNDRED

    @property
    def pct(self) -> Decimal | None:
        exact = self.exact
        return None if exact is None else exact.quantize(PLACES, ROUND_HALF_UP)


def exempt_condition():
    """An Exists() that is true for a VoltageMonth row exempt from S6.1 (S6.3) in its month."""
    return Exists(Exemption.objects.annotate(first_month=TruncMonth("starts_on")).filter(
        Q(point_id=OuterRef("point_id")) | Q(customer_id=OuterRef("point__customer_id"),
                                             customer_id__isnull=False),
        first_month__lte=OuterRef("month")).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("month"))))


def voltage_months(*, office_id: int | None, first: date, after: date, exempt: bool = False) -> QuerySet:
    """Point-months with first ≤ month < after; the S6.1 ones (exempt=False) or the exempt ones (exempt=True)."""
    rows = VoltageMonth.objects.filter(month__gte=first, month__lt=after)
    if office_id is not None:
        rows = rows.filter(point__office_id=office_id)
    return rows.alias(is_exempt=exempt_condition()).filter(is_exempt=exempt)


def voltage_rates(*, office_id: int | None, first: date, after: date, by: tuple[str, ...]) -> dict[tuple, Rate]:
    """{(group values…): Rate} grouped by any of GROUPS ("point", "category", "office", "month" …) — one query."""
    fields = [GROUPS[name] for name in by]
    rows = (voltage_months(office_id=office_id, first=first, after=after).values(*fields)
            .annotate(monitored=Sum("minutes_monitored"), outside=Sum(F("minutes_above") + F("minutes_below")),
                      points=Count("point_id", distinct=True)).order_by(*fields))
    return {tuple(row[f] for f in fields): Rate(row["monitored"] or 0, row["outside"] or 0, row["points"] or 0)
            for row in rows}


def integrated_rate(class_rates: dict[str, Rate]) -> Decimal | None:
    """V = 0.5 V_A + 0.5 mean(V_B, V_C, V_D) over the classes with figures (see the module's docstring)."""
    a = class_rates.get(MonitoringPoint.Category.A)
    a_pct = a.exact if a else None
    others = [r.exact for key, r in class_rates.items() if key != MonitoringPoint.Category.A and r.exact is not None]
    mean = sum(others) / len(others) if others else None
    if a_pct is None and mean is None:
        return None
    if a_pct is None:
        value = mean
    elif mean is None:
        value = a_pct
    else:
        value = A_WEIGHT * a_pct + (1 - A_WEIGHT) * mean
    return Decimal(value).quantize(PLACES, ROUND_HALF_UP)


def voltage_summary(*, office_id: int | None, first: date, after: date) -> dict:
    """The integrated rate, the rate per class and the pooled minutes of a period — one query."""
    per_class = {key[0]: rate for key, rate in voltage_rates(office_id=office_id, first=first, after=after,
                                                               by=("category",)).items()}
    monitored = sum(r.monitored for r in per_class.values())
    outside = sum(r.outside for r in per_class.values())
    return {"integrated": integrated_rate(per_class), "classes": per_class, "total": Rate(monitored, outside)}


def voltage_by_month(*, office_id: int | None, first: date, after: date) -> dict[date, dict]:
    """{month: {"integrated", "classes"}} — one query."""
    grouped: dict[date, dict[str, Rate]] = {}
    for (month, category), rate in voltage_rates(office_id=office_id, first=first, after=after,
                                                 by=("month", "category")).items():
        grouped.setdefault(month, {})[category] = rate
    return {month: {"integrated": integrated_rate(classes), "classes": classes}
            for month, classes in sorted(grouped.items())}


def voltage_points(*, office_id: int | None, first: date, after: date, category: str = "") -> list[dict]:
    """The points behind a figure (drill-down): each point's pooled rate over the period, exempt ones marked."""
    rows = VoltageMonth.objects.filter(month__gte=first, month__lt=after)
    if office_id is not None:
        rows = rows.filter(point__office_id=office_id)
    if category:
        rows = rows.filter(point__category=category)
    rows = (rows.annotate(is_exempt=exempt_condition())
            .values("point_id", "point__code", "point__name", "point__category", "point__voltage_class__name",
                    "is_exempt")
            .annotate(monitored=Sum("minutes_monitored"), above=Sum("minutes_above"), below=Sum("minutes_below"),
                      abnormal=Sum("abnormal_minutes"))
            .order_by("point__category", "point__code", "is_exempt"))
    found = []
    for row in rows:
        rate = Rate(row["monitored"] or 0, (row["above"] or 0) + (row["below"] or 0))
        found.append({**row, "rate": rate})
    return found
