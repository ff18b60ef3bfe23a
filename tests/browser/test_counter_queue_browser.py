"""The queue in a real browser: a customer takes a number at the printer page, a clerk opens a window and calls
it, the waiting-hall board shows the call in Chinese and Uyghur within 2 s, the clerk serves the customer, takes a
cash payment and prints the receipt; the arrears are zero. Elements are found by id, name and data attributes."""

from datetime import date
from decimal import Decimal

import pytest

from supply_service.customers.selectors import customer_get_with_arrears
from tests.factories.core import PASSWORD
from tests.factories.counter import counter_setup
from tests.factories.customers import BillFactory, CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_take_call_board_serve_collect_receipt_S10_2_1_S8_4(page, browser, live_server, clerk, artifacts):
    office = clerk.office
    office.signage_language = "ug"
    office.save()
    hall = counter_setup(office)
    fee, window = hall["services"]["fee"], hall["windows"][0]
    customer = CustomerFactory(account_number="3100000888", office=office)
    BillFactory(customer=customer, period=date(2026, 9, 1), amount=Decimal("150.00"))

    page.goto(f"{live_server.url}/counter/take/{office.code}/")
    page.locator(f"input[name=service][value='{fee.pk}']").check()
    page.locator("[data-action=take]").click()
    slip = page.locator("[data-ticket]")
    slip.wait_for()
    number = slip.get_attribute("data-ticket")
    assert number == "A001" and page.locator("[data-ahead]").get_attribute("data-ahead") == "0"
    page.screenshot(path=str(artifacts / "counter-slip-zh-hans.png"), full_page=True)

    board = page.context.new_page()
    board.goto(f"{live_server.url}/counter/board/{office.code}/")
    board.locator("#board").wait_for()

    staff = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    desk = staff.new_page()
    desk.goto(f"{live_server.url}/counter/windows/{window.pk}/")
    desk.locator("#id_username").fill(clerk.username)
    desk.locator("#id_password").fill(PASSWORD)
    desk.locator("#id_password").press("Enter")
    desk.locator("[data-action=open-window]").click()
    desk.locator("[data-action=call-next]").click()
    desk.locator(f"[data-current='{number}']").wait_for()

    row = board.locator("#board-calls tr").first
    board.wait_for_function("n => document.querySelector('#board-latest') && "
                            "document.querySelector('#board-latest').textContent.includes(n)", arg=number,
                            timeout=3000)
    assert number in row.inner_text()
    assert board.locator("#board-latest [lang=zh-hans]").count() == 1
    assert board.locator("#board-latest [lang=ug]").get_attribute("dir") == "rtl"
    board.screenshot(path=str(artifacts / "counter-board-zh-ug.png"), full_page=True)

    desk.locator("#id_account_number").fill("3100000888")
    desk.locator("[data-action=serve]").click()
    desk.locator("#pay-form").wait_for()
    desk.locator("input[name=tender]").first.check()  # cash comes first
    desk.locator("#id_tendered").fill("200")
    desk.locator("[data-action=pay]").click()
    receipt = desk.locator("[data-receipt]")
    receipt.wait_for()
    assert desk.locator("[data-change]").get_attribute("data-change") == "50.00"
    assert desk.locator("[data-arrears-now]").get_attribute("data-arrears-now") == "0.00"
    assert desk.locator("#print-button").is_visible()
    desk.screenshot(path=str(artifacts / "counter-receipt-zh-hans.png"), full_page=True)
    staff.close()
    assert customer_get_with_arrears(pk=customer.pk).arrears == 0
