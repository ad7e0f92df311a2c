"""What the public website reads: the published notes as an Atom feed and as a JSON list, in
German or English, "Aktuelles" (coming and recent) or "Rückblick" (past).

Both are built from one cheap query and answered from a small cache keyed by the state of the
notes (their count and latest change) and the day, so that the website's visitors polling the
feed cost one aggregate query each, and a withdrawn note is gone with the next request.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import selectinload

from ..core.time import today_berlin
from ..extensions import db
from .models import NewsNote
from .workflow import NoteState

#: A note stays in "Aktuelles" for this many days after its visit or event, then moves to "Rückblick".
CURRENT_DAYS = 60
SECTIONS = ("aktuelles", "rueckblick")
#: Items per page of the JSON list, and entries in the feed.
PAGE_SIZE = 50
FEED_TITLES = {"de": "Berlin International: Aktuelles", "en": "Berlin International: News"}
SECTION_TITLES = {("de", "aktuelles"): "Aktuelles", ("de", "rueckblick"): "Rückblick",
                  ("en", "aktuelles"): "Current", ("en", "rueckblick"): "Review"}


#: Rendered bodies by ETag, the least recently used dropped first.
_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CACHE_SIZE = 64
_LOCK = threading.Lock()


def state_tag(*key) -> str:
    """An ETag for `key` as the notes stand now: it changes with any note's change and each day."""
    count, latest = db.session.execute(sa.select(sa.func.count(NewsNote.id), sa.func.max(NewsNote.updated_at))).one()
    raw = "|".join(str(part) for part in (*key, count, latest, today_berlin()))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def cached(etag: str, render) -> bytes:
    """The body for `etag`, rendered once per state of the notes (and process)."""
    with _LOCK:
        hit = _CACHE.get(etag)
        if hit is not None:
            _CACHE.move_to_end(etag)
            return hit
    rendered = render()
    with _LOCK:
        _CACHE[etag] = rendered
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return rendered


def published(section: str | None = None, *, page: int = 1, today: date | None = None) -> list[NewsNote]:
    """The published notes, latest occasion first; `section` "aktuelles" or "rueckblick" (None: all)."""
    stmt = sa.select(NewsNote).where(NewsNote.state == NoteState.PUBLISHED.value)
    boundary = (today or today_berlin()) - timedelta(days=CURRENT_DAYS)
    if section == "aktuelles":
        stmt = stmt.where(NewsNote.occasion_on >= boundary)
    elif section == "rueckblick":
        stmt = stmt.where(NewsNote.occasion_on < boundary)
    stmt = stmt.options(selectinload(NewsNote.photo)).order_by(NewsNote.occasion_on.desc(), NewsNote.published_at.desc(), NewsNote.id.desc())
    return list(db.session.scalars(stmt.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))


def _photo(note: NewsNote, base_url: str, photo_url) -> dict | None:
    if note.photo_id is None:
        return None
    return {"url": base_url + photo_url(note), "credit": note.photo_credit or ""}


def note_item(note: NewsNote, language: str, base_url: str, photo_url) -> dict:
    """One note as the JSON list gives it."""
    return {"id": note.id, "title": note.text("title", language), "lead": note.text("lead", language),
            "text": note.text("text", language), "date": note.occasion_on.isoformat(),
            "published": note.published_at.isoformat(), "updated": note.updated_at.isoformat(),
            "photo": _photo(note, base_url, photo_url)}


def note_list(language: str, section: str, page: int, *, base_url: str, photo_url) -> dict:
    """The JSON list of one section, a page at a time."""
    notes = published(section, page=page)
    return {"language": language, "section": section, "title": SECTION_TITLES[(language, section)], "page": page,
            "has_more": len(notes) > PAGE_SIZE,
            "items": [note_item(n, language, base_url, photo_url) for n in notes[:PAGE_SIZE]]}


def atom_feed(language: str, *, base_url: str, feed_url: str, photo_url) -> bytes:
    """The Atom feed (RFC 4287) of the latest published notes in one language."""
    notes = published()[:PAGE_SIZE]
    # With nothing published the feed is as old as the office's first note could be.
    updated = max((n.updated_at for n in notes), default=datetime(2026, 1, 1, tzinfo=UTC))
    return render_template("news/feed.atom.xml",  # .xml: Flask escapes it
                           language=language, title=FEED_TITLES[language], feed_url=feed_url,
                           updated=updated, notes=notes, photo=lambda n: base_url + photo_url(n)).encode()
