"""`manage.py import_customers|import_bills|import_payments|import_readings FILE [--dry-run] [--user NAME]`."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from supply_service.customers.imports.command import ProgressBar
from supply_service.customers.models import Bill, Customer, Payment
from tests.factories.core import OfficeFactory

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
HEADER = "account_number,name,category,voltage,phone,address,office_code"


@pytest.fixture
def city_centre(reference_data):
    return OfficeFactory(code="city-centre")


def command(name: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_customers_prints_progress_and_summary(city_centre, clerk):
    out, err = command("import_customers", str(SAMPLES / "customers.csv"), "--user", "clerk")
    assert "created 6, updated 0, unchanged 0" in out
    assert "feeders created: 2" in out and "areas created: 3" in out
    assert "\rvalidating [" in err and "6/6" in err and err.endswith("\n")
    assert Customer.objects.count() == 6
    assert Customer.history.filter(history_user=clerk, history_change_reason="customers.import_customers").count() == 6
    out, _err = command("import_customers", str(SAMPLES / "customers.xlsx"))
    assert "created 0, updated 0, unchanged 6" in out


def test_every_kind_has_its_command(city_centre):
    command("import_customers", str(SAMPLES / "customers.csv"))
    out, _ = command("import_bills", str(SAMPLES / "bills.csv"))
    assert "created 9, updated 0, unchanged 0" in out
    out, _ = command("import_payments", str(SAMPLES / "payments.csv"))
    assert "created 5, updated 0, unchanged 0" in out and "bill statuses refreshed" in out
    out, _ = command("import_readings", str(SAMPLES / "readings.csv"))
    assert "created 5, updated 0, unchanged 0" in out and "clocks started: 5" in out
    assert Bill.objects.filter(status="paid").exists() and Payment.objects.count() == 5


def test_dry_run_saves_nothing(city_centre):
    out, _ = command("import_customers", str(SAMPLES / "customers.csv"), "--dry-run")
    assert out.startswith("dry run, nothing saved: would have created 6, updated 0, unchanged 0")
    assert not Customer.objects.exists()


def test_errors_are_listed_and_exit_non_zero(city_centre, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\n3100000001,用户,residential,220v,13800000001,人民路,city-centre\n"
                    "12,用户,residential,999v,13800000001,人民路,nowhere\n", encoding="utf-8")
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match=r"bad.csv: 3 error\(s\); nothing was imported"):
        call_command("import_customers", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 3: account number “12” is not 10 digits" in err.getvalue()
    assert "line 3: office “nowhere” does not exist" in err.getvalue()
    assert not Customer.objects.exists()


def test_dry_run_reports_errors_too(city_centre, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a workbook")
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_bills", str(path), "--dry-run", stdout=io.StringIO(), stderr=err)
    assert "line 1: The file is not an Excel workbook (.xlsx) that can be read." in err.getvalue()


def test_missing_file_and_unknown_user(city_centre, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_payments", str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError, match="no user 'ghost'"):
        call_command("import_payments", str(SAMPLES / "payments.csv"), "--user", "ghost")


def test_progress_bar_draws_on_one_line():
    stream = io.StringIO()
    bar = ProgressBar(stream, min_interval=0)
    bar("validating", 5, 10)
    bar("validating", 10, 10)
    bar.finish()
    assert stream.getvalue() == (
        "\rvalidating [###############...............]  5/10"
        "\rvalidating [##############################] 10/10\n"
    )
