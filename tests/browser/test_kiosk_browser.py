"""The kiosk in Debian chromium: the whole flow with the on-screen keypad in each language, right-to-left Uyghur,
the served Tibetan and Uyghur fonts, the idle timeout, the lockout and an axe accessibility check.

The browser asks for zh-CN; elements are found by id, name or data attributes, never by visible text."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from supply_service.core.models import Policy
from supply_service.customers.services import customer_set_pin
from supply_service.kiosk.views import HOME_TILES
from tests.factories.customers import CustomerFactory
from tests.kiosk.conftest import ACCOUNT, PIN, add_bills, add_payments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.urls("tests.kiosk.urls_for_tests")]

SCRIPT_SAMPLES = {"ug": ("Kiosk Arabic", "ئۇيغۇرچە"), "bo": ("Kiosk Tibetan", "བོད་ཡིག")}


@pytest.fixture
def kiosk_customer(clerk):
    customer = CustomerFactory(account_number=ACCOUNT, office=clerk.office, name="欧阳小明",
                               address="人民路 12 号 3 单元 401")
    customer_set_pin(customer=customer, pin=PIN, by=clerk)
    add_bills(customer, 24)
    add_payments(customer, 12)
    return customer


def assert_accessible(page, name: str) -> None:
    """No axe violation of impact serious or critical (WCAG 2.1 AA contrast, names, landmarks …)."""
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: {bad}"


def assert_font_loaded(page, lang: str) -> None:
    """The page's Tibetan / Uyghur letters are drawn with the font served from static/fonts (no boxes)."""
    family, sample = SCRIPT_SAMPLES[lang]
    page.evaluate(f"document.fonts.load('22px \"{family}\"', '{sample}')")
    loaded = page.evaluate(
        f"Array.from(document.fonts).filter(f => f.family.replace(/\"/g, '') === '{family}'"
        " && f.status === 'loaded').length"
    )
    assert loaded >= 1, f"{family} did not load"


def enter_on_keypad(page, field_id: str, digits: str) -> None:
    page.locator(f"#{field_id}").click()
    for digit in digits:
        page.locator(f"#key-{digit}").click()


def go_home(page, live_server):
    page.goto(f"{live_server.url}/kiosk/")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", ["zh-hans", "en", "ug", "bo"])
