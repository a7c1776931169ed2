//! `peelql.Rows` (a query's result), `peelql.Grid` (its picture) and
//! `peelql.ImportSummary`.

use crate::convert;
use crate::engine::short;
use crate::errors;
use peelql::dataset::Dataset;
use peelql::output::{Format, RenderContext, RenderOptions, fragment, render, render_with};
use peelql::syntax::Statement;
use peelql::{Params, StatementOutput};
use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use std::sync::Arc;

/// How many rows a notebook's table and a repr show.
const SHOWN_IN_HTML: usize = 100;
const SHOWN_IN_REPR: usize = 20;

/// A query's result: `columns`, `len(rows)`, iteration as tuples,
/// `rows[i]`, `to_dicts()`, `to_pandas()`, `to_polars()`; in a notebook
/// it shows itself as a table, and `grid()` draws it as grades.
#[pyclass(module = "peelql", frozen)]
pub struct Rows {
    rows: Arc<peelql::Rows>,
    src: Arc<str>,
    stmt: Arc<Statement>,
    params: Params,
    engine: Arc<peelql::Engine>,
    /// The data set the rows came from, so `grid()` draws the same data.
    data: Arc<Dataset>,
}

impl Rows {
    /// The result of `stmt` (the text `src`) run with `params` over `data`.
    pub fn new(
        rows: peelql::Rows,
        src: Arc<str>,
        stmt: Arc<Statement>,
        params: Params,
        engine: Arc<peelql::Engine>,
        data: Arc<Dataset>,
    ) -> Rows {
        Rows { rows: Arc::new(rows), src, stmt, params, engine, data }
    }
}

#[pymethods]
impl Rows {
    /// The column names, in order.
    #[getter]
    fn columns(&self) -> Vec<String> {
        self.rows.columns.clone()
    }

    /// The text of the query that made the rows.
    #[getter]
    fn query(&self) -> &str {
        &self.src
    }

