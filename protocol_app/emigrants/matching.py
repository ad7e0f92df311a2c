"""Whether two records may be the same person: the names and dates a family, a consulate or
an old card index writes differently. Pure functions, no database (the duplicate check in
`duplicates` finds the candidates; the benchmark measures recall and false positives here).

- Names are folded first (accents, ß, transliterations: Müller/Mueller, Schmidt/Schmitt,
  Lewandowski/Levandovsky, Schwarz/Shvarts), and surnames are reduced to their Kölner
  Phonetik code — the key the candidates are found by.
- Given names count as equal within a group of variants (Lotte/Charlotte, Hans/Johannes,
  Mosche/Moshe/Moses) or when they are spelt nearly alike.
- A maiden name meets a married name: every surname of one record (name and birth name) is
  compared with every surname of the other.
- Dates match when equal, a year apart, a day apart, or with day and month swapped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz

#: Titles and particles that are not part of the name compared.
_NOISE = {"dr", "prof", "med", "phil", "geb", "nee", "born", "verw", "gesch", "sel", "von", "van", "de", "der",
          "mr", "mrs", "ms", "frau", "herr"}

#: Folding, in order: what writers of other languages and other times do with German names.
_FOLDS = (("sch", "sh"), ("tsch", "ch"), ("tz", "z"), ("ts", "z"), ("dt", "t"), ("th", "t"), ("ph", "f"),
          ("ck", "k"), ("cz", "ch"), ("w", "v"), ("y", "i"), ("j", "i"), ("ae", "a"), ("oe", "o"),
          ("ue", "u"), ("ie", "i"), ("ey", "ei"), ("ai", "ei"), ("c", "k"))

#: Given names that are one name in different languages, spellings or as a short form.
VARIANT_GROUPS = [
    {"charlotte", "lotte", "lotti", "charlotta", "carlotta"},
    {"johannes", "hans", "johann", "hannes", "john", "jan", "iohannes"},
    {"mose", "mosche", "moshe", "moses", "moishe", "moise"},
    {"elisabeth", "elizabeth", "else", "elsa", "liesel", "lisa", "betty", "elisheva", "lise"},
    {"margarete", "margarethe", "grete", "gretel", "margot", "marga", "margaret", "greta"},
    {"friedrich", "fritz", "frederick", "fred", "frederic"},
    {"wilhelm", "willi", "willy", "william", "bill"},
    {"heinrich", "heinz", "henry", "harry", "hein"},
    {"jakob", "jacob", "jack", "yaakov", "iakov", "jacques"},
    {"rahel", "rachel", "ruchel", "rachela"},
    {"sara", "sarah", "sure", "sala"},
    {"hanna", "hannah", "chana", "channa", "hanne"},
    {"ernst", "ernest", "ernesto"},
    {"karl", "carl", "charles", "carlos"},
    {"rudolf", "rudolph", "rudi", "rolf"},
    {"gertrud", "gertrude", "trude", "traude"},
    {"eva", "eve", "chava", "hava"},
    {"samuel", "shmuel", "sami", "sammy"},
    {"abraham", "avraham", "abram", "avram"},
    {"isaak", "isaac", "yitzhak", "itzhak", "izak"},
    {"josef", "joseph", "yosef", "iosef", "sepp"},
    {"michael", "michel", "mikhail", "michal"},
    {"ludwig", "louis", "lutz", "luis"},
    {"alexander", "alex", "sasha", "aleksander"},
    {"rosa", "rose", "roza", "reisel"},
    {"dorothea", "dora", "dorothy", "thea"},
    {"katharina", "kathe", "kaete", "katherine", "catherine", "kate", "katia"},
    {"susanne", "susanna", "susan", "shoshana", "suse"},
    {"benjamin", "benno", "ben"},
    {"siegfried", "fred", "siggi"},
]


@lru_cache(maxsize=65536)  # the same names come up again and again in one check
def fold(text: str | None) -> str:
    """A name as the check compares it: ascii, lower case, transliterations folded, letters
    doubled for emphasis written once."""
    text = unicodedata.normalize("NFKD", (text or "").replace("ß", "ss").replace("ẞ", "ss"))
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")  # before the accents go
    text = text.encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z ]+", " ", text)
    # Polish and Czech "c" is "ts" before e, i, y and at the end (Kac = Katz, Cukier = Zucker).
    text = re.sub(r"(?<![sk])c(?=[eiy])|(?<![sk])c\b", "z", text)
    text = re.sub(r"(?<=[aeiou])h\b", "", text)  # a silent final h: Leah = Lea, Sarah = Sara
    for written, said in _FOLDS:
        text = text.replace(written, said)
    return " ".join(re.sub(r"(.)\1+", r"\1", word) for word in text.split())


def _words(name: str | None) -> list[str]:
    return [w for w in fold(name).split() if w not in _NOISE and len(w) > 1]


def given_names(name: str | None) -> list[str]:
    """The given names of "Given Names Surname"."""
    return _words(name)[:-1]


def surname(name: str | None) -> str:
    return (_words(name) or [""])[-1]


_CODES = {**dict.fromkeys("aeiouiy", "0"), "b": "1", "p": "1", "d": "2", "t": "2", "f": "3", "v": "3", "w": "3",
          "g": "4", "k": "4", "q": "4", "l": "5", "m": "6", "n": "6", "r": "7", "s": "8", "z": "8"}


@lru_cache(maxsize=65536)
def phonetic(word: str) -> str:
    """The Kölner Phonetik code of a folded word (German names that sound alike share it)."""
    digits = []
    for i, letter in enumerate(word):
        before, after = word[i - 1] if i else "", word[i + 1] if i + 1 < len(word) else ""
        if letter == "h":
            continue
        if letter == "p" and after == "h":
            code = "3"
        elif letter in "dt" and after in ("c", "s", "z"):
            code = "8"
        elif letter == "c":
            code = "4" if (after in "ahkloqrux" and (i == 0 or before not in "sz")) else "8"
        elif letter == "x":
            code = "8" if before in "ckq" else "48"
        else:
            code = _CODES.get(letter, "")
        digits.append(code)
    collapsed = []
    for code in "".join(digits):
        if not collapsed or collapsed[-1] != code:
            collapsed.append(code)
    return (collapsed[0] if collapsed else "") + "".join(c for c in collapsed[1:] if c != "0")


def name_key(name: str | None) -> str | None:
    """The key a record is found by: the phonetic code of its surname (None without one)."""
    word = surname(name)
    return phonetic(word) or None if word else None


_GROUP_OF = {variant: index for index, group in enumerate(VARIANT_GROUPS) for variant in map(fold, group)}


def _same_given(a: list[str], b: list[str]) -> bool:
    """Some given name of one is the other's: the same group of variants or nearly the same spelling."""
    if not a or not b:
        return True  # a record without a given name (an old card) does not speak against it
    for x in a:
        for y in b:
            if x == y or (x in _GROUP_OF and _GROUP_OF.get(x) == _GROUP_OF.get(y)):
                return True
            if len(x) > 3 and len(y) > 3 and fuzz.ratio(x, y) >= 80:
                return True
    return False


