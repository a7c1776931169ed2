"""A store on disk: import, export, another process holding it, threads."""

import fcntl
import subprocess
import sys
import threading
import time

import pytest

import peelql

HEADER = "force,programme,published,area,grade,source_url,basis\n"
KENT = "kent,peel 2023,2025-06,Managing offenders,{},https://example.org/kent,stated\n"
OFFENDERS = 'grades where force = "kent" and area("managing offenders") select grade'


def test_import_dry_run_replace_and_export(tmp_path):
    new = tmp_path / "kent.csv"
    new.write_text(HEADER + KENT.format("good"))
    with peelql.Engine.open(tmp_path / "store") as engine:
        assert len(engine.query(OFFENDERS)) == 0
        dry = engine.import_file(new, dry_run=True)
        assert (dry.rows, dry.added, dry.written, dry.dry_run) == (1, 1, False, True)
        assert len(engine.query(OFFENDERS)) == 0
        s = engine.import_file(new)
        assert (s.added, s.changed, s.unchanged, s.written) == (1, 0, 0, True)
        assert str(s) == f"{new}: 1 row: 1 added, 0 changed, 0 unchanged"
        assert list(engine.query(OFFENDERS)) == [(peelql.Grade.GOOD,)]
        again = engine.import_file(new)
        assert (again.added, again.unchanged, again.written) == (0, 1, False)
        # a different grade needs replace=True
        new.write_text(HEADER + KENT.format("adequate"))
        with pytest.raises(peelql.DataImportError, match="replace"):
            engine.import_file(new)
        r = engine.import_file(new, replace=True)
        assert r.changed == 1 and r.replaced[0]["grade"] == peelql.Grade.GOOD
        csv = engine.export()
        assert "Managing offenders,adequate" in csv and "history" in csv
        assert '"grades"' in engine.export(format="json")
        with pytest.raises(ValueError, match="csv"):
            engine.export(format="xml")
    # the store kept it
    with peelql.Engine.open(tmp_path / "store") as engine:
        assert list(engine.query(OFFENDERS)) == [(peelql.Grade.ADEQUATE,)]
    # export → import into a fresh store gives the same answers
    dump = tmp_path / "all.csv"
    dump.write_text(csv)
    with peelql.Engine.open(tmp_path / "fresh") as fresh:
        fresh.import_file(dump)
        assert list(fresh.query(OFFENDERS)) == [(peelql.Grade.ADEQUATE,)]
        assert fresh.export() == csv


HOLD = """
import fcntl, sys, time
f = open(sys.argv[1], "r+b")
fcntl.flock(f, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


def test_a_store_in_use_by_another_process(tmp_path):
    store = tmp_path / "store"
    engine = peelql.Engine.open(store)
    new = tmp_path / "kent.csv"
    new.write_text(HEADER + KENT.format("good"))
    # another process holds the store's database the way a writing peelql does
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store / "db")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(peelql.StoreError) as info:
            engine.import_file(new)
        assert info.value.code == "peelql::store::locked"
        # queries still answer, from the last committed data
        assert len(engine.query('grades where force = "cambs"')) == 8
        assert len(peelql.Engine.open(store).query(OFFENDERS)) == 0
    finally:
        holder.communicate("\n", timeout=30)
    assert engine.import_file(new).added == 1  # free again


def test_eight_threads_share_one_engine(engine):
    areas = ["responding", "investigating", "offenders", "vulnerable", "prevention", "workforce", "leadership", "treatment"]
    q = engine.prepare("forces where area($area) <= requires improvement select name")
    expected = {a: list(q.run(area=a)) for a in areas}
    results, errors = {}, []

    def work(area):
        try:
            for _ in range(20):
                got = list(q.run(area=area))
                assert got == expected[area]
            results[area] = list(engine.query("forces where area($area) <= requires improvement select name", area=area))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(a,)) for a in areas]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert results == expected
    assert any(len(v) > 0 for v in results.values())


def test_the_gil_is_released_while_a_query_runs(engine):
    # a query that takes a while: a 4 MB string to compare every grade with
    text = 'grades in all where source_url = $u or area ~ $u select force'
    big = "z" * (4 * 1024 * 1024)
    start = time.perf_counter()
    engine.query(text, u=big)
    alone = time.perf_counter() - start
    ticks = 0
    done = threading.Event()

    def run():
        engine.query(text, u=big)
        done.set()

    t = threading.Thread(target=run)
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0)
    t.join()
    # the main thread ran Python code while the query ran on the other
    assert alone > 0.005, alone
    assert ticks > 100, (ticks, alone)
