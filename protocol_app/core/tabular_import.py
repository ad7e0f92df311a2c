"""Reading CSV and XLSX uploads into checked rows, shared by every import (guest lists,
registers of holders, historical participants).

The rule for all imports: the whole file is checked first and every broken row is
reported with its row number and what to fix; nothing is stored unless every row is valid.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from defusedxml import DefusedXmlException
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .errors import ValidationFailed
from .forms import plain_text_problem
from .i18n import format_number

#: More rows than this in one upload is a mistake, not a guest list.
MAX_ROWS = 20000
#: Limits that keep a crafted file from holding a worker: upload size, what an XLSX may
#: unpack to (its XML compresses a thousandfold), columns read per row, reading time.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COLUMNS = 60
MAX_SECONDS = 10.0
#: What a sheet may hold before openpyxl parses it: a 5 KB file can describe a row of a million
#: cells (seconds and hundreds of MB per request); an office's table has a few dozen columns.
MAX_CELLS = 400_000
MAX_CELLS_PER_ROW = 1_000
MAX_SHARED_STRINGS_BYTES = 10 * 1024 * 1024
MAX_STYLES_BYTES = 2 * 1024 * 1024


def _too_large():
    return ValidationFailed(_l("The file is too large for an import (at most %(mb)s MB and %(n)s rows); "
                               "please split it.", mb=MAX_IMPORT_BYTES // (1024 * 1024), n=MAX_ROWS), field="file")


def _too_slow():
    return ValidationFailed(_l("The file takes too long to read; please save it again as a plain table "
                               "(one sheet, no formatting) or as CSV."), field="file")


def _bounded_rows(rows, started: float):
    """At most MAX_ROWS data rows (+ header) of at most MAX_COLUMNS cells, within MAX_SECONDS.

    Blank rows are passed on (row numbers stay those of the file) but count towards a
    ceiling too, so a sheet formatted down to row 1,048,576 cannot keep a worker busy.
    """
    filled = 0
    for seen, row in enumerate(rows, start=1):
        cells = [_cell_text(v) for v in row[:MAX_COLUMNS]]
        filled += any(cells)
        if filled > MAX_ROWS + 1 or seen > 5 * MAX_ROWS:
            raise _too_large()
        if seen % 500 == 0 and time.monotonic() - started > MAX_SECONDS:
            raise _too_slow()
        yield cells


class CellError(ValueError):
    """Raised by a column's parser with a message that says what to fix."""


@dataclass(frozen=True)
class ImportColumn:
    key: str
    #: The header in the template (German); matching ignores case and surrounding spaces.
    header: str
    required: bool = False
    #: Turns the cell's text into a value; raises CellError. Empty cells are None and not parsed.
    parse: Callable[[str], object] = str
    #: Other headers accepted for this column, the English one first.
    aliases: tuple[str, ...] = ()

    @property
    def shown_name(self) -> str:
        """The column's name in the reader's language (an English reader gets the English header)."""
        locale = get_locale()
        if locale is not None and locale.language == "en" and self.aliases:
            return self.aliases[0]
        return self.header


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: Rows the register holds already: (row number, what the row is), for the import to ask about.
    already_there: list[tuple[int, str]] = field(default_factory=list)
    #: How many rows were stored (0 while the import asks or refuses).
    stored: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


#: A row that holds something (Excel writes formatted empty rows as `<row …/>`).
_FILLED_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?(?<!/)>")
#: A row's opening tag; a cell's opening tags (`<cols>` and `<cfRule>` are neither).
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b")
_CELL_TAGS = (b"<c ", b"<c>", b"<c/>", b":c ", b":c>", b":c/>")
#: Spreadsheets need no document type: a DTD is how entity bombs come in.
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _over_limit(limit) -> ValidationFailed:
    return ValidationFailed(_l("The file exceeds a limit of the import (%(limit)s). Please save just the table "
                               "as a plain sheet, or as CSV.", limit=limit), field="file")


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """The part's XML in blocks, each ending before a tag cut in two (which opens the next)."""
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            block = tail + chunk
            cut = max(0, block.rfind(b"<"))
            yield block[:cut]
            tail = block[cut:]
    yield tail