def date_closeness(a: date | None, year_a: int | None, b: date | None, year_b: int | None) -> float:
    """How close two birth dates are, as slips of the pen: 1.0 the same day; 0.9 for one slip
    (the year one off, day and month swapped, a day apart); 0.6 for two; with a year only,
    0.6 the same year and 0.4 one apart; 0 otherwise."""
    if a and b:
        slips = _slips(a, b)
        return {0: 1.0, 1: 0.9, 2: 0.6}.get(slips, 0.0)
    year_a, year_b = (a.year if a else year_a), (b.year if b else year_b)
    if year_a is None or year_b is None:
        return 0.0
    return {0: 0.6, 1: 0.4}.get(abs(year_a - year_b), 0.0)


def _slips(a: date, b: date) -> int:
    """The fewest slips that turn one date into the other (3 for "not a slip at all")."""
    best = 3
    for day, month in ((b.day, b.month), (b.month, b.day)):
        swapped = (day, month) != (b.day, b.month)
        if month > 12 or (swapped and day == month):
            continue
        slips = int(swapped) + (0 if a.year == b.year else 1 if abs(a.year - b.year) == 1 else 3)
        slips += 0 if (a.month, a.day) == (month, day) else 1 if a.month == month and abs(a.day - day) == 1 else 3
        best = min(best, slips)
    return best


@dataclass(frozen=True)
class Person:
    """What the check knows of a record: name (as now), birth name, date or year of birth."""

    name: str
    birth_name: str | None = None
    birth_date: date | None = None
    birth_year: int | None = None


def similarity(a: Person, b: Person) -> int:
    """0–100: how likely the two records are one person; 0 when the names or dates rule it out."""
    closeness = date_closeness(a.birth_date, a.birth_year, b.birth_date, b.birth_year)
    if not closeness:
        return 0
    surnames_a = {s for s in (surname(a.name), surname(a.birth_name)) if s}
    surnames_b = {s for s in (surname(b.name), surname(b.birth_name)) if s}
    best = 0.0
    for x in surnames_a:
        for y in surnames_b:
            score = 100.0 if phonetic(x) == phonetic(y) else fuzz.ratio(x, y)
            best = max(best, score)
    if best < 80 or not _same_given(given_names(a.name) or given_names(a.birth_name),
                                    given_names(b.name) or given_names(b.birth_name)):
        return 0
    return int(round(best * (0.5 + 0.5 * closeness)))


#: From this score on a record is shown to the team as a possible duplicate.
THRESHOLD = 65
