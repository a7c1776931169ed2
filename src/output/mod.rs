//! Presentation: turning a query result ([`Rows`]) into text.
//!
//! Eight formats are offered, chosen with [`Format`]:
//!
//! - [`Format::Table`]: a boxed table for people, drawn with `comfy-table`,
//!   followed by a `(N rows)` line;
//! - [`Format::Csv`]: RFC 4180 quoting, header line first;
//! - [`Format::Json`]: one pretty-printed array of objects;
//! - [`Format::Ndjson`]: one compact object per line;
//! - [`Format::Markdown`]: a GitHub pipe table;
//! - [`Format::Grid`], [`Format::Html`], [`Format::Svg`]: pictures of
//!   grades — forces × areas, or one force's areas × programmes — for the
//!   terminal, a self-contained web page and an image (see [`grid`]).
//!
//! Everything here is pure: [`render`] returns a `String` and never prints,
//! looks at the terminal or reads the environment. Whether to colour, whether
//! to draw with box characters and how wide the table may be are decided by
//! the caller and passed in [`RenderOptions`]; what the rows answer (the
//! query text, for pictures' titles) is passed in a [`RenderContext`] to
//! [`render_with`].
//!
//! Every value renders the same way across formats where the format allows
//! it: dates as ISO text (`2024-03-12`, `2025-02`), grades as words
//! (`requires improvement`), decimals with their places (`3.25`), null as an
//! empty cell (or JSON `null`).

mod delimited;
pub mod document;
pub mod fragment;
pub mod grid;
mod json;
mod markdown;
mod table;

pub use table::grade_colour;

use crate::rows::Rows;
use crate::value::{Decimal, Value};
use std::fmt;
use std::str::FromStr;

/// An output format for query results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// A boxed table for reading in a terminal, with a `(N rows)` line.
    #[default]
    Table,
    /// Comma-separated values with a header line (RFC 4180 quoting).
    Csv,
    /// A single pretty-printed JSON array of objects, keys in column order.
    Json,
    /// Newline-delimited JSON: one compact object per row.
    Ndjson,
    /// A GitHub-flavoured Markdown pipe table.
    Markdown,
    /// A grid of coloured grade codes for the terminal: forces × areas, or
    /// one force's areas × programmes; a table with a note when the rows
    /// hold no grades.
    Grid,
    /// The grid as one self-contained HTML page: legend, source links and
    /// a plain table for screen readers.
    Html,
    /// The grid as a standalone SVG image.
    Svg,
}

impl Format {
    /// Every format, in the order help text lists them.
    pub const ALL: [Format; 8] = [
        Format::Table,
        Format::Csv,
        Format::Json,
        Format::Ndjson,
        Format::Markdown,
        Format::Grid,
        Format::Html,
        Format::Svg,
    ];

    /// The canonical names of the formats, in [`Format::ALL`] order, for help
    /// text. (`md` is also accepted as an alias for `markdown`.)
    pub fn names() -> &'static [&'static str] {
        &["table", "csv", "json", "ndjson", "markdown", "grid", "html", "svg"]
    }

    /// The format's canonical lower-case name: `table`, `csv`, `json`,
    /// `ndjson`, `markdown`, `grid`, `html` or `svg`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Markdown => "markdown",
            Format::Grid => "grid",
            Format::Html => "html",
            Format::Svg => "svg",
        }
    }

    /// The file name extension for the format: `txt` for the terminal's
    /// `table` and `grid`, `md` for Markdown, else the format's name.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Table | Format::Grid => "txt",
            Format::Markdown => "md",
            other => other.name(),
        }
    }

    /// The format a file name's extension names (`.csv`, `.json`,
    /// `.ndjson`, `.md`, `.html`, `.htm`, `.svg`, `.txt` for a table).
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" => Some(Format::Table),
            "htm" => Some(Format::Html),
            "jsonl" => Some(Format::Ndjson),
            other => other.parse().ok(),
        }
    }

    /// True for the pictures of grades (`grid`, `html`, `svg`), which draw
    /// more when the rows carry each grade's `theme`, `basis` and
    /// `source_url` (see [`crate::Session::set_grid_columns`]).
    pub fn is_picture(self) -> bool {
        matches!(self, Format::Grid | Format::Html | Format::Svg)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a format name that [`Format::from_str`] does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFormat {
    /// The name as given.
    pub name: String,
}

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown output format `{}`: expected one of {} (or md)",
            self.name,
            Format::names().join(", ")
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Reads a format name, ignoring case and surrounding blanks:
    /// `table`, `csv`, `json`, `ndjson`, `markdown` or `md`, `grid`, `html`,
    /// `svg`.
    fn from_str(s: &str) -> Result<Format, UnknownFormat> {
        let name = s.trim();
        if name.eq_ignore_ascii_case("md") {
            return Ok(Format::Markdown);
        }
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownFormat { name: s.to_owned() })
    }
}

