#!/usr/bin/env python3
"""Consistency checks for the PeelQL data directory (curators' tool).

Run from anywhere:  python3 data/check_curated.py  [DATA_DIR]

Checks the curated catalog files (programmes.csv, themes.csv, area_themes.csv,
force_aliases.csv) against each other and against the verbatim data set
(forces.csv, areas.csv, grades.csv, inspections.csv).  Python 3 standard
library only.

A failure in a curated file is an ERROR (exit status 1).  A failure that lies
in the *verbatim* data is also an ERROR unless it is listed in
KNOWN_DATA_NOTES below, in which case it is printed as a DATA NOTE and does not
fail the run: the verbatim files are never edited here, so known problems in
them are recorded rather than fixed.  WARNINGs never fail the run.
"""

import csv
import os
import re
import sys
from collections import Counter, defaultdict

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

GRADES_5 = ["outstanding", "good", "adequate", "requires improvement", "inadequate"]
NOT_GRADED = "not graded"
BASES = {"stated", "elimination", "inferred"}
SCALES = {"four-tier", "five-tier"}
FIVE_TIER_FROM = 2021  # PEEL 2021/22 introduced the five-tier scale

# Words that name more than one force (or a region/country) and so must never
# be a force alias.  Region and country names from forces.csv are added too.
AMBIGUOUS_FORCE_WORDS = {
    "yorkshire", "wales", "midlands", "london", "west", "north", "south", "east",
    "mercia", "the north", "north east", "north west", "south east", "south west",
    "east midlands", "eastern", "england", "humber", "welsh", "police",
    "constabulary",
}

# Known problems in the VERBATIM files (which must not be edited).  Keys are
# (check id, item) as produced by the checks below; the value explains it.
# Empty at present: the verbatim data passes every check.
KNOWN_DATA_NOTES = {
    # ("grade-word", "grades.csv line 123: 'Good '"): "explanation",
    # The fourth pass (SOURCES.md, "Fourth pass") appended rows to three
    # reports with a date at another precision than the rows already there.
    ("report-dates", "Sussex Police / PEEL 2021-22"):
        "the 2 upgraded rows keep 2023-04, the 7 new ones 2023-04-13 (same article, 13 Apr 2023)",
    ("report-dates", "Metropolitan Police Service / PEEL 2021-22"):
        "the 6 earlier rows have 2022-09-22, the 3 new ones 2022-09 (the count row says 2022-09-22)",
    ("report-dates", "Dorset Police / PEEL 2021-22"):
        "the 3 earlier rows have 2022-04-13, the 5 new ones no date (the new count row has none either)",
}

errors = []
warnings = []
notes = []
passed = []


def read(name):
    path = os.path.join(DATA, name)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        return rows


def header(name):
    with open(os.path.join(DATA, name), newline="", encoding="utf-8") as f:
        return next(csv.reader(f))


def split_aliases(text):
    return [a for a in (text or "").split(";")]


class Check:
    """Collects the problems of one named check."""

    def __init__(self, cid, title, verbatim=False):
        self.cid, self.title, self.verbatim = cid, title, verbatim
        self.problems = []

    def fail(self, item, detail=""):
        self.problems.append((item, detail))

    def done(self):
        hard = 0
        for item, detail in self.problems:
            key = (self.cid, item)
            msg = f"[{self.cid}] {item}" + (f": {detail}" if detail else "")
            if self.verbatim and key in KNOWN_DATA_NOTES:
                notes.append(f"{msg}  (known: {KNOWN_DATA_NOTES[key]})")
            else:
                errors.append(msg)
                hard += 1
        status = "ok" if not self.problems else ("FAIL" if hard else "ok (known data notes)")
        passed.append(f"{status:>22}  {self.cid}: {self.title}")


DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
ENGAGE_HEADER = ["force", "event", "date", "causes_of_concern", "source_url", "basis", "sentence"]


