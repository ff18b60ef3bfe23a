from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from supply_service.core.models import Outbox, SlaClock
from supply_service.customers.models import Customer
from supply_service.outages.models import OutageNotice
from supply_service.outages.selectors import (
    active_notice_for,
    notice_affected,
    notice_affected_preview,
    notice_delivery_counts,
    notices_affecting,
    public_notices,
)
from supply_service.outages.services import (
    OutageRuleBroken,
    outage_approve,
    outage_cancel,
    outage_notify,
    outage_operate,
    outage_publish,
    outage_reschedule,
)
from supply_service.tickets.services import ticket_transition
from tests.factories import tickets as make_ticket
from tests.factories.customers import CustomerFactory, FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(office):
    feeder = FeederFactory(office=office, code="10kV-101")
    area_a = TransformerAreaFactory(feeder=feeder, code="TA-101-01")
    area_b = TransformerAreaFactory(feeder=feeder, code="TA-101-02")
    other = TransformerAreaFactory(feeder=FeederFactory(office=office, code="10kV-102"), code="TA-102-01")
    return {"feeder": feeder, "a": area_a, "b": area_b, "other": other}


def customer_on(area, **kw):
    return CustomerFactory(office=area.feeder.office, transformer_area=area, feeder=area.feeder, **kw)


def fresh(notice):
    return OutageNotice.objects.get(pk=notice.pk)


def publish_planned(dispatcher, manager, **kw):
    n = make_notice(dispatcher, **kw)
    outage_approve(notice=n, by=manager)
    return outage_publish(notice=fresh(n), by=manager)


def test_affected_customers_come_from_feeders_and_areas(dispatcher, grid):
    on_a = customer_on(grid["a"])
    on_b = customer_on(grid["b"])
    customer_on(grid["other"])
    by_area = make_notice(dispatcher, areas=[grid["a"]])
    assert list(notice_affected_preview(notice=by_area)) == [on_a]
    by_feeder = make_notice(dispatcher, feeders=[grid["feeder"]])
    assert set(notice_affected_preview(notice=by_feeder)) == {on_a, on_b}


def test_planned_notice_path_and_clocks_S10_2_9_S10_2_10(dispatcher, manager, crew, grid):
    customer_on(grid["a"], importance="first", phone="13800000001", email="hospital@example.cn")
    customer_on(grid["a"], notify_outages=True, phone="13800000002")
    customer_on(grid["a"], phone="13800000003")  # did not opt in, not important
    n = make_notice(dispatcher, areas=[grid["a"]])
    assert n.number.startswith("TD-") and n.state == "draft"
    with pytest.raises(TransitionNotAllowed):
        outage_publish(notice=n, by=manager)  # planned: approve first
    with pytest.raises(PermissionDenied):
        outage_approve(notice=n, by=dispatcher)
    outage_approve(notice=n, by=manager)
    outage_publish(notice=fresh(n), by=dispatcher)
    n = fresh(n)
    assert n.state == "published" and n.approved_by == manager
    assert notice_affected(notice=n).count() == 3
    assert SlaClock.objects.get(commitment__code="outage_notice_advance").state == "met"
    recipients = sorted(Outbox.objects.values_list("channel", "recipient"))
    assert recipients == [("email", "hospital@example.cn"), ("sms", "13800000001"), ("sms", "13800000002")]
    assert notice_delivery_counts(notice=n)["pending"] + notice_delivery_counts(notice=n)["sent"] == 3

    t0 = timezone.now()
    outage_operate(notice=n, action="start", by=crew, at=t0)
    outage_operate(notice=fresh(n), action="remove_cause", by=crew, at=t0 + timedelta(hours=2))
    clock = SlaClock.objects.get(commitment__code="supply_restoration")
    assert clock.state == "running"
    outage_operate(notice=fresh(n), action="restore", by=crew, at=t0 + timedelta(hours=3))
    assert SlaClock.objects.get(pk=clock.pk).state == "met"
    outage_operate(notice=fresh(n), action="close", by=crew, at=t0 + timedelta(hours=4))
    assert fresh(n).state == "closed"
    assert Outbox.objects.filter(idempotency_key__contains=":restore:").count() == 3


