"""Voltage imports: all or nothing, idempotent, line-numbered errors, samples aggregated (S6.1, S6.2)."""

from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from supply_service.customers.models_imports import ImportJob
from supply_service.quality.imports import run_quality_import
from supply_service.quality.imports.jobs import quality_import_create
from supply_service.quality.models import AbnormalPeriod, MonitoringPoint, VoltageMonth
from tests.factories.customers import CustomerFactory
from tests.factories.quality import MonitoringPointFactory, voltage_class

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = "point_code,month,minutes_monitored,minutes_above,minutes_below,point_name,category,voltage_class,office_code"


def months_csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def counts():
    return MonitoringPoint.objects.count(), VoltageMonth.objects.count(), VoltageMonth.history.count()


def test_monthly_import_creates_points_and_figures_and_is_idempotent(office, manager):
    data = months_csv("P1,2026-01,44640,10,20,一号点,a,10kv_3ph,home", "P1,2026-02,40320,0,0,,,,",
                      "P2,2026-01,44640,0,5,二号点,D,220v_1ph,home")
    result = run_quality_import("voltage_months", data, filename="m.csv", user=manager)
    assert result.ok, result.errors
    assert (result.created, result.related["points_created"]) == (3, 2)
    point = MonitoringPoint.objects.get(code="P1")
    assert (point.category, point.voltage_class.code, point.office) == ("A", "10kv_3ph", office)
    row = VoltageMonth.objects.get(point=point, month=date(2026, 1, 1))
    assert (row.minutes_monitored, row.minutes_above, row.minutes_below) == (44640, 10, 20)
    assert row.history.first().history_change_reason == "quality.import_voltage_months"
    before = counts()
    again = run_quality_import("voltage_months", data, filename="m.csv", user=manager)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert counts() == before


def test_bad_monthly_file_reports_every_line_and_writes_nothing(office, manager):
    data = months_csv(
        "P1,2026-01,44640,10,20,一号点,A,10kv_3ph,home",      # good
        "P1,2026-02,50000,0,0,,,,",                            # more minutes than February has
        "P2,2026-13,1,0,0,二号点,D,220v_1ph,home",             # not a month
        "P3,2026-01,100,60,41,三号点,D,220v_1ph,home",         # above + below > monitored
        "P4,2026-01,100,0,0,四号点,E,no_such_class,nowhere",   # bad class, voltage class, office
        "P5,2026-01,100,0,0,,,,",                              # unknown point without its description
        "P1,2026-01,44640,10,20,,,,",                          # duplicate of line 2
    )
    before = counts()
    result = run_quality_import("voltage_months", data, filename="bad.csv", user=manager)
    assert not result.ok
    lines = {error.line for error in result.errors}
    assert lines == {3, 4, 5, 6, 7, 8}
    assert any("February" in e.message or "2026-02" in e.message for e in result.errors if e.line == 3)
    assert counts() == before


def test_monthly_import_from_xlsx(office, manager):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["P9", datetime(2026, 3, 1), 44640, 0, 3, "九号点", "C", "10kv_3ph", "home"])
    buffer = BytesIO()
    book.save(buffer)
    result = run_quality_import("voltage_months", buffer.getvalue(), filename="m.xlsx", user=manager)
    assert result.ok, result.errors
    assert VoltageMonth.objects.get(point__code="P9").month == date(2026, 3, 1)


def test_point_at_customer_or_area_not_both(office, manager):
    customer = CustomerFactory(office=office)
    header = HEADER + ",account_number,area_code"
    data = f"{header}\nP1,2026-01,100,0,0,一号,B,35kv_up,home,{customer.account_number}," \
           f"{customer.transformer_area.code}\n".encode()
    result = run_quality_import("voltage_months", data, filename="m.csv", user=manager)
    assert [e.line for e in result.errors] == [2]
    assert MonitoringPoint.objects.count() == 0


def samples_csv(point: str, readings) -> bytes:
    lines = ["point_code,measured_at,volts,minutes"] + [f"{point},{at},{volts},{m}" for at, volts, m in readings]
    return ("\n".join(lines) + "\n").encode()


def test_samples_aggregated_per_month_with_the_class_band_S6_1(office, manager):
    point = MonitoringPointFactory(code="D1", office=office, voltage_class=voltage_class("220v_1ph"))
    data = samples_csv("D1", [
        ("2026-03-31 23:00", "236.0", 60),   # +7.27 % > +7 %: above
        ("2026-03-31 22:00", "235.4", 60),   # +7.0 %: qualified (the limit itself is inside)
        ("2026-03-31 21:00", "197.0", 60),   # -10.45 %: below
        ("2026-04-01 00:00", "198.0", 60),   # -10 %: qualified; next month (Asia/Shanghai)
    ])
    result = run_quality_import("voltage_samples", data, filename="s.csv", user=manager)
    assert result.ok, result.errors
    assert (result.created, result.related["readings"]) == (2, 4)
    march = VoltageMonth.objects.get(point=point, month=date(2026, 3, 1))
    assert (march.minutes_monitored, march.minutes_above, march.minutes_below) == (180, 60, 60)
    assert march.source == "samples"
    april = VoltageMonth.objects.get(point=point, month=date(2026, 4, 1))
    assert (april.minutes_monitored, april.minutes_above, april.minutes_below) == (60, 0, 0)
    again = run_quality_import("voltage_samples", data, filename="s.csv", user=manager)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_samples_inside_an_abnormal_period_use_the_S6_2_band(office, manager):
    point = MonitoringPointFactory(code="D2", office=office, voltage_class=voltage_class("220v_1ph"))
    AbnormalPeriod.objects.create(office=office, reason="主变故障",
                                  starts_at=datetime(2026, 3, 10, 8, 0, tzinfo=SHANGHAI),
                                  ends_at=datetime(2026, 3, 10, 12, 0, tzinfo=SHANGHAI))
    data = samples_csv("D2", [
        ("2026-03-10 09:00", "238.0", 1),    # +8.2 %: within ±10 % during the abnormal period
        ("2026-03-10 10:00", "243.0", 1),    # +10.45 %: outside even ±10 %
        ("2026-03-10 13:00", "238.0", 1),    # after the period: +8.2 % > +7 %
    ])
    result = run_quality_import("voltage_samples", data, filename="s.csv", user=manager)
    assert result.ok, result.errors
    row = VoltageMonth.objects.get(point=point)
    assert (row.minutes_monitored, row.minutes_above, row.abnormal_minutes) == (3, 2, 2)


