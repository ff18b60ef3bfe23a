"""Issue 12: the SLA sweep at city scale — every overdue clock breached in one run, in batches of a constant number
of queries, alerts once, a concurrent stop kept."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from supply_service.core.models import OpenWork, Outbox, SlaClock
from supply_service.core.services.openwork import openwork_rebuild
from supply_service.core.services.sla import sla_record_many, sla_start, sla_stop, sla_sweep
from tests.factories import tickets as make
from tests.kernel_app.models import SampleItem

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 27, 10, 0, tzinfo=SH)  # repair arrival: due 10:45
SWEEP_AT = datetime(2026, 11, 27, 11, 0, tzinfo=SH)


def _clocks(clerk, *, overdue: int, running: int) -> None:
    """`overdue` clocks past due at SWEEP_AT and `running` ones not yet due, written in bulk."""
    items = SampleItem.objects.bulk_create([
        SampleItem(number=f"TS-20261127-{n:05d}", office=clerk.office, channel="counter", first_responder=clerk,
                   owner=clerk) for n in range(overdue + running)
    ])
    later = START + timedelta(days=7)
    rows = [(item, START if n < overdue else later, None, clerk.office) for n, item in enumerate(items)]
    assert sla_record_many(commitment="repair_arrival", items=rows) == overdue + running


SWEEP_QUERIES = 10  # per batch of up to 1 000 clocks (7), plus the empty look that ends the run (3 with savepoints)


@pytest.fixture
def people(clerk, manager):
    clerk.phone = "13900000001"
    clerk.save()
    return clerk, manager


def test_sweep_breaches_every_overdue_clock_in_one_run_with_constant_queries(people, django_assert_max_num_queries):
    clerk, manager = people
    _clocks(clerk, overdue=1000, running=300)
    with django_assert_max_num_queries(SWEEP_QUERIES):
        assert sla_sweep(now=SWEEP_AT) == 1000  # no per-run cap any more
    assert SlaClock.objects.filter(state="breached", breached_at=SWEEP_AT).count() == 1000
    assert SlaClock.objects.filter(state="running").count() == 300
    # owner (e-mail + SMS) and the office's manager (e-mail): three messages per clock, each key once
    assert Outbox.objects.count() == 3000
    assert Outbox.objects.filter(idempotency_key__startswith="sla-breach:", recipient=manager.email).count() == 1000
    history = SlaClock.history.filter(history_change_reason="core.sla_breach")
    assert history.count() == 1000 and history.filter(state="breached", breached_at=SWEEP_AT).count() == 1000
    # A second run finds nothing new and sends nothing twice.
    assert sla_sweep(now=SWEEP_AT + timedelta(minutes=1)) == 0
    assert Outbox.objects.count() == 3000

    _more_overdue(clerk, 100)
    with django_assert_max_num_queries(SWEEP_QUERIES):  # the same for 100 as for 1 000: per batch, not per clock
        assert sla_sweep(now=SWEEP_AT + timedelta(days=1)) == 100


def _more_overdue(clerk, count: int) -> None:
    later = START + timedelta(days=1)
    items = SampleItem.objects.bulk_create([
        SampleItem(number=f"TS-20261128-{n:05d}", office=clerk.office, channel="counter", first_responder=clerk,
                   owner=clerk) for n in range(count)
    ])
    assert sla_record_many(commitment="repair_arrival", items=[(i, later, None, clerk.office) for i in items])


def test_sweep_works_in_batches_until_none_is_left(people, django_assert_max_num_queries):
    clerk, _manager = people
    _clocks(clerk, overdue=250, running=10)
    with django_assert_max_num_queries(3 * SWEEP_QUERIES):
        assert sla_sweep(now=SWEEP_AT, batch=100) == 250  # three batches in one run
    assert not SlaClock.objects.filter(state="running", due_at__lt=SWEEP_AT).exists()


def test_sweep_stops_at_its_time_budget_and_the_next_run_goes_on(people):
    clerk, _manager = people
    _clocks(clerk, overdue=30, running=0)
    assert sla_sweep(now=SWEEP_AT, batch=10, budget_seconds=0) == 10  # one batch, then out of time
    assert sla_sweep(now=SWEEP_AT, batch=10) == 20


def test_sweep_alerts_inactive_owner_never_and_other_offices_managers_never(people, outsider):
    from django.contrib.auth.models import Group

    clerk, manager = people
    outsider.groups.add(Group.objects.get(name="manager"))
    clerk.is_active = False
    clerk.save()
    _clocks(clerk, overdue=3, running=0)
    assert sla_sweep(now=SWEEP_AT) == 3
    assert set(Outbox.objects.values_list("recipient", flat=True)) == {manager.email}


def test_sweep_refreshes_open_work_rows_like_a_rebuild(agent, dispatcher, crew):
    tickets = [make.repair(agent) for _ in range(3)]
    # one of them gets a second, later clock
    sla_start(subject=tickets[0], commitment="supply_restoration", at=timezone.now())
    due = SlaClock.objects.filter(commitment__code="repair_arrival").order_by("due_at").last().due_at
    assert sla_sweep(now=due + timedelta(minutes=1)) >= 3
    after_sweep = sorted(OpenWork.objects.values_list("number", "due_at", "amber_at", "breached", "paused"))
    assert all(row[3] for row in after_sweep)
    openwork_rebuild()
    assert sorted(OpenWork.objects.values_list("number", "due_at", "amber_at", "breached", "paused")) == after_sweep
    first = OpenWork.objects.get(object_id=tickets[0].pk, kind="repair")
    assert first.due_at is not None  # the restoration clock still runs: its due time shows


def test_sweep_queues_delivery_per_batch_in_slices_not_per_clock(people, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
    from django_q import tasks

    from supply_service.core.services.outbox import DELIVERY_SLICE

    clerk, _manager = people
    queued = []
    monkeypatch.setattr(tasks, "async_task", lambda func, *args, **kw: queued.append((func, args)))
    _clocks(clerk, overdue=120, running=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert sla_sweep(now=SWEEP_AT, batch=100) == 120
    # batch 1: 100 clocks, 300 alerts; batch 2: 20 clocks, 60 alerts — a task per slice of each batch
    assert len(queued) == -(-300 // DELIVERY_SLICE) + -(-60 // DELIVERY_SLICE)
    assert {func.rsplit(".", 1)[1] for func, _args in queued} == {"outbox_deliver_many_task"}
    assert sorted(key for _func, args in queued for key in args[0]) == sorted(
        Outbox.objects.values_list("idempotency_key", flat=True))


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_stop_is_not_overwritten_by_the_sweep(reference_data, clerk):
    """A stop that holds the clock's row lock wins: the sweep skips the row (or re-checks after it), never turns the
    met clock into a breached one; two sweeps at once breach each clock once."""
    from django.db import transaction

    _clocks(clerk, overdue=40, running=0)
    first = SampleItem.objects.order_by("pk").first()
    stop_at = START + timedelta(minutes=30)  # on time
    locked, release = threading.Event(), threading.Event()
    results = {}

    def stop():
        try:
            with transaction.atomic():
                results["stop"] = sla_stop(subject=first, commitment="repair_arrival", at=stop_at)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    def sweep(name):
        try:
            results[name] = sla_sweep(now=SWEEP_AT)
        finally:
            connection.close()

    stopper = threading.Thread(target=stop)
    stopper.start()
    assert locked.wait(10)
    sweepers = [threading.Thread(target=sweep, args=(f"sweep{n}",)) for n in range(2)]
    for thread in sweepers:
        thread.start()
    for thread in sweepers:
        thread.join(30)
    release.set()
    stopper.join(10)
    clock = SlaClock.objects.get(object_id=first.pk)
    assert clock.state == "met" and clock.stopped_at == stop_at
    assert results["sweep0"] + results["sweep1"] == 39
    assert SlaClock.objects.filter(state="breached").count() == 39
    assert SlaClock.history.filter(history_change_reason="core.sla_breach").count() == 39
    assert sla_sweep(now=SWEEP_AT) == 0
