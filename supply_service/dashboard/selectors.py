"""The dashboard's figures, read in SQL: a constant number of queries whatever the number of clocks or items
(aggregates and GROUP BY in the database; SQLite and PostgreSQL alike). Definitions are in docs/apps/dashboard.md.

- fulfilment = met / (met + breached) of the SLA clocks *settled* in the period (a met clock settles when it stops,
  a breached one when it passes its due time); waived clocks and clocks still running on time do not count;
- callback rate = items reached by a callback / resolved items that needed one (`core.selectors.callback_rate`);
- below the minimum sample (policy `dashboard_min_sample`) a rate is shown with its counts but neither ranked nor
  judged against its target.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from supply_service.core.measures import MeasureResult, measures
from supply_service.core.models import Callback, Commitment, Office, OpenWork, SlaClock
from supply_service.core.models.openwork import CHASED
from supply_service.core.registry import kinds
from supply_service.core.selectors import commitment_target
from supply_service.core.services.policy import policy_int
from supply_service.dashboard import seed
from supply_service.dashboard.periods import Month

logger = logging.getLogger(__name__)

FULFILMENT = "commitment_fulfilment"
CALLBACK = "callback_rate"
OUTAGE_ADVANCE_FAMILY = "outage_notice_advance"


def min_sample() -> int:
    return policy_int(seed.MIN_SAMPLE)


@dataclass(frozen=True)
class Rate:
    """A rate with its numerator and denominator; judged against `target` only with a large enough sample."""

    met: int
    total: int
    target: Decimal | None = None
    minimum: int = 0

    @property
    def missed(self) -> int:
        return self.total - self.met

    @property
    def value(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.met) * 100 / Decimal(self.total)).quantize(Decimal("0.1"))

    @property
    def enough(self) -> bool:
        return self.total > 0 and self.total >= self.minimum

    @property
    def passed(self) -> bool | None:
        if not self.enough or self.target is None:
            return None
        return self.value >= self.target

    @property
    def note(self) -> str:
        if not self.total:
            return _("Nothing settled in this period.")
        if not self.enough:
            return _("Sample of %(n)s below the minimum of %(m)s: not ranked or judged.") % {
                "n": self.total, "m": self.minimum}
        return ""


def _settled(*, month: Month | None = None, start=None, end=None, office=None) -> QuerySet:
    start = start if month is None else month.start
    end = end if month is None else month.end
    qs = SlaClock.objects.filter(settled_at__gte=start, settled_at__lt=end,
                                 state__in=[SlaClock.State.MET, SlaClock.State.BREACHED])
    if office is not None:
        qs = qs.filter(office=office)
    return qs


def _counts() -> dict:
    return {"met": Count("pk", filter=Q(state=SlaClock.State.MET)),
            "breached": Count("pk", filter=Q(state=SlaClock.State.BREACHED))}


def commitments_in_order() -> list[Commitment]:
    """Every time-limit commitment, in the standard's article order (one query)."""
    return sorted(Commitment.objects.exclude(unit=Commitment.Unit.PERCENT), key=lambda c: c.sort_key)


@dataclass
class CommitmentRow:
    commitment: Commitment
    rate: Rate


def fulfilment_by_commitment(*, month: Month, office=None, commitments=None) -> list[CommitmentRow]:
    """Per commitment (every time limit, also those with nothing settled): met, breached, rate. Two queries."""
    commitments = commitments if commitments is not None else commitments_in_order()
    target, minimum = commitment_target(code=FULFILMENT), min_sample()
    counts = {row["commitment_id"]: row for row in
              _settled(month=month, office=office).values("commitment_id").annotate(**_counts()).order_by()}
    rows = []
    for commitment in commitments:
        row = counts.get(commitment.pk, {"met": 0, "breached": 0})
        rows.append(CommitmentRow(commitment, Rate(row["met"], row["met"] + row["breached"], target, minimum)))
    return rows


def fulfilment_overall(rows: list[CommitmentRow]) -> Rate:
    met = sum(row.rate.met for row in rows)
    total = sum(row.rate.total for row in rows)
    first = rows[0].rate if rows else Rate(0, 0)
    return Rate(met, total, first.target, first.minimum)


@dataclass
class OfficeRow:
    office: Office
    rate: Rate
    rank: int | None = None


def fulfilment_by_office(*, month: Month, commitment: str = "") -> list[OfficeRow]:
    """Per office, ranked by rate — only offices whose sample reaches the minimum get a rank. Three queries."""
    target, minimum = commitment_target(code=FULFILMENT), min_sample()
    qs = _settled(month=month)
    if commitment:
        qs = qs.filter(commitment__code=commitment)
    counts = {row["office_id"]: row for row in qs.values("office_id").annotate(**_counts()).order_by()}
    rows = []
    for office in Office.objects.order_by("name"):
        row = counts.get(office.pk, {"met": 0, "breached": 0})
        rows.append(OfficeRow(office, Rate(row["met"], row["met"] + row["breached"], target, minimum)))
    ranked = sorted((r for r in rows if r.rate.enough), key=lambda r: (-r.rate.value, r.office.name))
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.office.name))


def fulfilment_by_commitment_and_office(*, month: Month) -> list[dict]:
    """Every (commitment, office) pair with something settled: for the export. One query."""
    rows = (_settled(month=month).values("commitment__code", "commitment__title", "office__name")
            .annotate(**_counts()).order_by("commitment__code", "office__name"))
    return [{**row, "rate": Rate(row["met"], row["met"] + row["breached"])} for row in rows]


