"""Every XLSX export as the office opens it: LibreOffice prints the sheet, and no cell shows
"###" (a column too narrow for its date or number), words stand where codes were."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.documents import spreadsheets_as_printed
from tests.support import login

pytestmark = pytest.mark.one_backend

#: (name, demo user, URL) of each XLSX export the app offers.
EXPORTS = [
    ("visits-list", "referent", "/visits/export?format=xlsx"),
    ("visits-by-country", "leitung", "/visits/reports/export?by=country&format=xlsx&year={year}"),
    ("honours-report", "leitung", "/honours/report.xlsx?from=2020&to={year}"),
    ("honours-desk", "leitung", "/honours/desk.xlsx"),
    ("holders-template", "referent", "/honours/holders-template.xlsx"),
    ("guest-import-template", "referent", "/events/guest-import-template.xlsx"),
    ("emigrant-statistics", "emigration", "/emigrants/statistics.xlsx?from=1990&to={year}"),
    ("alumni", "emigration", "/emigrants/alumni.xlsx"),
    ("language-service-month", "referent", "/translations/report.xlsx?month={month}"),
]


@pytest.fixture
def demo_exports(app):
    from protocol_app.cli import DEMO_PASSWORD
    from protocol_app.core.time import today_berlin

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    today = today_berlin()
    files = {}
    for name, user, url in EXPORTS:
        client = app.test_client()
        login(client, f"{user}@protokoll.example", DEMO_PASSWORD)
        response = client.get(url.format(year=today.year + 1, month=f"{today.year}-{today.month:02d}"))
        assert response.status_code == 200, (name, response.status_code)
        assert response.mimetype.endswith("spreadsheetml.sheet"), name
        files[name] = response.data
    return files


def test_every_export_prints_in_libreoffice_without_hash_marks(demo_exports, tmp_path):
    printed = spreadsheets_as_printed(demo_exports, tmp_path)
    assert set(printed) == {name for name, _user, _url in EXPORTS}
    for name, text in printed.items():
        assert text.strip(), f"{name}: LibreOffice printed nothing"
        assert "###" not in text, f"{name}: a column is too narrow:\n{text[:1500]}"
    # The visits list has its dates as German dates and its states in words.
    visits = printed["visits-list"]
    assert any(ch.isdigit() for ch in visits) and "." in visits
    assert "planned" not in visits and "requested" not in visits


def test_exports_carry_words_not_codes(demo_exports):
    def cells(name):
        sheet = load_workbook(io.BytesIO(demo_exports[name])).active
        return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]

    statistics = cells("emigrant-statistics")
    assert statistics, "the demo data has emigrant statistics"
    categories = {row[1] for row in statistics}
    countries = {row[2] for row in statistics}
    assert not categories & {"emigrant", "forced_labourer", "historical"}, categories
    assert all(len(c) > 2 for c in countries), countries  # names, not ISO codes
    assert "Vereinigtes Königreich" in countries or "Israel" in countries or "USA" in " ".join(countries)
    sheet = load_workbook(io.BytesIO(demo_exports["emigrant-statistics"])).active
    assert "€" in sheet.cell(row=2, column=6).number_format  # costs as euros
    for row in cells("alumni"):
        assert len(row[3]) > 2, row  # "Englisch", not "en"
