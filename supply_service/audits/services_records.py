"""Engagement records written outside the admin: the import of third-party satisfaction survey results (S12.2)."""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from supply_service.audits.models import SurveyResult
from supply_service.core.access import office_may_act
from supply_service.core.models import Office

MAX_BYTES = 1_000_000
COLUMNS = 7


def _row_error(number: int, message: str) -> str:
    return _("Line %(line)s: %(problem)s") % {"line": number, "problem": message}


def _parse_row(number: int, row: list[str], offices: dict[str, Office], by) -> tuple[dict | None, str]:
    if len(row) < COLUMNS - 1:
        return None, _row_error(number, _("expected office code, year, period, company, respondents, "
                                          "satisfaction and findings"))
    code, year, period, surveyor, respondents, satisfaction, *rest = [cell.strip() for cell in row]
    office = offices.get(code)
    if office is None:
        return None, _row_error(number, _("unknown office code %(code)s") % {"code": code[:20]})
    if not office_may_act(by, office):
        return None, _row_error(number, _("results of another office"))
    try:
        values = {"year": int(year), "respondents": int(respondents), "satisfaction": Decimal(satisfaction)}
    except (ValueError, InvalidOperation):
        return None, _row_error(number, _("year, respondents and satisfaction must be numbers"))
    if not (2000 <= values["year"] <= 2100 and values["respondents"] > 0 and 0 <= values["satisfaction"] <= 100
            and period and surveyor and len(period) <= 20 and len(surveyor) <= 160):
        return None, _row_error(number, _("a value is out of range"))
    return {"office": office, "period": period, "surveyor": surveyor, **values,
            "findings": (rest[0] if rest else "")[:4000]}, ""


def survey_results_import(*, data: bytes, by) -> int:
    """Import a CSV of survey results (UTF-8, a header line first); every line is checked before anything is
    written: one bad line and nothing is imported. A result already there (office, period, company) is updated."""
    if not by.has_perm("audits.add_surveyresult"):
        raise PermissionDenied
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is too large."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file is not UTF-8 text (save it as CSV UTF-8).")) from exc
    lines = list(csv.reader(io.StringIO(text)))[1:]
    offices = {o.code: o for o in Office.objects.all()}
    parsed, errors = [], []
    for number, row in enumerate(lines, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values, error = _parse_row(number, row, offices, by)
        (errors.append(error) if error else parsed.append(values))
    if errors:
        raise ValidationError(errors[:20])
    if not parsed:
        raise ValidationError(_("The file has no result lines."))
    with transaction.atomic():
        for values in parsed:
            key = {k: values.pop(k) for k in ("office", "period", "surveyor")}
            SurveyResult.objects.update_or_create(**key, defaults={**values, "imported_by": by})
    return len(parsed)
