from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db.models import CharField

from supply_service.core.models import Policy
from supply_service.core.prepared import Bind, prepared

_VALUE = prepared(lambda: Policy.objects.filter(code=Bind("code", CharField())).values_list("value", flat=True))


def policy_value(code: str) -> Decimal:
    """A policy number by code (seeded by migration, edited by managers in the admin)."""
    found = _VALUE(code=code)  # one query; the statement is compiled once per process (core.prepared)
    if not found:
        raise ImproperlyConfigured(f"Policy {code!r} is missing: run the migrations")
    return found[0]


def policy_int(code: str) -> int:
    return int(policy_value(code))
