"""Timestamped voltage readings of existing monitoring points, aggregated on import into monthly figures.

Each reading stands for `minutes` minutes of monitoring (default 1: monitors record minute values). Its deviation
from the point's nominal voltage, (volts − nominal) / nominal × 100 %, is judged against the voltage class's S6.1
band (−lower … +upper), or against ±abnormal_pct (S6.2) when the reading falls inside an abnormal-condition period
of the point's office (or of every office). Months are Asia/Shanghai calendar months.

The figures of every (point, month) in the file are replaced by the file's: a file holds whole months of the points
it names. Re-importing it changes nothing. A reading given twice (same point and time) is an error.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from supply_service.customers.imports import ImportResult, cells
from supply_service.customers.imports.base import Column, Row, fetch_in
from supply_service.customers.imports.files import Table
from supply_service.quality.imports.common import QualityImporter, minutes, minutes_in_month
from supply_service.quality.models import AbnormalPeriod, MonitoringPoint, VoltageMonth

SAMPLE_MINUTES = 1
HUNDRED = Decimal(100)
VALUE_FIELDS = ("minutes_monitored", "minutes_above", "minutes_below", "abnormal_minutes")


@dataclass
class _Month:
    point: MonitoringPoint
    month: date
    line: int
    monitored: int = 0
    above: int = 0
    below: int = 0
    abnormal: int = 0
    existing: VoltageMonth | None = None
    action: str = ""
    lines: list[int] = field(default_factory=list)

    def values(self) -> dict[str, int]:
        return {"minutes_monitored": self.monitored, "minutes_above": self.above, "minutes_below": self.below,
                "abnormal_minutes": self.abnormal}


class VoltageSampleImporter(QualityImporter):
    kind = "voltage_samples"
    columns = (
        Column("point_code", cells.text(30)),
        Column("measured_at", cells.local_datetime),
        Column("volts", cells.decimal(max_digits=10, places=3, positive=True)),
        Column("minutes", minutes, required=False, blank=True, default=SAMPLE_MINUTES),
    )

    def key(self, row: Row) -> tuple | None:
        return (row["point_code"], row["measured_at"]) if row.has("point_code", "measured_at") else None

    def duplicate_message(self, row: Row, first_line: int) -> str:
        return _("the reading of point “%(point)s” at %(at)s is already on line %(line)s") % {
            "point": row["point_code"], "at": cells.as_text(row["measured_at"].replace(tzinfo=None)),
            "line": first_line}

    def run(self, table: Table, *, dry_run: bool = False) -> ImportResult:
        """The shared run; the counts are of months (created, updated, unchanged), the readings in `related`."""
        result = super().run(table, dry_run=dry_run)
        if result.ok:
            months = list(getattr(self, "months", {}).values())
            result.created = sum(m.action == Row.CREATE for m in months)
            result.updated = sum(m.action == Row.UPDATE for m in months)
            result.unchanged = sum(m.action == Row.UNCHANGED for m in months)
            result.related = {**result.related, "readings": len(table.rows)}
        return result

    def resolve(self, rows: list[Row]) -> None:
        points = {p.code: p for p in fetch_in(MonitoringPoint.objects.select_related("voltage_class"), "code",
                                              (r["point_code"] for r in rows if r.has("point_code")))}
        times = [r["measured_at"] for r in rows if r.has("measured_at")]
        periods = list(AbnormalPeriod.objects.filter(starts_at__lte=max(times), ends_at__gt=min(times))) if times \
            else []
        self.months: dict[tuple[int, date], _Month] = {}
        for row in rows:
            point = points.get(row["point_code"]) if row.has("point_code") else None
            if row.has("point_code") and point is None:
                row.error(_("there is no monitoring point with code “%(value)s”") % {"value": row["point_code"]})
            elif point is not None:
                self.check_office(row, point=point.code, offices=(point.office_id,))
            if row.errors or point is None or not row.has("measured_at", "volts"):
                continue
            self._add(row, point, periods)
        self._check_months(rows)
        self._decide(rows)

    def _add(self, row: Row, point: MonitoringPoint, periods: list[AbnormalPeriod]) -> None:
        at = row["measured_at"].astimezone(cells.SHANGHAI)
        month = date(at.year, at.month, 1)
        entry = self.months.get((point.pk, month))
        if entry is None:
            entry = self.months[(point.pk, month)] = _Month(point=point, month=month, line=row.line)
        abnormal = any(p.starts_at <= at < p.ends_at and p.office_id in (None, point.office_id) for p in periods)
        low, high = point.voltage_class.band(abnormal=abnormal)
        deviation = (row["volts"] - point.nominal) * HUNDRED / point.nominal
        span = row["minutes"]
        entry.monitored += span
        entry.abnormal += span if abnormal else 0
        entry.above += span if deviation > high else 0
        entry.below += span if deviation < low else 0
        entry.lines.append(row.line)
        row.entry = entry

    def _check_months(self, rows: list[Row]) -> None:
        for entry in self.months.values():
            most = minutes_in_month(entry.month)
            if entry.monitored > most:
                by_line = {row.line: row for row in rows}
                by_line[entry.lines[-1]].error(_(
                    "the readings of point “%(point)s” cover %(value)s minutes of %(month)s, which has %(most)s") % {
                    "point": entry.point.code, "value": entry.monitored, "month": f"{entry.month:%Y-%m}",
                    "most": most})

    def _decide(self, rows: list[Row]) -> None:
        existing = {}
        if self.months:
            months = [m for _point, m in self.months]
            for stored in fetch_in(VoltageMonth.objects.filter(month__range=(min(months), max(months))),
                                   "point_id", {point_id for point_id, _m in self.months}):
                existing[(stored.point_id, stored.month)] = stored
        for key, entry in self.months.items():
            entry.existing = existing.get(key)
            if entry.existing is None:
                entry.action = Row.CREATE
            else:
                same = all(getattr(entry.existing, k) == v for k, v in entry.values().items())
                same = same and entry.existing.source == VoltageMonth.Source.SAMPLES
                entry.action = Row.UNCHANGED if same else Row.UPDATE
        for row in rows:
            if not row.errors:
                entry = row.entry
                row.action = entry.action if row.line == entry.line else Row.UNCHANGED

    def write(self, rows: list[Row]) -> None:
        creates, updates = [], []
        for entry in self.months.values():
            if entry.action == Row.CREATE:
                creates.append(VoltageMonth(point=entry.point, month=entry.month,
                                            source=VoltageMonth.Source.SAMPLES, **entry.values()))
            elif entry.action == Row.UPDATE:
                for name, value in entry.values().items():
                    setattr(entry.existing, name, value)
                entry.existing.source = VoltageMonth.Source.SAMPLES
                updates.append(entry.existing)
        self.create_with_history(creates, VoltageMonth)
        self.report_writing(len(creates), len(self.months))
        self.update_with_history(updates, VoltageMonth, [*VALUE_FIELDS, "source"])
        self.report_writing(len(self.months), len(self.months))
