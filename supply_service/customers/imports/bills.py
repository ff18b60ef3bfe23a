"""Monthly bills, upserted on (customer, month).

With a `status` column the statuses are taken as given (an empty cell: issued). Without it, new bills start
issued, stored bills keep their status, and the statuses of the customers whose bills changed are refreshed from
their payments afterwards (`bill_statuses_refresh`).
"""

from django.utils.translation import gettext as _

from supply_service.customers.imports import cells
from supply_service.customers.imports.base import Column, Importer, Row, chunked, fetch_in
from supply_service.customers.models import Bill, Customer
from supply_service.customers.services import bill_statuses_refresh

VALUE_FIELDS = ("kwh", "amount", "due_date")


class BillImporter(Importer):
    kind = "bills"
    columns = (
        Column("account_number", cells.account_number),
        Column("period", cells.month),
        Column("kwh", cells.decimal(max_digits=14, places=2)),
        Column("amount", cells.decimal(max_digits=12, places=2)),
        Column("due_date", cells.a_date),
        Column("status", cells.choice(Bill.Status), required=False, blank=True, default=Bill.Status.ISSUED),
    )

    def key(self, row: Row) -> tuple | None:
        return (row["account_number"], row["period"]) if row.has("account_number", "period") else None

    def duplicate_message(self, row: Row, first_line: int) -> str:
        return _("the bill of account number “%(value)s” for %(period)s is already on line %(line)s") % {
            "value": row["account_number"], "period": f"{row['period']:%Y-%m}", "line": first_line,
        }

    def resolve(self, rows: list[Row]) -> None:
        customers = dict(fetch_in(Customer.objects.values_list("account_number", "pk"), "account_number",
                                  (r["account_number"] for r in rows if r.has("account_number"))))
        periods = [r["period"] for r in rows if r.has("period")]
        existing: dict[tuple[int, object], Bill] = {}
        if customers and periods:
            for chunk in chunked(sorted(set(customers.values()))):
                for bill in Bill.objects.filter(customer_id__in=chunk, period__range=(min(periods), max(periods))):
                    existing[(bill.customer_id, bill.period)] = bill
        self.fields = [*VALUE_FIELDS, "status"] if self.in_header("status") else list(VALUE_FIELDS)
        for row in rows:
            customer_id = None
            if row.has("account_number"):
                customer_id = customers.get(row["account_number"])
                if customer_id is None:
                    row.error(_("there is no customer with account number “%(value)s”") % {
                        "value": row["account_number"]})
            if row.has("period", "due_date") and row["due_date"] < row["period"]:
                row.error(_("due_date %(due)s is before the billed month %(period)s") % {
                    "due": row["due_date"].isoformat(), "period": f"{row['period']:%Y-%m}"})
            if row.errors:
                continue
            row.customer_id = customer_id
            row.existing = existing.get((customer_id, row["period"]))
            if row.existing is None:
                row.action = Row.CREATE
            else:
                row.changed = [name for name in self.fields if getattr(row.existing, name) != row[name]]
                row.action = Row.UPDATE if row.changed else Row.UNCHANGED

    def write(self, rows: list[Row]) -> None:
        creates, updates, fields = [], [], set()
        for row in rows:
            values = {name: row[name] for name in self.fields}
            if row.action == Row.CREATE:
                creates.append(Bill(customer_id=row.customer_id, period=row["period"], **values))
            else:
                for name in row.changed:
                    setattr(row.existing, name, values[name])
                fields.update(row.changed)
                updates.append(row.existing)
        self.create_with_history(creates, Bill)
        self.report_writing(len(creates), len(rows))
        self.update_with_history(updates, Bill, fields)
        self.report_writing(len(rows), len(rows))
        if not self.in_header("status"):
            affected = sorted({row.customer_id for row in rows})
            for chunk in chunked(affected):
                self.count("bill_statuses_refreshed", bill_statuses_refresh(customer_ids=chunk))