def test_bad_samples_rejected_with_lines_nothing_written(office, manager):
    MonitoringPointFactory(code="D3", office=office)
    data = samples_csv("D3", [("2026-03-01 00:00", "220", 1), ("2026-03-01 00:00", "221", 1),
                              ("2026-03-01 01:00", "-5", 1), ("2026-03-01 02:00", "abc", 1),
                              ("not a time", "220", 1)]) + b"NOPE,2026-03-01 03:00,220,1\n"
    result = run_quality_import("voltage_samples", data, filename="s.csv", user=manager)
    assert {e.line for e in result.errors} == {3, 4, 5, 6, 7}
    assert VoltageMonth.objects.count() == 0


def test_the_sample_files_import(office, manager):
    from tests.factories.core import OfficeFactory

    manager.office = OfficeFactory(code="city-centre")  # the sample's points are of that office
    manager.save()
    root = Path(__file__).resolve().parents[2] / "docs" / "samples"
    for kind, name in (("voltage_months", "voltage_months.csv"), ("voltage_samples", "voltage_samples.csv")):
        result = run_quality_import(kind, root / name, filename=name, user=manager)
        assert result.ok, result.errors
    march = VoltageMonth.objects.get(point__code="VP-D-001", month=date(2026, 3, 1))
    assert (march.minutes_monitored, march.minutes_above, march.minutes_below) == (2880, 120, 120)


def test_background_job_runs_the_import_and_records_it(office, manager, django_capture_on_commit_callbacks,
                                                       settings, monkeypatch):
    import django_q.conf

    monkeypatch.setattr(django_q.conf.Conf, "SYNC", True)
    upload = SimpleUploadedFile("m.csv", months_csv("P1,2026-01,44640,10,20,一号点,A,10kv_3ph,home"))
    with django_capture_on_commit_callbacks(execute=True):
        job = quality_import_create(kind="voltage_months", upload=upload, by=manager)
    job = ImportJob.objects.get(pk=job.pk)
    assert job.state == ImportJob.State.DONE and job.created == 1


def test_import_refused_without_permission(office, clerk):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        quality_import_create(kind="voltage_months", upload=SimpleUploadedFile("m.csv", b"x"), by=clerk)


def test_command_imports_the_sample(office, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(months_csv("P1,2026-01,44640,10,20,一号点,A,10kv_3ph,home"))
    call_command("import_voltage_months", str(path))
    assert VoltageMonth.objects.count() == 1


def test_points_of_another_office_are_refused_line_by_line_nothing_written(office, other_office, manager):
    MonitoringPointFactory(code="FAR-1", office=other_office)
    before = counts()
    result = run_quality_import("voltage_months", months_csv(
        "OWN-1,2026-01,44640,0,0,本所点,A,10kv_3ph,home",
        "FAR-2,2026-01,44640,0,0,外所新点,A,10kv_3ph,other",   # a new point for another office
        "FAR-1,2026-01,44640,0,0,,,,",                         # a stored point of another office
        "OWN-1,2026-02,40320,0,0,本所点,A,10kv_3ph,other",     # moving own point to another office
    ), filename="m.csv", user=manager)
    assert not result.ok and [e.line for e in result.errors] == [3, 4, 5]
    assert "FAR-2" in str(result.errors[0].message)  # named, in the user's language (zh-hans here)
    assert counts() == before
    samples = run_quality_import("voltage_samples", b"point_code,measured_at,volts\nFAR-1,2026-03-01 00:00,220\n",
                                 filename="s.csv", user=manager)
    assert not samples.ok and [e.line for e in samples.errors] == [2]
    assert VoltageMonth.objects.count() == 0


def test_act_any_office_imports_for_every_office(office, other_office, manager):
    from django.contrib.auth.models import Permission

    manager.user_permissions.add(Permission.objects.get(codename="act_any_office"))
    result = run_quality_import("voltage_months", months_csv("FAR-2,2026-01,44640,0,0,外所新点,A,10kv_3ph,other"),
                                filename="m.csv", user=manager)
    assert result.ok, result.errors
    assert MonitoringPoint.objects.get(code="FAR-2").office == other_office
