"""CSV of one table and the Excel workbook (one sheet per section): the same `Section`s the page shows."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from supply_service.dashboard.report import Section

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"int": "#,##0", "pct": '0.0"%"', "dec": "0.0"}
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet name


def csv_response(*, filename: str, headers: list[str], rows: list[list]) -> HttpResponse:
    """UTF-8 with a BOM (Excel opens Chinese text correctly); formulas defused (a cell never starts with = + - @)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe(value) for value in row])
    return response


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def section_csv(section: Section, *, filename: str) -> HttpResponse:
    return csv_response(filename=filename, headers=section.headers,
                        rows=[[cell.csv for cell in row] for row in section.rows])


def _excel_value(cell):
    if cell.value is None:
        return None
    if cell.fmt in FORMATS and isinstance(cell.value, (int, Decimal, float)):
        return float(cell.value) if isinstance(cell.value, Decimal) else cell.value
    return str(cell.value)


def workbook_bytes(*, title: str, sections: list[Section]) -> bytes:
    """One sheet per section: a bold white-on-blue header row, frozen, widths from the content, number formats."""
    book = Workbook()
    book.remove(book.active)
    for section in sections:
        sheet = book.create_sheet(_sheet_title(section, book))
        sheet.append(section.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [len(str(h)) for h in section.headers]
        for row in section.rows:
            sheet.append([_excel_value(cell) for cell in row])
            for index, cell in enumerate(row):
                target = sheet.cell(row=sheet.max_row, column=index + 1)
                if cell.fmt in FORMATS:
                    target.number_format = FORMATS[cell.fmt]
                widths[index] = max(widths[index], len(str(cell)))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width * 1.6, 8), 60)
        sheet.freeze_panes = "A2"
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(section: Section, book) -> str:
    title = "".join(ch for ch in str(section.title) if ch not in "[]:*?/\\")[:SHEET_TITLE_MAX] or section.key
    return title if title not in book.sheetnames else section.key[:SHEET_TITLE_MAX]


def xlsx_response(*, filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
