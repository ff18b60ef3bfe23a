from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from supply_service.customers.models import KioskLookup
from supply_service.customers.services import KioskRefused, customer_set_pin, customer_verify_for_kiosk
from tests.factories.customers import CustomerFactory

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 27, 10, 0, tzinfo=SH)
pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(clerk):
    c = CustomerFactory(account_number="3100000555", office=clerk.office)
    customer_set_pin(customer=c, pin="246810", by=clerk)
    return c


def verify(account, pin, *, client="kiosk-1", minutes=0, session_failures=0):
    return customer_verify_for_kiosk(account_number=account, pin=pin, client=client,
                                     session_failures=session_failures, at=T0 + timedelta(minutes=minutes))


def test_right_pin_verifies_and_is_recorded(customer):
    assert verify("3100000555", "246810") == customer
    lookup = KioskLookup.objects.get()
    assert (lookup.outcome, lookup.customer, lookup.client) == ("verified", customer, "kiosk-1")


def test_wrong_account_and_wrong_pin_look_the_same(customer):
    assert verify("3100000555", "000000") is None
    assert verify("3199999999", "246810") is None
    assert list(KioskLookup.objects.order_by("at", "pk").values_list("outcome", flat=True)) == ["wrong", "wrong"]


def test_account_locks_after_the_policy_number_of_failures(customer):
    for n in range(5):
        assert verify("3100000555", "000000", client=f"k{n}", minutes=n) is None
    with pytest.raises(KioskRefused) as refused:
        verify("3100000555", "246810", client="k9", minutes=6)  # even the right PIN
    assert refused.value.outcome == "locked"
    assert verify("3100000555", "246810", client="k9", minutes=40) == customer  # after the lockout window


def test_session_and_terminal_throttling(customer):
    with pytest.raises(KioskRefused) as refused:
        verify("3100000555", "246810", session_failures=5)
    assert refused.value.outcome == "throttled"
    for n in range(20):
        verify(f"31000{n:05d}", "000000", client="busy-office", minutes=0)
    assert verify("3100000555", "246810", client="busy-office", minutes=1) == customer  # others still get in
    for n in range(50):
        verify(f"31000{n:05d}", "000000", client="noisy", minutes=0)
    with pytest.raises(KioskRefused):
        verify("3100000555", "246810", client="noisy", minutes=1)


def test_no_pin_set_never_verifies(clerk):
    CustomerFactory(account_number="3100000556", office=clerk.office)
    assert verify("3100000556", "") is None
    assert verify("3100000556", "246810") is None
