from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from supply_service.customers.selectors import months_back
from supply_service.customers.services import customer_set_pin
from tests.factories.customers import BillFactory, CustomerFactory, PaymentFactory

PIN = "246810"
ACCOUNT = "3100000555"


@pytest.fixture
def customer(clerk):
    c = CustomerFactory(account_number=ACCOUNT, office=clerk.office, name="欧阳小明", address="人民路 12 号 3 单元 401")
    customer_set_pin(customer=c, pin=PIN, by=clerk)
    return c


@pytest.fixture
def other_customer(clerk):
    c = CustomerFactory(account_number="3100000777", office=clerk.office, name="李四海", address="解放路 8 号 2 单元 101")
    customer_set_pin(customer=c, pin="135790", by=clerk)
    return c


def add_bills(customer, months: int, *, unpaid_last: bool = True):
    """`months` monthly bills ending this month (kWh varies so the chart has shape), all paid but the newest."""
    today = timezone.localdate()
    bills = []
    for back in range(months):
        period = months_back(today, back)
        bills.append(BillFactory(
            customer=customer, period=period, kwh=Decimal(150 + (back * 37) % 200), amount=Decimal("100.00"),
            due_date=period.replace(day=25), status="issued" if (unpaid_last and back == 0) else "paid",
        ))
    return bills


def add_payments(customer, count: int):
    now = timezone.now()
    return [PaymentFactory(customer=customer, paid_at=now - timedelta(days=30 * n), amount=Decimal("100.00"))
            for n in range(count)]


def verify(client, account=ACCOUNT, pin=PIN, **extra):
    return client.post("/kiosk/verify/", {"account_number": account, "pin": pin, **extra})
