"""Payments, upserted on the transaction number (`reference`); afterwards the bill statuses of every customer
whose payments changed are refreshed (`bill_statuses_refresh`): bills are paid oldest first."""

from django.utils.translation import gettext as _

from supply_service.customers.imports import cells
from supply_service.customers.imports.base import Column, Importer, Row, chunked, fetch_in
from supply_service.customers.models import Customer, Payment, PaymentMethod
from supply_service.customers.services import bill_statuses_refresh, customers_arrears_paid


def _method_code(value, column: str) -> str:
    return cells.text(30)(value, column).lower()


class PaymentImporter(Importer):
    kind = "payments"
    columns = (
        Column("reference", cells.text(40)),
        Column("account_number", cells.account_number),
        Column("paid_at", cells.local_datetime),
        Column("amount", cells.decimal(max_digits=12, places=2, positive=True)),
        Column("method", _method_code),
    )

    def key(self, row: Row) -> tuple | None:
        return (row["reference"],) if row.has("reference") else None

    def duplicate_message(self, row: Row, first_line: int) -> str:
        return _("payment “%(value)s” is already on line %(line)s") % {"value": row["reference"], "line": first_line}

    def resolve(self, rows: list[Row]) -> None:
        customers = dict(fetch_in(Customer.objects.values_list("account_number", "pk"), "account_number",
                                  (r["account_number"] for r in rows if r.has("account_number"))))
        methods = dict(PaymentMethod.objects.values_list("code", "pk"))
        existing = {p.reference: p for p in fetch_in(Payment.objects.all(), "reference",
                                                     (r["reference"] for r in rows if r.has("reference")))}
        for row in rows:
            customer_id = method_id = None
            if row.has("account_number"):
                customer_id = customers.get(row["account_number"])
                if customer_id is None:
                    row.error(_("there is no customer with account number “%(value)s”") % {
                        "value": row["account_number"]})
            if row.has("method"):
                method_id = methods.get(row["method"])
                if method_id is None:
                    row.error(_("payment method “%(value)s” does not exist (the methods are: %(codes)s)") % {
                        "value": cells.shown(row["method"]), "codes": ", ".join(sorted(methods))})
            if row.errors:
                continue
            row.target = {"customer_id": customer_id, "paid_at": row["paid_at"], "amount": row["amount"],
                          "method_id": method_id}
            row.existing = existing.get(row["reference"])
            if row.existing is None:
                row.action = Row.CREATE
            else:
                row.changed = [name for name, value in row.target.items() if getattr(row.existing, name) != value]
                row.action = Row.UPDATE if row.changed else Row.UNCHANGED

    def write(self, rows: list[Row]) -> None:
        creates, updates, fields, affected = [], [], set(), set()
        for row in rows:
            affected.add(row.target["customer_id"])
            if row.action == Row.CREATE:
                creates.append(Payment(reference=row["reference"], **row.target))
            else:
                affected.add(row.existing.customer_id)  # a payment moved to another account leaves this one
                for name in row.changed:
                    setattr(row.existing, name, row.target[name])
                fields.update(name.removesuffix("_id") for name in row.changed)
                updates.append(row.existing)
        self.create_with_history(creates, Payment)
        self.report_writing(len(creates), len(rows))
        self.update_with_history(updates, Payment, fields)
        self.report_writing(len(rows), len(rows))
        for chunk in chunked(sorted(affected)):
            self.count("bill_statuses_refreshed", bill_statuses_refresh(customer_ids=chunk))
            self.count("reconnections_due", customers_arrears_paid(customer_ids=chunk))
