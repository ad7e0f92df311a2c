"""What a reception needs to know of its guests, asked at the reply: diet, access, the language
the guest speaks. Per event the office chooses the questions and which are required.

Diet and access answers tell of health and belief — special-category data (Art. 9 GDPR): they
are kept sealed, read only by the event's staff (every showing logged), given to the caterer as
numbers without names, and erased `GUEST_NEEDS_RETENTION_DAYS` after the event.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event, record_read
from ..core.enums import LabelledEnum
from ..core.errors import ValidationFailed
from ..core.forms import checked_plain_text
from ..core.languages import check_language
from ..core.reminders import reminder_rule
from ..core.sealing import seal, unseal
from ..core.time import now_utc
from ..extensions import db
from .models import Event, Guest, GuestStatus
from .permissions import can_read_needs

#: A note (an allergy, a wish) is a line, not a letter.
NOTE_LENGTH = 200


class Question(LabelledEnum):
    DIET = "diet", _l("Dietary needs")
    ACCESS = "access", _l("Access needs")
    LANGUAGE = "language", _l("The language the guest speaks")


class Diet(LabelledEnum):
    NONE = "none", _l("No special diet")
    VEGETARIAN = "vegetarian", _l("Vegetarian")
    VEGAN = "vegan", _l("Vegan")
    HALAL = "halal", _l("Halal")
    KOSHER = "kosher", _l("Kosher")
    GLUTEN_FREE = "gluten_free", _l("Gluten-free")
    LACTOSE_FREE = "lactose_free", _l("Lactose-free")
    OTHER = "other", _l("Other (please say below)")


class Access(LabelledEnum):
    WHEELCHAIR = "wheelchair", _l("Wheelchair access")
    HEARING_LOOP = "hearing_loop", _l("Hearing loop")
    NEAR_EXIT = "near_exit", _l("A seat near an exit")


@dataclass
class Needs:
    diet: str | None = None
    diet_note: str = ""
    access: list[str] = field(default_factory=list)
    access_note: str = ""

    @property
    def is_empty(self) -> bool:
        return (self.diet in (None, Diet.NONE.value)) and not (self.diet_note or self.access or self.access_note)

    def words(self) -> list[str]:
        """The needs in the reader's language, for a list or a place card's back."""
        shown = []
        if self.diet and self.diet != Diet.NONE.value:
            shown.append(str(Diet(self.diet).label))
        shown += [str(Access(a).label) for a in self.access]
        return shown + [note for note in (self.diet_note, self.access_note) if note]


def questions(event: Event) -> list[str]:
    return [q for q in (event.reply_questions or "").split(",") if q]


def required(event: Event) -> list[str]:
    return [q for q in (event.reply_required or "").split(",") if q]


def check_settings(asked, needed) -> tuple[str | None, str | None]:
    """The event's questions as stored; a required question must be asked."""
    known = {q.value for q in Question}
    asked, needed = [q for q in asked or () if q in known], [q for q in needed or () if q in known]
    if set(needed) - set(asked):
        raise ValidationFailed(_l("A question can only be required when it is asked."), field="reply_required")
    return ",".join(asked) or None, ",".join(needed) or None


def needs_of(guest: Guest) -> Needs:
    """The guest's needs (none when not answered or erased)."""
    if not guest.needs_sealed:
        return Needs()
    return Needs(**json.loads(unseal(guest.needs_sealed)))


def _note(text: str | None, field_name: str) -> str:
    return checked_plain_text(text, field=field_name, limit=NOTE_LENGTH) or ""


