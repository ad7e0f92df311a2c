"""Pages of a list in the API: `page` and `per_page` asked, the items and the counts answered."""

from __future__ import annotations

import marshmallow as ma
from marshmallow.validate import Range

from ...extensions import db

MAX_PER_PAGE = 100


class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=Range(min=1, max=100_000), metadata={"description": "Page, from 1."})
    per_page = ma.fields.Integer(load_default=25, validate=Range(min=1, max=MAX_PER_PAGE),
                                 metadata={"description": f"Items per page, at most {MAX_PER_PAGE}."})


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The schema of one page of `item_schema` items."""
    return ma.Schema.from_dict({
        "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
        "page": ma.fields.Integer(required=True),
        "per_page": ma.fields.Integer(required=True),
        "total": ma.fields.Integer(required=True, metadata={"description": "Items on all pages."}),
    }, name=name)


def page_of(stmt, args: dict, *, narrowed_by: dict | None = None) -> dict:
    """One page of the query's results, for a `page_schema` response; `narrowed_by` maps a query
    argument to the column it must equal when it is given ({"state": Visit.state})."""
    for name, column in (narrowed_by or {}).items():
        if args.get(name):
            stmt = stmt.where(column == args[name])
    found = db.paginate(stmt, page=args["page"], per_page=args["per_page"], error_out=False, count=True)
    return {"items": list(found.items), "page": args["page"], "per_page": args["per_page"], "total": found.total}
