"""Running clocks move when a holiday notice changes the calendar under them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supply_service.core.models import Outbox, SlaClock
from supply_service.core.services.calendar import due_at
from supply_service.core.services.holiday_notice import holiday_notice_apply
from supply_service.core.services.sla import sla_pause, sla_resume, sla_start, sla_stop
from tests.core.test_holiday_notice import NOTICE_2027
from tests.factories.core import SampleItemFactory

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def local(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def make_item(clerk):
    def make(**kwargs):
        return SampleItemFactory(office=clerk.office, first_responder=clerk, owner=clerk, **kwargs)
    return make


@time_machine.travel(local(2026, 11, 27, 10), tick=False)
def test_a_five_working_day_clock_started_5_february_2027_moves_past_the_spring_festival(make_item, manager):
    item = make_item()
    # Without a 2027 calendar, Monday–Friday: 8 … 12 February, due at 24:00 on Friday 12 February.
    clock = sla_start(subject=item, commitment="resident_connection", at=local(2027, 2, 5, 10))
    assert clock.due_at == local(2027, 2, 13)
    result = holiday_notice_apply(text=NOTICE_2027, by=manager)
    clock = SlaClock.objects.get(pk=clock.pk)
    # 5–13 February off; Monday 15 … Friday 19 February are the five working days.
    assert clock.due_at == local(2027, 2, 20)
    assert clock.state == SlaClock.State.RUNNING
    assert [c.pk for c in result.recompute.moved] == [clock.pk] and result.recompute.breached == []
    record = clock.history.first()
    assert record.history_change_reason == "core.sla_recompute" and record.history_user == manager


@time_machine.travel(local(2027, 2, 22, 9), tick=False)
def test_a_clock_that_becomes_overdue_is_breached_and_alerted(make_item, manager, clerk):
    item = make_item()
    # One working day from Friday 19 February: Monday 22 February under Monday–Friday …
    clock = sla_start(subject=item, commitment="bill_query_reply", at=local(2027, 2, 19, 10))
    assert clock.due_at == local(2027, 2, 23)
    # … but Saturday 20 February is a make-up working day: it was due at 24:00 on the 20th, now past.
    result = holiday_notice_apply(text=NOTICE_2027, by=manager)
    clock = SlaClock.objects.get(pk=clock.pk)
    assert clock.due_at == local(2027, 2, 21)
    assert clock.state == SlaClock.State.BREACHED and clock.breached_at == local(2027, 2, 22, 9)
    assert [c.pk for c in result.recompute.breached] == [clock.pk]
    reasons = list(clock.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["core.sla_recompute", "core.sla_breach"]
    recipients = set(Outbox.objects.filter(idempotency_key__startswith=f"sla-breach:{clock.pk}:")
                     .values_list("recipient", flat=True))
    assert clerk.email in recipients and manager.email in recipients


@time_machine.travel(local(2026, 11, 27, 10), tick=False)
def test_clocks_the_change_does_not_concern_stay(make_item, manager):
    minutes = sla_start(subject=make_item(), commitment="repair_arrival", at=local(2026, 11, 27, 9))
    december = sla_start(subject=make_item(), commitment="resident_connection", at=local(2026, 11, 27, 9))
    paused = sla_start(subject=make_item(), commitment="resident_connection", at=local(2026, 11, 27, 9))
    sla_pause(subject=paused.subject, commitment="resident_connection", reason="documents", at=local(2026, 11, 27, 9, 30))
    stopped = sla_start(subject=make_item(), commitment="meter_fault", at=local(2026, 11, 27, 9))
    sla_stop(subject=stopped.subject, commitment="meter_fault", at=local(2026, 11, 27, 9, 30))
    # A deadline counted back from an event is not the calendar's forward count: it is left alone.
    # (e.g. an outage notice's, counted back from the outage), however the clock was given it.
    counted_back = sla_start(subject=make_item(), commitment="complaint_reply", at=local(2026, 11, 27, 9))
    SlaClock.objects.filter(pk=counted_back.pk).update(due_at=local(2027, 2, 10, 12))
    before = {c.pk: (c.due_at, c.state, c.history.count()) for c in SlaClock.objects.all()}
    result = holiday_notice_apply(text=NOTICE_2027, by=manager)
    assert result.recompute.moved == []
    assert {c.pk: (c.due_at, c.state, c.history.count()) for c in SlaClock.objects.all()} == before
    assert {minutes.pk, december.pk, paused.pk, stopped.pk, counted_back.pk} == set(before)


@time_machine.travel(local(2027, 1, 20, 10), tick=False)
def test_a_clock_paused_before_is_recomputed_with_its_pause(make_item, manager):
    item = make_item()
    sla_start(subject=item, commitment="resident_connection", at=local(2027, 1, 29, 10))
    sla_pause(subject=item, commitment="resident_connection", reason="documents", at=local(2027, 2, 1, 10))
    clock = sla_resume(subject=item, commitment="resident_connection", at=local(2027, 2, 3, 10))
    # Monday–Friday: 1, 2, 3, 4, 5 February, plus the two working days the pause covered (2 and 3 February).
    assert clock.due_at == local(2027, 2, 10)
    holiday_notice_apply(text=NOTICE_2027, by=manager)
    clock = SlaClock.objects.get(pk=clock.pk)
    # Now 1, 2, 3, 4 February, then 15 February, plus two: 16 and 17 February.
    assert clock.due_at == local(2027, 2, 18)


@time_machine.travel(local(2026, 11, 27, 10), tick=False)
def test_recompute_reads_a_constant_number_of_queries(make_item, manager):
    def apply_with(count):
        from supply_service.core.models import CalendarDay

        CalendarDay.objects.filter(date__year=2027).delete()
        SlaClock.objects.update(state=SlaClock.State.WAIVED)
        for n in range(count):
            sla_start(subject=make_item(), commitment="resident_connection", at=local(2027, 2, 1 + n % 4, 10))
            sla_start(subject=make_item(), commitment="complaint_reply", at=local(2027, 2, 1 + n % 4, 10))
        with CaptureQueriesContext(connection) as queries:
            result = holiday_notice_apply(text=NOTICE_2027, by=manager)
        assert len(result.recompute.moved) == 2 * count
        return len(queries)

    apply_with(1)  # warms the caches a first call fills (permissions, content types)
    # (20 is below SQLite's 999-parameter batch of the history insert: one batch each time)
    assert apply_with(4) == apply_with(20)


def test_recomputed_deadline_equals_a_fresh_one(make_item, manager):
    with time_machine.travel(local(2026, 11, 27, 10), tick=False):
        clock = sla_start(subject=make_item(), commitment="complaint_reply", at=local(2027, 2, 3, 10))
        holiday_notice_apply(text=NOTICE_2027, by=manager)
    clock = SlaClock.objects.get(pk=clock.pk)
    assert clock.due_at == due_at(start=local(2027, 2, 3, 10), limit=clock.commitment.limit,
                                  unit=clock.commitment.unit)
