from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured

from supply_service.core.models import Policy


def policy_value(code: str) -> Decimal:
    """A policy number by code (seeded by migration, edited by managers in the admin)."""
    try:
        return Policy.objects.values_list("value", flat=True).get(code=code)
    except Policy.DoesNotExist as exc:
        raise ImproperlyConfigured(f"Policy {code!r} is missing: run the migrations") from exc


def policy_int(code: str) -> int:
    return int(policy_value(code))
