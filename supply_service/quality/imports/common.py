"""Cell parsers and helpers the two voltage imports share."""

import calendar
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

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
    """The customers app's importer, with this app's history reason."""

    @property
    def change_reason(self) -> str:
        return f"quality.import_{self.kind}"


def point_category(value: Any, column: str) -> str:
    """A, B, C or D (any case)."""
    from supply_service.quality.models import MonitoringPoint

    result = cells.as_text(value).upper()
    if result not in MonitoringPoint.Category.values:
        raise cells.CellError(_("%(column)s “%(value)s” is not one of: %(choices)s") % {
            "column": column, "value": cells.shown(value), "choices": ", ".join(MonitoringPoint.Category.values)})
    return result
