"""Scheduled meter readings (S10.2.3), upserted on (meter, scheduled date).

A meter that does not exist is created for the row's customer (its `installed_on` is needed then); a stored meter
takes the type and installation date the file gives. `read_on` and `value` go together; empty, they leave a
recorded reading alone (an import never un-records one). Every new reading starts its `meter_reading` clock at
00:00 of the scheduled day; a reading recorded for the first time stops it at 12:00 of the reading day — a day
late is a breach.

Speed: the clocks of new readings are written in bulk by the kernel's `sla_record_many` (one calendar look-up,
`bulk_create_with_history`); only a stored reading read for the first time is stopped one by one (`sla_stop`).
"""

from datetime import time

from django.utils.translation import gettext as _

from supply_service.core.services.sla import sla_record_many, sla_stop
from supply_service.customers.imports import cells
from supply_service.customers.imports.base import Column, Importer, Row, RowError, chunked, fetch_in
from supply_service.customers.models import Customer, Meter, MeterReading

COMMITMENT = "meter_reading"
CLOCK_STARTS = time(0, 0)
CLOCK_STOPS = time(12, 0)
METER_FIELDS = {"meter_type": "kind", "installed_on": "installed_on"}


class _MeterPlan:
    """What the file says about one meter, and from which line."""

    def __init__(self, *, number: str, customer: Customer, line: int, stored: Meter | None):
        self.number, self.customer, self.line, self.stored = number, customer, line, stored
        self.given: dict[str, tuple[object, int]] = {}  # column -> (value, line)
        self.saved: Meter | None = stored

    def changes(self) -> dict[str, object]:
        values = {METER_FIELDS[column]: value for column, (value, _line) in self.given.items()}
        if self.stored is None:
            return values
        return {name: value for name, value in values.items() if getattr(self.stored, name) != value}


