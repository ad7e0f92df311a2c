"""Entries planned from a programme: an item flagged "Golden Book" plans the entry of its guest
and the calligrapher's "page prepared" task; until it is signed, the entry follows the item's day
and the visit's guest (name, function, country: a corrected name reaches the calligrapher), and
it is withdrawn when the flag goes, the item is removed or the visit is cancelled.

The visit tells the book what it needs (`ItemPlan`); the book never reads the visit's tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from ..core import workflow
from ..core.audit import record_event
from ..core.checklists import services as checklists
from ..core.db import transactional
from ..core.time import today_berlin
from ..extensions import db
from .eligibility import Book, Rank, book_for
from .models import BookEntry
from .services import rule_rank, settings
from .workflow import EntryState

#: The task's title on the visit's checklist (the office's language, as its templates are).
TASK_TITLE = "Kalligrafie: Seite im Goldenen Buch vorbereitet – {signatory}"


@dataclass(frozen=True)
class ItemPlan:
    """What a flagged programme item tells the book about the signing it plans."""

    scope: str
    subject_id: int
    item_id: int
    day: date
    occasion: str
    signatory: str
    function: str
    country_code: str | None
    partner_city_occasion: bool
    #: Who sees the calligrapher's task on the checklist: the responsible officer.
    owner_id: int | None


def _entry_of_item(item_id: int) -> BookEntry | None:
    # Under a row lock: two saves of one item must not plan its entry twice (the unique item id
    # backs this up; the lock makes the second save find the first one's entry).
    return db.session.scalar(sa.select(BookEntry).where(BookEntry.programme_item_id == item_id).with_for_update(of=BookEntry))


def task_due(day: date) -> date:
    """The page is prepared `lead_days` before the signing; a task is never due before it exists."""
    return max(day - timedelta(days=settings().lead_days), today_berlin())


@transactional
def plan_for_item(plan: ItemPlan, *, actor) -> BookEntry:
    """Plan (or keep up to date) the entry a flagged programme item stands for."""
    entry = _entry_of_item(plan.item_id)
    if entry is None:
        rank = rule_rank(plan.function, partner_city_occasion=plan.partner_city_occasion)
        entry = BookEntry(
            signed_on=plan.day, signatory=plan.signatory or "?", function=plan.function or "?",
            country_code=plan.country_code, occasion_scope=plan.scope, occasion_id=plan.subject_id,
            occasion=plan.occasion, programme_item_id=plan.item_id, book=book_for(rank).value,
            rank=rank.value if rank else None, state=EntryState.PLANNED.value)
        db.session.add(entry)
        db.session.flush()
        workflow.start(entry, actor=actor, comment=plan.occasion)
        record_event("book_entry.plan", actor=actor, target=entry, summary=entry.signatory,
                     changes={"book": [None, entry.book], "signed_on": [None, plan.day.isoformat()]})
    elif entry.state == EntryState.WITHDRAWN.value:
        workflow.apply(entry, "replan", actor=actor)
    if entry.state == EntryState.PLANNED.value:
        _follow_plan(entry, plan, actor=actor)
    _keep_task(entry, actor=actor, owner_id=plan.owner_id)
    return entry


def _follow_plan(entry: BookEntry, plan: ItemPlan, *, actor) -> None:
    """A planned entry takes the item's day and the guest as the visit now names them; the book
    follows the rule unless an officer chose it against the rule."""
    wanted = {"signed_on": plan.day, "signatory": plan.signatory or "?", "function": plan.function or "?",
              "country_code": plan.country_code, "occasion": plan.occasion}
    if wanted["function"] != entry.function:
        old_rank = entry.rank
        rank = rule_rank(plan.function, partner_city_occasion=plan.partner_city_occasion)
        wanted["rank"] = rank.value if rank else None
        # a book the officer chose against the rule stays (a Golden Book one keeps its reason)
        if entry.book == book_for(Rank(old_rank) if old_rank else None).value and not entry.reason:
            wanted["book"] = book_for(rank).value
    changes = {key: [_plain(getattr(entry, key)), _plain(value)] for key, value in wanted.items()
               if getattr(entry, key) != value}
    if not changes:
        return
    for key, value in wanted.items():
        setattr(entry, key, value)
    db.session.flush()
    record_event("book_entry.update", actor=actor, target=entry, summary=entry.signatory, changes=changes)


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


@transactional
def occasion_changed(plan: ItemPlan, *, actor) -> None:
    """The visit's guest or title changed: the item's planned entry and its task follow (a signed
    or withdrawn entry stays as it is)."""
    entry = _entry_of_item(plan.item_id)
    if entry is not None and entry.state == EntryState.PLANNED.value:
        _follow_plan(entry, plan, actor=actor)
        _keep_task(entry, actor=actor, owner_id=None)


@transactional
def item_unflagged(item_id: int, *, actor, reason: str) -> None:
    """The item lost its flag or was removed: its planned entry is withdrawn."""
    entry = _entry_of_item(item_id)
    if entry is not None and entry.state == EntryState.PLANNED.value:
        workflow.apply(entry, "withdraw", actor=actor, comment=reason)


@transactional
def withdraw_for(scope: str, subject_id: int, *, actor, reason: str) -> int:
    """The visit or event was cancelled: its planned entries are withdrawn; returns how many."""
    entries = db.session.scalars(sa.select(BookEntry).where(
        BookEntry.occasion_scope == scope, BookEntry.occasion_id == subject_id,
        BookEntry.state == EntryState.PLANNED.value).with_for_update(of=BookEntry)).all()
    for entry in entries:
        workflow.apply(entry, "withdraw", actor=actor, comment=reason)
    return len(entries)


def follow_entry(entry: BookEntry, *, actor) -> None:
    """After an officer changed an entry: its task follows the day and the book."""
    _keep_task(entry, actor=actor, owner_id=None)


def _keep_task(entry: BookEntry, *, actor, owner_id: int | None) -> None:
    # Only a planned Golden Book entry of a visit or event has a page to prepare.
    needs_task = (entry.state == EntryState.PLANNED.value and entry.book == Book.GOLDEN.value
                  and entry.occasion_scope is not None)
    task = entry.calligrapher_task
    if not needs_task:
        drop_calligrapher_task(entry, actor)
        return
    due = task_due(entry.signed_on)
    if task is None:
        task = checklists.add_task(scope=entry.occasion_scope, subject_id=entry.occasion_id,
                                   title=TASK_TITLE.format(signatory=entry.signatory)[:200], due_on=due,
                                   owner_id=owner_id or actor.id, actor=actor)
        entry.calligrapher_task_id = task.id
        db.session.flush()
    elif not task.is_done:
        checklists.update_task(task, owner_id=task.owner_id, due_on=due, actor=actor,
                               title=TASK_TITLE.format(signatory=entry.signatory)[:200])


def drop_calligrapher_task(entry: BookEntry, actor) -> None:
    """Remove the open task of a page that will not be signed (a done one stays on record)."""
    task = entry.calligrapher_task
    if task is not None and not task.is_done:
        entry.calligrapher_task_id = None
        db.session.flush()
        checklists.remove_task(task, actor=actor, reason=f"book entry {entry.id}")


def finish_calligrapher_task(entry: BookEntry, actor) -> None:
    """The entry is signed: its page was prepared."""
    task = entry.calligrapher_task
    if task is not None and not task.is_done:
        checklists.set_done(task, True, actor=actor)
