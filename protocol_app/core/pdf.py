"""PDF documents rendered from templates with WeasyPrint."""

from __future__ import annotations

from flask import Response, render_template
from weasyprint import HTML


def render_pdf(template: str, **context) -> bytes:
    """Render a template (written for paper, with its CSS inline) to PDF bytes."""
    html = render_template(template, pdf=True, **context)
    # No base URL: a PDF template must not fetch anything, so nothing can leak out.
    return HTML(string=html, base_url=None).write_pdf()


def pdf_response(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}.pdf"'})