    /// The query's warnings, as `PeelQLWarning`s (each was also issued
    /// through the `warnings` module when the query ran).
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.rows.warnings.iter().map(|w| errors::warning(py, w, &self.src)).collect()
    }

    fn __len__(&self) -> usize {
        self.rows.len()
    }

    /// Row `i` as a tuple (negative counts from the end).
    fn __getitem__<'py>(&self, py: Python<'py>, i: isize) -> PyResult<Bound<'py, PyTuple>> {
        let n = self.rows.len();
        let at = if i < 0 { n.checked_sub(i.unsigned_abs()) } else { Some(i.unsigned_abs()) };
        match at.and_then(|at| self.rows.rows.get(at)) {
            Some(r) => convert::row(py, r),
            None => Err(PyIndexError::new_err(format!("row {i} of {n}"))),
        }
    }

    fn __iter__(slf: Bound<'_, Rows>) -> RowIter {
        RowIter { rows: Arc::clone(&slf.get().rows), next: 0 }
    }

    /// Every row as a dict of column name to value.
    fn to_dicts<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        convert::dicts(py, &self.rows)
    }

    /// A `pandas.DataFrame`: grade columns as an ordered categorical
    /// (worst first), whole-number columns with nulls as `Int64`. Raises
    /// `ImportError` naming pandas when it is not installed.
    fn to_pandas<'py>(slf: &Bound<'py, Rows>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("peelql._frames")?.call_method1("to_pandas", (slf,))
    }

    /// A `polars.DataFrame`: grade columns as a `polars.Enum` (ordered,
    /// worst first). Raises `ImportError` naming polars when it is not
    /// installed.
    fn to_polars<'py>(slf: &Bound<'py, Rows>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("peelql._frames")?.call_method1("to_polars", (slf,))
    }

    /// The values of one column, by name (case-insensitive).
    fn column<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyList>> {
        let Some(values) = self.rows.column(name) else {
            return Err(pyo3::exceptions::PyKeyError::new_err(format!(
                "no column {name:?}: the columns are {}",
                self.rows.columns.join(", ")
            )));
        };
        let values = values.map(|v| convert::to_py(py, v)).collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, values)
    }

    /// The rows as the CLI's `--format` gives them: `"csv"`, `"json"`,
    /// `"ndjson"`, `"markdown"`, `"table"`, `"grid"`, `"html"` (a page)
    /// or `"svg"`.
    #[pyo3(signature = (format = "table"))]
    fn render(&self, py: Python<'_>, format: &str) -> PyResult<String> {
        let format: Format = format.parse().map_err(|e: peelql::output::UnknownFormat| {
            pyo3::exceptions::PyValueError::new_err(e.to_string())
        })?;
        if format.is_picture() {
            return self.pictured(py).map(|rows| {
                render_with(&rows, format, &RenderOptions::plain(), &RenderContext::query(&self.src))
            });
        }
        Ok(py.detach(|| render(&self.rows, format, &RenderOptions::plain())))
    }

    /// The rows drawn as grades — forces × areas, or one force's areas ×
    /// programmes — as the CLI's `grid`, `html` and `svg` formats draw
    /// them (with each grade's source page): a `Grid` that shows itself in
    /// a notebook. Rows with no grades to draw give a note and a table.
    fn grid(&self, py: Python<'_>) -> PyResult<Grid> {
        let rows = self.pictured(py)?;
        let src = &*self.src;
        Ok(py.detach(|| {
            let context = RenderContext::query(src);
            Grid {
                drawn: fragment::has_grid(&rows),
                fragment: fragment::html_grid(&rows, &context),
                page: render_with(&rows, Format::Html, &RenderOptions::plain(), &context),
                svg: render_with(&rows, Format::Svg, &RenderOptions::plain(), &context),
                text: render_with(&rows, Format::Grid, &RenderOptions::plain(), &context),
            }
        }))
    }

    fn _repr_html_(&self, py: Python<'_>) -> String {
        py.detach(|| fragment::html_table(&self.rows, SHOWN_IN_HTML))
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        py.detach(|| {
            let n = self.rows.len();
            let shown = peelql::Rows::new(
                self.rows.columns.clone(),
                self.rows.rows.iter().take(SHOWN_IN_REPR).cloned().collect(),
            );
            let mut text = render(
                &shown,
                Format::Table,
                &RenderOptions { color: false, unicode: true, width: Some(100) },
            );
            if n > SHOWN_IN_REPR {
                text.push_str(&format!("… the first {SHOWN_IN_REPR} of {n} rows of {}\n", short(&self.src)));
            }
            text.trim_end().to_string()
        })
    }
}

impl Rows {
    /// The rows again, with the columns pictures draw on (theme, basis,
    /// source page), from the same data set.
    fn pictured(&self, py: Python<'_>) -> PyResult<peelql::Rows> {
        py.detach(|| {
            let mut session = self.engine.session_over(Arc::clone(&self.data));
            session.set_grid_columns(true);
            session
                .run(&self.src, &self.stmt, &self.params)
                .map(StatementOutput::into_rows)
                .map_err(|e| e.with_source("query", &*self.src))
        })
        .map_err(|e| errors::to_py(py, &e, Some(&self.src)))
    }
}

/// Iterates over `Rows` as tuples.
#[pyclass(module = "peelql")]
pub struct RowIter {
    rows: Arc<peelql::Rows>,
    next: usize,
}

#[pymethods]
impl RowIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(mut slf: PyRefMut<'py, Self>, py: Python<'py>) -> PyResult<Option<Bound<'py, PyTuple>>> {
        let Some(r) = slf.rows.rows.get(slf.next) else { return Ok(None) };
        let t = convert::row(py, r)?;
        slf.next += 1;
        Ok(Some(t))
    }
}

