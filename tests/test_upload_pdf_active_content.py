"""PDFs that run something or carry other files are refused as uploads (issue 30, item 11);
a plain PDF is still taken."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from protocol_app.core.errors import ValidationFailed
from protocol_app.core.files import StoredFile, pdf_active_content, store_upload
from protocol_app.extensions import db
from tests.support import PDF


def _pdf(change) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _launch(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})


def _annotation_js(writer):
    page = writer.pages[0]
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("x")})
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})


ACTIVE = {
    "javascript": _pdf(lambda w: w.add_open_action(JavaScript("app.alert('hallo');"))),
    "embedded file": _pdf(lambda w: w.add_attachment("rechnung.exe", b"MZ...")),
    "launch action": _pdf(_launch),
    "page action": _pdf(_annotation_js),
}


@pytest.mark.one_backend
@pytest.mark.parametrize("kind", sorted(ACTIVE))
def test_a_pdf_with_active_content_is_refused_and_nothing_is_stored(app, kind):
    assert pdf_active_content(ACTIVE[kind]) is not None
    before = db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile))
    with app.test_request_context():
        with pytest.raises(ValidationFailed) as refused:
            store_upload("lebenslauf.pdf", ACTIVE[kind], actor=None)
        assert "aktive Inhalte" in str(refused.value.message)  # the German message, naming what to do
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == before


@pytest.mark.one_backend
def test_a_plain_pdf_is_taken(app):
    assert pdf_active_content(PDF) is None
    with app.test_request_context():
        stored = store_upload("lebenslauf.pdf", PDF, actor=None)
    assert stored.content_type == "application/pdf"
