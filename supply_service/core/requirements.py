"""The requirement map: for every ID of the standard, where the product enforces, measures, audits and tests it.

Generated, never written by hand: `make requirements` (`manage.py requirements_map`) writes docs/REQUIREMENTS.md
from the code, not from the database, so the file is the same on every machine:

- **enforced**: modules of `supply_service` and templates that name the ID (code, docstrings, comments, help
  texts; "S9.1–S9.3" names S9.2 too). Migrations, this module, the ID list and `core/seed.py` (whose articles are
  the measured column) are left out.
- **measured**: the commitments and policies seeded by `core/seed.py` whose `article` is the ID.
- **audited**: nothing of its own; a higher app (the audit checklist) adds its items through the registry below.
- **tests**: test node ids that carry `@pytest.mark.req("S…")` (on the function, its class, or the module's
  `pytestmark`) or name the ID in the function name (`test_…_S10_2_5`). Read with `ast`; pytest is not run.

Apps add entries to any column without the kernel importing them, in their `AppConfig.ready`:

    register_requirement_source("audited", checklist_requirements)   # () -> {"S8.2": ["checklist: water"], …}

A source returns a mapping of ID → labels, built from code (never from the database), so the map stays stable.
"""

import ast
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from supply_service.core import seed
from supply_service.core.standard import IDS, TITLES

COLUMNS = ("enforced", "measured", "audited", "tests")
NOT_BUILT = "not built"
UNTESTED = "untested"
BUILT = "built"

RequirementSource = Callable[[], Mapping[str, Iterable[str]]]
_SOURCES: dict[str, list[RequirementSource]] = {column: [] for column in COLUMNS}

_ID = r"S\d+(?:\.\d+)*"
_MENTION = re.compile(rf"(?<![\w.])({_ID})(?:\s*[–-]\s*({_ID}))?(?![\w])")
_NAME_ID = re.compile(r"(?:^|_)(S\d+(?:_\d+)*)(?=_|$)")
_SKIPPED_MODULES = {"core/standard.py", "core/requirements.py", "core/seed.py",
                    "core/management/commands/requirements_map.py"}
_TEMPLATE_SUFFIXES = {".html", ".txt", ".xml", ".js"}


def register_requirement_source(column: str, source: RequirementSource) -> None:
    """Add `source` to `column` (one of COLUMNS); registering the same function twice keeps one."""
    if column not in _SOURCES:
        raise ValueError(f"Unknown requirement-map column {column!r}; one of {', '.join(COLUMNS)}")
    key = (getattr(source, "__module__", None), getattr(source, "__qualname__", None) or id(source))
    registered = _SOURCES[column]
    registered[:] = [s for s in registered
                     if (getattr(s, "__module__", None), getattr(s, "__qualname__", None) or id(s)) != key]
    registered.append(source)


def requirement_sources(column: str) -> list[RequirementSource]:
    return list(_SOURCES.get(column, []))


# --- reading IDs ---------------------------------------------------------------------------------------------


def ids_in_text(text: str) -> set[str]:
    """The known IDs a text names; a range "S9.1–S9.3" names every ID of the standard between its ends."""
    found: set[str] = set()
    for match in _MENTION.finditer(text):
        first, last = match.group(1), match.group(2)
        if last and first in IDS and last in IDS and first.rsplit(".", 1)[0] == last.rsplit(".", 1)[0]:
            start, end = sorted((IDS.index(first), IDS.index(last)))
            found.update(IDS[start:end + 1])
            continue
        found.update(i for i in (first, last) if i in TITLES)
    return found


def ids_in_test_name(name: str) -> set[str]:
    """IDs a test's name carries (`…_S10_2_5`, `…_S10_3_3_S13_4`); a trailing number (`_S10_2_5_45`) is not read
    as part of the ID when the longer reading is not an ID."""
    found: set[str] = set()
    for match in _NAME_ID.finditer(name):
        parts = match.group(1).split("_")
        while parts:
            candidate = ".".join(parts)
            if candidate in TITLES:
                found.add(candidate)
                break
            parts.pop()
    return found


# --- the columns ---------------------------------------------------------------------------------------------


def enforced_by(*, base_dir: Path) -> dict[str, set[str]]:
    """ID → modules (`tickets.services`) and templates (`templates/…`) that name it."""
    package = base_dir / "supply_service"
    found: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if "migrations" in path.parts or relative in _SKIPPED_MODULES:
            continue
        module = relative.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        for requirement_id in ids_in_text(path.read_text(encoding="utf-8")):
            found.setdefault(requirement_id, set()).add(module)
    for path in _template_files(base_dir):
        label = path.relative_to(base_dir).as_posix()
        for requirement_id in ids_in_text(path.read_text(encoding="utf-8")):
            found.setdefault(requirement_id, set()).add(label)
    return found


def _template_files(base_dir: Path) -> list[Path]:
    roots = [base_dir / "templates", *sorted((base_dir / "supply_service").glob("*/templates"))]
    return sorted(p for root in roots if root.is_dir() for p in root.rglob("*")
                  if p.is_file() and p.suffix in _TEMPLATE_SUFFIXES)


def measured_by() -> dict[str, set[str]]:
    """ID → commitment codes and policies (`code (policy)`) of the seed whose article is the ID."""
    found: dict[str, set[str]] = {}
    for code, _title, _limit, _unit, article, *_rest in [*seed.COMMITMENTS, *seed.COMMITMENT_VARIANTS]:
        found.setdefault(article, set()).add(code)
    for code, _title, _value, article in seed.POLICIES:
        if article:
            found.setdefault(article, set()).add(f"{code} (policy)")
    return found


