"""The requirement map (docs/REQUIREMENTS.md) is generated from code, seeded commitments and tests; it must be fresh,
and the in-repo ID list must match the standard."""

import difflib
import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from supply_service.core import requirements
from supply_service.core.requirements import (
    NOT_BUILT,
    UNTESTED,
    ids_in_test_name,
    ids_in_text,
    register_requirement_source,
    requirement_rows,
    requirements_map_render,
    scan_tests,
)
from supply_service.core.standard import IDS, TITLES, requirement_sort_key

BASE_DIR = Path(settings.BASE_DIR)
MAP = BASE_DIR / "docs" / "REQUIREMENTS.md"
STANDARD = BASE_DIR.parent / "shared" / "standard" / "STANDARD.md"


def test_the_requirement_map_is_fresh(tmp_path):
    generated = tmp_path / "REQUIREMENTS.md"
    call_command("requirements_map", output=str(generated), stdout=StringIO())
    current = MAP.read_text(encoding="utf-8") if MAP.exists() else ""
    wanted = generated.read_text(encoding="utf-8")
    if current != wanted:
        diff = "".join(list(difflib.unified_diff(current.splitlines(True), wanted.splitlines(True),
                                                 "docs/REQUIREMENTS.md", "generated"))[:40])
        pytest.fail("docs/REQUIREMENTS.md is stale: run `make requirements` "
                    f"(manage.py requirements_map) and commit it.\n{diff}")


def _standard_ids(text: str) -> tuple[set[str], set[str]]:
    """IDs the standard defines (at the start of a bullet or of a sentence in one) and every ID it names."""
    defined, named = set(), set()
    for line in text.splitlines():
        if not re.match(r"\s*- ", line) and not line.startswith("  "):
            continue
        defined.update(re.findall(r"(?:^\s*-\s+|\.\s+)(S\d+(?:\.\d+)*)\s", line))
        named.update(re.findall(r"(?<![\w.])(S\d+(?:\.\d+)*)(?![\w])", line))
    return defined, named


@pytest.mark.skipif(not STANDARD.exists() and not os.environ.get("CI"),
                    reason="../shared/standard/STANDARD.md is not beside the clone (in CI it must be: the test runs)")
def test_the_in_repo_id_list_is_the_standards():
    defined, named = _standard_ids(STANDARD.read_text(encoding="utf-8"))
    assert named <= defined, f"the standard names IDs it does not define: {sorted(named - defined)}"
    assert set(IDS) == defined, (f"missing in supply_service/core/standard.py: {sorted(defined - set(IDS))}; "
                                 f"not in the standard: {sorted(set(IDS) - defined)}")
    assert len(IDS) == len(set(IDS)) and sorted(IDS, key=requirement_sort_key) == IDS


def test_req_markers_name_ids_of_the_standard():
    assert scan_tests(base_dir=BASE_DIR).unknown == {}


def test_ids_in_text_reads_whole_ids_and_ranges():
    assert ids_in_text("S10.2.10 and (S10.2.1).") == {"S10.2.10", "S10.2.1"}
    assert ids_in_text("# noqa: S603, S10.2, AS3, S3x") == set()
    assert ids_in_text("the customer found by account number (S9.1–S9.3)") == {"S9.1", "S9.2", "S9.3"}
    assert ids_in_text("S10.2.9-S13.5") == {"S10.2.9", "S13.5"}  # not one article: no range


