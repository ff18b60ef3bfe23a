"""The shape every import shares: check the header, parse every row, look up the whole file in a few queries,
report every error or write everything in one transaction.

A kind of import (customers, bills …) is an `Importer` subclass that declares its columns, its natural key and
two steps: `resolve` (bulk look-ups, cross-row checks, and the decision per row: create, update or unchanged) and
`write` (bulk writes with history).
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from supply_service.customers.imports.cells import CellError, as_text, has_control_character, is_blank, shown
from supply_service.customers.imports.files import Table

BATCH_SIZE = 1000
IN_CHUNK = 900  # SQLite's default limit is 999 variables per query
PROGRESS_EVERY = 250

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RowError:
    """One problem: `line` as a person sees the file (header = 1, first data row = 2). Problems with the file as a
    whole (unreadable, empty, wrong columns) are on line 1. `message` is translated and has no line number."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    related: dict[str, int] = field(default_factory=dict)
    """Other rows written along the way, e.g. {"feeders_created": 2, "clocks_started": 10}."""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[Any, str], Any]
    required: bool = True
    """The column must be in the header."""
    blank: bool = False
    """An empty cell is allowed; it stands for `default`."""
    default: Any = None


class Row:
    """One data row: its line, the parsed values of its good cells, its errors and what the import does with it."""

    CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

    def __init__(self, line: int):
        self.line = line
        self.values: dict[str, Any] = {}
        self.errors: list[str] = []
        self.action: str | None = None

    def error(self, message: str) -> None:
        self.errors.append(message)

    def has(self, *names: str) -> bool:
        return all(name in self.values for name in names)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


