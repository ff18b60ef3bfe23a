import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from supply_service.core.models import SlaClock
from tests.dashboard.conftest import local

NOVEMBER = {"month": "2026-11"}


@pytest.fixture
def november(clocks, small_sample):
    """Two met and one breached repair arrival in November 2026, one waived."""
    start = local(2026, 11, 3, 9, 0)
    clocks.met(start, start + timedelta(minutes=10))
    clocks.met(start, start + timedelta(minutes=30))
    clocks.late(start, start + timedelta(minutes=80))
    return clocks


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("who,status", [("manager", 200), ("auditor", 200), ("clerk", 403), ("handler", 403)])
def test_dashboard_for_managers_and_auditors_only_S13_4(client, request, who, status, reference_data):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("dashboard:index")).status_code == status
    assert client.get(reverse("dashboard:excel")).status_code == status


def test_dashboard_anonymous_goes_to_login(client, reference_data):
    assert client.get(reverse("dashboard:index")).status_code == 302


def test_dashboard_rates_with_numerator_and_denominator_S5_2(client, manager, november):
    client.force_login(manager)
    response = client.get(reverse("dashboard:index"), NOVEMBER)
    assert response.status_code == 200
    html = response.content.decode()
    assert "66.7%" in html  # 2 of 3
    fulfilment = next(s for s in response.context["sections"] if s.key == "fulfilment")
    repair = next(row for row in fulfilment.rows if row[0].value == "S10.2.5" and row[5].value)
    assert [repair[3].value, repair[4].value, repair[5].value, str(repair[6])] == [2, 1, 3, "66.7%"]
    assert "<svg" in html and "The figures of this chart" not in html  # translated (zh-hans) table behind the chart
    assert 'data-nav="dashboard"' in html


def test_dashboard_in_english(client, manager, november):
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("dashboard:index"), NOVEMBER, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Fulfilment by commitment" in html


def test_bad_filter_is_a_message_not_a_500(client, manager, reference_data):
    client.force_login(manager)
    response = client.get(reverse("dashboard:index"), {"month": "2026-99", "office": "x"})
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert client.get(reverse("dashboard:items"), {"month": "bad"}).status_code == 400
    assert client.get(reverse("dashboard:open_items"), {"signal": "nope"}).status_code == 400
    assert client.get(reverse("dashboard:table_csv", args=["nope"])).status_code == 404


def test_excel_opens_and_holds_the_page_numbers(client, manager, november):
    client.force_login(manager)
    page = client.get(reverse("dashboard:index"), NOVEMBER)
    response = client.get(reverse("dashboard:excel"), NOVEMBER)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sections = page.context["sections"]
    assert len(book.sheetnames) == len(sections)  # one sheet per section
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == sections[0].headers
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    for excel_row, page_row in zip(sheet.iter_rows(min_row=2, values_only=True), sections[0].rows, strict=True):
        assert list(excel_row[3:6]) == [c.value for c in page_row[3:6]]
    rate_cell = sheet.cell(row=2, column=7)
    assert rate_cell.number_format == '0.0"%"'


def test_table_csv_is_the_page_table(client, manager, november):
    client.force_login(manager)
    page = client.get(reverse("dashboard:index"), NOVEMBER)
    rows = _csv(client.get(reverse("dashboard:table_csv", args=["fulfilment"]), NOVEMBER))
    section = page.context["sections"][0]
    assert rows[0] == section.headers
    assert rows[1:] == [[cell.csv for cell in row] for row in section.rows]


def test_drill_down_to_breached_clocks_and_csv_holds_what_is_shown_S13_4(client, manager, november):
    client.force_login(manager)
    page = client.get(reverse("dashboard:index"), NOVEMBER)
    fulfilment = page.context["sections"][0]
    repair = next(row for row in fulfilment.rows if row[0].value == "S10.2.5" and row[4].value)
    response = client.get(repair[4].url)
    assert response.status_code == 200
    shown = response.context["rows"]
    assert len(shown) == 1 and shown[0]["clock"].state == SlaClock.State.BREACHED
    rows = _csv(client.get(repair[4].url + "&format=csv"))
    assert len(rows) == 2 and rows[1][0] == shown[0]["clock"].subject_label
    other = client.get(reverse("dashboard:items"), {**NOVEMBER, "outcome": "met", "person": "nobody-here"})
    assert other.context["pager"].count == 0


def test_open_work_drill_down(client, manager, reference_data):
    client.force_login(manager)
    response = client.get(reverse("dashboard:open_items"), {"signal": "overdue"})
    assert response.status_code == 200
    assert _csv(client.get(reverse("dashboard:open_items"), {"signal": "overdue", "format": "csv"}))[0][0]


def test_printable_report(client, manager, november):
    client.force_login(manager)
    html = client.get(reverse("dashboard:print"), NOVEMBER).content.decode()
    assert "2026-11" in html and "66.7%" in html and "topbar" not in html


def test_dashboard_query_count_does_not_grow(client, manager, november, django_assert_max_num_queries):
    client.force_login(manager)
    client.get(reverse("dashboard:index"), NOVEMBER)
    with django_assert_max_num_queries(150) as small:
        client.get(reverse("dashboard:index"), NOVEMBER)
    start = local(2026, 11, 4, 9, 0)
    for minutes in range(5, 60, 5):
        november.met(start, start + timedelta(minutes=minutes))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dashboard:index"), NOVEMBER)
    with django_assert_max_num_queries(12):
        client.get(reverse("dashboard:items"), {**NOVEMBER, "commitment": "repair_arrival"})


@time_machine.travel(local(2026, 12, 3, 10, 0), tick=False)
def test_manager_publishes_and_auditor_cannot_S13_6(client, manager, auditor, november):
    client.force_login(auditor)
    assert client.post(reverse("dashboard:publish"), {"publish-month": "2026-11"}).status_code == 403
    client.force_login(manager)
    response = client.post(reverse("dashboard:publish"), {"publish-month": "2026-11"})
    assert response.status_code == 302
    from supply_service.dashboard.models import PublishedMonth

    published = PublishedMonth.objects.get()
    assert published.revision == 1 and published.published_by == manager
    # this month is not over: refused with a message, nothing written
    client.post(reverse("dashboard:publish"), {"publish-month": "2026-12"})
    client.post(reverse("dashboard:publish"), {"publish-month": "not-a-month"})
    assert PublishedMonth.objects.count() == 1


def test_office_filter_narrows_every_figure(client, manager, other_office, november):
    start = local(2026, 11, 3, 9, 0)
    november.late(start, start + timedelta(minutes=80), office=other_office)
    client.force_login(manager)
    mine = client.get(reverse("dashboard:index"), {**NOVEMBER, "office": manager.office.pk}).context["report"]
    city = client.get(reverse("dashboard:index"), NOVEMBER).context["report"]
    assert (mine.overall.met, mine.overall.total) == (2, 3)
    assert (city.overall.met, city.overall.total) == (2, 4)
    sections = [s.key for s in client.get(reverse("dashboard:index"), {**NOVEMBER, "office": manager.office.pk})
                .context["sections"]]
    assert "offices" not in sections and "fulfilment" in sections
