"""Visit reports per year and the exports of reports and of the filtered list."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from tests.support import login, make_user
from tests.visit_support import make_visit, reference_data


def _setup(app):
    reference_data(app)
    uid = make_user(app, "referent@example.org", roles=["officer"])
    for title, country, kind in (("Paris I", "FR", "partner_city"), ("Paris II", "FR", "working_visit"),
                                 ("Tokio", "JP", "state_visit")):
        make_visit(app, uid, title=title, country_code=country, kind=kind)
    make_visit(app, uid, title="=HYPERLINK(\"http://evil\")", country_code="JP")
    make_visit(app, uid, title="Anderes Jahr", arrival_at=datetime(2026, 5, 1, tzinfo=UTC),
               departure_at=datetime(2026, 5, 2, tzinfo=UTC))
    client = app.test_client()
    login(client, "referent@example.org")
    return client


def test_report_counts_visits_by_country_kind_and_partner_city(app):
    client = _setup(app)
    page = client.get("/visits/reports?year=2027").get_data(as_text=True)
    by_country = page.split('data-testid="report-country"')[1].split("</table>")[0]
    assert "Frankreich</td><td class=\"text-end\">2" in by_country
    assert "Japan</td><td class=\"text-end\">2" in by_country
    assert "<rect" in by_country
    assert "Staatsbesuch" in page.split('data-testid="report-kind"')[1]


def test_report_export_as_xlsx_and_csv(app):
    client = _setup(app)
    response = client.get("/visits/reports/export?year=2027&by=country&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Staat", "Besuche") and ("Frankreich", 2) in rows
    response = client.get("/visits/reports/export?year=2027&by=kind&format=csv")
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[0] == ["Art", "Besuche"]
    assert client.get("/visits/reports/export?by=nonsense").status_code == 404


def test_filtered_list_export_keeps_the_filter_and_defuses_formulas(app):
    client = _setup(app)
    response = client.get("/visits/export?country=JP&format=csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    titles = [r[1] for r in rows[1:]]
    assert "Tokio" in titles and "Paris I" not in titles
    assert "'=HYPERLINK(\"http://evil\")" in titles  # not executed by Excel
    xlsx = client.get("/visits/export?q=paris&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sorted(r[1] for r in sheet.iter_rows(min_row=2, values_only=True)) == ["Paris I", "Paris II"]


def test_viewers_get_reports_without_confidential_visits_and_translators_get_none(app):
    client = _setup(app)
    assert client.get("/visits/reports").status_code == 200
    make_user(app, "t@example.org", roles=["translator"])
    translator = app.test_client()
    login(translator, "t@example.org")
    assert translator.get("/visits/reports").status_code == 403
    assert translator.get("/visits/export").status_code == 403
