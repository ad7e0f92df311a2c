"""Demo press notes (demo only): the working visit from Warsaw published ("Aktuelles"), the Paris
delegation's jubilee published ("Rückblick"); the Brussels delegation is left for a note to be
drafted."""

from __future__ import annotations

import sqlalchemy as sa

from ..core import workflow
from ..extensions import db
from ..programme.occasions import occasion_of
from .models import NewsNote
from .services import create_note

#: Title of the demo visit: (title de, lead de, text de, title en, lead en, text en)
DEMO_NOTES = {
    "Arbeitsbesuch aus Warschau": (
        "Warschauer Delegation im Roten Rathaus",
        "Der stellvertretende Stadtpräsident von Warschau hat Berlin zu einem Arbeitsbesuch besucht.",
        "Im Mittelpunkt standen die Zusammenarbeit der beiden Verwaltungen und der Jugendaustausch.",
        "Warsaw delegation at the Rotes Rathaus",
        "The Deputy Mayor of Warsaw paid a working visit to Berlin.",
        "The talks centred on the cooperation of both administrations and on youth exchange."),
    "Delegation der Stadt Paris zum Partnerschaftsjubiläum": (
        "Paris und Berlin feiern ihre Partnerschaft",
        "Eine Delegation der Stadt Paris war zum Jubiläum der Städtepartnerschaft in Berlin.",
        "Die Gäste trugen sich in das Gästebuch des Landes Berlin ein.",
        "Paris and Berlin celebrate their partnership",
        "A delegation of the City of Paris came to Berlin for the jubilee of the partnership.",
        "The guests signed the guest book of the Land of Berlin."),
}


def seed_demo_news(officer, manager, visit_ids: dict[str, int]) -> int:
    """Draft, send and approve the demo notes unless notes exist already; `visit_ids` by title."""
    if db.session.scalar(sa.select(sa.func.count(NewsNote.id))):
        return 0
    made = 0
    for title, texts in DEMO_NOTES.items():
        if title not in visit_ids or occasion_of("visit", visit_ids[title]) is None:
            continue
        values = dict(zip(("title_de", "lead_de", "text_de", "title_en", "lead_en", "text_en"), texts, strict=True))
        note = create_note("visit", visit_ids[title], values, actor=officer)
        workflow.apply(note, "submit", actor=officer)
        workflow.apply(note, "approve", actor=manager)
        made += 1
    return made
