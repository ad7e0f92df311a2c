"""One search box for the whole app: each domain registers what it can find, and who may see it.

A provider gets the user and the query and returns at most `limit` hits it has already
filtered by the user's permissions on the server (a hit the user may not open is never
built). Matching and ranking are shared here so every kind folds and forgives alike:

- folding both sides (`folding.fold`): "Muller", "Mueller" and "Müller" are one name;
- a part of a word matches (LIKE on the folded text) and so does a near miss: PostgreSQL's
  trigram word similarity (behind the GIN indexes of migration 0031), and on either database
  the candidates sharing a word's first three letters compared word by word in Python, the
  parts of a double name ("Lefèvre-Duchâteau") each a word;
- hits are ranked by how close they come, best first, and grouped by kind.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from ...extensions import db
from ..references import format_reference, parse_reference
from ..urls import path_for
from .folding import fold, folded

#: Most hits of one kind on the results page.
PER_KIND = 8
#: Matches the database scores to rank one kind's hits.
CANDIDATES = 200
#: A word of the text at least this close to a word of the query counts as a near miss.
NEAR_MISS = 0.75
#: PostgreSQL's trigram word similarity (`%>`) at or above which a text is a near miss.
TRIGRAM_NEAR_MISS = 0.6
#: What separates the words the near misses compare: the parts of a double name are words.
_WORD_BREAK = re.compile(r"[\s\-‐/]+")


@dataclass(frozen=True)
class Query:
    raw: str
    folded: str

    @property
    def words(self) -> list[str]:
        return self.folded.split()


@dataclass(frozen=True)
class Hit:
    title: str
    link: str
    detail: str = ""
    #: The folded texts the hit was found by (SQLite ranks by them).
    texts: tuple[str, ...] = ()
    score: float = 0.0


@dataclass(frozen=True)
class Kind:
    name: str
    label: object
    provider: Callable[[object, Query, int], list[Hit]]
    order: int = 100


@dataclass
class Group:
    kind: Kind
    hits: list[Hit] = field(default_factory=list)


_KINDS: dict[str, Kind] = {}


def register_kind(name: str, label, provider: Callable[[object, Query, int], list[Hit]], order: int = 100) -> None:
    """Register what a domain can find: provider(user, query, limit) -> hits the user may see."""
    _KINDS[name] = Kind(name=name, label=label, provider=provider, order=order)


def parse(raw: str | None) -> Query | None:
    """The query as typed and folded; None for one that is too short to search by."""
    raw = (raw or "").strip()[:100]
    query = Query(raw=raw, folded=fold(raw))
    return query if len(query.folded) >= 2 else None


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def text_match(columns: Sequence, query: Query) -> tuple[sa.ColumnElement, sa.ColumnElement]:
    """(WHERE clause, score) of `columns` against the query: every word of the query is a part
    of one of the columns' words."""
    texts = [folded(column) for column in columns]
    parts = sa.and_(*(sa.or_(*(_contains(text, word) for text in texts)) for word in query.words))
    if not _is_postgresql():
        return parts, sa.literal(0.0)
    return parts, _similarity(texts, query)


def _contains(text, part: str) -> sa.ColumnElement:
    """`part` anywhere in `text`; a "%" or "_" typed is a character, not a wildcard."""
    escaped = part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return text.like(f"%{escaped}%", escape="\\")


def _similarity(texts, query: Query) -> sa.ColumnElement:
    return sa.func.greatest(*(sa.func.word_similarity(query.folded, text) for text in texts))


def near_misses(columns: Sequence, query: Query) -> sa.ColumnElement:
    """Texts that come close to the query without containing it (typos): PostgreSQL's trigram
    word similarity (`%>`, behind the GIN indexes); on SQLite the texts sharing the first three
    letters of a word of the query, which `rank` then keeps only if a word is close enough."""
    texts = [folded(column) for column in columns]
    words = {part for word in query.words for part in _WORD_BREAK.split(word) if len(part) >= 3}
    starts = [_contains(text, word[:3]) for word in sorted(words) for text in texts]
    if _is_postgresql():
        # the trigram score misses a near miss inside a double name ("Lefebvre" and "Lefèvre-…"
        # score 0.55): the texts sharing three letters are compared part by part too
        starts += [text.op("%>")(query.folded) for text in texts]
    return sa.or_(*starts) if starts else sa.false()


def _contains_every_word(query: Query, texts: Sequence[str]) -> bool:
    return all(any(word in text for text in texts) for word in query.words)


def _closeness(query: Query, texts: Sequence[str]) -> float:
    words = [w for text in texts for w in _WORD_BREAK.split(text) if w]
    if not words:
        return 0.0
    if any(query.folded in text for text in texts):
        exact = any(query.folded == text or text.startswith(query.folded) for text in texts)
        return 1.0 if exact else 0.9
    if _contains_every_word(query, texts):
        return 0.85
    parts = [part for word in query.words for part in _WORD_BREAK.split(word) if part]
    return min(max(difflib.SequenceMatcher(None, q, w).ratio() for w in words) for q in parts)


