//! PeelQL's errors and warnings as Python exceptions and warnings.
//!
//! An engine [`peelql::Error`] becomes an instance of a `PeelQLError`
//! subclass chosen by its code's stage (`peelql::parse::…` →
//! `ParseError`, …), carrying `code`, `message`, `span`, `label`, `help`
//! and `problems`; its `str()` is the rendered report without colour.
//! A [`peelql::Warning`] becomes a `PeelQLWarning` (a `UserWarning`) with
//! the same attributes, issued through Python's `warnings` module.
//!
//! Spans are given in characters of the query text (Python's string
//! indices, so `text[start:end]` is the part pointed at), not the
//! engine's byte offsets.

use peelql::report::{Level, Style, render, render_warning};
use peelql::syntax::Span;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyUserWarning};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

create_exception!(
    peelql,
    PeelQLError,
    PyException,
    "Base class of every PeelQL error: `code`, `message`, `span`, `label`, `help`, `problems`."
);
create_exception!(peelql, ParseError, PeelQLError, "The text is not PeelQL (`peelql::parse::…`).");
create_exception!(
    peelql,
    ResolveError,
    PeelQLError,
    "A name — force, area, column, source, programme, parameter — did not resolve (`peelql::resolve::…`)."
);
create_exception!(
    peelql,
    QueryTypeError,
    PeelQLError,
    "Values of the wrong kind in a query, e.g. a grade compared with a date (`peelql::type::…`)."
);
create_exception!(
    peelql,
    DataImportError,
    PeelQLError,
    "An import file cannot be read or has problems; nothing was imported (`peelql::import::…`, `peelql::data::…`)."
);
create_exception!(
    peelql,
    StoreError,
    PeelQLError,
    "The store cannot be opened, read or written, is in use by another process, or the engine is closed (`peelql::store::…`)."
);
create_exception!(
    peelql,
    PeelQLWarning,
    PyUserWarning,
    "A query ran and its answer is exact, but something about it is suspicious (`peelql::warning::…`)."
);

/// The code of the error a closed engine gives.
pub const CLOSED: &str = "peelql::python::closed";

/// How reports are drawn for `str(e)`: Unicode, never colour.
fn style() -> Style {
    Style { color: false, unicode: true, width: 100 }
}

/// A byte span of `src` as character offsets (a span that does not fall
/// on character boundaries of `src`, or lies past it, is given as bytes
/// clamped to the text: it points into some other text).
fn char_span(src: Option<&str>, span: Span) -> (usize, usize) {
    match src {
        Some(src)
            if span.end <= src.len()
                && src.is_char_boundary(span.start)
                && src.is_char_boundary(span.end) =>
        {
            let start = src[..span.start].chars().count();
            (start, start + src[span.start..span.end].chars().count())
        }
        _ => (span.start, span.end),
    }
}

/// The exception class for an error's code.
fn class_of<'py>(py: Python<'py>, e: &peelql::Error) -> Bound<'py, pyo3::types::PyType> {
    let code = e.code_str();
    let stage = code.strip_prefix("peelql::").and_then(|c| c.split("::").next()).unwrap_or("");
    match stage {
        "parse" => py.get_type::<ParseError>(),
        "resolve" => py.get_type::<ResolveError>(),
        "type" => py.get_type::<QueryTypeError>(),
        "import" | "data" => py.get_type::<DataImportError>(),
        "store" | "python" => py.get_type::<StoreError>(),
        _ if e.kind() == peelql::ErrorKind::Store => py.get_type::<StoreError>(),
        _ => py.get_type::<PeelQLError>(),
    }
}

/// One problem's attributes, as a dict: `code`, `message`, `span`,
/// `label`, `help`.
fn problem<'py>(py: Python<'py>, e: &peelql::Error, src: Option<&str>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("code", e.code_str())?;
    d.set_item("message", e.message())?;
    d.set_item("span", e.span().map(|s| char_span(src, s)))?;
    d.set_item("label", e.label())?;
    let help = e.hints().join("\n");
    d.set_item("help", (!help.is_empty()).then_some(help))?;
    Ok(d)
}

/// The Python exception for an engine error. `src` is the query text the
/// error's spans point into, when it came from a query.
pub fn to_py(py: Python<'_>, e: &peelql::Error, src: Option<&str>) -> PyErr {
    // Python names the class before the text (`ParseError: peelql::parse::…`):
    // the report's own `Error: ` would say it twice
    let text = render(e, &style());
    let text = text.strip_prefix(Level::Error.prefix()).unwrap_or(&text).to_string();
    let err = PyErr::from_type(class_of(py, e), text);
    if let Err(failed) = set_attributes(py, &err, e, src) {
        return failed;
    }
    err
}

fn set_attributes(py: Python<'_>, err: &PyErr, e: &peelql::Error, src: Option<&str>) -> PyResult<()> {
    let value = err.value(py);
    let first = problem(py, e, src)?;
    for key in ["code", "message", "span", "label", "help"] {
        value.setattr(key, first.get_item(key)?)?;
    }
    let problems = PyList::empty(py);
    for p in e.problems() {
        problems.append(problem(py, p, src)?)?;
    }
    value.setattr("problems", problems)?;
    Ok(())
}

/// An error made here rather than by the engine (the engine is closed).
pub fn closed(py: Python<'_>) -> PyErr {
    let e = peelql::Error::store(CLOSED, "this engine is closed")
        .with_help("open the store again with peelql.Engine.open(path)");
    to_py(py, &e, None)
}

/// A `PeelQLWarning` instance for `w`, whose span points into `src`.
pub fn warning<'py>(py: Python<'py>, w: &peelql::Warning, src: &str) -> PyResult<Bound<'py, PyAny>> {
    let text = render_warning(w, "query", src, &style());
    let text = text.strip_prefix(Level::Warning.prefix()).unwrap_or(&text);
    let value = py.get_type::<PeelQLWarning>().call1((text.trim_end().to_string(),))?;
    value.setattr("code", &w.code)?;
    value.setattr("message", &w.message)?;
    value.setattr("span", w.span.map(|s| char_span(Some(src), s)))?;
    value.setattr("label", &w.label)?;
    value.setattr("help", &w.help)?;
    Ok(value)
}

/// Issues each warning through `warnings.warn`, pointing at the caller's
/// line. Under a filter that turns warnings into errors, the first one is
/// raised.
pub fn warn_all(py: Python<'_>, warnings: &[peelql::Warning], src: &str) -> PyResult<()> {
    if warnings.is_empty() {
        return Ok(());
    }
    let module = py.import("warnings")?;
    for w in warnings {
        module.call_method1("warn", (warning(py, w, src)?, py.None(), 1))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_characters() {
        // `é` is two bytes: the span of `x` after it starts at byte 3, character 2
        assert_eq!(char_span(Some("aéx"), Span::new(3, 4)), (2, 3));
        // not this text's span: left as it is
        assert_eq!(char_span(Some("aé"), Span::new(2, 3)), (2, 3));
        assert_eq!(char_span(None, Span::new(5, 9)), (5, 9));
    }
}
