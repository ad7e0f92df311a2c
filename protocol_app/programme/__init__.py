"""Timed programme items, shared by every domain that schedules something (layer 3, between
the shared kernel and the domains): the columns every item has, the search for overlapping
use of a venue, a host or a person, and the locks that make double booking a guarantee."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..core.audit import changes_of, record_event
from ..core.db import UTCDateTime, VersionedMixin, advisory_lock, span_overlaps
from ..core.enums import LabelledEnum
from ..core.errors import DomainError, ValidationFailed
from ..core.i18n import format_d
from ..core.languages import check_language
from ..core.time import BERLIN
from ..extensions import db


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


class InterpretingMode(LabelledEnum):
    CONSECUTIVE = "consecutive", _l("Consecutive")
    SIMULTANEOUS = "simultaneous", _l("Simultaneous")
    WHISPERED = "whispered", _l("Whispered (chuchotage)")


class InterpretingBookingMixin:
    """The Sprachendienst's booking for an item, once its interpreter need was handed over.

    The booking is the Sprachendienst's record; the item keeps only its id (no foreign key: this
    layer lies below the domains and knows none of their tables; bookings are cancelled, never
    deleted) and changes it only through `language_service.interpreting`."""

    @declared_attr
    def assignment_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.Integer, unique=True)


class InterpreterNeedMixin(InterpretingBookingMixin):
    """An item's interpreter need and the Sprachendienst's booking for it."""

    #: ISO 639-1 code of the language to interpret from German, if an interpreter is needed.
    interpreter_language: Mapped[str | None] = mapped_column(sa.String(3))
    interpreter_mode: Mapped[str | None] = mapped_column(sa.String(15))

    @property
    def interpreter_mode_label(self):
        return InterpretingMode(self.interpreter_mode).label if self.interpreter_mode else ""


def interpreter_need_complete():
    """The table constraint that a language comes with its mode."""
    return sa.CheckConstraint("(interpreter_language IS NULL) = (interpreter_mode IS NULL)",
                              name="interpreter_complete")


def check_interpreter_need(language: str | None, mode: str | None) -> tuple[str | None, str | None]:
    """The (language, mode) of an item's interpreter need, or (None, None) for none; German is
    the office's own language and needs no interpreter."""
    if not (language or "").strip():
        if mode:
            raise ValidationFailed(_l("Please give the language to interpret."), field="interpreter_language")
        return None, None
    language = check_language(language, field="interpreter_language")
    if language == "de":
        raise ValidationFailed(_l("The programme is in German; please give the guest's language."),
                               field="interpreter_language")
    if mode not in {m.value for m in InterpretingMode}:
        raise ValidationFailed(_l("Please choose simultaneous, consecutive or whispered."), field="interpreter_mode")
    return language, mode


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
    """A WHERE clause for items of `model` overlapping [starts_at, ends_at) (on PostgreSQL
    answered by the GiST index over the items' spans)."""
    if ends_at <= starts_at:  # no span to look up as a range (and tstzrange refuses it)
        return sa.and_(model.starts_at < ends_at, model.ends_at > starts_at)
    return span_overlaps(model.starts_at, model.ends_at, sa.literal(starts_at, UTCDateTime()),
                         sa.literal(ends_at, UTCDateTime()))


@dataclass(frozen=True)
class Conflict:
    """Another item that uses the same venue, host or person at the same time."""

    reason: str  # "venue", "host", "officer"
    label: object
    other_title: str
    other_starts_at: datetime
    other_ends_at: datetime
    link: str


# --- who occupies what: every domain with programme items registers a source ---------

#: source(starts_at, ends_at, venue_id, host_ids, officer_id, exclude_item, own_parent) -> conflicts;
#: exclude_item and own_parent are ("visit"|"event", id) or None.
OccupancySource = Callable[..., list[Conflict]]
_OCCUPANCY: dict[str, OccupancySource] = {}


def register_occupancy(name: str, source: OccupancySource) -> None:
    """Register a domain's search for items using a venue, host or officer at a time."""
    _OCCUPANCY[name] = source


def occupancy_source(*, kind: str, item_model, parent_model, parent_fk, hosts_table, active_states,
                     endpoint: str) -> OccupancySource:
    """Build a domain's occupancy search over its programme items and their parent records.

    The parent (visit, event) carries `reference`, `state` and `responsible_officer_id`;
    `hosts_table` links items to hosts by (item_id, host_id).
    """
    from ..core.urls import path_for

    def source(starts_at, ends_at, venue_id, host_ids, officer_id, exclude_item, own_parent):
        item, parent = item_model, parent_model
        base = (
            sa.select(item, parent)
            .join(parent, parent_fk == parent.id)
            .where(overlaps(item, starts_at, ends_at), parent.state.in_(active_states))
        )
        if exclude_item and exclude_item[0] == kind:
            base = base.where(item.id != exclude_item[1])
        checks = []
        if venue_id:
            checks.append(("venue", _l("Same venue"), item.venue_id == venue_id))
        if host_ids:
            checks.append(("host", _l("Same host"), sa.exists().where(
                hosts_table.c.item_id == item.id, hosts_table.c.host_id.in_(host_ids))))
        if officer_id:
            # The items of one parent all share its officer: only other parents count.
            own = own_parent[1] if own_parent and own_parent[0] == kind else None
            checks.append(("officer", _l("Same responsible officer"),
                           sa.and_(parent.responsible_officer_id == officer_id, parent.id != own)))
        conflicts = []
        for reason, label, condition in checks:
            for other, owner in db.session.execute(base.where(condition).limit(20)):
                conflicts.append(Conflict(
                    reason, label, f"{owner.reference}: {other.title}", other.starts_at, other.ends_at,
                    path_for(endpoint, reference=owner.reference, _anchor=f"item-{other.id}"),
                ))
        return conflicts

    return source