@dataclass
class TrendPoint:
    month: Month
    rate: Rate


def month_index(field: str, months: list[Month]) -> Case:
    """The position of `field`'s local month in `months` (-1 outside), by plain comparisons with the months' bounds:
    portable, and no per-row date function (SQLite's TruncMonth calls Python for every row: 40 s over 1 000 000)."""
    whens = [When(**{f"{field}__gte": m.start, f"{field}__lt": m.end}, then=Value(i)) for i, m in enumerate(months)]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def fulfilment_trend(*, last: Month, months: list[Month], office=None, family: str = "") -> list[TrendPoint]:
    """Fulfilment per month over `months` (oldest first): one GROUP BY on the month of settlement."""
    target, minimum = commitment_target(code=FULFILMENT), min_sample()
    qs = _settled(start=months[0].start, end=last.end, office=office)
    if family:
        qs = qs.filter(commitment__family=family)
    rows = qs.annotate(m=month_index("settled_at", months)).values("m").annotate(**_counts()).order_by()
    by_index = {row["m"]: row for row in rows}
    points = []
    for index, month in enumerate(months):
        row = by_index.get(index, {"met": 0, "breached": 0})
        points.append(TrendPoint(month, Rate(row["met"], row["met"] + row["breached"], target, minimum)))
    return points


def callback_trend(*, months: list[Month], office=None) -> list[TrendPoint]:
    """Callback rate (S13.5) per month of resolution over every registered kind: one query per kind.

    Denominator: resolved items that needed a callback (`callback_due`); numerator: those whose customer was
    reached (satisfied or not) — the definition of `core.selectors.callback_rate`."""
    from django.contrib.contenttypes.models import ContentType

    target, minimum = commitment_target(code=CALLBACK), min_sample()
    totals: dict[Month, list[int]] = {month: [0, 0] for month in months}
    for kind in kinds():
        reached = Callback.objects.filter(
            content_type=ContentType.objects.get_for_model(kind.model), object_id=OuterRef("pk"),
            outcome__in=[Callback.Outcome.SATISFIED, Callback.Outcome.UNSATISFIED])
        qs = kind.model.objects.filter(callback_due=True, resolved_at__gte=months[0].start,
                                       resolved_at__lt=months[-1].end)
        if office is not None:
            qs = qs.filter(office=office)
        rows = (qs.annotate(m=month_index("resolved_at", months)).values("m")
                .annotate(total=Count("pk"), reached=Count("pk", filter=Exists(reached))).order_by())
        for row in rows:
            bucket = totals.get(months[row["m"]]) if 0 <= row["m"] < len(months) else None
            if bucket is not None:
                bucket[0] += row["reached"]
                bucket[1] += row["total"]
    return [TrendPoint(month, Rate(met, total, target, minimum)) for month, (met, total) in totals.items()]


def outage_notice_lateness(*, month: Month, office=None) -> Rate:
    """Outage notices published with less notice than their commitment (S10.2.10): the advance-notice clocks
    settled in the month; `missed` = notices published late. One query."""
    counts = _settled(month=month, office=office).filter(commitment__family=OUTAGE_ADVANCE_FAMILY).aggregate(
        **_counts())
    return Rate(counts["met"], counts["met"] + counts["breached"], minimum=min_sample())


@dataclass
class OpenSummary:
    rows: list[dict] = field(default_factory=list)  # per kind: kind, label, open, overdue, amber, chases

    @property
    def totals(self) -> dict:
        keys = ("open", "overdue", "amber", "chases")
        return {key: sum(row[key] for row in self.rows) for key in keys}


def open_work_now(*, office=None, now=None) -> OpenSummary:
    """Open items now, per kind: overdue (breached or past due), amber (running with less than a quarter of the
    time left) and chases outstanding (open items that were chased: the row's count of chases, kept with it — not a
    look through every chase ever made). One query over the open-work table."""
    now = now or timezone.now()
    qs = OpenWork.objects.all() if office is None else OpenWork.objects.filter(office=office)
    late = Q(breached=True) | Q(due_at__lt=now)
    running = Q(due_at__gte=now, breached=False)
    counts = {row["kind"]: row for row in qs.values("kind").annotate(
        open=Count("pk"), overdue=Count("pk", filter=late),
        amber=Count("pk", filter=running & Q(amber_at__lte=now)), chased=Count("pk", filter=CHASED)).order_by()}
    rows = []
    for kind in kinds():
        row = counts.get(kind.key, {"open": 0, "overdue": 0, "amber": 0, "chased": 0})
        rows.append({"kind": kind.key, "label": kind.display_label, "open": row["open"], "overdue": row["overdue"],
                     "amber": row["amber"], "chases": row["chased"]})
    return OpenSummary(rows)


@dataclass
class MeasureRow:
    key: str
    label: str
    requirements: tuple[str, ...]
    result: MeasureResult | None
    error: bool = False


def registered_measures(*, month: Month, office=None) -> list[MeasureRow]:
    """Every measure other apps registered (core.measures), computed for the month; a measure that fails is shown
    as not computed (and logged) instead of failing the page."""
    rows = []
    for measure in measures():
        try:
            result = measure(office=office, start=month.start, end=month.end)
            rows.append(MeasureRow(measure.key, str(measure.label), measure.requirements, result))
        except Exception:  # noqa: BLE001 — another app's code: the dashboard stays up and says so
            logger.exception("measure %s failed", measure.key)
            rows.append(MeasureRow(measure.key, str(measure.label), measure.requirements, None, error=True))
    return rows
