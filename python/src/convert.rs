//! Values between Python and PeelQL.
//!
//! | PeelQL | Python |
//! |---|---|
//! | null | `None` |
//! | boolean | `bool` |
//! | whole number | `int` |
//! | decimal | `float` (the value as printed, as JSON gives it) |
//! | text | `str` |
//! | date, known to the day | `datetime.date` |
//! | date, known to the month or year (`2025-06`) | `str` (a `datetime.date` would invent a day) |
//! | grade | `peelql.Grade` |
//!
//! Parameters take the same types the other way; a `float` keeps every
//! digit of its shortest `repr` (it is never rounded to two places). Any
//! other type, a `datetime.datetime` (whose time would be dropped), an
//! `int` beyond 64 bits or a float that is not finite is refused with a
//! Python `TypeError`, `OverflowError` or `ValueError` naming the
//! parameter.

use crate::grade::Grade;
use peelql::value::{Date, Decimal, Value};
use peelql::{Params, Rows};
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDateAccess, PyDateTime, PyDict, PyFloat, PyInt, PyString, PyTuple};

/// One cell as a Python object.
pub fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::Decimal(d) => PyFloat::new(py, d.rounded()).into_any(),
        Value::Text(t) => PyString::new(py, t).into_any(),
        Value::Date(Date { year, month: Some(m), day: Some(d) }) => {
            PyDate::new(py, i32::from(*year), *m, *d)?.into_any()
        }
        Value::Date(d) => PyString::new(py, &d.to_string()).into_any(),
        Value::Grade(g) => Bound::new(py, Grade::from(*g))?.into_any(),
    })
}

/// One row as a tuple.
pub fn row<'py>(py: Python<'py>, values: &[Value]) -> PyResult<Bound<'py, PyTuple>> {
    let cells = values.iter().map(|v| to_py(py, v)).collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(py, cells)
}

/// Every row as a dict of column name to value.
pub fn dicts<'py>(py: Python<'py>, rows: &Rows) -> PyResult<Vec<Bound<'py, PyDict>>> {
    rows.rows
        .iter()
        .map(|r| {
            let d = PyDict::new(py);
            for (c, v) in rows.columns.iter().zip(r) {
                d.set_item(c, to_py(py, v)?)?;
            }
            Ok(d)
        })
        .collect()
}

/// The decimal places that print `f` as its shortest round-trip text.
fn places(f: f64) -> u8 {
    let text = f.to_string();
    text.split_once('.').map_or(0, |(_, frac)| u8::try_from(frac.len()).unwrap_or(u8::MAX))
}

/// A Python object as a parameter value; `name` is for messages.
pub fn from_py(name: &str, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(g) = obj.cast::<Grade>() {
        return Ok(Value::Grade((*g.get()).into()));
    }
    if obj.is_instance_of::<PyInt>() {
        return obj.extract::<i64>().map(Value::Int).map_err(|_| {
            PyOverflowError::new_err(format!("parameter `{name}`: {obj} does not fit in 64 bits"))
        });
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let f = f.value();
        if !f.is_finite() {
            return Err(PyValueError::new_err(format!(
                "parameter `{name}`: {f} is not a number a query can use"
            )));
        }
        return Ok(Value::Decimal(Decimal::new(f, places(f))));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::Text(s.to_str()?.to_string()));
    }
    if obj.is_instance_of::<PyDateTime>() {
        return Err(PyTypeError::new_err(format!(
            "parameter `{name}`: a datetime.datetime has a time of day, which PeelQL dates do not; pass its .date()"
        )));
    }
    if let Ok(d) = obj.cast::<PyDate>() {
        let year =
            u16::try_from(d.get_year()).ok().filter(|y| (1000..=9999).contains(y)).ok_or_else(|| {
                PyValueError::new_err(format!("parameter `{name}`: the year of {obj} is not four digits"))
            })?;
        return Ok(Value::Date(Date { year, month: Some(d.get_month()), day: Some(d.get_day()) }));
    }
    let type_name = obj.get_type().name().map_or_else(|_| "?".to_string(), |n| n.to_string());
    Err(PyTypeError::new_err(format!(
        "parameter `{name}`: cannot bind a value of type {type_name}; \
         use str, int, float, bool, None, datetime.date or peelql.Grade"
    )))
}

/// Keyword arguments as parameters.
pub fn params(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Params> {
    let mut params = Params::new();
    if let Some(kwargs) = kwargs {
        for (k, v) in kwargs.iter() {
            let name: String = k.extract()?;
            let value = from_py(&name, &v)?;
            params.set(name, value);
        }
    }
    Ok(params)
}
