"""Fire and rescue services from Python (issue 16): the `services` source and
`grades in frs all` give the CLI's answers, say their kind, and hold the
grades of data/fire/grades.csv (read here with the csv module alone)."""

import csv
import json

import pytest

import peelql
from conftest import ROOT, plain

FIRE = ROOT / "data" / "fire"

QUERIES = [
    "services in frs 2021 where any area = inadequate select name, kind, programme, published, score",
    'services where name = "LFB"',
    "grades in frs 2021 group by area, grade select area, grade, count() order by area, grade",
    'grades in frs all where force = "Cumbria" select force, kind, programme, area, grade, basis',
]


def read(name):
    with open(FIRE / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("query", QUERIES)
def test_services_rows_equal_the_cli_json(engine, cli, query):
    out = cli("-c", query, "--format", "json")
    assert out.returncode == 0, out.stderr
    expected = json.loads(out.stdout)
    got = [{k: plain(v) for k, v in d.items()} for d in engine.query(query).to_dicts()]
    assert got == expected and got


def test_services_are_fire_and_rescue_services(engine):
    rows = engine.query("services in frs 2021 where any area = inadequate select name, kind, score order by name")
    assert rows.columns == ["name", "kind", "score"]
    assert [r[0] for r in rows] == [
        "Cumbria Fire and Rescue Service",
        "Gloucestershire Fire and Rescue Service",
        "North Yorkshire Fire and Rescue Service",
    ]
    assert set(rows.column("kind")) == {"fire and rescue service"}
    assert all(isinstance(s, float) for s in rows.column("score"))
    # the default stays police: the same words over forces read no service
    forces = engine.query("forces select kind")
    assert set(forces.column("kind")) == {"police force"} and len(forces) == 43


def test_grades_in_frs_all_are_the_data_files_grades(engine):
    names = {r["service"]: r["name"] for r in read("service_names.csv")}
    expected = {(names[r["service"]], r["round"], r["area"]): r["grade"] for r in read("grades.csv")}
    assert len(expected) == 459
    rows = engine.query("grades in frs all select force, kind, programme, area, grade")
    got = {(d["force"], d["programme"], d["area"]): d["grade"] for d in rows.to_dicts()}
    assert len(rows) == 459
    assert {k: g.label for k, g in got.items()} == expected
    assert all(isinstance(g, peelql.Grade) for g in got.values())
    assert set(rows.column("kind")) == {"fire and rescue service"}


def test_grades_in_frs_all_as_a_frame(engine):
    pd = pytest.importorskip("pandas")
    df = engine.query("grades in frs all").to_pandas()
    assert isinstance(df["grade"].dtype, pd.CategoricalDtype) and df["grade"].cat.ordered
    # the four-tier rounds have no adequate; round 3 (five-tier) does
    by_round = df.groupby("programme", observed=True)["grade"].apply(lambda g: set(g.dropna()))
    assert "adequate" not in by_round["FRS 2018-19"] and "adequate" not in by_round["FRS 2021-22"]
    assert "adequate" in by_round["FRS 2023-25"]
    counts = df.groupby("programme").size().to_dict()
    rounds = {}
    for r in read("grades.csv"):
        rounds[r["round"]] = rounds.get(r["round"], 0) + 1
    assert counts == rounds == {"FRS 2018-19": 135, "FRS 2021-22": 132, "FRS 2023-25": 192}


def test_a_police_name_in_a_fire_query_is_an_error(engine):
    with pytest.raises(peelql.ResolveError) as e:
        engine.query("forces in frs 2021")
    assert e.value.code == "peelql::resolve::wrong_kind"