def _check_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Filled rows, cells and cells per row of a worksheet, counted in the raw XML: a regular
    expression over the stream is a hundred times faster than parsing it."""
    filled = cells = in_row = 0
    for block in _chunks(archive, info):
        filled += len(_FILLED_ROW.findall(block))
        # Counted per row by bytes.count (C speed): a row of a million cells is one segment.
        for number, segment in enumerate(_ROW_TAG.split(block)):
            if number:
                in_row = 0  # a new row began
            found = sum(segment.count(tag) for tag in _CELL_TAGS)
            cells += found
            in_row += found
            if in_row > MAX_CELLS_PER_ROW:
                raise _over_limit(_l("at most %(n)s cells in a row", n=format_number(MAX_CELLS_PER_ROW)))
        if cells > MAX_CELLS:
            raise _over_limit(_l("at most %(n)s cells in a sheet", n=format_number(MAX_CELLS)))
    if filled > MAX_ROWS + 1:
        raise _too_large()


def _check_parts(archive: zipfile.ZipFile) -> None:
    """Refuse what would make openpyxl work without bound, before it starts: too much unpacked,
    a document type (entity expansion), oversized shared strings or styles, too many cells."""
    infos = archive.infolist()
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise _too_large()
    for info in infos:
        name = info.filename
        if not name.endswith((".xml", ".rels")):
            continue
        with archive.open(info) as stream:
            if _DTD.search(stream.read(4096)):
                raise _over_limit(_l("no document type definition (DTD)"))
        if name == "xl/sharedStrings.xml" and info.file_size > MAX_SHARED_STRINGS_BYTES:
            raise _over_limit(_l("at most %(mb)s MB of texts", mb=MAX_SHARED_STRINGS_BYTES // (1024 * 1024)))
        if name == "xl/styles.xml" and info.file_size > MAX_STYLES_BYTES:
            raise _over_limit(_l("at most %(mb)s MB of formatting", mb=MAX_STYLES_BYTES // (1024 * 1024)))
        if name.startswith("xl/worksheets/"):
            _check_sheet(archive, info)


def _read_xlsx(data: bytes) -> list[list[str]]:
    unreadable = ValidationFailed(_l("The file could not be read as an Excel workbook (XLSX)."), field="file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_parts(archive)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise unreadable
    started = time.monotonic()
    try:
        # Streaming (read_only): rows are parsed as they are read, and reading stops at the caps.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = list(_bounded_rows(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), started))
        workbook.close()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError,
            DefusedXmlException, SyntaxError):
        # defusedxml (which openpyxl uses once installed) refuses entities and external references;
        # ElementTree's ParseError is a SyntaxError.
        raise unreadable
    return rows


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise ValidationFailed(_l("The CSV file has an unknown character encoding; please save it as UTF-8."),
                               field="file")
    if "\x00" in text:
        raise ValidationFailed(_l("This is not a text (CSV) file."), field="file")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    try:
        return list(_bounded_rows(csv.reader(io.StringIO(text), delimiter=delimiter), time.monotonic()))
    except csv.Error:
        raise ValidationFailed(_l("The CSV file could not be read; please save it again from the template."),
                               field="file")


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The upload's rows as lists of text (XLSX by content, otherwise CSV)."""
    if not data:
        raise ValidationFailed(_l("The file is empty."), field="file")
    if len(data) > MAX_IMPORT_BYTES:
        raise _too_large()
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if (filename or "").lower().endswith((".xlsx", ".xls")):
        raise ValidationFailed(_l("The file could not be read as an Excel workbook (XLSX)."), field="file")
    return _read_csv(data)


