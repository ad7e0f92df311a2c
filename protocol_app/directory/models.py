"""Reference data shared by visits, events and honours."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import TimestampMixin, enum_check
from ..core.enums import LabelledEnum
from ..extensions import db
from .salutations import PostalAddressMixin, SalutationForm


class Country(db.Model):
    __tablename__ = "countries"

    #: ISO 3166-1 alpha-2 code.
    code: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    name_de: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    name_en: Mapped[str] = mapped_column(sa.String(120), nullable=False)

    @property
    def name(self) -> str:
        locale = get_locale()
        return self.name_en if locale and locale.language == "en" else self.name_de

    def __str__(self) -> str:
        return self.name


class PartnershipStatus(LabelledEnum):
    ACTIVE = "active", _l("Active")
    FROZEN = "frozen", _l("Frozen")
    ENDED = "ended", _l("Ended")


class PartnerCity(TimestampMixin, db.Model):
    __tablename__ = "partner_cities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_de: Mapped[str] = mapped_column(sa.String(120), nullable=False, unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    #: Other customary names, comma-separated ("Warszawa, Warszawy"): the Golden Book's rule reads them.
    other_names: Mapped[str | None] = mapped_column(sa.String(500))
    country_code: Mapped[str] = mapped_column(sa.ForeignKey("countries.code"), nullable=False)
    #: Year the partnership agreement was signed.
    since_year: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    status: Mapped[str] = mapped_column(
        sa.String(10), default=PartnershipStatus.ACTIVE.value, nullable=False
    )

    country: Mapped[Country] = relationship(lazy="joined")

    __table_args__ = (enum_check("status", PartnershipStatus),)

    @property
    def name(self) -> str:
        locale = get_locale()
        return self.name_en if locale and locale.language == "en" else self.name_de

    @property
    def status_label(self):
        return PartnershipStatus(self.status).label

    @property
    def all_names(self) -> list[str]:
        """Every name the city goes by: German, English and the other customary ones."""
        others = [name.strip() for name in (self.other_names or "").split(",")]
        return [self.name_de, self.name_en, *(name for name in others if name)]

    def __str__(self) -> str:
        return self.name


class Venue(TimestampMixin, db.Model):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), nullable=False, unique=True)
    building: Mapped[str | None] = mapped_column(sa.String(160))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    capacity: Mapped[int | None] = mapped_column(sa.Integer)
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, nullable=False)

    __table_args__ = (
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    def __str__(self) -> str:
        return self.name


class MissionKind(LabelledEnum):
    EMBASSY = "embassy", _l("Embassy")
    CONSULATE = "consulate", _l("Consulate general")
    HONORARY_CONSULATE = "honorary_consulate", _l("Honorary consulate")
    OTHER = "other", _l("Other representation")


class Mission(TimestampMixin, db.Model):
    """A diplomatic mission in Berlin."""

    __tablename__ = "missions"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(sa.ForeignKey("countries.code"), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(20), default=MissionKind.EMBASSY.value, nullable=False)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    address: Mapped[str | None] = mapped_column(sa.String(300))
    head_of_mission: Mapped[str | None] = mapped_column(sa.String(200))
    #: e.g. "Botschafterin", "Geschäftsträger a. i."
    head_title: Mapped[str | None] = mapped_column(sa.String(100))
    phone: Mapped[str | None] = mapped_column(sa.String(50))
    email: Mapped[str | None] = mapped_column(sa.String(254))

    country: Mapped[Country] = relationship(lazy="joined")

    __table_args__ = (enum_check("kind", MissionKind),)

    @property
    def kind_label(self):
        return MissionKind(self.kind).label

    def __str__(self) -> str:
        return self.name


class GuestCategory(LabelledEnum):
    DIPLOMATIC_CORPS = "diplomatic_corps", _l("Diplomatic corps")
    SENATE = "senate", _l("Senate")
    PARLIAMENT = "parliament", _l("Abgeordnetenhaus")
    HONORARY_CITIZENS = "honorary_citizens", _l("Honorary citizens")
    HONOUR_HOLDERS = "honour_holders", _l("Holders of an honour")
    PARTNER_CITIES = "partner_cities", _l("Partner-city representatives")
    PRESS = "press", _l("Press")
    OTHER = "other", _l("Other guests")


class AddressForm(TimestampMixin, db.Model):
    """A maintained form of address: the line above the name and the letter's salutation,
    in German and English (e.g. ambassadors: "Ihre Exzellenz" / "Sehr geehrte Frau Botschafterin")."""

    __tablename__ = "address_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Whom it is for, e.g. "Botschafterin".
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False, unique=True)
    address_de: Mapped[str | None] = mapped_column(sa.String(100))
    address_en: Mapped[str | None] = mapped_column(sa.String(100))
    #: May contain {name}, filled with the person's surname (the name's last word).
    salutation_de: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    salutation_en: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    sort_order: Mapped[int] = mapped_column(sa.Integer, default=100, nullable=False)

    def address(self, language: str) -> str:
        return (self.address_en if language == "en" else self.address_de) or ""

    def salutation(self, language: str, name: str) -> str:
        template = self.salutation_en if language == "en" else self.salutation_de
        surname = (name or "").split()[-1] if (name or "").split() else ""
        return template.replace("{name}", surname)

    def __str__(self) -> str:
        return self.name


class Contact(PostalAddressMixin, TimestampMixin, db.Model):
    """A person the office writes to or invites (mission staff, partners, guests)."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    function: Mapped[str | None] = mapped_column(sa.String(200))
    organisation: Mapped[str | None] = mapped_column(sa.String(200))
    mission_id: Mapped[int | None] = mapped_column(sa.ForeignKey("missions.id", ondelete="SET NULL"))
    #: From the maintained table; `form_of_address` is a personal exception on top of it.
    address_form_id: Mapped[int | None] = mapped_column(sa.ForeignKey("address_forms.id", ondelete="SET NULL"))
    #: e.g. "Seine Heiligkeit": overrides the table's line above the name.
    form_of_address: Mapped[str | None] = mapped_column(sa.String(100))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(50))
    language: Mapped[str] = mapped_column(sa.String(5), default="de", nullable=False)
    category: Mapped[str | None] = mapped_column(sa.String(30), index=True)
    #: Order of precedence: 1 is the highest rank (protocol list of the Land).
    rank: Mapped[int] = mapped_column(sa.Integer, default=500, server_default="500", nullable=False)
    #: Seniority within the same rank, e.g. the day an ambassador presented credentials.
    in_office_since: Mapped[date | None] = mapped_column(sa.Date)

    mission: Mapped[Mission | None] = relationship(lazy="joined")
    address_form: Mapped[AddressForm | None] = relationship(lazy="joined")

    __table_args__ = (
        sa.CheckConstraint("category IS NULL OR category IN ('diplomatic_corps', 'senate', 'parliament', "
                           "'honorary_citizens', 'honour_holders', 'partner_cities', 'press', 'other')",
                           name="category_valid"),
        sa.CheckConstraint("rank > 0", name="rank_positive"),
        enum_check("salutation_form", SalutationForm),
    )

    @property
    def category_label(self):
        return GuestCategory(self.category).label if self.category else ""

    def __str__(self) -> str:
        return self.name


class Host(TimestampMixin, db.Model):
    """A host on the Berlin side (Governing Mayor, senators, state secretaries)."""

    __tablename__ = "hosts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False, unique=True)
    #: e.g. "Regierender Bürgermeister von Berlin"
    function: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    sort_order: Mapped[int] = mapped_column(sa.Integer, default=100, nullable=False)
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, nullable=False)

    def __str__(self) -> str:
        return f"{self.name} ({self.function})"
