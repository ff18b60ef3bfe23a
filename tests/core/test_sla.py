from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from supply_service.core.models import Commitment, Outbox, SlaClock, SlaPause
from supply_service.core.selectors import (
    callback_rate,
    fulfilment_rates,
    fulfilment_total,
    sla_clocks_for_subject,
    sla_signal,
)
from supply_service.core.services.outbox import outbox_deliver_due
from supply_service.core.services.sla import sla_pause, sla_resume, sla_start, sla_stop, sla_sweep, sla_waive
from tests.factories.core import SampleItemFactory

SH = ZoneInfo("Asia/Shanghai")


def local(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def item(clerk):
    return SampleItemFactory(office=clerk.office, first_responder=clerk, owner=clerk, number="TS-20261127-0001")


def test_start_computes_due_from_the_commitment_table(item):
    clock = sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 0))
    assert clock.due_at == local(2026, 11, 27, 10, 45)
    assert clock.owner == item.owner and clock.office == item.office
    assert clock.subject_label == item.number
    assert clock.history.first().history_change_reason == "core.sla_start"


def test_manager_tightened_commitment_is_used(item):
    Commitment.objects.filter(code="repair_arrival").update(limit=30)
    clock = sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 0))
    assert clock.due_at == local(2026, 11, 27, 10, 30)


def test_unknown_and_non_time_commitments_refused(item):
    with pytest.raises(ValidationError):
        sla_start(subject=item, commitment="no_such_thing")
    with pytest.raises(ValidationError):
        sla_start(subject=item, commitment="callback_rate")


def test_one_open_clock_per_commitment_and_item(item):
    sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 0))
    with pytest.raises(ValidationError):
        sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 1))
    clock = SlaClock.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        SlaClock.objects.create(
            commitment=clock.commitment, content_type=clock.content_type, object_id=clock.object_id,
            subject_label="x", started_at=clock.started_at,
        )


def test_stop_on_time_is_met_S10_2_5(item):
    sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 0))
    clock = sla_stop(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 44))
    assert clock.state == SlaClock.State.MET
    assert clock.settled_at == local(2026, 11, 27, 10, 44)


def test_repair_arrival_breached_after_45_minutes_S10_2_5(item):
    sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 0))
    clock = sla_stop(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 46))
    assert clock.state == SlaClock.State.BREACHED
    assert clock.stopped_at == local(2026, 11, 27, 10, 46)


def test_stop_without_open_clock_returns_none(item):
    assert sla_stop(subject=item, commitment="repair_arrival") is None


def test_paused_time_waiting_for_documents_does_not_count_S10_2_2(item, clerk):
    # Accepted Fri 27 Nov; 5 working days -> due end of Fri 4 Dec.
    sla_start(subject=item, commitment="resident_connection", at=local(2026, 11, 27, 9, 0))
    sla_pause(subject=item, commitment="resident_connection", reason="Waiting for the deed", by=clerk,
              at=local(2026, 11, 30, 10, 0))
    paused = SlaClock.objects.get()
    assert paused.state == SlaClock.State.PAUSED and paused.due_at is None
    # Nothing breaches while paused, however late it gets.
    assert sla_sweep(now=local(2026, 12, 31, 0, 0)) == 0
    clock = sla_resume(subject=item, commitment="resident_connection", by=clerk, at=local(2026, 12, 2, 9, 0))
    assert clock.due_at == local(2026, 12, 9, 0, 0)  # two working days later
    assert clock.paused_seconds == int(timedelta(days=1, hours=23).total_seconds())
    pause = SlaPause.objects.get()
    assert pause.reason == "Waiting for the deed" and pause.ended_at == local(2026, 12, 2, 9, 0)
    assert pause.paused_by == clerk and pause.resumed_by == clerk
    stopped = sla_stop(subject=item, commitment="resident_connection", at=local(2026, 12, 8, 15, 0))
    assert stopped.state == SlaClock.State.MET


def test_two_pauses_on_a_minute_clock_add_up(item):
    sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 0))
    sla_pause(subject=item, commitment="repair_arrival", reason="Road closed", at=local(2026, 11, 27, 10, 10))
    sla_resume(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 20))
    sla_pause(subject=item, commitment="repair_arrival", reason="Customer not home", at=local(2026, 11, 27, 10, 30))
    clock = sla_resume(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 35))
    assert clock.due_at == local(2026, 11, 27, 11, 0)
    assert clock.paused_seconds == 15 * 60