def test_seven_day_rule_needs_a_managers_override_and_breaks_the_clock_S10_2_10(dispatcher, manager, grid):
    customer_on(grid["a"])
    n = make_notice(dispatcher, areas=[grid["a"]], start=timezone.now() + timedelta(days=3))
    outage_approve(notice=n, by=manager)
    with pytest.raises(OutageRuleBroken) as broken:
        outage_publish(notice=fresh(n), by=manager)
    assert broken.value.late and fresh(n).state == "approved"
    with pytest.raises(PermissionDenied):
        outage_publish(notice=fresh(n), by=dispatcher, override_reason="变电站设备缺陷，必须尽快处理")
    outage_publish(notice=fresh(n), by=manager, override_reason="变电站设备缺陷，必须尽快处理")
    n = fresh(n)
    assert n.state == "published" and n.override_reason
    assert SlaClock.objects.get(commitment__code="outage_notice_advance").state == "breached"


def test_seven_days_come_from_the_commitment_table(dispatcher, manager, grid):
    from supply_service.core.models import Commitment

    Commitment.objects.filter(code="outage_notice_advance").update(limit=2)
    n = make_notice(dispatcher, areas=[grid["a"]], start=timezone.now() + timedelta(days=3))
    outage_approve(notice=n, by=manager)
    assert outage_publish(notice=fresh(n), by=manager).state == "published"


@time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=SH), tick=True)  # all outages in one year
@pytest.mark.parametrize("voltage, allowed", [("35kv", 1), ("110kv", 1), ("10kv", 3)])
def test_yearly_planned_outage_limit_by_voltage_S6_5(dispatcher, manager, grid, voltage, allowed):
    big = customer_on(grid["a"], voltage=voltage, category="non_residential")
    year_start = timezone.now().replace(month=12, day=1) if timezone.now().month < 12 else timezone.now()
    for n in range(allowed):
        publish_planned(dispatcher, manager, areas=[grid["a"]], start=max(year_start, timezone.now())
                        + timedelta(days=8, hours=n * 5))
    n = make_notice(dispatcher, areas=[grid["a"]], start=max(year_start, timezone.now()) + timedelta(days=9, hours=20))
    outage_approve(notice=n, by=manager)
    with pytest.raises(OutageRuleBroken) as broken:
        outage_publish(notice=fresh(n), by=manager)
    assert [c.pk for c, _total, _limit in broken.value.over_limit] == [big.pk]
    outage_publish(notice=fresh(n), by=manager, override_reason="用户同意")
    assert notices_affecting(customer=big)["planned_count"] == allowed + 1


def test_residential_customers_have_no_yearly_limit(dispatcher, manager, grid):
    customer_on(grid["a"])
    for n in range(4):
        publish_planned(dispatcher, manager, areas=[grid["a"]], start=timezone.now() + timedelta(days=8, hours=n * 5))


def test_emergency_is_published_at_once_and_explained(dispatcher, grid):
    customer_on(grid["a"], importance="second", phone="13800000009")
    n = make_notice(dispatcher, kind="emergency", areas=[grid["a"]], start=timezone.now(),
                    explanation="线路遭雷击跳闸，正在抢修。")
    outage_publish(notice=n, by=dispatcher)
    assert fresh(n).state == "published"
    assert Outbox.objects.count() == 1
    assert not SlaClock.objects.filter(commitment__code="outage_notice_advance").exists()


def test_reschedule_renotifies_and_cancel_notifies(dispatcher, manager, grid):
    customer_on(grid["a"], importance="first", phone="13800000001")
    n = publish_planned(dispatcher, manager, areas=[grid["a"]])
    new_start = fresh(n).planned_start + timedelta(days=1)
    with pytest.raises(ValidationError):
        outage_reschedule(notice=fresh(n), by=dispatcher, start=new_start, end=new_start - timedelta(hours=1))
    outage_reschedule(notice=fresh(n), by=dispatcher, start=new_start, end=new_start + timedelta(hours=3))
    assert fresh(n).revision == 2
    outage_cancel(notice=fresh(n), by=dispatcher, reason="天气原因取消")
    keys = sorted(k.split(":")[2] for k in Outbox.objects.values_list("idempotency_key", flat=True))
    assert keys == ["cancel", "publish", "reschedule"]
    with pytest.raises(TransitionNotAllowed):
        outage_cancel(notice=fresh(n), by=dispatcher, reason="again")


