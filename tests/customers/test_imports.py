"""Imports from the marketing system: every kind, every kind of bad row, idempotence, history, speed."""

import io
import math
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook

from supply_service.core.models import SlaClock
from supply_service.customers.imports import ImportResult, RowError, run_import
from supply_service.customers.models import Bill, Customer, Feeder, Meter, MeterReading, Payment, TransformerArea
from supply_service.customers.services import reading_record, reading_schedule
from tests.factories.core import OfficeFactory
from tests.factories.customers import (
    BillFactory,
    CustomerFactory,
    FeederFactory,
    MeterFactory,
    PaymentFactory,
    TransformerAreaFactory,
)

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"

CUSTOMER_HEADER = "account_number,name,category,voltage,phone,address,office_code"


def csv(*lines: str, bom: bool = False) -> bytes:
    data = "\n".join(lines).encode("utf-8") + b"\n"
    return b"\xef\xbb\xbf" + data if bom else data


def xlsx(*rows: list) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(kind: str, data: bytes, *, filename: str = "file.csv", **kwargs) -> ImportResult:
    return run_import(kind, data, filename=filename, **kwargs)


def lines(result: ImportResult) -> list[int]:
    return [error.line for error in result.errors]


def counts(result: ImportResult) -> tuple[int, int, int]:
    assert result.ok, result.errors
    return result.created, result.updated, result.unchanged


def history_rows() -> int:
    return sum(model.history.count() for model in (Customer, Feeder, TransformerArea, Bill, Payment, Meter,
                                                   MeterReading, SlaClock))


def customer_row(n: int, *, office: str = "home", phone: str | None = None) -> str:
    return f"31000{n:05d},用户{n},residential,220v,{phone or f'138{n:08d}'},人民路 {n} 号,{office}"


# --- customers -----------------------------------------------------------------------------------------------


def test_customers_created_with_feeders_areas_and_history(office, clerk):
    result = run("customers", csv(
        "account_number,name,category,voltage,importance,phone,phone2,email,address,office_code,feeder_code,"
        "feeder_name,area_code,area_name,is_disabled,is_elderly_limited_mobility,preferred_language,notify_outages",
        "3100000001,王建国,residential,220V,,13812340001,,,人民路 1 号,home,F-101,10kV 人民路线,T-1011,人民路台区,"
        "是,0,ug,true",
        "3100000002,天山宾馆,non_residential,10kv,second,0991-2310002,13812340002,a@hotel.example.cn,解放路 2 号,home,"
        "F-101,,T-1012,,否,1,,",
    ), user=clerk)
    assert counts(result) == (2, 0, 0)
    assert result.related == {"feeders_created": 1, "areas_created": 2}
    first, second = Customer.objects.order_by("account_number")
    feeder = Feeder.objects.get(code="F-101")
    assert (feeder.name, feeder.office) == ("10kV 人民路线", office)
    assert TransformerArea.objects.get(code="T-1012").name == "T-1012"  # no name given: the code
    assert (first.voltage, first.importance, first.is_disabled, first.preferred_language, first.notify_outages) == (
        "220v", "none", True, "ug", True)
    assert (first.feeder, first.transformer_area.code, first.office) == (feeder, "T-1011", office)
    assert (second.importance, second.email, second.is_elderly_limited_mobility, second.preferred_language) == (
        "second", "a@hotel.example.cn", True, "zh-hans")
    record = first.history.get()
    assert (record.history_type, record.history_change_reason, record.history_user) == (
        "+", "customers.import_customers", clerk)
    assert feeder.history.get().history_change_reason == "customers.import_customers"


def test_customers_csv_with_bom_and_crlf(office):
    data = csv(CUSTOMER_HEADER, customer_row(1), bom=True).replace(b"\n", b"\r\n")
    assert counts(run("customers", data)) == (1, 0, 0)


def test_customers_from_xlsx_normalise_numbers_and_booleans(office):
    data = xlsx(
        ["account_number", "name", "category", "voltage", "phone", "address", "office_code", "is_disabled"],
        [3100000001, "王建国", "residential", "220v", 13812340001, "人民路 1 号", "home", True],
        [3100000002.0, "李四", "residential", "380v", "13812340002", "人民路 2 号", "home", 0],
        [None, None, None, None, None, None, None, None],  # a blank row is skipped
    )
    assert counts(run("customers", data, filename="Customers.XLSX")) == (2, 0, 0)
    first = Customer.objects.get(account_number="3100000001")
    assert (first.phone, first.is_disabled) == ("13812340001", True)
    assert Customer.objects.get(account_number="3100000002").is_disabled is False


