"""Type stubs for PeelQL's native module (re-exported by ``peelql``)."""

import datetime
import os
import pathlib
from typing import Any, ClassVar, Iterator, Literal, Optional, Union, final

__version__: str

#: A value a query can bind or give back.
Value = Union[None, bool, int, float, str, datetime.date, "Grade"]
#: A parameter value: what ``**params`` accept.
Param = Union[None, bool, int, float, str, datetime.date, "Grade"]
#: Character offsets ``(start, end)`` into the query text: ``text[start:end]``.
Span = tuple[int, int]

@final
class Grade:
    """A PEEL grade. Ordered, better is greater; ``int(g)`` is its rank 1–5,
    ``str(g)`` the inspectorate's word (``"requires improvement"``)."""

    INADEQUATE: ClassVar[Grade]
    REQUIRES_IMPROVEMENT: ClassVar[Grade]
    ADEQUATE: ClassVar[Grade]
    GOOD: ClassVar[Grade]
    OUTSTANDING: ClassVar[Grade]

    @property
    def label(self) -> str:
        """The grade as the inspectorate writes it: ``"requires improvement"``."""
    @property
    def code(self) -> str:
        """The code the grid draws: ``O``, ``G``, ``A``, ``RI``, ``I``."""
    @property
    def rank(self) -> int:
        """The place on the 1–5 scale (inadequate 1 … outstanding 5)."""
    @staticmethod
    def parse(text: str) -> Grade:
        """Reads a grade word, ignoring case (``"RI"``, ``"requires_improvement"``);
        ``ValueError`` for anything else."""
    @staticmethod
    def all() -> list[Grade]:
        """Every grade, worst first."""
    def __int__(self) -> int: ...
    def __lt__(self, other: Grade) -> bool: ...
    def __le__(self, other: Grade) -> bool: ...
    def __gt__(self, other: Grade) -> bool: ...
    def __ge__(self, other: Grade) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Engine:
    """A PeelQL engine: the bundled grades in memory (``Engine()``), or a
    store on disk (``Engine.open(path)``). One engine serves many threads;
    queries release the GIL. Usable as a context manager (closes on exit)."""

    def __init__(self) -> None:
        """An engine over the bundled grades, in memory: nothing on disk."""
    @classmethod
    def open(cls, path: Union[str, os.PathLike[str]]) -> Engine:
        """Opens (or creates) the store at ``path``; ``StoreError`` when it cannot."""
    def query(self, text: str, /, **params: Param) -> Rows:
        """Runs one query, ``params`` bound to its ``$name`` parameters as
        values. Raises a ``PeelQLError`` subclass for a mistake; issues a
        ``PeelQLWarning`` for each suspicious thing about a query that ran."""
    def prepare(self, text: str) -> Query:
        """Parses a query once, to run many times with ``Query.run(**params)``."""
    def import_file(
        self,
        path: Union[str, os.PathLike[str]],
        /,
        *,
        dry_run: bool = False,
        replace: bool = False,
        format: Optional[Literal["csv", "json"]] = None,
    ) -> ImportSummary:
        """Imports a CSV or JSON file of grades, all or nothing: any problem
        raises ``DataImportError`` listing every one, and nothing is written."""
    def export(self, format: Literal["csv", "json"] = "csv") -> str:
        """Everything an import can bring back, as CSV or JSON text."""
    def close(self) -> None:
        """Lets the engine go; later calls raise ``StoreError``
        (``peelql::python::closed``)."""
    @property
    def closed(self) -> bool:
        """True once ``close()`` has been called."""
    @property
    def path(self) -> Optional[pathlib.Path]:
        """The store's folder; ``None`` in memory."""
    def __enter__(self) -> Engine: ...
    def __exit__(self, *exc: object) -> bool: ...

@final
class Query:
    """A query parsed once by ``Engine.prepare``."""

    @property
    def text(self) -> str:
        """The query text."""
    def run(self, **params: Param) -> Rows:
        """Runs the query with ``params`` bound, over the engine's current data."""

@final
class Rows:
    """A query's result: ``columns``, ``len()``, iteration as tuples,
    ``rows[i]``; shows itself as a table in a notebook."""

    @property
    def columns(self) -> list[str]:
        """The column names, in order."""
    @property
    def query(self) -> str:
        """The text of the query that made the rows."""
    @property
    def warnings(self) -> list[PeelQLWarning]:
        """The query's warnings (also issued through ``warnings`` when it ran)."""
    def __len__(self) -> int: ...
    def __getitem__(self, i: int) -> tuple[Value, ...]: ...
    def __iter__(self) -> Iterator[tuple[Value, ...]]: ...
    def to_dicts(self) -> list[dict[str, Value]]:
        """Every row as a dict of column name to value."""
    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``; grades as an ordered categorical (worst
        first). ``ImportError`` naming pandas when it is not installed."""
    def to_polars(self) -> Any:
        """A ``polars.DataFrame``; grades as a ``polars.Enum`` (worst first).
        ``ImportError`` naming polars when it is not installed."""
    def column(self, name: str) -> list[Value]:
        """The values of one column, by name (case-insensitive); ``KeyError``
        naming the columns when there is none."""
    def render(
        self, format: Literal["table", "csv", "json", "ndjson", "markdown", "md", "grid", "html", "svg"] = "table"
    ) -> str:
        """The rows as the CLI's ``--format`` writes them."""
    def grid(self) -> Grid:
        """The rows drawn as grades (forces × areas, or one force's areas ×
        programmes), with each grade's source page."""
    def _repr_html_(self) -> str: ...

@final
class Grid:
    """A result drawn as grades; shows itself in a notebook."""

    @property
    def drawn(self) -> bool:
        """False when the rows held no grades to draw (a note and a table)."""
    def to_html(self) -> str:
        """The grid as one self-contained HTML page."""
    def to_svg(self) -> str:
        """The grid as a standalone SVG image."""
    def _repr_html_(self) -> str: ...
    def _repr_svg_(self) -> str: ...

@final
class ImportSummary:
    """What an import did, or for a dry run would do; ``str()`` is the
    CLI's summary line."""

    file: str
    rows: int
    added: int
    changed: int
    unchanged: int
    programmes_added: int
    themes_added: int
    areas_added: int
    history_added: int
    written: bool
    dry_run: bool
    #: The stored grades that changed ones replaced: force, programme,
    #: area, grade, replaced_at, replaced_by.
    replaced: list[dict[str, Any]]

class PeelQLError(Exception):
    """Base class of every PeelQL error; ``str(e)`` is the rendered report."""

    code: str
    message: str
    span: Optional[Span]
    label: Optional[str]
    help: Optional[str]
    #: Every problem of the statement (this one first), as dicts with the
    #: same keys.
    problems: list[dict[str, Any]]

class ParseError(PeelQLError):
    """The text is not PeelQL (``peelql::parse::…``)."""

class ResolveError(PeelQLError):
    """A name did not resolve (``peelql::resolve::…``)."""

class QueryTypeError(PeelQLError):
    """Values of the wrong kind in a query (``peelql::type::…``)."""

class DataImportError(PeelQLError):
    """An import file cannot be read or has problems (``peelql::import::…``)."""

class StoreError(PeelQLError):
    """The store cannot be used, or the engine is closed (``peelql::store::…``)."""

class PeelQLWarning(UserWarning):
    """A query ran, but something about it is suspicious (``peelql::warning::…``)."""

    code: str
    message: str
    span: Optional[Span]
    label: Optional[str]
    help: Optional[str]
