"""The monthly report: every figure of the dashboard for a month (and office), and its tables as `Section`s — the one
source of the page's tables, the CSV of each table, the Excel workbook and the printable report, so that they
always hold the same numbers."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from supply_service.complaints.models import Category, Complaint, Kind
from supply_service.complaints.selectors import complaint_stats
from supply_service.counter.models import Service
from supply_service.counter.selectors import counter_times
from supply_service.counter.stats import CounterTimes, TimeRow
from supply_service.dashboard import selectors as s
from supply_service.dashboard import selectors_time as t
from supply_service.dashboard.periods import Month, months_ending

COMPLAINT_FAMILIES = ("complaint_reply", "report_reply")


@dataclass(frozen=True)
class Cell:
    value: object
    fmt: str = "text"  # text / int / pct / dec
    url: str = ""

    def __str__(self) -> str:
        if self.value is None:
            return "—"
        if self.fmt == "pct":
            return f"{self.value}%"
        return str(self.value)

    @property
    def csv(self) -> str:
        return "" if self.value is None else str(self.value)


@dataclass
class Section:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""


@dataclass
class Report:
    month: Month
    office: object
    months: list[Month]
    minimum: int
    commitments: list[s.CommitmentRow]
    overall: s.Rate
    offices: list[s.OfficeRow]
    trend: list[s.TrendPoint]
    callbacks: list[s.TrendPoint]
    connection: list[t.DurationRow]
    arrivals: list[t.ArrivalRow]
    outage_notices: s.Rate
    open_now: s.OpenSummary
    measures: list[s.MeasureRow]
    counter: CounterTimes | None = None
    complaint_figures: dict | None = None

    @property
    def callback(self) -> s.Rate:
        return self.callbacks[-1].rate

    @property
    def complaints(self) -> list[s.CommitmentRow]:
        return [row for row in self.commitments if row.commitment.family in COMPLAINT_FAMILIES]


def report_build(*, month: Month, office=None) -> Report:
    """Every figure of the month: a constant number of queries (about 25 plus the registered measures')."""
    months = months_ending(month)
    commitments = s.fulfilment_by_commitment(month=month, office=office)
    return Report(
        month=month, office=office, months=months, minimum=s.min_sample(), commitments=commitments,
        overall=s.fulfilment_overall(commitments),
        offices=s.fulfilment_by_office(month=month) if office is None else [],
        trend=s.fulfilment_trend(last=month, months=months, office=office),
        callbacks=s.callback_trend(months=months, office=office),
        connection=t.connection_times(month=month, office=office),
        arrivals=t.repair_arrival_distribution(month=month, office=office),
        outage_notices=s.outage_notice_lateness(month=month, office=office),
        open_now=s.open_work_now(office=office),
        measures=s.registered_measures(month=month, office=office),
        counter=counter_times(office=office, start=month.start, end=month.end),
        complaint_figures=complaint_stats(office=office, start=month.start, end=month.end),
    )


def drill_url(report: Report, *, month: Month | None = None, **params) -> str:
    query = {"month": (month or report.month).key,
             **({"office": report.office.pk} if report.office is not None else {})}
    query.update({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse('dashboard:items')}?{urlencode(query)}"


def open_url(report: Report, **params) -> str:
    query = {**({"office": report.office.pk} if report.office is not None else {}), **params}
    return f"{reverse('dashboard:open_items')}?{urlencode(query)}"


def judged(rate: s.Rate) -> str:
    if rate.passed is None:
        return rate.note or "—"
    return _("target met") if rate.passed else _("below target")


def _rate_cells(report, rate: s.Rate, **drill) -> list[Cell]:
    return [Cell(rate.met, "int", drill_url(report, outcome="met", **drill) if rate.met else ""),
            Cell(rate.missed, "int", drill_url(report, outcome="breached", **drill) if rate.missed else ""),
            Cell(rate.total, "int"), Cell(rate.value, "pct")]


def _fulfilment(report: Report) -> Section:
    section = Section("fulfilment", _("Fulfilment by commitment"),
                      [_("Article"), _("Commitment"), _("Limit"), _("Met"), _("Breached"), _("Settled"), _("Rate"),
                       _("Target"), _("Judgement")])
    for row in report.commitments:
        c = row.commitment
        section.rows.append([Cell(c.article), Cell(c.display_title), Cell(c.display_limit),
                             *_rate_cells(report, row.rate, commitment=c.code), Cell(row.rate.target, "pct"),
                             Cell(judged(row.rate))])
    o = report.overall
    section.rows.append([Cell(""), Cell(_("All commitments")), Cell(""), *_rate_cells(report, o),
                         Cell(o.target, "pct"), Cell(judged(o))])
    return section


def _offices(report: Report) -> Section:
    section = Section("offices", _("Fulfilment by office"),
                      [_("Rank"), _("Office"), _("Met"), _("Breached"), _("Settled"), _("Rate"), _("Judgement")])
    for row in report.offices:
        section.rows.append([Cell(row.rank, "int"), Cell(row.office.name),
                             *_rate_cells(report, row.rate, office=row.office.pk), Cell(judged(row.rate))])
    return section


def _trend(report: Report) -> Section:
    section = Section("trend", _("Fulfilment, last 12 months"),
                      [_("Month"), _("Met"), _("Breached"), _("Settled"), _("Rate")])
    for point in report.trend:
        section.rows.append([Cell(point.month.key), *_rate_cells(report, point.rate, month=point.month)])
    return section


def _callbacks(report: Report) -> Section:
    section = Section("callbacks", _("Callback rate, last 12 months"),
                      [_("Month"), _("Reached"), _("Needed a callback"), _("Rate"), _("Target"), _("Judgement")])
    for point in report.callbacks:
        r = point.rate
        section.rows.append([Cell(point.month.key), Cell(r.met, "int"), Cell(r.total, "int"), Cell(r.value, "pct"),
                             Cell(r.target, "pct"), Cell(judged(r))])
    return section


def _connection(report: Report) -> Section:
    section = Section("connection", _("Connection time by customer class (working days)"),
                      [_("Customer class"), _("Limit"), _("Connections"), _("Average"), _("90th percentile")])
    for row in report.connection:
        c = row.commitment
        section.rows.append([Cell(c.display_title), Cell(c.display_limit),
                             Cell(row.count, "int", drill_url(report, commitment=c.code) if row.count else ""),
                             Cell(row.average, "dec"), Cell(row.percentile, "int")])
    return section


def _arrivals(report: Report) -> Section:
    headers = [_("Area class"), _("Limit"), _("Up to a third of the limit"), _("Up to two thirds"),
               _("Within the limit"), _("Up to a third late"), _("Later"), _("Arrivals")]
    section = Section("arrivals", _("Repair arrival by area class"), headers)
    for row in report.arrivals:
        c = row.commitment
        section.rows.append([Cell(c.display_title), Cell(c.display_limit),
                             *[Cell(n, "int") for _label, n in row.buckets],
                             Cell(row.count, "int", drill_url(report, commitment=c.code) if row.count else "")])
    return section


def _outages(report: Report) -> Section:
    r = report.outage_notices
    section = Section("outages", _("Outage notices and their advance notice"),
                      [_("Notices"), _("With the promised notice"), _("With less notice than promised")])
    section.rows.append([Cell(r.total, "int"), Cell(r.met, "int"),
                         Cell(r.missed, "int", drill_url(report, commitment=s.OUTAGE_ADVANCE_FAMILY,
                                                         outcome="breached") if r.missed else "")])
    return section


def _open(report: Report) -> Section:
    section = Section("open", _("Open work now"),
                      [_("Kind"), _("Open"), _("Overdue"), _("Amber"), _("Chases outstanding")])
    for row in report.open_now.rows:
        section.rows.append([
            Cell(row["label"]), Cell(row["open"], "int"),
            Cell(row["overdue"], "int", open_url(report, kind=row["kind"], signal="overdue") if row["overdue"] else ""),
            Cell(row["amber"], "int", open_url(report, kind=row["kind"], signal="amber") if row["amber"] else ""),
            Cell(row["chases"], "int", open_url(report, kind=row["kind"], signal="chased") if row["chases"] else ""),
        ])
    return section


def _measure_value(result) -> Cell:
    if result is None:
        return Cell(_("not computed"))
    fmt = "pct" if result.unit == "%" else ("int" if isinstance(result.value, int) else "dec")
    return Cell(result.value, fmt, result.drill_url)


def _measures(report: Report) -> Section:
    section = Section("measures", _("Measures registered by the apps"),
                      [_("Requirement"), _("Measure"), _("Value"), _("Unit"), _("Numerator"), _("Denominator"),
                       _("Target"), _("Judgement")])
    for row in report.measures:
        r = row.result
        verdict = "—" if r is None or r.passed is None else (_("target met") if r.passed else _("below target"))
        unit = "" if r is None or r.unit == "%" else str(r.unit)
        section.rows.append([Cell(", ".join(row.requirements)), Cell(row.label), _measure_value(r), Cell(unit),
                             Cell(r.numerator if r else None, "int"), Cell(r.denominator if r else None, "int"),
                             Cell(r.target if r else None, "dec"), Cell(r.note if r and r.note else verdict)])
    return section


def _counter_row(label, row: TimeRow) -> list[Cell]:
    f = row.fulfilment
    return [Cell(label), Cell(row.numbers, "int"), Cell(row.served, "int"), Cell(row.wait_minutes, "dec"),
            Cell(row.handle_minutes, "dec"), Cell(f.met, "int"), Cell(f.settled, "int"), Cell(f.rate, "pct")]


def _counter(report: Report) -> Section:
    """Counter waiting and handling times per service (S10.2.1): averages in minutes and the share of transactions
    within their commitment's limit."""
    section = Section("counter", _("Counter: waiting and handling times (minutes)"),
                      [_("Service"), _("Numbers taken"), _("Served"), _("Average wait"), _("Average handling"),
                       _("Within the limit"), _("Settled"), _("Rate")])
    times = report.counter
    if times is None:
        return section
    labels = dict(Service.Kind.choices)
    for row in times.by_service:
        section.rows.append(_counter_row(str(labels.get(row.key, row.key)), row))
    if times.total is not None and times.total.numbers:
        section.rows.append(_counter_row(_("All services"), times.total))
    return section


def _complaint_figures(report: Report) -> Section:
    """Complaints, reports, suggestions and praise received in the month (S13.5, issue 13): per kind, category and
    channel; the share of findings substantiated (fully or partly); customers who complained more than once."""
    section = Section("complaints", _("Complaints, reports, suggestions and praise received"),
                      [_("Figure"), _("Count"), _("Of"), _("Rate")])
    figures = report.complaint_figures
    if figures is None:
        return section
    kinds, categories = dict(Kind.choices), dict(Category.choices)
    blank = [Cell(None, "int"), Cell(None, "pct")]  # no "of" and no rate: empty, aligned with the numbers
    channels = dict(Complaint._meta.get_field("channel").choices)
    for key, label in Kind.choices:
        section.rows.append([Cell(str(label)), Cell(figures["by_kind"].get(key, 0), "int"), *blank])
    for row in figures["by_category"]:
        kind = str(kinds.get(row["kind"], row["kind"]))
        category = str(categories.get(row["category"], row["category"] or "—"))
        label = kind if category == kind else f"{kind} · {category}"  # praise is its own category
        section.rows.append([Cell(label), Cell(row["n"], "int"), *blank])
    for key, n in sorted(figures["by_channel"].items()):
        section.rows.append([Cell(_("Channel: %(channel)s") % {"channel": channels.get(key, key)}), Cell(n, "int"),
                             *blank])
    findings = figures["findings"]
    total, substantiated = findings["total"] or 0, findings["substantiated"] or 0
    section.rows.append([Cell(_("Findings substantiated (fully or partly)")), Cell(substantiated, "int"),
                         Cell(total, "int"), Cell(round(100 * substantiated / total, 1) if total else None, "pct")])
    section.rows.append([Cell(_("Repeat complainants (more than one complaint)")),
                         Cell(figures["repeat_complainants"], "int"), *blank])
    return section


def report_sections(report: Report) -> list[Section]:
    sections = [_fulfilment(report)]
    if report.office is None:
        sections.append(_offices(report))
    sections += [_trend(report), _callbacks(report), _connection(report), _arrivals(report), _outages(report),
                 _counter(report), _complaint_figures(report), _open(report), _measures(report)]
    return sections
