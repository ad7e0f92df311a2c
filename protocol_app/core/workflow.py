"""The one state-machine engine every process (visit, nomination, assignment,
offer, applicant) runs on.

A process declares its transitions as data in its own `workflow.py`; `apply`
checks role and guard, changes the state, writes the transition log and the
audit log in the same transaction, and relies on the record's version column
(optimistic locking) so that of two concurrent decisions only one applies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from .audit import record_event
from .db import UTCDateTime, VersionedMixin
from .errors import ConcurrentChangeError, DomainError, NotAllowed
from .permissions import Role, user_has
from .time import now_utc

#: A guard returns None when the transition may happen, else a user-facing reason.
Guard = Callable[[object, object], "str | None"]
#: Steps that end or undo the record's course: pages show them in the danger style and ask
#: before they are sent.
DESTRUCTIVE_ACTIONS = frozenset({"cancel", "decline", "withdraw", "withdraw_staffed", "refuse", "record_rejection"})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    action: str
    target: str
    roles: frozenset[Role]
    label: object = None
    guard: Guard | None = None
    requires_comment: bool = False
    #: Taken without an account by someone holding a personal link (a guest replying);
    #: the service has checked the link before it calls the engine.
    by_link: bool = False
    #: Who may take it: any of these permissions (the role → permission map decides).
    permissions: frozenset = frozenset()
    #: What the step does to the record besides its state (e.g. the next approval step),
    #: applied by the engine in the same transaction: effect(record, actor).
    effect: Callable | None = None
    #: For one decision with several outcomes (approving the last step proposes the case):
    #: rows of the same action are tried in order and the first whose `when(record)` holds is
    #: taken. A condition on the record, never on the actor (that is the guard's job).
    when: Callable | None = None

    @property
    def is_destructive(self) -> bool:
        return self.action in DESTRUCTIVE_ACTIONS


def transition(
    sources: str | Iterable[str],
    action: str,
    target: str,
    *,
    permission=None,
    roles: Iterable[Role] = (),
    label=None,
    guard: Guard | None = None,
    requires_comment: bool = False,
    by_link: bool = False,
    effect: Callable | None = None,
    when: Callable | None = None,
) -> Transition:
    """Declare one row of a transition table.

    `permission` (one Permission or a tuple of them, any of which suffices) says who may take
    it; `roles` remains for tables that name roles directly.
    """
    sources = frozenset([sources] if isinstance(sources, str) else sources)
    permissions = frozenset(permission if isinstance(permission, tuple | list | set | frozenset)
                            else ([permission] if permission is not None else []))
    if not permissions and not roles and not by_link:
        raise ValueError(f"transition {action}: say who may take it (permission=…)")
    return Transition(
        sources, action, target, frozenset(roles), label or action, guard, requires_comment, by_link, permissions,
        effect, when,
    )


@dataclass
class Workflow:
    """A named process with its states and transition table."""

    name: str
    states: type
    transitions: list[Transition] = field(default_factory=list)
    #: The record's column that holds the state ("status" for a guest's reply).
    state_attr: str = "state"

    def __post_init__(self):
        valid = {s.value for s in self.states}
        for t in self.transitions:
            unknown = (t.sources | {t.target}) - valid
            if unknown:
                raise ValueError(f"{self.name}: unknown states {sorted(unknown)} in {t.action}")
        for i, t in enumerate(self.transitions):
            later = [u for u in self.transitions[i + 1:] if u.action == t.action and u.sources & t.sources]
            if later and t.when is None:
                raise ValueError(f"{self.name}: {t.action} has a later row that can never be reached")

    def find(self, obj, action: str) -> Transition | None:
        """The row `action` takes from the record's state (the first whose condition holds)."""
        state = self.state_of(obj)
        for t in self.transitions:
            if t.action == action and state in t.sources and (t.when is None or t.when(obj)):
                return t
        return None

    def actions(self) -> list[str]:
        """Every action of the table once, in table order (the decisions a view can offer)."""
        return list(dict.fromkeys(t.action for t in self.transitions))

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_attr)

    @staticmethod
    def permitted(t: Transition, actor) -> bool:
        """Whether `actor`'s role (or, without an account, a personal link) may take `t` at all."""
        if actor is None:
            return t.by_link
        return any(user_has(actor, p) for p in t.permissions) or bool(actor.roles & t.roles)

    def refusal(self, obj, t: Transition, actor) -> str | None:
        """Return why `actor` may not take transition `t` on `obj`, or None."""
        if not self.permitted(t, actor):
            return _l("Your role does not allow this step.")
        if t.guard is not None:
            return t.guard(obj, actor)
        return None

    def options(self, obj, actor) -> tuple[list[Transition], list[tuple[Transition, object]]]:
        """The steps `actor` may take now, and those their role allows but a guard refuses, each
        with its reason (for a page to show them disabled) — every guard asked once, as some
        read the database (the honours rules)."""
        available, blocked = [], []
        for t in self.candidates(obj):
            if not self.permitted(t, actor):
                continue
            reason = t.guard(obj, actor) if t.guard is not None else None
            if reason is None:
                available.append(t)
            else:
                blocked.append((t, reason))
        return available, blocked

    def candidates(self, obj) -> list[Transition]:
        """One row per action possible from the record's state, whoever acts."""
        found = (self.find(obj, action) for action in self.actions())
        return [t for t in found if t is not None]

    def page_steps(self, obj, actor, *, may_move: bool = True, leave_out: Iterable[str] = ()) -> dict:
        """What a record page offers: {"transitions": steps `actor` may take now, "blocked":
        [(step, reason)] the engine refuses}, without the actions in `leave_out` (taken by a
        button of their own); nothing when `may_move` is false."""
        if not may_move:
            return {"transitions": [], "blocked": []}
        available, blocked = self.options(obj, actor)
        leave_out = set(leave_out)
        return {"transitions": [t for t in available if t.action not in leave_out],
                "blocked": [(t, reason) for t, reason in blocked if t.action not in leave_out]}

    def available(self, obj, actor) -> list[Transition]:
        """Return the transitions `actor` may take from the object's current state (one per action)."""
        return self.options(obj, actor)[0]