def test_reimport_changes_nothing_and_writes_no_history(office):
    data = csv(CUSTOMER_HEADER + ",feeder_code,area_code", customer_row(1) + ",F-1,T-1", customer_row(2) + ",F-1,")
    assert counts(run("customers", data)) == (2, 0, 0)
    before = history_rows()
    again = run("customers", data)
    assert counts(again) == (0, 0, 2) and again.related == {}
    assert history_rows() == before


def test_changed_phone_is_one_update_with_history(office, manager):
    run("customers", csv(CUSTOMER_HEADER, customer_row(1), customer_row(2)))
    result = run("customers", csv(CUSTOMER_HEADER, customer_row(1, phone="13999999999"), customer_row(2)),
                 user=manager)
    assert counts(result) == (0, 1, 1)
    customer = Customer.objects.get(account_number="3100000001")
    assert customer.phone == "13999999999"
    latest = customer.history.first()
    assert (latest.history_type, latest.history_change_reason, latest.history_user) == (
        "~", "customers.import_customers", manager)
    assert latest.prev_record.phone == "13800000001"
    assert Customer.objects.get(account_number="3100000002").history.count() == 1


def test_absent_optional_columns_leave_stored_values(office):
    customer = CustomerFactory(account_number="3100000001", office=office, name="用户1", phone="13800000001",
                               address="人民路 1 号", is_disabled=True, preferred_language="bo")
    area = customer.transformer_area
    assert counts(run("customers", csv(CUSTOMER_HEADER, customer_row(1)))) == (0, 0, 1)
    customer.refresh_from_db()
    assert (customer.is_disabled, customer.preferred_language, customer.transformer_area) == (True, "bo", area)


def test_present_optional_column_is_taken_as_given(office):
    CustomerFactory(account_number="3100000001", office=office, name="用户1", phone="13800000001",
                    address="人民路 1 号", is_disabled=True)
    result = run("customers", csv(CUSTOMER_HEADER + ",is_disabled,feeder_code,area_code", customer_row(1) + ",,,"))
    assert counts(result) == (0, 1, 0)
    customer = Customer.objects.get()
    assert (customer.is_disabled, customer.feeder, customer.transformer_area) == (False, None, None)


def test_existing_area_gives_the_feeder(office):
    area = TransformerAreaFactory(code="T-9", feeder__office=office)
    assert counts(run("customers", csv(CUSTOMER_HEADER + ",area_code", customer_row(1) + ",T-9"))) == (1, 0, 0)
    assert Customer.objects.get().feeder == area.feeder


def test_customer_moves_to_a_new_feeder(office):
    CustomerFactory(account_number="3100000001", office=office, name="用户1", phone="13800000001",
                    address="人民路 1 号")
    result = run("customers", csv(CUSTOMER_HEADER + ",feeder_code,area_code", customer_row(1) + ",F-NEW,T-NEW"))
    assert counts(result) == (0, 1, 0)
    customer = Customer.objects.select_related("transformer_area__feeder").get()
    assert (customer.feeder.code, customer.transformer_area.code, customer.transformer_area.feeder.code) == (
        "F-NEW", "T-NEW", "F-NEW")


# --- bad customer rows: nothing saved, every error on its line -------------------------------------------------


@pytest.mark.parametrize(("row", "expected"), [
    ("310000000,用户,residential,220v,13800000001,人民路,home", "account number “310000000” is not 10 digits"),
    ("31000000ab,用户,residential,220v,13800000001,人民路,home", "account number “31000000ab” is not 10 digits"),
    ("3100000009,用户,residential,220v,13800000001,人民路,nowhere", "office “nowhere” does not exist"),
    ("3100000009,用户,household,220v,13800000001,人民路,home",
     "category “household” is not one of: residential, non_residential"),
    ("3100000009,用户,residential,230v,13800000001,人民路,home",
     "voltage “230v” is not one of: 220v, 380v, 10kv, 35kv, 110kv"),
    ("3100000009,用户,residential,220v,138 0000 0001,人民路,home",
     "phone “138 0000 0001” is not a phone number (6 to 20 digits and dashes)"),
    ("3100000009,,residential,220v,13800000001,人民路,home", "name is empty"),
    ("3100000009,用户,residential,220v,13800000001,人民路,home,extra",
     "this row has more values than the header has columns (7)"),
])
def test_bad_customer_row(office, row, expected):
    with translation.override("en"):
        result = run("customers", csv(CUSTOMER_HEADER, customer_row(1), row, customer_row(3)))
    assert not result.ok
    assert result.errors == [RowError(3, expected)]
    assert result.created == 0 and not Customer.objects.exists()


