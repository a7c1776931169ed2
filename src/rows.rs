//! The result of a query: named columns and rows of [`Value`]s.

use crate::error::{Error, ErrorKind, Result};
use crate::value::Value;
use crate::warning::Warning;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A query result: column names, rows of values in order, and the
/// warnings the query gave.
///
/// It serialises as `{"columns": [...], "rows": [[...], ...]}` with plain
/// values (and `"warnings": [...]` when there are any), and
/// [`Rows::deserialize`] turns it into a caller's own types.
///
/// A warning never changes the rows: the answer is what the query says.
/// It flags what the query may not mean (see [`Warning`]):
///
/// ```
/// # fn main() -> peelql::Result<()> {
/// let engine = peelql::Engine::in_memory()?;
/// let rows = engine.query(r#"grades where force = "Thames" select force"#)?;
/// assert_eq!(rows.rows[0][0].as_str(), Some("Thames Valley Police"));
/// assert_eq!(rows.warnings[0].code, "peelql::warning::partial_force_name");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rows {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// Rows; each has one value per column.
    pub rows: Vec<Vec<Value>>,
    /// What is legal but suspicious about the query that made the rows, in
    /// the order of their spans; empty for most queries. Spans are byte
    /// offsets into the text that was run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// The character that marks a hidden column: `NAME\u{1f}FACT` holds a fact
/// (`basis`, `source_url`, `recorded`) about the cells of column `NAME`,
/// for pictures. Only a session drawing pictures adds such columns (see
/// [`crate::Session::set_grid_columns`]); [`Rows::visible`] leaves them out.
pub const HIDDEN_MARK: char = '\u{1f}';

/// The name of the hidden column holding `fact` about column `column`.
pub fn hidden_column(column: &str, fact: &str) -> String {
    format!("{column}{HIDDEN_MARK}{fact}")
}

/// The facts about a row's force that a picture-drawing session adds, as
/// hidden columns named `\u{1f}FACT` (see [`hidden_column`] with an empty
/// column name), to each row of a police `forces` or `grades` result: the
/// query's `engage`, `engage_since` and `as_of` for the row's force.
pub const ENGAGE_FACTS: [&str; 3] = ["engage", "engage_since", "as_of"];

/// One row of a [`Rows`], with its values reachable by column name.
#[derive(Clone, Copy, Debug)]
pub struct Row<'a> {
    columns: &'a [String],
    values: &'a [Value],
}

impl<'a> Row<'a> {
    /// The value of the named column (case-insensitive).
    pub fn get(&self, column: &str) -> Option<&'a Value> {
        let i = self.columns.iter().position(|c| c.eq_ignore_ascii_case(column))?;
        self.values.get(i)
    }

    /// The values in column order.
    pub fn values(&self) -> &'a [Value] {
        self.values
    }
}

impl Rows {
    /// A result with the given columns and rows.
    pub fn new(columns: Vec<String>, rows: Vec<Vec<Value>>) -> Rows {
        Rows { columns, rows, warnings: Vec::new() }
    }

    /// These rows without their hidden columns (see [`HIDDEN_MARK`]):
    /// what a table, CSV or JSON shows.
    pub fn visible(&self) -> std::borrow::Cow<'_, Rows> {
        if !self.columns.iter().any(|c| c.contains(HIDDEN_MARK)) {
            return std::borrow::Cow::Borrowed(self);
        }
        let keep: Vec<usize> =
            (0..self.columns.len()).filter(|&i| !self.columns[i].contains(HIDDEN_MARK)).collect();
        std::borrow::Cow::Owned(Rows {
            columns: keep.iter().map(|&i| self.columns[i].clone()).collect(),
            rows: self
                .rows
                .iter()
                .map(|r| keep.iter().filter_map(|&i| r.get(i).cloned()).collect())
                .collect(),
            warnings: self.warnings.clone(),
        })
    }

    /// The index of the hidden column holding `fact` about each row (one
    /// of [`ENGAGE_FACTS`]).
    pub fn row_fact_index(&self, fact: &str) -> Option<usize> {
        self.hidden_index("", fact)
    }

    /// The index of the hidden column holding `fact` about `column`.
    pub fn hidden_index(&self, column: &str, fact: &str) -> Option<usize> {
        let name = hidden_column(column, fact);
        self.columns.iter().position(|c| *c == name)
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

    /// The rows, each with access by column name.
    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> + '_ {
        self.rows.iter().map(|values| Row { columns: &self.columns, values })
    }

    /// Turns every row into a `T`, matching fields to column names:
    /// grades deserialise into [`crate::Grade`], dates into
    /// [`crate::Date`], missing values into `Option::None`.
    ///
    /// ```
    /// # fn main() -> peelql::Result<()> {
    /// #[derive(serde::Deserialize)]
    /// struct Line { area: String, grade: Option<peelql::Grade> }
    ///
    /// let engine = peelql::Engine::in_memory()?;
    /// let rows = engine.query(r#"grades where force = "cambs" select area, grade"#)?;
    /// let lines: Vec<Line> = rows.deserialize()?;
    /// assert_eq!(lines.len(), 8);
    /// # Ok(())
    /// # }
    /// ```
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<Vec<T>> {
        self.rows
            .iter()
            .enumerate()
            .map(|(n, row)| {
                let object: serde_json::Map<String, serde_json::Value> = self
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(c, v)| Ok((c.clone(), serde_json::to_value(v)?)))
                    .collect::<std::result::Result<_, serde_json::Error>>()
                    .map_err(|e| deserialize_error(n, &e))?;
                serde_json::from_value(serde_json::Value::Object(object))
                    .map_err(|e| deserialize_error(n, &e))
            })
            .collect()
    }
}

fn deserialize_error(row: usize, e: &serde_json::Error) -> Error {
    Error::new(ErrorKind::Execution, "peelql::api::deserialize", format!("row {}: {e}", row + 1))
}

impl<'a> IntoIterator for &'a Rows {
    type Item = Row<'a>;
    type IntoIter = Box<dyn Iterator<Item = Row<'a>> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}
