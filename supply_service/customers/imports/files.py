"""Reading an uploaded file into a header and rows, whatever it is: CSV (UTF-8, with or without BOM) or XLSX.

A file that cannot be read raises `FileProblem` with a message for the person who uploaded it; nothing here
raises anything else for bad input.
"""

import contextlib
import csv
import io
import os
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from supply_service.customers.imports.cells import is_blank

EXTENSIONS = (".csv", ".xlsx")


class FileProblem(Exception):
    """The whole file is unusable; a problem with the file as a whole is reported on line 1."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Table:
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (line as a person sees it, cells)


def read_bytes(source) -> bytes:
    """The content of a path, bytes, a Django UploadedFile or any binary file object."""
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            return handle.read()
    if hasattr(source, "seek"):
        with contextlib.suppress(OSError, ValueError):
            source.seek(0)
    if hasattr(source, "chunks"):
        return b"".join(source.chunks())
    data = source.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def read_table(data: bytes, *, filename: str) -> Table:
    extension = os.path.splitext(filename.lower())[1]
    if extension not in EXTENSIONS:
        raise FileProblem(
            _("“%(name)s” is neither a .csv nor an .xlsx file") % {"name": os.path.basename(filename)[:80]}
        )
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    rows = _csv_rows(data) if extension == ".csv" else _xlsx_rows(data)
    return _table(rows)


def _csv_rows(data: bytes) -> list[tuple[int, list[Any]]]:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileProblem(
            _("The file is not UTF-8 text (the first bad character is on line %(line)s): save it as “CSV UTF-8”.")
            % {"line": line},
            line=line,
        ) from exc
    reader = csv.reader(io.StringIO(content, newline=""))
    rows = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise FileProblem(
                _("The CSV cannot be read from line %(line)s on: %(reason)s") % {"line": start, "reason": exc},
                line=start,
            ) from exc
        rows.append((start, cells))
    return rows


def _xlsx_rows(data: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # the stored dimension may be wrong; read every row there is
            rows = [(number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), 1)]
        finally:
            workbook.close()
    except Exception as exc:  # a workbook that openpyxl cannot read, whatever the reason, is the file's fault
        raise FileProblem(_("The file is not an Excel workbook (.xlsx) that can be read.")) from exc
    return rows


def _table(rows: list[tuple[int, list[Any]]]) -> Table:
    rows = [(line, cells) for line, cells in rows if any(not is_blank(cell) for cell in cells)]
    if not rows:
        raise FileProblem(_("The file is empty."))
    header_line, header_cells = rows[0]
    header = [str(cell).strip().lower() if cell is not None else "" for cell in header_cells]
    while header and not header[-1]:
        header.pop()
    return Table(header=header, header_line=header_line, rows=rows[1:])
