"""CSV and XLSX downloads of tables, shared by every report and list export."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from werkzeug.routing import AnyConverter

from .time import BERLIN

FORMATS = ("csv", "xlsx")


class ExportFormatConverter(AnyConverter):
    """`<export:fmt>` in a route: one of FORMATS, any other ending is a 404 before the view runs."""

    def __init__(self, url_map, *items):
        super().__init__(url_map, *FORMATS)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Money(Decimal):
    """An amount in euros: a number in the spreadsheet, shown as German currency."""


def money(value) -> Money | None:
    """Mark a column's value as an amount in euros (see `Money`)."""
    return None if value is None else Money(str(value))


def _cell(value):
    if isinstance(value, datetime):
        return value.astimezone(BERLIN).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)  # a number in the spreadsheet, not text
    if value is None or isinstance(value, int | float | date):
        return value
    return str(value)


def _csv_cell(value) -> str:
    if isinstance(value, Money):
        return f"{value:,.2f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
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


#: How a date and a time read in the office's spreadsheets (German, without seconds).
DATE_FORMAT, DATETIME_FORMAT = "DD.MM.YYYY", "DD.MM.YYYY HH:MM"
#: Euros with two decimals; the spreadsheet shows its own locale's separators.
MONEY_FORMAT = '#,##0.00\\ "€"'

#: Column widths (characters) a sheet opens with: wide enough for what is in it, within reason.
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def _shown(value) -> str:
    """The cell as a reader sees it, for the column's width."""
    if isinstance(value, Money):
        return f"{value:,.2f} €"
    return str(_cell(value) if value is not None else "")


def _sheet_title(filename: str) -> str:
    # Excel allows 31 characters and no []:*?/\ in a sheet's name.
    return re.sub(r"[\[\]:*?/\\]", " ", filename)[:31] or "Tabelle"


def table_response(headers: Sequence[str], rows: Iterable[Sequence], *, filename: str, fmt: str,
                   sheet_title: str | None = None) -> Response:
    """Return the table as a CSV (semicolon, UTF-8 with BOM for Excel) or XLSX download.

    The XLSX opens ready to read: a named sheet, the header frozen and filterable, dates as
    dates in German form (no seconds), columns as wide as their contents."""
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _sheet_title(sheet_title or filename)
        sheet.append([str(h) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(h)) for h in headers]
        row_number = 1
        for row_number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column, value=_cell(value))
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
                if isinstance(cell.value, datetime):
                    cell.number_format = DATE_FORMAT if isinstance(value, date) and not isinstance(
                        value, datetime) else DATETIME_FORMAT
                elif isinstance(cell.value, date):
                    cell.number_format = DATE_FORMAT
                elif isinstance(value, Money):
                    cell.number_format = MONEY_FORMAT
                shown = 16 if isinstance(cell.value, datetime | date) else len(_shown(value))
                if column <= len(widths):
                    widths[column - 1] = max(widths[column - 1], shown)
                else:
                    widths.append(shown)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
        sheet.freeze_panes = "A2"
        if headers:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(row_number, 1)}"
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