def test_every_error_is_reported_with_its_line(office):
    result = run("customers", csv(
        CUSTOMER_HEADER + ",email,is_disabled",
        customer_row(1) + ",,",
        "3100000002,用户,residential,220v,13800000001,人民路,home,not-an-email,maybe",
        customer_row(3) + ",,",
        customer_row(1) + ",,",
    ))
    assert lines(result) == [3, 3, 5]
    with translation.override("en"):
        messages = [e.message for e in run("customers", csv(CUSTOMER_HEADER, customer_row(1), customer_row(1))).errors]
    assert messages == ["account number “3100000001” is already on line 2"]
    assert not Customer.objects.exists() and not Customer.history.exists()


def test_area_of_another_feeder_is_an_error(office):
    TransformerAreaFactory(code="T-1", feeder=FeederFactory(code="F-1", office=office))
    FeederFactory(code="F-2", office=office)
    with translation.override("en"):
        result = run("customers", csv(
            CUSTOMER_HEADER + ",feeder_code,area_code",
            customer_row(1) + ",F-1,T-1",
            customer_row(2) + ",F-2,T-1",
            customer_row(3) + ",F-3,T-3",
            customer_row(4) + ",F-2,T-3",  # T-3 is being created under F-3 on line 4
        ))
    assert result.errors == [
        RowError(3, "transformer area “T-1” belongs to feeder “F-1”, not “F-2”"),
        RowError(5, "transformer area “T-3” belongs to feeder “F-3”, not “F-2”"),
    ]
    assert not Customer.objects.exists() and not Feeder.objects.filter(code="F-3").exists()


def test_unknown_area_without_feeder_is_an_error(office):
    with translation.override("en"):
        result = run("customers", csv(CUSTOMER_HEADER + ",area_code,feeder_name", customer_row(1) + ",T-X,名字"))
    assert [e.message for e in result.errors] == [
        "feeder_name is given without feeder_code",
    ]
    with translation.override("en"):
        result = run("customers", csv(CUSTOMER_HEADER + ",area_code", customer_row(1) + ",T-X"))
    assert result.errors == [RowError(2, "transformer area “T-X” does not exist; give its feeder_code to create it")]


def test_unknown_and_missing_columns_are_one_error_on_line_1(office):
    with translation.override("en"):
        result = run("customers", csv("account_number,name,category,voltage,phone,address,colour",
                                      "3100000001,用户,residential,220v,13800000001,人民路,red"))
    assert len(result.errors) == 1 and result.errors[0].line == 1
    message = result.errors[0].message
    assert message.startswith("unknown column(s): colour (the columns are: account_number, name,")
    assert message.endswith("; missing column(s): office_code")


@pytest.mark.parametrize(("data", "filename", "expected"), [
    (b"", "file.csv", RowError(1, "The file is empty.")),
    (b"\n\n  \n", "file.csv", RowError(1, "The file is empty.")),
    (b",,,\n,,\n", "file.csv", RowError(1, "The file is empty.")),
    (CUSTOMER_HEADER.encode() + b"\n", "file.csv", RowError(1, "The file has a header but no rows.")),
    (CUSTOMER_HEADER.encode() + b"\n" + "3100000001,用户".encode("gbk") + b",residential\n", "file.csv",
     RowError(2, "The file is not UTF-8 text (the first bad character is on line 2): save it as “CSV UTF-8”.")),
    (b"\x00\x01\x02\xff\xfe garbage", "file.csv",
     RowError(1, "The file is not UTF-8 text (the first bad character is on line 1): save it as “CSV UTF-8”.")),
    (b"\x00\x01\x02\xff\xfe garbage", "file.xlsx", RowError(1, "The file is not an Excel workbook (.xlsx) that can be "
                                                              "read.")),
    (b"PK\x03\x04 truncated zip", "file.xlsx", RowError(1, "The file is not an Excel workbook (.xlsx) that can be "
                                                          "read.")),
    (b"a,b\n", "file.xls", RowError(1, "“file.xls” is neither a .csv nor an .xlsx file")),
])
def test_unusable_files_are_an_error_never_an_exception(office, data, filename, expected):
    with translation.override("en"):
        result = run("customers", data, filename=filename)
    assert result.errors == [expected] and not result.ok


