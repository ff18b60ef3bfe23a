"""A policy is read once per request, never remembered across requests or outside one (issue 12)."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from supply_service.core.models import Policy
from supply_service.core.services.policy import policy_int

pytestmark = pytest.mark.django_db

CODE = "kiosk_finished_days"


def _reads(fn) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        value = fn()
    return value, sum('"core_policy"' in q["sql"] for q in captured.captured_queries)


def test_outside_a_request_every_read_goes_to_the_table(reference_data):
    Policy.objects.filter(code=CODE).update(value=30)
    assert _reads(lambda: policy_int(CODE)) == (30, 1)
    Policy.objects.filter(code=CODE).update(value=7)  # a bulk update, no signal: still seen at once
    assert _reads(lambda: policy_int(CODE)) == (7, 1)


@pytest.fixture
def requests_signalled():
    """The request signals sent by hand, as Django's test client sends them: without closing the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_within_a_request_once_then_anew_in_the_next(reference_data, requests_signalled):
    Policy.objects.filter(code=CODE).update(value=30)
    request_started.send(sender=None)
    try:
        assert _reads(lambda: [policy_int(CODE), policy_int(CODE), policy_int(CODE)]) == ([30, 30, 30], 1)
        policy = Policy.objects.get(code=CODE)
        policy.value = 12
        policy.save()  # changed within the request (the admin's form): read anew
        assert _reads(lambda: policy_int(CODE)) == (12, 1)
    finally:
        request_finished.send(sender=None)
    Policy.objects.filter(code=CODE).update(value=9)
    assert _reads(lambda: policy_int(CODE)) == (9, 1)  # the request is over: nothing remembered
    request_started.send(sender=None)
    try:
        assert _reads(lambda: policy_int(CODE)) == (9, 1)  # a new request reads the table
    finally:
        request_finished.send(sender=None)


def test_within_a_request_all_policies_in_one_statement(reference_data, requests_signalled):
    """The first policy a request asks for reads the whole table; the next ones read nothing — a selector waiting
    for one (`policy_int_reads`) then yields no read and sends its own in the same round (core.together)."""
    from django.core.exceptions import ImproperlyConfigured  # noqa: PLC0415

    from supply_service.core.services.policy import policy_int_reads  # noqa: PLC0415

    Policy.objects.filter(code=CODE).update(value=30)
    Policy.objects.filter(code="kiosk_idle_seconds").update(value=75)
    request_started.send(sender=None)
    try:
        assert _reads(lambda: [policy_int("kiosk_idle_seconds"), policy_int(CODE)]) == ([75, 30], 1)
        reads = policy_int_reads(CODE)
        with pytest.raises(StopIteration) as finished:
            next(reads)  # no read asked for: the value is known
        assert finished.value.value == 30
        with pytest.raises(ImproperlyConfigured):
            policy_int("no_such_policy")
    finally:
        request_finished.send(sender=None)
