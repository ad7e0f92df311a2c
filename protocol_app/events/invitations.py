"""Invitations and replies: a personal reply link per guest (no account needed),
answers that update the list at once, and a waiting list when the event is full."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..calendar.services import invitation_ics
from ..core import workflow
from ..core.audit import record_event
from ..core.db import lock_for_update, transactional
from ..core.errors import DomainError, ValidationFailed
from ..core.letters import layout, register_kind
from ..core.link_tokens import derived_token, derived_token_again, hash_token
from ..core.notifications.services import queue_written
from ..core.pdf import render_pdf
from ..core.record_parts import attach_file
from ..core.time import BERLIN, now_utc, today_berlin
from ..extensions import db
from . import mail_texts, needs
from .calendar_source import event_entry
from .guests import precedence_order
from .mail_texts import guest_mail
from .models import Event, Guest, GuestStatus, SeatAssignment
from .services import EVENT_PARTS
from .workflow import OPEN_STATES, EventState, require_open

#: Who signs the printed invitations is kept by admins (core.letters).
INVITATION_LETTER = register_kind("events.invitation", _l("Events: invitation letter"))

#: A reply link works until this long after the event has ended.
LINK_GRACE = timedelta(days=1)


def seats_taken(event: Event) -> int:
    """Places used by guests who accepted, each with the companion they named."""
    # COUNT(column) skips NULLs: one place per guest plus one per named companion.
    return db.session.scalar(
        sa.select(sa.func.count(Guest.id) + sa.func.count(Guest.companion_name))
        .where(Guest.event_id == event.id, Guest.status == GuestStatus.ACCEPTED.value)
    ) or 0


def _fits(event: Event, places: int) -> bool:
    return event.capacity is None or seats_taken(event) + places <= event.capacity


def reply_link(token: str) -> str:
    return f"{current_app.config['BASE_URL']}/events/reply/{token}"


def _invitation_mail(guest: Guest, event: Event, token: str) -> None:
    language = guest.language or "de"
    link = reply_link(token)
    with force_locale(language):
        calendar = invitation_ics(event_entry(event, for_guest=True), base_url=current_app.config["BASE_URL"],
                                  url=link)
    queue_written(guest.email, guest_mail(mail_texts.INVITATION, guest, event, link=link), language=language,
                  calendar=calendar)


def letters_pdf(event: Event, guests_links: list[tuple[Guest, str | None]]) -> bytes:
    """Personalised invitation letters, one page each, each in its guest's language."""
    today = today_berlin()
    letters = []
    layouts = {}  # one letterhead (its images read once) per language, not per guest
    for guest, link in guests_links:
        language = "en" if guest.language == "en" else "de"
        if language not in layouts:
            layouts[language] = layout(INVITATION_LETTER, language)
        with force_locale(language):
            # Safe: rendered by an autoescaping template, so it is HTML already.
            html = render_template("events/_invitation_letter.html", guest=guest, event=event, link=link, today=today,
                                   address=guest.address_block(language), layout=layouts[language],
                                   language=language)
            letters.append(Markup(html))  # noqa: S704
    return render_pdf("events/invitation_letters.html", letters=letters, title=event.title)


@transactional
def send_invitations(event: Event, *, actor) -> dict[int, str]:
    """Invite every listed guest and mark the event's step.

    Guests with an e-mail address get their reply link by mail; for the others a PDF of
    personalised letters is attached to the event for posting.

    Returns {guest id: token} for the caller that prints letters; tokens are
    stored only as hashes.
    """
    # Two clicks on "send" (or two officers) must not invite anyone twice: the second
    # waits here and then finds the guests invited already.
    event = lock_for_update(event)
    require_open(event)
    guests = db.session.scalars(
        sa.select(Guest).where(Guest.event_id == event.id, Guest.status == GuestStatus.LISTED.value)
        .execution_options(populate_existing=True)
        .order_by(*precedence_order())
    ).all()
    if not guests and event.state == EventState.PLANNING:
        raise DomainError(_l("There is nobody on the guest list to invite."))
    tokens = {}
    by_post = []
    for guest in guests:
        guest.invited_at = now_utc()
        token, guest.reply_token_hash = _reply_token(guest)
        workflow.apply(guest, "invite", actor=actor)
        if guest.email:
            _invitation_mail(guest, event, token)
        else:
            by_post.append((guest, reply_link(token)))
        tokens[guest.id] = token
    db.session.flush()
    if by_post:
        # Guests without e-mail get a printed letter; its PDF (with their reply links) is kept with the event.
        stamp = now_utc().astimezone(BERLIN).strftime("%Y-%m-%d-%H%M")
        attach_file(EVENT_PARTS, event, actor=actor, filename=f"einladungen-post-{event.reference}-{stamp}.pdf",
                    data=letters_pdf(event, by_post),
                    description=str(_l("Invitation letters to post (%(n)s)", n=len(by_post))))
    if event.state == EventState.PLANNING:
        workflow.apply(event, "send_invitations", actor=actor)
    record_event("event.invitations_send", actor=actor, target=event, summary=f"{len(tokens)} invited")
    return tokens


