from decimal import Decimal

from asgiref.local import Local
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_finished, request_started
from django.db.models import CharField
from django.db.models.signals import post_delete, post_save

from supply_service.core.models import Policy
from supply_service.core.prepared import Bind, prepared
from supply_service.core.together import run

_VALUE = prepared(lambda: Policy.objects.filter(code=Bind("code", CharField())).values_list("value", flat=True))

# Within one request a policy is read once (the kiosk's account page asked for `kiosk_finished_days` from two apps):
# remembered from the request's start to its end, in the request's own thread or task — never across requests (an
# edit applies to the next one) and never outside a request (tasks and commands read the table every time).
_REQUEST = Local()


def policy_value(code: str) -> Decimal:
    """A policy number by code (seeded by migration, edited by managers in the admin); one query (compiled once
    per process: core.prepared), none when the request has read it already."""
    return run(policy_value_reads(code))


def policy_value_reads(code: str):
    """`policy_value` as a generator of its read (`core.together`): none when the request has read it already."""
    memo = getattr(_REQUEST, "values", None)
    if memo is not None and code in memo:
        return memo[code]
    return _remember(code, (yield _VALUE.read(code=code)))


def _remember(code: str, found: list) -> Decimal:
    memo = getattr(_REQUEST, "values", None)
    if not found:
        raise ImproperlyConfigured(f"Policy {code!r} is missing: run the migrations")
    if memo is not None:
        memo[code] = found[0]
    return found[0]


def policy_int(code: str) -> int:
    return int(policy_value(code))


def policy_int_reads(code: str):
    return int((yield from policy_value_reads(code)))


def _request_began(**kwargs) -> None:
    _REQUEST.values = {}


def _request_ended(**kwargs) -> None:
    _REQUEST.values = None


def _policy_changed(**kwargs) -> None:
    if getattr(_REQUEST, "values", None) is not None:
        _REQUEST.values = {}  # changed in this request (the admin): read anew


request_started.connect(_request_began, dispatch_uid="core.policy.request_began")
request_finished.connect(_request_ended, dispatch_uid="core.policy.request_ended")
post_save.connect(_policy_changed, sender=Policy, dispatch_uid="core.policy.changed")
post_delete.connect(_policy_changed, sender=Policy, dispatch_uid="core.policy.deleted")
