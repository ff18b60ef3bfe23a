"""Customer accounts from the marketing system, upserted on the account number.

An optional column that is absent leaves the stored value alone; a column that is present is taken as given (an
empty cell means the default: no second phone, not disabled …). `feeder_code` and `area_code` go together: when
either is in the header, both the customer's feeder and transformer area come from the row. Feeders and areas
that do not exist yet are created (the feeder in the row's office, the area under the row's feeder).
"""

from typing import Any

from django.utils.translation import gettext as _

from supply_service.core.models import Office
from supply_service.customers.imports import cells
from supply_service.customers.imports.base import Column, Importer, Row, fetch_in
from supply_service.customers.models import Customer, Feeder, TransformerArea

PLAIN_FIELDS = (
    "name", "category", "voltage", "importance", "phone", "phone2", "email", "address", "is_disabled",
    "is_elderly_limited_mobility", "preferred_language", "notify_outages",
)
GRID_COLUMNS = ("feeder_code", "area_code")
GRID_NAMES = ("feeder_code", "feeder_name", "area_code", "area_name")


class _NewFeeder:
    def __init__(self, *, code: str, name: str, office: Office, line: int):
        self.code, self.name, self.office, self.line = code, name, office, line
        self.pk = None
        self.saved: Feeder | None = None


class _NewArea:
    def __init__(self, *, code: str, name: str, feeder, line: int):
        self.code, self.name, self.feeder, self.line = code, name, feeder, line
        self.pk = None
        self.saved: TransformerArea | None = None


def _same_fk(current_id: int | None, target) -> bool:
    if target is None:
        return current_id is None
    return target.pk is not None and target.pk == current_id


