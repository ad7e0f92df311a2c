"""How well the emigrant programme's duplicate check tells the same person from another
(issue 15, point 8): recall and false positives on generated pairs.

Each positive pair is one person written twice the way records really differ — a birth year
one off, day and month swapped, a day apart, the year only, a first-name variant (Lotte /
Charlotte, Hans / Johannes, Mosche / Moses), a transliterated surname (Schmidt / Schmitt,
Müller / Mueller, Lewandowski / Levandovsky, Schwarz / Shvarts), a married name beside the
maiden name — one to three of these at once. Each negative pair is two different people who
are hard to tell apart: same surname and birth year (siblings, cousins), same given name and
birth date, or namesakes a few years apart. A pair counts as found when the check's own
candidate search (a shared phonetic surname key, born within a year) lets it through and the
score reaches the threshold.

    .venv/bin/python bench/duplicates_quality_bench.py [--pairs N] [--seed S]

Results are printed as Markdown and written to bench/results-duplicates.md.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from protocol_app.emigrants import matching  # noqa: E402
from protocol_app.emigrants.matching import Person, name_key  # noqa: E402

#: (a spelling, other spellings of the same surname)
SURNAMES = [("Schmidt", ["Schmitt", "Schmid"]), ("Müller", ["Mueller", "Muller"]),
            ("Lewandowski", ["Levandovsky", "Lewandowsky"]), ("Schwarz", ["Shvarts", "Schwartz"]),
            ("Weiß", ["Weiss", "Vais"]), ("Rosenberg", ["Rozenberg"]), ("Goldstein", ["Goldshtein", "Goldštejn"]),
            ("Meier", ["Mayer", "Meyer"]), ("Katz", ["Kac", "Kats"]), ("Lewin", ["Levin"]),
            ("Kohn", ["Kon"]), ("Friedmann", ["Fridman", "Friedman"]), ("Wolff", ["Volf", "Wolf"]),
            ("Blumenthal", ["Blumental"]), ("Zucker", ["Cukier", "Tsuker"]), ("Hirsch", ["Hirsh", "Girsh"]),
            ("Grünberg", ["Gruenberg", "Grinberg"]), ("Silbermann", ["Zilberman", "Silberman"]),
            ("Jacobsohn", ["Jakobson", "Yakobson"]), ("Rothschild", ["Rotschild"]), ("Adler", ["Adler"]),
            ("Baum", ["Boim"]), ("Fischer", ["Fisher"]), ("Wagner", ["Vagner"]), ("Neumann", ["Neuman", "Nojman"])]
GIVEN = [("Charlotte", ["Lotte"]), ("Johannes", ["Hans"]), ("Mosche", ["Moshe", "Moses"]), ("Ruth", ["Rut"]),
         ("Margarete", ["Grete", "Margot"]), ("Friedrich", ["Fritz"]), ("Jakob", ["Jacob", "Yaakov"]),
         ("Rahel", ["Rachel"]), ("Hanna", ["Hannah", "Chana"]), ("Elisabeth", ["Else", "Liesel"]),
         ("Heinrich", ["Heinz", "Henry"]), ("Gertrud", ["Trude"]), ("Josef", ["Joseph", "Yosef"]),
         ("Miriam", ["Mirjam"]), ("Kurt", ["Curt"]), ("Eva", ["Chava"]), ("Samuel", ["Shmuel"]),
         ("Ilse", ["Ilse"]), ("Walter", ["Walther"]), ("Lea", ["Leah"])]


def _born(rng) -> date:
    return date(1922, 1, 1) + timedelta(days=rng.randrange(0, 365 * 20))


def _shift_year(day: date, years: int) -> date:
    return day.replace(year=day.year + years, day=28 if (day.month, day.day) == (2, 29) else day.day)


def _person(rng) -> tuple[int, int, date]:
    return rng.randrange(len(GIVEN)), rng.randrange(len(SURNAMES)), _born(rng)


def _write(given: int, surname: int, born: date, rng, changes: set[str]) -> tuple[Person, str]:
    first = rng.choice(GIVEN[given][1]) if "given variant" in changes else GIVEN[given][0]
    last = rng.choice(SURNAMES[surname][1]) if "transliteration" in changes else SURNAMES[surname][0]
    birth_name = None
    if "married name" in changes:
        birth_name, last = f"{first} {last}", SURNAMES[(surname + 7) % len(SURNAMES)][0]
    day, year_only = born, False
    if "year off by one" in changes:
        day = _shift_year(day, rng.choice((-1, 1)))
    if "day and month swapped" in changes and day.day <= 12:
        day = date(day.year, day.day, day.month)
    if "a day apart" in changes:
        day = day + timedelta(days=rng.choice((-1, 1)))
    if "year only" in changes:
        year_only = True
    record = Person(f"{first} {last}", birth_name, None if year_only else day, day.year)
    return record, ", ".join(sorted(changes)) or "as written"


CHANGES = ["year off by one", "day and month swapped", "a day apart", "year only", "given variant",
           "transliteration", "married name"]


def found(a: Person, b: Person) -> bool:
    """The check's own two steps: the candidate search, then the score."""
    keys_a = {name_key(a.name), name_key(a.birth_name)} - {None}
    keys_b = {name_key(b.name), name_key(b.birth_name)} - {None}
    year_a = a.birth_date.year if a.birth_date else a.birth_year
    year_b = b.birth_date.year if b.birth_date else b.birth_year
    if not keys_a & keys_b or abs(year_a - year_b) > 1:
        return False
    return matching.similarity(a, b) >= matching.THRESHOLD


