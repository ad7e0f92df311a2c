"""What belongs to a confidential visit is as confidential as the visit (issue 30, item 5):
a signed Golden Book entry of a confidential visit stays out of a viewer's list, print page,
exports and entry page, and out of the partnership's history."""

from __future__ import annotations

import io
from datetime import datetime

import sqlalchemy as sa
import time_machine
from openpyxl import load_workbook

from protocol_app.core.time import BERLIN
from protocol_app.extensions import db
from protocol_app.goldenbook.models import BookEntry
from tests.support import login, post
from tests.test_golden_book import _entry_form, _flagged_visit, _version


def test_a_signed_entry_of_a_confidential_visit_stays_hidden_from_viewers(app):
    clients, ref, item, _ = _flagged_visit(app, is_confidential=True, title="Vertraulicher Besuch Ixland")
    officer, manager, viewer = clients["referent"], clients["leitung"], clients["leser"]
    assert post(officer, f"/visits/{ref}/programme/new", item).status_code == 302
    entry_id = db.session.scalar(sa.select(BookEntry.id))
    path = f"/golden-book/{entry_id}"
    with time_machine.travel(datetime(2027, 3, 11, 15, tzinfo=BERLIN), tick=False):
        signer = app.test_client()  # on the day of the signing, in a session of that day
        login(signer, "referent@example.org")
        post(signer, path, _entry_form(signed_on="2027-03-11", signatory="Emmanuel Exemple",
                                       function="Präsident der Französischen Republik", country_code="FR",
                                       volume="XII", page="48", version=_version(signer, path)))
        assert post(signer, f"{path}/step", {"action": "sign", "version": _version(signer, path)}).status_code == 302
    assert db.session.scalar(sa.select(BookEntry.state)) == "signed"

    for who, sees in ((officer, True), (manager, True), (viewer, False)):
        listing = who.get("/golden-book/?year=2027").get_data(as_text=True)
        printed = who.get("/golden-book/print?year=2027").get_data(as_text=True)
        csv = who.get("/golden-book/export.csv?year=2027").get_data(as_text=True)
        rows = list(load_workbook(io.BytesIO(who.get("/golden-book/export.xlsx?year=2027").data)).active
                    .iter_rows(values_only=True))[1:]
        for text in (listing, printed, csv, str(rows)):
            assert ("Emmanuel Exemple" in text) is sees
            assert sees or "Ixland" not in text
        assert who.get(path).status_code == (200 if sees else 404)
        assert who.get(f"{path}/photo").status_code in ((200, 404) if sees else (404,))
