"""DuckDB's side of the benchmark (run by versus_sqlite with the Python of
the virtual environment scripts/bench makes; needs only the `duckdb`
package).

    duck.py load CSV_DIR DB          normalised tables from the CSV files the
                                     benchmark writes (the schema of sql.rs)
    duck.py answers DB QUESTIONS     each question's rows as text, as JSON
    duck.py time DB QUESTIONS MS     median seconds per question, as JSON
    duck.py open DB QUESTIONS        open to first answer, then all six; JSON

QUESTIONS is a JSON file: a list of SQL texts, question 1 first. Times are
taken inside this process (from `duckdb.connect` for `open`), so Python's
own start is not counted, as the other engines' process starts are not.
"""

import json
import resource
import statistics
import sys
import time

import duckdb

SCHEMA = """
CREATE TABLE forces (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, short_name TEXT NOT NULL,
                     region TEXT NOT NULL, country TEXT NOT NULL);
CREATE TABLE programmes (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, start_year INTEGER NOT NULL,
                         end_year INTEGER NOT NULL, scale TEXT NOT NULL);
CREATE TABLE themes (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
CREATE TABLE areas (id INTEGER PRIMARY KEY, programme_id INTEGER NOT NULL, theme_id INTEGER NOT NULL,
                    name TEXT NOT NULL, UNIQUE (programme_id, name));
CREATE TABLE inspections (id INTEGER PRIMARY KEY, force_id INTEGER NOT NULL, programme_id INTEGER NOT NULL,
                          published TEXT, UNIQUE (force_id, programme_id));
CREATE TABLE grades (inspection_id INTEGER NOT NULL, area_id INTEGER NOT NULL,
                     grade INTEGER CHECK (grade BETWEEN 1 AND 5), published TEXT, source_url TEXT NOT NULL,
                     basis TEXT NOT NULL, PRIMARY KEY (inspection_id, area_id));
CREATE TABLE latest (force_id INTEGER PRIMARY KEY, inspection_id INTEGER NOT NULL UNIQUE);
"""

TABLES = ["forces", "programmes", "themes", "areas", "inspections", "grades"]

LATEST = """
INSERT INTO latest
  SELECT i.force_id, max_by(i.id, i.programme_id)
  FROM inspections i
  WHERE EXISTS (SELECT 1 FROM grades g WHERE g.inspection_id = i.id AND g.grade IS NOT NULL)
  GROUP BY i.force_id;
"""


def text(v):
    if v is None:
        return "NULL"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def rows(con, sql):
    return [[text(v) for v in row] for row in con.execute(sql).fetchall()]


def load(csv_dir, db):
    t = time.perf_counter()
    con = duckdb.connect(db)
    con.execute(SCHEMA)
    for table in TABLES:
        path = f"{csv_dir}/{table}.csv"
        con.execute(f"INSERT INTO {table} SELECT * FROM read_csv('{path}', header = true, all_varchar = false, "
                    f"nullstr = '\\N', auto_detect = true)")
    con.execute(LATEST)
    con.execute("CHECKPOINT")
    con.close()
    print(json.dumps({"load_s": time.perf_counter() - t}))


def main():
    cmd = sys.argv[1]
    if cmd == "load":
        return load(sys.argv[2], sys.argv[3])
    db = sys.argv[2]
    questions = json.load(open(sys.argv[3]))
    if cmd == "open":
        t = time.perf_counter()
        con = duckdb.connect(db, read_only=True)
        first = con.execute(questions[0]).fetchall()
        first_s = time.perf_counter() - t
        n = len(first) + sum(len(con.execute(q).fetchall()) for q in questions[1:])
        hwm_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"first_s": first_s, "rows": n, "hwm_kib": hwm_kib}))
        return
    con = duckdb.connect(db, read_only=True)
    if cmd == "answers":
        print(json.dumps([rows(con, q) for q in questions]))
        return
    if cmd == "time":
        budget = float(sys.argv[4]) / 1000
        out = []
        for q in questions:
            for _ in range(2):
                con.execute(q).fetchall()
            times = []
            start = time.perf_counter()
            while (time.perf_counter() - start < budget or len(times) < 7) and len(times) < 1000:
                t = time.perf_counter()
                con.execute(q).fetchall()
                times.append(time.perf_counter() - t)
            out.append({"median_s": statistics.median(times), "runs": len(times)})
        print(json.dumps(out))
        return
    sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
