from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from supply_service.core.models import SlaClock
from supply_service.customers.models import Bill
from supply_service.customers.services import (
    bill_statuses_refresh,
    customer_set_pin,
    reading_record,
    reading_schedule,
)
from tests.factories.customers import BillFactory, CustomerFactory, MeterFactory, PaymentFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_pin_is_stored_hashed_and_checked(clerk):
    customer = CustomerFactory(office=clerk.office)
    customer_set_pin(customer=customer, pin="246810", by=clerk)
    assert "246810" not in customer.pin_hash and customer.pin_hash
    assert customer.check_pin("246810") and not customer.check_pin("246811")
    record = customer.history.first()
    assert record.history_change_reason == "customers.pin_reset"
    assert not hasattr(record, "pin_hash")  # never copied into history


@pytest.mark.parametrize("pin", ["12345", "1234567", "abcdef", "111111", "123456", "654321", ""])
def test_weak_or_malformed_pins_refused(clerk, pin):
    customer = CustomerFactory(office=clerk.office)
    with pytest.raises(ValidationError):
        customer_set_pin(customer=customer, pin=pin, by=clerk)
    assert not customer.has_pin


def test_pin_reset_needs_permission(crew, agent):
    customer = CustomerFactory(office=crew.office)
    for user in (crew, agent):
        with pytest.raises(PermissionDenied):
            customer_set_pin(customer=customer, pin="246810", by=user)


def test_bill_statuses_follow_payments_oldest_first(office, django_assert_max_num_queries):
    customer = CustomerFactory(office=office)
    first = BillFactory(customer=customer, period=date(2026, 8, 1), amount=Decimal("100.00"))
    second = BillFactory(customer=customer, period=date(2026, 9, 1), amount=Decimal("100.00"))
    third = BillFactory(customer=customer, period=date(2026, 10, 1), amount=Decimal("100.00"))
    PaymentFactory(customer=customer, amount=Decimal("150.00"))
    assert bill_statuses_refresh(customer_ids=[customer.pk]) == 1
    statuses = dict(Bill.objects.values_list("pk", "status"))
    assert [statuses[b.pk] for b in (first, second, third)] == ["paid", "issued", "issued"]
    PaymentFactory(customer=customer, amount=Decimal("150.00"))
    with django_assert_max_num_queries(6):
        bill_statuses_refresh(customer_ids=[customer.pk])
    assert set(Bill.objects.values_list("status", flat=True)) == {"paid"}
    assert Bill.objects.get(pk=third.pk).history.first().history_change_reason == "customers.bill_status"


def test_reading_on_the_scheduled_date_meets_S10_2_3(office):
    meter = MeterFactory(customer=CustomerFactory(office=office))
    reading = reading_schedule(meter=meter, scheduled_on=date(2026, 11, 25))
    assert reading_schedule(meter=meter, scheduled_on=date(2026, 11, 25)).pk == reading.pk
    clock = SlaClock.objects.get()
    assert clock.due_at == datetime(2026, 11, 26, 0, 0, tzinfo=SH) and clock.office == office
    reading_record(reading=reading, read_on=date(2026, 11, 25), value=Decimal("1234.50"))
    assert SlaClock.objects.get().state == "met"


def test_reading_after_the_scheduled_date_breaks_S10_2_3(office):
    meter = MeterFactory(customer=CustomerFactory(office=office))
    reading = reading_schedule(meter=meter, scheduled_on=date(2026, 11, 25))
    reading_record(reading=reading, read_on=date(2026, 11, 26), value=Decimal("1234.50"))
    assert SlaClock.objects.get().state == "breached"
