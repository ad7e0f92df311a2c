"""Search, sort and paginate a list page from URL parameters (shared by all lists)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import request

from ..extensions import db
from .search import Query, text_match
from .search.folding import fold, sortable

PER_PAGE_CHOICES = (25, 50, 100)
#: A list counts its matches up to this many past its page's last row, and says "more than"
#: beyond: counting all 20,000 visits on every view of the list cost more than its page of rows,
#: and nobody pages through a thousand entries instead of filtering.
COUNT_AHEAD = 1000


@dataclass
class Listing:
    """A page of results plus what the template needs to render controls."""

    items: list
    page: int
    per_page: int
    total: int
    sort: str
    direction: str
    query: str
    #: False when there are more entries than `total` (the count stopped at COUNT_AHEAD).
    exact: bool = True

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _int_arg(name: str, default: int) -> int:
    try:
        return max(1, int(request.args.get(name, default)))
    except (TypeError, ValueError):
        return default


def search_clause(query: str, columns):
    """Every word of `query` a part of one of `columns`, both sides folded alike on either
    database ("Öhlschläger", "ohlschlaeger" and "hlschläger" find "Öhlschläger")."""
    return text_match(columns, Query(raw=query, folded=fold(query)))[0]


def _sort_order(column, direction: str) -> list:
    """A text column sorts by its folded key (then by itself, so that equal keys stay in order)."""
    keys = [sortable(column), column] if isinstance(getattr(column, "type", None), sa.String) else [column]
    return [key.desc() if direction == "desc" else key.asc() for key in keys]


def year_arg(name: str = "year") -> int:
    """The year a page is asked for (?year= or a form's year), this year in Berlin when it is
    missing or outside the years the app knows."""
    from .time import EARLIEST_YEAR, LATEST_YEAR, today_berlin

    raw = (request.args.get(name) or request.form.get(name) or "").strip()
    return int(raw) if raw.isdigit() and EARLIEST_YEAR <= int(raw) <= LATEST_YEAR else today_berlin().year


def year_range(earliest: int | None = None, span: int = 10) -> tuple[int, int]:
    """The ?from= and ?to= years of a report page, by default the last `span` years.

    A range outside [earliest, LATEST_YEAR] or the wrong way round falls back to the default, with a message.
    """
    from flask import flash
    from flask_babel import gettext as _

    from .time import EARLIEST_YEAR, LATEST_YEAR, today_berlin

    earliest = earliest or EARLIEST_YEAR
    this_year = today_berlin().year
    year_from = request.args.get("from", type=int) or this_year - span + 1
    year_to = request.args.get("to", type=int) or this_year
    if not earliest <= year_from <= year_to <= LATEST_YEAR:
        flash(_("Please give a range of years from %(earliest)s to %(latest)s, the first not after the last.",
                earliest=earliest, latest=LATEST_YEAR), "warning")
        return this_year - span + 1, this_year
    return year_from, year_to


def choice_arg(name: str, choices, args=None) -> str | None:
    """The ?name= argument when it is one of the enum `choices`' values, else None: a hand-edited
    or outdated address filters nothing rather than failing or showing an empty list."""
    value = (request.args if args is None else args).get(name)
    return value if value in {choice.value for choice in choices} else None


def search_query() -> str:
    """The ?q= search text of the request, trimmed."""
    return (request.args.get("q") or "").strip()[:100]


def paginate(
    stmt: sa.Select,
    *,
    sortable: dict[str, sa.ColumnElement | tuple],
    default_sort: str,
    default_direction: str = "asc",
    searchable: tuple[sa.ColumnElement, ...] = (),
    choices: dict[str, tuple[sa.ColumnElement, type]] | None = None,
) -> Listing:
    """Apply ?q=, ?sort=, ?dir=, ?page= and ?per_page= to `stmt` and run it.

    `choices` names the list's filters by one of an enum's values (?state=, ?kind=): argument →
    (column, enum); a value the enum does not know is ignored (`choice_arg`).

    Unknown sort keys fall back to the default, so a hand-edited URL never fails. The count
    stops COUNT_AHEAD entries past the page's last row (`Listing.exact` tells).
    """
    for name, (column, enum) in (choices or {}).items():
        if (value := choice_arg(name, enum)) is not None:
            stmt = stmt.where(column == value)
    query = search_query()
    if query and searchable:
        stmt = stmt.where(search_clause(query, searchable))
    sort = request.args.get("sort", default_sort)
    if sort not in sortable:
        sort = default_sort
    direction = request.args.get("dir", default_direction)
    if direction not in ("asc", "desc"):
        direction = default_direction
    # A sort key may stand for several columns (e.g. rank, then seniority, then name).
    columns = sortable[sort] if isinstance(sortable[sort], tuple | list) else (sortable[sort],)
    per_page = _int_arg("per_page", PER_PAGE_CHOICES[0])
    if per_page not in PER_PAGE_CHOICES:
        per_page = PER_PAGE_CHOICES[0]
    page = _int_arg("page", 1)
    counted_up_to = page * per_page + COUNT_AHEAD
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).limit(counted_up_to + 1).subquery()))
    exact = total <= counted_up_to
    total = min(total, counted_up_to)
    pages = max(1, -(-total // per_page))
    page = min(page, pages)
    order = [key for column in columns for key in _sort_order(column, direction)]
    # Rows equal in the sort key (notifications of one sweep share their moment) come in no fixed
    # order; without the key as the last word a row could show on two pages and another on none.
    entity = stmt.column_descriptions[0].get("entity")
    if entity is not None:
        order += [key.desc() if direction == "desc" else key.asc() for key in sa.inspect(entity).primary_key]
    items = list(
        db.session.scalars(stmt.order_by(*order).limit(per_page).offset((page - 1) * per_page))
        .unique()
    )
    return Listing(items, page, per_page, total, sort, direction, query, exact)