def test_notifications_are_one_per_customer_per_event_in_their_language(dispatcher, manager, grid):
    customer_on(grid["a"], importance="first", phone="13800000001", preferred_language="ug")
    customer_on(grid["a"], importance="first", phone="13800000002", preferred_language="zh-hans")
    n = publish_planned(dispatcher, manager, areas=[grid["a"]])
    assert outage_notify(notice=fresh(n), event="publish") == 2  # built again …
    assert Outbox.objects.count() == 2  # … but nothing new is queued
    bodies = dict(Outbox.objects.values_list("recipient", "language"))
    assert bodies == {"13800000001": "ug", "13800000002": "zh-hans"}


def test_fan_out_to_many_customers_is_bulk(dispatcher, manager, grid, django_assert_max_num_queries):
    Customer.objects.bulk_create([
        Customer(account_number=f"{3200000000 + i}", name="客户", category="residential", voltage="220v",
                 importance="first", phone=f"139{i:08d}", address="x", office=grid["feeder"].office,
                 feeder=grid["feeder"], transformer_area=grid["a"])
        for i in range(2000)
    ])
    n = make_notice(dispatcher, areas=[grid["a"]])
    outage_approve(notice=n, by=manager)
    # Bulk inserts: a few dozen statements (SQLite splits them by its 999-variable limit), never one per customer.
    with django_assert_max_num_queries(120):
        outage_publish(notice=fresh(n), by=manager)
    assert Outbox.objects.count() == 2000


def test_known_outage_links_repair_calls_and_restoring_moves_them_to_callback(dispatcher, manager, agent, crew, grid):
    customer = customer_on(grid["a"])
    n = make_notice(dispatcher, kind="emergency", areas=[grid["a"]], start=timezone.now())
    outage_publish(notice=n, by=dispatcher)
    assert active_notice_for(customer=customer) == fresh(n)
    assert active_notice_for(customer=customer_on(grid["other"])) is None
    call = make_ticket.repair(agent, customer=customer, outage_ref=n.number)
    outage_operate(notice=fresh(n), action="start", by=crew)
    outage_operate(notice=fresh(n), action="remove_cause", by=crew)
    outage_operate(notice=fresh(n), action="restore", by=crew)
    call = type(call).objects.get(pk=call.pk)
    assert call.state == "resolved"
    assert call.history.first().history_change_reason == "tickets.restore_by_outage"
    with pytest.raises(ValidationError):
        ticket_transition(ticket=call, action="restore_by_outage", by=agent, notice_number="x")


def test_public_notices_current_and_upcoming(dispatcher, manager, grid):
    n = publish_planned(dispatcher, manager, areas=[grid["a"]])
    draft = make_notice(dispatcher, areas=[grid["a"]])
    assert list(public_notices()) == [fresh(n)]
    assert list(public_notices(area="人民路")) == [fresh(n)]
    assert list(public_notices(area="nowhere")) == []
    day = timezone.localtime(fresh(n).planned_start).date()
    assert list(public_notices(day=day)) == [fresh(n)]
    assert list(public_notices(day=day - timedelta(days=1))) == []
    assert draft not in public_notices()


def test_bad_times_refused(dispatcher):
    start = datetime(2026, 12, 20, 9, tzinfo=SH)
    with pytest.raises(ValidationError):
        make_notice(dispatcher, start=start, hours=-1)
    assert not OutageNotice.objects.exists()


def test_reschedule_refuses_the_past_and_keeps_the_seven_day_rule_S10_2_10(dispatcher, manager, grid):
    customer_on(grid["a"], importance="first", phone="13800000001")
    n = publish_planned(dispatcher, manager, areas=[grid["a"]])
    soon = timezone.now() + timedelta(days=2)
    with pytest.raises(ValidationError):
        outage_reschedule(notice=fresh(n), by=dispatcher, start=timezone.now() - timedelta(days=7),
                          end=timezone.now() - timedelta(days=6))
    with pytest.raises(OutageRuleBroken):
        outage_reschedule(notice=fresh(n), by=dispatcher, start=soon, end=soon + timedelta(hours=2))
    with pytest.raises(PermissionDenied):
        outage_reschedule(notice=fresh(n), by=dispatcher, start=soon, end=soon + timedelta(hours=2),
                          override_reason="变电站缺陷")
    assert fresh(n).revision == 1
    outage_reschedule(notice=fresh(n), by=manager, start=soon, end=soon + timedelta(hours=2), override_reason="变电站缺陷")
    assert fresh(n).revision == 2 and fresh(n).override_reason == "变电站缺陷"
