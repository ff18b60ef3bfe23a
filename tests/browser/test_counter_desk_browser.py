"""The counter desk in a real browser (zh-CN): a clerk serves a customer, the timer runs, the customer is finished
and appears in today's list. Elements are found by id, name and data attributes, never by text."""

import pytest

from supply_service.tickets.models import CounterTransaction
from tests.factories.core import PASSWORD
from tests.factories.customers import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_starts_and_finishes_serving_a_customer_S10_2_1(page, live_server, clerk, artifacts):
    CustomerFactory(account_number="3100000888", office=clerk.office)
    page.goto(f"{live_server.url}/counter/desk/")
    assert "/accounts/login/" in page.url
    page.locator("#id_username").fill(clerk.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}/counter/desk/")

    page.locator("input[name=kind][value=fee_residential]").check()
    page.locator("#id_account_number").fill("3100000888")
    page.locator("[data-action=start]").click()
    serving = page.locator("[data-open-transaction]")
    serving.wait_for()
    number = serving.get_attribute("data-open-transaction")
    # The timer counts up from the server's start time (JavaScript), under the limit so far.
    elapsed = serving.locator("[data-elapsed]")
    page.wait_for_function("el => /^\\d+:\\d\\d$/.test(el.textContent)", arg=elapsed.element_handle())
    assert elapsed.is_visible()
    assert serving.locator("[data-timer]").get_attribute("data-over") == "false"
    page.screenshot(path=str(artifacts / "desk-counter-serving-zh-hans.png"), full_page=True)

    serving.locator("[data-action=finish]").click()
    row = page.locator(f"[data-today] tr[data-number='{number}']")
    row.wait_for()
    assert row.get_attribute("data-state") == "met"
    assert page.locator("[data-open-transaction]").count() == 0
    assert page.locator("#start-form").is_visible()
    assert page.locator("[data-summary] [data-count]").get_attribute("data-count") == "1"
    assert page.locator("[data-summary] [data-rate]").get_attribute("data-rate") == "100.0"
    page.screenshot(path=str(artifacts / "desk-counter-finished-zh-hans.png"), full_page=True)

    record = CounterTransaction.objects.get(number=number)
    assert record.finished_at is not None and record.customer.account_number == "3100000888"