def test_control_characters_are_an_error_never_a_database_error(office):
    with translation.override("en"):
        result = run("customers", csv(CUSTOMER_HEADER, customer_row(1) + "\x00", customer_row(2).replace("用户", "\x07")))
    assert result.errors == [RowError(2, "office_code contains an invisible control character"),
                             RowError(3, "name contains an invisible control character")]
    assert not Customer.objects.exists()


def test_empty_xlsx_is_an_error(office):
    result = run("customers", xlsx(), filename="empty.xlsx")
    assert lines(result) == [1]


def test_uploaded_file_and_path_are_accepted(office, tmp_path):
    upload = SimpleUploadedFile("upload.csv", csv(CUSTOMER_HEADER, customer_row(1)), content_type="text/csv")
    assert counts(run_import("customers", upload, filename=upload.name)) == (1, 0, 0)
    path = tmp_path / "again.csv"
    path.write_bytes(csv(CUSTOMER_HEADER, customer_row(1)))
    assert counts(run_import("customers", path, filename=path.name)) == (0, 0, 1)
    assert counts(run_import("customers", str(path), filename=path.name)) == (0, 0, 1)


def test_dry_run_counts_and_saves_nothing(office):
    CustomerFactory(account_number="3100000001", office=office)
    result = run("customers", csv(CUSTOMER_HEADER, customer_row(1), customer_row(2)), dry_run=True)
    assert counts(result) == (1, 1, 0) and result.dry_run
    assert Customer.objects.count() == 1


def test_messages_follow_the_active_language(office):
    data = csv(CUSTOMER_HEADER, "12,用户,residential,220v,13800000001,人民路,home")
    with translation.override("en"):
        english = run("customers", data).errors[0].message
    with translation.override("zh-hans"):
        chinese = run("customers", data).errors[0].message
    assert english == "account number “12” is not 10 digits"
    assert isinstance(chinese, str) and chinese and "12" in chinese


def test_unknown_kind_is_a_programming_error(office):
    with pytest.raises(ValueError, match="Unknown import kind"):
        run("tariffs", csv("a"))


# --- bills ---------------------------------------------------------------------------------------------------

BILL_HEADER = "account_number,period,kwh,amount,due_date"


@pytest.fixture
def two_customers(office):
    return [CustomerFactory(account_number=f"310000000{n}", office=office) for n in (1, 2)]


def test_bills_created_and_statuses_follow_payments(two_customers, clerk):
    first, _second = two_customers
    PaymentFactory(customer=first, amount=Decimal("100.00"))
    result = run("bills", csv(
        BILL_HEADER,
        "3100000001,2026-01,200,100.00,2026-02-25",
        "3100000001,2026-02,150.5,80.5,2026-03-25",
        "3100000002,2026/1,0,0,2026/2/25",
    ), user=clerk)
    assert counts(result) == (3, 0, 0)
    assert result.related == {"bill_statuses_refreshed": 2}  # the zero bill of 3100000002 counts as paid
    january = Bill.objects.get(customer=first, period=date(2026, 1, 1))
    assert (january.kwh, january.amount, january.due_date, january.status) == (
        Decimal("200.00"), Decimal("100.00"), date(2026, 2, 25), "paid")
    assert Bill.objects.get(customer=first, period=date(2026, 2, 1)).status == "issued"
    assert january.history.last().history_change_reason == "customers.import_bills"
    assert january.history.last().history_user == clerk


def test_bill_status_column_is_taken_as_given(two_customers):
    result = run("bills", csv(BILL_HEADER + ",status", "3100000001,2026-01,200,100,2026-02-25,PAID",
                              "3100000002,2026-01,200,100,2026-02-25,"))
    assert counts(result) == (2, 0, 0) and result.related == {}
    assert dict(Bill.objects.values_list("customer__account_number", "status")) == {
        "3100000001": "paid", "3100000002": "issued"}


def test_bills_from_xlsx_with_date_and_number_cells(two_customers):
    data = xlsx(
        ["account_number", "period", "kwh", "amount", "due_date"],
        [3100000001, datetime(2026, 1, 1), 200, 112.6, datetime(2026, 2, 25)],
        ["3100000002", datetime(2026, 3, 15), 180.25, 99, date(2026, 4, 25)],
    )
    assert counts(run("bills", data, filename="bills.xlsx")) == (2, 0, 0)
    first = Bill.objects.get(customer__account_number="3100000001")
    assert (first.period, first.amount, first.due_date) == (date(2026, 1, 1), Decimal("112.60"), date(2026, 2, 25))
    second = Bill.objects.get(customer__account_number="3100000002")
    assert (second.period, second.kwh) == (date(2026, 3, 1), Decimal("180.25"))
    assert counts(run("bills", data, filename="bills.xlsx")) == (0, 0, 2)


