"""Folding names for search: "Müller", "Mueller" and "Muller" are one name to a person typing;
and the key lists sort by, as a German reader expects ("aus Kyjiw" before "Vilnius", "Öhler"
with "Ohler").

The same folding runs in Python (the query) and in the database (the text searched): on
SQLite as functions registered on each connection, on PostgreSQL as the immutable SQL
functions `protokoll_fold` (migration 0031, on `unaccent`), which the trigram indexes use, and
`protokoll_sort_key` (migration 0041)."""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

#: Letters Unicode does not decompose, mapped as PostgreSQL's unaccent maps them.
_LETTERS = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th"})
#: German spellings of umlauts without the dots, folded like the umlauts themselves.
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_SPACES = re.compile(r"\s+")


def sort_key(text: str | None) -> str:
    """The text as a list sorts it (DIN 5007, variant 1): lower case, ß as ss, umlauts and other
    letters with diacritics as their base letter."""
    if not text:
        return ""
    text = text.lower().replace("ß", "ss").translate(_LETTERS)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold(text: str | None) -> str:
    """The sort key with "ue"/"oe"/"ae" as u/o/a too and one space between words."""
    text = sort_key(text)
    for digraph, vowel in _DIGRAPHS:
        text = text.replace(digraph, vowel)
    return _SPACES.sub(" ", text).strip()


def sortable(column) -> sa.ColumnElement:
    """The column's sort key in SQL, as `sort_key` makes it (on either database)."""
    return sa.func.protokoll_sort_key(column)


def folded(column) -> sa.ColumnElement:
    """The column's text folded as `fold` folds the query (in SQL, on either database)."""
    return sa.func.protokoll_fold(column)


@event.listens_for(Engine, "connect")
def _register_fold_on_sqlite(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.create_function("protokoll_fold", 1, fold, deterministic=True)
        dbapi_connection.create_function("protokoll_sort_key", 1, sort_key, deterministic=True)
