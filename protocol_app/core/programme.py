"""Timed programme items, shared by visits and events: the columns every item
has and the search for overlapping use of a venue, a host or a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from .db import UTCDateTime, VersionedMixin
from .enums import LabelledEnum


class DressCode(LabelledEnum):
    NONE = "none", _l("No dress code")
    BUSINESS = "business", _l("Business attire (dark suit)")
    FORMAL = "formal", _l("Formal (tailcoat / evening dress)")
    BLACK_TIE = "black_tie", _l("Black tie")
    NATIONAL = "national", _l("National dress welcome")


class PressAccess(LabelledEnum):
    NONE = "none", _l("No press")
    OPEN = "open", _l("Open to the press")
    CLOSED = "closed", _l("Closed (photo opportunity only)")


class ProgrammeItemMixin(VersionedMixin):
    """Columns of a timed programme item."""

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    location: Mapped[str | None] = mapped_column(sa.String(300))
    participants: Mapped[str | None] = mapped_column(sa.Text)
    dress_code: Mapped[str] = mapped_column(sa.String(20), default=DressCode.NONE.value, nullable=False)
    press: Mapped[str] = mapped_column(sa.String(10), default=PressAccess.NONE.value, nullable=False)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    #: Why the item was saved despite a conflict warning (None: no conflict).
    conflict_reason: Mapped[str | None] = mapped_column(sa.Text)

    @declared_attr
    def venue_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("venues.id"), index=True)

    @declared_attr
    def venue(cls):
        return relationship("Venue", lazy="joined")

    @property
    def dress_code_label(self):
        return DressCode(self.dress_code).label

    @property
    def press_label(self):
        return PressAccess(self.press).label


def overlaps(model, starts_at: datetime, ends_at: datetime):
    """A WHERE clause for items of `model` overlapping [starts_at, ends_at)."""
    return sa.and_(model.starts_at < ends_at, model.ends_at > starts_at)


@dataclass(frozen=True)
class Conflict:
    """Another item that uses the same venue, host or person at the same time."""

    reason: str  # "venue", "host", "officer"
    label: object
    other_title: str
    other_starts_at: datetime
    other_ends_at: datetime
    link: str
