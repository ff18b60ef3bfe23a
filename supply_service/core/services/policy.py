from decimal import Decimal

from asgiref.local import Local
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_finished, request_started
from django.db.models import CharField
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save

from supply_service.core.models import Policy
from supply_service.core.prepared import Bind, prepared
from supply_service.core.together import run

_VALUE = prepared(lambda: Policy.objects.filter(code=Bind("code", CharField())).values_list("value", flat=True))
# The whole table as text, turned into a number only when asked for (Django's decimal converter on forty values cost
# more than the statement).
_ALL = prepared(lambda: Policy.objects.order_by().values_list("code", Cast("value", CharField())))
_PLACES = Decimal(1).scaleb(-Policy._meta.get_field("value").decimal_places)  # as Django gives the field: 0.01

# Within one request the policies are read once, all of them in one statement the first time one is asked for (the
# table holds a few dozen numbers; a kiosk page asked for two, a home for three — each its own statement, and on
# PostgreSQL a read depending on a policy waited for a second round trip): remembered from the request's start to
# its end, in the request's own thread or task — never across requests (an edit applies to the next one) and never
# outside a request (tasks and commands read the one policy they need, every time).
_REQUEST = Local()


def policy_value(code: str) -> Decimal:
    """A policy number by code (seeded by migration, edited by managers in the admin); one query (compiled once
    per process: core.prepared), none when the request has read the policies already."""
    return run(policy_value_reads(code))


def policy_value_reads(code: str):
    """`policy_value` as a generator of its read (`core.together`): none when the request has read the policies
    already (then it yields nothing: a selector waiting for it sends its own reads in the same round)."""
    memo = getattr(_REQUEST, "values", None)
    if memo is None:  # outside a request: this one policy
        return _one(code, (yield _VALUE.read(code=code)))
    if not memo:
        memo.update((yield _ALL.read()))
    value = memo.get(code)
    if value is None:
        raise ImproperlyConfigured(f"Policy {code!r} is missing: run the migrations")
    if type(value) is str:
        value = memo[code] = Decimal(value).quantize(_PLACES)
    return value


def _one(code: str, found: list) -> Decimal:
    if not found:
        raise ImproperlyConfigured(f"Policy {code!r} is missing: run the migrations")
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
