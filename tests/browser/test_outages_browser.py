"""An outage notice end to end in chromium: a dispatcher drafts a planned outage in the editor, a manager approves
and publishes it, and the public page (on a phone) and the Atom feed show it in Chinese and in Uyghur."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories.core import PASSWORD
from tests.factories.customers import CustomerFactory, FeederFactory, TransformerAreaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.urls("tests.outages.urls_for_tests")]
ATOM = "{http://www.w3.org/2005/Atom}"
AREA_ZH = "人民路一带（1号至99号）"
AREA_UG = "رېنمىن يولى ئەتراپى (1-99-نومۇر)"


def log_in_at(page, live_server, path, user):
    """Open a staff page, log in on the login page it sends us to, and come back to it."""
    page.goto(f"{live_server.url}{path}")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}{path}")


def log_out(page):
    with page.expect_navigation():
        page.locator("form[action='/accounts/logout/'] button[type=submit]").click()


def state_of(page) -> str:
    return page.locator("#notice-head").get_attribute("data-state")


def take_step(page, action):
    with page.expect_navigation():
        page.locator(f"#notice-steps form[data-action='{action}'] button[type=submit]").click()


def feed_titles(context, live_server) -> tuple[str, list[str]]:
    response = context.request.get(f"{live_server.url}/public/outages/feed/")
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.body())
    return (root.get("{http://www.w3.org/XML/1998/namespace}lang"),
            [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")])


def test_dispatcher_drafts_manager_publishes_public_sees_it(page, browser, live_server, dispatcher, manager, office,
                                                            artifacts):
    feeder = FeederFactory(office=office, code="10kV-101", name="人民线")
    area = TransformerAreaFactory(feeder=feeder, code="TA-101-01", name="人民路一号台区")
    CustomerFactory(office=office, feeder=feeder, transformer_area=area, account_number="3100000001", name="张小三",
                    importance="first", phone="13800000001")
    CustomerFactory(office=office, feeder=feeder, transformer_area=area, account_number="3100000002", name="李四")
    start = timezone.localtime(timezone.now() + timedelta(days=9)).replace(hour=9, minute=0, second=0, microsecond=0)

    # The dispatcher drafts the notice in the editor and looks at who it would cut off.
    log_in_at(page, live_server, "/outages/new/", dispatcher)
    page.select_option("#id_kind", "planned")
    page.fill("#id_planned_start", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_planned_end", (start + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_areas", [str(area.pk)])
    page.fill("#id_reason", "10kV 人民线检修")
    page.fill("#id_area_zh_hans", AREA_ZH)
    page.fill("#id_text_zh_hans", "因10kV人民线检修，上述区域停电，请提前做好准备。")
    page.fill("#id_area_ug", AREA_UG)
    page.fill("#id_text_ug", "لىنىيە رېمونتى سەۋەبىدىن توك توختىتىلىدۇ، ئالدىن تەييارلىق قىلىڭ.")
    with page.expect_navigation():
        page.locator("#preview-button").click()
    assert page.locator("#preview-count").get_attribute("data-count") == "2"
    assert page.locator("#preview-list tbody tr").count() == 2
    assert page.input_value("#id_area_ug") == AREA_UG  # the preview keeps what was typed
    page.screenshot(path=str(artifacts / "outage-editor-zh-hans.png"), full_page=True)
    page.locator("#save-notice").click()
    page.wait_for_url(f"{live_server.url}/outages/TD-*/")
    number = page.locator("#notice-head").get_attribute("data-number")
    assert state_of(page) == "draft"
    assert page.locator("#notice-steps form[data-action='approve']").count() == 0  # a dispatcher does not approve
    log_out(page)

    # The manager approves and publishes it on the notice page.
    log_in_at(page, live_server, f"/outages/{number}/", manager)
    take_step(page, "approve")
    assert state_of(page) == "approved"
    take_step(page, "publish")
    assert state_of(page) == "published"
    assert page.locator("#affected-count").get_attribute("data-count") == "2"
    assert page.locator("#notice-history li[data-reason='outages.publish']").count() == 1
    assert page.locator("#notice-clocks tr[data-commitment='outage_notice_advance']").get_attribute(
        "data-clock-state") == "met"
    page.screenshot(path=str(artifacts / "outage-notice-zh-hans.png"), full_page=True)

    # A customer on a phone, no login.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    public = phone.new_page()
    try:
        public.goto(f"{live_server.url}/public/outages/")
        assert public.locator("html").get_attribute("lang") == "zh-hans"
        card = public.locator(f"#outage-list li[data-number='{number}']")
        assert AREA_ZH in card.locator(".ot-area").inner_text()
        assert public.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
        public.screenshot(path=str(artifacts / "public-outages-zh-hans.png"), full_page=True)
        language, titles = feed_titles(phone, live_server)
        assert language == "zh-hans" and any(AREA_ZH in title for title in titles)

        with public.expect_navigation():
            public.locator("#lang-ug").click()
        html = public.locator("html")
        assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ug"
        card = public.locator(f"#outage-list li[data-number='{number}']")
        assert AREA_UG in card.locator(".ot-area").inner_text()
        assert public.evaluate("document.documentElement.scrollWidth") <= 360
        # Mirrored: the kind badge starts on the right-hand side of the card.
        badge, box = card.locator(".ot-kind").bounding_box(), card.bounding_box()
        assert badge["x"] + badge["width"] > box["x"] + box["width"] / 2
        public.screenshot(path=str(artifacts / "public-outages-ug.png"), full_page=True)
        language, titles = feed_titles(phone, live_server)
        assert language == "ug" and any(AREA_UG in title for title in titles)

        card.locator(".ot-area a").click()
        public.wait_for_url(f"{live_server.url}/public/outages/{number}/")
        assert public.locator("#outage-notice").get_attribute("data-number") == number
        assert public.locator("html").get_attribute("dir") == "rtl"
        public.screenshot(path=str(artifacts / "public-outage-detail-ug.png"), full_page=True)
        calendar = phone.request.get(f"{live_server.url}{public.locator('#ics-link').get_attribute('href')}")
        assert calendar.ok and f"UID:{number}@supply-service" in calendar.text()
    finally:
        phone.close()
