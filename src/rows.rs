//! The result of a query: named columns and rows of [`Value`]s.

use crate::value::Value;
use serde::{Deserialize, Serialize};

/// A query result: column names and rows of values, in order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rows {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// Rows; each has one value per column.
    pub rows: Vec<Vec<Value>>,
}

impl Rows {
    /// A result with the given columns and rows.
    pub fn new(columns: Vec<String>, rows: Vec<Vec<Value>>) -> Rows {
        Rows { columns, rows }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The index of a column by name (case-insensitive).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.eq_ignore_ascii_case(name))
    }

    /// The values of one column, by name.
    pub fn column(&self, name: &str) -> Option<impl Iterator<Item = &Value> + '_> {
        let i = self.column_index(name)?;
        Some(self.rows.iter().map(move |r| &r[i]))
    }
}
