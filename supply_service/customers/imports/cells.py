"""Turning one cell of a CSV or XLSX file into a Python value, or a clear reason why not.

CSV cells arrive as `str`; XLSX cells as whatever openpyxl read (`str`, `int`, `float`, `bool`, `datetime`,
`date`, `time` or `None`). Every parser here takes either and raises `CellError` with a gettext message that names
the column and quotes the value.
"""

import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from supply_service.customers.models import account_number_validator, phone_validator

SHANGHAI = ZoneInfo("Asia/Shanghai")
_SHOWN = 40  # characters of a bad value quoted in a message
MIN_YEAR, MAX_YEAR = 1900, 2100  # a date outside is a typing error (and year 1 would overflow in UTC)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_DECIMAL_RE = re.compile(r"^[+-]?(\d+)(?:\.(\d+))?$")
_DATE_RE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_MONTH_RE = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_DATETIME_RE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_TRUE = {"1", "true", "yes", "y", "是"}
_FALSE = {"0", "false", "no", "n", "否"}
_email_validator = EmailValidator()


class CellError(Exception):
    """A cell that cannot become a value; `message` is ready to show (already translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def too_long(limit: int) -> str:
    return ngettext("%(column)s “%(value)s” is longer than %(max)s character",
                    "%(column)s “%(value)s” is longer than %(max)s characters", limit)


def shown(value: Any) -> str:
    """The value as quoted in a message (shortened)."""
    text = as_text(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def as_text(value: Any) -> str:
    """Any cell as the text a person sees: 3100000001 (an XLSX number) -> "3100000001"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time.min:
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def is_blank(value: Any) -> bool:
    return as_text(value) == ""


def has_control_character(value: Any) -> bool:
    """NUL and other invisible control characters (tab and line breaks are fine): never let them reach the
    database (PostgreSQL refuses NUL in text)."""
    return isinstance(value, str) and _CONTROL_RE.search(value) is not None


# --- parsers: (value, column) -> python value; raise CellError ---------------------------------------------------


def text(max_length: int) -> Callable[[Any, str], str]:
    def parse(value: Any, column: str) -> str:
        result = as_text(value)
        if len(result) > max_length:
            raise CellError(
                too_long(max_length) % {"column": column, "value": shown(value), "max": max_length}
            )
        return result

    return parse


def account_number(value: Any, column: str) -> str:
    result = as_text(value)
    try:
        account_number_validator(result)
    except ValidationError as exc:
        raise CellError(_("account number “%(value)s” is not 10 digits") % {"value": shown(value)}) from exc
    return result


def phone(value: Any, column: str) -> str:
    result = as_text(value)
    try:
        phone_validator(result)
    except ValidationError as exc:
        raise CellError(
            _("%(column)s “%(value)s” is not a phone number (6 to 20 digits and dashes)")
            % {"column": column, "value": shown(value)}
        ) from exc
    return result


def email(value: Any, column: str) -> str:
    result = as_text(value)
    try:
        _email_validator(result)
    except ValidationError as exc:
        raise CellError(
            _("%(column)s “%(value)s” is not an e-mail address") % {"column": column, "value": shown(value)}
        ) from exc
    if len(result) > 254:
        raise CellError(
            too_long(254) % {"column": column, "value": shown(value), "max": 254}
        )
    return result


def choice(choices) -> Callable[[Any, str], str]:
    """One of a TextChoices' values, case-insensitive ("220V" -> "220v")."""
    values = [str(v) for v in choices.values]

    def parse(value: Any, column: str) -> str:
        result = as_text(value).lower()
        if result not in values:
            raise CellError(
                _("%(column)s “%(value)s” is not one of: %(choices)s")
                % {"column": column, "value": shown(value), "choices": ", ".join(values)}
            )
        return result

    return parse


def boolean(value: Any, column: str) -> bool:
    result = as_text(value).lower()
    if result in _TRUE:
        return True
    if result in _FALSE:
        return False
    message = _("%(column)s “%(value)s” is not yes or no (1/0, true/false, 是/否)")
    raise CellError(message % {"column": column, "value": shown(value)})


