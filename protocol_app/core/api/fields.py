"""Fields of the API's schemas that hold input to what the pages' forms hold it to."""

from __future__ import annotations

from datetime import UTC, datetime

import marshmallow as ma
from marshmallow.validate import Length, Range

from ..forms import plain_text_problem

#: Ids and counts fit the database's integer (a larger number can name no record).
MAX_ID = 2**31 - 1
#: Moments the office plans lie in this range (Python's and the database's calendars end elsewhere).
EARLIEST, LATEST = datetime(1900, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)


def _plain(text: str) -> None:
    problem = plain_text_problem(text)
    if problem is not None:
        raise ma.ValidationError(str(problem))


def Text(max_length: int, *, required: bool = False, **kwargs) -> ma.fields.String:  # noqa: N802 (used like a field class)
    """Plain text of at most `max_length` characters: no control characters, no HTML tags; a
    required one not empty."""
    return ma.fields.String(required=required, validate=[Length(min=1 if required else 0, max=max_length), _plain],
                            **kwargs)


def Id(**kwargs) -> ma.fields.Integer:  # noqa: N802
    """The number of a record."""
    return ma.fields.Integer(strict=True, validate=Range(min=1, max=MAX_ID), **kwargs)


def Moment(**kwargs) -> ma.fields.AwareDateTime:  # noqa: N802
    """A moment with its offset (RFC 3339), e.g. 2027-05-04T10:00:00+02:00."""
    return ma.fields.AwareDateTime(validate=Range(min=EARLIEST, max=LATEST, max_inclusive=False), **kwargs)


def Choice(values, **kwargs) -> ma.fields.String:  # noqa: N802
    """One of an enum's stored values (documented as the schema's enum)."""
    return ma.fields.String(validate=ma.validate.OneOf([getattr(v, "value", v) for v in values]), **kwargs)


def Maybe(field: ma.fields.Field) -> ma.fields.Field:
    """An answer's field that may be null (OpenAPI 3.1: its type lists "null")."""
    field.allow_none = True
    return field
