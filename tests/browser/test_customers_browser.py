from datetime import date
from decimal import Decimal

import pytest

from supply_service.customers.selectors import months_back
from tests.browser.test_staff_browser import log_in
from tests.factories.customers import BillFactory, CustomerFactory, MeterFactory, PaymentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_finds_a_customer_and_opens_the_bill_history(page, live_server, clerk, artifacts):
    customer = CustomerFactory(account_number="3100000777", name="张小三", phone="13812341234", office=clerk.office)
    CustomerFactory(account_number="3100000778", name="张大山", phone="13912345678", office=clerk.office)
    MeterFactory(customer=customer, number="M0000000777")
    for n in range(24):
        BillFactory(customer=customer, period=months_back(date.today(), n), kwh=Decimal(150 + (n % 6) * 40),
                    amount=Decimal("90.00"))
    PaymentFactory(customer=customer, amount=Decimal("2070.00"), reference="PAY-777")

    log_in(page, live_server, clerk)
    page.get_by_role("link", name="客户", exact=True).click()
    page.wait_for_url(f"{live_server.url}/customers/")
    page.locator("#id_q").fill("张")
    page.keyboard.press("Enter")
    page.wait_for_url("**/customers/?q=*")
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert "张*三" in rows.first.inner_text() and "138****1234" in rows.first.inner_text()
    page.screenshot(path=str(artifacts / "customer-search-zh-hans.png"), full_page=True)

    page.get_by_role("link", name="3100000777").click()
    page.wait_for_url(f"{live_server.url}/customers/{customer.pk}/")
    assert page.locator("#bills tbody tr").count() == 24
    assert page.locator("svg .bar").count() == 24
    assert page.locator("[data-arrears]").get_attribute("data-arrears") == "90.00"
    page.screenshot(path=str(artifacts / "customer-detail-zh-hans.png"), full_page=True)