def test_bill_reimport_and_update(two_customers):
    data = csv(BILL_HEADER, "3100000001,2026-01,200,100.00,2026-02-25", "3100000002,2026-01,200,100,2026-02-25")
    run("bills", data)
    before = history_rows()
    assert counts(run("bills", data)) == (0, 0, 2)
    assert history_rows() == before
    result = run("bills", csv(BILL_HEADER, "3100000001,2026-01,200,120.00,2026-02-25",
                              "3100000002,2026-01,200.00,100.00,2026-02-25"))
    assert counts(result) == (0, 1, 1)
    assert Bill.objects.get(customer__account_number="3100000001").amount == Decimal("120.00")


def test_stored_bill_status_is_kept_without_status_column(two_customers):
    bill = BillFactory(customer=two_customers[0], period=date(2026, 1, 1), status=Bill.Status.CANCELLED)
    result = run("bills", csv(BILL_HEADER, f"3100000001,2026-01,{bill.kwh},999,2026-01-25"))
    assert counts(result) == (0, 1, 0)
    bill.refresh_from_db()
    assert (bill.amount, bill.status) == (Decimal("999.00"), "cancelled")


@pytest.mark.parametrize(("row", "expected"), [
    ("3100000009,2026-01,200,100,2026-02-25", "there is no customer with account number “3100000009”"),
    ("3100000001,2026-01,200,\"1,000.00\",2026-02-25", "amount “1,000.00” is not a number"),
    ("3100000001,2026-01,200,¥100,2026-02-25", "amount “¥100” is not a number"),
    ("3100000001,2026-01,200,1e3,2026-02-25", "amount “1e3” is not a number"),
    ("3100000001,2026-01,200,-5.00,2026-02-25", "amount “-5.00” must not be negative"),
    ("3100000001,2026-01,-1,5.00,2026-02-25", "kwh “-1” must not be negative"),
    ("3100000001,2026-01,200,5.005,2026-02-25", "amount “5.005” has more than 2 decimal places"),
    ("3100000001,2026-01,200,12345678901,2026-02-25", "amount “12345678901” is too large"),
    ("3100000001,2026-01,200,5,2026-02-30", "due_date “2026-02-30” is not a date (YYYY-MM-DD)"),
    ("3100000001,2026-01,200,5,25.02.2026", "due_date “25.02.2026” is not a date (YYYY-MM-DD)"),
    ("3100000001,2026-01,200,5,0001-01-01", "due_date “0001-01-01” is not a date (YYYY-MM-DD)"),
    ("3100000001,2026-13,200,5,2026-02-25", "period “2026-13” is not a month (YYYY-MM)"),
    ("3100000001,2026-01-15,200,5,2026-02-25", "period “2026-01-15” is not a month (YYYY-MM)"),
    ("3100000001,2026-03,200,5,2026-02-25", "due_date 2026-02-25 is before the billed month 2026-03"),
    ("3100000001,2026-02,200,5,2026-03-25", "the bill of account number “3100000001” for 2026-02 is already on "
                                            "line 2"),
])
def test_bad_bill_row(two_customers, row, expected):
    header_status = BILL_HEADER
    with translation.override("en"):
        result = run("bills", csv(header_status, "3100000001,2026-02,200,5,2026-03-25", row))
    assert result.errors == [RowError(3, expected)]
    assert not Bill.objects.exists() and not Bill.history.exists()


def test_bad_bill_status(two_customers):
    with translation.override("en"):
        result = run("bills", csv(BILL_HEADER + ",status", "3100000001,2026-01,1,1,2026-02-25,overdue"))
    assert result.errors == [RowError(2, "status “overdue” is not one of: issued, paid, cancelled")]


def test_missing_required_bill_column(two_customers):
    with translation.override("en"):
        result = run("bills", csv("account_number,period,kwh,due_date", "3100000001,2026-01,1,2026-02-25"))
    assert result.errors == [RowError(1, "missing column(s): amount")]


# --- payments ------------------------------------------------------------------------------------------------

PAYMENT_HEADER = "reference,account_number,paid_at,amount,method"


