"""The ticket workbench in Debian chromium (locale zh-CN): a repair call round the whole closed loop, and the
printable e-ticket. Elements are found by id, name, data attributes or roles — never by their text."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from supply_service.tickets.services import ticket_transition
from tests.factories import tickets as make
from tests.factories.core import PASSWORD
from tests.factories.customers import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}/")


def log_out(page, live_server):
    page.locator("form[action='/accounts/logout/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))


def assert_accessible(page, name: str) -> None:
    """No axe violation of impact serious or critical (WCAG 2.1 AA contrast, names, labels …)."""
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: {bad}"


def state(page) -> str:
    return page.locator("#ticket-state").get_attribute("data-state")


def take_step(page, action, **fields):
    form = page.locator(f"form[data-action='{action}']")
    for name, value in fields.items():
        field = form.locator(f"[name='{name}']")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_a_repair_call_goes_round_the_closed_loop(page, live_server, clerk, dispatcher, crew, agent, artifacts):
    CustomerFactory(office=clerk.office, account_number="3100000777", name="张小三", phone="13812341234",
                    address="人民路 12 号 3 单元 401")

    # The counter clerk takes a repair call: keyboard first, the account number has the focus, Enter submits.
    log_in(page, live_server, clerk)
    page.goto(f"{live_server.url}/tickets/")
    page.locator("#new-ticket").click()
    page.wait_for_url(re.compile(r".*/tickets/new/$"))
    assert_accessible(page, "new ticket")
    page.locator("a[data-kind='repair']").click()
    page.wait_for_url(re.compile(r".*/tickets/new/repair/$"))
    assert page.evaluate("document.activeElement.id") == "id_account_number"
    page.keyboard.type("3100000777")
    page.locator("#id_channel").select_option("phone")
    page.locator("#id_request").fill("整栋楼停电，闻到焦味")
    page.screenshot(path=str(artifacts / "ticket-intake-zh-hans.png"), full_page=True)
    assert_accessible(page, "intake")
    with page.expect_navigation():
        page.locator("#id_account_number").press("Enter")
    assert re.search(r"/tickets/QX-\d{8}-\d{4}/$", page.url)
    number = page.url.rstrip("/").rsplit("/", 1)[1]
    assert state(page) == "received"
    assert page.locator("[data-fact='fault_address']").inner_text() == "人民路 12 号 3 单元 401"
    assert page.locator(".messages .msg.success").count() == 1
    log_out(page, live_server)

    # The dispatcher finds it in the office's list and dispatches the crew.
    log_in(page, live_server, dispatcher)
    page.goto(f"{live_server.url}/tickets/?scope=office")
    row = page.locator(f"#ticket-list tr[data-number='{number}']")
    assert row.locator(".sla").get_attribute("data-signal") == "green"
    page.screenshot(path=str(artifacts / "ticket-list-zh-hans.png"), full_page=True)
    assert_accessible(page, "list")
    row.locator("a").first.click()
    page.wait_for_url(f"{live_server.url}/tickets/{number}/")
    take_step(page, "dispatch", crew=str(crew.pk))
    assert state(page) == "dispatched"
    log_out(page, live_server)

    # The crew arrives, removes the cause and restores the supply.
    log_in(page, live_server, crew)
    page.goto(f"{live_server.url}/tickets/{number}/")
    take_step(page, "arrive")
    assert state(page) == "on_site"
    take_step(page, "remove_cause", text="跌落式熔断器熔断，已更换")
    assert state(page) == "cause_removed"
    take_step(page, "repair")
    assert state(page) == "resolved"
    log_out(page, live_server)

    # The agent calls the customer back (satisfied) and closes the loop.
    log_in(page, live_server, agent)
    page.goto(f"{live_server.url}/tickets/{number}/")
    assert page.locator("#callback-panel").is_visible()
    page.screenshot(path=str(artifacts / "ticket-detail-callback-zh-hans.png"), full_page=True)
    assert_accessible(page, "ticket page")
    with page.expect_navigation():
        page.locator("#callback-form button[data-outcome='satisfied']").click()
    assert state(page) == "called_back"
    take_step(page, "close")
    assert state(page) == "closed"
    reasons = page.locator("#ticket-history > li").evaluate_all("items => items.map(li => li.dataset.reason)")
    assert reasons == ["tickets.create", "tickets.dispatch", "tickets.arrive", "tickets.remove_cause", "tickets.repair",
                       "tickets.call_back", "tickets.close"]
    assert page.locator("#ticket-actions").count() == 0
    page.screenshot(path=str(artifacts / "ticket-detail-zh-hans.png"), full_page=True)

    # Right-to-left Uyghur mirrors the page by itself (logical properties).
    with page.expect_navigation():
        page.locator("#lang-ug").click()
    assert page.locator("html").get_attribute("dir") == "rtl" and state(page) == "closed"
    summary = page.locator("#ticket-summary").bounding_box()
    assert summary["x"] > page.viewport_size["width"] / 2 - 100  # the summary card sits on the right
    page.screenshot(path=str(artifacts / "ticket-detail-ug.png"), full_page=True)


def test_the_printable_e_ticket(page, live_server, agent, dispatcher, crew, artifacts):
    customer = CustomerFactory(office=agent.office, account_number="3100000888", name="李四海", phone="13900001111")
    ticket = make.repair(agent, customer=customer, request="家里停电了，邻居家有电")
    ticket_transition(ticket=ticket, action="dispatch", by=dispatcher, crew=crew)

    late = make.repair(agent, at=timezone.now() - timedelta(minutes=50), customer_name="王五", customer_phone="13711112222")
    make.bill_query(agent, channel="mail", customer_name="赵六", customer_phone="13600003333")
    make.consultation(agent, customer_name="钱七", customer_phone="13500004444")

    log_in(page, live_server, agent)
    page.goto(f"{live_server.url}/tickets/")
    rows = page.locator("#ticket-list tbody tr")
    assert rows.count() == 4 and rows.first.get_attribute("data-number") == late.number
    signals = rows.locator(".sla").evaluate_all("items => items.map(el => el.dataset.signal)")
    assert signals == ["red", "green", "green", "grey"]
    page.screenshot(path=str(artifacts / "ticket-list-mine-zh-hans.png"), full_page=True)

    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    with page.expect_navigation():
        page.locator("#print-link").click()
    assert page.locator("#print-button").is_visible()
    assert page.locator(".topbar").count() == 0  # a document, not a page of the workbench
    assert ticket.number in page.locator("#eticket").inner_text()
    assert_accessible(page, "e-ticket")

    page.emulate_media(media="print")
    assert page.locator("#print-bar").is_hidden() and page.locator("#print-button").is_hidden()
    assert page.locator("#signatures").is_visible()
    signatures = page.locator("#signatures .signature")
    assert signatures.count() == 4 and all(signatures.nth(n).is_visible() for n in range(4))
    kinds = signatures.evaluate_all("items => items.map(el => el.dataset.signature)")
    assert kinds == ["received", "handled", "called-back", "customer"]
    assert "李四海" in page.locator("#eticket-summary").inner_text()  # full name on the staff document
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, for a faithful picture
    page.screenshot(path=str(artifacts / "e-ticket-print.png"), full_page=True)
    page.pdf(path=str(artifacts / "e-ticket.pdf"), format="A4", print_background=True)
    assert (artifacts / "e-ticket.pdf").read_bytes()[:5] == b"%PDF-"
