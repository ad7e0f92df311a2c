"""Events and the recurring occasions they are made from."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import TimestampMixin, UTCDateTime, VersionedMixin, enum_check
from ..core.enums import LabelledEnum
from ..core.files import AttachmentMixin
from ..core.references import ReferencedMixin
from ..core.sealing import sealed_column
from ..core.workflow import WorkflowMixin
from ..directory.models import GuestCategory
from ..directory.salutations import PostalAddressMixin, SalutationForm, salutation
from ..extensions import db
from ..programme import (
    DressCode,
    InterpreterNeedMixin,
    PressAccess,
    ProgrammeItemMixin,
    interpreter_need_complete,
)
from .workflow import EVENT_WORKFLOW, GUEST_WORKFLOW, EventState, GuestStatus  # noqa: F401 (GuestStatus: the area's name for it)

REFERENCE_PREFIX = "E"


class EventKind(LabelledEnum):
    CEREMONY = "ceremony", _l("Ceremony")
    COMMEMORATION = "commemoration", _l("Commemoration")
    RECEPTION = "reception", _l("Reception")
    AWARD_CEREMONY = "award_ceremony", _l("Award ceremony")
    WREATH_LAYING = "wreath_laying", _l("Wreath-laying")
    OTHER = "other", _l("Other")


class OccasionTemplate(TimestampMixin, db.Model):
    """A yearly occasion (27 January, 1 October, …) from which each year's event is made."""

    __tablename__ = "occasion_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    #: Date rule: the same calendar day every year.
    month: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    day: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    start_time: Mapped[time] = mapped_column(sa.Time, nullable=False)
    duration_minutes: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=120)
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"))
    #: Guest categories usually invited, as comma-separated GuestCategory values.
    guest_categories: Mapped[str] = mapped_column(sa.String(300), default="", server_default="", nullable=False)
    #: Applied to each year's event when it is made from the occasion.
    checklist_template_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("checklist_templates.id", ondelete="SET NULL"))
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, nullable=False)

    venue = relationship("Venue", lazy="joined")
    checklist_template = relationship("ChecklistTemplate")

    __table_args__ = (
        enum_check("kind", EventKind),
        sa.CheckConstraint("month BETWEEN 1 AND 12 AND day BETWEEN 1 AND 31", name="date_rule_valid"),
        sa.CheckConstraint("duration_minutes > 0", name="duration_positive"),
    )

    @property
    def kind_label(self):
        return EventKind(self.kind).label

    @property
    def date_rule(self) -> str:
        return f"{self.day:02d}.{self.month:02d}."

    @property
    def category_values(self) -> list[str]:
        known = {c.value for c in GuestCategory}
        return [v for v in (self.guest_categories or "").split(",") if v in known]

    @property
    def category_labels(self) -> list:
        return [GuestCategory(v).label for v in self.category_values]

    def __str__(self) -> str:
        return self.name


event_programme_item_hosts = sa.Table(
    "event_programme_item_hosts",
    db.metadata,
    sa.Column("item_id", sa.ForeignKey("event_programme_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("host_id", sa.ForeignKey("hosts.id"), primary_key=True, index=True),
)


class Event(ReferencedMixin, WorkflowMixin, TimestampMixin, db.Model):
    __tablename__ = "events"
    __workflow__ = EVENT_WORKFLOW

    REFERENCE_PREFIX = REFERENCE_PREFIX

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False, index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"))
    host_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hosts.id"))
    #: The city partnership the event belongs to (a jubilee, BerlinDays), if any.
    partner_city_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partner_cities.id"), index=True)
    responsible_officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    capacity: Mapped[int | None] = mapped_column(sa.Integer)
    dress_code: Mapped[str] = mapped_column(sa.String(20), default=DressCode.NONE.value, nullable=False)
    press: Mapped[str] = mapped_column(sa.String(10), default=PressAccess.NONE.value, nullable=False)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    occasion_id: Mapped[int | None] = mapped_column(sa.ForeignKey("occasion_templates.id"))
    #: Last day on which guests can answer through their reply link.
    reply_by: Mapped[date | None] = mapped_column(sa.Date)
    #: Until this day (Berlin) only honours roles see who is on the guest list: an award
    #: ceremony's awardees are confidential until the award is announced.
    embargo_until: Mapped[date | None] = mapped_column(sa.Date)
    #: Why the event was kept in its venue despite another booking there (None: no overlap).
    conflict_reason: Mapped[str | None] = mapped_column(sa.Text)
    #: What the reply page asks beyond yes or no (`needs.Question` values, comma-separated), and
    #: which of those a guest who accepts must answer.
    reply_questions: Mapped[str | None] = mapped_column(sa.String(60))
    reply_required: Mapped[str | None] = mapped_column(sa.String(60))

    venue = relationship("Venue", lazy="joined")
    host = relationship("Host", lazy="joined")
    responsible_officer = relationship("User", lazy="joined")
    occasion = relationship("OccasionTemplate")
    programme: Mapped[list[EventProgrammeItem]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventProgrammeItem.starts_at"
    )

    __table_args__ = (
        sa.UniqueConstraint("year", "number", name="uq_events_year_number"),
        # Each occasion is made into an event once a year.
        sa.UniqueConstraint("occasion_id", "year", name="uq_events_occasion_year"),
        enum_check("kind", EventKind),
        enum_check("state", EventState),
        enum_check("dress_code", DressCode),
        enum_check("press", PressAccess),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    @property
    def kind_label(self):
        return EventKind(self.kind).label

    @property
    def state_label(self):
        return EventState(self.state).label

    @property
    def dress_code_label(self):
        return DressCode(self.dress_code).label


class EventAttachment(AttachmentMixin, db.Model):
    __tablename__ = "event_attachments"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)


class EventProgrammeItem(InterpreterNeedMixin, ProgrammeItemMixin, TimestampMixin, db.Model):
    """A timed item of an event's programme (the same component as a visit's); an interpreter
    need is handed to the Sprachendienst."""

    __tablename__ = "event_programme_items"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)

    event: Mapped[Event] = relationship(back_populates="programme")
    hosts = relationship("Host", secondary=event_programme_item_hosts, lazy="selectin")

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        interpreter_need_complete(),
        enum_check("dress_code", DressCode),
        enum_check("press", PressAccess),
    )


