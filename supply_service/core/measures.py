"""The registry of measures: figures computed from the office's own data that show a requirement of the standard is
kept — read by the audit checklist (computed items), the managers' dashboard and the requirement map, without
those apps importing the app that owns the data.

Each app registers the measures of its data in its `AppConfig.ready`:

    register_measure(Measure(
        key="payment_methods", requirements=("S10.3.4",), label=_("Payment methods in use"),
        compute=payment_methods_measure, order=40))

`compute(*, office, start, end)` gets an office (None = every office the caller may see) and a half-open period
[start, end) of aware datetimes, reads in SQL (a constant number of queries) and returns a `MeasureResult`. Targets
and thresholds come from the Commitment and Policy tables, never from literals in the measure.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class MeasureResult:
    """One computed figure.

    - `value`: the figure itself (a rate in per cent, a count, minutes …) or None when there is nothing to measure;
    - `unit`: "%", "count", "minutes", "hours" … (for display and export);
    - `numerator` / `denominator`: for a rate, what it was computed from (shown beside every rate);
    - `target`: what it is judged against (from Commitment/Policy), if anything;
    - `passed`: True/False against the target; None when it cannot be judged (no data, sample below the minimum);
    - `note`: a short explanation in the user's language ("sample of 3 below the minimum of 20" …);
    - `drill_url`: a staff page listing the items behind the figure, if there is one.
    """

    value: Decimal | int | None
    unit: str = ""
    numerator: int | None = None
    denominator: int | None = None
    target: Decimal | int | None = None
    passed: bool | None = None
    note: str = ""
    drill_url: str = ""


@dataclass(frozen=True)
class Measure:
    key: str
    requirements: tuple[str, ...]
    label: object
    compute: Callable[..., MeasureResult]
    order: int = 100

    def __call__(self, *, office, start, end) -> MeasureResult:
        return self.compute(office=office, start=start, end=end)


_MEASURES: dict[str, Measure] = {}


def register_measure(measure: Measure) -> None:
    """Called from an app's `ready()`; the same key twice keeps the latest (autoreload, tests)."""
    _MEASURES[measure.key] = measure


def measures() -> list[Measure]:
    return sorted(_MEASURES.values(), key=lambda m: (m.order, m.key))


def measure_for_key(key: str) -> Measure | None:
    return _MEASURES.get(key)


def measures_for_requirement(requirement: str) -> list[Measure]:
    return [m for m in measures() if requirement in m.requirements]
