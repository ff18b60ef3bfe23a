"""The queue: numbers, priorities that never starve the ordinary queue, the green channel, calling, recall limit,
no-show, transfer, the number becoming the S10.2.1 transaction, the SMS reminder."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from supply_service.core import hooks
from supply_service.core.models import Outbox, Policy, SlaClock
from supply_service.counter import selectors, services
from supply_service.counter.models import BoardCall, QueueTicket
from supply_service.tickets.models import CounterTransaction
from tests.counter.conftest import NOW
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db


def take(service, at=None, **kw):
    return services.ticket_take(service=service, at=at or NOW, **kw)


def opened(window, clerk):
    return services.window_open(window=window, by=clerk)


def test_numbers_per_service_and_day(hall, frozen):
    fee, business = hall["services"]["fee"], hall["services"]["business"]
    assert [take(fee).number, take(fee).number, take(business).number] == ["A001", "A002", "B001"]
    assert take(fee, at=NOW + timedelta(days=1)).number == "A001"


def test_calls_in_order_of_taking(hall, fee, win1, clerk, frozen):
    first, second = take(fee, at=NOW - timedelta(minutes=2)), take(fee, at=NOW - timedelta(minutes=1))
    opened(win1, clerk)
    called = services.ticket_call_next(window=win1, by=clerk)
    assert called == first and called.state == "called" and called.window == win1
    assert BoardCall.objects.get().ticket == first
    services.ticket_no_show(ticket=called, by=clerk)
    assert services.ticket_call_next(window=win1, by=clerk) == second


def test_priority_goes_ahead_by_a_bounded_head_start_and_never_starves_the_ordinary_queue_S10_3_3(
        fee, win1, clerk, frozen):
    head = int(Policy.objects.get(code="counter_assisted_head_start_minutes").value)
    old = take(fee, at=NOW - timedelta(minutes=head + 1))   # waited longer than the head start
    recent = take(fee, at=NOW - timedelta(minutes=1))
    elderly = take(fee, at=NOW, priority="assisted")
    opened(win1, clerk)
    order = []
    for _ in range(3):
        ticket = services.ticket_call_next(window=win1, by=clerk)
        order.append(ticket.number)
        services.ticket_no_show(ticket=ticket, by=clerk)
    assert order == [old.number, elderly.number, recent.number]


def test_head_start_comes_from_the_policy_table(fee, win1, clerk, frozen):
    Policy.objects.filter(code="counter_assisted_head_start_minutes").update(value=0)
    ordinary = take(fee, at=NOW - timedelta(seconds=1))
    take(fee, at=NOW, priority="assisted")
    opened(win1, clerk)
    assert services.ticket_call_next(window=win1, by=clerk) == ordinary


def test_green_channel_calls_priority_numbers_first_and_needs_a_manager(fee, win1, clerk, manager, frozen):
    ordinary = take(fee, at=NOW - timedelta(hours=2))
    elderly = take(fee, at=NOW, priority="assisted")
    with pytest.raises(PermissionDenied):
        services.window_green_channel(window=win1, by=clerk, on=True)
    services.window_green_channel(window=win1, by=manager, on=True)
    opened(win1, clerk)
    assert services.ticket_call_next(window=win1, by=clerk) == elderly
    services.ticket_no_show(ticket=elderly, by=clerk)
    assert services.ticket_call_next(window=win1, by=clerk) == ordinary


def test_appointment_numbers_need_a_code_checked_through_the_kernel_hook(fee, office, frozen, monkeypatch):
    monkeypatch.setitem(hooks._HANDLERS, "appointment_code_check", [])  # nobody answering (appointments not wired)
    with pytest.raises(ValidationError):
        take(fee, priority="appointment")
    unchecked = take(fee, priority="appointment", appointment_code="YY-1")
    assert unchecked.appointment_checked is None  # issued, checked at the window
    monkeypatch.setitem(hooks._HANDLERS, "appointment_code_check", [lambda *, code, office: code == "YY-OK"])
    with pytest.raises(ValidationError):
        take(fee, priority="appointment", appointment_code="YY-BAD")
    assert take(fee, priority="appointment", appointment_code="YY-OK").appointment_checked is True


def test_a_window_must_be_open_and_the_clerks_own(fee, win1, clerk, outsider, frozen):
    take(fee)
    with pytest.raises(ValidationError):
        services.ticket_call_next(window=win1, by=clerk)
    with pytest.raises(PermissionDenied):
        services.window_open(window=win1, by=outsider)  # another office
    opened(win1, clerk)
    services.ticket_call_next(window=win1, by=clerk)
    with pytest.raises(ValidationError):  # one customer at a time
        services.ticket_call_next(window=win1, by=clerk)
    with pytest.raises(ValidationError):
        services.window_close(window=win1, by=clerk)


def test_a_crew_member_cannot_call(fee, win1, crew, frozen):
    with pytest.raises(PermissionDenied):
        services.window_open(window=win1, by=crew)


def test_nobody_waiting_returns_none(win1, clerk, frozen):
    opened(win1, clerk)
    assert services.ticket_call_next(window=win1, by=clerk) is None


def test_recall_up_to_the_policy_limit_then_no_show(fee, win1, clerk, frozen):
    Policy.objects.filter(code="counter_recall_limit").update(value=2)
    take(fee)
    opened(win1, clerk)
    ticket = services.ticket_call_next(window=win1, by=clerk)
    services.ticket_call_again(ticket=ticket, by=clerk)
    services.ticket_call_again(ticket=ticket, by=clerk)
    with pytest.raises(ValidationError):
        services.ticket_call_again(ticket=ticket, by=clerk)
    assert BoardCall.objects.filter(ticket=ticket).count() == 3
    services.ticket_no_show(ticket=ticket, by=clerk)
    ticket.refresh_from_db()
    assert ticket.state == "no_show" and ticket.transaction is None


def test_the_number_becomes_the_transaction_and_its_clock_runs_from_the_call_S10_2_1(fee, win1, clerk, frozen):
    customer = CustomerFactory(office=win1.office)
    take(fee)
    opened(win1, clerk)
    ticket = services.ticket_call_next(window=win1, by=clerk)
    frozen.shift(timedelta(minutes=1))
    ticket = services.ticket_serve(ticket=ticket, by=clerk, customer=customer)
    record = ticket.transaction
    assert record.kind == CounterTransaction.Kind.FEE_RESIDENTIAL and record.started_at == NOW
    assert record.customer == customer
    clock = SlaClock.objects.get(object_id=record.pk, commitment__code="counter_fee_residential")
    assert clock.started_at == NOW and clock.due_at == NOW + timedelta(minutes=5)
    frozen.shift(timedelta(minutes=5))  # six minutes after the call
    services.ticket_finish(ticket=ticket, by=clerk)
    clock = SlaClock.objects.get(pk=clock.pk)
    ticket.refresh_from_db()
    assert clock.state == "breached" and ticket.state == "done"


def test_transfer_waits_again_in_the_other_service_keeping_its_time(hall, fee, win1, clerk, frozen):
    business = hall["services"]["business"]
    ticket = take(fee, at=NOW - timedelta(minutes=5))
    later = take(business, at=NOW - timedelta(minutes=1))
    opened(win1, clerk)
    ticket = services.ticket_call_next(window=win1, by=clerk)
    ticket = services.ticket_serve(ticket=ticket, by=clerk)
    services.ticket_transfer(ticket=ticket, by=clerk, service=business)
    ticket.refresh_from_db()
    assert ticket.state == "waiting" and ticket.service == business and ticket.transaction is None
    assert CounterTransaction.objects.get().finished_at is not None
    assert services.ticket_call_next(window=win1, by=clerk) == ticket  # taken before `later`
    assert later.state == "waiting"


def test_sms_heads_up_once_when_few_numbers_are_ahead(fee, win1, clerk, frozen):
    Policy.objects.filter(code="counter_heads_up_ahead").update(value=1)
    tickets = [take(fee, at=NOW - timedelta(minutes=10 - i), phone=f"1380000000{i}") for i in range(4)]
    opened(win1, clerk)
    called = services.ticket_call_next(window=win1, by=clerk)
    assert called == tickets[0]
    assert sorted(Outbox.objects.values_list("recipient", flat=True)) == ["13800000001", "13800000002"]
    services.ticket_no_show(ticket=called, by=clerk)
    services.ticket_call_next(window=win1, by=clerk)
    assert Outbox.objects.count() == 3  # the next one; nobody twice
    assert "A002" in Outbox.objects.get(recipient="13800000001").body


def test_slip_position_and_estimated_wait_from_policy(fee, win1, clerk, frozen):
    Policy.objects.filter(code="counter_default_handling_minutes").update(value=4)
    take(fee, at=NOW - timedelta(minutes=3))
    take(fee, at=NOW - timedelta(minutes=2))
    mine = take(fee)
    position = selectors.ticket_position(ticket=mine)
    assert position.ahead == 2 and position.wait_minutes == 8
    opened(win1, clerk)
    assert selectors.ticket_position(ticket=mine).wait_minutes == 8  # one window open
    assert QueueTicket.objects.filter(state="waiting").count() == 3