/// How to render: decided by the caller (for instance from whether stdout is
/// a terminal, `NO_COLOR`, and the terminal's width), never by this module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RenderOptions {
    /// Colour grade cells with ANSI escape codes (table and grid formats).
    pub color: bool,
    /// Draw table borders with Unicode box characters; ASCII when false.
    pub unicode: bool,
    /// Fit the table to this many columns, wrapping cell text; `None` lays
    /// the table out at its natural width.
    pub width: Option<u16>,
}

impl Default for RenderOptions {
    /// No colour, Unicode borders, natural width.
    fn default() -> RenderOptions {
        RenderOptions { color: false, unicode: true, width: None }
    }
}

impl RenderOptions {
    /// The most portable rendering: no colour, ASCII borders, natural width.
    /// Suits piped output, logs and tests.
    pub fn plain() -> RenderOptions {
        RenderOptions { color: false, unicode: false, width: None }
    }
}

/// What the rows being rendered answer: facts about the result that the
/// rows themselves do not hold. Pictures use the query text for their
/// title; other formats ignore it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RenderContext<'a> {
    /// The text of the query that produced the rows.
    pub query: Option<&'a str>,
}

impl<'a> RenderContext<'a> {
    /// A context naming the query the rows answer.
    pub fn query(query: &'a str) -> RenderContext<'a> {
        RenderContext { query: Some(query) }
    }
}

/// Renders a result in the given format.
///
/// The text ends with a newline unless it is empty (NDJSON of zero rows, or
/// CSV/Markdown of a result without columns). Rows are expected to hold one
/// value per column; a short row is shown padded with nulls and values past
/// the last column are not shown.
pub fn render(rows: &Rows, format: Format, opts: &RenderOptions) -> String {
    render_with(rows, format, opts, &RenderContext::default())
}

/// Renders a result in the given format, knowing what it answers: like
/// [`render`], with pictures titled from `context`'s query.
///
/// ```
/// # fn main() -> peelql::Result<()> {
/// use peelql::output::{Format, RenderContext, RenderOptions, render_with};
/// let engine = peelql::Engine::in_memory()?;
/// let query = r#"grades where force = "cambs""#;
/// let rows = engine.query(query)?;
/// let page = render_with(&rows, Format::Html, &RenderOptions::plain(), &RenderContext::query(query));
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(page.contains("Responding to the public"));
/// # Ok(())
/// # }
/// ```
pub fn render_with(rows: &Rows, format: Format, opts: &RenderOptions, context: &RenderContext<'_>) -> String {
    let query = context.query.map(|q| q.split_whitespace().collect::<Vec<_>>().join(" "));
    let query = query.as_deref().map(|q| q.trim_end_matches(';').trim_end()).filter(|q| !q.is_empty());
    // pictures read the hidden columns; nothing else shows them
    let all = rows;
    let rows = &*all.visible();
    match format {
        Format::Table => table::render(rows, opts),
        Format::Csv => delimited::render(rows),
        Format::Json => json::render_pretty(rows),
        Format::Ndjson => json::render_lines(rows),
        Format::Markdown => markdown::render(rows),
        Format::Grid => match grid::Grid::from_rows(all) {
            Some(g) => grid::text::render(&g, opts, query),
            None => grid::text::render_fallback(rows, opts),
        },
        Format::Html => match grid::Grid::from_rows(all) {
            Some(g) => grid::html::render(&g, query),
            None => grid::html::render_fallback(rows, query),
        },
        Format::Svg => match grid::Grid::from_rows(all) {
            Some(g) => grid::svg::render(&g, query),
            None => grid::svg::render_fallback(rows, query),
        },
    }
}

/// The text with its ANSI colour sequences (`ESC [ … m`) removed: what a
/// coloured table or grid reads as in plain text.
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A value as plain text, as a CSV cell holds it: empty for null, ISO dates,
/// grade words, decimals with their places, `true`/`false`.
pub fn render_value_plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Decimal(d) => decimal_text(*d),
        other => other.to_string(),
    }
}

/// A decimal printed with its places, from [`Decimal::rounded`] so that the
/// text agrees with the JSON number; `-0.00` is shown as `0.00`.
fn decimal_text(d: Decimal) -> String {
    format!("{:.*}", usize::from(d.places), decimal_number(d))
}

/// The decimal's rounded value with negative zero made positive.
fn decimal_number(d: Decimal) -> f64 {
    let x = d.rounded();
    if x == 0.0 { 0.0 } else { x }
}

/// The value in column `i` of `row`, or null where the row is short.
fn cell(row: &[Value], i: usize) -> &Value {
    static NULL: Value = Value::Null;
    row.get(i).unwrap_or(&NULL)
}

/// True for the values shown right-aligned: integers and decimals.
fn is_number(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Decimal(_))
}

/// True when column `i` holds at least one number and nothing else but nulls.
fn is_numeric_column(rows: &Rows, i: usize) -> bool {
    let mut any = false;
    for row in &rows.rows {
        match cell(row, i) {
            Value::Null => {}
            v if is_number(v) => any = true,
            _ => return false,
        }
    }
    any
}

#[cfg(test)]
pub(crate) mod test_data {
    //! A result exercising every kind of value, shared by the format tests.

