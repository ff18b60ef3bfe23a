"""Staff pages: figures, drill-down, import with progress; permissions; constant query counts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supply_service.core.measures import measure_for_key
from supply_service.customers.models_imports import ImportJob
from supply_service.outages.models import AffectedCustomer, OutageNotice
from supply_service.quality.models import VoltageMonth
from supply_service.quality.services_reliability import outage_months_refresh
from tests.factories.customers import CustomerFactory
from tests.factories.quality import MonitoringPointFactory, VoltageMonthFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _data(office, user, size: int) -> None:
    customers = [CustomerFactory(office=office) for _ in range(size)]
    for n in range(size):
        point = MonitoringPointFactory(office=office, category="ABCD"[n % 4])
        for month in (1, 2, 3):
            VoltageMonthFactory(point=point, month=date(2026, month, 1), minutes_monitored=1000, minutes_above=n)
        notice = OutageNotice.objects.create(
            number=f"TD-V-{size}-{n}", office=office, kind="planned" if n % 2 else "emergency", state="closed",
            reason="检修", planned_start=datetime(2026, 1, 5 + n, 8, tzinfo=SH),
            planned_end=datetime(2026, 1, 5 + n, 12, tzinfo=SH), created_by=user,
            started_at=datetime(2026, 1, 5 + n, 8, tzinfo=SH), restored_at=datetime(2026, 1, 5 + n, 12, tzinfo=SH))
        AffectedCustomer.objects.bulk_create([AffectedCustomer(notice=notice, customer=c) for c in customers[:n + 1]])
        outage_months_refresh(notice_id=notice.pk)


@pytest.mark.parametrize("size", [2, 8])
def test_figures_page_constant_queries(client, office, manager, size, django_assert_max_num_queries):
    _data(office, manager, size)
    client.force_login(manager)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("quality:figures"), {"year": 2026})
    assert response.status_code == 200
    assert b'id="quality-months"' in response.content
    with django_assert_max_num_queries(12):
        response = client.get(reverse("quality:points"), {"month": "2026-01", "category": "A"})
    assert response.status_code == 200 and b'id="point-list"' in response.content


def test_figures_page_shows_hand_computed_figures(client, office, manager):
    customer = CustomerFactory(office=office)
    point = MonitoringPointFactory(office=office, category="A", code="VA-1")
    VoltageMonthFactory(point=point, month=date(2026, 1, 1), minutes_monitored=1000, minutes_above=10)
    notice = OutageNotice.objects.create(
        number="TD-V-1", office=office, kind="emergency", state="closed", reason="故障",
        planned_start=datetime(2026, 1, 31, 23, tzinfo=SH), planned_end=datetime(2026, 2, 1, 1, tzinfo=SH),
        created_by=manager, started_at=datetime(2026, 1, 31, 23, tzinfo=SH),
        restored_at=datetime(2026, 2, 1, 1, tzinfo=SH))
    AffectedCustomer.objects.create(notice=notice, customer=customer)
    outage_months_refresh(notice_id=notice.pk)
    client.force_login(manager)
    html = client.get(reverse("quality:figures"), {"year": 2026, "office": office.pk}).content.decode()
    assert 'data-class="A"' in html and "99.000" in html
    assert "99.8656" in html   # January: 1 h of 744 for the only customer
    assert "99.8512" in html   # February: 1 h of 672


@pytest.mark.parametrize("query", [{"year": "x"}, {"year": "99999"}, {"office": "abc"}, {"office": "999999"},
                                   {"month": "2026-13"}, {"category": "Z"}])
def test_bad_filters_fall_back(client, office, manager, query):
    client.force_login(manager)
    assert client.get(reverse("quality:figures"), query).status_code == 200
    assert client.get(reverse("quality:points"), query).status_code == 200


def test_pages_refused_without_permission(client, office, clerk):
    client.force_login(clerk)
    assert client.get(reverse("quality:figures")).status_code == 403
    assert client.get(reverse("quality:import")).status_code == 403


def test_auditor_sees_figures_but_may_not_import(client, office, auditor):
    client.force_login(auditor)
    assert client.get(reverse("quality:figures")).status_code == 200
    assert client.get(reverse("quality:import")).status_code == 403


def test_import_page_queues_and_shows_the_outcome(client, office, manager, django_capture_on_commit_callbacks):
    client.force_login(manager)
    content = (b"point_code,month,minutes_monitored,minutes_above,minutes_below,point_name,category,voltage_class,"
               b"office_code\nP1,2026-01,44640,10,20,\xe4\xb8\x80,A,10kv_3ph,home\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("quality:import"), {"kind": "voltage_months",
                                                           "file": SimpleUploadedFile("m.csv", content)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("quality:import_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-state="done"' in page
    assert VoltageMonth.objects.count() == 1


def test_bad_file_lists_lines_and_saves_nothing(client, office, manager, django_capture_on_commit_callbacks):
    client.force_login(manager)
    content = (b"point_code,month,minutes_monitored,minutes_above,minutes_below\n"
               b"NOPE,2026-01,10,0,0\nP2,2026-02,99999,0,0\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("quality:import"), {"kind": "voltage_samples",
                                                           "file": SimpleUploadedFile("m.csv", content)})
    page = client.get(response["Location"]).content.decode()
    assert 'data-state="failed"' in page and 'id="import-errors"' in page
    assert VoltageMonth.objects.count() == 0


def test_import_form_errors_are_a_400(client, office, manager):
    client.force_login(manager)
    response = client.post(reverse("quality:import"), {"kind": "voltage_months",
                                                       "file": SimpleUploadedFile("m.txt", b"x")})
    assert response.status_code == 400
    assert ImportJob.objects.count() == 0


def test_other_users_job_is_404(client, office, manager, auditor):
    job = ImportJob.objects.create(kind="voltage_months", filename="m.csv", created_by=auditor)
    client.force_login(manager)
    assert client.get(reverse("quality:import_job", args=[job.pk])).status_code == 404


def test_measures_registered_for_the_audit_and_the_dashboard_S6_1_S6_4_S5_3(office, manager):
    _data(office, manager, 2)
    start, end = datetime(2026, 1, 1, tzinfo=SH), datetime(2027, 1, 1, tzinfo=SH)
    voltage = measure_for_key("quality_voltage_rate")(office=office, start=start, end=end)
    assert voltage.value is not None and voltage.target is not None and voltage.passed is not None
    reliability = measure_for_key("quality_reliability")(office=office, start=start, end=end)
    assert reliability.denominator == 2 and reliability.unit == "%"
    improvement = measure_for_key("quality_improvement")(office=office, start=start, end=end)
    assert improvement.passed is None or isinstance(improvement.passed, bool)
    assert "S5.3" in measure_for_key("quality_improvement").requirements


def test_nav_link_for_those_who_may_see_the_figures(office, manager, auditor, clerk):
    from supply_service.core.nav import nav_links_for

    def keys(user):
        return [key for key, _label, _url in nav_links_for(user)]

    assert "quality" in keys(manager) and "quality" in keys(auditor)
    assert "quality" not in keys(clerk)


def _office_figures(office, user, code: str, hours: int) -> None:
    customer = CustomerFactory(office=office)
    point = MonitoringPointFactory(office=office, category="A", code=code)
    VoltageMonthFactory(point=point, month=date(2026, 1, 1), minutes_monitored=1000, minutes_above=hours)
    notice = OutageNotice.objects.create(
        number=f"TD-{code}", office=office, kind="emergency", state="closed", reason="故障",
        planned_start=datetime(2026, 1, 10, 8, tzinfo=SH), planned_end=datetime(2026, 1, 10, 8 + hours, tzinfo=SH),
        created_by=user, started_at=datetime(2026, 1, 10, 8, tzinfo=SH),
        restored_at=datetime(2026, 1, 10, 8 + hours, tzinfo=SH))
    AffectedCustomer.objects.create(notice=notice, customer=customer)
    outage_months_refresh(notice_id=notice.pk)


@pytest.fixture
def two_offices(office, other_office, manager):
    _office_figures(office, manager, "OWN-A1", 1)      # January: 1 h of 744 → 99.8656 %; voltage 99.900 %
    _office_figures(other_office, manager, "FAR-B9", 7)  # 7 h of 744 → 99.0591 %; voltage 99.300 %


@pytest.mark.parametrize("query", [{}, {"office": ""}, {"office": "OTHER"}])
def test_manager_of_one_office_sees_only_its_figures_and_points(client, office, other_office, manager, two_offices,
                                                                  query):
    query = {"year": 2026, **{k: other_office.pk if v == "OTHER" else v for k, v in query.items()}}
    client.force_login(manager)
    html = client.get(reverse("quality:figures"), query).content.decode()
    assert "99.8656" in html and "99.900" in html
    assert "99.0591" not in html and "99.300" not in html and "天山路供电营业厅" not in html
    points = client.get(reverse("quality:points"), {**query, "month": "2026-01"}).content.decode()
    assert "OWN-A1" in points and "FAR-B9" not in points


def test_act_any_office_sees_every_office(client, office, other_office, manager, two_offices):
    from django.contrib.auth.models import Permission

    manager.user_permissions.add(Permission.objects.get(codename="act_any_office"))
    client.force_login(manager)
    html = client.get(reverse("quality:figures"), {"year": 2026, "office": other_office.pk}).content.decode()
    assert "99.0591" in html and "99.300" in html
    points = client.get(reverse("quality:points"), {"year": 2026, "office": "", "month": "2026-01"}).content.decode()
    assert "OWN-A1" in points and "FAR-B9" in points


def test_staff_without_an_office_read_no_figures(client, office, manager):
    manager.office = None
    manager.save()
    client.force_login(manager)
    assert client.get(reverse("quality:figures")).status_code == 403
    assert client.get(reverse("quality:points")).status_code == 403