def rank(hits: list[Hit], query: Query, limit: int) -> list[Hit]:
    """Best first: what contains every word of the query, and the near misses — a word as close as
    `NEAR_MISS` (part by part) or, on PostgreSQL, a trigram score of `TRIGRAM_NEAR_MISS`."""
    trigrams = _is_postgresql()
    kept = []
    for hit in hits:
        closeness = _closeness(query, hit.texts)
        if closeness >= NEAR_MISS or (trigrams and hit.score >= TRIGRAM_NEAR_MISS):
            kept.append(Hit(hit.title, hit.link, hit.detail, hit.texts, max(closeness, hit.score)))
    return sorted(kept, key=lambda h: (-h.score, h.title))[:limit]


def by_reference(model, query: Query) -> sa.ColumnElement | None:
    """The clause naming the record of `model` whose reference (V-2027-0001) the query is, if it is one."""
    parsed = parse_reference(model.REFERENCE_PREFIX, query.raw.upper())
    return sa.and_(model.year == parsed[0], model.number == parsed[1]) if parsed else None


def record_link(endpoint: str, prefix: str, **values) -> Callable[[int, int], tuple[str, str]]:
    """(reference, link) of a record page from a row's year and number: the link is built from
    one template, not asked of the URL map once per hit."""
    template = path_for(endpoint, reference="REFERENCE", **values)

    def link(year: int, number: int) -> tuple[str, str]:
        reference = format_reference(prefix, year, number)
        return reference, template.replace("REFERENCE", reference)

    return link


def find(stmt: sa.Select, columns: Sequence, query: Query, limit: int, to_hit: Callable[[sa.Row], Hit], *,
         exact: sa.ColumnElement | None = None) -> list[Hit]:
    """The rows of `stmt` (already narrowed to what the user may see) whose `columns` match the
    query, or which `exact` names (a reference), as ranked hits; `to_hit` makes a row a hit."""
    where, score = text_match(columns, query)
    if exact is not None:
        where, score = sa.or_(where, exact), sa.case((exact, 1.0), else_=score)
    shown = stmt.add_columns(score.label("search_score"),
                             *(folded(c).label(f"search_text_{n}") for n, c in enumerate(columns)))
    # Ranking needs every match scored: a query as broad as "Gast" matches thousands, so the
    # database ranks only the first matches it finds (CANDIDATES), which for a name typed in
    # full are all there are.
    found = shown.where(where).limit(CANDIDATES).subquery()
    rows = db.session.execute(sa.select(found).order_by(found.c.search_score.desc()).limit(limit * 3)).all()
    # The near misses (typos) always, so that a search costs the same statements however many
    # records match: two per kind.
    seen = {tuple(row) for row in rows}
    near = shown.where(near_misses(columns, query)).limit(CANDIDATES).subquery()
    rows += [row for row in db.session.execute(
        sa.select(near).order_by(near.c.search_score.desc()).limit(limit * 3)).all() if tuple(row) not in seen]
    hits = []
    for row in rows:
        hit = to_hit(row)
        texts = tuple(getattr(row, f"search_text_{n}") or "" for n in range(len(columns)))
        hits.append(Hit(hit.title, hit.link, hit.detail, texts, float(row.search_score or 0)))
    if exact is not None and not _is_postgresql():
        # A reference typed in full is the best hit there is, on either database (PostgreSQL's
        # score is 1.0 for it already).
        return [h for h in hits if h.score == 1.0] + rank([h for h in hits if h.score != 1.0], query, limit)
    return rank(hits, query, limit)


def find_records(model, endpoint: str, stmt: sa.Select, columns: Sequence, query: Query, limit: int,
                 detail: Callable[[sa.Row, str], str]) -> list[Hit]:
    """Records with a reference (events, cases, assignments, visits) by their reference or by
    `columns`, each hit linking to the record's page: `stmt` selects year, number and what
    `detail(row, reference)` shows; the hit's title is the first of `columns`."""
    link = record_link(endpoint, model.REFERENCE_PREFIX)
    title = columns[0].key

    def to_hit(row) -> Hit:
        reference, url = link(row.year, row.number)
        return Hit(title=getattr(row, title), link=url, detail=detail(row, reference))

    return find(stmt, columns, query, limit, to_hit, exact=by_reference(model, query))


def search(user, raw: str | None, per_kind: int = PER_KIND) -> list[Group]:
    """Every kind's hits for the query that `user` may see, kinds in their order, empty kinds left out."""
    query = parse(raw)
    if query is None:
        return []
    if _is_postgresql():
        # The driver prepares a statement run often; PostgreSQL's generic plan for it cannot know
        # how many rows a pattern matches and may scan a whole table ("Gast Nummer 1234": 300 ms
        # instead of 25). The search plans each query for its own words.
        db.session.execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))
    groups = []
    for kind in sorted(_KINDS.values(), key=lambda k: k.order):
        hits = kind.provider(user, query, per_kind)
        if hits:
            groups.append(Group(kind=kind, hits=hits))
    return groups


__all__ = ["Hit", "Query", "by_reference", "find", "find_records", "record_link", "fold", "folded", "near_misses", "parse", "rank", "register_kind", "search",
           "text_match"]
