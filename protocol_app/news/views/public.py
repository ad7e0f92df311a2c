"""The public routes of the news: the Atom feed and the JSON list the website reads, and the
photos of published notes. They need no login (the website's visitors have none), are
rate-limited per address and answered from the publication cache with an ETag."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, request, send_file, url_for

from ...core.permissions import public
from ...extensions import db, limiter
from .. import publication
from ..models import LANGUAGES, NewsNote
from ..workflow import NoteState

bp = Blueprint("news_public", __name__, url_prefix="/public/news")
#: Browsers and the website's proxy may keep an answer this long (seconds); the ETag saves the rest.
MAX_AGE = 300
RATE_LIMIT = "120 per minute"


def _language(language: str) -> str:
    if language not in LANGUAGES:
        abort(404)
    return language


def _photo_url(note: NewsNote) -> str:
    return url_for("news_public.photo", note_id=note.id)


def _answer(etag: str, render, mimetype: str) -> Response:
    if etag in request.if_none_match:
        response = Response(status=304)
    else:
        response = Response(publication.cached(etag, render), mimetype=mimetype)
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.headers["Access-Control-Allow-Origin"] = "*"  # the website's pages read the JSON list
    return response


@bp.route("/<language>/feed.atom")
@public  # the public website and feed readers: only published notes, nothing else
@limiter.limit(RATE_LIMIT)
def feed(language: str):
    language = _language(language)
    base = current_app.config["BASE_URL"].rstrip("/")
    feed_url = base + url_for("news_public.feed", language=language)
    etag = publication.state_tag("atom", language, base)
    return _answer(etag, lambda: publication.atom_feed(language, base_url=base, feed_url=feed_url,
                                                       photo_url=_photo_url), "application/atom+xml")


@bp.route("/<language>/news.json")
@public  # the public website's "Aktuelles" and "Rückblick": only published notes
@limiter.limit(RATE_LIMIT)
def news_list(language: str):
    language = _language(language)
    section = request.args.get("section", "aktuelles")
    if section not in publication.SECTIONS:
        abort(404)
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= 10000:
        abort(404)
    base = current_app.config["BASE_URL"].rstrip("/")
    etag = publication.state_tag("json", language, section, page, base)

    def render() -> bytes:
        body = publication.note_list(language, section, page, base_url=base, photo_url=_photo_url)
        return json.dumps(body, ensure_ascii=False).encode()

    return _answer(etag, render, "application/json")


@bp.route("/<int:note_id>/photo")
@public  # the photo of a published note, shown on the website beside it
@limiter.limit(RATE_LIMIT)
def photo(note_id: int):
    note = db.session.get(NewsNote, note_id)
    if note is None or note.state != NoteState.PUBLISHED.value or note.photo is None:
        abort(404)
    response = send_file(note.photo.path, mimetype=note.photo.content_type, max_age=MAX_AGE, conditional=True)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
