"""Helpers shared by the events tests: an officer, an event form, invited guests."""

from __future__ import annotations

import sqlalchemy as sa

from protocol_app.events.models import Event
from protocol_app.extensions import db
from tests.support import ensure_reference_data, login, make_user, post


def officer_client(app):
    ensure_reference_data(app)
    uid = make_user(app, "referent@example.org", roles=["officer"])
    client = app.test_client()
    login(client, "referent@example.org")
    return uid, client


def event_form(**overrides):
    data = {"title": "Empfang für das Diplomatische Korps", "kind": "reception",
            "starts_at": "2027-01-20T18:00", "ends_at": "2027-01-20T21:00", "venue_id": "0",
            "host_id": "0", "responsible_officer_id": "0", "capacity": "400", "dress_code": "business",
            "press": "closed"}
    data.update(overrides)
    return data


def invited_guests(app, client, capacity="3"):
    """An event with capacity, three guests with e-mail, invitations sent; return tokens by name."""
    from protocol_app.auth.models import User
    from protocol_app.events import invitations
    from protocol_app.events.guests import add_adhoc
    from protocol_app.events.models import Guest

    post(client, "/events/new", event_form(capacity=capacity, reply_by="2027-01-10"))
    with app.app_context():
        event = db.session.scalar(sa.select(Event))
        actor = db.session.scalar(sa.select(User))
        for name, companions in (("Erste Person", 1), ("Zweite Person", 0), ("Dritte Person", 0)):
            guest = add_adhoc(event, actor=actor, name=name, companions=companions)
            guest.email = f"{name.split()[0].lower()}@example.org"
        tokens = invitations.send_invitations(event, actor=actor)
        db.session.commit()
        names = {g.id: g.name for g in db.session.scalars(sa.select(Guest))}
        return {names[gid]: token for gid, token in tokens.items()}


def guest_status(app, name):
    from protocol_app.events.models import Guest

    with app.app_context():
        return db.session.scalar(sa.select(Guest.status).where(Guest.name == name))


def answer_invitation(app, token, answer, companion=""):
    guest = app.test_client()
    url = f"/events/reply/{token}"
    return post(guest, url, {"answer": answer, "companion": companion})


def seat_of(app, name, *, companion=False):
    from protocol_app.events.models import EventTable, Guest, SeatAssignment

    with app.app_context():
        row = db.session.execute(
            sa.select(EventTable.number, SeatAssignment.seat).join(SeatAssignment.table).join(Guest)
            .where(Guest.name == name, SeatAssignment.is_companion.is_(companion))).first()
        return tuple(row) if row else None


def db_state(app):
    with app.app_context():
        return db.session.scalar(sa.select(Event.state))


def make_event(app, **overrides) -> int:
    """A reception made through the service by a committed officer; returns its id."""
    from datetime import UTC, datetime

    from protocol_app.auth.models import User
    from protocol_app.events.services import create_event

    officer_id = make_user(app, "planer@example.org", roles=["officer"], name="Paula Planer")
    values = {"title": "Empfang für das Diplomatische Korps", "kind": "reception",
              "starts_at": datetime(2027, 1, 20, 17, tzinfo=UTC), "ends_at": datetime(2027, 1, 20, 20, tzinfo=UTC),
              "capacity": 400, "dress_code": "business", "press": "closed", **overrides}
    with app.app_context():
        event = create_event(actor=db.session.get(User, officer_id), values=values)
        db.session.commit()
        return event.id