def run(pairs: int, seed: int) -> tuple[list[str], dict]:
    rng = random.Random(seed)
    missed, by_change, totals = [], Counter(), Counter()
    for _ in range(pairs):
        given, surname, born = _person(rng)
        original, _ = _write(given, surname, born, rng, set())
        changes = set(rng.sample(CHANGES, rng.choice((1, 1, 2, 3))))
        if "year off by one" in changes and "year only" in changes:
            changes.discard("year only")
        variant, label = _write(given, surname, born, rng, changes)
        hit = found(variant, original)  # the new application against the earlier record
        for change in changes:
            totals[change] += 1
            by_change[change] += hit
        if not hit:
            missed.append(f"{original.name} {original.birth_date} ↔ {variant.name} / {variant.birth_name} "
                          f"{variant.birth_date or variant.birth_year} ({label})")
    false_positives, kinds = [], Counter()
    for i in range(pairs):
        given, surname, born = _person(rng)
        a, _ = _write(given, surname, born, rng, set())
        kind = ("sibling: same surname and year", "same given name and birth date", "namesake 3–6 years apart")[i % 3]
        if i % 3 == 0:
            other_given = (given + rng.randrange(1, len(GIVEN))) % len(GIVEN)
            b, _ = _write(other_given, surname, born.replace(month=rng.randrange(1, 13), day=rng.randrange(1, 29)),
                          rng, set())
        elif i % 3 == 1:
            b, _ = _write(given, (surname + rng.randrange(1, len(SURNAMES))) % len(SURNAMES), born, rng, set())
        else:
            b, _ = _write(given, surname, _shift_year(born, rng.choice((-6, -5, -4, -3, 3, 4, 5, 6))),
                          rng, set())
        kinds[kind] += 1
        if found(a, b):
            false_positives.append(f"{a.name} {a.birth_date} ↔ {b.name} {b.birth_date} ({kind})")
    figures = {"pairs": pairs, "recall": 1 - len(missed) / pairs, "false_positive_rate": len(false_positives) / pairs,
               "by_change": {c: (by_change[c], totals[c]) for c in CHANGES}, "kinds": kinds,
               "missed": missed[:8], "false_positives": false_positives[:8], "fp_count": len(false_positives)}
    return missed, figures


def report(figures: dict) -> str:
    lines = [f"Duplicate check quality — {figures['pairs']:,} pairs of the same person written differently and "
             f"{figures['pairs']:,} pairs of different people hard to tell apart (generated; seed fixed).", "",
             "| measure | value |", "|---|---:|",
             f"| recall (same person found) | {figures['recall']:.1%} |",
             f"| false positives (different people shown as a possible duplicate) | "
             f"{figures['false_positive_rate']:.1%} ({figures['fp_count']} of {figures['pairs']:,}) |", "",
             "Recall by the way the records differ (a pair may differ in several ways):", "",
             "| difference | found | pairs |", "|---|---:|---:|"]
    for change, (hit, total) in figures["by_change"].items():
        lines.append(f"| {change} | {hit / total:.1%} | {total} |" if total else f"| {change} | — | 0 |")
    if figures["missed"]:
        lines += ["", "Examples missed:", "", *(f"- {m}" for m in figures["missed"])]
    if figures["false_positives"]:
        lines += ["", "Examples wrongly shown:", "", *(f"- {m}" for m in figures["false_positives"])]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    _missed, figures = run(args.pairs, args.seed)
    text = report(figures)
    print(text)
    (Path(__file__).parent / "results-duplicates.md").write_text(text)


if __name__ == "__main__":
    main()
