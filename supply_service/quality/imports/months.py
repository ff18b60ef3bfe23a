"""Monthly voltage figures per monitoring point, upserted on (point, month).

Point columns (`point_name`, `category`, `voltage_class`, `office_code`, `account_number`, `area_code`) describe
the point: required for a point that does not exist yet (name, class, voltage class, office; a customer or a
transformer area, not both), and when given for a stored point they update it. Rows of one point must agree.
"""

from django.utils.translation import gettext as _

from supply_service.core.models import Office
from supply_service.customers.imports import cells
from supply_service.customers.imports.base import Column, Row, RowError, fetch_in
from supply_service.customers.models import Customer, TransformerArea
from supply_service.quality.imports.common import QualityImporter, minutes, minutes_in_month, point_category
from supply_service.quality.models import MonitoringPoint, VoltageClass, VoltageMonth

NEW_POINT_NEEDS = ("point_name", "category", "voltage_class", "office_code")
VALUE_FIELDS = ("minutes_monitored", "minutes_above", "minutes_below")


class _PointPlan:
    def __init__(self, *, code: str, line: int, stored: MonitoringPoint | None):
        self.code, self.line, self.stored = code, line, stored
        self.fields: dict[str, object] = {}  # model field -> value
        self.lines: dict[str, int] = {}
        self.saved = stored

    def changes(self) -> dict[str, object]:
        if self.stored is None:
            return dict(self.fields)
        return {k: v for k, v in self.fields.items() if getattr(self.stored, k) != v}


