//! The native module of the Python package `peelql`: PeelQL's engine in
//! process. A thin shell over the `peelql` crate's library — every answer,
//! error and warning is the engine's; this crate only converts values and
//! errors and releases the GIL while the engine works.
//!
//! Python sees it as `peelql._native`, re-exported by `peelql/__init__.py`
//! (whose `_frames.py` turns rows into pandas and polars frames).

mod convert;
mod engine;
mod errors;
mod grade;
mod rows;

use pyo3::prelude::*;

/// PeelQL's engine in process: `Engine`, `Query`, `Rows`, `Grid`,
/// `ImportSummary`, `Grade`, and the error and warning classes.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<engine::Engine>()?;
    m.add_class::<engine::Query>()?;
    m.add_class::<rows::Rows>()?;
    m.add_class::<rows::RowIter>()?;
    m.add_class::<rows::Grid>()?;
    m.add_class::<rows::ImportSummary>()?;
    m.add_class::<grade::Grade>()?;
    m.add("PeelQLError", py.get_type::<errors::PeelQLError>())?;
    m.add("ParseError", py.get_type::<errors::ParseError>())?;
    m.add("ResolveError", py.get_type::<errors::ResolveError>())?;
    m.add("QueryTypeError", py.get_type::<errors::QueryTypeError>())?;
    m.add("DataImportError", py.get_type::<errors::DataImportError>())?;
    m.add("StoreError", py.get_type::<errors::StoreError>())?;
    m.add("PeelQLWarning", py.get_type::<errors::PeelQLWarning>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
