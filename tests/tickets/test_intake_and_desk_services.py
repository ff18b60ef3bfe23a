"""Writes of the intake and the desks are services (issue 11): one transaction each, checks and locks inside."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from supply_service.outages.services import outage_publish
from supply_service.tickets.models import CallRecord, Consultation, CounterTransaction, RepairTicket
from supply_service.tickets.services import (
    call_create_ticket,
    call_record_create,
    counter_finish,
    counter_start,
    ticket_create_from_intake,
)
from tests.factories.customers import CustomerFactory, FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice

pytestmark = pytest.mark.django_db


def test_a_repair_call_of_a_customer_under_a_known_outage_is_linked_to_it(agent, dispatcher, office):
    area = TransformerAreaFactory(feeder=FeederFactory(office=office, code="10kV-101"), code="TA-101-01")
    customer = CustomerFactory(office=office, transformer_area=area, feeder=area.feeder)
    notice = make_notice(dispatcher, kind="emergency", areas=[area], start=timezone.now())
    outage_publish(notice=notice, by=dispatcher)
    ticket = ticket_create_from_intake(model=RepairTicket, by=agent, channel="phone", request="停电",
                                       fault_address="人民路", customer=customer)
    assert ticket.outage_ref == notice.number
    other = ticket_create_from_intake(model=RepairTicket, by=agent, channel="phone", request="停电",
                                      fault_address="人民路", customer=CustomerFactory(office=office))
    assert other.outage_ref == ""


def test_a_consultation_answered_at_once_is_closed(clerk):
    ticket = ticket_create_from_intake(model=Consultation, by=clerk, channel="counter", request="峰谷电价？",
                                       answer="可以在营业厅办理。")
    assert Consultation.objects.get(pk=ticket.pk).state == "closed"


def test_an_answer_on_another_kind_saves_nothing(agent):
    with pytest.raises(ValidationError):
        ticket_create_from_intake(model=RepairTicket, by=agent, channel="phone", request="停电",
                                  fault_address="人民路", answer="已答复")
    assert not RepairTicket.objects.exists()


def test_a_counter_transaction_is_finished_once_even_from_a_stale_copy(clerk):
    record = counter_start(clerk=clerk, kind="fee_residential")
    stale = CounterTransaction.objects.get(pk=record.pk)
    counter_finish(record=record, by=clerk)
    with pytest.raises(ValidationError):
        counter_finish(record=stale, by=clerk, note="again")
    assert CounterTransaction.objects.get(pk=record.pk).note == ""


def test_a_second_open_counter_transaction_is_refused(clerk):
    counter_start(clerk=clerk, kind="fee_residential")
    with pytest.raises(ValidationError):
        counter_start(clerk=clerk, kind="other")
    assert CounterTransaction.objects.count() == 1


def test_a_call_gets_one_ticket_even_from_a_stale_copy(agent):
    call = call_record_create(agent=agent, rang_at=timezone.now() - timedelta(minutes=1), ring_seconds=5,
                              caller_phone="13800001111")
    stale = CallRecord.objects.get(pk=call.pk)
    call_create_ticket(call=call, model=RepairTicket, by=agent, request="停电", fault_address="人民路")
    with pytest.raises(ValidationError):
        call_create_ticket(call=stale, model=RepairTicket, by=agent, request="停电", fault_address="人民路")
    assert RepairTicket.objects.count() == 1
