"""Cell parsers and helpers the two voltage imports share."""

import calendar
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from supply_service.core.access import office_may_act
from supply_service.customers.imports import cells
from supply_service.customers.imports.base import Importer

MAX_MINUTES = 10**7
_whole = cells.decimal(max_digits=9, places=0)


def minutes(value: Any, column: str) -> int:
    """A whole, non-negative number of minutes."""
    number = int(_whole(value, column))
    if number > MAX_MINUTES:
        raise cells.CellError(_("%(column)s “%(value)s” is too large") % {"column": column,
                                                                        "value": cells.shown(value)})
    return number


def minutes_in_month(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1] * 24 * 60


class QualityImporter(Importer):
    """The customers app's importer, with this app's history reason and the office rule of `core.access`."""

    @property
    def change_reason(self) -> str:
        return f"quality.import_{self.kind}"

    def check_office(self, row, *, point: str, offices) -> None:
        """A row may touch only points of the importing user's office (or any, for who acts for every office): an
        error on the row otherwise. No user (a management command without --user): the system, every office."""
        if self.user is None:
            return
        if any(office is not None and not office_may_act(self.user, office) for office in offices):
            row.error(_("point “%(point)s” belongs to another office: only that office's staff may import its "
                        "figures") % {"point": point})


def point_category(value: Any, column: str) -> str:
    """A, B, C or D (any case)."""
    from supply_service.quality.models import MonitoringPoint

    result = cells.as_text(value).upper()
    if result not in MonitoringPoint.Category.values:
        raise cells.CellError(_("%(column)s “%(value)s” is not one of: %(choices)s") % {
            "column": column, "value": cells.shown(value), "choices": ", ".join(MonitoringPoint.Category.values)})
    return result
