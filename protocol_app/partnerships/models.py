"""The record of a city partnership: the agreement, fields of cooperation, the directory's
contacts, the city networks both belong to, and the projects and activities with their dates.

The partner city itself (names, country, status) is the directory's; a partnership adds what the
office knows of the relation. Its history (visits, events, gifts, book entries) stays with those
domains and is read through their services.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import TimestampMixin, VersionedMixin, enum_check
from ..core.enums import LabelledEnum
from ..extensions import db


class Network(LabelledEnum):
    EUROCITIES = "eurocities", "Eurocities"
    METROPOLIS = "metropolis", "Metropolis"
    U20 = "u20", "Urban 20 (U20)"
    C40 = "c40", "C40 Cities"
    MAYORS_FOR_PEACE = "mayors_for_peace", "Mayors for Peace"
    UCUE = "ucue", _l("Union of the Capitals of the European Union")


class ActivityKind(LabelledEnum):
    PROJECT = "project", _l("Project")
    CULTURE = "culture", _l("Cultural programme")
    DELEGATION_ABROAD = "delegation_abroad", _l("Berlin delegation to the partner city")
    CONFERENCE = "conference", _l("Conference or video conference")
    CITY_DAYS = "city_days", _l("City days (e.g. BerlinDays)")
    OTHER = "other", _l("Other activity")


partnership_contacts = sa.Table(
    "partnership_contacts", db.metadata,
    sa.Column("partnership_id", sa.ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("contact_id", sa.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
)


class Partnership(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "partnerships"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_city_id: Mapped[int] = mapped_column(sa.ForeignKey("partner_cities.id"), unique=True, nullable=False)
    agreement_date: Mapped[date | None] = mapped_column(sa.Date)
    agreement_title: Mapped[str | None] = mapped_column(sa.String(300))
    agreement_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    #: One field per line ("Kultur", "Stadtentwicklung").
    fields_of_cooperation: Mapped[str | None] = mapped_column(sa.Text)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    partner_city = relationship("PartnerCity", lazy="joined")
    agreement_file = relationship("StoredFile")
    networks: Mapped[list[PartnershipNetwork]] = relationship(cascade="all, delete-orphan",
                                                              order_by="PartnershipNetwork.network")
    contacts = relationship("Contact", secondary=partnership_contacts, order_by="Contact.name")
    activities: Mapped[list[Activity]] = relationship(back_populates="partnership", cascade="all, delete-orphan",
                                                      order_by="Activity.starts_on.desc()")

    @property
    def fields(self) -> list[str]:
        return [line.strip() for line in (self.fields_of_cooperation or "").splitlines() if line.strip()]

    @property
    def network_codes(self) -> list[str]:
        return [n.network for n in self.networks]


class PartnershipNetwork(db.Model):
    """A city network Berlin and the partner city both belong to."""

    __tablename__ = "partnership_networks"

    partnership_id: Mapped[int] = mapped_column(sa.ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True)
    network: Mapped[str] = mapped_column(sa.String(30), primary_key=True)

    __table_args__ = (enum_check("network", Network),)

    @property
    def label(self):
        return Network(self.network).label


class Activity(TimestampMixin, VersionedMixin, db.Model):
    """A project or activity of the partnership, with its dates."""

    __tablename__ = "partnership_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(sa.ForeignKey("partnerships.id", ondelete="CASCADE"), nullable=False,
                                                index=True)
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    starts_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ends_on: Mapped[date | None] = mapped_column(sa.Date)
    description: Mapped[str | None] = mapped_column(sa.Text)

    partnership: Mapped[Partnership] = relationship(back_populates="activities")

    __table_args__ = (enum_check("kind", ActivityKind),
                      sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"))

    @property
    def kind_label(self):
        return ActivityKind(self.kind).label
