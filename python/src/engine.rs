//! `peelql.Engine` and `peelql.Query`: the engine in process, queries run
//! with the GIL released.

use crate::convert;
use crate::errors::{self, DataImportError};
use crate::rows::{ImportSummary, Rows};
use peelql::export::ExportFormat;
use peelql::import::{ImportFormat, ImportOptions, ImportSource};
use peelql::syntax::Statement;
use peelql::{Params, StatementOutput};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

/// A PeelQL engine: the bundled grades in memory (`Engine()`), or a store
/// on disk (`Engine.open(path)`).
///
/// One engine serves many threads: queries run with the GIL released. An
/// engine over a store answers from the store's last committed data, so
/// other processes may read the same store while one imports; only a
/// second import at once is refused (`StoreError`, code
/// `peelql::store::locked`). `close()` (or leaving a `with` block) lets the
/// store go; a closed engine raises `StoreError` (`peelql::python::closed`).
#[pyclass(module = "peelql", frozen)]
pub struct Engine {
    inner: RwLock<Option<Arc<peelql::Engine>>>,
}

impl Engine {
    fn wrap(engine: peelql::Engine) -> Engine {
        Engine { inner: RwLock::new(Some(Arc::new(engine))) }
    }

    /// The engine, unless it is closed.
    pub fn get(&self, py: Python<'_>) -> PyResult<Arc<peelql::Engine>> {
        self.inner.read().unwrap_or_else(PoisonError::into_inner).clone().ok_or_else(|| errors::closed(py))
    }
}

/// Parses `text` (with the GIL released: it may be long).
fn parse(py: Python<'_>, engine: &peelql::Engine, text: &str) -> PyResult<Statement> {
    py.detach(|| engine.prepare(text).map(|q| q.statement().clone()))
        .map_err(|e| errors::to_py(py, &e, Some(text)))
}

/// Runs a parsed statement over the engine's current data set with the GIL
/// released, then issues its warnings.
pub fn run(
    py: Python<'_>,
    engine: Arc<peelql::Engine>,
    src: Arc<str>,
    stmt: Arc<Statement>,
    params: Params,
) -> PyResult<Rows> {
    let data = engine.dataset();
    let out = py.detach(|| {
        engine
            .session_over(Arc::clone(&data))
            .run(&src, &stmt, &params)
            .map(StatementOutput::into_rows)
            .map_err(|e| e.with_source("query", &*src))
    });
    let rows = out.map_err(|e| errors::to_py(py, &e, Some(&src)))?;
    errors::warn_all(py, &rows.warnings, &src)?;
    Ok(Rows::new(rows, src, stmt, params, engine, data))
}

#[pymethods]
impl Engine {
    /// An engine over the bundled grades, in memory: nothing on disk.
    #[new]
    fn new(py: Python<'_>) -> PyResult<Engine> {
        py.detach(peelql::Engine::in_memory).map(Engine::wrap).map_err(|e| errors::to_py(py, &e, None))
    }

    /// Opens (or creates) the store at `path`; a new store holds the
    /// bundled grades. Raises `StoreError` when it cannot (a file in the
    /// way, a folder that is not a store, a store from a newer PeelQL).
    #[classmethod]
    fn open(_cls: &Bound<'_, PyType>, py: Python<'_>, path: PathBuf) -> PyResult<Engine> {
        py.detach(|| peelql::Engine::open(&path)).map(Engine::wrap).map_err(|e| errors::to_py(py, &e, None))
    }

    /// Runs one query; `params` bind its `$name` parameters as values
    /// (never spliced into the text). Returns `Rows`; raises a
    /// `PeelQLError` subclass for a mistake, and issues a `PeelQLWarning`
    /// for each suspicious thing about a query that ran.
    #[pyo3(signature = (text, /, **params))]
    fn query(&self, py: Python<'_>, text: &str, params: Option<&Bound<'_, PyDict>>) -> PyResult<Rows> {
        let params = convert::params(params)?;
        let engine = self.get(py)?;
        let stmt = parse(py, &engine, text)?;
        run(py, engine, Arc::from(text), Arc::new(stmt), params)
    }

