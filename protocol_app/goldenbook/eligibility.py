"""Who signs which book: the eligibility rule of the Golden Book of Berlin.

The Golden Book is reserved for crowned heads, heads of state and of government, foreign
ministers, the mayors of the partner cities and the Federal President; everyone else signs the
Gästebuch. The rule reads the signatory's function as the office writes it (German or English);
a deputy, vice or former holder of an office is not the holder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from ..core.enums import LabelledEnum


class Book(LabelledEnum):
    GOLDEN = "golden", _l("Golden Book")
    GUEST = "guest", _l("Gästebuch")


class Rank(LabelledEnum):
    """The functions that sign the Golden Book."""

    CROWNED_HEAD = "crowned_head", _l("Crowned head")
    FEDERAL_PRESIDENT = "federal_president", _l("Federal President")
    HEAD_OF_STATE = "head_of_state", _l("Head of state")
    HEAD_OF_GOVERNMENT = "head_of_government", _l("Head of government")
    FOREIGN_MINISTER = "foreign_minister", _l("Foreign minister")
    PARTNER_CITY_MAYOR = "partner_city_mayor", _l("Mayor of a partner city")


def _words(*patterns: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")", re.IGNORECASE)


#: Not the holder of the office: "Vizepräsident", "stellvertretende Ministerpräsidentin", "former King",
#: "Erste Beigeordnete der Bürgermeisterin", "Berater des Präsidenten", "Botschafter des Königs".
_NOT_THE_HOLDER = _words(r"vize", r"vice", r"stellv", r"deputy", r"ehemalig", r"former", r"a\.\s?d\.",
                         r"designiert", r"designate", r"kronprinz", r"crown prince", r"thronfolger", r"beigeordnet",
                         r"berater", r"advis[eo]r", r"referent", r"sprecher", r"spokes", r"büroleiter", r"chief of staff",
                         r"botschafter", r"ambassador", r"generalkonsul", r"consul", r"gesandt", r"envoy")
_CROWNED = _words(r"könig(?:in)?\b", r"koenig(?:in)?\b", r"king\b", r"queen\b", r"kaiser(?:in)?\b", r"emperor\b",
                  r"empress\b", r"gro(?:ß|ss)herzog(?:in)?\b", r"grand duke\b", r"grand duchess\b", r"emir\b",
                  r"sultan\b", r"majestät\b", r"majesty\b", r"regierende[rn]? fürst(?:in)?\b", r"sovereign prince\b",
                  r"monarch\b")
_FEDERAL_PRESIDENT = _words(r"bundespr(?:ä|ae)sident(?:in)?\b", r"federal president\b")
_HEAD_OF_STATE = _words(r"staatspräsident(?:in)?\b", r"staatsoberhaupt\b", r"head of state\b",
                        r"präsident(?:in)? der (?:\w+ )*republik\b", r"president of the (?:\w+ )*republic\b",
                        r"president of the united states\b", r"präsident(?:in)? der vereinigten staaten\b")
_PRESIDENT = _words(r"pr(?:ä|ae)sident(?:in)?\b", r"president\b")
_HEAD_OF_GOVERNMENT = _words(r"premierminister(?:in)?\b", r"prime minister\b", r"ministerpräsident(?:in)?\b",
                             r"bundeskanzler(?:in)?\b", r"kanzler(?:in)?\b", r"chancellor\b", r"regierungschef(?:in)?\b",
                             r"head of government\b", r"taoiseach\b", r"premier\b")
_FOREIGN_MINISTER = _words(r"au(?:ß|ss)enminister(?:in)?\b", r"foreign minister\b", r"foreign secretary\b",
                           r"minister(?:in)? (?:für|des) (?:auswärtige|äußere)", r"minister (?:of|for) foreign affairs\b",
                           r"secretary of state\b(?! for)", r"bundesminister(?:in)? des auswärtigen\b")
_MAYOR = _words(r"(?:ober)?b(?:ü|ue)rgermeister(?:in)?\b", r"mayor\b", r"lord mayor\b", r"gouverneur(?:in)?\b",
                r"governor\b", r"stadtpräsident(?:in)?\b", r"maire\b", r"alcalde(?:sa)?\b", r"intendente\b",
                r"jefe de gobierno\b", r"head of government of\b")


def rank_of(function: str | None, *, countries: Iterable[str] = (), partner_cities: Iterable[str] = (),
            partner_city_occasion: bool = False) -> Rank | None:
    """The Golden Book rank the function names, or None (the Gästebuch).

    `countries` are country names ("Polen", "Poland"): a "President of Poland" is a head of
    state, a "Präsident des Bundesamts" is not. A mayor is a partner city's when the function
    names one of `partner_cities` or the occasion is a partner city's visit.
    """
    text = " ".join((function or "").split())
    if not text or _NOT_THE_HOLDER.search(text):
        return None
    if _CROWNED.search(text):
        return Rank.CROWNED_HEAD
    if _FEDERAL_PRESIDENT.search(text):
        return Rank.FEDERAL_PRESIDENT
    if _FOREIGN_MINISTER.search(text):
        return Rank.FOREIGN_MINISTER
    if _HEAD_OF_GOVERNMENT.search(text) and not _MAYOR.search(text):
        return Rank.HEAD_OF_GOVERNMENT
    if _HEAD_OF_STATE.search(text):
        return Rank.HEAD_OF_STATE
    folded = text.casefold()
    if _PRESIDENT.search(text) and (folded in {"präsident", "präsidentin", "president", "staatspräsident"}
                                    or any(_names(folded, name) for name in countries)):
        return Rank.HEAD_OF_STATE
    if _MAYOR.search(text) and (partner_city_occasion or any(_names(folded, name) for name in partner_cities)):
        return Rank.PARTNER_CITY_MAYOR
    return None


def _names(folded_text: str, name: str) -> bool:
    name = name.casefold()
    return bool(name) and re.search(r"\b" + re.escape(name) + r"\b", folded_text) is not None


def book_for(rank: Rank | None) -> Book:
    """The book the rule proposes."""
    return Book.GOLDEN if rank is not None else Book.GUEST
