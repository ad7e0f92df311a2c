"""Visit, delegation, programme, gifts and attachments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import TimestampMixin, UTCDateTime, enum_check
from ..core.enums import LabelledEnum
from ..core.files import AttachmentMixin
from ..core.references import ReferencedMixin
from ..core.workflow import WorkflowMixin
from ..extensions import db
from ..programme import (
    DressCode,
    InterpretingBookingMixin,
    InterpretingMode,
    PressAccess,
    ProgrammeItemMixin,
)
from .workflow import VISIT_WORKFLOW, VisitState

REFERENCE_PREFIX = "V"


class VisitKind(LabelledEnum):
    STATE_VISIT = "state_visit", _l("State visit")
    OFFICIAL_VISIT = "official_visit", _l("Official visit")
    WORKING_VISIT = "working_visit", _l("Working visit")
    DELEGATION = "delegation", _l("Delegation")
    FIRST_CALL = "first_call", _l("Ambassador's first call")
    PARTNER_CITY = "partner_city", _l("Partner-city delegation")
    OTHER = "other", _l("Other")


visit_hosts = sa.Table(
    "visit_hosts",
    db.metadata,
    sa.Column("visit_id", sa.ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("host_id", sa.ForeignKey("hosts.id"), primary_key=True),
)

programme_item_hosts = sa.Table(
    "visit_programme_item_hosts",
    db.metadata,
    sa.Column("item_id", sa.ForeignKey("visit_programme_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("host_id", sa.ForeignKey("hosts.id"), primary_key=True, index=True),
)


class Visit(ReferencedMixin, WorkflowMixin, TimestampMixin, db.Model):
    __tablename__ = "visits"
    __workflow__ = VISIT_WORKFLOW

    REFERENCE_PREFIX = REFERENCE_PREFIX

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False, index=True)

    guest_name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    guest_function: Mapped[str | None] = mapped_column(sa.String(200))
    guest_country_code: Mapped[str | None] = mapped_column(sa.ForeignKey("countries.code"))
    #: e.g. "Exzellenz", "Herr Präsident"
    guest_form_of_address: Mapped[str | None] = mapped_column(sa.String(100))

    country_code: Mapped[str | None] = mapped_column(sa.ForeignKey("countries.code"), index=True)
    partner_city_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partner_cities.id"), index=True)
    inviting_side: Mapped[str | None] = mapped_column(sa.String(200))
    occasion: Mapped[str | None] = mapped_column(sa.String(300))

    arrival_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    arrival_place: Mapped[str | None] = mapped_column(sa.String(200))
    departure_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    departure_place: Mapped[str | None] = mapped_column(sa.String(200))
    #: IANA time zone the guest's travel times were given in (shown next to them).
    travel_timezone: Mapped[str] = mapped_column(sa.String(50), default="Europe/Berlin", nullable=False)
    hotel: Mapped[str | None] = mapped_column(sa.String(200))

    responsible_officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    deputy_officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: Comma-separated ISO 639-1 codes of the languages spoken by the guests.
    languages: Mapped[str | None] = mapped_column(sa.String(100))
    #: Hidden from viewers until released.
    is_confidential: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    guest_country = relationship("Country", foreign_keys=[guest_country_code], lazy="joined")
    country = relationship("Country", foreign_keys=[country_code], lazy="joined")
    partner_city = relationship("PartnerCity", lazy="joined")
    responsible_officer = relationship("User", foreign_keys=[responsible_officer_id], lazy="joined")
    deputy_officer = relationship("User", foreign_keys=[deputy_officer_id], lazy="joined")
    hosts = relationship("Host", secondary=visit_hosts, lazy="selectin", order_by="Host.sort_order")
    delegation: Mapped[list[DelegationMember]] = relationship(
        back_populates="visit", cascade="all, delete-orphan",
        order_by="DelegationMember.precedence",
    )
    programme: Mapped[list[VisitProgrammeItem]] = relationship(
        back_populates="visit", cascade="all, delete-orphan",
        order_by="VisitProgrammeItem.starts_at",
    )
    gifts: Mapped[list[Gift]] = relationship(back_populates="visit", cascade="all, delete-orphan")
    attachments: Mapped[list[VisitAttachment]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("year", "number", name="uq_visits_year_number"),
        enum_check("kind", VisitKind),
        enum_check("state", VisitState),
        sa.CheckConstraint("departure_at >= arrival_at", name="departure_after_arrival"),
    )

    @property
    def kind_label(self):
        return VisitKind(self.kind).label

    @property
    def state_label(self):
        return VisitState(self.state).label

    @property
    def language_list(self) -> list[str]:
        return [code for code in (self.languages or "").split(",") if code]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class DelegationMember(TimestampMixin, db.Model):
    __tablename__ = "delegation_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    function: Mapped[str | None] = mapped_column(sa.String(200))
    #: Order of precedence within the delegation: 1 is the head.
    precedence: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=100)
    form_of_address: Mapped[str | None] = mapped_column(sa.String(100))

    visit: Mapped[Visit] = relationship(back_populates="delegation")

    __table_args__ = (sa.CheckConstraint("precedence > 0", name="precedence_positive"),)


class VisitProgrammeItem(InterpretingBookingMixin, ProgrammeItemMixin, TimestampMixin, db.Model):
    __tablename__ = "visit_programme_items"

    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False, index=True)
    #: The title in the English programme (the guests' copy); the German title when empty.
    title_en: Mapped[str | None] = mapped_column(sa.String(200))
    golden_book: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    gift_exchange: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    interpreter_needed: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    #: ISO 639-1 code of the language to interpret from/to German.
    interpreter_language: Mapped[str | None] = mapped_column(sa.String(3))
    interpreter_mode: Mapped[str | None] = mapped_column(sa.String(20))

    visit: Mapped[Visit] = relationship(back_populates="programme")
    hosts = relationship("Host", secondary=programme_item_hosts, lazy="selectin")

    def title_in(self, language: str) -> str:
        return (self.title_en or self.title) if language == "en" else self.title

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        enum_check("dress_code", DressCode),
        enum_check("press", PressAccess),
        sa.CheckConstraint(
            "interpreter_mode IS NULL OR interpreter_mode IN ('consecutive', 'simultaneous', 'whispered')",
            name="interpreter_mode_valid",
        ),
    )

    @property
    def interpreter_mode_label(self):
        return InterpretingMode(self.interpreter_mode).label if self.interpreter_mode else ""


class GiftDirection(LabelledEnum):
    GIVEN = "given", _l("Given")
    RECEIVED = "received", _l("Received")


class Gift(TimestampMixin, db.Model):
    __tablename__ = "gifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False, index=True)
    direction: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    description: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    giver: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    recipient: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    estimated_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    #: Where a received gift is kept (compliance).
    kept_at: Mapped[str | None] = mapped_column(sa.String(200))

    visit: Mapped[Visit] = relationship(back_populates="gifts")

    __table_args__ = (
        enum_check("direction", GiftDirection),
        sa.CheckConstraint("estimated_value IS NULL OR estimated_value >= 0", name="value_not_negative"),
    )

    @property
    def direction_label(self):
        return GiftDirection(self.direction).label


class VisitAttachment(AttachmentMixin, db.Model):
    __tablename__ = "visit_attachments"

    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False, index=True)

    visit: Mapped[Visit] = relationship(back_populates="attachments")
