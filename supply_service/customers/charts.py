"""Server-rendered SVG consumption chart (no JavaScript library): bars of kWh per month."""

from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple

WIDTH, HEIGHT, TOP, BOTTOM, LEFT, RIGHT = 720, 240, 16, 36, 48, 24
_period = attrgetter("period")


class Bar(NamedTuple):  # a tuple: 24 a page, made on every customer and kiosk account page (issue 12)
    x: float
    y: float
    width: float
    height: float
    label: str
    value: Decimal
    show_label: bool


class Chart(NamedTuple):
    bars: list[Bar]
    width: int
    height: int
    baseline: float
    max_value: Decimal
    ticks: list[tuple[float, str]]


def _nice_max(value: Decimal) -> Decimal:
    if value <= 0:
        return Decimal(10)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        candidate = magnitude * Decimal(str(step))
        if candidate >= value:
            return candidate
    return magnitude * 10


def consumption_chart(bills) -> Chart:
    """Bars oldest to newest from bills (any order) with `period` and `kwh`."""
    ordered = sorted(bills, key=_period)
    top_value = _nice_max(max((b.kwh for b in ordered), default=Decimal(0)))
    plot_height = HEIGHT - TOP - BOTTOM
    count = len(ordered)
    slot = (WIDTH - LEFT - RIGHT) / max(count, 1)
    width, baseline, make = round(slot * 0.7, 1), TOP + plot_height, Bar._make
    bars = []
    for index, bill in enumerate(ordered):  # made on every account page: plain arithmetic, tuples made positionally
        height = float(bill.kwh / top_value) * plot_height if top_value else 0
        period = bill.period
        bars.append(make((round(LEFT + index * slot + slot * 0.15, 1), round(baseline - height, 1), width,
                          round(height, 1), f"{period.year % 100:02d}-{period.month:02d}", bill.kwh,
                          (count - 1 - index) % 3 == 0)))
    ticks = [(round(TOP + plot_height * (1 - f), 1), f"{(top_value * Decimal(str(f))).normalize():f}")
             for f in (0, 0.5, 1)]
    return Chart(bars=bars, width=WIDTH, height=HEIGHT, baseline=baseline, max_value=top_value,
                 ticks=ticks)