def hosts_by_ids(host_ids) -> list:
    """The hosts with the given ids; an unknown id is a validation error."""
    from ..directory.models import Host

    ids = {int(i) for i in host_ids or ()}
    if not ids:
        return []
    hosts = list(db.session.scalars(sa.select(Host).where(Host.id.in_(ids))))
    if len(hosts) != len(ids):
        raise ValidationFailed(_l("Unknown host."), field="host_ids")
    return hosts


def lock_occupants(*, venue_id=None, host_ids=(), officer_id=None) -> None:
    """Serialise saves that could double-book the same venue, host or officer.

    Taken before the conflict search, so a concurrent save of the same room at the same
    time searches only after this one has committed — and then finds it.
    """
    keys = [f"venue:{venue_id}"] if venue_id else []
    keys += [f"host:{int(h)}" for h in host_ids or ()]
    if officer_id:
        keys.append(f"officer:{officer_id}")
    advisory_lock(*keys)


def check_double_booking(*, starts_at, ends_at, venue_id=None, host_ids=(), officer_id=None,
                         exclude_item=None, own_parent=None, conflict_reason=None) -> tuple[list, str | None]:
    """Lock the occupants, then search every domain for double bookings.

    Returns (conflicts, reason); raises ConflictsFound when there are conflicts and no reason.
    """
    lock_occupants(venue_id=venue_id, host_ids=host_ids, officer_id=officer_id)
    conflicts = find_conflicts(starts_at=starts_at, ends_at=ends_at, venue_id=venue_id, host_ids=host_ids,
                               officer_id=officer_id, exclude_item=exclude_item, own_parent=own_parent)
    reason = (conflict_reason or "").strip() or None
    if conflicts and not reason:
        raise ConflictsFound(conflicts)
    return conflicts, reason


def find_conflicts(*, starts_at, ends_at, venue_id, host_ids, officer_id, exclude_item=None,
                   own_parent=None) -> list[Conflict]:
    """Items of every domain that would be double-booked by the given item."""
    conflicts: list[Conflict] = []
    for source in _OCCUPANCY.values():
        conflicts.extend(source(starts_at, ends_at, venue_id, list(host_ids), officer_id,
                                exclude_item, own_parent))
    return conflicts


class ConflictsFound(DomainError):
    """Saving would double-book a venue, host or officer; the user may override with a reason."""

    def __init__(self, conflicts: list[Conflict]):
        super().__init__(
            _l("This item overlaps with other appointments. Save anyway only with a reason."),
            field="conflict_reason",
        )
        self.conflicts = conflicts


#: Fields every programme item has, as service keywords.
ITEM_FIELDS = ("starts_at", "ends_at", "title", "venue_id", "location", "participants",
               "dress_code", "press", "notes")


def check_item_times(values: dict, first: date, last: date) -> None:
    """End after start, and both within the days of the visit or event."""
    from ..directory.models import Venue

    if values["ends_at"] <= values["starts_at"]:
        raise ValidationFailed(_l("The end must be after the start."), field="ends_at")
    for field in ("starts_at", "ends_at"):
        if not (first <= values[field].astimezone(BERLIN).date() <= last):
            raise ValidationFailed(
                _l("The item must lie between %(first)s and %(last)s.",
                   first=format_d(first), last=format_d(last)),
                field=field,
            )
    if values.get("venue_id") and db.session.get(Venue, values["venue_id"]) is None:
        raise ValidationFailed(_l("Unknown venue."), field="venue_id")


def save_item(item, *, values: dict, hosts: list, officer_id, kind: str, parent_id: int,
              conflict_reason: str | None, actor, audit_prefix: str):
    """Check for double bookings, then write a programme item's values and audit it.

    `item` is new (no id) or loaded; `kind` names the domain ("visit", "event").
    """
    is_new = item.id is None
    conflicts, reason = check_double_booking(
        starts_at=values["starts_at"], ends_at=values["ends_at"], venue_id=values.get("venue_id"),
        host_ids=[h.id for h in hosts], officer_id=officer_id,
        exclude_item=None if is_new else (kind, item.id), own_parent=(kind, parent_id),
        conflict_reason=conflict_reason,
    )
    if is_new:
        db.session.add(item)
    for key, value in values.items():
        setattr(item, key, value)
    item.conflict_reason = reason if conflicts else None
    changes = changes_of(item)
    item.hosts = hosts
    db.session.flush()
    record_event(
        f"{audit_prefix}.programme_create" if is_new else f"{audit_prefix}.programme_update",
        actor=actor, target=item, changes=changes,
        summary=f"saved despite {len(conflicts)} conflict(s)" if conflicts else None,
    )
    return item