def test_ids_in_test_names():
    assert ids_in_test_name("test_a_repair_call_through_every_home_S10_3_3_S13_4") == {"S10.3.3", "S13.4"}
    assert ids_in_test_name("test_arrival_S10_2_5_45_minutes") == {"S10.2.5"}
    assert ids_in_test_name("test_S3") == {"S3"} and ids_in_test_name("test_SLA_S99_1") == set()


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "supply_service" / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "supply_service" / "app" / "services.py").write_text('"""Repair arrival (S10.2.5)."""\n')
    (tmp_path / "supply_service" / "app" / "migrations" / "0001_initial.py").write_text("# S9.4\n")
    (tmp_path / "templates" / "app").mkdir(parents=True)
    (tmp_path / "templates" / "app" / "page.html").write_text("{# S8.5 #}\n")
    (tmp_path / "tests" / "app").mkdir(parents=True)
    (tmp_path / "tests" / "app" / "test_it.py").write_text(
        "import pytest\n"
        "from pytest import mark\n"
        "pytestmark = [pytest.mark.django_db, pytest.mark.req('S13.1')]\n"
        "def test_arrival_S10_2_5(): pass\n"
        "@pytest.mark.req('S8.5', 'S99.9')\n"
        "def test_page(): pass\n"
        "@mark.req('S13.3')\n"
        "class TestGroup:\n"
        "    def test_one(self): pass\n"
        "def helper_S9_4(): pass\n"
    )
    return tmp_path


def _no_app_sources(monkeypatch) -> None:
    """The tiny tree's map without the sources the installed apps registered (audits: audited, measured)."""
    for column in requirements.COLUMNS:
        monkeypatch.setitem(requirements._SOURCES, column, [])


def test_the_columns_come_from_code_seed_tests_and_registered_sources(tmp_path, monkeypatch):
    base = _tree(tmp_path)
    _no_app_sources(monkeypatch)
    register_requirement_source("audited", lambda: {"S8.2": ["checklist: drinking water"]})
    rows = {row.id: row for row in requirement_rows(base_dir=base)}
    assert rows["S10.2.5"].enforced == ("app.services",)
    assert rows["S10.2.5"].measured == ("repair_arrival", "repair_arrival_remote", "repair_arrival_rural")
    assert rows["S10.2.5"].tests == ("tests/app/test_it.py::test_arrival_S10_2_5",)
    assert rows["S8.5"].enforced == ("templates/app/page.html",)
    assert rows["S8.5"].tests == ("tests/app/test_it.py::test_page",)
    assert "kiosk_idle_seconds (policy)" in rows["S8.5"].measured
    assert rows["S13.1"].tests == ("tests/app/test_it.py::TestGroup::test_one", "tests/app/test_it.py::test_arrival_S10_2_5",
                                   "tests/app/test_it.py::test_page")
    assert rows["S13.3"].tests == ("tests/app/test_it.py::TestGroup::test_one",)
    assert rows["S8.2"].audited == ("checklist: drinking water",) and rows["S8.2"].status == UNTESTED
    assert rows["S9.4"].status == NOT_BUILT  # a migration and a helper's name are not coverage
    assert scan_tests(base_dir=base).unknown == {"tests/app/test_it.py::test_page": {"S99.9"}}


def test_a_source_for_an_unknown_column_is_refused():
    with pytest.raises(ValueError, match="Unknown requirement-map column"):
        register_requirement_source("proved", dict)


def test_the_map_is_deterministic_and_lists_every_id(tmp_path, monkeypatch):
    base = _tree(tmp_path)
    _no_app_sources(monkeypatch)
    text = requirements_map_render(base_dir=base)
    assert text == requirements_map_render(base_dir=base)
    assert [line.split(" | ")[0][2:] for line in text.splitlines() if line.startswith("| S")] == IDS
    assert f"| S3 | {TITLES['S3']} | not built | — | — | — | — |" in text


def test_check_fails_on_a_stale_file(tmp_path, settings):
    settings.BASE_DIR = _tree(tmp_path)
    stale = tmp_path / "docs" / "REQUIREMENTS.md"
    with pytest.raises(CommandError, match="stale: run `make requirements`"):
        call_command("requirements_map", check=True)
    call_command("requirements_map", stdout=StringIO())
    assert "| S10.2.5 |" in stale.read_text(encoding="utf-8")
    call_command("requirements_map", check=True, stdout=StringIO())