def test_payments_mark_bills_paid(two_customers, clerk):
    first, second = two_customers
    jan = BillFactory(customer=first, period=date(2026, 1, 1), amount=Decimal("100.00"))
    feb = BillFactory(customer=first, period=date(2026, 2, 1), amount=Decimal("100.00"))
    other = BillFactory(customer=second, period=date(2026, 1, 1), amount=Decimal("50.00"))
    result = run("payments", csv(
        PAYMENT_HEADER,
        "WX0001,3100000001,2026-02-08 19:42,100.00,mobile",
        "YH0002,3100000002,2026-02-25,20,Bank_Withholding",
    ), user=clerk)
    assert counts(result) == (2, 0, 0)
    assert result.related == {"bill_statuses_refreshed": 1}
    assert [Bill.objects.get(pk=b.pk).status for b in (jan, feb, other)] == ["paid", "issued", "issued"]
    payment = Payment.objects.get(reference="WX0001")
    assert payment.paid_at == datetime(2026, 2, 8, 19, 42, tzinfo=SH)
    assert payment.method.code == "mobile"
    assert Payment.objects.get(reference="YH0002").paid_at == datetime(2026, 2, 25, tzinfo=SH)
    assert payment.history.get().history_change_reason == "customers.import_payments"

    before = history_rows()
    again = run("payments", csv(PAYMENT_HEADER, "WX0001,3100000001,2026-02-08 19:42:00,100,mobile",
                                "YH0002,3100000002,2026-02-25 00:00,20.00,bank_withholding"))
    assert counts(again) == (0, 0, 2) and history_rows() == before

    corrected = run("payments", csv(PAYMENT_HEADER, "WX0001,3100000001,2026-02-08 19:42,90.00,mobile"))
    assert counts(corrected) == (0, 1, 0)
    assert Bill.objects.get(pk=jan.pk).status == "issued"


def test_payment_moved_to_another_account_refreshes_both(two_customers):
    first, second = two_customers
    bill = BillFactory(customer=first, period=date(2026, 1, 1), amount=Decimal("100.00"))
    PaymentFactory(customer=first, reference="P1", amount=Decimal("100.00"))
    from supply_service.customers.services import bill_statuses_refresh

    bill_statuses_refresh(customer_ids=[first.pk])
    assert Bill.objects.get(pk=bill.pk).status == "paid"
    assert counts(run("payments", csv(PAYMENT_HEADER, "P1,3100000002,2026-02-01,100,counter"))) == (0, 1, 0)
    assert Bill.objects.get(pk=bill.pk).status == "issued"


def test_payments_from_xlsx(two_customers):
    data = xlsx(["reference", "account_number", "paid_at", "amount", "method"],
                ["GT1", 3100000001, datetime(2026, 2, 12, 10, 15), 30, "counter"])
    assert counts(run("payments", data, filename="p.xlsx")) == (1, 0, 0)
    assert Payment.objects.get().paid_at == datetime(2026, 2, 12, 10, 15, tzinfo=SH)


@pytest.mark.parametrize(("row", "expected"), [
    ("P2,3100000001,2026-02-01,0,counter", "amount “0” must be more than 0"),
    ("P2,3100000001,2026-02-01,-3,counter", "amount “-3” must not be negative"),
    ("P2,3100000001,2026-02-01,3,cash", "payment method “cash” does not exist (the methods are: bank_withholding, "
                                        "counter, kiosk, mobile)"),
    ("P2,3100000001,2026-02-01 25:00,3,counter", "paid_at “2026-02-01 25:00” is not a date and time "
                                                 "(YYYY-MM-DD HH:MM)"),
    ("P2,3100000001,yesterday,3,counter", "paid_at “yesterday” is not a date and time (YYYY-MM-DD HH:MM)"),
    ("P2,3100000001,0001-01-01 00:00,3,counter", "paid_at “0001-01-01 00:00” is not a date and time "
                                                 "(YYYY-MM-DD HH:MM)"),
    ("P2,3100000009,2026-02-01,3,counter", "there is no customer with account number “3100000009”"),
    ("P1,3100000002,2026-02-01,3,counter", "payment “P1” is already on line 2"),
])
def test_bad_payment_row(two_customers, row, expected):
    with translation.override("en"):
        result = run("payments", csv(PAYMENT_HEADER, "P1,3100000001,2026-02-01,3,counter", row))
    assert result.errors == [RowError(3, expected)]
    assert not Payment.objects.exists()


# --- readings (S10.2.3) --------------------------------------------------------------------------------------

READING_HEADER = "meter_number,account_number,scheduled_on,read_on,value,meter_type,installed_on"


def clock(reading: MeterReading) -> SlaClock:
    return SlaClock.objects.get(object_id=reading.pk, commitment__code="meter_reading")