def test_pause_needs_a_reason_and_a_running_clock(item):
    sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 0))
    with pytest.raises(ValidationError):
        sla_pause(subject=item, commitment="repair_arrival", reason="  ")
    with pytest.raises(ValidationError):
        sla_resume(subject=item, commitment="repair_arrival")
    sla_pause(subject=item, commitment="repair_arrival", reason="x", at=local(2026, 11, 27, 10, 1))
    with pytest.raises(ValidationError):
        sla_pause(subject=item, commitment="repair_arrival", reason="again")


def test_stopping_a_paused_clock_resumes_it_first(item):
    sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 0))
    sla_pause(subject=item, commitment="repair_arrival", reason="x", at=local(2026, 11, 27, 10, 30))
    clock = sla_stop(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 11, 30))
    assert clock.state == SlaClock.State.MET
    assert SlaPause.objects.get().ended_at == local(2026, 11, 27, 11, 30)


def test_waive_needs_permission_and_reason(item, clerk, manager):
    clock = sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 0))
    with pytest.raises(PermissionDenied):
        sla_waive(clock=clock, reason="Storm", by=clerk)
    with pytest.raises(ValidationError):
        sla_waive(clock=clock, reason="", by=manager)
    waived = sla_waive(clock=clock, reason="Typhoon: roads closed by the police", by=manager)
    assert waived.state == SlaClock.State.WAIVED
    assert waived.waive_reason == "Typhoon: roads closed by the police"
    assert fulfilment_total().settled == 0
    assert waived.history.first().history_change_reason == "core.sla_waive"


def test_sweep_breaches_overdue_clocks_and_alerts_owner_and_manager_once(item, manager, clerk):
    clerk.phone = "13900000001"
    clerk.save()
    sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 0))
    assert sla_sweep(now=local(2026, 11, 27, 10, 45)) == 0  # due exactly now: not yet overdue
    assert sla_sweep(now=local(2026, 11, 27, 10, 46)) == 1
    assert sla_sweep(now=local(2026, 11, 27, 10, 47)) == 0  # idempotent
    clock = SlaClock.objects.get()
    assert clock.state == SlaClock.State.BREACHED and clock.breached_at == local(2026, 11, 27, 10, 46)
    recipients = sorted(Outbox.objects.values_list("channel", "recipient"))
    assert recipients == [
        ("email", clerk.email), ("email", manager.email), ("sms", "13900000001"),
    ]
    outbox_deliver_due()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([clerk.email, manager.email])
    assert item.number in mail.outbox[0].subject
    # Stopping it later keeps it breached.
    stopped = sla_stop(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 11, 0))
    assert stopped.state == SlaClock.State.BREACHED and stopped.stopped_at == local(2026, 11, 27, 11, 0)


def test_sweep_does_not_alert_managers_of_other_offices(item, outsider):
    outsider.groups.add(*manager_groups())
    sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 0))
    sla_sweep(now=local(2026, 11, 27, 11, 0))
    assert not Outbox.objects.filter(recipient=outsider.email).exists()


def manager_groups():
    from django.contrib.auth.models import Group

    return Group.objects.filter(name="manager")


def test_breach_across_a_holiday_for_a_working_day_limit_S10_2_8(item):
    # Meter fault reported Wed 30 Sept 2026: 2 working days -> Thu 8 and Fri 9 Oct, due at 24:00 on the 9th.
    sla_start(subject=item, commitment="meter_fault", at=local(2026, 9, 30, 15, 0))
    assert sla_sweep(now=local(2026, 10, 7, 23, 0)) == 0
    assert sla_sweep(now=local(2026, 10, 9, 23, 59)) == 0
    assert sla_sweep(now=local(2026, 10, 10, 0, 1)) == 1


def test_signal_colours(item):
    clock = sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 0))
    assert sla_signal(clock, now=local(2026, 11, 27, 10, 10)) == "green"
    assert sla_signal(clock, now=local(2026, 11, 27, 10, 40)) == "amber"
    assert sla_signal(clock, now=local(2026, 11, 27, 10, 50)) == "red"
    sla_pause(subject=item, commitment="repair_arrival", reason="x", at=local(2026, 11, 27, 10, 41))
    clock = SlaClock.objects.get(pk=clock.pk)
    assert sla_signal(clock, now=local(2026, 11, 27, 10, 50)) == "grey"


