"""PeelQL from Python: ask questions of HMICFRS PEEL police inspection grades.

The engine runs in process (a native module built from the ``peelql`` Rust
crate); queries release the GIL, so one :class:`Engine` serves many threads.

>>> import peelql
>>> engine = peelql.Engine()                      # the bundled grades, in memory
>>> rows = engine.query('forces where area("sex offenders") = $g select name', g=peelql.Grade.INADEQUATE)
>>> "Cambridgeshire Constabulary" in [name for (name,) in rows]
True

Errors are :class:`PeelQLError` subclasses carrying ``code``, ``message``,
``span``, ``label`` and ``help``; warnings are :class:`PeelQLWarning`\\ s
issued through the :mod:`warnings` module.
"""

from ._native import (
    DataImportError,
    Engine,
    Grade,
    Grid,
    ImportSummary,
    ParseError,
    PeelQLError,
    PeelQLWarning,
    Query,
    QueryTypeError,
    ResolveError,
    Rows,
    StoreError,
    __version__,
)

__all__ = [
    "DataImportError",
    "Engine",
    "Grade",
    "Grid",
    "ImportSummary",
    "ParseError",
    "PeelQLError",
    "PeelQLWarning",
    "Query",
    "QueryTypeError",
    "ResolveError",
    "Rows",
    "StoreError",
    "__version__",
]
