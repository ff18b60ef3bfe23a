"""Playwright driving Debian chromium against pytest-django's live server."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supply_service.core.services.sla import sla_start
from tests.factories.core import PASSWORD, SampleItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")


def test_log_in_see_my_clocks_and_switch_to_uyghur(page, live_server, clerk, artifacts):
    item = SampleItemFactory(office=clerk.office, first_responder=clerk, owner=clerk, number="TS-20261127-0042")
    sla_start(subject=item, commitment="repair_arrival", at=timezone.now() - timedelta(minutes=50))

    log_in(page, live_server, clerk)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", level=1).inner_text() == "我的工作"
    # the home sums the clerk's clocks (one open, overdue) and links the list of them
    assert page.locator('[data-figure="clocks-late"]').inner_text() == "1"
    page.screenshot(path=str(artifacts / "staff-home-zh-hans.png"), full_page=True)
    page.locator("#my-clocks-link").click()
    page.wait_for_url(f"{live_server.url}/clocks/")
    assert page.get_by_role("heading", level=1).inner_text() == "我的服务承诺时限计时"
    row = page.locator("#clock-table tbody tr").first
    assert "TS-20261127-0042" in row.inner_text()
    assert row.locator(".sla").get_attribute("data-signal") == "red"
    page.screenshot(path=str(artifacts / "my-clocks-zh-hans.png"), full_page=True)
    page.goto(f"{live_server.url}/")

    with page.expect_navigation():
        page.locator("#lang-ug").click()
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ug"
    # Mirrored layout: the brand sits on the right in a right-to-left page.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > page.viewport_size["width"] / 2
    page.screenshot(path=str(artifacts / "staff-home-ug.png"), full_page=True)

    with page.expect_navigation():
        page.locator("#lang-bo").click()
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.screenshot(path=str(artifacts / "staff-home-bo.png"), full_page=True)


def test_wrong_password_shows_a_message(page, live_server, clerk):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill("not-the-password")
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_be_visible()


def test_public_commitments_page_in_uyghur(page, live_server, reference_data, artifacts):
    page.goto(f"{live_server.url}/public/commitments/")
    with page.expect_navigation():
        page.locator("#lang-ug").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("tbody tr").count() >= 14
    page.screenshot(path=str(artifacts / "public-commitments-ug.png"), full_page=True)
