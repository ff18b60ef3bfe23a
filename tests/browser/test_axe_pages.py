"""Issue 11's acceptance: no axe violation of impact serious or critical on any staff, kiosk or public page, in
Debian chromium. One browser context per role (a session cookie made with `force_login`, no login form), a bounded
list of URLs per role; the violations of every page are collected and reported together.

Also at phone width (390 px): the staff customer page does not overflow in en/ug/bo and the kiosk bills table shows
its status column; screenshots for a person to look at go to test-artifacts/ (customer page in Uyghur, the kiosk
account at 390 px, the kiosk home on a hall's portrait screen 1080 × 1920)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories.world import KIOSK_PIN, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
AXE = Axe()
REPORTED = ("serious", "critical")
# The rules that can only ever find minor or moderate problems (their own impact and every check's impact below
# serious: the landmark rules, `region`, `heading-order` …) are turned off: they cannot change the verdict, and
# they took a third of axe's time (`region` walks the whole page). Read from axe itself, so a new axe-core keeps
# every rule that may answer serious or critical.
MINOR_ONLY_RULES = """reported => {
  const off = {};
  for (const rule of axe._audit.rules) {
    const impacts = [rule.impact, ...[...rule.any, ...rule.all, ...rule.none]
      .map(check => (axe._audit.data.checks[check.id || check] || {}).impact)];
    if (!impacts.some(impact => reported.includes(impact))) off[rule.id] = {enabled: false};
  }
  return off;
}"""


def violations(page, name: str) -> list[str]:
    page.evaluate(AXE.axe_script)
    off = page.evaluate(MINOR_ONLY_RULES, list(REPORTED))
    response = page.evaluate("off => axe.run({resultTypes: ['violations'], rules: off})", off)
    return [f"{name}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
            for v in response["violations"] if v["impact"] in REPORTED]


def staff_context(browser, live_server, user, **kwargs):
    """A browser context logged in as `user` (the session cookie of a test client's force_login)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", **kwargs)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    return context


def set_language(context, live_server, code: str) -> None:
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": live_server.url}])


def visit_all(context, live_server, urls: list[str]) -> list[str]:
    page = context.new_page()
    found = []
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.status < 400, f"{url}: {response and response.status}"
        found += violations(page, url)
    page.close()
    return found


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


@pytest.fixture
def world(transactional_db):
    return build_world()


def staff_urls(world) -> dict[str, list[str]]:
    ticket = world.tickets["repair"]
    notice = world.notices["published"]
    draft = world.notices["draft"]
    commitment = world.objects.get("commitment")
    return {
        "clerk": [
            "/", "/clocks/", "/tickets/", "/tickets/?scope=waiting", "/tickets/?scope=office", "/tickets/new/",
            "/tickets/new/repair/", f"/tickets/{ticket.number}/", f"/tickets/{world.tickets['resolved'].number}/",
            f"/tickets/{ticket.number}/print/", "/customers/", f"/customers/?q={world.customer.account_number}",
            f"/customers/{world.customer.pk}/", "/counter/desk/", reverse("password_change"),
            "/counter/windows/", f"/counter/windows/{world.objects['window'].pk}/", "/counter/cash-up/",
            "/appointments/", "/appointments/book/", f"/appointments/{world.objects['appointment'].number}/",
            "/appointments/waiting/",
        ],
        "crew": ["/appointments/route/", f"/appointments/{world.objects['appointment'].number}/"],
        "agent": ["/", "/desk/calls/", "/desk/calls/import/"],
        "handler": ["/complaints/", "/complaints/?scope=mine", "/complaints/new/",
                    *[f"/complaints/{world.objects[f'complaint_{k}'].number}/" for k in ("received", "report", "replied")],
                    f"/complaints/{world.objects['complaint_replied'].number}/letter/"],
        "auditor": [
            "/audits/", "/audits/new/", f"/audits/{world.objects['audits']['progress'].number}/",
            f"/audits/{world.objects['audits']['progress'].number}/conduct/",
            f"/audits/{world.objects['audits']['submitted'].number}/",
            f"/audits/{world.objects['audits']['submitted'].number}/notice/", "/audits/verdict/",
            "/audits/requirements/", "/audits/records/",
            f"/audits/actions/{world.objects['audits']['action'].number}/",
        ],
        "dispatcher": ["/", "/outages/", "/outages/new/", f"/outages/{draft.number}/edit/",
                       f"/outages/{notice.number}/"],
        "manager": [
            "/", "/tickets/?scope=office", "/admin/", "/admin/core/commitment/",
            f"/admin/core/commitment/{commitment}/change/" if commitment else "/admin/core/commitment/add/",
            "/admin/core/calendarday/?date__year=2026&date__month=10", "/admin/core/policy/",
            f"/admin/tickets/repairticket/{ticket.pk}/change/", "/admin/core/slaclock/",
            f"/admin/customers/customer/{world.customer.pk}/change/",
            f"/admin/customers/tariff/{world.objects['tariff']}/change/",
            "/admin/customers/paymentmethod/",
            "/quality/", "/quality/points/?year=2026", "/quality/import/",
            "/dashboard/", "/dashboard/items/?outcome=breached", "/dashboard/open/", "/dashboard/report/",
        ],
    }


@pytest.mark.markup_only
def test_every_staff_page_has_no_serious_axe_violation(browser, live_server, world):
    from supply_service.core.models import Commitment
    from supply_service.customers.models import Tariff

    world.objects["commitment"] = Commitment.objects.order_by("pk").values_list("pk", flat=True).first()
    world.objects["tariff"] = Tariff.objects.order_by("pk").values_list("pk", flat=True).first()
    found = []
    for role, urls in staff_urls(world).items():
        context = staff_context(browser, live_server, world.users[role])
        found += visit_all(context, live_server, urls)
        context.close()
    assert not found, "\n".join(found)


def test_the_customer_page_fits_a_phone_in_every_staff_language(browser, live_server, world, artifacts):
    context = staff_context(browser, live_server, world.users["clerk"], viewport=PHONE)
    page = context.new_page()
    url = f"{live_server.url}/customers/{world.customer.pk}/"
    overflowing, found = [], []
    for code in ["en", "ug", "bo", "zh-hans"]:
        set_language(context, live_server, code)
        page.goto(url)
        if code == "ug":
            page.screenshot(path=str(artifacts / "customer-page-ug-390.png"), full_page=True)
            found += violations(page, "customer page, ug, 390 px")
        if not no_horizontal_overflow(page):
            overflowing.append(code)
    page.goto(f"{live_server.url}/tickets/?scope=office")
    found += violations(page, "ticket list, 390 px")
    context.close()
    assert not overflowing and not found, (overflowing, found)


@pytest.mark.markup_only
def test_every_kiosk_and_public_page_has_no_serious_axe_violation(browser, live_server, world, artifacts):
    notice = world.notices["published"]
    public = ["/public/outages/", f"/public/outages/{notice.number}/", "/public/commitments/",
              "/public/feedback/", "/public/feedback/track/", "/public/feedback/kiosk/",
              f"/counter/take/{world.home.code}/", f"/counter/board/{world.other.code}/",
              f"/counter/pad/{world.objects['window'].pad_key}/",
              "/public/appointments/", "/public/appointments/manage/"]
    kiosk = ["/kiosk/", "/kiosk/verify/", "/kiosk/verify/?section=bills", "/kiosk/tariffs/", "/kiosk/procedures/",
             "/kiosk/payment-methods/", "/kiosk/energy-saving/", "/kiosk/outages/"]
    context = browser.new_context(locale="zh-CN")
    found = visit_all(context, live_server, public + kiosk)
    # A bound terminal of an office with Uyghur signage, then a verified customer.
    found += visit_all(context, live_server, [f"/kiosk/office/{world.other.code}/"])
    page = context.new_page()
    page.goto(f"{live_server.url}/kiosk/verify/")
    page.locator("#id_account_number").fill(world.customer.account_number)
    page.locator("#id_pin").fill(KIOSK_PIN)
    with page.expect_navigation():
        page.locator("#kiosk-verify-submit").click()
    assert "/kiosk/account/" in page.url
    found += violations(page, "/kiosk/account/")
    page.close()
    found += visit_all(context, live_server, ["/kiosk/tariffs/", "/kiosk/outages/", "/kiosk/appointments/"])
    context.close()
    assert not found, "\n".join(found)


def test_the_kiosk_fills_portrait_and_landscape_screens_and_fits_a_phone(browser, live_server, world, artifacts):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1080, "height": 1920})
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('kiosk:office', args=[world.other.code])}")
    page.screenshot(path=str(artifacts / "kiosk-home-portrait.png"))
    tiles = page.locator("#kiosk-tiles").bounding_box()
    assert tiles["height"] >= 1920 * 0.6, tiles  # the tiles fill the portrait screen, not a third of it
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.screenshot(path=str(artifacts / "kiosk-home-landscape.png"))
    tiles = page.locator("#kiosk-tiles").bounding_box()
    assert tiles["height"] >= 1080 * 0.6 and tiles["width"] >= 1920 * 0.8, tiles

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/kiosk/verify/")
    page.locator("#id_account_number").fill(world.customer.account_number)
    page.locator("#id_pin").fill(KIOSK_PIN)
    with page.expect_navigation():
        page.locator("#kiosk-verify-submit").click()
    page.screenshot(path=str(artifacts / "kiosk-account-390.png"), full_page=True)
    status = page.locator("#kiosk-bills tbody tr").first.locator("td").last.bounding_box()
    assert status is not None and status["x"] >= 0 and status["x"] + status["width"] <= PHONE["width"], status
    assert no_horizontal_overflow(page)
    found = violations(page, "kiosk account, 390 px")
    for url in ["/kiosk/tariffs/", "/kiosk/procedures/"]:
        page.goto(f"{live_server.url}{url}")
        assert no_horizontal_overflow(page), url
        found += violations(page, f"{url}, 390 px")
    context.close()
    assert not found, "\n".join(found)
