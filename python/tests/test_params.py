"""Parameters are bound as values, never spliced into the text."""

import datetime
import json

import pytest

import peelql
from conftest import plain

WORST = 'forces where area("responding") = $g select name'


def test_a_grade_parameter(engine, cli):
    rows = engine.query(WORST, g=peelql.Grade.INADEQUATE)
    out = cli("-c", WORST, "--param", "g=inadequate", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert [r[0] for r in rows] == [d["name"] for d in json.loads(out.stdout)]
    assert len(rows) > 0
    # the same answer as the grade written in the query, and as its word
    literal = engine.query('forces where area("responding") = inadequate select name')
    assert list(rows) == list(literal) == list(engine.query(WORST, g="inadequate"))
    assert len(engine.query(WORST, g=peelql.Grade.OUTSTANDING)) < len(rows)


def test_text_int_float_date_and_none(engine):
    cambs = engine.query("grades where force = $f select area", f="cambs")
    assert len(cambs) == 8
    top = engine.query("forces where graded >= $n order by score desc limit $k select name", n=8, k=3)
    assert len(top) == 3
    scores = engine.query("forces where score >= $s select name, score", s=3.5)
    assert scores and all(score >= 3.5 for _, score in scores)
    # a float keeps its digits: 3.333 is not rounded to 3.33
    at = engine.query("forces where score > $s select score", s=3.333)
    assert all(score > 3.333 for (score,) in at)
    since = engine.query(
        "grades in all where force = \"cambs\" and published >= $d select published", d=datetime.date(2024, 1, 1)
    )
    assert len(since) == 8 and all(plain(p) >= "2024-01-01" for (p,) in since)
    literal = engine.query('grades in all where force = "cambs" and published >= 2024-01-01 select published')
    assert list(since) == list(literal)
    # None is null: a value a query can show, and compare only with `is null`
    (row,) = engine.query('forces where name ~ "Kent" select name, $x as x', x=None)
    assert row == ("Kent Police", None)
    with pytest.raises(peelql.QueryTypeError) as e:
        engine.query("forces where region = $r select name", r=None)
    assert e.value.code == "peelql::type::null_comparison"


def test_a_parameter_is_a_value_not_text(engine):
    # a quote in a parameter cannot end the string and add a condition
    with pytest.raises(peelql.ResolveError) as e:
        engine.query("grades where force = $f", f='cambs" or force = "kent')
    assert e.value.code == "peelql::resolve::unknown_force"


def test_a_missing_parameter(engine):
    with pytest.raises(peelql.ResolveError) as e:
        engine.query(WORST)
    assert e.value.code == "peelql::resolve::unknown_parameter"
    assert WORST[slice(*e.value.span)] == "$g"


@pytest.mark.parametrize(
    "value, error, words",
    [
        ([1, 2], TypeError, "type list"),
        ({"a": 1}, TypeError, "type dict"),
        (object(), TypeError, "type object"),
        (datetime.datetime(2025, 1, 1, 12, 0), TypeError, "time of day"),
        (2**70, OverflowError, "64 bits"),
        (float("nan"), ValueError, "not a number"),
        (b"inadequate", TypeError, "type bytes"),
    ],
)
def test_wrong_parameter_types_are_python_errors(engine, value, error, words):
    with pytest.raises(error, match=words) as e:
        engine.query(WORST, g=value)
    assert "`g`" in str(e.value)


def test_prepared_queries_run_many_times(engine):
    q = engine.prepare(WORST)
    assert q.text == WORST
    worst = q.run(g=peelql.Grade.INADEQUATE)
    best = q.run(g=peelql.Grade.OUTSTANDING)
    assert list(worst) == list(engine.query(WORST, g="inadequate"))
    assert len(worst) > len(best)
    with pytest.raises(peelql.ParseError):
        engine.prepare("forces wher")
