"""Language codes (ISO 639-1) as the app accepts and names them."""

from __future__ import annotations

import pycountry
from flask_babel import lazy_gettext as _l

from .errors import ValidationFailed


def check_language(code: str | None, field: str = "language") -> str:
    """A known ISO 639-1 code in lower case, else a clear error."""
    code = (code or "").strip().lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise ValidationFailed(_l("“%(code)s” is not a language code (ISO 639-1, e.g. en, fr, pl).", code=code[:10]),
                               field=field)
    return code


def language_name(code: str) -> str:
    """The language's name in the UI's language ("Englisch" in German), else pycountry's English name."""
    from flask_babel import get_locale

    locale = get_locale()
    name = locale.languages.get(code) if locale else None
    if name:
        return name
    language = pycountry.languages.get(alpha_2=code)
    return language.name if language else code
