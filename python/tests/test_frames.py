"""Rows as pandas and polars frames."""

import sys

import pytest

import peelql

LABELS = ["inadequate", "requires improvement", "adequate", "good", "outstanding"]


def test_to_pandas_dtypes_and_ordered_grades(engine):
    pd = pytest.importorskip("pandas")
    rows = engine.query('grades in all where force = "cambs"')
    df = rows.to_pandas()
    assert list(df.columns) == rows.columns
    assert len(df) == len(rows)
    grade = df["grade"]
    assert isinstance(grade.dtype, pd.CategoricalDtype)
    assert grade.cat.ordered
    assert list(grade.cat.categories) == LABELS
    # the categorical orders as grades do: the worst grade is the minimum
    assert grade.min() == min(g for g in rows.column("grade") if g is not None).label
    assert (df.sort_values("grade")["grade"].dropna().tolist()) == sorted(
        (g.label for g in rows.column("grade") if g is not None), key=LABELS.index
    )
    assert df["force"].tolist()[0] == "Cambridgeshire Constabulary"


def test_to_pandas_numbers(engine):
    pytest.importorskip("pandas")
    df = engine.query("forces select name, score, graded").to_pandas()
    assert df["score"].dtype.kind == "f"
    assert str(df["graded"].dtype) in ("int64", "Int64")
    counts = engine.query('grades where area("investigating") group by grade select grade, count()').to_pandas()
    assert counts["count"].sum() == len(engine.query('grades where area("investigating")'))


def test_an_empty_result_is_an_empty_frame(engine):
    pytest.importorskip("pandas")
    rows = engine.query('forces where region = "Wales" and score > 99')
    df = rows.to_pandas()
    assert len(rows) == 0 and len(df) == 0 and list(df.columns) == rows.columns
    assert "name" in rows.columns


def test_to_polars(engine):
    pl = pytest.importorskip("polars")
    rows = engine.query('grades where force = "cambs"')
    df = rows.to_polars()
    assert df.columns == rows.columns
    assert df.height == 8
    assert isinstance(df.schema["grade"], pl.Enum)
    assert df.schema["grade"].categories.to_list() == LABELS
    worst = df.sort("grade")["grade"][0]
    assert worst == "inadequate"


@pytest.mark.parametrize("package", ["pandas", "polars"])
def test_a_missing_package_is_a_clear_import_error(engine, monkeypatch, package):
    monkeypatch.setitem(sys.modules, package, None)  # as if not installed
    rows = engine.query("forces limit 1")
    with pytest.raises(ImportError, match=f"needs {package}.*pip install {package}") as info:
        getattr(rows, f"to_{package}")()
    assert info.value.name == package
