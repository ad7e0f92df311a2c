"""Honours: award types with their approval chain and rules, nomination cases, and the
registers of holders."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import TimestampMixin, UTCDateTime, enum_check
from ..core.enums import LabelledEnum
from ..core.files import AttachmentMixin
from ..core.permissions import Position, Role
from ..core.references import ReferencedMixin
from ..core.workflow import WorkflowMixin
from ..extensions import db
from .workflow import NOMINATION_WORKFLOW, NominationState, StepOutcome

REFERENCE_PREFIX = "N"


class Gender(LabelledEnum):
    FEMALE = "f", _l("female")
    MALE = "m", _l("male")
    DIVERSE = "d", _l("diverse")
    UNKNOWN = "u", _l("not stated")


class SuggesterKind(LabelledEnum):
    PERSON = "person", _l("Person")
    INSTITUTION = "institution", _l("Institution")


class AwardType(TimestampMixin, db.Model):
    """An honour the Senate awards, with who suggests and proposes it, its approval
    chain, its cap of living holders, its award date and the rules switched on for it."""

    __tablename__ = "award_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False, unique=True)
    legal_basis: Mapped[str | None] = mapped_column(sa.String(500))
    #: e.g. "Senatsmitglieder für ihren Geschäftsbereich, Präsident/in des Abgeordnetenhauses"
    suggesters: Mapped[str | None] = mapped_column(sa.String(500))
    #: e.g. "Regierende/r Bürgermeister/in"
    proposer: Mapped[str | None] = mapped_column(sa.String(200))
    #: At most this many living holders (None: no cap).
    cap_living: Mapped[int | None] = mapped_column(sa.Integer)
    #: A fixed yearly award date (1 October for the Verdienstorden), else None.
    award_month: Mapped[int | None] = mapped_column(sa.Integer)
    award_day: Mapped[int | None] = mapped_column(sa.Integer)
    #: Nominations for a fixed award date close this many days before it.
    deadline_days_before: Mapped[int | None] = mapped_column(sa.Integer)
    min_age: Mapped[int | None] = mapped_column(sa.Integer)
    posthumous_allowed: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    #: "Not held already": one award of this type per person.
    once_only: Mapped[bool] = mapped_column(sa.Boolean, default=True, nullable=False)
    #: Merits should lie within this many years (the federal practice: 5), else None.
    merits_recency_years: Mapped[int | None] = mapped_column(sa.Integer)
    #: The events' recurring occasion whose yearly event is this award's ceremony (1 October: Rotes
    #: Rathaus): its id, reached through the events' services.
    occasion_id: Mapped[int | None] = mapped_column(sa.Integer)
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, nullable=False)

    steps: Mapped[list[ApprovalStep]] = relationship(
        back_populates="award_type", cascade="all, delete-orphan", order_by="ApprovalStep.position",
        lazy="selectin",
    )

    __table_args__ = (
        sa.CheckConstraint("cap_living IS NULL OR cap_living > 0", name="cap_positive"),
        sa.CheckConstraint("(award_month IS NULL) = (award_day IS NULL)", name="award_date_complete"),
        sa.CheckConstraint("award_month IS NULL OR (award_month BETWEEN 1 AND 12 AND award_day BETWEEN 1 AND 31)",
                           name="award_date_valid"),
        sa.CheckConstraint("min_age IS NULL OR min_age BETWEEN 0 AND 120", name="min_age_range"),
    )

    @property
    def has_fixed_date(self) -> bool:
        return self.award_month is not None

    def award_date_in(self, year: int) -> date | None:
        return date(year, self.award_month, self.award_day) if self.has_fixed_date else None

    def next_award_date(self, today: date) -> date | None:
        """The coming award date on or after `today`."""
        if not self.has_fixed_date:
            return None
        this_year = self.award_date_in(today.year)
        return this_year if this_year >= today else self.award_date_in(today.year + 1)

    def deadline_for(self, award_date: date | None) -> date | None:
        if award_date is None or self.deadline_days_before is None:
            return None
        return award_date - timedelta(days=self.deadline_days_before)

    def __str__(self) -> str:
        return self.name


class ApprovalStep(db.Model):
    """One decision of an award type's approval chain (e.g. head of unit, then head of department)."""

    __tablename__ = "approval_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_type_id: Mapped[int] = mapped_column(sa.ForeignKey("award_types.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    #: The role that decides this step.
    role: Mapped[str] = mapped_column(sa.String(20), nullable=False, default=Role.MANAGER.value)
    #: The post whose holder decides it (None: anyone of the role).
    required_position: Mapped[str | None] = mapped_column(sa.String(30))

    award_type: Mapped[AwardType] = relationship(back_populates="steps")

    __table_args__ = (
        sa.UniqueConstraint("award_type_id", "position", name="uq_approval_steps_position"),
        sa.CheckConstraint("position > 0", name="position_positive"),
        enum_check("role", Role),
        enum_check("required_position", Position),
    )

    @property
    def decider_label(self):
        return Position(self.required_position).label if self.required_position else Role(self.role).label


