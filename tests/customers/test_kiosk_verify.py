"""The kiosk verification service: the lockout rule, its reset, the throttles, and that every outcome costs the same
(S10.3.1). The rule: N failures (Policy kiosk_lockout_failures, 5) within W minutes (kiosk_lockout_minutes, 30) lock
the account for W minutes from the N-th failure; a success resets the count; attempts while locked are refused
without checking the PIN and do not extend the lockout."""

import contextlib
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import get_hasher
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supply_service.core.models import Policy
from supply_service.customers.kiosk_verification import KioskRefused, customer_verify_for_kiosk
from supply_service.customers.models import KioskLookup
from supply_service.customers.services import customer_set_pin
from tests.factories.customers import CustomerFactory

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 27, 10, 0, tzinfo=SH)
ACCOUNT, PIN, WRONG = "3100000555", "246810", "000000"
pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(clerk):
    c = CustomerFactory(account_number=ACCOUNT, office=clerk.office)
    customer_set_pin(customer=c, pin=PIN, by=clerk)
    return c


def attempt(account=ACCOUNT, pin=PIN, *, client="kiosk-1", minutes=0.0, session_failures=0):
    return customer_verify_for_kiosk(account_number=account, pin=pin, client=client,
                                     session_failures=session_failures, at=T0 + timedelta(minutes=minutes))


def verify(account=ACCOUNT, pin=PIN, **kwargs):
    return attempt(account, pin, **kwargs).customer


def refusal(account=ACCOUNT, pin=PIN, **kwargs) -> KioskRefused:
    with pytest.raises(KioskRefused) as refused:
        attempt(account, pin, **kwargs)
    return refused.value


def outcomes() -> list[str]:
    return list(KioskLookup.objects.order_by("at", "pk").values_list("outcome", flat=True))


def test_right_pin_verifies_and_is_recorded(customer):
    assert verify() == customer
    lookup = KioskLookup.objects.get()
    assert (lookup.outcome, lookup.customer, lookup.client) == ("verified", customer, "kiosk-1")


def test_wrong_account_and_wrong_pin_look_the_same(customer):
    assert verify(pin=WRONG) is None
    assert verify("3199999999") is None
    assert outcomes() == ["wrong", "wrong"]


def test_lockout_starts_at_the_nth_failure_and_lasts_the_policy_minutes_from_it_S10_3_1(customer):
    for n, minute in enumerate([0, 5, 10, 15, 20]):  # spread over the window, each from another terminal
        assert verify(pin=WRONG, client=f"k{n}", minutes=minute) is None
    locked = refusal(client="k9", minutes=21)  # even the right PIN
    assert locked.outcome == "locked" and locked.until == T0 + timedelta(minutes=50)
    assert refusal(client="k8", minutes=49.9).outcome == "locked"  # the first failures left the window long ago
    assert verify(client="k9", minutes=50) == customer  # 30 minutes after the 5th failure


def test_the_policy_numbers_are_read_from_the_policy_table(customer):
    Policy.objects.filter(code="kiosk_lockout_failures").update(value=2)
    Policy.objects.filter(code="kiosk_lockout_minutes").update(value=10)
    verify(pin=WRONG, minutes=0)
    verify(pin=WRONG, minutes=1)
    assert refusal(minutes=10.9).until == T0 + timedelta(minutes=11)
    assert verify(minutes=11) == customer


def test_attempts_while_locked_never_check_the_pin_from_any_session_or_terminal(customer):
    for n in range(5):
        verify(pin=WRONG, client=f"k{n}", minutes=n)
    for n in range(14):  # interleaved fresh sessions and terminals, wrong and right PINs
        assert refusal(pin=PIN if n % 3 == 0 else WRONG, client=f"fresh{n}", minutes=4 + 2 * n).outcome == "locked"
    assert outcomes() == ["wrong"] * 5 + ["locked"] * 14


def test_refused_attempts_do_not_extend_the_lockout(customer):
    for n in range(5):
        verify(pin=WRONG, minutes=n)
    for minute in (5, 20, 33.9):
        refusal(minutes=minute)
    assert verify(minutes=34) == customer


def test_a_success_resets_the_count(customer):
    for n in range(4):
        verify(pin=WRONG, minutes=n)
    assert verify(minutes=5) == customer
    for n in range(4):
        assert attempt(pin=WRONG, minutes=6 + n).attempts_left == 4 - n
    assert verify(minutes=11) == customer


def test_after_a_lockout_the_count_starts_afresh(customer):
    for n in range(5):
        verify(pin=WRONG, minutes=n)
    assert attempt(pin=WRONG, minutes=35).attempts_left == 4
    assert outcomes()[-1] == "wrong"