/// A result drawn as grades. In a notebook it shows itself as the
/// coloured grid (`_repr_html_`, or `_repr_svg_` as an image);
/// `to_html()` is the whole page the CLI's `html` format writes,
/// `to_svg()` the image, `str(grid)` the terminal's grid of codes.
#[pyclass(module = "peelql", frozen)]
pub struct Grid {
    drawn: bool,
    fragment: String,
    page: String,
    svg: String,
    text: String,
}

#[pymethods]
impl Grid {
    /// False when the rows held no grades to draw (the picture is then a
    /// note and a plain table).
    #[getter]
    fn drawn(&self) -> bool {
        self.drawn
    }

    fn _repr_html_(&self) -> &str {
        &self.fragment
    }

    fn _repr_svg_(&self) -> &str {
        &self.svg
    }

    /// The grid as one self-contained HTML page.
    fn to_html(&self) -> &str {
        &self.page
    }

    /// The grid as a standalone SVG image.
    fn to_svg(&self) -> &str {
        &self.svg
    }

    fn __str__(&self) -> &str {
        &self.text
    }

    fn __repr__(&self) -> String {
        format!("<peelql.Grid{}>", if self.drawn { "" } else { " (no grades to draw)" })
    }
}

/// What an import did, or for a dry run would do.
#[pyclass(module = "peelql", frozen)]
pub struct ImportSummary {
    /// The file's name.
    #[pyo3(get)]
    file: String,
    /// Grade rows in the file.
    #[pyo3(get)]
    rows: usize,
    /// Grades the store did not hold.
    #[pyo3(get)]
    added: usize,
    /// Grades that replaced different stored ones (`replace=True`).
    #[pyo3(get)]
    changed: usize,
    /// Grades equal to the stored ones.
    #[pyo3(get)]
    unchanged: usize,
    /// Programmes declared that the store did not hold.
    #[pyo3(get)]
    programmes_added: usize,
    /// Themes declared that the store did not hold.
    #[pyo3(get)]
    themes_added: usize,
    /// Areas declared that the store did not hold.
    #[pyo3(get)]
    areas_added: usize,
    /// History records the store did not hold.
    #[pyo3(get)]
    history_added: usize,
    /// True when the store (or the in-memory data) was written.
    #[pyo3(get)]
    written: bool,
    /// True for `dry_run=True`.
    #[pyo3(get)]
    dry_run: bool,
    /// The stored grades that changed ones replaced, as dicts.
    #[pyo3(get)]
    replaced: Vec<Py<PyDict>>,
    text: String,
}

impl ImportSummary {
    /// The summary of an import.
    pub fn new(py: Python<'_>, s: peelql::import::ImportSummary, dry_run: bool) -> PyResult<ImportSummary> {
        let replaced = s
            .replaced
            .iter()
            .map(|h| {
                let d = PyDict::new(py);
                d.set_item("force", &h.previous.force)?;
                d.set_item("programme", &h.previous.programme)?;
                d.set_item("area", &h.previous.area)?;
                d.set_item("grade", h.previous.grade.map(crate::grade::Grade::from))?;
                d.set_item("replaced_at", &h.replaced_at)?;
                d.set_item("replaced_by", &h.replaced_by)?;
                Ok(d.unbind())
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(ImportSummary {
            text: s.to_string(),
            file: s.file,
            rows: s.rows,
            added: s.added,
            changed: s.changed,
            unchanged: s.unchanged,
            programmes_added: s.programmes_added,
            themes_added: s.themes_added,
            areas_added: s.areas_added,
            history_added: s.history_added,
            written: s.written,
            dry_run,
            replaced,
        })
    }
}

#[pymethods]
impl ImportSummary {
    /// `FILE: N rows: A added, C changed, U unchanged`, as the CLI prints.
    fn __str__(&self) -> &str {
        &self.text
    }

    fn __repr__(&self) -> String {
        format!("<peelql.ImportSummary {}{}>", self.text, if self.dry_run { " (dry run)" } else { "" })
    }
}
