"""Crafted spreadsheets that are small on disk and costly to parse (issue 30, item 9), shared by
the tests (refused, with the limit named) and bench/import_limits_bench.py (how long each takes)."""

from __future__ import annotations

import io
import zipfile

NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _workbook(replace: dict[str, bytes]) -> bytes:
    """An openpyxl workbook with some parts replaced by hand-written XML."""
    from openpyxl import Workbook

    template = io.BytesIO()
    Workbook().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml" and "xl/sharedStrings.xml" in replace:
                # The template has no shared strings: the package must name the new part.
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                                    b'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                                    b"</Types>")
            if item.filename not in replace:
                dst.writestr(item, data)
        for name, data in replace.items():
            dst.writestr(name, data)
    return out.getvalue()


def one_wide_row(cells: int = 1_000_000) -> bytes:
    """One row of `cells` empty cells: a few KB compressed."""
    row = b'<row r="1">' + b"<c/>" * cells + b"</row>"
    return _workbook({"xl/worksheets/sheet1.xml": b"<worksheet " + NS + b"><sheetData>" + row
                      + b"</sheetData></worksheet>"})


def many_cells(rows: int = 20_000, columns: int = 40) -> bytes:
    """Rows within the row cap, but more cells than an office table holds."""
    row = b"<c/>" * columns
    body = b"".join(b'<row r="%d">' % n + row + b"</row>" for n in range(1, rows + 1))
    return _workbook({"xl/worksheets/sheet1.xml": b"<worksheet " + NS + b"><sheetData>" + body
                      + b"</sheetData></worksheet>"})


def huge_shared_strings(strings: int = 1_500_000) -> bytes:
    """A shared-strings part of millions of tiny texts (the sheet itself is empty)."""
    body = b"<si><t>x</t></si>" * strings
    return _workbook({"xl/sharedStrings.xml": b"<sst " + NS + b">" + body + b"</sst>"})


def entity_chain(levels: int = 9) -> bytes:
    """The "billion laughs": a DTD whose entities expand to gigabytes."""
    entities = b'<!ENTITY a0 "lol">' + b"".join(
        b'<!ENTITY a%d "' % n + b"&a%d;" % (n - 1) * 10 + b'">' for n in range(1, levels + 1))
    sheet = (b'<?xml version="1.0"?><!DOCTYPE worksheet [' + entities + b"]><worksheet " + NS
             + b'><sheetData><row r="1"><c t="inlineStr"><is><t>&a%d;</t></is></c></row></sheetData></worksheet>' % levels)
    return _workbook({"xl/worksheets/sheet1.xml": sheet})


CRAFTED = {"one row of a million cells": one_wide_row, "800,000 cells in 20,000 rows": many_cells,
           "1.5 million shared strings": huge_shared_strings, "DTD entity chain": entity_chain}
