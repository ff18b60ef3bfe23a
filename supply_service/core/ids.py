"""Ids from outside (forms, URLs, query strings) are checked before they reach the database.

SQLite stores integers in 64 bits: a longer number (a 40-digit id typed into a form or a URL) makes the driver
raise OverflowError — a 500 — instead of "no such row". The rule, in three places:

- form fields: `IdModelChoiceField` / `IdModelMultipleChoiceField` (and `id_formfield_callback` for ModelForms)
  reject an id that is not an integer in the database's range with the field's own "not a valid choice" error;
- URLs: the `<id:pk>` converter matches only ids in range, anything else is a 404 before any query;
- queries: `register_lookups()` (called by the kernel's AppConfig) makes `in`, `range` and the lookups on foreign
  keys treat an out-of-range integer as matching nothing — as Django already does for `exact`/`lt`/`gt` on integer
  fields — so an id reaching a query another way (an admin filter such as `?customer=…`) cannot crash either.
"""

from django import forms
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections, models
from django.db.models.fields.related_lookups import (
    RelatedExact,
    RelatedGreaterThan,
    RelatedGreaterThanOrEqual,
    RelatedIn,
    RelatedLessThan,
    RelatedLessThanOrEqual,
)
from django.db.models.lookups import In, Range

# The widest integer column any supported database has (BIGINT / SQLite INTEGER).
ID_MIN = -(2**63)
ID_MAX = 2**63 - 1
ID_DIGITS_MAX = 19


# --- the range of a field -----------------------------------------------------------------------------------------


def _integer_target(field):
    """The integer field whose column holds the value (a foreign key's target), or None when it is not one."""
    while field is not None and getattr(field, "is_relation", False) and getattr(field, "target_field", None):
        if field.target_field is field:
            break
        field = field.target_field
    return field if isinstance(field, models.IntegerField | models.AutoField) else None


def field_range(field, connection=None) -> tuple[int, int] | None:
    """(min, max) of the column of `field` on `connection` (default database), None for a non-integer field."""
    target = _integer_target(field)
    if target is None:
        return None
    connection = connection or connections["default"]
    try:
        low, high = connection.ops.integer_field_range(target.get_internal_type())
    except KeyError:
        low, high = ID_MIN, ID_MAX
    return (ID_MIN if low is None else low, ID_MAX if high is None else high)


def parse_id(value, *, low: int = ID_MIN, high: int = ID_MAX) -> int | None:
    """The integer `value` stands for when it is one within [low, high]; None otherwise (never raises)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        digits = text[1:] if text[:1] in "+-" else text
        if not digits.isascii() or not digits.isdigit() or len(digits.lstrip("0")) > ID_DIGITS_MAX:
            return None
        number = int(text)
    return number if low <= number <= high else None


# --- form fields ----------------------------------------------------------------------------------------------------


class _IdCheck:
    """Checks each submitted id against the range of the queryset's key column before the queryset is asked."""

    def _key_field(self):
        model = self.queryset.model
        return model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk

    def _check_id(self, value, code: str, params: dict):
        if value in self.empty_values:
            return value
        bounds = field_range(self._key_field(), connections[self.queryset.db])
        if bounds is not None and parse_id(value, low=bounds[0], high=bounds[1]) is None:
            raise ValidationError(self.error_messages[code], code=code, params=params)
        return value


class IdModelChoiceField(_IdCheck, forms.ModelChoiceField):
    """A ModelChoiceField whose id is checked first: a huge or malformed one is "not a valid choice"."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, self.queryset.model):
            self._check_id(value, "invalid_choice", {"value": value})
        return super().to_python(value)


class IdModelMultipleChoiceField(_IdCheck, forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose ids are checked first (each must be an integer in the column's range)."""

    def _check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
        for pk in values:
            self._check_id(pk, "invalid_pk_value", {"pk": pk})
        return super()._check_values(value)


def id_formfield_callback(db_field, **kwargs):
    """`formfield_callback` for ModelForms: foreign keys and many-to-many fields get the checked id fields."""
    if isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", IdModelChoiceField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", IdModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


# --- URLs -------------------------------------------------------------------------------------------------------------