@dataclass
class ScannedTests:
    by_id: dict[str, set[str]]
    unknown: dict[str, set[str]]  # node id → IDs in its req markers that the standard does not have


def scan_tests(*, base_dir: Path) -> ScannedTests:
    """ID → test node ids that name the ID or carry its `req` marker (tests/**/test_*.py, read with ast)."""
    scan = ScannedTests(by_id={}, unknown={})
    for path in sorted((base_dir / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        prefix = path.relative_to(base_dir).as_posix()
        _scan_body(tree.body, prefix, _marker_ids(_pytestmark(tree.body)), scan)
    return scan


def _scan_body(body: list[ast.stmt], prefix: str, inherited: set[str], scan: ScannedTests) -> None:
    for node in body:
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            marked = inherited | _marker_ids(node.decorator_list) | _marker_ids(_pytestmark(node.body))
            _scan_body(node.body, f"{prefix}::{node.name}", marked, scan)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            node_id = f"{prefix}::{node.name}"
            marked = inherited | _marker_ids(node.decorator_list)
            unknown = {i for i in marked if i not in TITLES}
            if unknown:
                scan.unknown[node_id] = unknown
            for requirement_id in (marked - unknown) | ids_in_test_name(node.name):
                scan.by_id.setdefault(requirement_id, set()).add(node_id)


def _pytestmark(body: list[ast.stmt]) -> list[ast.expr]:
    """The expressions assigned to `pytestmark` (one mark or a list of them)."""
    marks: list[ast.expr] = []
    for node in body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets):
            value = node.value
            marks.extend(value.elts if isinstance(value, ast.List | ast.Tuple) else [value])
    return marks


def _marker_ids(expressions: Iterable[ast.expr]) -> set[str]:
    """String arguments of every `pytest.mark.req(...)` / `mark.req(...)` among `expressions`."""
    found: set[str] = set()
    for expression in expressions:
        if (isinstance(expression, ast.Call) and isinstance(expression.func, ast.Attribute)
                and expression.func.attr == "req" and isinstance(expression.func.value, ast.Attribute | ast.Name)
                and getattr(expression.func.value, "attr", getattr(expression.func.value, "id", None)) == "mark"):
            found.update(arg.value for arg in expression.args
                         if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return found


# --- the map -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementRow:
    id: str
    title: str
    enforced: tuple[str, ...]
    measured: tuple[str, ...]
    audited: tuple[str, ...]
    tests: tuple[str, ...]

    @property
    def status(self) -> str:
        if not (self.enforced or self.measured or self.audited or self.tests):
            return NOT_BUILT
        return BUILT if self.tests else UNTESTED


def requirement_rows(*, base_dir: Path) -> list[RequirementRow]:
    """One row per ID of the standard, in the standard's order; every cell sorted."""
    columns = {"enforced": enforced_by(base_dir=base_dir), "measured": measured_by(), "audited": {},
               "tests": scan_tests(base_dir=base_dir).by_id}
    for column in COLUMNS:
        for source in requirement_sources(column):
            for requirement_id, labels in source().items():
                columns[column].setdefault(requirement_id, set()).update(str(label) for label in labels)
    return [RequirementRow(id=i, title=TITLES[i], **{c: tuple(sorted(columns[c].get(i, ()))) for c in COLUMNS})
            for i in IDS]


def requirements_map_render(*, base_dir: Path) -> str:
    """The text of docs/REQUIREMENTS.md (deterministic: no timestamps, sorted cells)."""
    rows = requirement_rows(base_dir=base_dir)
    count = {status: sum(row.status == status for row in rows) for status in (NOT_BUILT, UNTESTED, BUILT)}
    lines = [
        "# Requirement map",
        "",
        "Generated by `make requirements` (`manage.py requirements_map`) — do not edit by hand;",
        "`tests/core/test_requirements_map.py` fails when this file is stale.",
        "",
        "For every requirement of the standard (`../shared/standard/STANDARD.md`; its IDs are copied in",
        "`supply_service/core/standard.py`):",
        "",
        "- **Enforced**: modules of `supply_service` and templates that name the ID.",
        "- **Measured**: commitments and policies (`supply_service/core/seed.py`) whose article is the ID.",
        "- **Audited**: audit checklist items (registered by apps through `core.requirements`).",
        "- **Tests**: tests marked `@pytest.mark.req(\"…\")` or naming the ID (`test_…_S10_2_5`).",
        "- **Status**: *not built* when nothing covers the ID; *untested* when no test names it.",
        "",
        f"{len(rows)} requirements: {count[BUILT]} built and tested, {count[UNTESTED]} untested, "
        f"{count[NOT_BUILT]} not built.",
        "",
        "| ID | Requirement | Status | Enforced | Measured | Audited | Tests |",
        "|---|---|---|---|---|---|---|",
    ]
    lines.extend(_render_row(row) for row in rows)
    return "\n".join(lines) + "\n"


def _render_row(row: RequirementRow) -> str:
    def cell(values: tuple[str, ...]) -> str:
        return "<br>".join(f"`{v}`" for v in values).replace("|", "\\|") if values else "—"

    title = row.title.replace("|", "\\|")
    return (f"| {row.id} | {title} | {row.status} | {cell(row.enforced)} | {cell(row.measured)} | "
            f"{cell(row.audited)} | {cell(row.tests)} |")
