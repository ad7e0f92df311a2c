"""CSV and XLSX downloads of tables, shared by every report and list export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from .time import BERLIN

FORMATS = ("csv", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, datetime):
        return value.astimezone(BERLIN).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)  # a number in the spreadsheet, not text
    if value is None or isinstance(value, int | float | date):
        return value
    return str(value)


def _csv_cell(value) -> str:
    if isinstance(value, Decimal | float):
        # The `;` file is for German spreadsheets: they read "1,5"; "1.5" becomes a date or text.
        return f"{Decimal(str(value)).normalize():f}".replace(".", ",")
    value = _cell(value)
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    text = "" if value is None else str(value)
    # A cell starting like a formula would run in Excel (CSV injection): quote it.
    return "'" + text if text.startswith(_FORMULA_START) else text


def table_response(headers: Sequence[str], rows: Iterable[Sequence], *, filename: str, fmt: str) -> Response:
    """Return the table as a CSV (semicolon, UTF-8 with BOM for Excel) or XLSX download."""
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.append([str(h) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row_number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column, value=_cell(value))
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
        buffer = io.BytesIO()
        workbook.save(buffer)
        body = buffer.getvalue()
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([str(h) for h in headers])
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
        body = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        mimetype = "text/csv"
        fmt = "csv"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'})
