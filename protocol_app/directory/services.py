"""What other domains ask the directory: names of countries and languages in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from ..extensions import db
from .models import Country


def country_names(codes: Iterable[str]) -> dict[str, str]:
    """{code: name in the UI's language} for the given ISO codes, in one query; unknown codes are left out."""
    codes = {c for c in codes if c}
    if not codes:
        return {}
    return {country.code: country.name for country in db.session.scalars(sa.select(Country).where(
        Country.code.in_(codes)))}
