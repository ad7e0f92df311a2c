"""The HTML part of a mail, made from its text: the same words, paragraphs and clickable
links — for mail programs that show HTML only, and with the language set for screen readers."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_LINK = re.compile(r"https?://[^\s<>\"]+")


def _line(text: str) -> Markup:
    parts, last = [], 0
    for match in _LINK.finditer(text):
        url = match.group(0).rstrip(".,;)")
        end = match.start() + len(url)
        parts.append(escape(text[last:match.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(url))
        last = end
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def text_to_html(text: str, *, language: str | None = None, title: str = "") -> str:
    """An HTML document of the mail's text; the text's signature ("-- ") stays its own paragraph."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    body = Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(_line(line.rstrip()) for line in p.splitlines()))
        for p in paragraphs)
    return str(Markup('<!doctype html>\n<html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>\n'
                      '<body style="font-family: sans-serif; line-height: 1.4">\n{}\n</body></html>\n')
               .format(language or "de", title, body))