def test_the_whole_flow_with_the_keypad(page, live_server, kiosk_customer, artifacts, lang):
    go_home(page, live_server)
    html = page.locator("html")
    assert html.get_attribute("lang") == "zh-hans"
    if lang != "zh-hans":
        with page.expect_navigation(wait_until="networkidle"):
            page.locator(f"#kiosk-lang-{lang}").click()
    assert html.get_attribute("lang") == lang
    tiles = page.locator("#kiosk-tiles .tile")
    assert tiles.count() == len(HOME_TILES)
    for index in range(tiles.count()):  # touch targets of at least 64 px
        box = tiles.nth(index).bounding_box()
        assert box["height"] >= 64 and box["width"] >= 64
    if lang == "ug":
        assert html.get_attribute("dir") == "rtl"
        # Mirrored: the first tile starts on the right.
        first = page.locator("#tile-bills").bounding_box()
        assert first["x"] + first["width"] / 2 > page.viewport_size["width"] / 2
    else:
        assert html.get_attribute("dir") == "ltr"
        first = page.locator("#tile-bills").bounding_box()
        assert first["x"] + first["width"] / 2 < page.viewport_size["width"] / 2
    if lang in SCRIPT_SAMPLES:
        assert_font_loaded(page, lang)
    page.screenshot(path=str(artifacts / f"kiosk-home-{lang}.png"), full_page=True)

    page.locator("#tile-bills").click()
    page.wait_for_url(re.compile(r"/kiosk/verify/\?section=bills$"))
    assert page.locator("#kiosk-keypad").is_visible()
    enter_on_keypad(page, "id_account_number", ACCOUNT)
    # The keypad moves on to the PIN once the account number is complete.
    for digit in PIN:
        page.locator(f"#key-{digit}").click()
    assert page.locator("#id_account_number").input_value() == ACCOUNT
    assert page.locator("#id_pin").input_value() == PIN
    page.locator("#kiosk-verify-submit").click()
    page.wait_for_url(re.compile(r"/kiosk/account/#bills$"))

    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("#kiosk-bills tbody tr").count() == 24
    assert page.locator(".chart svg rect.bar").count() == 24
    assert page.locator("#kiosk-idle-seconds").is_visible()
    page.screenshot(path=str(artifacts / f"kiosk-account-{lang}.png"), full_page=True)

    page.locator("#kiosk-finish-button").click()
    page.wait_for_url(f"{live_server.url}/kiosk/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"  # the language is reset
    assert page.locator("#kiosk-finish-button").count() == 0
    page.goto(f"{live_server.url}/kiosk/account/")
    assert page.url.endswith("/kiosk/verify/")


def test_the_keyboard_works_too_and_the_keypad_edits(page, live_server, kiosk_customer):
    page.goto(f"{live_server.url}/kiosk/verify/")
    page.locator("#id_account_number").click()
    page.keyboard.type(ACCOUNT[:9] + "7")
    page.locator("#key-back").click()
    page.locator(f"#key-{ACCOUNT[-1]}").click()
    assert page.locator("#id_account_number").input_value() == ACCOUNT
    page.locator("#id_pin").click()
    page.locator("#key-9").click()
    page.locator("#key-clear").click()
    assert page.locator("#id_pin").input_value() == ""
    page.keyboard.type(PIN)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kiosk/account/$"))


def test_the_idle_timeout_ends_the_session(page, live_server, kiosk_customer):
    Policy.objects.filter(code="kiosk_idle_seconds").update(value=3)
    page.goto(f"{live_server.url}/kiosk/verify/")
    page.locator("#id_account_number").fill(ACCOUNT)
    page.locator("#id_pin").fill(PIN)
    page.locator("#kiosk-verify-submit").click()
    page.wait_for_url(re.compile(r"/kiosk/account/$"))
    assert page.locator("#kiosk-idle").get_attribute("data-idle-seconds") == "3"
    page.wait_for_url(f"{live_server.url}/kiosk/", timeout=10_000)  # the countdown submits "Finish"
    page.goto(f"{live_server.url}/kiosk/account/")
    assert page.url.endswith("/kiosk/verify/")


def test_the_lockout_shows_a_clear_message(page, live_server, kiosk_customer):
    Policy.objects.filter(code="kiosk_lockout_failures").update(value=2)
    page.goto(f"{live_server.url}/kiosk/verify/")
    for _attempt in range(2):
        page.locator("#id_account_number").fill(ACCOUNT)
        page.locator("#id_pin").fill("999999")
        with page.expect_navigation():
            page.locator("#kiosk-verify-submit").click()
        assert page.locator("#kiosk-verify-error").is_visible()
        wrong = page.locator("#kiosk-verify-error").inner_text()
    page.locator("#id_account_number").fill(ACCOUNT)
    page.locator("#id_pin").fill(PIN)  # even the right PIN is refused now
    with page.expect_navigation():
        page.locator("#kiosk-verify-submit").click()
    refused = page.locator("#kiosk-verify-error")
    assert refused.is_visible() and refused.get_attribute("role") == "alert"
    assert refused.inner_text() != wrong
    assert "/kiosk/verify/" in page.url


def test_no_serious_accessibility_violations(page, live_server, kiosk_customer, clerk, crew, artifacts):
    from supply_service.tickets.services import ticket_transition
    from tests.factories import tickets as make_ticket

    ticket = make_ticket.expansion(clerk, customer=kiosk_customer)
    ticket_transition(ticket=ticket, action="accept", by=clerk)
    for lang in ("zh-hans", "ug"):
        page.context.clear_cookies()
        go_home(page, live_server)
        if lang != "zh-hans":
            with page.expect_navigation(wait_until="networkidle"):
                page.locator(f"#kiosk-lang-{lang}").click()
        assert_accessible(page, f"home {lang}")
        with page.expect_navigation(wait_until="networkidle"):
            page.locator("#tile-progress").click()
        assert_accessible(page, f"verify {lang}")
        page.locator("#id_account_number").fill(ACCOUNT)
        page.locator("#id_pin").fill(PIN)
        page.locator("#kiosk-verify-submit").click()
        page.wait_for_url(re.compile(r"/kiosk/account/#progress$"))
        assert page.locator(f'article.application[data-number="{ticket.number}"] .stage').count() == 5
        assert_accessible(page, f"account {lang}")
        # Visible focus: a focused button draws an outline.
        page.keyboard.press("Tab")
        page.locator("#kiosk-finish-button").focus()
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        page.locator("#kiosk-finish-button").click()
        page.wait_for_url(f"{live_server.url}/kiosk/")
