"""The kiosk's lockout and throttles as a visitor meets them: the account lock holds whatever session or address the
attempts come from, the page says how many attempts are left, and the terminal throttle keys on the client's real
address (behind the proxies the deployment trusts) and on the bound terminal — so one person's guesses do not block
every kiosk (S10.3.1)."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from supply_service.core.models import Policy
from supply_service.customers.models import KioskLookup
from supply_service.kiosk.access import TERMINAL_COOKIE, client_hash
from tests.kiosk.conftest import verify

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.kiosk.urls_for_tests")]

PROXY = "10.0.0.2"
WRONG = "999999"


def kiosk(remote: str = PROXY, forwarded: str | None = None, *, language: str | None = None) -> Client:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    visitor = Client(**extra)
    if language:
        visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return visitor


def last_client() -> str:
    return KioskLookup.objects.order_by("-pk").values_list("client", flat=True).first()


def terminal_limit_one() -> None:
    """The account limit 1, so a terminal is throttled after 10 failures in the window (limit × 10)."""
    Policy.objects.filter(code="kiosk_lockout_failures").update(value=1)


# --- the account lock ----------------------------------------------------------------------------------------
def test_the_lock_holds_for_fresh_sessions_from_other_addresses_and_never_checks_the_pin(customer):
    for n in range(5):
        assert verify(kiosk(f"10.1.0.{n}"), pin=WRONG).status_code == 400
    for n in range(14):
        assert verify(kiosk(f"10.2.0.{n}"), pin=WRONG if n % 2 else "246810").status_code == 429
    outcomes = list(KioskLookup.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["wrong"] * 5 + ["locked"] * 14


def test_a_wrong_pin_says_how_many_attempts_are_left(customer):
    visitor = kiosk("10.0.0.7", language="en")
    pages = [verify(kiosk("10.0.0.7", language="en"), pin=WRONG).content.decode() for _ in range(4)]
    assert "4 more attempts are allowed before a lockout." in pages[0]
    assert "1 more attempt is allowed before a lockout." in pages[3]
    fifth = verify(visitor, pin=WRONG)
    assert fifth.status_code == 400 and "Too many attempts. Try again in 30 minutes" in fifth.content.decode()
    assert verify(visitor).status_code == 429


def test_the_attempts_left_are_translated(customer):
    html = verify(kiosk("10.0.0.7"), pin=WRONG).content.decode()  # the default language, Chinese
    assert "还可以再试 4 次" in html


# --- the client's address --------------------------------------------------------------------------------------
def test_a_forwarded_header_is_ignored_when_no_proxy_is_trusted(customer, rf):
    verify(kiosk("10.0.0.7", "203.0.113.9"), pin=WRONG)
    assert last_client() == client_hash(rf.get("/", REMOTE_ADDR="10.0.0.7"))


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_terminal_is_the_forwarded_address(customer, rf):
    verify(kiosk(forwarded="198.51.100.1, 203.0.113.9"), pin=WRONG)  # the first hop is the client's own invention
    assert last_client() == client_hash(rf.get("/", REMOTE_ADDR="203.0.113.9"))
    verify(kiosk(forwarded="203.0.113.10"), pin=WRONG)
    assert last_client() == client_hash(rf.get("/", REMOTE_ADDR="203.0.113.10"))


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_persons_guesses_behind_the_proxy_do_not_block_other_kiosks(customer):
    terminal_limit_one()
    for n in range(10):  # a fresh session each time: only the terminal throttle can stop this
        assert verify(kiosk(forwarded="203.0.113.9"), account=f"31000000{n:02d}").status_code == 400
    assert verify(kiosk(forwarded="203.0.113.9")).status_code == 429
    assert KioskLookup.objects.order_by("-pk").first().outcome == "throttled"
    assert verify(kiosk(forwarded="203.0.113.10")).status_code == 302


# --- the bound terminal ------------------------------------------------------------------------------------------
def test_bound_terminals_behind_one_address_are_throttled_each_on_its_own(customer, office):
    terminal_limit_one()
    noisy, other = kiosk("10.0.0.7"), kiosk("10.0.0.7")  # two kiosks of one office behind its NAT
    for terminal in (noisy, other):
        terminal.get(f"/kiosk/office/{office.code}/")
    assert noisy.cookies[TERMINAL_COOKIE].value != other.cookies[TERMINAL_COOKIE].value
    for n in range(10):
        assert verify(noisy, account=f"31000000{n:02d}").status_code == 400
        noisy.post("/kiosk/finish/")  # the next person at that kiosk
    assert verify(noisy).status_code == 429
    assert verify(other).status_code == 302


def test_binding_again_keeps_the_terminals_own_id(office, other_office):
    terminal = kiosk("10.0.0.7")
    terminal.get(f"/kiosk/office/{office.code}/")
    first = _terminal_id(terminal)
    assert first  # a real id, read through the signature
    terminal.post("/kiosk/finish/")
    terminal.get(f"/kiosk/office/{other_office.code}/")
    assert _terminal_id(terminal) == first  # the id, not the signed text (its timestamp changes each second)


def _terminal_id(client) -> str:
    from django.test import RequestFactory

    from supply_service.kiosk.access import terminal_id

    request = RequestFactory().get("/")
    request.COOKIES[TERMINAL_COOKIE] = client.cookies[TERMINAL_COOKIE].value
    return terminal_id(request)