    /// Parses a query once, to run many times with `Query.run(**params)`.
    fn prepare(slf: &Bound<'_, Engine>, text: &str) -> PyResult<Query> {
        let py = slf.py();
        let engine = slf.get().get(py)?;
        let stmt = parse(py, &engine, text)?;
        Ok(Query { engine: slf.clone().unbind(), src: Arc::from(text), stmt: Arc::new(stmt) })
    }

    /// Imports a CSV or JSON file of grades (format from the extension,
    /// or `format="csv"|"json"`). Checked whole first: any problem raises
    /// `DataImportError` listing every one, and nothing is written.
    /// `dry_run=True` checks and counts only; `replace=True` lets a grade
    /// that differs from the stored one replace it (kept in the history).
    #[pyo3(signature = (path, /, *, dry_run = false, replace = false, format = None))]
    fn import_file(
        &self,
        py: Python<'_>,
        path: PathBuf,
        dry_run: bool,
        replace: bool,
        format: Option<&str>,
    ) -> PyResult<ImportSummary> {
        let format = match format {
            None => None,
            Some(f) => Some(ImportFormat::parse(f).ok_or_else(|| {
                DataImportError::new_err(format!("unknown import format {f:?}: expected \"csv\" or \"json\""))
            })?),
        };
        let engine = self.get(py)?;
        let options = ImportOptions { replace, dry_run };
        let summary = py.detach(|| {
            let source = ImportSource::from_path(&path, format)?;
            engine.import(&source, &options)
        });
        let summary = summary.map_err(|e| errors::to_py(py, &e, None))?;
        ImportSummary::new(py, summary, dry_run)
    }

    /// Everything an import can bring back, as text: `format="csv"` (one
    /// file with a `kind` column) or `"json"`.
    #[pyo3(signature = (format = "csv"))]
    fn export(&self, py: Python<'_>, format: &str) -> PyResult<String> {
        let format = match format.trim().to_ascii_lowercase().as_str() {
            "csv" => ExportFormat::Csv,
            "json" => ExportFormat::Json,
            _ => {
                return Err(PyValueError::new_err(format!(
                    "unknown export format {format:?}: expected \"csv\" or \"json\""
                )));
            }
        };
        let engine = self.get(py)?;
        py.detach(|| engine.export(format)).map_err(|e| errors::to_py(py, &e, None))
    }

    /// Lets the engine go: later calls raise `StoreError`. Rows already
    /// returned stay usable. Closing twice is allowed.
    fn close(&self) {
        let engine = self.inner.write().unwrap_or_else(PoisonError::into_inner).take();
        drop(engine);
    }

    /// True once `close()` has been called.
    #[getter]
    fn closed(&self) -> bool {
        self.inner.read().unwrap_or_else(PoisonError::into_inner).is_none()
    }

    /// The store's folder, or `None` for the bundled data in memory.
    #[getter]
    fn path(&self, py: Python<'_>) -> PyResult<Option<PathBuf>> {
        Ok(self.get(py)?.store_path().map(PathBuf::from))
    }

    fn __enter__(slf: Bound<'_, Engine>) -> Bound<'_, Engine> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close();
        false
    }

    fn __repr__(&self) -> String {
        match self.inner.read().unwrap_or_else(PoisonError::into_inner).as_ref() {
            Some(engine) => format!("<peelql.Engine over {}>", engine.describe()),
            None => "<peelql.Engine (closed)>".to_string(),
        }
    }
}

/// A query parsed once by `Engine.prepare`; `run(**params)` runs it.
#[pyclass(module = "peelql", frozen)]
pub struct Query {
    engine: Py<Engine>,
    src: Arc<str>,
    stmt: Arc<Statement>,
}

#[pymethods]
impl Query {
    /// Runs the query with `params` bound, over the engine's current data.
    #[pyo3(signature = (**params))]
    fn run(&self, py: Python<'_>, params: Option<&Bound<'_, PyDict>>) -> PyResult<Rows> {
        let params = convert::params(params)?;
        let engine = self.engine.get().get(py)?;
        run(py, engine, Arc::clone(&self.src), Arc::clone(&self.stmt), params)
    }

    /// The query text.
    #[getter]
    fn text(&self) -> &str {
        &self.src
    }

    fn __repr__(&self) -> String {
        format!("<peelql.Query {:?}>", short(&self.src))
    }
}

/// At most 60 characters of `s`, for a repr.
pub fn short(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}
