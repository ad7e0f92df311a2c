"""The Sprachendienst: translators' profiles (languages, modes, availability, absences)
and the assignments they are booked for."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import TimestampMixin, UTCDateTime, enum_check
from ..core.enums import LabelledEnum
from ..core.references import ReferencedMixin
from ..core.workflow import WorkflowMixin
from ..extensions import db
from .workflow import ASSIGNMENT_WORKFLOW, OFFER_WORKFLOW, AssignmentState, OfferState

REFERENCE_PREFIX = "S"


class Employment(LabelledEnum):
    IN_HOUSE = "in_house", _l("In-house")
    FREELANCE = "freelance", _l("Freelance")


class LanguageClass(LabelledEnum):
    """The AIIC classification of a working language."""

    A = "A", _l("A – mother tongue")
    B = "B", _l("B – active language")
    C = "C", _l("C – passive language")


class ServiceMode(LabelledEnum):
    SIMULTANEOUS = "simultaneous", _l("Simultaneous")
    CONSECUTIVE = "consecutive", _l("Consecutive")
    WHISPERED = "whispered", _l("Whispered")
    WRITTEN = "written", _l("Written translation")


class AbsenceKind(LabelledEnum):
    HOLIDAY = "holiday", _l("Holiday")
    SICKNESS = "sickness", _l("Sickness")
    OTHER = "other", _l("Other")


WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
            _l("Sunday"))


class TranslatorProfile(TimestampMixin, db.Model):
    """An interpreter or translator, in-house or freelance, linked to their own account."""

    __tablename__ = "translator_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False, unique=True)
    employment: Mapped[str] = mapped_column(sa.String(10), default=Employment.IN_HOUSE.value, nullable=False)
    #: Comma-separated ServiceMode values.
    modes: Mapped[str] = mapped_column(sa.String(100), default="", nullable=False)
    specialisations: Mapped[str | None] = mapped_column(sa.String(500))
    rate_half_day: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    rate_day: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    rate_line: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, nullable=False)

    user = relationship("User", lazy="joined")
    languages: Mapped[list[LanguageSkill]] = relationship(back_populates="profile", cascade="all, delete-orphan",
                                                          order_by="LanguageSkill.level", lazy="selectin")
    windows: Mapped[list[AvailabilityWindow]] = relationship(
        back_populates="profile", cascade="all, delete-orphan",
        order_by="(AvailabilityWindow.weekday, AvailabilityWindow.starts)", lazy="selectin")
    absences: Mapped[list[Absence]] = relationship(back_populates="profile", cascade="all, delete-orphan",
                                                   order_by="Absence.starts_on", lazy="selectin")

    __table_args__ = (
        enum_check("employment", Employment),
        sa.CheckConstraint("rate_half_day IS NULL OR rate_half_day >= 0", name="rate_half_day_positive"),
        sa.CheckConstraint("rate_day IS NULL OR rate_day >= 0", name="rate_day_positive"),
        sa.CheckConstraint("rate_line IS NULL OR rate_line >= 0", name="rate_line_positive"),
    )

    @property
    def mode_values(self) -> list[str]:
        known = {m.value for m in ServiceMode}
        return [m for m in (self.modes or "").split(",") if m in known]

    @property
    def mode_labels(self) -> list:
        return [ServiceMode(m).label for m in self.mode_values]

    @property
    def employment_label(self):
        return Employment(self.employment).label

    @property
    def name(self) -> str:
        return self.user.full_name


class LanguageSkill(db.Model):
    __tablename__ = "translator_languages"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("translator_profiles.id", ondelete="CASCADE"),
                                            nullable=False)
    #: ISO 639-1 code, e.g. "en".
    language: Mapped[str] = mapped_column(sa.String(3), nullable=False, index=True)
    level: Mapped[str] = mapped_column(sa.String(1), nullable=False)

    profile: Mapped[TranslatorProfile] = relationship(back_populates="languages")

    __table_args__ = (
        sa.UniqueConstraint("profile_id", "language", name="uq_translator_languages_language"),
        enum_check("level", LanguageClass),
    )

    @property
    def level_label(self):
        return LanguageClass(self.level).label


class AvailabilityWindow(db.Model):
    """A weekly window in which the translator can usually work (Berlin time)."""

    __tablename__ = "translator_availability"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("translator_profiles.id", ondelete="CASCADE"),
                                            nullable=False)
    #: 0 = Monday … 6 = Sunday.
    weekday: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    starts: Mapped[time] = mapped_column(sa.Time, nullable=False)
    ends: Mapped[time] = mapped_column(sa.Time, nullable=False)

    profile: Mapped[TranslatorProfile] = relationship(back_populates="windows")

    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_valid"),
        sa.CheckConstraint("ends > starts", name="ends_after_start"),
    )

    @property
    def weekday_label(self):
        return WEEKDAYS[self.weekday]


class Absence(db.Model):
    """Holidays, sickness and other days off, entered by the translator."""

    __tablename__ = "translator_absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("translator_profiles.id", ondelete="CASCADE"),
                                            nullable=False, index=True)
    starts_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(10), default=AbsenceKind.HOLIDAY.value, nullable=False)

    profile: Mapped[TranslatorProfile] = relationship(back_populates="absences")

    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        enum_check("kind", AbsenceKind),
    )

    @property
    def kind_label(self):
        return AbsenceKind(self.kind).label


class AssignmentKind(LabelledEnum):
    INTERPRETING = "interpreting", _l("Interpreting")
    WRITTEN = "written", _l("Written translation")


class Assignment(ReferencedMixin, WorkflowMixin, TimestampMixin, db.Model):
    """Interpreting at a time and place, or a written translation with a deadline."""

    __tablename__ = "assignments"
    __workflow__ = ASSIGNMENT_WORKFLOW

    REFERENCE_PREFIX = REFERENCE_PREFIX

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(15), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    language: Mapped[str] = mapped_column(sa.String(3), nullable=False, index=True)
    mode: Mapped[str] = mapped_column(sa.String(15), nullable=False)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"))
    location: Mapped[str | None] = mapped_column(sa.String(300))
    needed: Mapped[int] = mapped_column(sa.Integer, default=1, nullable=False)
    #: What the AIIC rule proposed, and why the officer chose differently (if they did).
    proposed_team: Mapped[int] = mapped_column(sa.Integer, default=1, nullable=False)
    team_reason: Mapped[str | None] = mapped_column(sa.String(500))
    officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    source_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    #: Why the officer cancelled it (the translators are told).
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(500))
    #: Written translations: the delivered file, when it came, when the officer received it.
    translation_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Confirmed by the officer afterwards: it took place, with the hours (or lines) worked.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    actual_hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    lines: Mapped[int | None] = mapped_column(sa.Integer)

    venue = relationship("Venue", lazy="joined")
    officer = relationship("User", lazy="joined")
    source_file = relationship("StoredFile", foreign_keys=[source_file_id])
    translation_file = relationship("StoredFile", foreign_keys=[translation_file_id])

    __table_args__ = (
        sa.UniqueConstraint("year", "number", name="uq_assignments_year_number"),
        enum_check("kind", AssignmentKind),
        enum_check("mode", ServiceMode),
        sa.CheckConstraint("needed BETWEEN 1 AND 10", name="needed_range"),
        sa.CheckConstraint("kind = 'written' OR (starts_at IS NOT NULL AND ends_at > starts_at)",
                           name="interpreting_has_times"),
        sa.CheckConstraint("kind = 'interpreting' OR deadline IS NOT NULL", name="written_has_deadline"),
        sa.CheckConstraint("actual_hours IS NULL OR actual_hours > 0", name="hours_positive"),
        sa.CheckConstraint("lines IS NULL OR lines > 0", name="lines_positive"),
        enum_check("state", AssignmentState),
    )

    @property
    def is_cancelled(self) -> bool:
        return self.state == AssignmentState.CANCELLED.value

    @property
    def state_label(self):
        return AssignmentState(self.state).label

    @property
    def kind_label(self):
        return AssignmentKind(self.kind).label

    @property
    def mode_label(self):
        return ServiceMode(self.mode).label

    @property
    def place(self) -> str:
        return self.venue.name if self.venue else (self.location or "")


class Offer(WorkflowMixin, TimestampMixin, db.Model):
    """An assignment offered to one translator, and their answer."""

    __tablename__ = "assignment_offers"
    __workflow__ = OFFER_WORKFLOW

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("assignments.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("translator_profiles.id"), nullable=False, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The translator's optional reason for declining.
    reason: Mapped[str | None] = mapped_column(sa.String(500))

    assignment: Mapped[Assignment] = relationship(lazy="joined")
    profile: Mapped[TranslatorProfile] = relationship(lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("assignment_id", "profile_id", name="uq_assignment_offers_profile"),
        enum_check("state", OfferState),
    )

    @property
    def state_label(self):
        return OfferState(self.state).label

    @property
    def awaits_answer(self) -> bool:
        """Whether the translator has yet to accept or decline."""
        return self.state == OfferState.OFFERED

    @property
    def is_accepted(self) -> bool:
        return self.state == OfferState.ACCEPTED

    @property
    def is_withdrawn(self) -> bool:
        return self.state == OfferState.WITHDRAWN