class CustomerImporter(Importer):
    kind = "customers"
    columns = (
        Column("account_number", cells.account_number),
        Column("name", cells.text(120)),
        Column("category", cells.choice(Customer.Category)),
        Column("voltage", cells.choice(Customer.Voltage)),
        Column("importance", cells.choice(Customer.Importance), required=False, blank=True,
               default=Customer.Importance.NONE),
        Column("phone", cells.phone, blank=True, default=""),
        Column("phone2", cells.phone, required=False, blank=True, default=""),
        Column("email", cells.email, required=False, blank=True, default=""),
        Column("address", cells.text(255)),
        Column("office_code", cells.text(20)),
        Column("feeder_code", cells.text(30), required=False, blank=True, default=""),
        Column("feeder_name", cells.text(120), required=False, blank=True, default=""),
        Column("area_code", cells.text(30), required=False, blank=True, default=""),
        Column("area_name", cells.text(120), required=False, blank=True, default=""),
        Column("is_disabled", cells.boolean, required=False, blank=True, default=False),
        Column("is_elderly_limited_mobility", cells.boolean, required=False, blank=True, default=False),
        Column("preferred_language", cells.choice(Customer.Language), required=False, blank=True,
               default=Customer.Language.ZH_HANS),
        Column("notify_outages", cells.boolean, required=False, blank=True, default=False),
    )

    def key(self, row: Row) -> tuple | None:
        return (row["account_number"],) if row.has("account_number") else None

    def duplicate_message(self, row: Row, first_line: int) -> str:
        return _("account number “%(value)s” is already on line %(line)s") % {
            "value": row["account_number"], "line": first_line,
        }

    def resolve(self, rows: list[Row]) -> None:
        self.existing = {
            c.account_number: c
            for c in fetch_in(Customer.objects.all(), "account_number", (r["account_number"] for r in rows
                                                                          if r.has("account_number")))
        }
        self.offices = {o.code: o for o in fetch_in(Office.objects.all(), "code", (r["office_code"] for r in rows
                                                                                     if r.has("office_code")))}
        self.grid = any(self.in_header(name) for name in GRID_COLUMNS)
        self.new_feeders: dict[str, _NewFeeder] = {}
        self.new_areas: dict[str, _NewArea] = {}
        if self.grid:
            self.feeders = {f.code: f for f in fetch_in(Feeder.objects.all(), "code",
                                                        (r.get("feeder_code") for r in rows if r.get("feeder_code")))}
            self.areas = {a.code: a for a in fetch_in(TransformerArea.objects.select_related("feeder"), "code",
                                                      (r.get("area_code") for r in rows if r.get("area_code")))}
        self.plain = [name for name in PLAIN_FIELDS if self.in_header(name)]
        for row in rows:
            office = None
            if row.has("office_code"):
                office = self.offices.get(row["office_code"])
                if office is None:
                    row.error(_("office “%(value)s” does not exist") % {"value": row["office_code"]})
            target: dict[str, Any] = {name: row[name] for name in self.plain if row.has(name)}
            if office is not None:
                target["office"] = office
            if self.grid:
                grid = self._grid(row, office)
                if grid is not None:
                    target["feeder"], target["transformer_area"] = grid
            if row.errors:
                continue
            row.target = target
            row.existing = self.existing.get(row["account_number"])
            if row.existing is None:
                row.action = Row.CREATE
            else:
                row.changed = self._changes(row.existing, target)
                row.action = Row.UPDATE if row.changed else Row.UNCHANGED

    def _changes(self, customer: Customer, target: dict[str, Any]) -> list[str]:
        changed = [name for name in self.plain if getattr(customer, name) != target[name]]
        for name in ("office", "feeder", "transformer_area"):
            if name in target and not _same_fk(getattr(customer, f"{name}_id"), target[name]):
                changed.append(name)
        return changed

    def _grid(self, row: Row, office: Office | None):
        """(feeder, area) of the row — existing rows or ones to create — or None after an error."""
        if any(self.in_header(name) and name not in row.values for name in GRID_NAMES):
            return None  # a bad code or name is already reported
        feeder_code, feeder_name = row.get("feeder_code", ""), row.get("feeder_name", "")
        area_code, area_name = row.get("area_code", ""), row.get("area_name", "")
        ok = True
        if feeder_name and not feeder_code:
            row.error(_("feeder_name is given without feeder_code"))
            ok = False
        if area_name and not area_code:
            row.error(_("area_name is given without area_code"))
            ok = False
        if not ok:
            return None
        feeder = None
        if feeder_code:
            feeder = self.feeders.get(feeder_code) or self.new_feeders.get(feeder_code)
            if feeder is None:
                if office is None:
                    return None
                feeder = self.new_feeders[feeder_code] = _NewFeeder(
                    code=feeder_code, name=feeder_name or feeder_code, office=office, line=row.line
                )
            elif isinstance(feeder, _NewFeeder) and feeder_name and feeder_name != feeder.name:
                row.error(_("feeder “%(code)s” is named “%(name)s” here but “%(first)s” on line %(line)s") % {
                    "code": feeder_code, "name": feeder_name, "first": feeder.name, "line": feeder.line,
                })
                return None
        area = None
        if area_code:
            area = self.areas.get(area_code) or self.new_areas.get(area_code)
            if area is None:
                if feeder is None:
                    row.error(_("transformer area “%(value)s” does not exist; give its feeder_code to create it")
                              % {"value": area_code})
                    return None
                area = self.new_areas[area_code] = _NewArea(
                    code=area_code, name=area_name or area_code, feeder=feeder, line=row.line
                )
            else:
                if feeder is not None and area.feeder.code != feeder.code:
                    row.error(_("transformer area “%(area)s” belongs to feeder “%(feeder)s”, not “%(given)s”") % {
                        "area": area_code, "feeder": area.feeder.code, "given": feeder_code,
                    })
                    return None
                if isinstance(area, _NewArea) and area_name and area_name != area.name:
                    row.error(_("transformer area “%(code)s” is named “%(name)s” here but “%(first)s” on line "
                                "%(line)s") % {"code": area_code, "name": area_name, "first": area.name,
                                               "line": area.line})
                    return None
                feeder = area.feeder
        return feeder, area

    def write(self, rows: list[Row]) -> None:
        feeders = self.create_with_history(
            [Feeder(code=f.code, name=f.name, office=f.office) for f in self.new_feeders.values()], Feeder
        )
        for saved in feeders:
            self.new_feeders[saved.code].saved = saved
        self.count("feeders_created", len(feeders))
        areas = self.create_with_history(
            [TransformerArea(code=a.code, name=a.name, feeder=self._saved(a.feeder)) for a in self.new_areas.values()],
            TransformerArea,
        )
        for saved in areas:
            self.new_areas[saved.code].saved = saved
        self.count("areas_created", len(areas))
        total = len(rows)
        creates, updates, fields = [], [], set()
        for row in rows:
            target = {name: self._saved(value) for name, value in row.target.items()}
            if row.action == Row.CREATE:
                creates.append(Customer(account_number=row["account_number"], **target))
            else:
                for name in row.changed:
                    setattr(row.existing, name, target[name])
                fields.update(row.changed)
                updates.append(row.existing)
        self.create_with_history(creates, Customer)
        self.report_writing(len(creates), total)
        self.update_with_history(updates, Customer, fields)
        self.report_writing(total, total)

    @staticmethod
    def _saved(value):
        return value.saved if isinstance(value, _NewFeeder | _NewArea) else value