def decimal(*, max_digits: int, places: int, positive: bool = False) -> Callable[[Any, str], Decimal]:
    """A plain decimal number ("1234.5"): no thousands separators, currency signs or exponents.
    Not negative; more than zero when `positive`; at most `places` decimal places; fits `max_digits`."""

    def parse(value: Any, column: str) -> Decimal:
        params = {"column": column, "value": shown(value)}
        if isinstance(value, bool):
            raise CellError(_("%(column)s “%(value)s” is not a number") % params)
        if isinstance(value, int | float):
            try:
                number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            except InvalidOperation as exc:
                raise CellError(_("%(column)s “%(value)s” is not a number") % params) from exc
            if not number.is_finite():
                raise CellError(_("%(column)s “%(value)s” is not a number") % params)
        else:
            raw = as_text(value)
            if not _DECIMAL_RE.match(raw):
                raise CellError(_("%(column)s “%(value)s” is not a number") % params)
            number = Decimal(raw)
        if number < 0:
            raise CellError(_("%(column)s “%(value)s” must not be negative") % params)
        if positive and number == 0:
            raise CellError(_("%(column)s “%(value)s” must be more than 0") % params)
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise CellError(
                ngettext("%(column)s “%(value)s” has more than %(places)s decimal place",
                         "%(column)s “%(value)s” has more than %(places)s decimal places", places)
                % {**params, "places": places}
            )
        if number.quantize(Decimal(1).scaleb(-places)).adjusted() >= max_digits - places:
            raise CellError(_("%(column)s “%(value)s” is too large") % params)
        return number.quantize(Decimal(1).scaleb(-places))

    return parse


def _plausible(day: date) -> bool:
    return MIN_YEAR <= day.year <= MAX_YEAR


def _date_from_parts(year: str, month: str, day: str) -> date | None:
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if _plausible(found) else None


def a_date(value: Any, column: str) -> date:
    """YYYY-MM-DD (or YYYY/M/D as Excel writes it); an XLSX date cell."""
    if isinstance(value, datetime):
        if value.time() == time.min and _plausible(value):
            return value.date()
    elif isinstance(value, date):
        if _plausible(value):
            return value
    else:
        match = _DATE_RE.match(as_text(value))
        found = _date_from_parts(*match.groups()) if match else None
        if found is not None:
            return found
    raise CellError(_("%(column)s “%(value)s” is not a date (YYYY-MM-DD)") % {"column": column, "value": shown(value)})


def month(value: Any, column: str) -> date:
    """YYYY-MM (or YYYY/M), or the first day of the month; an XLSX date cell gives its month. -> first day."""
    if isinstance(value, datetime | date):
        if _plausible(value):
            return date(value.year, value.month, 1)
        raw = ""
    else:
        raw = as_text(value)
    match = _MONTH_RE.match(raw)
    if match:
        found = _date_from_parts(*match.groups(), "1")
        if found is not None:
            return found
    match = _DATE_RE.match(raw)
    if match:
        found = _date_from_parts(*match.groups())
        if found is not None and found.day == 1:
            return found
    raise CellError(_("%(column)s “%(value)s” is not a month (YYYY-MM)") % {"column": column, "value": shown(value)})


def local_datetime(value: Any, column: str) -> datetime:
    """YYYY-MM-DD HH:MM[:SS] or YYYY-MM-DD (midnight), Asia/Shanghai; an XLSX date/time cell."""
    if isinstance(value, datetime):
        if _plausible(value):
            return value.replace(tzinfo=SHANGHAI) if value.tzinfo is None else value
    elif isinstance(value, date):
        if _plausible(value):
            return datetime.combine(value, time.min, tzinfo=SHANGHAI)
    elif match := _DATETIME_RE.match(as_text(value)):
        year, mon, day, hour, minute, second = match.groups()
        try:
            found = datetime(
                int(year), int(mon), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=SHANGHAI
            )
        except ValueError:
            found = None
        if found is not None and _plausible(found):
            return found
    message = _("%(column)s “%(value)s” is not a date and time (YYYY-MM-DD HH:MM)")
    raise CellError(message % {"column": column, "value": shown(value)})


def local_time(day: date, at: time) -> datetime:
    """A moment of an office's day (Asia/Shanghai)."""
    return datetime.combine(day, at, tzinfo=SHANGHAI)
