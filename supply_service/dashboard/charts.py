"""Server-rendered SVG charts (no JavaScript): the geometry is computed here, `dashboard/partials/chart.html` draws
it and the table behind it (the same numbers, for screen readers, print and copy)."""

from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT, TOP, BOTTOM, LEFT, RIGHT = 640, 220, 14, 34, 44, 12
ROW, LABEL_WIDTH = 26, 230


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: Decimal | int | None
    text: str
    tone: str  # ok / low / none (colour by the target: met, below, nothing to judge)


@dataclass
class Chart:
    kind: str  # "columns" (trends) or "rows" (one bar per commitment / bucket)
    title: str
    bars: list[Bar]
    width: int
    height: int
    ticks: list[tuple[float, str]] = field(default_factory=list)
    target_y: float | None = None
    target_text: str = ""
    headers: tuple[str, ...] = ()
    table: list[tuple] = field(default_factory=list)
    unit: str = "%"


def _tone(value, target, enough=True) -> str:
    if value is None or not enough:
        return "none"
    if target is None:
        return "ok"
    return "ok" if value >= target else "low"


def _top(values, fixed) -> Decimal:
    if fixed is not None:
        return Decimal(fixed)
    biggest = max((Decimal(v) for v in values if v is not None), default=Decimal(0))
    return biggest if biggest > 0 else Decimal(1)


def column_chart(*, title: str, points: list[dict], top=100, target=None, unit="%", headers=(), table=()) -> Chart:
    """Columns left to right; each point: label, value (None: no data), text (shown on hover/print), enough."""
    scale = _top([p["value"] for p in points], top)
    plot = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    bars = []
    for index, point in enumerate(points):
        value = point["value"]
        height = float(Decimal(value) / scale) * plot if value is not None else 0
        bars.append(Bar(x=round(LEFT + index * slot + slot * 0.15, 1), y=round(TOP + plot - height, 1),
                        width=round(slot * 0.7, 1), height=round(height, 1), label=point["label"], value=value,
                        text=point.get("text", ""), tone=_tone(value, target, point.get("enough", True))))
    ticks = [(round(TOP + plot - plot * f, 1), f"{(scale * Decimal(str(f))).normalize():f}") for f in (0, 0.5, 1)]
    target_y = round(TOP + plot - float(Decimal(target) / scale) * plot, 1) if target is not None else None
    return Chart("columns", title, bars, WIDTH, HEIGHT, ticks, target_y, f"{target}" if target is not None else "",
                 tuple(headers), list(table), unit)


def row_chart(*, title: str, points: list[dict], top=100, target=None, unit="%", headers=(), table=()) -> Chart:
    """Horizontal bars top to bottom, label on the left."""
    scale = _top([p["value"] for p in points], top)
    span = WIDTH - LABEL_WIDTH - RIGHT - 40
    bars = []
    for index, point in enumerate(points):
        value = point["value"]
        length = float(Decimal(value) / scale) * span if value is not None else 0
        bars.append(Bar(x=LABEL_WIDTH, y=TOP + index * ROW, width=round(length, 1), height=ROW - 8,
                        label=point["label"], value=value, text=point.get("text", ""),
                        tone=_tone(value, target, point.get("enough", True))))
    height = TOP + len(points) * ROW + 8
    target_y = None
    if target is not None:
        target_y = round(LABEL_WIDTH + float(Decimal(target) / scale) * span, 1)  # an x for row charts
    return Chart("rows", title, bars, WIDTH, height, [], target_y, f"{target}" if target is not None else "",
                 tuple(headers), list(table), unit)
