"""Table exports shared by every list: CSV (streamed) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from milepost.lib.text import clean_text

# Spreadsheet programs run cells that start with these as formulas; exports guard them with a
# leading apostrophe and imports take that apostrophe off again, so a round trip is exact.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("csv", "xlsx")


class _Echo:
    def write(self, value: str) -> str:
        return value


def guard_formula(value: str) -> str:
    """Make a text cell safe to open in a spreadsheet (reversed by `unguard_formula`)."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def unguard_formula(value: str) -> str:
    if value[:1] == "'" and value[1:2] in FORMULA_STARTS and value[1:2]:
        return value[1:]
    return value


def _safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (CSV injection) and drop control characters
    (openpyxl refuses them; text stored before the input guard may still hold them)."""
    if isinstance(value, str):
        return guard_formula(clean_text(value))
    return "" if value is None else value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """Stream `rows` as a UTF-8 CSV download (with BOM so Excel reads accents right)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff" + writer.writerow([_safe_cell(title) for title in header])
        for row in rows:
            yield writer.writerow([_safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def write_csv(stream: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a table as CSV to an open text stream, with the download's formula guard; returns
    the number of rows."""
    writer = csv.writer(stream)
    writer.writerow([_safe_cell(title) for title in header])
    count = 0
    for row in rows:
        writer.writerow([_safe_cell(value) for value in row])
        count += 1
    return count


def _workbook(header: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str) -> Workbook:
    workbook = Workbook(write_only=False)
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet[:31]
    worksheet.append([_safe_cell(title) for title in header])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        worksheet.append([_safe_cell(value) for value in row])
    worksheet.freeze_panes = "A2"
    for index, title in enumerate(header, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = max(
            10, min(60, len(title) + 4)
        )
    return workbook


def write_xlsx(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str = "Export"
) -> int:
    """Save a table as an XLSX workbook (as the downloads make it); returns the number of rows."""
    workbook = _workbook(header, rows, sheet)
    workbook.save(path)
    worksheet = workbook.active
    assert worksheet is not None
    return worksheet.max_row - 1


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str = "Export"
) -> HttpResponse:
    """Return `rows` as an XLSX workbook with a bold, frozen header row."""
    workbook = _workbook(header, rows, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(
    export_format: str, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse | StreamingHttpResponse:
    """The download for `?export=csv` or `?export=xlsx`."""
    if export_format == "xlsx":
        return xlsx_response(filename, header, rows)
    return csv_response(filename, header, rows)


def requested_format(request: HttpRequest) -> str | None:
    """The export a list page was asked for (`?export=csv|xlsx`), or None to render it."""
    export_format = request.GET.get("export", "")
    return export_format if export_format in EXPORT_FORMATS else None
