"""Language codes (ISO 639-1) as the app accepts and names them."""

from __future__ import annotations

import functools
import unicodedata

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


def _sort_key(name: str) -> str:
    """Names sorted as a reader looks them up: "Ä" with "A", case ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.lru_cache(maxsize=8)
def _choices_in(locale_name: str) -> tuple[tuple[str, str], ...]:
    from babel import Locale

    names = Locale.parse(locale_name).languages
    choices = []
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if code:
            choices.append((code, names.get(code) or language.name))
    return tuple(sorted(choices, key=lambda choice: _sort_key(choice[1])))


def language_choices() -> list[tuple[str, str]]:
    """Every ISO 639-1 language as (code, name in the UI's language), for a picker: people choose
    "Französisch", the record keeps "fr"."""
    from flask_babel import get_locale

    locale = get_locale()
    return list(_choices_in(str(locale) if locale else "en"))
