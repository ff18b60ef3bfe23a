"""Supply quality in chromium: a manager imports the sample monitoring file, watches the import finish, sees the
figures of the office and month, and drills down to the points of a class; a bad file lists its wrong lines."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission

from tests.browser.test_outages_browser import log_in_at
from tests.factories.core import OfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def test_manager_imports_the_sample_and_sees_the_figures(page, live_server, manager, artifacts, tmp_path):
    centre = OfficeFactory(code="city-centre", name="市中心供电营业厅")
    # the sample holds the city centre office's points: a manager who acts for every office imports it (the office rule)
    manager.user_permissions.add(Permission.objects.get(codename="act_any_office"))
    log_in_at(page, live_server, "/quality/import/", manager)
    page.select_option("#id_kind", "voltage_months")
    page.set_input_files("#id_file", str(SAMPLES / "voltage_months.csv"))
    page.locator("#import-form button[type=submit]").click()
    page.wait_for_selector("#import-state[data-state='done']")
    assert "6" in page.locator("#import-done").inner_text()
    page.click("#see-figures")
    page.select_option("#id_office", str(centre.pk))
    page.fill("#id_year", "2026")
    with page.expect_navigation():
        page.locator("#quality-filters button[type=submit]").click()
    january = page.locator("#quality-months tr[data-month='2026-01']")
    assert january.locator("td[data-class='A']").inner_text().startswith("99.973")  # 12 of 44 640 minutes
    assert january.locator("td[data-class='D']").inner_text().startswith("99.642")  # 160 of 44 640 minutes
    page.screenshot(path=str(artifacts / "quality-figures.png"), full_page=True)
    january.locator("td[data-class='D'] a").click()
    page.wait_for_selector("#point-list")
    assert page.locator("#point-list tr[data-point='VP-D-001']").count() == 1

    bad = tmp_path / "bad.csv"
    bad.write_text("point_code,month,minutes_monitored,minutes_above,minutes_below\nNOPE,2026-02,50000,0,0\n")
    page.goto(f"{live_server.url}/quality/import/")
    page.select_option("#id_kind", "voltage_months")
    page.set_input_files("#id_file", str(bad))
    page.locator("#import-form button[type=submit]").click()
    page.wait_for_selector("#import-state[data-state='failed']")
    assert page.locator("#import-errors tbody tr td").first.inner_text() == "2"