    use crate::rows::Rows;
    use crate::value::{Date, Decimal, Grade, Value};

    /// Columns: force, score, count, published, grade, ok.
    pub fn sample() -> Rows {
        let text = |s: &str| Value::Text(s.to_owned());
        let date = |s: &str| Value::Date(Date::parse(s).expect("test date"));
        Rows::new(
            vec![
                "force".into(),
                "score".into(),
                "count".into(),
                "published".into(),
                "grade".into(),
                "ok".into(),
            ],
            vec![
                vec![
                    text("Avon and Somerset, \"A&S\" | west"),
                    Value::Decimal(Decimal::new(3.254_999, 2)),
                    Value::Int(42),
                    date("2024-03-12"),
                    Value::Grade(Grade::RequiresImprovement),
                    Value::Bool(true),
                ],
                vec![
                    text("Dyfed-Powys — Heddlu Dyfed-Powys"),
                    Value::Null,
                    Value::Int(-7),
                    date("2025-02"),
                    Value::Grade(Grade::Outstanding),
                    Value::Bool(false),
                ],
                vec![
                    text("line one\nline two"),
                    Value::Decimal(Decimal::new(2.0, 1)),
                    Value::Null,
                    Value::Null,
                    Value::Null,
                    Value::Null,
                ],
            ],
        )
    }

    /// The sample's columns with no rows.
    pub fn empty() -> Rows {
        Rows::new(sample().columns, Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Date, Grade};

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>(), Ok(f));
            assert_eq!(f.name().to_uppercase().parse::<Format>(), Ok(f));
        }
        assert_eq!(Format::names(), Format::ALL.map(Format::name).as_slice());
        assert_eq!("MD".parse::<Format>(), Ok(Format::Markdown));
        assert_eq!(" Json ".parse::<Format>(), Ok(Format::Json));
        assert_eq!(Format::default(), Format::Table);
    }

    #[test]
    fn unknown_format_lists_the_valid_names() {
        let err = "xml".parse::<Format>().unwrap_err();
        assert_eq!(err.name, "xml");
        let msg = err.to_string();
        assert!(msg.contains("`xml`"), "{msg}");
        for name in Format::names() {
            assert!(msg.contains(name), "{msg}");
        }
        let _: &dyn std::error::Error = &err;
    }

    #[test]
    fn options() {
        let d = RenderOptions::default();
        assert!(!d.color && d.unicode && d.width.is_none());
        let p = RenderOptions::plain();
        assert!(!p.color && !p.unicode && p.width.is_none());
    }

    #[test]
    fn plain_values() {
        assert_eq!(render_value_plain(&Value::Null), "");
        assert_eq!(render_value_plain(&Value::Bool(true)), "true");
        assert_eq!(render_value_plain(&Value::Int(-3)), "-3");
        assert_eq!(render_value_plain(&Value::Decimal(Decimal::new(3.254_999, 2))), "3.25");
        assert_eq!(render_value_plain(&Value::Decimal(Decimal::new(-0.001, 2))), "0.00");
        assert_eq!(render_value_plain(&Value::Date(Date::parse("2025-02").unwrap())), "2025-02");
        assert_eq!(render_value_plain(&Value::Grade(Grade::RequiresImprovement)), "requires improvement");
        assert_eq!(render_value_plain(&Value::Text("a,b".into())), "a,b");
    }

    #[test]
    fn decimal_text_agrees_with_the_rounded_number() {
        for (value, places) in [(2.675, 2), (1.005, 2), (0.125, 2), (2.5, 0), (0.05, 1)] {
            let d = Decimal::new(value, places);
            let text = decimal_text(d);
            assert_eq!(text.parse::<f64>().unwrap(), d.rounded(), "{value}");
        }
    }

    #[test]
    fn every_format_ends_with_a_newline() {
        let rows = test_data::sample();
        for f in Format::ALL {
            for opts in [RenderOptions::default(), RenderOptions::plain()] {
                let out = render(&rows, f, &opts);
                assert!(out.ends_with('\n'), "{f}: {out:?}");
                assert!(!out.ends_with("\n\n"), "{f}: {out:?}");
            }
        }
    }

    #[test]
    fn ragged_rows_do_not_panic() {
        let rows = Rows::new(
            vec!["a".into(), "b".into()],
            vec![vec![Value::Int(1)], vec![Value::Int(1), Value::Int(2), Value::Int(3)]],
        );
        for f in Format::ALL {
            let out = render(&rows, f, &RenderOptions::default());
            assert!(out.ends_with('\n'), "{f}");
        }
    }

    #[test]
    fn no_columns() {
        let rows = Rows::default();
        for f in Format::ALL {
            let out = render(&rows, f, &RenderOptions::default());
            assert!(out.is_empty() || out.ends_with('\n'), "{f}: {out:?}");
        }
        assert_eq!(render(&rows, Format::Table, &RenderOptions::default()), "(0 rows)\n");
        assert_eq!(render(&rows, Format::Json, &RenderOptions::default()), "[]\n");
    }
}
