"""Checklist templates and tasks, for any record type (visits, events)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from ..db import TimestampMixin, UTCDateTime, VersionedMixin, enum_check
from ..enums import LabelledEnum


class Anchor(LabelledEnum):
    START = "start", _l("before/after the start")
    END = "end", _l("before/after the end")


class OwnerRule(LabelledEnum):
    RESPONSIBLE = "responsible", _l("Responsible officer")
    DEPUTY = "deputy", _l("Deputy")


class ChecklistTemplate(TimestampMixin, db.Model):
    __tablename__ = "checklist_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The record type it applies to: "visit", later "event".
    scope: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    #: The kind within the scope (e.g. "state_visit"); None for every kind.
    kind: Mapped[str | None] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)

    items: Mapped[list[ChecklistTemplateItem]] = relationship(
        back_populates="template", cascade="all, delete-orphan",
        order_by="ChecklistTemplateItem.offset_days",
    )

    def __str__(self) -> str:
        return self.name


class ChecklistTemplateItem(db.Model):
    __tablename__ = "checklist_template_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        sa.ForeignKey("checklist_templates.id", ondelete="CASCADE"), nullable=False
    )
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: Days relative to the anchor: -10 is ten days before, 3 is three days after.
    offset_days: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    anchor: Mapped[str] = mapped_column(sa.String(10), default=Anchor.START.value, nullable=False)
    owner_rule: Mapped[str] = mapped_column(
        sa.String(20), default=OwnerRule.RESPONSIBLE.value, nullable=False
    )

    template: Mapped[ChecklistTemplate] = relationship(back_populates="items")

    __table_args__ = (enum_check("anchor", Anchor), enum_check("owner_rule", OwnerRule))


class Task(VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    subject_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    due_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    template_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("checklist_template_items.id", ondelete="SET NULL")
    )
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    owner = relationship("User", foreign_keys=[owner_id], lazy="joined")
    done_by = relationship("User", foreign_keys=[done_by_id])

    __table_args__ = (
        sa.Index("ix_tasks_subject", "scope", "subject_id"),
        # Dashboards and the overdue reminder ask for a person's open tasks by due date.
        sa.Index("ix_tasks_open_owner_due", "owner_id", "due_on", postgresql_where=sa.text("done_at IS NULL"),
                 sqlite_where=sa.text("done_at IS NULL")),
        # Applying a template twice must not create its tasks twice.
        sa.UniqueConstraint("scope", "subject_id", "template_item_id", name="uq_tasks_template_item"),
    )

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
