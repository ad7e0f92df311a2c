"""The emigrant programme: applications of former Berliners persecuted under National
Socialism (and former forced labourers), the historical participants since 1969, the
duplicate check's decisions, stays, travel, letters and documents. The office-wide tables
(budget, retention, the waiting list's weights, the statistics of erased cases) are in
`settings_models.py`.

The most sensitive records of the office: only the `emigration` role sees them, every read
is logged (see `services.log_read`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..core.db import TimestampMixin, UTCDateTime, enum_check
from ..core.enums import LabelledEnum
from ..core.files import AttachmentMixin
from ..core.letters import address_block, postal_lines
from ..core.references import ReferencedMixin
from ..core.workflow import WorkflowMixin
from ..directory.salutations import SalutationForm, addressee_lines, salutation
from ..extensions import db
from ..programme import InterpreterNeedMixin, interpreter_need_complete
from .matching import name_key
from .workflow import APPLICATION_WORKFLOW, ApplicationState

REFERENCE_PREFIX = "EP"
#: The Senate has invited former Berliners since 1969: no earlier visit year exists.
PROGRAMME_SINCE = 1969


class ApplicantCategory(LabelledEnum):
    EMIGRANT = "emigrant", _l("Former Berliner persecuted under National Socialism")
    FORCED_LABOURER = "forced_labourer", _l("Former forced labourer")


class NameKeysMixin:
    """The phonetic keys of a person's surnames (now and at birth), kept with the names: the
    duplicate check finds its candidates by them, through an index."""

    name_key: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    birth_name_key: Mapped[str | None] = mapped_column(sa.String(40), index=True)

    @validates("name", "birth_name")
    def _keep_keys(self, field, value):
        setattr(self, f"{field}_key", name_key(value))
        return value


class Application(NameKeysMixin, ReferencedMixin, WorkflowMixin, TimestampMixin, db.Model):
    """An application (Antrag), entered by the team from a letter or e-mail."""

    __tablename__ = "emigrant_applications"
    __workflow__ = APPLICATION_WORKFLOW

    REFERENCE_PREFIX = REFERENCE_PREFIX

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    birth_name: Mapped[str | None] = mapped_column(sa.String(200))
    birth_date: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)
    birth_place: Mapped[str | None] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    country_code: Mapped[str] = mapped_column(sa.ForeignKey("countries.code"), nullable=False)
    #: How letters address the applicant: Frau, Herr or by full name; a form from the table
    #: (e.g. "Rabbi") comes first.
    salutation_form: Mapped[str | None] = mapped_column(sa.String(10))
    address_form_id: Mapped[int | None] = mapped_column(sa.ForeignKey("address_forms.id", ondelete="SET NULL"))
    #: Language of correspondence (ISO 639-1); letters fall back to English.
    language: Mapped[str] = mapped_column(sa.String(3), default="en", nullable=False)
    #: Addresses then, school, years.
    berlin_connection: Mapped[str | None] = mapped_column(sa.Text)
    #: Emigration or deportation: year, route, destination.
    emigration: Mapped[str | None] = mapped_column(sa.Text)
    #: The declaration of not having visited at the Senate's invitation before.
    declaration_signed: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    contact_name: Mapped[str | None] = mapped_column(sa.String(200))
    contact_relation: Mapped[str | None] = mapped_column(sa.String(100))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    needs_mobility: Mapped[str | None] = mapped_column(sa.Text)
    needs_diet: Mapped[str | None] = mapped_column(sa.Text)
    #: Health data (special category): shorter retention.
    needs_medical: Mapped[str | None] = mapped_column(sa.Text)
    companion_name: Mapped[str | None] = mapped_column(sa.String(200))
    companion_relation: Mapped[str | None] = mapped_column(sa.String(100))
    companion_birth_date: Mapped[date | None] = mapped_column(sa.Date)
    companion_needs: Mapped[str | None] = mapped_column(sa.Text)
    #: Eligibility, each with its evidence.
    berlin_born_or_resident: Mapped[bool | None] = mapped_column(sa.Boolean)
    berlin_evidence: Mapped[str | None] = mapped_column(sa.String(500))
    persecuted_or_forced_labour: Mapped[bool | None] = mapped_column(sa.Boolean)
    persecution_evidence: Mapped[str | None] = mapped_column(sa.String(500))
    not_visited_before: Mapped[bool | None] = mapped_column(sa.Boolean)
    visit_evidence: Mapped[str | None] = mapped_column(sa.String(500))
    #: Priority on the waiting list.
    health_flag: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    hardship_flag: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    priority_override: Mapped[int | None] = mapped_column(sa.Integer)
    override_reason: Mapped[str | None] = mapped_column(sa.String(500))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: Consent to receive the programme's magazine by post, and its withdrawal.
    mailing_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mailing_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the case ended (closed, rejected, withdrawn): the retention periods run from here.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    health_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    country = relationship("Country", lazy="joined")
    address_form = relationship("AddressForm", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("year", "number", name="uq_emigrant_applications_year_number"),
        enum_check("salutation_form", SalutationForm),
        enum_check("state", ApplicationState),
        enum_check("category", ApplicantCategory),
        sa.CheckConstraint("(priority_override IS NULL) = (override_reason IS NULL)", name="override_has_reason"),
    )

    @property
    def state_label(self):
        return ApplicationState(self.state).label

    @property
    def category_label(self):
        return ApplicantCategory(self.category).label

    def salutation(self, language: str) -> str:
        return salutation(language, self.name, address_form=self.address_form, form=self.salutation_form)

    def address_block(self, language: str) -> list[str]:
        """The DIN 5008 address field of a letter to the applicant, with the country line abroad."""
        return address_block(addressee_lines(language, self.name, address_form=self.address_form,
                                             form=self.salutation_form),
                             postal_lines(self.address), country_code=self.country_code,
                             country_name=self.country.name if self.country else None)


class HistoricalParticipant(NameKeysMixin, db.Model):
    """A guest of the programme from before the app (imported; about 35,000 since 1969)."""

    __tablename__ = "emigrant_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    birth_name: Mapped[str | None] = mapped_column(sa.String(200))
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    #: Birth year alone when only it is known; the duplicate check searches by it.
    birth_year: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    visit_year: Mapped[int | None] = mapped_column(sa.Integer)
    country_code: Mapped[str | None] = mapped_column(sa.String(2))


class DuplicateDecision(db.Model):
    """Staff's verdict on a possible match found by the duplicate check."""

    __tablename__ = "emigrant_duplicate_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("emigrant_applications.id", ondelete="CASCADE"),
                                                nullable=False, index=True)
    #: "application" or "participant", and the id of the matched record.
    match_kind: Mapped[str] = mapped_column(sa.String(12), nullable=False)
    match_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    #: "same_person" (confirmed) or "different" (dismissed).
    verdict: Mapped[str] = mapped_column(sa.String(12), nullable=False)
    reason: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    decided_by = relationship("User", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("application_id", "match_kind", "match_id", name="uq_duplicate_decisions_match"),
        sa.CheckConstraint("match_kind IN ('application', 'participant')", name="match_kind_valid"),
        sa.CheckConstraint("verdict IN ('same_person', 'different')", name="verdict_valid"),
    )


