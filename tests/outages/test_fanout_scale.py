"""Issue 12: publishing an outage to tens of thousands of customers — the request fixes who is affected with one
INSERT … SELECT and queues the fan-out as a task on commit; the task writes the outbox in bulk and shares delivery
between workers."""

import pytest
from django_q.conf import Conf

from supply_service.core.models import Outbox
from supply_service.core.services.outbox import DELIVERY_SLICE
from supply_service.customers.models import Customer
from supply_service.outages.models import AffectedCustomer, OutageNotice
from supply_service.outages.services import NOTIFY_TASK, outage_approve, outage_publish
from supply_service.outages.tasks import outage_notify_task
from tests.factories.customers import FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(office):
    return TransformerAreaFactory(feeder=FeederFactory(office=office, code="10kV-201"), code="TA-201-01")


def customers(area, count: int, *, start: int = 0) -> None:
    Customer.objects.bulk_create([
        Customer(account_number=f"{3300000000 + start + i}", name="客户", category="residential", voltage="220v",
                 importance="first" if i % 2 else "none", notify_outages=i % 4 == 0, phone=f"137{start + i:08d}",
                 address="x", office=area.feeder.office, feeder=area.feeder, transformer_area=area)
        for i in range(count)
    ])


@pytest.fixture
def queued(monkeypatch):
    """Tasks go to a list instead of running inline (a real cluster's behaviour)."""
    from django_q import tasks

    calls = []
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(tasks, "async_task", lambda func, *args, **kw: calls.append((func, args)))
    return calls


def _publish(dispatcher, manager, area, capture, max_queries):
    notice = make_notice(dispatcher, areas=[area])
    outage_approve(notice=notice, by=manager)
    notice = OutageNotice.objects.get(pk=notice.pk)
    with capture(execute=True), max_queries(PUBLISH_QUERIES):  # the same for 150 as for 3 000 customers
        outage_publish(notice=notice, by=manager)
    return notice


PUBLISH_QUERIES = 30


@pytest.mark.parametrize("count", [150, 3000])
def test_publish_snapshots_in_sql_and_queues_the_fan_out_on_commit(
    dispatcher, manager, area, queued, count, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    customers(area, count)
    notice = _publish(dispatcher, manager, area, django_capture_on_commit_callbacks, django_assert_max_num_queries)
    assert AffectedCustomer.objects.filter(notice=notice).count() == count
    assert not Outbox.objects.exists()  # nothing fanned out in the request
    assert queued == [(NOTIFY_TASK, (notice.pk, "publish"))]

    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        written = outage_notify_task(notice.pk, "publish")
    wanted = Customer.objects.exclude(importance="none", notify_outages=False).count()
    assert written == wanted == Outbox.objects.count()
    assert {func.rsplit(".", 1)[1] for func, _args in queued} == {"outbox_deliver_many_task"}
    assert len(queued) == -(-wanted // DELIVERY_SLICE)  # delivery shared by the workers, in slices
    assert sorted(key for _f, args in queued for key in args[0]) == sorted(
        Outbox.objects.values_list("idempotency_key", flat=True))
    assert outage_notify_task(notice.pk, "publish") == wanted and Outbox.objects.count() == wanted  # once only


def test_snapshot_takes_inactive_customers_never_and_each_customer_once(dispatcher, manager, office, queued,
                                                                         django_capture_on_commit_callbacks):
    feeder = FeederFactory(office=office, code="10kV-301")
    area = TransformerAreaFactory(feeder=feeder, code="TA-301-01")
    customers(area, 20)
    Customer.objects.filter(account_number__in=["3300000000", "3300000001"]).update(is_active=False)
    notice = make_notice(dispatcher, areas=[area], feeders=[feeder])  # both cover the same customers
    outage_approve(notice=notice, by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        outage_publish(notice=OutageNotice.objects.get(pk=notice.pk), by=manager)
    assert AffectedCustomer.objects.filter(notice=notice).count() == 18


def test_notice_without_feeders_or_areas_affects_nobody(dispatcher, office, queued, django_capture_on_commit_callbacks):
    notice = make_notice(dispatcher, kind="emergency", areas=[], explanation="线路遭雷击跳闸，正在抢修。")
    with django_capture_on_commit_callbacks(execute=True):
        outage_publish(notice=notice, by=dispatcher)
    assert not AffectedCustomer.objects.exists()
