"""Disconnection for arrears and reconnection within the `reconnection` commitment (State Grid: 24 hours after the
arrears are paid) — issue 9, "Commitments State Grid makes today"."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from supply_service.core.models import Commitment, SlaClock
from supply_service.customers.models import PaymentMethod
from supply_service.customers.services import (
    customer_disconnect,
    customer_reconnect,
    customers_arrears_paid,
    payment_record,
)
from tests.factories.customers import BillFactory, CustomerFactory, PaymentFactory

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(2026, *args, tzinfo=SH)


@pytest.fixture
def owing(office):
    customer = CustomerFactory(office=office)
    BillFactory(customer=customer, amount=Decimal("112.60"))
    return customer


def _clock(customer):
    return SlaClock.objects.filter(content_type__model="customer", object_id=customer.pk).latest("started_at")


def test_payment_that_clears_the_arrears_starts_the_reconnection_clock(owing, dispatcher, manager):
    customer_disconnect(customer=owing, by=dispatcher, reason="欠费停电，已送达催费通知", at=at(11, 20, 9, 0))
    payment_record(customer=owing, amount=Decimal("100.00"), method=PaymentMethod.objects.get(code="counter"),
                   reference="P-1", by=manager, paid_at=at(11, 25, 10, 0))
    assert not SlaClock.objects.filter(content_type__model="customer", object_id=owing.pk).exists()  # still owes
    payment_record(customer=owing, amount=Decimal("12.60"), method=PaymentMethod.objects.get(code="counter"),
                   reference="P-2", by=manager, paid_at=at(11, 25, 11, 0))
    clock = _clock(owing)
    assert clock.commitment.code == "reconnection"
    assert clock.started_at == at(11, 25, 11, 0) and clock.due_at == at(11, 26, 11, 0)
    customer_reconnect(customer=owing, by=dispatcher, at=at(11, 25, 18, 0))
    owing.refresh_from_db()
    assert owing.disconnected_at is None and _clock(owing).state == "met"


def test_late_reconnection_breaches(owing, dispatcher):
    customer_disconnect(customer=owing, by=dispatcher, reason="欠费", at=at(11, 20, 9, 0))
    PaymentFactory(customer=owing, amount=Decimal("112.60"), paid_at=at(11, 25, 11, 0))
    assert customers_arrears_paid(customer_ids=[owing.pk]) == 1
    assert customers_arrears_paid(customer_ids=[owing.pk]) == 0  # one clock, however often it is asked
    customer_reconnect(customer=owing, by=dispatcher, at=at(11, 27, 9, 0))
    assert _clock(owing).state == "breached"


def test_the_limit_is_data(owing, dispatcher):
    Commitment.objects.filter(code="reconnection").update(limit=Decimal("12"))
    customer_disconnect(customer=owing, by=dispatcher, reason="欠费", at=at(11, 20, 9, 0))
    PaymentFactory(customer=owing, amount=Decimal("112.60"), paid_at=at(11, 25, 11, 0))
    customers_arrears_paid(customer_ids=[owing.pk])
    assert _clock(owing).due_at == at(11, 25, 11, 0) + timedelta(hours=12)


def test_disconnection_rules(owing, dispatcher, clerk, office, outsider):
    with pytest.raises(PermissionDenied):
        customer_disconnect(customer=owing, by=clerk, reason="欠费")
    with pytest.raises(ValidationError):
        customer_disconnect(customer=CustomerFactory(office=office), by=dispatcher, reason="欠费")  # owes nothing
    with pytest.raises(ValidationError):
        customer_disconnect(customer=owing, by=dispatcher, reason="  ")
    with pytest.raises(ValidationError):
        customer_reconnect(customer=owing, by=dispatcher)  # not disconnected


def test_customer_page_shows_the_disconnection_and_its_clock(client, owing, dispatcher):
    client.force_login(dispatcher)
    response = client.post(f"/customers/{owing.pk}/disconnect/", {"reason": "欠费停电"})
    assert response.status_code == 302
    PaymentFactory(customer=owing, amount=Decimal("112.60"), paid_at=at(11, 25, 11, 0))
    customers_arrears_paid(customer_ids=[owing.pk])
    html = client.get(f"/customers/{owing.pk}/").content.decode()
    assert 'data-disconnected="yes"' in html and 'id="reconnect-form"' in html
    client.post(f"/customers/{owing.pk}/reconnect/")
    owing.refresh_from_db()
    assert owing.disconnected_at is None