class IdConverter:
    """`<id:pk>`: a positive database id. Anything longer or larger does not match (404 before any query)."""

    regex = r"[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value, low=1, high=ID_MAX)
        if number is None:
            raise ValueError(value)  # the resolver treats it as no match: 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def register_converter() -> None:
    from django.urls import register_converter as register
    from django.urls.converters import get_converters

    if "id" not in get_converters():
        register(IdConverter, "id")


# --- queries ----------------------------------------------------------------------------------------------------------


class _OutOfRangeMatchesNothing:
    """`in` / `range`: values outside the column's range are dropped (they match no row); none left → empty."""

    def _bounds(self, connection):
        return field_range(getattr(self.lhs, "output_field", None), connection)

    def _in_range(self, value, bounds) -> bool:
        return not isinstance(value, int) or isinstance(value, bool) or bounds[0] <= value <= bounds[1]


class SafeIn(_OutOfRangeMatchesNothing, In):
    def process_rhs(self, compiler, connection):
        bounds = self._bounds(connection)
        if bounds is not None and self.rhs_is_direct_value() and not hasattr(self.rhs, "resolve_expression"):
            kept = [value for value in self.rhs if self._in_range(value, bounds)]
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)


class SafeRange(_OutOfRangeMatchesNothing, Range):
    def process_rhs(self, compiler, connection):
        bounds = self._bounds(connection)
        if bounds is not None and self.rhs_is_direct_value() and isinstance(self.rhs, list | tuple):
            low, high = self.rhs
            if isinstance(low, int) and isinstance(high, int):
                if low > bounds[1] or high < bounds[0] or low > high:
                    raise EmptyResultSet
                self.rhs = (max(low, bounds[0]), min(high, bounds[1]))
        return super().process_rhs(compiler, connection)


class _RelatedOverflow:
    """Foreign-key comparisons with an out-of-range integer: like Django's IntegerFieldOverflow for plain fields."""

    underflow_exception = EmptyResultSet
    overflow_exception = EmptyResultSet

    def process_rhs(self, compiler, connection):
        bounds = field_range(getattr(self.lhs, "output_field", None), connection)
        if bounds is not None and isinstance(self.rhs, int) and not isinstance(self.rhs, bool):
            if self.rhs < bounds[0]:
                raise self.underflow_exception
            if self.rhs > bounds[1]:
                raise self.overflow_exception
        return super().process_rhs(compiler, connection)


class SafeRelatedExact(_RelatedOverflow, RelatedExact):
    pass


class SafeRelatedIn(RelatedIn):
    def process_rhs(self, compiler, connection):
        bounds = field_range(getattr(self.lhs, "output_field", None), connection)
        if bounds is not None and self.rhs_is_direct_value() and not hasattr(self.rhs, "resolve_expression"):
            kept = [v for v in self.rhs if not isinstance(v, int) or isinstance(v, bool) or bounds[0] <= v <= bounds[1]]
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)


def register_lookups() -> None:
    """Make every integer column and foreign key safe against out-of-range ids (idempotent)."""
    models.IntegerField.register_lookup(SafeIn)
    models.IntegerField.register_lookup(SafeRange)
    models.ForeignKey.register_lookup(SafeRelatedExact)
    models.ForeignKey.register_lookup(SafeRelatedIn)
    for base in (RelatedLessThan, RelatedLessThanOrEqual, RelatedGreaterThan, RelatedGreaterThanOrEqual):
        models.ForeignKey.register_lookup(_clamped(base))


def _clamped(base):
    """lt/lte/gt/gte on a foreign key: a bound past the column's range is everything or nothing, never an error."""
    upper = base in (RelatedLessThan, RelatedLessThanOrEqual)  # "below a bound"

    class Clamped(base):
        def process_rhs(self, compiler, connection):
            bounds = field_range(getattr(self.lhs, "output_field", None), connection)
            if bounds is not None and isinstance(self.rhs, int) and not isinstance(self.rhs, bool):
                if self.rhs > bounds[1]:
                    if not upper:
                        raise EmptyResultSet
                    self.rhs = bounds[1]
                elif self.rhs < bounds[0]:
                    if upper:
                        raise EmptyResultSet
                    self.rhs = bounds[0]
            return super().process_rhs(compiler, connection)

    Clamped.__name__ = f"Safe{base.__name__}"
    Clamped.lookup_name = base.lookup_name
    return Clamped
