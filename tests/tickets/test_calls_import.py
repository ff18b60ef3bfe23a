"""Importing 95598 call records from the telephone system: all or nothing, line numbers, idempotent, few look-ups."""

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook

from supply_service.core.models import SlaClock
from supply_service.tickets.imports_calls import import_calls
from supply_service.tickets.models import CallRecord
from tests.factories.core import PASSWORD, UserFactory
from tests.factories.customers import CustomerFactory

SH = ZoneInfo("Asia/Shanghai")
SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "calls.csv"
HEADER = "external_id,rang_at,ring_seconds,caller_phone,agent_username,account_number"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 11, 28, 9, 0, tzinfo=SH), tick=False):
        yield


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def run(data: bytes, filename="calls.csv", **kw):
    return import_calls(data, filename=filename, **kw)


@pytest.fixture
def sample_customers(office):
    return [CustomerFactory(account_number=n, office=office) for n in
            ("3190000001", "3190000004", "3190000012", "3190000020")]


def test_the_sample_file_imports_and_settles_every_answering_clock_S10_2_6(agent, sample_customers):
    result = run(SAMPLE.read_bytes())
    assert result.ok, result.errors
    assert (result.created, result.unchanged) == (8, 0)
    calls = {c.external_id: c for c in CallRecord.objects.select_related("customer", "agent")}
    first = calls["CTI-20261127-000101"]
    assert first.rang_at == datetime(2026, 11, 27, 8, 31, 5, tzinfo=SH) and first.ring_seconds == 4
    assert first.agent == agent and first.office == agent.office and first.customer.account_number == "3190000001"
    assert first.number.startswith("DH-20261127-")
    assert calls["CTI-20261127-000104"].caller_phone == "" and calls["CTI-20261127-000104"].customer is None
    states = dict(SlaClock.objects.filter(commitment__code="call_answer").values_list("subject_label", "state"))
    assert states[calls["CTI-20261127-000105"].number] == "met"  # 12 s is within the limit
    assert states[calls["CTI-20261127-000103"].number] == "breached"
    assert sorted(states.values()).count("breached") == 2 and len(states) == 8


def test_importing_again_changes_nothing(agent, sample_customers):
    assert run(SAMPLE.read_bytes()).ok
    history = CallRecord.history.count()
    clocks = SlaClock.objects.count()
    again = run(SAMPLE.read_bytes())
    assert again.ok and (again.created, again.unchanged) == (0, 8)
    assert CallRecord.objects.count() == 8 and CallRecord.history.count() == history
    assert SlaClock.objects.count() == clocks


def test_one_bad_line_saves_nothing_and_every_bad_line_is_reported(agent, crew, office):
    CustomerFactory(account_number="3100000001", office=office)
    with translation.override("en"):
        result = run(csv(
        HEADER,
        "A1,2026-11-27 08:00:00,5,13800000001,agent,3100000001",   # 2: good
        "A2,27/11/2026 08:00,5,13800000001,agent,",                # 3: date
        "A3,2026-11-27 08:00:00,-4,13800000001,agent,",            # 4: ring time
        "A4,2026-11-27 08:00:00,5,13800000001,nobody-here,",       # 5: agent unknown
        "A5,2026-11-27 08:00:00,5,13800000001,agent,3100000999",   # 6: customer unknown
        "A1,2026-11-27 08:00:00,5,13800000001,agent,",             # 7: external_id twice
        "A7,2026-11-29 08:00:00,5,13800000001,agent,",             # 8: in the future
        "A8,2026-11-27 08:00:00,5,13800000001,crew,",              # 9: not an agent
        "A9,2026-11-27 08:00:00,5,phone,agent,12",                 # 10: phone and account number
        ",2026-11-27 08:00:00,,13800000001,agent,",                # 11: empty id and ring time
        ))
    assert not result.ok
    assert sorted({e.line for e in result.errors}) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert [e.line for e in result.errors].count(10) == 2 and [e.line for e in result.errors].count(11) == 2
    messages = {e.line: e.message for e in result.errors}
    assert "rang_at" in messages[3] and "ring_seconds" in messages[4] and "nobody-here" in messages[5]
    assert "3100000999" in messages[6] and "line 2" in messages[7] and "crew" in messages[9]
    assert not CallRecord.objects.exists() and not SlaClock.objects.exists()


@pytest.mark.parametrize("header, fragment", [
    ("external_id,rang_at,caller_phone", "ring_seconds"),
    (HEADER + ",extra", "extra"),
    ("external_id,rang_at,ring_seconds,ring_seconds,caller_phone", "ring_seconds"),
])
def test_a_wrong_header_is_reported_on_line_1(agent, header, fragment):
    result = run(csv(header, "A1,2026-11-27 08:00:00,5,13800000001"))
    assert [e.line for e in result.errors] == [1] and fragment in result.errors[0].message


