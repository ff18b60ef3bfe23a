"""The consumption chart's bars, written for speed (issue 12: made on every account page), are the bars of the plain
computation they replace — for every count of bills, zero and large readings, any order, a year 2000 label."""

import random
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from supply_service.customers.charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, Bar, _nice_max, consumption_chart


def _reference_bars(bills) -> list[Bar]:
    ordered = sorted(bills, key=lambda b: b.period)
    top_value = _nice_max(max((b.kwh for b in ordered), default=Decimal(0)))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(ordered), 1)
    bars = []
    for index, bill in enumerate(ordered):
        height = float(bill.kwh / top_value) * plot_height if top_value else 0
        bars.append(Bar(x=round(LEFT + index * slot + slot * 0.15, 1), y=round(TOP + plot_height - height, 1),
                        width=round(slot * 0.7, 1), height=round(height, 1), label=f"{bill.period:%y-%m}",
                        value=bill.kwh, show_label=(len(ordered) - 1 - index) % 3 == 0))
    return bars


def test_the_bars_are_the_plain_computations():
    rng = random.Random(12)
    for count in (0, 1, 2, 3, 7, 12, 24, 25):
        for _ in range(20):
            start = rng.choice((1999, 2000, 2024))
            bills = [SimpleNamespace(period=date(start + (m // 12), m % 12 + 1, 1),
                                     kwh=Decimal(rng.choice((0, rng.randint(0, 99999)))) / rng.choice((1, 10, 100)))
                     for m in range(count)]
            rng.shuffle(bills)
            assert consumption_chart(bills).bars == _reference_bars(bills)
    assert consumption_chart([]).bars == []
