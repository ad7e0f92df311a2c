"""The Sprachendienst's rules: profiles, AIIC team sizes, candidates with reasons, offers and
answers (only one's own, the last place given once even under concurrency)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from protocol_app.core.errors import DomainError, NotAllowed, ValidationFailed
from protocol_app.core.notifications.models import Notification
from protocol_app.extensions import db
from protocol_app.language_service import candidates, offers, services
from protocol_app.language_service.models import Assignment, Offer, TranslatorProfile
from tests.language_support import START, interpreting, setup_translators, user_by_name

NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def office(app):
    setup_translators(app)
    return app


def _profile(name):
    return db.session.scalar(sa.select(TranslatorProfile).join(TranslatorProfile.user).where(
        TranslatorProfile.user.has(full_name=name)))


def test_the_aiic_rule_proposes_the_team_and_a_different_size_needs_a_reason(office):
    assert services.aiic_team_size("simultaneous", START, START + timedelta(minutes=40)) == 1
    assert services.aiic_team_size("simultaneous", START, START + timedelta(hours=4)) == 2
    assert services.aiic_team_size("simultaneous", START, START + timedelta(hours=6)) == 3
    assert services.aiic_team_size("consecutive", START, START + timedelta(hours=6)) == 1
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        assignment = services.create_assignment(actor=officer, values=interpreting())
        assert (assignment.needed, assignment.proposed_team) == (2, 2)
        with pytest.raises(ValidationFailed, match="Grund"):
            services.create_assignment(actor=officer, values=interpreting(), needed=1)
        single = services.create_assignment(actor=officer, values=interpreting(), needed=1,
                                            team_reason="Kurze Tischrede, Pausen eingeplant")
        assert (single.needed, single.proposed_team, single.team_reason) == (1, 2, "Kurze Tischrede, Pausen eingeplant")


def test_bad_assignments_and_profiles_are_refused_with_german_messages(office):
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        with pytest.raises(ValidationFailed, match="kein Sprachcode"):
            services.create_assignment(actor=officer, values=interpreting(language="xx"))
        with pytest.raises(ValidationFailed, match="in der Vergangenheit"):
            services.create_assignment(actor=officer, values=interpreting(
                starts_at=NOW - timedelta(days=1), ends_at=NOW - timedelta(hours=20)))
        with pytest.raises(ValidationFailed, match="nach seinem Beginn enden"):
            services.add_window(_profile("Anna Englisch"), actor=officer, weekday=2, starts=time(12), ends=time(9))
        with pytest.raises(NotAllowed):
            services.add_absence(_profile("Anna Englisch"), actor=user_by_name("Bruno Bilingual"),
                                 starts_on=date(2027, 2, 1), ends_on=date(2027, 2, 2), kind="holiday")


def test_candidates_are_ranked_with_reasons_and_the_others_excluded_with_theirs(office):
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        services.add_absence(_profile("Anna Englisch"), actor=user_by_name("Anna Englisch"),
                             starts_on=date(2027, 2, 15), ends_on=date(2027, 2, 19), kind="holiday")
        assignment = services.create_assignment(actor=officer, values=interpreting())
        ranked, excluded = candidates.rank(assignment)
        assert [c.profile.name for c in ranked] == ["Bruno Bilingual", "Clara Passiv"]  # A before C
        why = {e.profile.name: " / ".join(str(r) for r in e.reasons) for e in excluded}
        assert "abwesend" in why["Anna Englisch"]
        assert "arbeitet nicht in dieser Sprache" in why["Dora Französisch"]
        assert "zu dieser Zeit der Woche nicht verfügbar" in why["Emil Abends"]
        assert "Simultan" in str(ranked[0].reasons) or ranked[0].reasons


def test_a_booking_nearby_at_another_venue_excludes_and_the_fair_share_ranks(office):
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        earlier = services.create_assignment(actor=officer, needed=1, team_reason="Kurz", values=interpreting(
            starts_at=START - timedelta(hours=1), ends_at=START - timedelta(minutes=20), location="Anderswo"))
        offers.make_offers(earlier, [_profile("Bruno Bilingual").id], actor=officer)
        # Emil also works mornings now; Anna already has an assignment this month.
        services.add_window(_profile("Emil Abends"), actor=officer, weekday=1, starts=time(8), ends=time(16))
        before = services.create_assignment(actor=officer, needed=1, team_reason="Kurz", values=interpreting(
            starts_at=START - timedelta(days=7), ends_at=START - timedelta(days=7) + timedelta(minutes=30)))
        anna_offer = offers.make_offers(before, [_profile("Anna Englisch").id], actor=officer)[0]
        offers.answer(anna_offer, actor=user_by_name("Anna Englisch"), accept=True)
        assignment = services.create_assignment(actor=officer, values=interpreting())
        ranked, excluded = candidates.rank(assignment)
        # B before C; among the Bs, the one with fewer assignments this month first.
        assert [c.profile.name for c in ranked] == ["Emil Abends", "Anna Englisch", "Clara Passiv"]
        assert "1 Einsatz in diesem Monat" in " ".join(str(r) for r in ranked[1].reasons)
        why = {e.profile.name: " ".join(str(r) for r in e.reasons) for e in excluded}
        assert f"gebucht für {earlier.reference}" in why["Bruno Bilingual"]


def test_offers_answers_and_withdrawal_when_staffed(office):
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        assignment = services.create_assignment(actor=officer, values=interpreting(), needed=1,
                                                team_reason="Nur Begrüßung")
        bruno, clara = _profile("Bruno Bilingual"), _profile("Clara Passiv")
        made = offers.make_offers(assignment, [bruno.id, clara.id], actor=officer)
        assert offers.staffing(assignment, offers.offers_of(assignment)) == "offered"
        with pytest.raises(NotAllowed):
            offers.answer(made[1], actor=user_by_name("Bruno Bilingual"), accept=False)  # someone else's offer
        with pytest.raises(ValidationFailed):
            offers.make_offers(assignment, [_profile("Dora Französisch").id], actor=officer)  # not a candidate
        offers.answer(made[0], actor=user_by_name("Bruno Bilingual"), accept=True)
        assert offers.staffing(assignment, offers.offers_of(assignment)) == "staffed"
        db.session.refresh(made[1])
        assert made[1].state == "withdrawn"
        with pytest.raises(DomainError, match="inzwischen vergeben"):
            offers.answer(made[1], actor=user_by_name("Clara Passiv"), accept=True)
        told = db.session.scalars(sa.select(Notification.message).where(
            Notification.user_id == user_by_name("Clara Passiv").id)).all()
        assert any("zurückgezogen" in m for m in told)
        assert [o.assignment.reference for o in offers.my_offers(user_by_name("Clara Passiv"))] == [assignment.reference]


@pytest.mark.postgres_only
def test_two_translators_accepting_the_last_place_at_once(committing_app):
    app = committing_app
    setup_translators(app)
    with time_machine.travel(NOW, tick=False), app.app_context():
        officer = user_by_name("Rainer Referent")
        assignment = services.create_assignment(actor=officer, values=interpreting(), needed=1,
                                                team_reason="Nur Begrüßung")
        ids = [o.id for o in offers.make_offers(assignment, [_profile("Bruno Bilingual").id,
                                                             _profile("Clara Passiv").id], actor=officer)]
        db.session.commit()
    both_loaded = threading.Barrier(2)
    results = {}

    def accept(offer_id, name):
        with app.app_context():
            offer = db.session.get(Offer, offer_id)
            actor = user_by_name(name)
            both_loaded.wait()
            try:
                offers.answer(offer, actor=actor, accept=True)
                db.session.commit()
                results[name] = "accepted"
            except DomainError as exc:
                db.session.rollback()
                results[name] = str(exc.message)

    threads = [threading.Thread(target=accept, args=args)
               for args in zip(ids, ("Bruno Bilingual", "Clara Passiv"), strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    outcomes = list(results.values())
    assert outcomes.count("accepted") == 1, outcomes
    assert any(o.startswith("Vielen Dank") for o in outcomes), outcomes
    with app.app_context():
        assert sorted(db.session.scalars(sa.select(Offer.state))) == ["accepted", "withdrawn"]


def test_ranking_candidates_keeps_its_query_count_as_translators_and_bookings_grow(office, count_queries):
    from tests.support import make_user

    def grow(extra: int):
        for n in range(extra):
            make_user(office, f"extra{n}-{extra}@example.org", roles=["translator"], name=f"Extra {extra}-{n}")
        with time_machine.travel(NOW, tick=False), office.app_context():
            officer = user_by_name("Rainer Referent")
            for n in range(extra):
                profile = services.create_profile(user_by_name(f"Extra {extra}-{n}"), actor=officer)
                services.update_profile(profile, actor=officer, modes=["simultaneous"])
                services.set_language(profile, actor=officer, language="en", level="B")
                services.add_window(profile, actor=officer, weekday=1, starts=time(7), ends=time(19))
                services.add_absence(profile, actor=officer, starts_on=date(2028, 3, 1), ends_on=date(2028, 3, 2),
                                     kind="holiday")
                other = services.create_assignment(actor=officer, needed=1, team_reason="Kurz", values=interpreting(
                    starts_at=START + timedelta(days=7 * (n + 1)), ends_at=START + timedelta(days=7 * (n + 1), minutes=30)))
                offers.make_offers(other, [profile.id], actor=officer)
            assignment = services.create_assignment(actor=officer, values=interpreting())
            db.session.commit()
            return assignment.id

    def measure(assignment_id):
        with time_machine.travel(NOW, tick=False), office.app_context():
            assignment = db.session.get(Assignment, assignment_id)
            with count_queries() as statements:
                ranked, excluded = candidates.rank(assignment)
            return len(statements), len(ranked) + len(excluded)

    small, people_small = measure(grow(2))
    large, people_large = measure(grow(12))
    assert people_large > people_small and small == large, (small, large)