def chunked(values: Iterable, size: int = IN_CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def fetch_in(queryset: models.QuerySet, field_name: str, values: Iterable) -> list:
    """`queryset.filter(<field>__in=values)` in chunks small enough for SQLite."""
    found: list = []
    for chunk in chunked(sorted(set(values), key=str)):
        found.extend(queryset.filter(**{f"{field_name}__in": chunk}))
    return found


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


class Importer(ABC):
    kind: str = ""
    columns: tuple[Column, ...] = ()

    def __init__(self, *, user=None, progress: Progress | None = None):
        self.user = user
        self.progress = progress or _no_progress
        self.header: list[str] = []
        self.related: dict[str, int] = {}
        self.file_errors: list[RowError] = []

    # --- to be declared by each kind ----------------------------------------------------------------------------

    @abstractmethod
    def key(self, row: Row) -> tuple | None:
        """The natural key of a row, or None when a part of it did not parse."""
        ...

    @abstractmethod
    def duplicate_message(self, row: Row, first_line: int) -> str:
        ...

    @abstractmethod
    def resolve(self, rows: list[Row]) -> None:
        """Bulk look-ups and checks; set `row.action` on every row without errors."""
        ...

    @abstractmethod
    def write(self, rows: list[Row]) -> None:
        ...

    # --- shared ---------------------------------------------------------------------------------------------------

    @property
    def change_reason(self) -> str:
        return f"customers.import_{self.kind}"

    def in_header(self, name: str) -> bool:
        return name in self.header

    def create_with_history(self, objs: list, model: type[models.Model]) -> list:
        if not objs:
            return []
        return bulk_create_with_history(
            objs, model, batch_size=BATCH_SIZE, default_user=self.user, default_change_reason=self.change_reason
        )

    def update_with_history(self, objs: list, model: type[models.Model], fields: Iterable[str]) -> None:
        fields = sorted(set(fields))
        if objs and fields:
            bulk_update_with_history(
                objs, model, fields, batch_size=BATCH_SIZE, default_user=self.user,
                default_change_reason=self.change_reason,
            )

    def count(self, name: str, n: int = 1) -> None:
        if n:
            self.related[name] = self.related.get(name, 0) + n

    def run(self, table: Table, *, dry_run: bool = False) -> ImportResult:
        result = ImportResult(kind=self.kind, dry_run=dry_run)
        header_error = self._check_header(table.header)
        if header_error:
            result.errors.append(RowError(table.header_line, header_error))
            return result
        self.header = table.header
        if not table.rows:
            result.errors.append(RowError(table.header_line, _("The file has a header but no rows.")))
            return result
        rows = self._parse(table)
        self._mark_duplicates(rows)
        self.resolve(rows)
        errors = [RowError(row.line, message) for row in rows for message in row.errors] + self.file_errors
        if errors:
            result.errors = sorted(errors, key=lambda e: e.line)
            return result
        result.created = sum(row.action == Row.CREATE for row in rows)
        result.updated = sum(row.action == Row.UPDATE for row in rows)
        result.unchanged = sum(row.action == Row.UNCHANGED for row in rows)
        if not dry_run:
            try:
                with transaction.atomic():
                    self.write([row for row in rows if row.action != Row.UNCHANGED])
            except (DatabaseError, ValidationError) as exc:
                return self._failed_write(result, exc)
        result.related = dict(self.related)
        return result

    def _failed_write(self, result: ImportResult, exc: Exception) -> ImportResult:
        detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc).splitlines()[0][:200]
        result.created = result.updated = result.unchanged = 0
        result.related = {}
        result.errors = [
            RowError(1, _("Nothing was saved: the database refused the import (%(detail)s). Try again; if it "
                          "happens again, the data changed while importing.") % {"detail": detail})
        ]
        return result

    def _check_header(self, header: list[str]) -> str:
        known = [column.name for column in self.columns]
        problems = []
        nameless = [str(number) for number, name in enumerate(header, 1) if not name]
        if nameless:
            problems.append(_("column(s) %(numbers)s have no header") % {"numbers": ", ".join(nameless)})
        twice = sorted({name for name in header if name and header.count(name) > 1})
        if twice:
            problems.append(_("column(s) given twice: %(columns)s") % {"columns": ", ".join(twice)})
        unknown = [name for name in header if name and name not in known]
        if unknown:
            problems.append(
                _("unknown column(s): %(columns)s (the columns are: %(known)s)")
                % {"columns": ", ".join(shown(name) for name in unknown), "known": ", ".join(known)}
            )
        missing = [column.name for column in self.columns if column.required and column.name not in header]
        if missing:
            problems.append(_("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})
        return "; ".join(problems)

    def _parse(self, table: Table) -> list[Row]:
        columns = {column.name: column for column in self.columns}
        width = len(table.header)
        total = len(table.rows)
        rows = []
        for index, (line, cells) in enumerate(table.rows, 1):
            row = Row(line)
            if any(not is_blank(cell) for cell in cells[width:]):
                row.error(
                    _("this row has more values than the header has columns (%(columns)s)") % {"columns": width}
                )
            for position, name in enumerate(table.header):
                column = columns[name]
                raw = cells[position] if position < len(cells) else None
                if is_blank(raw):
                    if column.blank:
                        row.values[name] = column.default
                    else:
                        row.error(_("%(column)s is empty") % {"column": name})
                    continue
                if has_control_character(raw):
                    row.error(_("%(column)s contains an invisible control character") % {"column": name})
                    continue
                try:
                    row.values[name] = column.parse(raw if not isinstance(raw, str) else as_text(raw), name)
                except CellError as exc:
                    row.error(exc.message)
            rows.append(row)
            if index % PROGRESS_EVERY == 0 or index == total:
                self.progress("validating", index, total)
        return rows

    def _mark_duplicates(self, rows: list[Row]) -> None:
        first: dict[tuple, int] = {}
        for row in rows:
            key = self.key(row)
            if key is None:
                continue
            if key in first:
                row.error(self.duplicate_message(row, first[key]))
            else:
                first[key] = row.line

    def report_writing(self, done: int, total: int) -> None:
        self.progress("writing", done, total)
