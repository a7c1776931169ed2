"""Answers from Python equal the CLI's `--format json` answers."""

import datetime
import json

import pytest

import peelql
from conftest import plain

QUERIES = [
    'forces where area("sex offenders") = inadequate select name, programme',
    'grades where force = "cambs"',
    'grades in all where force = "Cambridgeshire"',
    'forces where area("responding") < adequate and region = "Eastern"',
    'grades where area("investigating") group by grade select grade, count()',
    "forces where count(area = inadequate) >= 2",
    'forces where area("responding") < previous(area("responding"))',
    "forces where graded >= 8 order by score desc limit 5 select name, score",
    "forces in peel 2021 where any area = inadequate",
    'grades where basis = "stated" and grade = inadequate',
    "inspections where force = \"kent\"",
    "programmes",
    "forces select name, score / 0",  # a warning, and nulls
]


@pytest.mark.filterwarnings("ignore::peelql.PeelQLWarning")
@pytest.mark.parametrize("query", QUERIES)
def test_rows_equal_the_cli_json(engine, cli, query):
    out = cli("-c", query, "--format", "json")
    assert out.returncode == 0, out.stderr
    expected = json.loads(out.stdout)
    rows = engine.query(query)
    got = [{k: plain(v) for k, v in d.items()} for d in rows.to_dicts()]
    assert got == expected
    assert len(rows) == len(expected)
    if expected:
        assert rows.columns == list(expected[0])
        assert [tuple(d.values()) for d in got] == [tuple(plain(v) for v in t) for t in rows]


def test_rows_are_real_answers(engine):
    rows = engine.query('forces where area("sex offenders") = inadequate select name, programme')
    assert rows.columns == ["name", "programme"]
    assert len(rows) == 4
    assert rows[0] == ("Cambridgeshire Constabulary", "PEEL 2023-25")
    assert rows[-1] == ("West Midlands Police", "PEEL 2023-25")
    with pytest.raises(IndexError):
        rows[4]
    assert rows.column("NAME")[1] == "Lincolnshire Police"


def test_values_convert_to_python_types(engine):
    rows = engine.query('grades where force = "cambs" and area("responding")')
    (d,) = rows.to_dicts()
    assert d["grade"] is peelql.Grade.INADEQUATE or d["grade"] == peelql.Grade.INADEQUATE
    assert isinstance(d["grade"], peelql.Grade)
    assert isinstance(d["published"], datetime.date)  # known to the day
    # a date known only to the month stays text: a datetime.date would invent a day
    months = engine.query("grades in all where published is not null select published")
    assert {type(p) for (p,) in months} <= {datetime.date, str}
    score = engine.query('forces where name = "Cambridgeshire Constabulary" select score, graded')[0]
    assert isinstance(score[0], float) and isinstance(score[1], int)


def test_grade_is_ordered_and_reads_words():
    G = peelql.Grade
    assert G.INADEQUATE < G.REQUIRES_IMPROVEMENT < G.ADEQUATE < G.GOOD < G.OUTSTANDING
    assert str(G.REQUIRES_IMPROVEMENT) == "requires improvement"
    assert G.REQUIRES_IMPROVEMENT.code == "RI" and G.GOOD.rank == 4
    assert G.parse("Requires_Improvement") is G.REQUIRES_IMPROVEMENT or G.parse("ri") == G.REQUIRES_IMPROVEMENT
    assert G.all() == [G.INADEQUATE, G.REQUIRES_IMPROVEMENT, G.ADEQUATE, G.GOOD, G.OUTSTANDING]
    assert sorted([G.GOOD, G.INADEQUATE]) == [G.INADEQUATE, G.GOOD]
    with pytest.raises(ValueError, match="not a grade"):
        G.parse("okay")
