"""Issue 11's acceptance in Debian chromium: a repair call goes through every role's home — the clerk takes it, the
dispatcher's home shows it and the dispatcher dispatches, the crew's home shows it (and the crew's SMS is in the
outbox), and the clerk's home shows the callback due."""

import re

import pytest

from supply_service.core.models import Outbox
from tests.browser.test_tickets_browser import assert_accessible, log_in, log_out, state, take_step
from tests.factories.customers import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def home_row(page, number):
    return page.locator(f"#work-table tr[data-number='{number}']")


def test_a_repair_call_through_every_home_S10_3_3_S13_4(page, live_server, clerk, dispatcher, crew, artifacts):
    crew.phone = "13900000002"
    crew.save()
    CustomerFactory(office=clerk.office, account_number="3100000888", name="李四", phone="13812345678",
                    address="解放路 8 号")

    log_in(page, live_server, clerk)
    page.goto(f"{live_server.url}/tickets/new/repair/")
    page.locator("#id_account_number").fill("3100000888")
    page.locator("#id_request").fill("家里没电了")
    with page.expect_navigation():
        page.locator("#id_account_number").press("Enter")
    number = page.url.rstrip("/").rsplit("/", 1)[1]
    log_out(page, live_server)

    # The dispatcher's home shows the call waiting for dispatch; the dispatcher dispatches from it.
    log_in(page, live_server, dispatcher)
    assert home_row(page, number).count() == 1
    page.screenshot(path=str(artifacts / "home-dispatcher-zh-hans.png"), full_page=True)
    assert_accessible(page, "dispatcher home")
    home_row(page, number).locator("a").first.click()
    page.wait_for_url(f"{live_server.url}/tickets/{number}/")
    take_step(page, "dispatch", crew=str(crew.pk))
    assert state(page) == "dispatched"
    page.goto(f"{live_server.url}/")
    assert home_row(page, number).count() == 0  # dispatched: no longer waits for the dispatcher
    log_out(page, live_server)

    # The crew's home shows the job and what arrived; its SMS is in the outbox.
    log_in(page, live_server, crew)
    assert home_row(page, number).count() == 1
    assert page.locator(f"#notifications li[data-item='{number}']").count() == 1
    assert Outbox.objects.filter(channel="sms", recipient="13900000002", body__contains=number).exists()
    page.screenshot(path=str(artifacts / "home-crew-zh-hans.png"), full_page=True)
    home_row(page, number).locator("a").first.click()
    page.wait_for_url(f"{live_server.url}/tickets/{number}/")
    take_step(page, "arrive")
    take_step(page, "remove_cause", text="进户线松脱，已紧固")
    take_step(page, "repair")
    assert state(page) == "resolved"
    log_out(page, live_server)

    # The clerk (first responder and owner) sees the callback due on the home.
    log_in(page, live_server, clerk)
    row = home_row(page, number)
    assert row.count() == 1 and row.locator(".callback-due").count() == 1
    page.screenshot(path=str(artifacts / "home-clerk-callback-zh-hans.png"), full_page=True)
    assert re.search(r"/$", page.url)