def _reply_token_parts(guest: Guest) -> tuple:
    return ("guest-reply", guest.id, int(guest.invited_at.timestamp()))


def _reply_token(guest: Guest) -> tuple[str, str]:
    # Derived, not random, so that the reply reminder can carry the same personal link.
    return derived_token(*_reply_token_parts(guest))


def reply_link_of(guest: Guest) -> str | None:
    """The guest's personal reply link again (for the reminder), or None for an invitation
    sent before links could be written again."""
    if guest.invited_at is None or guest.reply_token_hash is None:
        return None
    token = derived_token_again(guest.reply_token_hash, *_reply_token_parts(guest))
    return reply_link(token) if token else None


def guest_for_token(token: str) -> Guest | None:
    """The guest of a reply token that still works, else None (no hint why)."""
    guest = db.session.scalar(sa.select(Guest).where(Guest.reply_token_hash == hash_token(token)))
    if guest is None or guest.event.state not in OPEN_STATES:
        return None
    if now_utc() > guest.event.ends_at + LINK_GRACE:
        return None
    return guest


#: Replies a guest has given (and may change until the deadline).
ANSWERED = (GuestStatus.ACCEPTED, GuestStatus.WAITING, GuestStatus.DECLINED)


def reply_period_over(event: Event) -> bool:
    """After the reply deadline the guest's own link no longer changes the answer."""
    return event.reply_by is not None and today_berlin() > event.reply_by


@transactional
def record_reply(guest: Guest, *, accept: bool, companion: str | None = None, channel: str = "online",
                 actor=None, answers: dict | None = None) -> str:
    """Record a guest's answer (with `answers` to the event's questions, `needs`); return the
    resulting status.

    An acceptance beyond the capacity goes to the waiting list; a cancellation
    moves the first waiting guest up if their party now fits.
    """
    # Places are decided one reply at a time per event: the event row is the lock, and
    # the guest is read again after it, as the previous reply left it.
    event = lock_for_update(guest.event)
    guest = lock_for_update(guest)
    if channel == "online" and reply_period_over(event):
        raise DomainError(_l("The reply period has ended. Please contact the protocol office."))
    companion = (companion or "").strip() or None
    if companion and guest.companions_allowed < 1:
        raise ValidationFailed(_l("This invitation is for one person only."))
    if answers is not None:
        needs.take_answers(guest, answers, accepting=accept)
    was_accepted = guest.status == GuestStatus.ACCEPTED.value
    # The places the others hold, counted before anything of this reply changes.
    own_party = (1 + (1 if guest.companion_name else 0)) if was_accepted else 0
    others = seats_taken(event) - own_party
    guest.replied_at = now_utc()
    guest.reply_channel = channel
    if accept:
        if guest.companion_name and not companion:  # the companion no longer comes: free their seat
            db.session.execute(sa.delete(SeatAssignment).where(SeatAssignment.guest_id == guest.id,
                                                               SeatAssignment.is_companion.is_(True)))
        guest.companion_name = companion
        party = 1 + (1 if companion else 0)
        fits = event.capacity is None or others + party <= event.capacity
        action = "accept" if fits else "wait"
    else:
        guest.companion_name = None
        # A declined guest drops out of the seating.
        db.session.execute(sa.delete(SeatAssignment).where(SeatAssignment.guest_id == guest.id))
        action = "decline"
    workflow.apply(guest, action, actor=actor, comment=channel)
    record_event("event.reply", actor=actor, target=guest, summary=f"{channel}: {guest.status}")
    if was_accepted and guest.status != GuestStatus.ACCEPTED.value:
        _move_up_waiting(event, actor=actor)
    return guest.status


def _move_up_waiting(event: Event, *, actor) -> None:
    """Give freed places to waiting guests in the order they answered."""
    # Called with the event locked (record_reply), so no other reply moves anyone meanwhile.
    waiting = db.session.scalars(
        sa.select(Guest).where(Guest.event_id == event.id, Guest.status == GuestStatus.WAITING.value)
        .order_by(Guest.replied_at, Guest.id).execution_options(populate_existing=True)
    ).all()
    for guest in waiting:
        if not _fits(event, 1 + (1 if guest.companion_name else 0)):
            break
        workflow.apply(guest, "move_up", actor=actor)
        record_event("event.waiting_list_moved_up", actor=actor, target=guest)
        if guest.email:
            queue_written(guest.email, guest_mail(mail_texts.PLACE_CONFIRMED, guest, event),
                          language=guest.language or "de")