def check_engage(force_names):
    """engage.csv (HMICFRS enhanced monitoring moves), when the directory has it."""
    if not os.path.exists(os.path.join(DATA, "engage.csv")):
        return
    c = Check("engage", "engage.csv: known forces, events, dates, counts, basis; moves alternate per force",
              verbatim=True)
    if header("engage.csv") != ENGAGE_HEADER:
        c.fail("engage.csv", f"header {header('engage.csv')} != {ENGAGE_HEADER}")
        c.done()
        return
    state = {}  # force -> (last event, last known date, its line)
    for i, r in enumerate(read("engage.csv"), start=2):
        where = f"engage.csv line {i}"
        f, event, date = r["force"], r["event"], r["date"]
        if f not in force_names:
            c.fail(where, f"force {f!r} not in forces.csv")
        if event not in ("entered", "left"):
            c.fail(where, f"event {event!r} (want entered or left)")
            continue
        if date and not DATE.fullmatch(date):
            c.fail(where, f"date {date!r} (want YYYY, YYYY-MM, YYYY-MM-DD or blank)")
        if r["causes_of_concern"] and not (r["causes_of_concern"].isdigit() and int(r["causes_of_concern"]) > 0):
            c.fail(where, f"causes_of_concern {r['causes_of_concern']!r} (want a positive whole number or blank)")
        if r["basis"] not in ("stated", "inferred"):
            c.fail(where, f"basis {r['basis']!r} (want stated or inferred)")
        if not r["source_url"].startswith("http"):
            c.fail(where, "no source_url")
        last, last_date, last_line = state.get(f, ("left", "", None))
        if event == last and last_line is None:
            c.fail(where, f"{f} left with no earlier entry")
        elif event == last:
            since = "exit" if event == "entered" else "entry"
            c.fail(where, f"{f} {event} again, with no {since} since line {last_line}")
        # a date at lower precision compares by its prefix: 2019 is not after 2019-04
        if date and last_date and date[:len(last_date)] < last_date[:len(date)]:
            c.fail(where, f"{f} {event} on {date}, before its previous move ({last_date}, line {last_line})")
        state[f] = (event, date or last_date, i)
    c.done()