@pytest.mark.parametrize("data, filename", [(b"", "calls.csv"), (b"\xff\xfe\x00bad", "calls.csv"),
                                            (b"x", "calls.txt"), (b"not a workbook", "calls.xlsx"),
                                            (csv(HEADER), "calls.csv")])
def test_an_unreadable_file_is_one_error_not_an_exception(agent, data, filename):
    result = run(data, filename=filename)
    assert not result.ok and result.errors[0].line == 1
    assert not CallRecord.objects.exists()


def test_optional_columns_may_be_left_out_then_the_importing_user_took_the_call(agent):
    result = run(csv("external_id,rang_at,ring_seconds,caller_phone", "B1,2026-11-27 08:00:00,5,"), user=agent)
    assert result.ok and CallRecord.objects.get().agent == agent


def test_an_empty_agent_needs_an_importing_user(agent):
    result = run(csv(HEADER, "B1,2026-11-27 08:00:00,5,,,"))
    assert [e.line for e in result.errors] == [2] and "--user" in result.errors[0].message


def test_xlsx_works_too(agent):
    workbook = Workbook()
    workbook.active.append(HEADER.split(","))
    workbook.active.append(["X1", datetime(2026, 11, 27, 8, 0, 5), 7, "13800000001", "agent", None])
    out = io.BytesIO()
    workbook.save(out)
    result = run(out.getvalue(), filename="calls.xlsx")
    assert result.ok, result.errors
    assert CallRecord.objects.get().rang_at == datetime(2026, 11, 27, 8, 0, 5, tzinfo=SH)


def test_agents_and_customers_are_looked_up_in_a_few_queries(agent, office):
    agents = [agent] + [UserFactory(username=f"agent{n}", office=office, roles=["agent_95598"]) for n in range(4)]
    CustomerFactory.create_batch(3, office=office)
    lines = [HEADER] + [
        f"C{n},2026-11-27 08:{n % 60:02d}:00,{n % 20},1380000{n:04d},{agents[n % 5].username},"
        for n in range(600)
    ]
    with CaptureQueriesContext(connection) as queries:
        result = run(csv(*lines), dry_run=True)
    assert result.ok and result.created == 600
    assert len(queries) <= 20, [q["sql"] for q in queries]
    assert not CallRecord.objects.exists()


def test_the_command_imports_and_reports(agent, sample_customers, capsys):
    call_command("import_calls", str(SAMPLE))
    assert CallRecord.objects.count() == 8
    call_command("import_calls", str(SAMPLE))
    assert "unchanged 8" in capsys.readouterr().out


def test_the_command_fails_with_every_bad_line_and_saves_nothing(agent, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv(HEADER, "A1,2026-11-27 08:00:00,5,,agent,", "A2,x,5,,agent,", "A3,2026-11-27 08:00:00,5,,,"))
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_calls", str(bad))
    err = capsys.readouterr().err
    assert "line 3:" in err and "line 4:" in err
    assert not CallRecord.objects.exists()
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_calls", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="no user"):
        call_command("import_calls", str(bad), user="ghost")


def test_the_command_with_user_takes_calls_without_an_agent(agent, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_bytes(csv(HEADER, "A1,2026-11-27 08:00:00,5,,,"))
    call_command("import_calls", str(path), user="agent")
    assert CallRecord.objects.get().agent == agent


def test_the_command_dry_run_saves_nothing(agent, sample_customers, capsys):
    call_command("import_calls", str(SAMPLE), dry_run=True)
    assert "dry run" in capsys.readouterr().out and not CallRecord.objects.exists()


# --- the upload page ----------------------------------------------------------------------------------------------


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_upload_page_imports_and_returns_to_the_calls(client, agent, sample_customers):
    assert client.login(username="agent", password=PASSWORD)
    assert client.get("/desk/calls/import/").status_code == 200
    response = client.post("/desk/calls/import/", {"file": upload("calls.csv", SAMPLE.read_bytes())})
    assert response.status_code == 302 and response["Location"] == "/desk/calls/"
    assert CallRecord.objects.count() == 8
    assert "CTI-20261127-000101" in client.get("/desk/calls/").content.decode()


def test_upload_page_lists_every_bad_line_and_saves_nothing(client, agent):
    assert client.login(username="agent", password=PASSWORD)
    response = client.post("/desk/calls/import/", {"file": upload("calls.csv", csv(
        HEADER, "A1,2026-11-27 08:00:00,5,,,", "A2,bad,5,,agent,", "A3,2026-11-27 08:00:00,x,,agent,"))})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-line="3"' in html and 'data-line="4"' in html
    assert 'data-line="2"' not in html  # no agent_username: the uploader took the call
    assert not CallRecord.objects.exists()


@pytest.mark.parametrize("files", [{}, {"file": upload("calls.pdf", b"%PDF")}, {"file": upload("calls.csv", b"")}])
def test_upload_page_without_a_usable_file_is_a_form_error(client, agent, files):
    assert client.login(username="agent", password=PASSWORD)
    response = client.post("/desk/calls/import/", files)
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
