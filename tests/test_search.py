"""The global search: folding, typos, ranking, and what each person may find."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from protocol_app.auth.models import User
from protocol_app.core.audit.models import AuditEvent
from protocol_app.core.search import search
from protocol_app.core.search.folding import fold
from protocol_app.extensions import db
from tests.support import login, make_user
from tests.visit_support import make_visit, reference_data


def test_names_fold_as_a_person_types_them():
    assert fold("Müller") == fold("Mueller") == fold("Muller") == fold("MÜLLER") == "muller"
    assert fold("Weiß") == fold("Weiss") == "weiss"
    assert fold("José Núñez") == "jose nunez"
    assert fold("Mehmet Yıldız") == "mehmet yildiz"
    assert fold("  Renée   Dubois ") == "renee dubois"


def _people(app):
    """A visit, a confidential visit, an event with guests (one under embargo) and a contact."""
    from protocol_app.directory.models import Contact
    from protocol_app.events import guests
    from protocol_app.events import services as events
    from protocol_app.events.models import Event

    reference_data(app)
    officer = make_user(app, "referent@example.org", roles=["officer"], name="Rainer Referent")
    make_user(app, "leser@example.org", roles=["viewer"], name="Lea Leserin")
    make_user(app, "emigration@example.org", roles=["emigration"], name="Emil Emigration")
    make_visit(app, officer, title="Arbeitsbesuch aus Warschau", guest_name="Jürgen Müller")
    make_visit(app, officer, title="Vertrauliche Vorbesprechung", guest_name="Karl Müller", is_confidential=True)
    with app.app_context():
        actor = db.session.get(User, officer)
        open_event = events.create_event(actor=actor, values={
            "title": "Empfang für das Konsularkorps", "kind": "reception",
            "starts_at": datetime(2027, 4, 1, 16, tzinfo=UTC),
            "ends_at": datetime(2027, 4, 1, 18, tzinfo=UTC),
            "responsible_officer_id": officer})
        guests.add_adhoc(open_event, actor=actor, name="Anna Müller-Lüdenscheidt", function="Konsulin",
                         organisation="Generalkonsulat", rank=100)
        secret = events.create_event(actor=actor, values={
            "title": "Verleihung des Verdienstordens", "kind": "ceremony",
            "starts_at": datetime(2027, 10, 1, 11, tzinfo=UTC),
            "ends_at": datetime(2027, 10, 1, 13, tzinfo=UTC),
            "responsible_officer_id": officer})
        guests.add_adhoc(secret, actor=actor, name="Greta Müllner", function="Preisträgerin", organisation=None,
                         rank=100)
        db.session.get(Event, secret.id).embargo_until = date(2099, 1, 1)
        db.session.add(Contact(name="Renée Dubois", function="Kulturattachée", organisation="Botschaft von Frankreich",
                               language="fr"))
        db.session.commit()
    return officer


def _found(app, email, query):
    with app.test_request_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        groups = {g.kind.name: [h.title for h in g.hits] for g in search(user, query)}
        db.session.commit()
        return groups


def test_muller_finds_mueller_and_a_typo_still_finds_them(app):
    _people(app)
    for query in ("Muller", "Mueller", "müller", "MÜLLER"):
        found = _found(app, "referent@example.org", query)
        assert "Arbeitsbesuch aus Warschau" in found["visits"], (query, found)
        assert "Anna Müller-Lüdenscheidt" in found["guests"], (query, found)
    assert "Arbeitsbesuch aus Warschau" in _found(app, "referent@example.org", "Muler")["visits"]  # one l missing
    assert _found(app, "referent@example.org", "Dubois")["contacts"] == ["Renée Dubois"]
    assert _found(app, "referent@example.org", "renee")["contacts"] == ["Renée Dubois"]
    assert _found(app, "referent@example.org", "Xylophon") == {}
    assert _found(app, "referent@example.org", "%%") == {}  # typed characters, not wildcards


def test_a_reference_typed_in_full_is_the_first_hit(app):
    _people(app)
    found = _found(app, "referent@example.org", "v-2027-0002")
    assert found["visits"][0] == "Vertrauliche Vorbesprechung"


def test_each_person_finds_only_what_they_may_open(app):
    _people(app)
    officer = _found(app, "referent@example.org", "Müller")
    viewer = _found(app, "leser@example.org", "Müller")
    # The confidential visit: officers (cleared) find it, and the finding is logged.
    assert "Vertrauliche Vorbesprechung" in officer["visits"]
    assert "Vertrauliche Vorbesprechung" not in viewer["visits"]
    with app.app_context():
        logged = db.session.scalars(sa.select(AuditEvent.summary).where(AuditEvent.action == "visit.search_read")).all()
    assert logged == ["V-2027-0002"]
    # A guest of an award not yet announced: honours roles only.
    assert "Greta Müllner" in _found(app, "referent@example.org", "Müllner")["guests"]
    # (Müller-Lüdenscheidt is a near miss of "Müllner", part by part; the embargoed guest is not found)
    assert "Greta Müllner" not in _found(app, "leser@example.org", "Müllner").get("guests", [])
    # The emigration team has no visits or events to search.
    assert _found(app, "emigration@example.org", "Müller") == {}


def test_honours_cases_only_for_the_honours_roles(app):
    from protocol_app.honours import services as honours
    from protocol_app.honours.models import AwardType
    from protocol_app.honours.reference_data import load_award_types

    officer = _people(app)
    with app.app_context():
        load_award_types()
        order = db.session.scalar(sa.select(AwardType).where(AwardType.name == "Verdienstorden des Landes Berlin"))
        honours.create_case(actor=db.session.get(User, officer), values={
            "award_type_id": order.id, "nominee_name": "Dr. Hannelore Weiß", "gender": "f",
            "suggested_by": "Senatorin für Kultur", "suggester_kind": "person",
            "justification": "Verdient um die Bibliotheken."})
        db.session.commit()
    assert _found(app, "referent@example.org", "Weiss")["honours"] == ["Dr. Hannelore Weiß"]
    assert "honours" not in _found(app, "leser@example.org", "Weiss")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "nomination.search_read")) == 1


def test_the_results_page_groups_by_kind_and_refuses_nothing_silently(app):
    _people(app)
    client = app.test_client()
    login(client, "referent@example.org")
    page = client.get("/search/?q=Muller").get_data(as_text=True)
    assert page.index("Besuche") < page.index("Gäste")
    assert 'data-testid="results-visits"' in page and 'data-testid="results-guests"' in page
    short = client.get("/search/?q=M").get_data(as_text=True)
    assert "mindestens zwei Buchstaben" in short
    none = client.get("/search/?q=Xylophon").get_data(as_text=True)
    assert "Nichts gefunden für „Xylophon“." in none
    assert app.test_client().get("/search/?q=Muller").status_code == 302  # signed out: to the login


def test_double_names_are_found_part_by_part_on_both_databases(app):
    from protocol_app.directory.models import Contact

    _people(app)
    with app.app_context():
        db.session.add_all([Contact(name="Dr. Gundula Müllenhoff-Kästner", function="Gesandte", language="de"),
                            Contact(name="Françoise Lefèvre-Duchâteau", function="Botschafterin", language="fr")])
        db.session.commit()
    for query, name in (("Müllenhoff Kästner", "Dr. Gundula Müllenhoff-Kästner"),
                        ("Kästner Müllenhoff", "Dr. Gundula Müllenhoff-Kästner"),
                        ("Mullenhof-Kastner", "Dr. Gundula Müllenhoff-Kästner"),
                        ("Lefebvre", "Françoise Lefèvre-Duchâteau"),
                        ("Duchateau", "Françoise Lefèvre-Duchâteau")):
        assert name in _found(app, "referent@example.org", query).get("contacts", []), query
    assert "contacts" not in _found(app, "referent@example.org", "Lemberg")


def _graves(app, *names):
    from protocol_app.graves.models import HonoraryGrave

    with app.app_context():
        db.session.add_all([HonoraryGrave(name=name, cemetery="Dorotheenstädtischer Friedhof", district="Mitte")
                            for name in names])
        db.session.commit()


def test_list_search_folds_capital_umlauts_on_both_databases(app):
    from tests.support import login

    make_user(app, "referent@example.org", roles=["officer"], name="Rainer Referent")
    client = app.test_client()
    login(client, "referent@example.org")
    _graves(app, "Gertrud Öhlschläger", "Hans Ohm")
    for query in ("Öhlschläger", "ÖHLSCHLÄGER", "öhlschläger", "Oehlschlaeger", "hlschläger", "Gertrud Öhl"):
        page = client.get(f"/graves/?q={query}").get_data(as_text=True)
        assert "Gertrud Öhlschläger" in page and "Hans Ohm" not in page, query


def test_lists_sort_titles_and_names_as_a_german_reader_expects(app):
    from tests.support import login

    officer = make_user(app, "referent@example.org", roles=["officer"], name="Rainer Referent")
    reference_data(app)
    client = app.test_client()
    login(client, "referent@example.org")
    for title in ("Arbeitsbesuch Vilnius", "Arbeitsbesuch aus Kyjiw", "arbeitsgespräch Riga", "Äbtissinnen aus Ulm"):
        make_visit(app, officer, title=title)
    page = client.get("/visits/?sort=title&dir=asc").get_data(as_text=True)
    positions = [page.index(title) for title in ("Äbtissinnen aus Ulm", "Arbeitsbesuch aus Kyjiw",
                                                 "Arbeitsbesuch Vilnius", "arbeitsgespräch Riga")]
    assert positions == sorted(positions)
    _graves(app, "Ohm, Hans", "Öhlschläger, Gertrud", "Oberg, Eva", "ovid, Publius")
    page = client.get("/graves/?sort=name&dir=asc").get_data(as_text=True)
    positions = [page.index(name) for name in ("Oberg, Eva", "Öhlschläger, Gertrud", "Ohm, Hans", "ovid, Publius")]
    assert positions == sorted(positions)
