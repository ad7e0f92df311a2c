"""What the office's programs open: spreadsheets laid out to read (named sheet, frozen and
filterable header, dates as dates without seconds, columns wide enough) and mails that say
they come from a machine."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from werkzeug.exceptions import NotFound
from werkzeug.routing import AnyConverter

from protocol_app.core.exports import table_response

pytestmark = pytest.mark.one_backend

HEADERS = ["Name", "Datum", "Beginn", "Stunden", "Bemerkung"]
ROWS = [["Anna Englisch", date(2027, 2, 16), datetime(2027, 2, 16, 9, 0, tzinfo=UTC), Decimal("1.5"),
         "Simultandolmetschen beim Festakt im Großen Saal des Roten Rathauses"]]


def test_a_spreadsheet_opens_ready_to_read():
    response = table_response(HEADERS, ROWS, filename="sprachendienst-2027-02", fmt="xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.title == "sprachendienst-2027-02"  # not "Sheet"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E2"
    assert sheet["B2"].number_format == "DD.MM.YYYY" and sheet["C2"].number_format == "DD.MM.YYYY HH:MM"
    assert sheet["C2"].value == datetime(2027, 2, 16, 10, 0)  # Berlin time, no seconds shown
    widths = {col: sheet.column_dimensions[col].width for col in "ABCDE"}
    assert widths["B"] >= 12 and widths["C"] >= 16  # no "###" where the dates are
    assert widths["E"] > widths["A"] and widths["E"] <= 62


def test_the_csv_writes_german_numbers_and_dates():
    text = table_response(HEADERS, ROWS, filename="x", fmt="csv").data.decode("utf-8-sig")
    assert "Anna Englisch;16.02.2027;16.02.2027 10:00;1,5;" in text


def test_mails_say_they_are_sent_by_the_app(app):
    from protocol_app.core.notifications.delivery import build_message
    from protocol_app.core.notifications.services import queue_mail
    from protocol_app.extensions import db

    with app.app_context():
        mail = queue_mail("gast@example.org", "Einladung", "Text")
        db.session.flush()
        message = build_message(mail)
    assert message["Auto-Submitted"] == "auto-generated" and message["Date"]


def test_amounts_are_euros_in_both_formats():
    from protocol_app.core.exports import money

    rows = [["Hotel", money(Decimal("2380"))]]
    text = table_response(["Posten", "Kosten"], rows, filename="x", fmt="csv").data.decode("utf-8-sig")
    assert "Hotel;2.380,00" in text
    sheet = load_workbook(io.BytesIO(table_response(["Posten", "Kosten"], rows, filename="x", fmt="xlsx").data)).active
    assert sheet["B2"].value == 2380 and "€" in sheet["B2"].number_format


def test_every_export_route_answers_only_in_the_offered_formats(app):
    """A download address with another ending (.pdf, .xls from an old bookmark) never reaches an
    export: it is not found, or at most a record's page whose reference is not found."""
    export_rules = [rule for rule in app.url_map.iter_rules() if "<export:fmt>" in rule.rule]
    assert len(export_rules) >= 12
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for rule in export_rules:
            values = {arg: sorted(rule._converters[arg].items)[0] if isinstance(rule._converters[arg], AnyConverter)
                      else 1 for arg in rule.arguments if arg != "fmt"}
            for fmt in ("csv", "xlsx"):
                assert adapter.match(rule.build({**values, "fmt": fmt})[1])[0] == rule.endpoint
            wrong = rule.build({**values, "fmt": "csv"})[1].replace(".csv", ".pdf")
            try:
                endpoint = adapter.match(wrong)[0]
            except NotFound:
                endpoint = None
            assert endpoint != rule.endpoint, wrong
