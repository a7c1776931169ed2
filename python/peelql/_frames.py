"""Rows as pandas and polars data frames (called by ``Rows.to_pandas`` and
``Rows.to_polars``). Only the shape of the frame is decided here; the values
are the engine's, converted by the native module."""

from __future__ import annotations

import datetime
from typing import Any

from ._native import Grade

#: Grade words, worst first: the order of the categorical.
GRADE_LABELS = [g.label for g in Grade.all()]


def _require(package: str) -> Any:
    try:
        return __import__(package)
    except ImportError as e:
        raise ImportError(
            f"Rows.to_{package}() needs {package}, which is not installed: pip install {package}",
            name=package,
        ) from e


def _kind(values: list) -> str:
    """What a column holds: 'grade', 'int', 'date' or 'other' (nulls aside)."""
    kinds = set()
    for v in values:
        if v is None:
            continue
        if isinstance(v, Grade):
            kinds.add("grade")
        elif isinstance(v, bool):
            kinds.add("other")
        elif isinstance(v, int):
            kinds.add("int")
        elif isinstance(v, datetime.date):
            kinds.add("date")
        else:
            kinds.add("other")
    return kinds.pop() if len(kinds) == 1 else "other"


def _columns(rows) -> list[tuple[str, list]]:
    names = rows.columns
    cells = list(zip(*rows)) if len(rows) else [() for _ in names]
    return [(name, list(values)) for name, values in zip(names, cells)]


def to_pandas(rows):
    pd = _require("pandas")
    data = {}
    for name, values in _columns(rows):
        kind = _kind(values)
        if kind == "grade":
            data[name] = pd.Categorical(
                [None if v is None else v.label for v in values], categories=GRADE_LABELS, ordered=True
            )
        elif kind == "int" and None in values:
            data[name] = pd.array(values, dtype="Int64")
        else:
            data[name] = pd.Series(values, dtype=None if values else object)
    return pd.DataFrame(data, columns=rows.columns)


def to_polars(rows):
    pl = _require("polars")
    series = []
    for name, values in _columns(rows):
        kind = _kind(values)
        if kind == "grade":
            series.append(pl.Series(name, [None if v is None else v.label for v in values], dtype=pl.Enum(GRADE_LABELS)))
        elif kind == "other":
            series.append(pl.Series(name, [None if v is None else v for v in values], strict=False))
        else:
            series.append(pl.Series(name, values))
    return pl.DataFrame(series)
