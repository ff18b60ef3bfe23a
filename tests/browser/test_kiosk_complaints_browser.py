"""Issue 13 in Debian chromium: a customer verifies at the kiosk (in Uyghur, right to left) and sees their own
complaints' progress — state, promised date, reply sent — and not another customer's; the section passes axe.
Elements are found by id and data attributes, never by visible text."""

import re

import pytest

from tests.browser.test_kiosk_browser import assert_accessible, go_home
from tests.conftest import _role_user
from tests.factories import complaints as make
from tests.factories.customers import CustomerFactory
from tests.kiosk.conftest import ACCOUNT, PIN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.urls("tests.kiosk.urls_for_tests")]


@pytest.fixture
def filed(clerk, handler):
    from supply_service.customers.services import customer_set_pin

    customer = CustomerFactory(account_number=ACCOUNT, office=clerk.office, name="欧阳小明", address="人民路 12 号")
    customer_set_pin(customer=customer, pin=PIN, by=clerk)
    second = _role_user("complaint_handler", clerk.office, "second-handler")
    open_item = make.complaint(clerk, customer=customer, summary="营业员态度差")
    answered = make.walk(make.complaint(clerk, customer=customer, summary="电费疑问"), handler=handler,
                         approver=second)
    theirs = make.complaint(clerk, customer=CustomerFactory(office=clerk.office), summary="别人的投诉")
    return {"open": open_item, "answered": answered, "theirs": theirs}


def test_a_verified_customer_sees_their_complaints_progress_in_uyghur(page, live_server, filed, artifacts):
    go_home(page, live_server)
    with page.expect_navigation(wait_until="networkidle"):
        page.locator("#kiosk-lang-ug").click()
    page.locator("#tile-progress").click()
    page.locator("#id_account_number").fill(ACCOUNT)
    page.locator("#id_pin").fill(PIN)
    page.locator("#kiosk-verify-submit").click()
    page.wait_for_url(re.compile(r"/kiosk/account/#progress$"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    table = page.locator("#kiosk-complaints")
    assert table.is_visible()
    open_row = table.locator(f'tr[data-number="{filed["open"].number}"]')
    answered_row = table.locator(f'tr[data-number="{filed["answered"].number}"]')
    assert open_row.get_attribute("data-state") == "received"
    assert open_row.locator(".complaint-reply-sent").get_attribute("data-sent") == "0"
    assert open_row.locator(".complaint-promise time").count() == 1
    assert answered_row.get_attribute("data-state") == "replied"
    assert answered_row.locator(".complaint-reply-sent").get_attribute("data-sent") == "1"
    assert table.locator(f'tr[data-number="{filed["theirs"].number}"]').count() == 0
    assert page.locator("#kiosk-complaints-h").inner_text().strip()
    page.locator("#complaints").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "kiosk-complaints-ug.png"), full_page=True)
    assert_accessible(page, "account with complaints ug")