class Guest(PostalAddressMixin, VersionedMixin, TimestampMixin, db.Model):
    """A person on an event's guest list, copied from the directory or entered ad hoc."""

    __tablename__ = "event_guests"
    __workflow__ = GUEST_WORKFLOW

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    #: The directory entry; one person appears once per event, however invited.
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    function: Mapped[str | None] = mapped_column(sa.String(200))
    organisation: Mapped[str | None] = mapped_column(sa.String(200))
    category: Mapped[str | None] = mapped_column(sa.String(30))
    rank: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=500)
    in_office_since: Mapped[date | None] = mapped_column(sa.Date)
    form_of_address: Mapped[str | None] = mapped_column(sa.String(100))
    address_form_id: Mapped[int | None] = mapped_column(sa.ForeignKey("address_forms.id", ondelete="SET NULL"))
    #: "Couples together": seat the named companion next to the guest.
    seat_companion_together: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true(),
                                                          nullable=False)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    language: Mapped[str] = mapped_column(sa.String(5), default="de", nullable=False)
    companions_allowed: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    status: Mapped[str] = mapped_column(sa.String(10), default=GuestStatus.LISTED.value, nullable=False)
    #: SHA-256 of the personal reply token; the token itself is only in the invitation.
    reply_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: How the answer came: online, phone, letter.
    reply_channel: Mapped[str | None] = mapped_column(sa.String(10))
    companion_name: Mapped[str | None] = mapped_column(sa.String(200))
    #: Ticked at the door.
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_walk_in: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false(), nullable=False)
    #: What a reception needs to know (diet, access), sealed: answers on health and belief are
    #: special-category data (Art. 9 GDPR), read by the event's staff only (`needs`).
    needs_sealed: Mapped[str | None] = mapped_column(sa.Text)
    #: The language the guest speaks (ISO 639-1), for the seating and an interpreter.
    conversation_language: Mapped[str | None] = mapped_column(sa.String(5))
    #: When the needs were erased with the guest list's retention.
    needs_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    address_form = relationship("AddressForm", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("event_id", "contact_id", name="uq_event_guests_contact"),
        enum_check("status", GuestStatus),
        sa.CheckConstraint("companions_allowed BETWEEN 0 AND 5", name="companions_range"),
        enum_check("salutation_form", SalutationForm),
        sa.CheckConstraint("rank > 0", name="rank_positive"),
    )

    @property
    def status_label(self):
        return GuestStatus(self.status).label

    @property
    def was_invited(self) -> bool:
        """Whether the guest has had the invitation (a reply can be recorded for them)."""
        return self.status != GuestStatus.LISTED

    @property
    def category_label(self):
        return GuestCategory(self.category).label if self.category else ""

    def address_line(self, language: str | None = None) -> str:
        """The line above the name ("Ihre Exzellenz"): personal exception first, then the table."""
        if self.form_of_address:
            return self.form_of_address
        return self.address_form.address(language or self.language) if self.address_form else ""

    def salutation(self, language: str | None = None) -> str:
        """The letter's salutation in the guest's (or the given) language."""
        return salutation(language or self.language, self.name, address_form=self.address_form,
                          form=self.salutation_form)


class EventTable(db.Model):
    """A table of an event's seating; table 1 is the host's."""

    __tablename__ = "event_tables"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    #: Seats for guests; at the host's table the host's own seat comes on top.
    seats: Mapped[int] = mapped_column(sa.Integer, nullable=False)

    assignments: Mapped[list[SeatAssignment]] = relationship(
        back_populates="table", cascade="all, delete-orphan", order_by="SeatAssignment.seat"
    )

    __table_args__ = (
        sa.UniqueConstraint("event_id", "number", name="uq_event_tables_number"),
        sa.CheckConstraint("seats BETWEEN 1 AND 30", name="seats_range"),
    )


class SeatAssignment(db.Model):
    """A guest at a seat; seat 1 is to the right of the table's head, counting clockwise."""

    __tablename__ = "seat_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(sa.ForeignKey("event_tables.id", ondelete="CASCADE"), nullable=False)
    seat: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    guest_id: Mapped[int] = mapped_column(sa.ForeignKey("event_guests.id", ondelete="CASCADE"), nullable=False)
    #: The seat of the companion the guest named (one guest, at most one companion seat).
    is_companion: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false(),
                                               nullable=False)
    #: A locked seat stays as it is when a new proposal is made.
    is_locked: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)

    table: Mapped[EventTable] = relationship(back_populates="assignments")
    guest: Mapped[Guest] = relationship(lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("table_id", "seat", name="uq_seat_assignments_seat"),
        sa.UniqueConstraint("guest_id", "is_companion", name="uq_seat_assignments_guest"),
    )

    @property
    def person_name(self) -> str:
        return (self.guest.companion_name or "") if self.is_companion else self.guest.name


# `flask keys rotate` re-seals the guests' needs with the newest key.
sealed_column(Guest.__table__.c.needs_sealed)