class Nomination(ReferencedMixin, WorkflowMixin, TimestampMixin, db.Model):
    """A nomination case (Ordensvorgang): confidential, every read is logged."""

    __tablename__ = "nominations"
    __workflow__ = NOMINATION_WORKFLOW

    REFERENCE_PREFIX = REFERENCE_PREFIX

    id: Mapped[int] = mapped_column(primary_key=True)
    award_type_id: Mapped[int] = mapped_column(sa.ForeignKey("award_types.id"), nullable=False, index=True)
    #: The award date this case is meant for (the coming 1 October), if the type has one.
    award_date: Mapped[date | None] = mapped_column(sa.Date, index=True)
    #: Position of the approval step the case waits in (while in_approval).
    step_position: Mapped[int | None] = mapped_column(sa.Integer)
    #: When the case entered its current state or step (age on the manager's desk).
    step_entered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    nominee_name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    nominee_birth_name: Mapped[str | None] = mapped_column(sa.String(200))
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    birth_place: Mapped[str | None] = mapped_column(sa.String(200))
    nationality: Mapped[str | None] = mapped_column(sa.String(2))
    address: Mapped[str | None] = mapped_column(sa.String(500))
    occupation: Mapped[str | None] = mapped_column(sa.String(200))
    gender: Mapped[str] = mapped_column(sa.String(1), default=Gender.UNKNOWN.value, nullable=False)
    died_on: Mapped[date | None] = mapped_column(sa.Date)

    suggested_by: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    suggester_kind: Mapped[str] = mapped_column(sa.String(12), default=SuggesterKind.PERSON.value, nullable=False)
    #: Why the suggester may suggest (e.g. "Senatorin für Kultur").
    suggester_entitlement: Mapped[str | None] = mapped_column(sa.String(200))
    #: The user who passed on the suggestion, if it came from inside the administration.
    suggested_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    justification: Mapped[str | None] = mapped_column(sa.Text)
    existing_honours: Mapped[str | None] = mapped_column(sa.Text)
    #: A citizen's suggestion through the public page: the suggester's postal and mail address
    #: (kept and erased with the case), when it came, and its proof of work (counts once).
    suggester_address: Mapped[str | None] = mapped_column(sa.String(500))
    suggester_email: Mapped[str | None] = mapped_column(sa.String(254))
    received_online_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    public_proof: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: First submission: the nomination deadline of the cycle is checked against it.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    senate_decision_date: Mapped[date | None] = mapped_column(sa.Date)
    senate_decision_reference: Mapped[str | None] = mapped_column(sa.String(100))
    #: Place in the order of presentation at the ceremony.
    presentation_position: Mapped[int | None] = mapped_column(sa.Integer)
    #: The awardee's entry on the ceremony's guest list (the events' guest id; no foreign key:
    #: the list is the events' record, reached through their services).
    ceremony_guest_id: Mapped[int | None] = mapped_column(sa.Integer)

    award_type: Mapped[AwardType] = relationship(lazy="joined")
    created_by = relationship("User", foreign_keys=[created_by_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
    merits: Mapped[list[Merit]] = relationship(back_populates="nomination", cascade="all, delete-orphan",
                                               order_by="Merit.date_from")
    statements: Mapped[list[Statement]] = relationship(back_populates="nomination", cascade="all, delete-orphan",
                                                       order_by="Statement.requested_on")
    disclosures: Mapped[list[DisclosureNote]] = relationship(back_populates="nomination",
                                                             cascade="all, delete-orphan",
                                                             order_by="DisclosureNote.id")
    decisions: Mapped[list[StepDecision]] = relationship(back_populates="nomination", cascade="all, delete-orphan",
                                                         order_by="StepDecision.decided_at")

    __table_args__ = (
        sa.UniqueConstraint("year", "number", name="uq_nominations_year_number"),
        enum_check("state", NominationState),
        enum_check("gender", Gender),
        enum_check("suggester_kind", SuggesterKind),
        sa.CheckConstraint("died_on IS NULL OR birth_date IS NULL OR died_on >= birth_date", name="death_after_birth"),
    )

    @property
    def state_label(self):
        return NominationState(self.state).label

    @property
    def in_approval(self) -> bool:
        """Whether the case waits in a step of its approval chain."""
        return self.state == NominationState.IN_APPROVAL

    @property
    def awaits_senate(self) -> bool:
        """Whether the case has been proposed and waits for the Senate's decision."""
        return self.state == NominationState.PROPOSED

    @property
    def gender_label(self):
        return Gender(self.gender).label

    @property
    def current_step(self) -> ApprovalStep | None:
        if self.step_position is None:
            return None
        return next((s for s in self.award_type.steps if s.position == self.step_position), None)


class Merit(db.Model):
    __tablename__ = "nomination_merits"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("nominations.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    description: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    date_from: Mapped[date | None] = mapped_column(sa.Date)
    date_to: Mapped[date | None] = mapped_column(sa.Date)

    nomination: Mapped[Nomination] = relationship(back_populates="merits")

    __table_args__ = (
        sa.CheckConstraint("date_to IS NULL OR date_from IS NULL OR date_to >= date_from", name="period_valid"),
    )

    @property
    def last_date(self) -> date | None:
        return self.date_to or self.date_from


class Statement(db.Model):
    """A statement collected for the case (e.g. from the district or the Senate department)."""

    __tablename__ = "nomination_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("nominations.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    from_whom: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    requested_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    received_on: Mapped[date | None] = mapped_column(sa.Date)
    file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))

    nomination: Mapped[Nomination] = relationship(back_populates="statements")
    file = relationship("StoredFile", lazy="joined")

    __table_args__ = (
        sa.CheckConstraint("received_on IS NULL OR received_on >= requested_on", name="received_after_request"),
    )


class DisclosureNote(db.Model):
    """A sensitive finding (e.g. the criminal-record check), erased on its deletion date."""

    __tablename__ = "nomination_disclosures"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("nominations.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    text: Mapped[str] = mapped_column(sa.Text, nullable=False)
    delete_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)

    nomination: Mapped[Nomination] = relationship(back_populates="disclosures")


class NominationAttachment(AttachmentMixin, db.Model):
    __tablename__ = "nomination_attachments"

    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("nominations.id", ondelete="CASCADE"), nullable=False,
                                               index=True)