def main():
    forces = read("forces.csv")
    areas = read("areas.csv")
    grades = read("grades.csv")
    inspections = read("inspections.csv")
    programmes = read("programmes.csv")
    themes = read("themes.csv")
    area_themes = read("area_themes.csv")
    force_aliases = read("force_aliases.csv")

    # ---- headers of the curated files -----------------------------------
    c = Check("headers", "curated files have the documented header rows")
    expected = {
        "programmes.csv": ["programme", "start_year", "end_year", "scale", "aliases", "source_url"],
        "themes.csv": ["theme", "name", "aliases"],
        "area_themes.csv": ["programme", "area", "theme"],
        "force_aliases.csv": ["force", "alias"],
    }
    for name, cols in expected.items():
        if header(name) != cols:
            c.fail(name, f"header {header(name)} != {cols}")
    c.done()

    # ---- programmes -------------------------------------------------------
    prog = {}
    c = Check("programmes", "programmes.csv rows: unique names, years, scale rule")
    for i, r in enumerate(programmes, start=2):
        name = r["programme"]
        if name in prog:
            c.fail(f"programmes.csv line {i}", f"duplicate programme {name!r}")
        prog[name] = r
        try:
            s, e = int(r["start_year"]), int(r["end_year"])
        except ValueError:
            c.fail(f"programmes.csv line {i}", "start_year/end_year not integers")
            continue
        if s > e:
            c.fail(name, f"start_year {s} > end_year {e}")
        if r["scale"] not in SCALES:
            c.fail(name, f"scale {r['scale']!r} not in {sorted(SCALES)}")
        want = "five-tier" if s >= FIVE_TIER_FROM else "four-tier"
        if r["scale"] != want:
            c.fail(name, f"scale {r['scale']!r}, expected {want!r} (five-tier from {FIVE_TIER_FROM}/22)")
    c.done()

    c = Check("programme-coverage", "every programme in grades/areas/inspections is in programmes.csv",
              verbatim=True)
    for fname, rows in (("grades.csv", grades), ("areas.csv", areas), ("inspections.csv", inspections)):
        for p in sorted({r["programme"] for r in rows}):
            if p not in prog:
                c.fail(f"{fname}: {p!r}", "not in programmes.csv")
    c.done()

    c = Check("programme-unused", "every programmes.csv row is used by areas.csv")
    used = {r["programme"] for r in areas}
    for p in prog:
        if p not in used:
            c.fail(p, "in programmes.csv but no area in areas.csv")
    c.done()

    # ---- alias hygiene (all three catalogs) ------------------------------
    catalogs = defaultdict(set)  # alias -> {(catalog, owner)}
    c = Check("alias-form", "aliases are lower case, trimmed, non-empty, not repeated within a row")
    def register(catalog, owner, alias, where):
        if alias == "":
            c.fail(where, f"empty alias (stray ';'?) for {owner!r}")
            return
        if alias != alias.strip() or "  " in alias:
            c.fail(where, f"alias {alias!r} has stray whitespace")
        if alias != alias.lower():
            c.fail(where, f"alias {alias!r} is not lower case")
        catalogs[alias].add((catalog, owner))

    for r in programmes:
        al = split_aliases(r["aliases"])
        for a, n in Counter(al).items():
            if n > 1:
                c.fail(f"programmes.csv {r['programme']}", f"alias {a!r} repeated")
        for a in al:
            register("programme", r["programme"], a, f"programmes.csv {r['programme']}")
    for r in themes:
        al = split_aliases(r["aliases"])
        for a, n in Counter(al).items():
            if n > 1:
                c.fail(f"themes.csv {r['theme']}", f"alias {a!r} repeated")
        for a in al:
            register("theme", r["theme"], a, f"themes.csv {r['theme']}")
    seen_pairs = Counter((r["force"], r["alias"]) for r in force_aliases)
    for (f, a), n in seen_pairs.items():
        if n > 1:
            c.fail(f"force_aliases.csv {f}", f"alias {a!r} repeated")
    for r in force_aliases:
        register("force", r["force"], r["alias"], f"force_aliases.csv {r['force']}")
    c.done()

    c = Check("alias-unique", "no alias belongs to two programmes / two themes / two forces / two catalogs")
    for alias, owners in sorted(catalogs.items()):
        if len(owners) > 1:
            c.fail(repr(alias), "claimed by " + ", ".join(f"{k} {o!r}" for k, o in sorted(owners)))
    c.done()

    # ---- programme aliases: bare years ------------------------------------
    c = Check("programme-years", "year-shaped programme aliases fall inside that programme's span")
    for r in programmes:
        s, e = int(r["start_year"]), int(r["end_year"])
        for a in split_aliases(r["aliases"]):
            years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", a)]
            for y in years:
                if not s <= y <= e:
                    c.fail(f"{r['programme']} alias {a!r}", f"year {y} outside {s}-{e}")
    c.done()

    # ---- themes -----------------------------------------------------------
    theme_keys = Counter(r["theme"] for r in themes)
    c = Check("themes", "theme keys unique, named, identifier-shaped; no alias equals another theme's key")
    for k, n in theme_keys.items():
        if n > 1:
            c.fail(k, "duplicate theme key")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", k):
            c.fail(k, "theme key is not a lower-case identifier")
    for r in themes:
        if not r["name"].strip():
            c.fail(r["theme"], "empty name")
        for a in split_aliases(r["aliases"]):
            if a in theme_keys and a != r["theme"]:
                c.fail(f"theme {r['theme']!r} alias {a!r}", f"equals the key of theme {a!r}")
    c.done()

    # ---- area_themes ------------------------------------------------------
    area_keys = Counter((r["programme"], r["area"]) for r in areas)
    at_keys = Counter((r["programme"], r["area"]) for r in area_themes)
    c = Check("areas-unique", "areas.csv has no duplicate (programme, area)", verbatim=True)
    for k, n in area_keys.items():
        if n > 1:
            c.fail(f"areas.csv {k}", f"{n} rows")
    c.done()

    c = Check("area-themes-cover", "every areas.csv row has exactly one area_themes row and vice versa")
    for k in area_keys:
        if at_keys[k] != 1:
            c.fail(f"{k}", f"{at_keys[k]} area_themes rows (want 1)")
    for k in at_keys:
        if k not in area_keys:
            c.fail(f"area_themes.csv {k}", "no such (programme, area) in areas.csv")
    c.done()

    c = Check("theme-exists", "every theme used in area_themes.csv exists in themes.csv")
    for r in area_themes:
        if r["theme"] not in theme_keys:
            c.fail(f"{r['programme']} / {r['area']}", f"unknown theme {r['theme']!r}")
    c.done()

    c = Check("one-theme-per-programme", "within one programme a theme is used by at most one area")
    by_prog = defaultdict(lambda: defaultdict(list))
    for r in area_themes:
        by_prog[r["programme"]][r["theme"]].append(r["area"])
    for p, th in sorted(by_prog.items()):
        for t, al in sorted(th.items()):
            if len(al) > 1:
                c.fail(f"{p} theme {t!r}", "used by " + "; ".join(al))
    c.done()

    c = Check("alias-vs-label", "a theme alias equal to an area label names that area's own theme")
    alias_theme = {a: r["theme"] for r in themes for a in split_aliases(r["aliases"])}
    for r in area_themes:
        t = alias_theme.get(r["area"].lower())
        if t is not None and t != r["theme"]:
            c.fail(f"{r['programme']} / {r['area']}", f"label is an alias of theme {t!r} but the area's theme is "
                                                      f"{r['theme']!r}")
    c.done()

    unused = sorted(set(theme_keys) - {r["theme"] for r in area_themes})
    for t in unused:
        warnings.append(f"theme {t!r} is defined in themes.csv but no area uses it")

    # ---- forces -----------------------------------------------------------
    force_names = {r["force"]: r for r in forces}
    c = Check("forces-unique", "forces.csv names and short names unique", verbatim=True)
    for col in ("force", "short_name"):
        for v, n in Counter(r[col].lower() for r in forces).items():
            if n > 1:
                c.fail(f"forces.csv {col} {v!r}", f"{n} rows")
    c.done()

    c = Check("force-alias-force", "every force_aliases force exists in forces.csv")
    for r in force_aliases:
        if r["force"] not in force_names:
            c.fail(f"force_aliases.csv {r['force']!r}", "not in forces.csv")
    c.done()

    c = Check("force-alias-names", "no force alias equals another force's name/short name, a region, "
                                   "a country or an ambiguous word")
    names_lc = {}
    for r in forces:
        names_lc[r["force"].lower()] = r["force"]
        names_lc[r["short_name"].lower()] = r["force"]
    banned = set(AMBIGUOUS_FORCE_WORDS)
    banned |= {r["region"].lower() for r in forces if r["region"]}
    banned |= {r["country"].lower() for r in forces if r["country"]}
    for r in force_aliases:
        a = r["alias"]
        owner = names_lc.get(a)
        if owner is not None and owner != r["force"]:
            c.fail(f"{r['force']} alias {a!r}", f"is the name/short name of {owner!r}")
        elif owner == r["force"]:
            warnings.append(f"force alias {a!r} of {r['force']!r} repeats its own name/short name (redundant)")
        # a force's own short name may coincide with a region (West Midlands);
        # an alias may not
        if a in banned and owner != r["force"]:
            c.fail(f"{r['force']} alias {a!r}", "is a region/country name or ambiguous between forces")
    c.done()

    # ---- grades -----------------------------------------------------------
    c = Check("grades-area", "every grades.csv (programme, area) exists in areas.csv", verbatim=True)
    for i, r in enumerate(grades, start=2):
        if (r["programme"], r["area"]) not in area_keys:
            c.fail(f"grades.csv line {i}", f"({r['programme']!r}, {r['area']!r}) not in areas.csv")
    c.done()

    c = Check("grades-force", "every grades.csv / inspections.csv force exists in forces.csv", verbatim=True)
    for fname, rows in (("grades.csv", grades), ("inspections.csv", inspections)):
        for i, r in enumerate(rows, start=2):
            if r["force"] not in force_names:
                c.fail(f"{fname} line {i}", f"force {r['force']!r} not in forces.csv")
    c.done()

    c = Check("grade-word", "grade is one of the five grades or 'not graded'", verbatim=True)
    for i, r in enumerate(grades, start=2):
        if r["grade"] not in GRADES_5 and r["grade"] != NOT_GRADED:
            c.fail(f"grades.csv line {i}", f"grade {r['grade']!r}")
    c.done()

    c = Check("grade-scale", "no 'adequate' in a four-tier programme (grades and inspection counts)",
              verbatim=True)
    for i, r in enumerate(grades, start=2):
        p = prog.get(r["programme"])
        if p and p["scale"] == "four-tier" and r["grade"] == "adequate":
            c.fail(f"grades.csv line {i}", f"{r['force']} {r['programme']} {r['area']} = adequate")
    for i, r in enumerate(inspections, start=2):
        p = prog.get(r["programme"])
        if p and p["scale"] == "four-tier" and (r["adequate"] or "0").strip() not in ("", "0"):
            c.fail(f"inspections.csv line {i}", f"{r['force']} {r['programme']} adequate={r['adequate']}")
    c.done()

    c = Check("basis", "grades.csv basis is stated / elimination / inferred", verbatim=True)
    for i, r in enumerate(grades, start=2):
        if r["basis"] not in BASES:
            c.fail(f"grades.csv line {i}", f"basis {r['basis']!r}")
    c.done()

    c = Check("grades-unique", "at most one grade per (force, programme, area)", verbatim=True)
    for k, n in Counter((r["force"], r["programme"], r["area"]) for r in grades).items():
        if n > 1:
            c.fail(f"grades.csv {k}", f"{n} rows")
    c.done()

    c = Check("report-dates", "the grade rows of one five-tier report carry one published date", verbatim=True)
    dates = defaultdict(Counter)
    for r in grades:
        p = prog.get(r["programme"])
        if p and p["scale"] == "five-tier":
            dates[(r["force"], r["programme"])][r["published"] or "(none)"] += 1
    for (f, p), seen in sorted(dates.items()):
        if len(seen) > 1:
            c.fail(f"{f} / {p}", ", ".join(f"{d} ({n} rows)" for d, n in sorted(seen.items())))
    c.done()

    check_engage(force_names)

    # ---- report -------------------------------------------------------------
    print(f"PeelQL curated-data check ({DATA})")
    print(f"  forces {len(forces)}, programmes {len(programmes)}, themes {len(themes)}, "
          f"areas {len(areas)}, area_themes {len(area_themes)}, force aliases {len(force_aliases)}, "
          f"grades {len(grades)}, inspections {len(inspections)}")
    print()
    for line in passed:
        print(line)
    ungraded = sorted(k for k in area_keys if k not in {(r["programme"], r["area"]) for r in grades})
    print()
    print(f"info: {len(ungraded)} areas have no grade rows (ungraded questions or not found):")
    for p, a in ungraded:
        print(f"  {p} / {a}")
    for title, items in (("DATA NOTES (known problems in verbatim files)", notes),
                         ("WARNINGS", warnings), ("ERRORS", errors)):
        if items:
            print()
            print(f"{title}: {len(items)}")
            for m in items:
                print("  " + m)
    print()
    print("RESULT:", "FAIL" if errors else "PASS",
          f"({len(errors)} errors, {len(warnings)} warnings, {len(notes)} data notes)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
