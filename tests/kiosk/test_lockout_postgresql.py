"""Twenty wrong PINs at once on one account (PostgreSQL, threads): the count and the check run in one locked step,
so the PIN is checked at most Policy kiosk_lockout_failures times and the rest are refused as locked (S10.3.1).
An unknown account number is serialised and locked the same way (no enumeration by concurrency)."""

import threading

import pytest
from django.db import connection

from supply_service.customers import kiosk_verification
from supply_service.customers.kiosk_verification import KioskRefused, customer_verify_for_kiosk
from supply_service.customers.models import KioskLookup
from supply_service.customers.services import customer_set_pin
from tests.factories.customers import CustomerFactory

ATTEMPTS = 20


def wrong_pins_at_once(account_number: str) -> list:
    barrier = threading.Barrier(ATTEMPTS, timeout=30)
    outcomes: list = [None] * ATTEMPTS

    def attempt(index: int) -> None:
        try:
            barrier.wait()
            result = customer_verify_for_kiosk(account_number=account_number, pin="000000", client=f"k{index}")
            outcomes[index] = "wrong" if result.customer is None else "verified"
        except KioskRefused as refused:
            outcomes[index] = refused.outcome
        except Exception as exc:  # noqa: BLE001 — the assertions below show it
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("account_number", ["3100000555", "3100000999"], ids=["known", "unknown"])
def test_twenty_wrong_pins_at_once_check_the_pin_at_most_the_policy_times_on_postgresql(
        clerk, monkeypatch, account_number):
    customer = CustomerFactory(account_number="3100000555", office=clerk.office)
    customer_set_pin(customer=customer, pin="246810", by=clerk)
    checks = []
    check_password = kiosk_verification.check_password
    monkeypatch.setattr(kiosk_verification, "check_password",
                        lambda *args, **kwargs: checks.append(1) or check_password(*args, **kwargs))

    outcomes = wrong_pins_at_once(account_number)

    assert sorted(map(str, outcomes)) == ["locked"] * (ATTEMPTS - 5) + ["wrong"] * 5, outcomes
    assert len(checks) == (5 if account_number == "3100000555" else 0)
    recorded = KioskLookup.objects.filter(account_number=account_number)
    assert recorded.filter(outcome="wrong").count() == 5 and recorded.filter(outcome="locked").count() == ATTEMPTS - 5
