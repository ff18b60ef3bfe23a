import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django_fsm import ConcurrentTransition, TransitionNotAllowed, has_transition_perm

from supply_service.core.models import Callback, HandOver, SlaClock
from supply_service.core.services.sla import sla_start
from supply_service.core.services.workitems import (
    callback_attempts,
    callback_record,
    workitem_hand_over,
    workitem_number_next,
    workitem_prepare,
    workitem_record_no_callback,
)
from tests.factories.core import SampleItemFactory
from tests.kernel_app.models import SampleItem

SH = ZoneInfo("Asia/Shanghai")


def local(*args):
    return datetime(*args, tzinfo=SH)


@pytest.mark.django_db
def test_numbers_count_per_day_and_prefix():
    assert workitem_number_next(prefix="GD", at=local(2026, 11, 27, 9)) == "GD-20261127-0001"
    assert workitem_number_next(prefix="GD", at=local(2026, 11, 27, 23, 59)) == "GD-20261127-0002"
    assert workitem_number_next(prefix="TS", at=local(2026, 11, 27, 10)) == "TS-20261127-0001"
    # The day is the office's (Asia/Shanghai): 16:30 UTC on the 27th is already the 28th there.
    assert workitem_number_next(prefix="GD", at=datetime(2026, 11, 27, 16, 30, tzinfo=ZoneInfo("UTC"))) == (
        "GD-20261128-0001"
    )


@pytest.mark.django_db
def test_prepare_sets_number_first_responder_and_owner(clerk):
    item = SampleItem(office=clerk.office, channel="counter", request="No power")
    workitem_prepare(item=item, by=clerk, at=local(2026, 11, 27, 9))
    item.save()
    assert item.number == "TS-20261127-0001"
    assert item.first_responder == clerk and item.owner == clerk


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_numbers_unique_under_concurrent_callers_on_postgresql():
    numbers, errors = [], []

    def take():
        try:
            for _ in range(10):
                numbers.append(workitem_number_next(prefix="GD", at=local(2026, 11, 27, 9)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(numbers) == 80 and len(set(numbers)) == 80
    assert max(numbers) == "GD-20261127-0080"


@pytest.fixture
def item(clerk):
    return SampleItemFactory(office=clerk.office, first_responder=clerk, owner=clerk)


def grant(user, *codenames):
    from django.contrib.auth.models import Permission

    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


def resolve(item, at=None):
    item.resolve(at=at or local(2026, 11, 27, 11))
    item.save()


def test_close_needs_a_callback_or_a_recorded_reason_S13_5(item, clerk):
    resolve(item)
    assert not item.loop_closable()
    with pytest.raises(TransitionNotAllowed):
        item.close(at=local(2026, 11, 27, 12))
    callback_record(item=item, by=clerk, outcome=Callback.Outcome.UNREACHABLE, at=local(2026, 11, 27, 12))
    assert not item.loop_closable()
    callback_record(item=item, by=clerk, outcome=Callback.Outcome.SATISFIED, at=local(2026, 11, 27, 13))
    assert item.loop_closable()
    item.close(at=local(2026, 11, 27, 13, 5))
    item.save()
    assert SampleItem.objects.get(pk=item.pk).state == "closed"
    assert callback_attempts(item=item) == 2


def test_satisfied_callback_before_a_reopen_does_not_close_the_new_round(item, clerk):
    resolve(item, at=local(2026, 11, 27, 11))
    callback_record(item=item, by=clerk, outcome=Callback.Outcome.SATISFIED, at=local(2026, 11, 27, 12))
    item.reopen()
    item.save()
    resolve(item, at=local(2026, 11, 28, 9))
    assert not item.loop_closable()


def test_unsatisfied_callback_needs_a_note_and_reopens(item, clerk):
    resolve(item)
    with pytest.raises(ValidationError):
        callback_record(item=item, by=clerk, outcome=Callback.Outcome.UNSATISFIED)
    with pytest.raises(ValidationError):
        callback_record(item=item, by=clerk, outcome="maybe")
    callback_record(item=item, by=clerk, outcome=Callback.Outcome.UNSATISFIED, note="Voltage still low")
    item.reopen()
    item.save()
    assert SampleItem.objects.get(pk=item.pk).state == "received"


def test_recorded_reason_lets_the_loop_close(item):
    resolve(item)
    with pytest.raises(ValidationError):
        workitem_record_no_callback(item=item, reason=" ")
    workitem_record_no_callback(item=item, reason="Unreachable after 3 attempts")
    assert item.loop_closable()
    assert item.history.first().history_change_reason == "core.no_callback"


def test_close_permission_is_checked_by_role(item, clerk):
    resolve(item)
    workitem_record_no_callback(item=item, reason="Customer declined a callback")
    assert not has_transition_perm(item.close, clerk)
    assert has_transition_perm(item.close, grant(clerk, "close_sampleitem"))


def test_hand_over_records_it_and_moves_the_clocks_S10_3_3(item, clerk, dispatcher):
    sla_start(subject=item, commitment="repair_arrival", at=local(2026, 11, 27, 10))
    with pytest.raises(ValidationError):
        workitem_hand_over(item=item, to_user=dispatcher, by=clerk, reason="")
    with pytest.raises(ValidationError):
        workitem_hand_over(item=item, to_user=clerk, by=clerk, reason="same")
    workitem_hand_over(item=item, to_user=dispatcher, by=clerk, reason="Needs a crew")
    fresh = SampleItem.objects.get(pk=item.pk)
    assert fresh.owner == dispatcher and fresh.first_responder == clerk
    assert HandOver.objects.for_item(item).get().reason == "Needs a crew"
    assert SlaClock.objects.get().owner == dispatcher
    assert fresh.history.first().history_change_reason == "core.hand_over"


def test_stale_copy_raises_concurrent_transition(item):
    first = SampleItem.objects.get(pk=item.pk)
    second = SampleItem.objects.get(pk=item.pk)
    first.resolve(at=local(2026, 11, 27, 11))
    first.save()
    second.resolve(at=local(2026, 11, 27, 11, 1))
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        second.save()
    assert SampleItem.objects.get(pk=item.pk).resolved_at == local(2026, 11, 27, 11)


def test_state_cannot_be_assigned(item):
    with pytest.raises(AttributeError):
        item.state = "closed"


def test_history_records_every_change(item):
    resolve(item)
    assert [h.state for h in item.history.order_by("history_id")] == ["received", "resolved"]