@pytest.mark.req("S5.2")
def test_fulfilment_rate_per_commitment_office_and_period_in_sql(
    clerk, outsider, django_assert_max_num_queries
):
    start = local(2026, 11, 2, 9, 0)
    for n in range(4):
        it = SampleItemFactory(office=clerk.office, first_responder=clerk, owner=clerk)
        sla_start(subject=it, commitment="repair_arrival", at=start)
        sla_stop(subject=it, commitment="repair_arrival", at=start + timedelta(minutes=30 if n < 3 else 50))
    other = SampleItemFactory(office=outsider.office, first_responder=outsider, owner=outsider)
    sla_start(subject=other, commitment="repair_arrival", at=start)
    sla_stop(subject=other, commitment="repair_arrival", at=start + timedelta(minutes=60))
    late = SampleItemFactory(office=clerk.office, first_responder=clerk, owner=clerk)
    sla_start(subject=late, commitment="repair_arrival", at=local(2026, 12, 1, 9))
    sla_stop(subject=late, commitment="repair_arrival", at=local(2026, 12, 1, 9, 10))

    with django_assert_max_num_queries(1):
        rows = fulfilment_rates(
            start=local(2026, 11, 1), end=local(2026, 12, 1), group_by=("commitment__code", "office__code")
        )
    by_office = {row["office__code"]: row for row in rows}
    assert by_office["home"]["met"] == 3 and by_office["home"]["breached"] == 1
    assert str(by_office["home"]["fulfilment"].rate) == "75.0"
    assert by_office["other"]["fulfilment"].rate == 0
    total = fulfilment_total(start=local(2026, 11, 1), end=local(2026, 12, 1), office=clerk.office)
    assert (total.met, total.breached) == (3, 1)
    assert fulfilment_total(commitment="meter_fault").rate is None


def test_callback_rate_in_sql(clerk, django_assert_max_num_queries):
    from supply_service.core.services.workitems import callback_record
    from tests.kernel_app.models import SampleItem

    items = SampleItemFactory.create_batch(4, office=clerk.office, first_responder=clerk, owner=clerk)
    callback_record(item=items[0], by=clerk, outcome="satisfied")
    callback_record(item=items[1], by=clerk, outcome="unsatisfied", note="Still flickering")
    callback_record(item=items[2], by=clerk, outcome="unreachable")
    with django_assert_max_num_queries(2):
        rate = callback_rate(items=SampleItem.objects.all())
    assert (rate.met, rate.breached, str(rate.rate)) == (2, 2, "50.0")


def test_clocks_for_subject(item):
    sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10, 0))
    sla_start(subject=item, commitment="supply_restoration", at=local(2026, 11, 27, 10, 5))
    assert [c.commitment.code for c in sla_clocks_for_subject(subject=item)] == [
        "repair_arrival", "supply_restoration"
    ]


def test_record_many_writes_settled_and_running_clocks_in_bulk(clerk, django_assert_max_num_queries):
    from supply_service.core.services.sla import sla_record_many

    items = SampleItemFactory.create_batch(30, office=clerk.office, first_responder=clerk, owner=clerk)
    start = local(2026, 9, 30, 0, 0)
    rows = [(item, start, None if n % 3 == 0 else start + timedelta(days=1 if n % 3 == 1 else 11), clerk.office)
            for n, item in enumerate(items)]
    sla_start(subject=items[0], commitment="meter_fault", at=start)  # already open: skipped
    with django_assert_max_num_queries(12):
        written = sla_record_many(commitment="meter_fault", items=rows)
    assert written == 29
    clocks = SlaClock.objects.filter(commitment__code="meter_fault")
    assert clocks.count() == 30
    assert clocks.filter(state="met").count() == 10 and clocks.filter(state="breached").count() == 10
    sample = clocks.exclude(object_id=items[0].pk).first()
    assert sample.due_at == local(2026, 10, 10, 0, 0)  # 2 working days after 30 Sept: 8 and 9 Oct
    assert sample.history.first().history_change_reason == "core.sla_record_many"


def test_open_clocks_of_many_subjects_in_one_query(clerk, django_assert_max_num_queries):
    from supply_service.core.selectors import sla_open_clocks_by_subject

    items = SampleItemFactory.create_batch(5, office=clerk.office, first_responder=clerk, owner=clerk)
    for item in items[:3]:
        sla_start(subject=item, commitment="meter_fault", at=local(2026, 11, 27, 9))
    sla_stop(subject=items[2], commitment="meter_fault", at=local(2026, 11, 27, 10))
    with django_assert_max_num_queries(1):
        found = sla_open_clocks_by_subject(subjects=items)
    assert set(found) == {items[0].pk, items[1].pk}
    assert sla_open_clocks_by_subject(subjects=[]) == {}
