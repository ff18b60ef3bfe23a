"""The quality app's measures for the audit checklist and the dashboard (core.measures): S6.1 voltage rate,
S6.4 reliability, S5.3 year-over-year improvement. Targets come from the QualityTarget table."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supply_service.core.measures import Measure, MeasureResult
from supply_service.quality.selectors import quality_figures, quality_target_for, quality_year_over_year


def _office_id(office) -> int | None:
    return getattr(office, "pk", office)


def voltage_measure(*, office, start, end) -> MeasureResult:
    figures = quality_figures(office_id=_office_id(office), start=start, end=end)
    value, total = figures.voltage["integrated"], figures.voltage["total"]
    target = figures.target.voltage_pct if figures.target else None
    return MeasureResult(
        value=value, unit="%", numerator=total.qualified, denominator=total.monitored, target=target,
        passed=None if value is None or target is None else value >= target,
        note=_("integrated rate 0.5 × A + 0.5 × mean(B, C, D); minutes qualified of minutes monitored; exempt "
               "points (S6.3) left out") if value is not None else _("no voltage monitoring figures"),
        drill_url=reverse("quality:figures"))


def reliability_measure(*, office, start, end) -> MeasureResult:
    office_id = _office_id(office)
    figures = quality_figures(office_id=office_id, start=start, end=end)
    rel = figures.reliability
    target = figures.target.rs1_pct if figures.target else None
    value = rel.rs1
    return MeasureResult(
        value=value, unit="%", numerator=round(rel.customer_hours), denominator=rel.customers, target=target,
        passed=None if value is None or target is None else value >= target,
        note=_("RS-1; AIHC-1 %(aihc)s h per customer; RS-3 %(rs3)s %%") % {"aihc": rel.aihc1, "rs3": rel.rs3}
        if value is not None else _("no customers"),
        drill_url=reverse("quality:figures"))


def improvement_measure(*, office, start, end) -> MeasureResult:
    changes = quality_year_over_year(office_id=_office_id(office), start=start, end=end)
    judged = [c.improved for c in changes.values() if c.improved is not None]
    rs1 = changes["rs1"]
    return MeasureResult(
        value=rs1.delta, unit="pp", target=None, passed=all(judged) if judged else None,
        note=_("against the same period a year earlier: RS-1 %(rs1)s pp, AIHC-1 %(aihc)s h, voltage rate "
               "%(voltage)s pp") % {"rs1": rs1.delta, "aihc": changes["aihc1"].delta,
                                    "voltage": changes["voltage"].delta},
        drill_url=reverse("quality:figures"))


MEASURES = [
    Measure(key="quality_voltage_rate", requirements=("S6.1", "S6.2", "S6.3"),
            label=gettext_lazy("Integrated voltage qualification rate against the target"),
            compute=voltage_measure, order=60),
    Measure(key="quality_reliability", requirements=("S6.4",),
            label=gettext_lazy("Supply reliability RS-1 against the provincial standard"),
            compute=reliability_measure, order=61),
    Measure(key="quality_improvement", requirements=("S5.3",),
            label=gettext_lazy("Reliability and voltage quality against the year before"),
            compute=improvement_measure, order=62),
]

__all__ = ["MEASURES", "quality_target_for"]