class ReadingImporter(Importer):
    kind = "readings"
    columns = (
        Column("meter_number", cells.text(30)),
        Column("account_number", cells.account_number),
        Column("scheduled_on", cells.a_date),
        Column("read_on", cells.a_date, required=False, blank=True),
        Column("value", cells.decimal(max_digits=14, places=2), required=False, blank=True),
        Column("meter_type", cells.choice(Meter.Kind), required=False, blank=True),
        Column("installed_on", cells.a_date, required=False, blank=True),
    )

    def key(self, row: Row) -> tuple | None:
        return (row["meter_number"], row["scheduled_on"]) if row.has("meter_number", "scheduled_on") else None

    def duplicate_message(self, row: Row, first_line: int) -> str:
        return _("the reading of meter “%(meter)s” scheduled on %(day)s is already on line %(line)s") % {
            "meter": row["meter_number"], "day": row["scheduled_on"].isoformat(), "line": first_line,
        }

    def resolve(self, rows: list[Row]) -> None:
        customers = {c.account_number: c for c in fetch_in(
            Customer.objects.select_related("office"), "account_number",
            (r["account_number"] for r in rows if r.has("account_number")))}
        meters = {m.number: m for m in fetch_in(
            Meter.objects.select_related("customer"), "number", (r["meter_number"] for r in rows
                                                                 if r.has("meter_number")))}
        days = [r["scheduled_on"] for r in rows if r.has("scheduled_on")]
        existing: dict[tuple[int, object], MeterReading] = {}
        if meters and days:
            for chunk in chunked(sorted(m.pk for m in meters.values())):
                for reading in MeterReading.objects.filter(meter_id__in=chunk, scheduled_on__range=(min(days),
                                                                                                      max(days))):
                    existing[(reading.meter_id, reading.scheduled_on)] = reading
        self.plans: dict[str, _MeterPlan] = {}
        for row in rows:
            customer = None
            if row.has("account_number"):
                customer = customers.get(row["account_number"])
                if customer is None:
                    row.error(_("there is no customer with account number “%(value)s”") % {
                        "value": row["account_number"]})
            self._check_reading(row)
            plan = self._plan(row, customer, meters.get(row["meter_number"])) if row.has("meter_number") else None
            if row.errors or plan is None:
                continue
            row.plan = plan
            row.existing = existing.get((plan.stored.pk, row["scheduled_on"])) if plan.stored else None
            row.first_read = False
            if row.existing is None:
                row.action = Row.CREATE
                continue
            row.changed = [name for name in ("read_on", "value")
                           if row.get(name) is not None and getattr(row.existing, name) != row[name]]
            row.first_read = row.existing.read_on is None and row.get("read_on") is not None
            row.action = Row.UPDATE if row.changed else Row.UNCHANGED
        for plan in self.plans.values():
            if plan.stored is None and "installed_on" not in plan.given:
                self.file_errors.append(RowError(plan.line, _(
                    "meter “%(value)s” does not exist; give its installed_on to create it") % {"value": plan.number}))

    def _check_reading(self, row: Row) -> None:
        read_on, value = row.get("read_on"), row.get("value")
        parsed = all(name in row.values or not self.in_header(name) for name in ("read_on", "value"))
        if parsed and (read_on is None) != (value is None):
            row.error(_("read_on and value go together: give both or neither"))
        if read_on is not None and row.has("scheduled_on") and read_on < row["scheduled_on"]:
            row.error(_("read_on %(read)s is before scheduled_on %(scheduled)s") % {
                "read": read_on.isoformat(), "scheduled": row["scheduled_on"].isoformat()})

    def _plan(self, row: Row, customer: Customer | None, stored: Meter | None) -> _MeterPlan | None:
        number = row["meter_number"]
        if stored is not None and customer is not None and stored.customer_id != customer.pk:
            row.error(_("meter “%(meter)s” belongs to another customer (%(account)s)") % {
                "meter": number, "account": stored.customer.account_number})
            return None
        plan = self.plans.get(number)
        if plan is None:
            if customer is None:
                return None
            plan = self.plans[number] = _MeterPlan(number=number, customer=customer, line=row.line, stored=stored)
        elif customer is not None and plan.customer.pk != customer.pk:
            row.error(_("meter “%(meter)s” is given for account number %(account)s on line %(line)s") % {
                "meter": number, "account": plan.customer.account_number, "line": plan.line})
            return None
        for column in METER_FIELDS:
            value = row.get(column)
            if value is None:
                continue
            if column in plan.given and plan.given[column][0] != value:
                first, line = plan.given[column]
                row.error(_("meter “%(meter)s” is given %(column)s “%(first)s” on line %(line)s") % {
                    "meter": number, "column": column, "first": cells.as_text(first), "line": line})
                return None
            plan.given.setdefault(column, (value, row.line))
        return plan

    def write(self, rows: list[Row]) -> None:
        new_meters = [p for p in self.plans.values() if p.stored is None]
        created = self.create_with_history(
            [Meter(number=p.number, customer=p.customer, **p.changes()) for p in new_meters], Meter
        )
        by_number = {m.number: m for m in created}
        for plan in new_meters:
            plan.saved = by_number[plan.number]
        self.count("meters_created", len(created))
        changed_meters, meter_fields = [], set()
        for plan in self.plans.values():
            if plan.stored is not None and (changes := plan.changes()):
                for name, value in changes.items():
                    setattr(plan.stored, name, value)
                meter_fields.update(changes)
                changed_meters.append(plan.stored)
        self.update_with_history(changed_meters, Meter, meter_fields)
        self.count("meters_updated", len(changed_meters))

        creates, updates, fields = [], [], set()
        for row in rows:
            if row.action == Row.CREATE:
                creates.append(MeterReading(meter=row.plan.saved, scheduled_on=row["scheduled_on"],
                                            read_on=row.get("read_on"), value=row.get("value")))
            else:
                for name in row.changed:
                    setattr(row.existing, name, row[name])
                fields.update(row.changed)
                updates.append(row.existing)
        created_readings = self.create_with_history(creates, MeterReading)
        self.update_with_history(updates, MeterReading, fields)
        self._clocks(rows, created_readings)

    def _clocks(self, rows: list[Row], created: list[MeterReading]) -> None:
        meters = {plan.saved.pk: plan for plan in self.plans.values()}
        started = stopped = 0
        total = len(rows)
        items = []
        for reading in created:
            plan = meters[reading.meter_id]
            reading.meter = plan.saved
            stop = cells.local_time(reading.read_on, CLOCK_STOPS) if reading.read_on is not None else None
            items.append((reading, cells.local_time(reading.scheduled_on, CLOCK_STARTS), stop, plan.customer.office))
            stopped += stop is not None
        started = sla_record_many(commitment=COMMITMENT, items=items)
        self.report_writing(len(created), total)
        for row in rows:
            if row.action == Row.UPDATE and row.first_read:
                sla_stop(subject=row.existing, commitment=COMMITMENT,
                         at=cells.local_time(row["read_on"], CLOCK_STOPS))
                stopped += 1
        self.report_writing(total, total)
        self.count("clocks_started", started)
        self.count("clocks_stopped", stopped)
