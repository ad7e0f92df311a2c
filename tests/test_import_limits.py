"""Crafted spreadsheets are refused before openpyxl parses them, with the limit named (issue 30,
item 9): a row of a million cells, more cells than an office table holds, millions of shared
strings, and a DTD entity chain (which answered 500). The times are in bench/, not here; what is
asserted is that the refusal came before the parse: little memory, and the message of the limit."""

from __future__ import annotations

import tracemalloc

import pytest
from flask_babel import force_locale

from protocol_app.core.errors import ValidationFailed
from protocol_app.core.tabular_import import ImportColumn, parse_upload
from tests import crafted_xlsx

EXPECTED = {
    "one row of a million cells": "höchstens 1.000 Zellen in einer Zeile",
    "800,000 cells in 20,000 rows": "höchstens 400.000 Zellen in einem Tabellenblatt",
    "1.5 million shared strings": "höchstens 10 MB Texte",
    "DTD entity chain": "keine Dokumenttypdefinition (DTD)",
}


@pytest.mark.one_backend
@pytest.mark.parametrize("name", sorted(crafted_xlsx.CRAFTED))
def test_a_crafted_spreadsheet_is_refused_before_it_is_parsed_with_the_limit_named(app, name):
    data = crafted_xlsx.CRAFTED[name]()
    assert len(data) < 200 * 1024  # small enough for any upload form
    with app.test_request_context(), force_locale("de"):
        tracemalloc.start()
        with pytest.raises(ValidationFailed) as refused:
            parse_upload("liste.xlsx", data, [ImportColumn("name", "Name", required=True)])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        message = str(refused.value.message)
    assert EXPECTED[name] in message and "als CSV" in message
    assert peak < 48 * 1024 * 1024, peak  # the sheet was scanned as a stream, never built


@pytest.mark.one_backend
def test_the_graves_import_answers_the_entity_chain_with_its_message_not_a_500(app):
    from tests.support import office_clients, post

    officer = office_clients(app, "referent")["referent"]
    from io import BytesIO

    response = post(officer, "/graves/import", {"file": (BytesIO(crafted_xlsx.entity_chain()), "graeber.xlsx")},
                    content_type="multipart/form-data")
    assert response.status_code == 200
    assert "keine Dokumenttypdefinition (DTD)" in response.get_data(as_text=True)


@pytest.mark.one_backend
def test_openpyxl_reads_through_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True  # a DTD that slips past the scan is refused by the parser too