def parse_upload(filename: str, data: bytes, columns: Sequence[ImportColumn]) -> ImportResult:
    """Check every row of an upload against `columns`; collect all errors, store nothing."""
    # Blank rows are left out, but each row keeps its number in the file: that is the number
    # the office sees in its spreadsheet program.
    table = [(number, row) for number, row in enumerate(read_table(filename, data), start=1)
             if any(cell for cell in row)]
    if not table:
        raise ValidationFailed(_l("The file contains no rows."), field="file")
    header = [cell.strip().lower() for cell in table[0][1]]
    positions = {}
    for column in columns:
        names = {column.header.lower(), *(a.lower() for a in column.aliases)}
        found = next((i for i, name in enumerate(header) if name in names), None)
        if found is None and column.required:
            raise ValidationFailed(
                _l("The column \u201c%(column)s\u201d is missing in the first row. Please use the template.",
                   column=column.shown_name), field="file")
        positions[column.key] = found
    body = table[1:]
    if not body:
        raise ValidationFailed(_l("The file contains a header row but no data rows."), field="file")
    if len(body) > MAX_ROWS:
        raise ValidationFailed(_l("The file has more than %(n)s rows; please split it.", n=MAX_ROWS), field="file")
    return parse_records(((number, {column.key: raw[positions[column.key]] if positions[column.key] is not None
                                    and positions[column.key] < len(raw) else "" for column in columns})
                          for number, raw in body), columns)


def parse_records(records: Iterable[tuple[int, dict]], columns: Sequence[ImportColumn]) -> ImportResult:
    """Check rows given as (number, {column key: text}) — a file's rows, or the rows a program
    sent through the API — against `columns`; collect all errors, store nothing."""
    result = ImportResult()
    for number, cells in records:
        values = {}
        for column in columns:
            text = cells.get(column.key)
            text = "" if text is None else str(text).strip()
            if not text:
                if column.required:
                    result.errors.append(RowError(number, column.shown_name, str(_l("This field is required."))))
                values[column.key] = None
                continue
            try:
                values[column.key] = column.parse(text)
            except CellError as exc:
                result.errors.append(RowError(number, column.shown_name, str(exc)))
        result.rows.append({"_row": number, **values})
    return result


# --- parsers shared by imports --------------------------------------------------------


def parse_int(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise CellError(str(_l("Please enter a whole number from %(low)s to %(high)s.", low=low, high=high)))
        if not low <= value <= high:
            raise CellError(str(_l("Please enter a whole number from %(low)s to %(high)s.", low=low, high=high)))
        return value

    return parse


def parse_date(text: str) -> date:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(str(_l("Please enter the date as DD.MM.YYYY.")))


def parse_choice(choices: dict[str, str], label: str) -> Callable[[str], str]:
    """A cell that must be one of `choices` (matched case-insensitively on keys)."""
    lookup = {key.lower(): value for key, value in choices.items()}

    def parse(text: str) -> str:
        try:
            return lookup[text.strip().lower()]
        except KeyError:
            raise CellError(str(_l("Unknown %(what)s \u201c%(value)s\u201d; allowed: %(allowed)s.", what=label,
                                   value=text[:60], allowed=", ".join(sorted(choices)))))

    return parse


def parse_plain_text(max_length: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > max_length:
            raise CellError(str(_l("At most %(n)s characters, please.", n=max_length)))
        problem = plain_text_problem(text)
        if problem is not None:
            raise CellError(str(problem))
        return text

    return parse


def parse_email(text: str) -> str:
    if len(text) > 254 or text.count("@") != 1 or "." not in text.split("@")[1] or " " in text:
        raise CellError(str(_l("Please enter a valid e-mail address.")))
    return text


def template_rows(columns: Sequence[ImportColumn]) -> list[str]:
    """The header row of an import's downloadable template."""
    return [column.header for column in columns]


def template_response(columns: Sequence[ImportColumn], example_row: Sequence, *, filename: str, fmt: str):
    """An import's template to download (XLSX or CSV): its headers and one example row, which
    the import leaves out if the file still holds it."""
    from .exports import table_response

    return table_response(template_rows(columns), [example_row], filename=filename, fmt=fmt)
