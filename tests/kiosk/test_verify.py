"""Verification at the kiosk: account number + query PIN, one message for both mistakes, lockout from the Policy
table, every attempt recorded (S10.3.1)."""

import re

import pytest

from supply_service.core.models import Policy
from supply_service.customers.models import KioskLookup
from supply_service.kiosk.access import client_hash
from tests.kiosk.conftest import ACCOUNT, PIN, verify

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.kiosk.urls_for_tests")]


def without_csrf(content: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())


def test_right_account_and_pin_open_the_account_with_a_new_session_key(client, customer):
    client.get("/kiosk/verify/")
    before = client.session.session_key
    response = verify(client)
    assert response.status_code == 302 and response["Location"] == "/kiosk/account/"
    session = client.session
    assert session.session_key != before
    assert session["kiosk_customer"] == customer.pk
    assert set(session.keys()) == {"kiosk_customer", "kiosk_verified_at", "kiosk_seen_at"}
    lookup = KioskLookup.objects.get()
    assert (lookup.outcome, lookup.customer, lookup.account_number) == ("verified", customer, ACCOUNT)


def test_the_terminal_is_a_hash_never_the_address(client, customer, rf):
    verify(client)
    lookup = KioskLookup.objects.get()
    assert "127.0.0.1" not in lookup.client and len(lookup.client) == 64
    request = rf.get("/", REMOTE_ADDR="127.0.0.1")
    assert lookup.client == client_hash(request)
    assert client_hash(rf.get("/", REMOTE_ADDR="10.0.0.9")) != lookup.client


def test_the_office_of_the_terminal_is_recorded(client, customer, other_office):
    client.get(f"/kiosk/office/{other_office.code}/")
    verify(client)
    assert KioskLookup.objects.get().office == other_office


def test_section_chosen_on_the_home_page_opens_after_verification(client, customer):
    client.get("/kiosk/verify/?section=progress")
    response = verify(client, section="progress")
    assert response["Location"] == "/kiosk/account/#progress"


def test_an_unknown_section_is_ignored(client, customer):
    html = client.get("/kiosk/verify/?section=/evil").content.decode()
    assert re.search(r'<input type="hidden" name="section" id="id_section">', html)
    assert verify(client, section="//evil.example")["Location"] == "/kiosk/account/"


def test_wrong_account_and_wrong_pin_give_the_same_page(client, customer):
    wrong_pin = verify(client, pin="999999")
    wrong_account = verify(client, account="3100000999")
    assert wrong_pin.status_code == wrong_account.status_code == 400
    assert without_csrf(wrong_pin.content) == without_csrf(wrong_account.content)
    assert 'id="kiosk-verify-error"' in wrong_pin.content.decode()
    # Nothing typed is shown again (the next person at the terminal sees an empty form).
    assert ACCOUNT not in wrong_pin.content.decode() and "3100000999" not in wrong_account.content.decode()
    assert "kiosk_customer" not in client.session
    assert list(KioskLookup.objects.order_by("pk").values_list("outcome", flat=True)) == ["wrong", "wrong"]


@pytest.mark.parametrize("data", [
    {"account_number": "123", "pin": PIN},
    {"account_number": "31000005x5", "pin": PIN},
    {"account_number": ACCOUNT, "pin": "12345"},
    {"account_number": ACCOUNT, "pin": "12a456"},
    {"account_number": "", "pin": ""},
    {"account_number": ACCOUNT * 30, "pin": PIN * 30},
])
def test_malformed_input_gets_a_message_and_looks_nothing_up(client, customer, data):
    response = client.post("/kiosk/verify/", data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not KioskLookup.objects.exists()


def test_account_locks_after_the_policy_number_of_failures(client, customer):
    Policy.objects.filter(code="kiosk_lockout_failures").update(value=3)
    Policy.objects.filter(code="kiosk_lockout_minutes").update(value=20)
    for n in range(3):
        other = client.__class__(REMOTE_ADDR=f"10.0.0.{n + 1}")  # different terminals: the account locks
        assert verify(other, pin="999999").status_code == 400
    locked = verify(client)  # even with the right PIN
    assert locked.status_code == 429
    html = locked.content.decode()
    assert 'id="kiosk-verify-error"' in html and "20" in html
    assert "kiosk_customer" not in client.session
    assert KioskLookup.objects.filter(outcome="locked").count() == 1


def test_a_session_with_too_many_failures_is_throttled(client, customer, other_customer):
    Policy.objects.filter(code="kiosk_lockout_failures").update(value=3)
    for account in ("3100000001", "3100000002", "3100000003"):
        verify(client, account=account)
    assert client.session["kiosk_failures"] == 3
    response = verify(client)
    assert response.status_code == 429
    assert KioskLookup.objects.filter(outcome="throttled").count() == 1


def test_locked_and_throttled_show_the_same_message(client, customer):
    Policy.objects.filter(code="kiosk_lockout_failures").update(value=1)
    verify(client, pin="999999")
    locked = client.__class__(REMOTE_ADDR="10.9.9.9")
    first = verify(locked)            # account locked
    second = verify(client, account="3100000999")  # this session throttled
    assert first.status_code == second.status_code == 429
    assert without_csrf(first.content) == without_csrf(second.content)


def test_every_attempt_is_recorded(client, customer):
    verify(client, pin="999999")
    verify(client, account="3100000999")
    verify(client)
    assert KioskLookup.objects.count() == 3


def test_a_verified_session_skips_the_verify_page(client, customer):
    verify(client)
    assert client.get("/kiosk/verify/")["Location"] == "/kiosk/account/"


def test_the_verify_page_has_the_keypad_and_typed_fields(client, reference_data):
    html = client.get("/kiosk/verify/").content.decode()
    assert 'id="kiosk-keypad"' in html and len(re.findall(r'class="key[ "]', html)) == 12
    assert 'name="account_number"' in html and 'inputmode="numeric"' in html and 'type="password"' in html
    assert "Cache-Control" in client.get("/kiosk/verify/").headers