def test_readings_create_meters_and_clocks_late_reading_breached_S10_2_3(two_customers, clerk):
    result = run("readings", csv(
        READING_HEADER,
        "M1,3100000001,2026-03-20,2026-03-20,1000.5,three_phase,2019-05-10",
        "M1,3100000001,2026-04-20,2026-04-23,1100,,",
        "M2,3100000002,2026-03-20,,,,2020-01-01",
    ), user=clerk)
    assert counts(result) == (3, 0, 0)
    assert result.related == {"meters_created": 2, "clocks_started": 3, "clocks_stopped": 2}
    meter = Meter.objects.get(number="M1")
    assert (meter.customer.account_number, meter.kind, meter.installed_on) == (
        "3100000001", "three_phase", date(2019, 5, 10))
    assert Meter.objects.get(number="M2").kind == "single_phase"
    on_time = MeterReading.objects.get(meter=meter, scheduled_on=date(2026, 3, 20))
    late = MeterReading.objects.get(meter=meter, scheduled_on=date(2026, 4, 20))
    unread = MeterReading.objects.get(meter__number="M2")
    assert (on_time.read_on, on_time.value) == (date(2026, 3, 20), Decimal("1000.50"))
    assert clock(on_time).state == SlaClock.State.MET
    assert clock(late).state == SlaClock.State.BREACHED
    assert clock(late).stopped_at == datetime(2026, 4, 23, 12, 0, tzinfo=SH)
    running = clock(unread)
    assert (running.state, running.started_at, running.office) == (
        SlaClock.State.RUNNING, datetime(2026, 3, 20, tzinfo=SH), two_customers[1].office)
    assert late.history.get().history_change_reason == "customers.import_readings"

    before, clocks = history_rows(), SlaClock.objects.count()
    again = run("readings", csv(READING_HEADER, "M1,3100000001,2026-03-20,2026-03-20,1000.50,,",
                                "M1,3100000001,2026-04-20,2026-04-23,1100.00,three_phase,",
                                "M2,3100000002,2026-03-20,,,,"))
    assert counts(again) == (0, 0, 3) and again.related == {}
    assert (history_rows(), SlaClock.objects.count()) == (before, clocks)


def test_reading_recorded_by_import_stops_its_clock(two_customers):
    meter = MeterFactory(number="M1", customer=two_customers[0])
    reading = reading_schedule(meter=meter, scheduled_on=date(2026, 3, 20))
    result = run("readings", csv(READING_HEADER, "M1,3100000001,2026-03-20,2026-03-24,500,,",
                                 "M1,3100000001,2026-04-20,,,,"))
    assert counts(result) == (1, 1, 0)
    assert result.related == {"clocks_started": 1, "clocks_stopped": 1}
    reading.refresh_from_db()
    assert (reading.read_on, reading.value) == (date(2026, 3, 24), Decimal("500.00"))
    assert clock(reading).state == SlaClock.State.BREACHED


def test_blank_reading_does_not_unrecord_and_meter_type_is_updated(two_customers):
    meter = MeterFactory(number="M1", customer=two_customers[0])
    reading = reading_schedule(meter=meter, scheduled_on=date(2026, 3, 20))
    reading_record(reading=reading, read_on=date(2026, 3, 20), value=Decimal("12.00"))
    result = run("readings", csv(READING_HEADER, "M1,3100000001,2026-03-20,,,three_phase,"))
    assert counts(result) == (0, 0, 1)
    assert result.related == {"meters_updated": 1}
    reading.refresh_from_db()
    assert reading.read_on == date(2026, 3, 20)
    meter.refresh_from_db()
    assert meter.kind == "three_phase"
    assert meter.history.first().history_change_reason == "customers.import_readings"


def test_bad_reading_rows(two_customers):
    MeterFactory(number="M-OTHER", customer=two_customers[1])
    with translation.override("en"):
        result = run("readings", csv(
            READING_HEADER,
            "M1,3100000001,2026-03-20,,,,2020-01-01",
            "M-OTHER,3100000001,2026-03-20,,,,",
            "M1,3100000001,2026-03-20,,,,",
            "M1,3100000001,2026-04-20,2026-04-19,5,,",
            "M1,3100000001,2026-05-20,,5,,",
            "M1,3100000002,2026-06-20,,,,",
            "M2,3100000001,2026-03-20,,,,",
            "M1,3100000001,2026-07-20,,,high_voltage,",
            "M1,3100000001,2026-08-20,,,,2021-01-01",
            "M1,3100000001,2026-09-20,,-1,,",
            "M1,3100000001,2026-10-20,,,meter,",
        ))
    assert result.errors == [
        RowError(3, "meter “M-OTHER” belongs to another customer (3100000002)"),
        RowError(4, "the reading of meter “M1” scheduled on 2026-03-20 is already on line 2"),
        RowError(5, "read_on 2026-04-19 is before scheduled_on 2026-04-20"),
        RowError(6, "read_on and value go together: give both or neither"),
        RowError(7, "meter “M1” is given for account number 3100000001 on line 2"),
        RowError(8, "meter “M2” does not exist; give its installed_on to create it"),
        RowError(10, "meter “M1” is given installed_on “2020-01-01” on line 2"),
        RowError(11, "value “-1” must not be negative"),
        RowError(12, "meter_type “meter” is not one of: single_phase, three_phase, high_voltage"),
    ]
    assert not MeterReading.objects.exists() and not Meter.objects.filter(number="M1").exists()
    assert not SlaClock.objects.exists()


