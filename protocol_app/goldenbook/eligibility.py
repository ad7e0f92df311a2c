"""Who signs which book: the eligibility rule of the Golden Book of Berlin.

The Golden Book is reserved for crowned heads, heads of state and of government, foreign
ministers, the mayors of the partner cities and the Federal President; everyone else signs the
Gästebuch. The rule reads the signatory's function as offices actually write it, in German or
English: the country in the genitive ("Präsident Polens"), an official ministry title ("Minister
für Europa und auswärtige Angelegenheiten"), the city under another customary name ("Prezydent
m.st. Warszawy"). It reads who holds the office, not who stands near it: a deputy, a former or
designated holder, an adviser "des Präsidenten", the president "des Senats der Republik" are
not the holder. The officer can always choose the other book with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from ..core.enums import LabelledEnum
from ..core.search.folding import sort_key


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


def fold(text: str | None) -> str:
    """The text as the rule reads it: lower case, umlauts written out, other accents dropped,
    one space between words ("Präsident" and "Praesident", "Ciudad de México" and "Ciudad de
    Mexico" read alike)."""
    # umlauts written out first: the rule's words are spelled "praesident", as in "Praesident"
    text = (text or "").casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = sort_key(text).replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    return " ".join(text.split())


def _words(*patterns: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b")


#: Not the holder, when it stands with the title (between the commas or "und"s around it): deputies, former, designated and honorary holders,
#: heirs, and the staff and envoys of a holder.
_NOT_THE_HOLDER = re.compile(
    # word beginnings: "Vizepräsident", "stellvertretende", "ehemaliger", "Ehrenpräsident"
    r"\b(?:vize|vice|stellv|deputy|ehemalig|former|frueher|vormalig|einstig|retired|emerit|designiert|designate"
    r"|kandidat|candidate|nominee|kronprinz|crown prince|thronfolger|erbprinz|hereditary prince|beigeordnet|berater"
    r"|advis[eo]r|referent|sprecher|spokes|bueroleiter|chief of staff|botschafter|ambassador|generalkonsul|consul"
    r"|konsul|gesandt|envoy|staatssekretaer|state secretary|permanent secretary|under[- ]?secretary|parliamentary"
    r"|minister of state|ehren|honorary|witwe|widow"
    r"|alt-?(?:bundes|kanzler|praesident|buergermeister|oberbuergermeister|koenig|premier|minister))"
    # whole words: "Ex-Präsident", "Past President", "President-elect", "Präsident a. D."
    r"|\b(?:ex|past|elect|heir|staatsminister(?:in)? (?:im|fuer))\b|\ba\.\s?d\.|\bi\.\s?r\."
    # a term of office with its end: "Premierminister 1997-2007", "Präsident bis 2019"
    r"|\b(?:19|20)\d\d\s*-\s*(?:19|20)?\d\d\b|\b(?:bis|until|till)\s+(?:19|20)\d\d\b")

#: Words that may stand before a title without making its bearer someone else: honorifics,
#: articles, "acting", "first", "federal" and adjectives of nationality.
_COURTESY = frozenset(["s.e.", "se", "h.e.", "he", "h.m.", "hm", "s.m.", "i.m.", "his", "her", "seine", "ihre", "sr.", "ihrer", "seiner", "majestaet", "majesty", "koenigliche", "royal", "kaiserliche", "imperial", "hoheit", "highness", "exzellenz", "excellency", "heiligkeit", "holiness", "durchlaucht", "serene", "frau", "herr", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "madam", "dr", "dr.", "prof", "prof.", "the", "right", "honourable", "honorable", "hon", "hon.", "rt", "rt.", "der", "die", "das", "el", "la", "le", "il", "amtierende", "amtierender", "amtierenden", "acting", "kommissarische", "kommissarischer", "interim", "neue", "neuer", "new", "erste", "erster", "ersten", "first", "regierende", "regierender", "reigning", "sovereign", "grand", "lord", "federal", "sheikh", "scheich", "us", "u.s.", "usa"])
_NATIONALITY = re.compile(r"^[a-z]+(?:ische[nr]?|isch|ian|ese|ish|ch|an|i|ic)$")
_CONJUNCTION = frozenset({"und", "and", "&", "sowie", "/", "zugleich", "also"})


def _holds(text: str, match: re.Match) -> bool:
    """Whether the title matched is its bearer's own: nothing but courtesy stands before it (or
    it follows "und"/a comma), and it is not a possessive ("the President's adviser")."""
    if text[match.end():match.end() + 2] in ("'s", "s'"):
        return False
    before = text[:match.start()].strip()
    if not before or before[-1] in ",;/&(" or before.endswith(" -"):
        return True
    for word in reversed(before.split()):
        if word in _CONJUNCTION or word.endswith(","):
            return True
        if word not in _COURTESY and not _NATIONALITY.match(word.strip(".,")):
            return False
    return True


#: Where one title of a function ends and the next begins: "Deputy Prime Minister and Minister of
#: Foreign Affairs", "Kronprinz und Premierminister".
_BOUNDARY = re.compile(r",|;|\s(?:und|and|sowie|&)\s")


def _stretch(text: str, match: re.Match) -> str:
    """The title with the words that belong to it: from the boundary before it to the one after."""
    start = max((b.end() for b in _BOUNDARY.finditer(text, 0, match.start())), default=0)
    after = _BOUNDARY.search(text, match.end())
    return text[start:after.start() if after else len(text)]


def _held(pattern: re.Pattern, text: str) -> re.Match | None:
    """The first title matching `pattern` that its bearer holds now (overlapping matches tried:
    "Deputy Prime Minister and Minister of Foreign Affairs" holds the second minister's title)."""
    match = pattern.search(text)
    while match is not None:
        if _holds(text, match) and not _NOT_THE_HOLDER.search(_stretch(text, match)):
            return match
        match = pattern.search(text, match.start() + 1)
    return None


_CROWNED = _words(
    r"koenig(?:in)?", r"king", r"queen", r"kaiser(?:in)?", r"tenno", r"emperor", r"empress",
    r"grossherzog(?:in)?", r"grand duke", r"grand duchess", r"emir", r"amir", r"sultan", r"majestaet", r"majesty",
    r"monarch", r"yang di-pertuan agong", r"sovereign prince(?:ss)?", r"regierende[rn]? fuerst(?:in)?",
    r"fuerst(?:in)? (?:von und zu liechtenstein|von liechtenstein|von monaco)", r"prince of (?:monaco|liechtenstein)",
    r"fuerst albert", r"fuerst hans-adam")
_FEDERAL_PRESIDENT = _words(r"bundespraesident(?:in)?", r"federal president")
#: Heads of state by their title alone (the Pope heads the Vatican City State).
_HEAD_OF_STATE = _words(
    r"staatspraesident(?:in)?", r"staatsoberhaupt", r"head of state", r"papst", r"pope", r"heiliger vater",
    r"holy father", r"co-prince", r"kofuerst", r"ko-fuerst", r"captains? regent", r"capitani? reggenti?",
    r"regierende[rn]? kapitaen(?:e)?", r"generalgouverneur(?:in)?", r"governor-general", r"governor general")
_PRESIDENT = _words(r"praesident(?:in)?", r"president(?:e|a)?", r"prezydent")
_HEAD_OF_GOVERNMENT = _words(
    r"premierminister(?:in)?", r"prime minister", r"premier ministre", r"ministerpraesident(?:in)?",
    r"regierungschef(?:in)?", r"head of government", r"taoiseach", r"premier", r"first minister",
    r"erste[rn]? minister(?:in)?", r"presidente del (?:consiglio|gobierno)", r"chairman of the council of ministers",
    r"vorsitzende[rn]? des ministerrate?s")
#: A chancellor heads a government only as a state's chancellor ("Chancellor of the Exchequer",
#: "Kanzler der Universität" do not).
_CHANCELLOR = _words(r"(?:bundes)?kanzler(?:in)?", r"(?:federal )?chancellor")
_FOREIGN_MINISTER = re.compile(
    r"\b(?:aussenminister(?:in)?|foreign minister|foreign secretary|aussen- und \w*minister(?:in)?"
    r"|bundesminister(?:in)? des auswaertigen"
    r"|(?:head|vorsteher(?:in)?|chef(?:in)?) (?:of the|des) (?:(?:federal |eidgenoessischen )?depart\w* "
    r"(?:of|for|fuer) (?:foreign|auswaertige)|fdfa|eda)"
    # a minister or secretary whose portfolio names foreign affairs (not a ministry's official)
    r"|(?:(?:bundes)?minister(?:in)?|ministre|secretary|secretario)\b(?:(?!ministry|ministerium|office|amt\b|department)"
    r"[^;()])*?\b(?:foreign(?:,? [a-z]+)*(?: and [a-z]+)? affairs|foreign and \w+ affairs|external affairs"
    r"|external relations|international relations|auswaertige|aeussere|affaires etrangeres|relaciones exteriores"
    r"|europaeische und internationale angelegenheiten|european and international affairs|europe and foreign affairs)"
    r"|secretary of state(?! for))\b")
_MAYOR = _words(
    r"(?:ober)?buergermeister(?:in)?", r"(?:lord )?mayor(?:ess)?", r"gouverneur(?:in)?", r"governor",
    r"stadtpraesident(?:in)?", r"maire", r"alcalde(?:sa)?", r"intendente", r"bourgmestre", r"burgemeester",
    r"primator", r"primatorka", r"hokim", r"chokim", r"khokim", r"(?:fo)?polgarmester", r"belediye baskani",
    r"sindaco", r"sindaca", r"prefeito")
#: Titles that name a mayor only together with the city they govern ("Jefe de Gobierno de la Ciudad
#: de México", "President of the City of Warsaw", "Regierungschefin von Buenos Aires").
_CITY_HEAD = _words(r"jef[ea] de gobierno", r"head of government", r"regierungschef(?:in)?", r"praesident(?:in)?",
                    r"president(?:e|a)?", r"prezydent")

#: What a president presides over, read from the words after the title: the first phrase up to
#: the next preposition ("des Senats | der Republik Polen": the Senate).
_COMPLEMENT = re.compile(r"^\s*,?\s*(?:(?:der|des|von|vom|of the|of|de la|del|de|du)\s+)?(?P<phrase>[^,;()]*)")
_PHRASE_END = re.compile(r"\s(?:der|des|von|vom|of|de|del|du|und|and|in|im|at|bei|beim|fuer|for|zu|to)\s")
_STATE_NOUN = re.compile(r"(?:republik|republic|republique|republica|staat|staates|staaten|states"
                         r"|foederation|federation|konfoederation|confederation|eidgenossenschaft|emirate|emirates)$")
_CITY_NOUN = re.compile(r"^(?:stadt|city|ciudad|hauptstadt|capital|m\.\s?st\.|miasta|metropolitan|greater|autonomous"
                        r"|regierungsbezirk|prefecture|praefektur)")
_GOVERNMENT_NOUN = re.compile(r"^(?:regierung|government|gobierno|ministerrate?s?|council of ministers|consiglio dei"
                              r" ministri|rady ministrow|state council)")


def _complement(text: str, match: re.Match) -> str:
    phrase = _COMPLEMENT.match(text[match.end():]).group("phrase")
    end = _PHRASE_END.search(" " + phrase + " ")
    return phrase[:end.start()].strip() if end else phrase.strip()


def _names_one_of(phrase: str, names: Iterable[str]) -> bool:
    """Whether the phrase names one of `names`, also in the genitive ("Polens", "Frankreichs")."""
    return any(name and re.search(r"(?:^|\b)" + re.escape(name) + r"(?:s|es)?\b", phrase) for name in names)


def _governs_state(phrase: str, countries: Iterable[str]) -> bool:
    """Whether what a title governs is a state: "Republik Polen", "United States", "Polens",
    "State of Israel" (but not a "State Bank")."""
    words = phrase.split()
    if not words:
        return False
    return (_STATE_NOUN.search(words[-1]) is not None or words[-1] == "state" or _names_one_of(phrase, countries)
            or (len(words) == 2 and _STATE_NOUN.search(words[0]) is not None))


def _governs_city(text: str, match: re.Match, cities: Iterable[str], *, mayor: bool) -> bool:
    """Whether the title governs a partner city: a mayor's title followed by the city's name, a
    president's or head of government's only as the city's ("President of the City of Warsaw")."""
    if mayor:
        return _names_one_of(text[match.end():], cities)
    phrase = _complement(text, match)
    if _CITY_NOUN.match(phrase):
        return _names_one_of(text[match.end():], cities)
    return phrase in {name + ending for name in cities for ending in ("", "s")}


def rank_of(function: str | None, *, countries: Iterable[str] = (), partner_cities: Iterable[str] = (),
            partner_city_occasion: bool = False) -> Rank | None:
    """The Golden Book rank the function names, or None (the Gästebuch).

    `countries` are country names ("Polen", "Poland"): a "Präsident Polens" is a head of state,
    a "Präsident des Bundesamts" is not. `partner_cities` are the partner cities' names, every
    customary one: a mayor is a partner city's when the function names one of them or the
    occasion is a partner city's visit.
    """
    text = fold(function)
    if not text:
        return None
    countries = [fold(name) for name in countries if name]
    cities = [fold(name) for name in partner_cities if name]
    if _held(_CROWNED, text):
        return Rank.CROWNED_HEAD
    federal = _held(_FEDERAL_PRESIDENT, text)
    if federal:
        phrase = _complement(text, federal)
        foreign = phrase and not re.search(r"deutschland|germany|^bundesrepublik$", text[federal.end():])
        return Rank.HEAD_OF_STATE if foreign else Rank.FEDERAL_PRESIDENT
    if _held(_FOREIGN_MINISTER, text):
        return Rank.FOREIGN_MINISTER
    mayor = _held(_MAYOR, text)
    if mayor and _governs_city(text, mayor, cities, mayor=True):
        return Rank.PARTNER_CITY_MAYOR
    city_head = _held(_CITY_HEAD, text)
    if city_head and _governs_city(text, city_head, cities, mayor=False):
        return Rank.PARTNER_CITY_MAYOR
    if _held(_HEAD_OF_GOVERNMENT, text) and not mayor:
        return Rank.HEAD_OF_GOVERNMENT
    chancellor = _held(_CHANCELLOR, text)
    if chancellor:
        phrase = _complement(text, chancellor)
        if not phrase or _governs_state(phrase, countries):
            return Rank.HEAD_OF_GOVERNMENT
    if _held(_HEAD_OF_STATE, text):
        return Rank.HEAD_OF_STATE
    president = _held(_PRESIDENT, text)
    if president:
        phrase = _complement(text, president)
        if _GOVERNMENT_NOUN.search(_COMPLEMENT.match(text[president.end():]).group("phrase")):
            return Rank.HEAD_OF_GOVERNMENT
        if _governs_state(phrase, countries):
            return Rank.HEAD_OF_STATE
        if not phrase and text[president.end():].strip(" ,.") in ("", "in"):
            # "Präsident", "Staatspräsident", "der polnische Präsident": nothing else presided over
            return Rank.HEAD_OF_STATE
    if mayor and partner_city_occasion:
        return Rank.PARTNER_CITY_MAYOR
    return None


def book_for(rank: Rank | None) -> Book:
    """The book the rule proposes."""
    return Book.GOLDEN if rank is not None else Book.GUEST