class StayPlan(TimestampMixin, db.Model):
    """The planned week in Berlin of an invited applicant: dates, hotel, volunteer, transfers."""

    __tablename__ = "emigrant_stays"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("emigrant_applications.id", ondelete="CASCADE"),
                                                nullable=False, unique=True)
    arrives_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    departs_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    hotel: Mapped[str | None] = mapped_column(sa.String(200))
    room_type: Mapped[str | None] = mapped_column(sa.String(100))
    half_board: Mapped[bool] = mapped_column(sa.Boolean, default=True, nullable=False)
    hotel_cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    volunteer: Mapped[str | None] = mapped_column(sa.String(200))
    #: Where the programme goes three days ahead; volunteers have no account.
    volunteer_email: Mapped[str | None] = mapped_column(sa.String(254))
    #: SHA-256 of the volunteer's programme link (the token itself is only in the mail).
    volunteer_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    volunteer_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    transfers: Mapped[str | None] = mapped_column(sa.Text)
    #: Why the costs were accepted although the year's budget is exceeded.
    overrun_reason: Mapped[str | None] = mapped_column(sa.String(500))

    __table_args__ = (
        sa.CheckConstraint("departs_on > arrives_on", name="departs_after_arrival"),
        sa.CheckConstraint("hotel_cost IS NULL OR hotel_cost >= 0", name="hotel_cost_positive"),
    )


