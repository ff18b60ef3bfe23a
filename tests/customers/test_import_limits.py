"""Import limits and background imports (issue 10, fault 8): files above IMPORT_MAX_BYTES or with more than
IMPORT_MAX_ROWS rows are refused with a clear message and nothing is written, rows are streamed (a huge or lying
XLSX does not hang), and the admin's uploads run as a background job with progress and per-row errors."""

import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from supply_service.customers.imports import run_import
from supply_service.customers.imports.jobs import import_job_create, import_job_run
from supply_service.customers.models import Customer
from supply_service.customers.models_imports import ImportJob
from supply_service.tickets.imports_calls import import_calls

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(client):
    """Messages are checked in English (the staff's second language); the client asks for it too."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield

HEADER = "account_number,name,category,voltage,phone,address,office_code"


def row(n: int, office: str = "home") -> str:
    return f"31000{n:05d},用户{n},residential,220v,138{n:08d},人民路 {n} 号,{office}"


def customers_csv(count: int, *, bad: dict[int, str] | None = None) -> bytes:
    lines = [HEADER] + [(bad or {}).get(n, row(n)) for n in range(1, count + 1)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for values in rows:
        workbook.active.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def customers_xlsx(count: int) -> bytes:
    return xlsx([HEADER.split(",")] + [row(n).split(",") for n in range(1, count + 1)])


def rewrite_sheet(data: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML changed by `change(xml) -> xml`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, content)
    return out.getvalue()


def messages(result) -> str:
    return " ".join(error.message for error in result.errors)


# --- size ------------------------------------------------------------------------------------------------------------

def test_a_file_above_the_size_limit_is_refused_before_it_is_read(office, settings, tmp_path):
    data = customers_csv(50)
    settings.IMPORT_MAX_BYTES = len(data) - 1
    path = tmp_path / "customers.csv"
    path.write_bytes(data)
    upload = SimpleUploadedFile("customers.csv", data)
    for source in (data, path, upload, io.BytesIO(data)):
        result = run_import("customers", source, filename="customers.csv")
        assert not result.ok and [e.line for e in result.errors] == [1]
        assert "at most" in messages(result) and "Split it" in messages(result)
    assert Customer.objects.count() == 0
    settings.IMPORT_MAX_BYTES = len(data)
    assert run_import("customers", data, filename="customers.csv").created == 50


def test_the_import_command_and_the_calls_import_obey_the_size_limit(office, settings, tmp_path):
    data = customers_csv(5)
    settings.IMPORT_MAX_BYTES = 100
    path = tmp_path / "customers.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError):
        call_command("import_customers", str(path))
    result = import_calls(b"external_id,rang_at,ring_seconds,caller_phone\n" + b"x" * 200, filename="calls.csv")
    assert not result.ok and "at most" in messages(result)
    assert Customer.objects.count() == 0


# --- rows ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("make", [customers_csv, customers_xlsx], ids=["csv", "xlsx"])
def test_more_rows_than_the_limit_are_refused_and_nothing_is_written(office, settings, make):
    settings.IMPORT_MAX_ROWS = 20
    result = run_import("customers", make(21), filename="c.csv" if make is customers_csv else "c.xlsx")
    assert not result.ok and "more than 20 rows" in messages(result)
    assert Customer.objects.count() == 0
    result = run_import("customers", make(20), filename="c.csv" if make is customers_csv else "c.xlsx")
    assert result.ok and result.created == 20


def test_blank_lines_do_not_count_as_rows(office, settings):
    settings.IMPORT_MAX_ROWS = 3
    data = (HEADER + "\n\n" + row(1) + "\n,,,,,,\n" + row(2) + "\n\n\n" + row(3) + "\n").encode()
    assert run_import("customers", data, filename="c.csv").created == 3


def test_reading_stops_at_the_limit_instead_of_reading_the_whole_file(office, settings):
    settings.IMPORT_MAX_ROWS = 100
    data = xlsx([HEADER.split(",")] + [row(n % 90_000 + 1).split(",") for n in range(60_000)])
    started = time.monotonic()
    result = run_import("customers", data, filename="big.xlsx")
    assert "more than 100 rows" in messages(result)
    assert time.monotonic() - started < 5  # reading 60 000 rows takes far longer


# --- hostile workbooks -----------------------------------------------------------------------------------------------

def test_a_huge_declared_dimension_and_a_far_away_cell_do_not_hang(office):
    """Only the first MAX_COLUMNS columns are read (the widest import has 18), and the missing rows before a far
    row cost next to nothing: the far row is reported on its own line."""

    def lie(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
        far = ('<row r="1048575"><c r="XFD1048575" t="inlineStr"><is><t>ignored</t></is></c></row>'
               '<row r="1048576"><c r="H1048576" t="inlineStr"><is><t>x</t></is></c></row>')
        return xml.replace("</sheetData>", far + "</sheetData>")

    data = rewrite_sheet(customers_xlsx(2), lie)
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    started = time.monotonic()
    result = run_import("customers", data, filename="bomb.xlsx")
    assert time.monotonic() - started < 10
    assert {error.line for error in result.errors} == {1048576}
    assert "more values than the header" in messages(result)
    assert Customer.objects.count() == 0


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_unopened(office, settings):
    padding = "<!--" + " " * 300_000 + "-->"
    data = rewrite_sheet(customers_xlsx(2), lambda xml: xml.replace("<sheetData>", padding + "<sheetData>"))
    assert len(data) < 20_000  # tiny on disk …
    settings.IMPORT_MAX_UNPACKED_BYTES = 200_000  # … but it unpacks to more than this
    result = run_import("customers", data, filename="bomb.xlsx")
    assert not result.ok and "unpacks to" in messages(result)


def test_a_broken_zip_is_a_clear_error(office):
    result = run_import("customers", b"PK\x03\x04 not really a zip", filename="x.xlsx")
    assert not result.ok and "Excel" in messages(result)


# --- background jobs -------------------------------------------------------------------------------------------------

@pytest.fixture
def admin_manager(manager):
    manager.is_staff = True
    manager.save()
    return manager


def upload(client, data: bytes, *, name: str = "customers.csv", kind: str = "customers"):
    return client.post(reverse("admin:customers_import"),
                       {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_an_admin_upload_runs_in_the_background_and_shows_its_outcome(
    client, admin_manager, office, django_capture_on_commit_callbacks
):
    client.force_login(admin_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, customers_csv(30))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("admin:customers_import_job", args=[job.pk])
    assert job.state == "done" and (job.created, job.rows_done, job.rows_total) == (30, 30, 30)
    assert job.created_by == admin_manager and job.filename == "customers.csv"
    assert not job.file  # the uploaded file (personal data) is gone once imported
    assert Customer.objects.count() == 30
    page = client.get(response.url)
    assert page.status_code == 200 and 'data-state="done"' in page.content.decode()
    assert client.post(response.url).status_code == 405
    assert 'http-equiv="refresh"' not in page.content.decode()
    listing = client.get(reverse("admin:customers_import"))
    assert "customers.csv" in listing.content.decode()


def test_a_background_job_reports_every_bad_row_and_saves_nothing(
    client, admin_manager, office, django_capture_on_commit_callbacks
):
    client.force_login(admin_manager)
    bad = {3: row(3).replace("residential", "martian"), 7: row(7).replace(",home", ",nowhere")}
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, customers_csv(10, bad=bad))
    job = ImportJob.objects.get()
    assert job.state == "failed" and job.error_count == 2
    assert [line for line, _ in job.errors] == [4, 8]
    assert Customer.objects.count() == 0
    page = client.get(response.url).content.decode()
    assert "martian" in page and 'id="import-errors"' in page


def test_a_queued_job_page_refreshes_itself_until_a_worker_runs_it(client, admin_manager, office):
    client.force_login(admin_manager)
    response = upload(client, customers_csv(3))  # no commit callbacks: no worker ran
    job = ImportJob.objects.get()
    assert job.state == "queued" and job.file
    page = client.get(response.url).content.decode()
    assert 'data-state="queued"' in page and 'http-equiv="refresh"' in page
    assert import_job_run(pk=job.pk).state == "done"
    assert import_job_run(pk=job.pk) is None  # a task delivered twice runs once
    assert Customer.objects.count() == 3


def test_an_oversize_upload_is_refused_on_the_form_and_no_job_is_made(client, admin_manager, office, settings):
    client.force_login(admin_manager)
    settings.IMPORT_MAX_BYTES = 50
    response = upload(client, customers_csv(3))
    assert response.status_code == 200 and "at most" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_service_refuses_what_the_form_would_and_needs_the_permission(admin_manager, clerk, office, settings):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        import_job_create(kind="customers", upload=SimpleUploadedFile("c.csv", b"x"), by=clerk)
    with pytest.raises(ValidationError):
        import_job_create(kind="martians", upload=SimpleUploadedFile("c.csv", b"x"), by=admin_manager)
    with pytest.raises(ValidationError):
        import_job_create(kind="customers", upload=SimpleUploadedFile("c.exe", b"x"), by=admin_manager)
    settings.IMPORT_MAX_BYTES = 1
    with pytest.raises(ValidationError):
        import_job_create(kind="customers", upload=SimpleUploadedFile("c.csv", b"xx"), by=admin_manager)
    assert ImportJob.objects.count() == 0


def test_a_job_whose_file_is_gone_fails_with_a_message(admin_manager, office):
    job = import_job_create(kind="customers", upload=SimpleUploadedFile("c.csv", customers_csv(2)), by=admin_manager)
    job.file.storage.delete(job.file.name)
    job = import_job_run(pk=job.pk)
    assert job.state == "failed" and "nothing was saved" in job.errors[0][1]


def test_another_persons_job_is_not_shown(client, admin_manager, office):
    from tests.factories.core import UserFactory

    job = import_job_create(kind="customers", upload=SimpleUploadedFile("c.csv", customers_csv(2)), by=admin_manager)
    other = UserFactory(username="manager2", office=office, roles=["manager"], is_staff=True)
    client.force_login(other)
    assert client.get(reverse("admin:customers_import_job", args=[job.pk])).status_code == 404
