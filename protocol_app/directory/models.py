"""Reference data shared by visits, events and honours."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import TimestampMixin, enum_check
from ..core.enums import LabelledEnum
from ..extensions import db


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


class PartnershipStatus(LabelledEnum):
    ACTIVE = "active", _l("Active")
    FROZEN = "frozen", _l("Frozen")
    ENDED = "ended", _l("Ended")


class PartnerCity(TimestampMixin, db.Model):
    __tablename__ = "partner_cities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_de: Mapped[str] = mapped_column(sa.String(120), nullable=False, unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(120), nullable=False)
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