class TravelBooking(db.Model):
    """A flight or train of the guest or the companion."""

    __tablename__ = "emigrant_travel"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("emigrant_applications.id", ondelete="CASCADE"),
                                                nullable=False, index=True)
    traveller: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    mode: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    carrier: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    number: Mapped[str | None] = mapped_column(sa.String(20))
    departs_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    arrives_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: The local time zones of departure and arrival (IANA names): timetables and tickets
    #: give local times, and so do the letter and the case page.
    departs_tz: Mapped[str] = mapped_column(sa.String(40), nullable=False, default="Europe/Berlin",
                                            server_default="Europe/Berlin")
    arrives_tz: Mapped[str] = mapped_column(sa.String(40), nullable=False, default="Europe/Berlin",
                                            server_default="Europe/Berlin")
    booking_code: Mapped[str | None] = mapped_column(sa.String(30))
    cost: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2), nullable=False)

    __table_args__ = (
        sa.CheckConstraint("traveller IN ('guest', 'companion')", name="traveller_valid"),
        sa.CheckConstraint("mode IN ('flight', 'train')", name="mode_valid"),
        sa.CheckConstraint("arrives_at > departs_at", name="arrives_after_departure"),
        sa.CheckConstraint("cost >= 0", name="cost_positive"),
    )


class LetterKind(LabelledEnum):
    INVITATION = "invitation", _l("Invitation")
    CONFIRMATION = "confirmation", _l("Confirmation with the programme")
    THANKS = "thanks", _l("Thank-you letter")


class LetterTemplate(TimestampMixin, db.Model):
    """The text of a letter in one language, kept by admins; {name} and the like are filled in."""

    __tablename__ = "emigrant_letter_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(15), nullable=False)
    language: Mapped[str] = mapped_column(sa.String(3), nullable=False)
    subject: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)

    __table_args__ = (
        sa.UniqueConstraint("kind", "language", name="uq_emigrant_letter_templates_kind_language"),
        enum_check("kind", LetterKind),
    )

    @property
    def kind_label(self):
        return LetterKind(self.kind).label


class GeneratedLetter(db.Model):
    """A letter as it was generated for an application, kept with the case."""

    __tablename__ = "emigrant_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("emigrant_applications.id", ondelete="CASCADE"),
                                                nullable=False, index=True)
    kind: Mapped[str] = mapped_column(sa.String(15), nullable=False)
    language: Mapped[str] = mapped_column(sa.String(3), nullable=False)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    file = relationship("StoredFile", lazy="joined")

    __table_args__ = (enum_check("kind", LetterKind),)

    @property
    def kind_label(self):
        return LetterKind(self.kind).label


class ProgrammeKind(LabelledEnum):
    RECEPTION = "reception", _l("Reception by the Governing Mayor")
    FORMER_HOME = "former_home", _l("Visit to the former home")
    SCHOOL = "school", _l("Visit to the former school")
    JEWISH_SITES = "jewish_sites", _l("Jewish sites")
    MEMORIAL = "memorial", _l("Place of remembrance")
    FREE = "free", _l("Free time")
    OTHER = "other", _l("Other")


class StayProgrammeItem(InterpreterNeedMixin, db.Model):
    """One item of the week in Berlin; an interpreter need is handed to the Sprachendienst."""

    __tablename__ = "emigrant_programme_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("emigrant_applications.id", ondelete="CASCADE"),
                                                nullable=False, index=True)
    kind: Mapped[str] = mapped_column(sa.String(15), nullable=False)
    title: Mapped[str | None] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    location: Mapped[str | None] = mapped_column(sa.String(300))
    #: A room of the office's (e.g. for the reception): it joins the office-wide double-booking search.
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"), index=True)
    #: Why the item was saved despite a double booking (None: no conflict).
    conflict_reason: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        enum_check("kind", ProgrammeKind),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        interpreter_need_complete(),
    )

    @property
    def kind_label(self):
        return ProgrammeKind(self.kind).label

    @property
    def heading(self) -> str:
        """What the item is called on the programme: its own title, else its kind."""
        return self.title or str(self.kind_label)


class DocumentKind(LabelledEnum):
    BIRTH_CERTIFICATE = "birth_certificate", _l("Copy of the birth certificate")
    OTHER_PROOF = "other_proof", _l("Other proof of the Berlin connection")
    DECLARATION = "declaration", _l("Signed declaration")
    OTHER = "other", _l("Other document")


class ApplicationDocument(AttachmentMixin, db.Model):
    """A proof document of an application (kept for the shorter retention period)."""

    __tablename__ = "emigrant_documents"

    application_id: Mapped[int] = mapped_column(sa.ForeignKey("emigrant_applications.id", ondelete="CASCADE"),
                                                nullable=False, index=True)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (enum_check("kind", DocumentKind),)

    @property
    def kind_label(self):
        return DocumentKind(self.kind).label


# The office-wide tables of the area, registered with its records wherever these are imported.
from .settings_models import AnonymousStatistic, PriorityWeights, RetentionSettings, YearBudget  # noqa: E402,F401