class VoltageMonthImporter(QualityImporter):
    kind = "voltage_months"
    columns = (
        Column("point_code", cells.text(30)),
        Column("month", cells.month),
        Column("minutes_monitored", minutes),
        Column("minutes_above", minutes),
        Column("minutes_below", minutes),
        Column("point_name", cells.text(120), required=False, blank=True, default=""),
        Column("category", point_category, required=False, blank=True, default=""),
        Column("voltage_class", cells.text(20), required=False, blank=True, default=""),
        Column("office_code", cells.text(20), required=False, blank=True, default=""),
        Column("account_number", cells.account_number, required=False, blank=True, default=""),
        Column("area_code", cells.text(30), required=False, blank=True, default=""),
    )

    def key(self, row: Row) -> tuple | None:
        return (row["point_code"], row["month"]) if row.has("point_code", "month") else None

    def duplicate_message(self, row: Row, first_line: int) -> str:
        return _("the figures of point “%(point)s” for %(month)s are already on line %(line)s") % {
            "point": row["point_code"], "month": f"{row['month']:%Y-%m}", "line": first_line}

    def _lookups(self, rows: list[Row]) -> None:
        def given(name):
            return (r[name] for r in rows if r.get(name))

        self.points = {p.code: p for p in fetch_in(MonitoringPoint.objects.all(), "code",
                                                   (r["point_code"] for r in rows if r.has("point_code")))}
        self.classes = {c.code: c for c in VoltageClass.objects.all()}
        self.offices = {o.code: o for o in fetch_in(Office.objects.all(), "code", given("office_code"))}
        self.customers = {c.account_number: c for c in fetch_in(Customer.objects.all(), "account_number",
                                                                given("account_number"))}
        self.areas = {a.code: a for a in fetch_in(TransformerArea.objects.select_related("feeder"), "code",
                                                  given("area_code"))}
        months = [r["month"] for r in rows if r.has("month")]
        self.existing: dict[tuple[int, object], VoltageMonth] = {}
        if self.points and months:
            for row in fetch_in(VoltageMonth.objects.filter(month__range=(min(months), max(months))), "point_id",
                                [p.pk for p in self.points.values()]):
                self.existing[(row.point_id, row.month)] = row

    def resolve(self, rows: list[Row]) -> None:
        self._lookups(rows)
        self.plans: dict[str, _PointPlan] = {}
        for row in rows:
            self._check_minutes(row)
            fields = self._point_fields(row)
            plan = self._plan(row, fields) if row.has("point_code") and fields is not None else None
            if plan is not None:
                self.check_office(row, point=plan.code, offices=(fields.get("office"),
                                                                 plan.stored.office_id if plan.stored else None))
            if row.errors or plan is None:
                continue
            row.plan = plan
            row.existing = self.existing.get((plan.stored.pk, row["month"])) if plan.stored else None
            if row.existing is None:
                row.action = Row.CREATE
            else:
                row.changed = [f for f in VALUE_FIELDS if getattr(row.existing, f) != row[f]]
                if row.existing.source != VoltageMonth.Source.MONTHLY:
                    row.changed.append("source")
                row.action = Row.UPDATE if row.changed else Row.UNCHANGED
        for plan in self.plans.values():
            self._check_new_point(plan)

    def _check_minutes(self, row: Row) -> None:
        if not row.has("month", *VALUE_FIELDS):
            return
        most = minutes_in_month(row["month"])
        if row["minutes_monitored"] > most:
            row.error(_("minutes_monitored %(value)s is more than the %(most)s minutes of %(month)s") % {
                "value": row["minutes_monitored"], "most": most, "month": f"{row['month']:%Y-%m}"})
        if row["minutes_above"] + row["minutes_below"] > row["minutes_monitored"]:
            row.error(_("minutes_above and minutes_below together are more than minutes_monitored"))

    def _point_fields(self, row: Row) -> dict | None:
        """The point's fields this row gives (model field -> value), None when one of them is wrong."""
        fields, ok = {}, True
        if row.get("point_name"):
            fields["name"] = row["point_name"]
        if row.get("category"):
            fields["category"] = row["category"]
        ok &= self._ref(row, fields, "voltage_class", self.classes, "voltage_class",
                        _("there is no voltage class “%(value)s” (the classes are: %(known)s)"))
        ok &= self._ref(row, fields, "office_code", self.offices, "office",
                        _("there is no office with code “%(value)s”"))
        ok &= self._ref(row, fields, "account_number", self.customers, "customer",
                        _("there is no customer with account number “%(value)s”"))
        ok &= self._ref(row, fields, "area_code", self.areas, "transformer_area",
                        _("there is no transformer area with code “%(value)s”"))
        if fields.get("customer") and fields.get("transformer_area"):
            row.error(_("a point is at a customer or in a transformer area: give account_number or area_code, "
                        "not both"))
            ok = False
        if "customer" in fields and "transformer_area" not in fields:
            fields["transformer_area"] = None
        elif "transformer_area" in fields and "customer" not in fields:
            fields["customer"] = None
        return fields if ok else None

    def _ref(self, row: Row, fields: dict, column: str, known: dict, field: str, message: str) -> bool:
        value = row.get(column)
        if not value:
            return True
        if value not in known:
            row.error(message % {"value": value, "known": ", ".join(sorted(known))})
            return False
        fields[field] = known[value]
        return True

    def _plan(self, row: Row, fields: dict) -> _PointPlan | None:
        code = row["point_code"]
        plan = self.plans.get(code)
        if plan is None:
            plan = self.plans[code] = _PointPlan(code=code, line=row.line, stored=self.points.get(code))
        for name, value in fields.items():
            if name in plan.fields and plan.fields[name] != value:
                row.error(_("point “%(point)s” is described differently on line %(line)s (%(field)s)") % {
                    "point": code, "line": plan.lines[name], "field": name})
                return None
            plan.fields.setdefault(name, value)
            plan.lines.setdefault(name, row.line)
        return plan

    def _check_new_point(self, plan: _PointPlan) -> None:
        if plan.stored is not None:
            return
        fields = {"point_name": "name", "category": "category", "voltage_class": "voltage_class",
                  "office_code": "office"}
        missing = [column for column in NEW_POINT_NEEDS if fields[column] not in plan.fields]
        if missing:
            self.file_errors.append(RowError(plan.line, _(
                "point “%(point)s” does not exist; give its %(columns)s to create it") % {
                "point": plan.code, "columns": ", ".join(missing)}))

    def write(self, rows: list[Row]) -> None:
        self._write_points()
        creates, updates, fields = [], [], set()
        for row in rows:
            values = {name: row[name] for name in VALUE_FIELDS}
            if row.action == Row.CREATE:
                creates.append(VoltageMonth(point=row.plan.saved, month=row["month"],
                                            source=VoltageMonth.Source.MONTHLY, abnormal_minutes=0, **values))
            else:
                for name in row.changed:
                    setattr(row.existing, name, values.get(name, VoltageMonth.Source.MONTHLY))
                fields.update(row.changed)
                updates.append(row.existing)
        self.create_with_history(creates, VoltageMonth)
        self.report_writing(len(creates), len(rows))
        self.update_with_history(updates, VoltageMonth, fields)
        self.report_writing(len(rows), len(rows))

    def _write_points(self) -> None:
        new = [p for p in self.plans.values() if p.stored is None]
        created = self.create_with_history([MonitoringPoint(code=p.code, **p.changes()) for p in new],
                                           MonitoringPoint)
        by_code = {p.code: p for p in created}
        for plan in new:
            plan.saved = by_code[plan.code]
        self.count("points_created", len(created))
        changed, names = [], set()
        for plan in self.plans.values():
            if plan.stored is not None and (changes := plan.changes()):
                for name, value in changes.items():
                    setattr(plan.stored, name, value)
                names.update(changes)
                changed.append(plan.stored)
        self.update_with_history(changed, MonitoringPoint, names)
        self.count("points_updated", len(changed))
