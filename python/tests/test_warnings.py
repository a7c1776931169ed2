"""Warnings go through Python's warnings module, with code and span."""

import warnings

import pytest

import peelql


def test_a_warning_is_issued_and_kept(engine):
    text = 'forces where "status" = "engage"'
    with pytest.warns(peelql.PeelQLWarning) as record:
        rows = engine.query(text)
    assert len(rows) == 0
    (w,) = [r.message for r in record]
    assert isinstance(w, UserWarning)
    assert w.code == "peelql::warning::constant_comparison"
    assert text[slice(*w.span)] == '"status" = "engage"'
    assert w.label == "false for every row"
    assert record[0].filename == __file__  # points at the caller's line
    assert [x.code for x in rows.warnings] == [w.code]


def test_a_partial_force_name_warns(engine):
    with pytest.warns(peelql.PeelQLWarning, match="Thames Valley Police"):
        rows = engine.query('grades where force = "Thames" select force')
    assert rows[0][0] == "Thames Valley Police"


def test_warnings_as_errors(engine):
    with warnings.catch_warnings():
        warnings.simplefilter("error", peelql.PeelQLWarning)
        with pytest.raises(peelql.PeelQLWarning):
            engine.query("forces where 1 = 1")


def test_a_plain_query_does_not_warn(engine):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(engine.query('grades where force = "met"')) > 0