class WorkflowMixin(VersionedMixin):
    """Adds the state column and (through VersionedMixin) the version column
    that makes a concurrent change fail at flush."""

    __workflow__: Workflow

    state: Mapped[str] = mapped_column(sa.String(30), nullable=False, index=True)


class TransitionLog(db.Model):
    __tablename__ = "workflow_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    object_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    action: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    from_state: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    to_state: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)

    actor = db.relationship("User", lazy="joined")

    __table_args__ = (sa.Index("ix_workflow_transitions_object", "workflow", "object_id"),)


def history(workflow: Workflow, object_id: int) -> list[TransitionLog]:
    """Return the transition log of one record, oldest first."""
    return list(
        db.session.scalars(
            sa.select(TransitionLog)
            .where(TransitionLog.workflow == workflow.name, TransitionLog.object_id == object_id)
            .order_by(TransitionLog.occurred_at, TransitionLog.id)
        )
    )


def forget_history(workflow: Workflow, object_id: int) -> int:
    """Erase a record's transition log with the record (data protection: its comments can name
    the person); returns how many steps went. The audit log keeps that it happened."""
    result = db.session.execute(sa.delete(TransitionLog).where(TransitionLog.workflow == workflow.name,
                                                              TransitionLog.object_id == object_id))
    return result.rowcount


def start(obj, *, actor, comment: str | None = None) -> TransitionLog:
    """Log a new record's initial state, so that its history begins with its creation."""
    wf: Workflow = type(obj).__workflow__
    if obj.id is None:
        db.session.flush()
    entry = TransitionLog(workflow=wf.name, object_id=obj.id, action="create", from_state="-",
                          to_state=wf.state_of(obj), actor_id=getattr(actor, "id", None), comment=comment)
    db.session.add(entry)
    return entry


def begin(obj, *, actor, audit_action: str, summary: str | None = None, changes: dict | None = None,
          comment: str | None = None):
    """A new record with a life cycle: written, its history begun with its first state, and its
    creation logged as `audit_action` (with `summary` and `changes`). Returns the record."""
    db.session.add(obj)
    db.session.flush()
    start(obj, actor=actor, comment=comment)
    record_event(audit_action, actor=actor, target=obj, summary=summary, changes=changes)
    return obj


def apply(
    obj,
    action: str,
    *,
    actor,
    comment: str | None = None,
    expected_version: int | None = None,
) -> TransitionLog:
    """Take `action` on `obj` as `actor`; raise a DomainError if it is not allowed.

    `expected_version` is the version the user saw (from the form); a mismatch,
    or a concurrent commit detected at flush, raises ConcurrentChangeError.
    """
    wf: Workflow = type(obj).__workflow__
    if expected_version is not None and obj.version != expected_version:
        raise ConcurrentChangeError(_l("This record was changed meanwhile. Please reload it."))
    t = wf.find(obj, action)
    if t is None:
        raise DomainError(_l("This step is not possible in the current state."))
    reason = wf.refusal(obj, t, actor)
    if reason is not None:
        raise NotAllowed(reason)
    comment = (comment or "").strip() or None
    if t.requires_comment and not comment:
        raise DomainError(_l("Please give a reason for this step."), field="comment")

    from_state = wf.state_of(obj)
    setattr(obj, wf.state_attr, t.target)
    if t.effect is not None:
        t.effect(obj, actor)
    entry = TransitionLog(
        workflow=wf.name,
        object_id=obj.id,
        action=action,
        from_state=from_state,
        to_state=t.target,
        actor_id=getattr(actor, "id", None),
        comment=comment,
    )
    db.session.add(entry)
    record_event(
        f"{wf.name}.{action}",
        actor=actor,
        target=obj,
        summary=f"{from_state} -> {t.target}",
        changes={"state": [from_state, t.target]},
    )
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise ConcurrentChangeError(
            _l("This record was changed meanwhile. Please reload it.")
        ) from exc
    return entry