def take_answers(guest: Guest, answers: dict, *, accepting: bool) -> None:
    """Keep what a guest answered to the event's questions (only those asked); a guest who
    accepts must answer the required ones. Called inside the reply's transaction."""
    event, asked = guest.event, questions(guest.event)
    if accepting:
        missing = {Question.DIET.value: not answers.get("diet"),
                   Question.ACCESS.value: not (answers.get("access") or answers.get("access_note") or answers.get("no_access_needs")),
                   Question.LANGUAGE.value: not answers.get("conversation_language")}
        for question in required(event):
            if missing.get(question):
                raise ValidationFailed(_l("Please answer this question."), field={"diet": "diet", "access": "access",
                                                                                   "language": "conversation_language"}[question])
    needs = needs_of(guest)
    if Question.DIET.value in asked:
        diet = answers.get("diet") or None
        if diet is not None and diet not in {d.value for d in Diet}:
            raise ValidationFailed(_l("Please choose from the list."), field="diet")
        needs.diet, needs.diet_note = diet, _note(answers.get("diet_note"), "diet_note")
    if Question.ACCESS.value in asked:
        chosen = [a for a in answers.get("access") or () if a in {x.value for x in Access}]
        needs.access, needs.access_note = chosen, _note(answers.get("access_note"), "access_note")
    if Question.LANGUAGE.value in asked:
        code = answers.get("conversation_language")
        guest.conversation_language = check_language(code, "conversation_language") if code else None
    guest.needs_sealed = None if needs.is_empty else seal(json.dumps(needs.__dict__))


def shown_to(user, event: Event, guests, *, how: str) -> dict[int, Needs]:
    """{guest id: needs} of `guests` for the event's staff, the showing logged (which event,
    where); nothing for anyone else."""
    if not can_read_needs(user, event):
        return {}
    found = {g.id: needs_of(g) for g in guests if g.needs_sealed}
    found = {gid: n for gid, n in found.items() if not n.is_empty}
    if found:
        record_read(user, scope="event", references=[event.reference], how=how)
    return found


def caterer_rows(event: Event) -> list[list]:
    """The caterer's list: how many come, how many per diet, the notes — a number where a number
    will do, and no name anywhere."""
    counts, notes, coming = Counter(), [], 0
    for guest in db.session.scalars(sa.select(Guest).where(Guest.event_id == event.id,
                                                            Guest.status == GuestStatus.ACCEPTED.value)):
        coming += 1 + (1 if guest.companion_name else 0)
        needs = needs_of(guest)
        if needs.diet and needs.diet != Diet.NONE.value:
            counts[needs.diet] += 1
        if needs.diet_note:
            notes.append(needs.diet_note)
    rows = [[str(_l("Guests expected (with companions)")), coming]]
    rows += [[str(diet.label), counts[diet.value]] for diet in Diet if counts.get(diet.value)]
    return rows + [[str(_l("Note")), note] for note in sorted(notes)]


def erase_due_needs() -> int:
    """Erase the needs of the guests of events that ended longer ago than the retention allows
    (in one statement, however many guests; one audit entry per event, without content)."""
    boundary = now_utc() - timedelta(days=current_app.config["GUEST_NEEDS_RETENTION_DAYS"])
    due = (sa.select(Guest.id).join(Event, Event.id == Guest.event_id).where(
        Event.ends_at < boundary, Guest.needs_erased_at.is_(None),
        sa.or_(Guest.needs_sealed.is_not(None), Guest.conversation_language.is_not(None))))
    by_event = db.session.execute(sa.select(Guest.event_id, sa.func.count(Guest.id))
                                  .where(Guest.id.in_(due)).group_by(Guest.event_id)).all()
    if not by_event:
        return 0
    db.session.execute(sa.update(Guest).where(Guest.id.in_(due.scalar_subquery()))
                       .values(needs_sealed=None, conversation_language=None, needs_erased_at=now_utc())
                       .execution_options(synchronize_session=False))
    for event_id, count in by_event:
        record_event("event.needs_erased", object_type="events", object_id=event_id, summary=f"{count} guests")
    return sum(count for _event_id, count in by_event)


@reminder_rule("event-needs-retention")
def needs_retention() -> int:
    """Beat: the guests' needs go with the guest list's retention."""
    return erase_due_needs()