class StepDecision(db.Model):
    """Who decided which step of a case, when, and with what comment."""

    __tablename__ = "nomination_step_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("nominations.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    step_name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    outcome: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False, index=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    comment: Mapped[str | None] = mapped_column(sa.Text)

    nomination: Mapped[Nomination] = relationship(back_populates="decisions")
    decided_by = relationship("User", lazy="joined")

    __table_args__ = (enum_check("outcome", StepOutcome),)

    @property
    def outcome_label(self):
        return StepOutcome(self.outcome).label


class Holder(TimestampMixin, db.Model):
    """An entry of the register of holders of an award."""

    __tablename__ = "award_holders"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_type_id: Mapped[int] = mapped_column(sa.ForeignKey("award_types.id"), nullable=False, index=True)
    nomination_id: Mapped[int | None] = mapped_column(sa.ForeignKey("nominations.id"), unique=True)
    #: Running number of the award type's register.
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False, index=True)
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    gender: Mapped[str] = mapped_column(sa.String(1), default=Gender.UNKNOWN.value, nullable=False)
    awarded_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    died_on: Mapped[date | None] = mapped_column(sa.Date)
    revoked_on: Mapped[date | None] = mapped_column(sa.Date)
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(500))

    award_type: Mapped[AwardType] = relationship(lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("award_type_id", "number", name="uq_award_holders_number"),
        enum_check("gender", Gender),
        sa.CheckConstraint("(revoked_on IS NULL) = (revoked_reason IS NULL)", name="revocation_complete"),
        sa.CheckConstraint("died_on IS NULL OR birth_date IS NULL OR died_on >= birth_date", name="death_after_birth"),
    )

    @property
    def is_living(self) -> bool:
        return self.died_on is None and self.revoked_on is None

    @property
    def gender_label(self):
        return Gender(self.gender).label


def living_holders_clause():
    """Holders who count against a cap: alive and not revoked."""
    return sa.and_(Holder.died_on.is_(None), Holder.revoked_on.is_(None))
