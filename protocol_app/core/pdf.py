"""PDF documents rendered from templates with WeasyPrint, as tagged PDF (PDF/UA-1): a
structure tree, the document's language (the template's `<html lang>`) and its title
(`<title>`, shown by the reader instead of the file name) — so that a screen reader reads
the letter a blind guest receives, as BITV 2.0 asks of documents the administration sends."""

from __future__ import annotations

from flask import Response, render_template
from weasyprint import HTML


def render_pdf(template: str, **context) -> bytes:
    """Render a template (written for paper, with its CSS inline) to PDF bytes."""
    html = render_template(template, pdf=True, **context)
    # No base URL: a PDF template must not fetch anything, so nothing can leak out.
    return HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}.pdf"'})