# --- the samples in docs/ --------------------------------------------------------------------------------------


def test_samples_import_in_order_and_xlsx_matches_csv(reference_data):
    OfficeFactory(code="city-centre")
    for kind in ("customers", "bills", "payments", "readings"):
        result = run_import(kind, SAMPLES / f"{kind}.csv", filename=f"{kind}.csv")
        assert result.ok and result.created and not result.updated, (kind, result.errors)
    assert counts(run_import("customers", SAMPLES / "customers.xlsx", filename="customers.xlsx")) == (0, 0, 6)
    assert Bill.objects.get(customer__account_number="3101000001", period=date(2026, 1, 1)).status == "paid"
    late = MeterReading.objects.get(meter__number="M3101000002")
    assert clock(late).state == SlaClock.State.BREACHED


# --- speed ---------------------------------------------------------------------------------------------------


def _bound(rows: int) -> int:
    """At most 60 queries whatever the size (PostgreSQL: 25 for 5 000 new customers) — except that Django 5.2 splits
    SQLite inserts to stay under a 999-variable limit (≈40 rows a statement, for the customers and again for their
    history rows), so on SQLite exactly those forced statements are added (≈250 in all for 5 000)."""
    if connection.vendor != "sqlite":
        return 60
    per_statement = connection.features.max_query_params // 25  # ≈ fields of a customer or its history row
    return 60 + 2 * math.ceil(rows / per_statement)


def test_5000_customers_import_fast_with_bounded_queries(office, django_assert_max_num_queries):
    rows = 5000
    data = csv(CUSTOMER_HEADER + ",feeder_code,area_code",
               *(customer_row(n) + f",F-{n % 50 % 7},T-{n % 50}" for n in range(1, rows + 1)))
    started = time.monotonic()
    with django_assert_max_num_queries(_bound(rows)):
        result = run("customers", data)
    created_in = time.monotonic() - started
    assert counts(result) == (rows, 0, 0) and created_in < 15
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        assert counts(run("customers", data)) == (0, 0, rows)
    assert time.monotonic() - started < 15
    assert len(queries) <= 20  # unchanged rows: reads only, in chunks of 900
    changed = data.replace(b",13800", b",13900")
    with django_assert_max_num_queries(_bound(rows) * 2):
        assert counts(run("customers", changed)) == (0, rows, 0)


# --- whatever the input: errors, never an exception ----------------------------------------------------------

FUZZ_CELLS = ["", " ", "3100000001", "31000000011", "home", "nowhere", "-1", "0", "1e309", "NaN", "12.345",
              "2026-02-29", "2026-13-01", "2026-01", "0000-00-00", "9999-12-31 23:59", "counter", "M1", "是",
              "x" * 300, "‮evil", "'; DROP TABLE x;--", "\t", "１２３", "١٢٣", "🙂", "residential", "220v"]


@pytest.mark.parametrize("kind", ["customers", "bills", "payments", "readings"])
def test_random_rows_give_errors_never_exceptions(two_customers, kind):
    import random

    from supply_service.customers.imports import IMPORTERS

    rng = random.Random(kind)
    columns = [column.name for column in IMPORTERS[kind].columns]
    for _attempt in range(5):
        rows = [[rng.choice(FUZZ_CELLS) for _ in columns] for _ in range(20)]
        text = "\n".join(",".join(f'"{cell}"' for cell in row) for row in [columns, *rows])
        result = run(kind, text.encode())
        assert isinstance(result, ImportResult) and all(e.line >= 1 and e.message for e in result.errors)
        typed = [[rng.choice([cell, 3100000001, -2.5, 1e20, True, datetime(2026, 1, 1), date(1, 1, 1), None])
                  for cell in row] for row in rows]
        result = run(kind, xlsx(columns, *typed), filename="fuzz.xlsx")
        assert isinstance(result, ImportResult)
