"""Reading an uploaded file into a header and rows, whatever it is: CSV (UTF-8, with or without BOM) or XLSX.

A file that cannot be read raises `FileProblem` with a message for the person who uploaded it; nothing here
raises anything else for bad input.

Limits (settings): a file larger than IMPORT_MAX_BYTES is refused before it is read; rows are read one by one (CSV
reader, openpyxl read-only `iter_rows`) and reading stops with an error at the first data row past IMPORT_MAX_ROWS;
an XLSX whose parts would unpack to more than IMPORT_MAX_UNPACKED_BYTES (a zip bomb) is refused before it is opened,
its declared dimension is ignored and only the first MAX_COLUMNS columns are read.
"""

import contextlib
import csv
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from supply_service.customers.imports.cells import is_blank

EXTENSIONS = (".csv", ".xlsx")
MAX_COLUMNS = 100  # the widest import has 18 columns


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


def source_size(source) -> int | None:
    """The size in bytes of a path, bytes or a Django UploadedFile, without reading it (None: not known)."""
    if isinstance(source, bytes | bytearray):
        return len(source)
    if isinstance(source, str | os.PathLike):
        return os.stat(source).st_size
    size = getattr(source, "size", None)
    return size if isinstance(size, int) else None


def size_problem(size: int) -> FileProblem:
    return FileProblem(
        _("The file is %(size)s; files of at most %(max)s can be imported. Split it into smaller files.")
        % {"size": filesizeformat(size), "max": filesizeformat(settings.IMPORT_MAX_BYTES)}
    )


def check_size(source) -> None:
    size = source_size(source)
    if size is not None and size > settings.IMPORT_MAX_BYTES:
        raise size_problem(size)


def read_bytes(source) -> bytes:
    """The content of a path, bytes, a Django UploadedFile or any binary file object; FileProblem when it is larger
    than IMPORT_MAX_BYTES (checked before reading where the size is known, else while reading)."""
    check_size(source)
    limit = settings.IMPORT_MAX_BYTES
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            data = handle.read(limit + 1)
    else:
        if hasattr(source, "seek"):
            with contextlib.suppress(OSError, ValueError):
                source.seek(0)
        if hasattr(source, "chunks"):
            data = _read_chunks(source.chunks(), limit)
        else:
            data = source.read(limit + 1)
            data = data.encode("utf-8") if isinstance(data, str) else data
    if len(data) > limit:
        raise size_problem(len(data))
    return data


def _read_chunks(chunks, limit: int) -> bytes:
    parts, total = [], 0
    for chunk in chunks:
        parts.append(chunk)
        total += len(chunk)
        if total > limit:
            break
    return b"".join(parts)


def rows_problem() -> FileProblem:
    return FileProblem(
        ngettext("The file has more than %(max)s row; at most %(max)s row can be imported at once. Split it into "
                 "smaller files.",
                 "The file has more than %(max)s rows; at most %(max)s rows can be imported at once. Split it into "
                 "smaller files.", settings.IMPORT_MAX_ROWS) % {"max": settings.IMPORT_MAX_ROWS}
    )


def read_table(data: bytes, *, filename: str) -> Table:
    extension = os.path.splitext(filename.lower())[1]
    if extension not in EXTENSIONS:
        raise FileProblem(
            _("“%(name)s” is neither a .csv nor an .xlsx file") % {"name": os.path.basename(filename)[:80]}
        )
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    rows = _csv_rows(data) if extension == ".csv" else _xlsx_rows(data)
    try:
        return _table(rows)
    finally:
        rows.close()  # stops reading (and closes the workbook) when the table ends early at a limit


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
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
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileProblem(
                _("The CSV cannot be read from line %(line)s on: %(reason)s") % {"line": start, "reason": exc},
                line=start,
            ) from exc
        yield start, cells[: MAX_COLUMNS + 1]


def _check_unpacked_size(data: bytes) -> None:
    """An XLSX is a zip: refuse one whose parts would unpack to more than the limit, before opening it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FileProblem(_("The file is not an Excel workbook (.xlsx) that can be read.")) from exc
    if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise FileProblem(
            _("The workbook unpacks to %(size)s; at most %(max)s can be imported. Split it into smaller files.")
            % {"size": filesizeformat(unpacked), "max": filesizeformat(settings.IMPORT_MAX_UNPACKED_BYTES)}
        )


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    _check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a workbook that openpyxl cannot read, whatever the reason, is the file's fault
        raise FileProblem(_("The file is not an Excel workbook (.xlsx) that can be read.")) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the stored dimension may be wrong (or huge): read the rows there are
        rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001 - a broken sheet, whatever the reason, is the file's fault
                raise FileProblem(_("The file is not an Excel workbook (.xlsx) that can be read.")) from exc
            number += 1
            if values.count(None) != len(values):  # skip padding for missing rows cheaply
                yield number, list(values)
    except IndexError as exc:
        raise FileProblem(_("The file is not an Excel workbook (.xlsx) that can be read.")) from exc
    finally:
        workbook.close()


def _table(rows: Iterator[tuple[int, list[Any]]]) -> Table:
    """The header (the first row that is not blank) and at most IMPORT_MAX_ROWS data rows; FileProblem past that."""
    limit = settings.IMPORT_MAX_ROWS
    table: Table | None = None
    for line, cells in rows:
        if all(is_blank(cell) for cell in cells):
            continue
        if table is None:
            table = Table(header=_header(cells), header_line=line)
            continue
        if len(table.rows) >= limit:
            raise rows_problem()
        table.rows.append((line, cells))
    if table is None:
        raise FileProblem(_("The file is empty."))
    return table


def _header(cells: list[Any]) -> list[str]:
    header = [str(cell).strip().lower() if cell is not None else "" for cell in cells]
    while header and not header[-1]:
        header.pop()
    return header