def test_failures_spread_wider_than_the_window_never_lock(customer):
    for n in range(10):  # every 8 minutes: never 5 within 30 minutes
        assert verify(pin=WRONG, minutes=8 * n) is None
    assert verify(minutes=80) == customer
    assert "locked" not in outcomes()


def test_attempts_left_count_down_to_the_lockout(customer):
    assert [attempt(pin=WRONG, minutes=n).attempts_left for n in range(5)] == [4, 3, 2, 1, 0]
    assert refusal(minutes=5).outcome == "locked"


def test_an_unknown_account_number_locks_like_a_real_one(customer):
    assert [attempt("3199999999", WRONG, minutes=n).attempts_left for n in range(5)] == [4, 3, 2, 1, 0]
    assert refusal("3199999999", minutes=5).outcome == "locked"
    assert verify(minutes=5) == customer  # other accounts are not affected


def test_session_and_terminal_throttling(customer):
    assert refusal(session_failures=5).outcome == "throttled"
    for n in range(20):
        verify(f"31000{n:05d}", WRONG, client="busy-office")
    assert verify(client="busy-office", minutes=1) == customer  # others still get in
    for n in range(50):
        verify(f"31000{n:05d}", WRONG, client="noisy")
    assert refusal(client="noisy", minutes=1).outcome == "throttled"
    assert verify(client="quiet", minutes=1) == customer


def test_refused_attempts_count_towards_the_terminal_throttle(customer):
    Policy.objects.filter(code="kiosk_lockout_failures").update(value=1)
    verify(pin=WRONG, client="other")
    for n in range(10):  # limit × 10 attempts on a locked account from one terminal
        refusal(client="prober", minutes=n / 10)
    assert refusal("3199999998", WRONG, client="prober", minutes=2).outcome == "throttled"


def test_no_pin_set_never_verifies(clerk):
    CustomerFactory(account_number="3100000556", office=clerk.office)
    assert verify("3100000556", "") is None
    assert verify("3100000556", PIN) is None


# --- every branch costs the same: one run of the password hasher, the same queries -----------------------------
@pytest.fixture
def hasher_runs(monkeypatch):
    """Count the runs of the configured password hasher (make_password and check_password both call encode)."""
    hasher_class = type(get_hasher())
    encode = hasher_class.encode
    runs = []

    def counting(self, password, salt, *args, **kwargs):
        runs.append(password)
        return encode(self, password, salt, *args, **kwargs)

    monkeypatch.setattr(hasher_class, "encode", counting)
    return runs


@pytest.fixture
def branches(customer, clerk):
    """Each branch of a verification, as a call that returns (or raises) at the next minute."""
    CustomerFactory(account_number="3100000556", office=clerk.office)  # no PIN
    for n in range(5):
        verify("3100000557", WRONG, minutes=n)  # an unknown account number, now locked
    return {
        "unknown account": lambda m: attempt("3100000999", PIN, minutes=m),
        "account without a PIN": lambda m: attempt("3100000556", PIN, minutes=m),
        "wrong PIN": lambda m: attempt(ACCOUNT, WRONG, minutes=m),
        "locked account": lambda m: attempt("3100000557", PIN, minutes=m),
        "throttled session": lambda m: attempt(ACCOUNT, PIN, minutes=m, session_failures=5),
        "right PIN": lambda m: attempt(ACCOUNT, PIN, minutes=m),
    }


def run(branch, minute):
    with contextlib.suppress(KioskRefused):
        branch(minute)


def test_every_branch_runs_the_password_hasher_exactly_once(branches, hasher_runs):
    for minute, (name, branch) in enumerate(branches.items(), start=6):
        hasher_runs.clear()
        run(branch, minute)
        assert len(hasher_runs) == 1, name


def shape(sql: str) -> str:
    """A query without its values (numbers, quoted strings, NULL), savepoint names and spacing."""
    return re.sub(r"\s+", " ", re.sub(r"'[^']*'|-?\b\d+(\.\d+)?\b|\bNULL\b|SAVEPOINT \"\w+\"", "?", sql))


def test_every_branch_runs_the_same_queries(branches):
    seen = {}
    for minute, (name, branch) in enumerate(branches.items(), start=6):
        with CaptureQueriesContext(connection) as queries:
            run(branch, minute)
        seen[name] = [shape(q["sql"]) for q in queries.captured_queries]
    reference = seen["right PIN"]
    assert len(reference) >= 4
    assert all(queries == reference for queries in seen.values()), {k: len(v) for k, v in seen.items()}
