"""Issue 16's browser acceptance: a manager opens the dashboard in zh-hans and in English, drills into a breached
commitment, exports Excel, publishes last month; the public page shows the published month in Uyghur. No serious
axe violation on the pages on the way. Screenshots: test-artifacts/ and docs/screenshots/dashboard-*.png."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from supply_service.core.models import Policy
from supply_service.dashboard import seed
from supply_service.dashboard.models import PublishedMonth
from supply_service.dashboard.periods import month_of
from tests.dashboard.conftest import Clocks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
AXE = Axe()


def serious(page, name):
    return [f"{name}: {v['id']}" for v in AXE.run(page).response["violations"] if v["impact"] in ("serious", "critical")]


def test_manager_dashboard_drill_export_publish_and_public_page_in_uyghur(browser, live_server, manager, artifacts):
    Policy.objects.filter(code=seed.MIN_SAMPLE).update(value=2)
    last = month_of().shifted(-1)
    clocks = Clocks(manager.office, manager)
    start = last.start + timedelta(days=2, hours=9)
    for minutes in (10, 20, 30):
        clocks.met(start, start + timedelta(minutes=minutes))
    clocks.late(start, start + timedelta(minutes=90))
    client = Client()
    client.force_login(manager)
    context = browser.new_context(locale="zh-CN", accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    found = []

    page.goto(f"{live_server.url}/dashboard/?month={last.key}")
    assert page.locator("h1").inner_text().startswith("看板")
    assert "75.0%" in page.locator("#tile-fulfilment").inner_text()
    found += serious(page, "dashboard zh-hans")
    page.screenshot(path=str(artifacts / "dashboard-zh-hans.png"), full_page=True)
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "dashboard-zh-hans.png"), full_page=False)

    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/dashboard/?month={last.key}")
    assert page.get_by_role("heading", name="Fulfilment by commitment").is_visible()
    page.screenshot(path=str(DOCS / "dashboard-en.png"), full_page=False)

    # drill into the breached repair arrivals
    breached = page.locator('table[data-section="fulfilment"] tr', has_text="S10.2.5").first.locator("td").nth(4)
    with page.expect_navigation():
        breached.locator("a").click()
    assert page.locator("#drill-list tbody tr").count() == 1
    assert page.locator("#drill-list tbody tr").get_attribute("data-state") == "breached"
    found += serious(page, "drill-down")

    for url in (f"/dashboard/report/?month={last.key}", "/dashboard/open/?signal=overdue"):
        page.goto(f"{live_server.url}{url}")
        found += serious(page, url)
    page.goto(f"{live_server.url}/dashboard/?month={last.key}")
    with page.expect_download() as download:
        page.locator("#export-excel").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(book.sheetnames) >= 8
    assert any(row[3:6] == (3, 1, 4) for row in book.worksheets[0].iter_rows(min_row=2, values_only=True))

    page.locator("#id_publish-month").fill(last.key)
    with page.expect_navigation():
        page.locator("#publish-button").click()
    assert PublishedMonth.objects.filter(month=last.first_day, revision=1, published_by=manager).exists()

    public = browser.new_context(locale="zh-CN")
    public.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ug", "url": live_server.url}])
    public_page = public.new_page()
    public_page.goto(f"{live_server.url}/public/commitments/")
    assert public_page.locator("html").get_attribute("dir") == "rtl"
    assert re.search(r"75\.0%", public_page.locator("#achieved-fulfilment").inner_text())
    assert public_page.locator(f'#month-list tr[data-month="{last.key}"]').count() == 1
    found += serious(public_page, "public commitments ug")
    public_page.screenshot(path=str(artifacts / "public-commitments-published-ug.png"), full_page=True)
    public_page.screenshot(path=str(DOCS / "dashboard-public-ug.png"), full_page=False)
    public.close()
    context.close()
    assert not found, "\n".join(found)
