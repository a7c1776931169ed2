//! One document for a whole script: what each format means when a script
//! gives several results.
//!
//! - `json`: one result is the array of objects [`super::render`] writes;
//!   several are one object, `{"results": [{"statement": 1, "query": …,
//!   "rows": […]}, …]}`, so `json.load` reads the file whole;
//! - `html`: one page with a `<section>` for each result;
//! - `csv` and `svg` hold one table or one image: a second result is
//!   refused ([`OneResultOnly`]) — write one file per result instead;
//! - `ndjson`, `table`, `markdown` and `grid` are streams: the results one
//!   after another (tables and grids with a blank line between them).
//!
//! Like the rest of [`crate::output`], this is pure: it returns text.

use super::{Format, RenderContext, RenderOptions, grid, json, render_with};
use crate::rows::Rows;
use std::fmt;

/// What one statement of a script gave, for [`render_document`].
#[derive(Clone, Copy, Debug)]
pub enum Part<'a> {
    /// Rows of a query or `show`, with the statement's text.
    Rows {
        /// The rows.
        rows: &'a Rows,
        /// The statement's text (pictures take their title from it).
        query: Option<&'a str>,
    },
    /// The text of `explain`.
    Text {
        /// The text.
        text: &'a str,
        /// The statement's text.
        query: Option<&'a str>,
    },
}

impl Part<'_> {
    fn query(&self) -> Option<&str> {
        match self {
            Part::Rows { query, .. } | Part::Text { query, .. } => *query,
        }
    }

    /// The part on its own, as a document of the format.
    fn render(&self, format: Format, opts: &RenderOptions) -> String {
        match self {
            Part::Rows { rows, query } => render_with(rows, format, opts, &RenderContext { query: *query }),
            Part::Text { text, .. } => (*text).to_string(),
        }
    }
}

/// The error for a second result in a format that holds one (`csv`, `svg`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneResultOnly {
    /// The format.
    pub format: Format,
    /// How many results the script gave.
    pub results: usize,
}

impl fmt::Display for OneResultOnly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.format == Format::Svg {
            "an SVG file holds one image"
        } else {
            "a CSV file holds one table"
        };
        write!(
            f,
            "the script gives {} results but {what}: write one file per result with `-o DIR`, \
             or use --format json (one document with every result) or html (one page)",
            self.results
        )
    }
}

impl std::error::Error for OneResultOnly {}

/// True when a format writes one document for a whole script, so results
/// must be gathered before anything is written (`json`, `html`, `csv`,
/// `svg`); the others can be written as each result comes.
pub fn is_document(format: Format) -> bool {
    matches!(format, Format::Json | Format::Html | Format::Csv | Format::Svg)
}

/// Renders a script's results as one document of `format` (see the module
/// notes); `title` names the whole (an HTML page's title), e.g. the
/// script's file name.
///
/// ```
/// # fn main() -> peelql::Result<()> {
/// use peelql::output::document::{Part, render_document};
/// use peelql::output::{Format, RenderOptions};
/// let engine = peelql::Engine::in_memory()?;
/// let a = engine.query("forces limit 1")?;
/// let b = engine.query("show programmes")?;
/// let parts = [Part::Rows { rows: &a, query: Some("forces limit 1") }, Part::Rows { rows: &b, query: None }];
/// let json = render_document(&parts, Format::Json, &RenderOptions::plain(), None).unwrap();
/// assert!(json.starts_with("{\n  \"results\": ["));
/// assert!(render_document(&parts, Format::Csv, &RenderOptions::plain(), None).is_err());
/// # Ok(())
/// # }
/// ```
pub fn render_document(
    parts: &[Part<'_>],
    format: Format,
    opts: &RenderOptions,
    title: Option<&str>,
) -> Result<String, OneResultOnly> {
    if let [one] = parts {
        return Ok(one.render(format, opts));
    }
    match format {
        Format::Csv | Format::Svg if parts.len() > 1 => Err(OneResultOnly { format, results: parts.len() }),
        Format::Json => Ok(json_document(parts)),
        Format::Html => {
            let sections: Vec<(Option<&str>, String)> =
                parts.iter().map(|p| (p.query(), p.render(Format::Html, opts))).collect();
            Ok(grid::html::combine(&sections, title))
        }
        _ => {
            let blank = matches!(format, Format::Table | Format::Markdown | Format::Grid);
            let mut out = String::new();
            for (i, p) in parts.iter().enumerate() {
                if i > 0 && blank {
                    out.push('\n');
                }
                out.push_str(&p.render(format, opts));
            }
            Ok(out)
        }
    }
}

/// `{"results": [{"statement": 1, "query": "…", "rows": […]}, …]}`.
fn json_document(parts: &[Part<'_>]) -> String {
    let mut out = String::from("{\n  \"results\": [\n");
    for (n, p) in parts.iter().enumerate() {
        out.push_str(&format!("    {{\n      \"statement\": {},\n", n + 1));
        if let Some(q) = p.query() {
            let q = q.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push_str(&format!("      \"query\": {},\n", json::json_string(&q)));
        }
        match p {
            Part::Rows { rows, .. } => {
                let array = json::render_pretty(&rows.visible());
                let mut lines = array.trim_end().lines();
                out.push_str("      \"rows\": ");
                out.push_str(lines.next().unwrap_or("[]"));
                for line in lines {
                    out.push_str("\n      ");
                    out.push_str(line);
                }
                out.push('\n');
            }
            Part::Text { text, .. } => {
                out.push_str(&format!("      \"text\": {}\n", json::json_string(text)));
            }
        }
        out.push_str(if n + 1 < parts.len() { "    },\n" } else { "    }\n" });
    }
    out.push_str("  ]\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::test_data::sample;

    #[test]
    fn several_results_make_one_json_document() {
        let rows = sample();
        let parts = [
            Part::Rows { rows: &rows, query: Some("forces\n  limit 3") },
            Part::Text { text: "plan: scan\n", query: Some("explain forces") },
        ];
        let text = render_document(&parts, Format::Json, &RenderOptions::plain(), None).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).expect("one JSON document");
        let results = doc["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        assert_eq!(results[0]["statement"], 1);
        assert_eq!(results[0]["query"], "forces limit 3");
        assert_eq!(results[0]["rows"].as_array().unwrap().len(), 3);
        assert_eq!(results[0]["rows"][0]["count"], 42);
        assert_eq!(results[1]["text"], "plan: scan\n");
    }

    #[test]
    fn one_result_is_the_plain_document() {
        let rows = sample();
        let parts = [Part::Rows { rows: &rows, query: None }];
        for f in Format::ALL {
            assert_eq!(
                render_document(&parts, f, &RenderOptions::plain(), None).unwrap(),
                crate::output::render(&rows, f, &RenderOptions::plain()),
                "{f}"
            );
        }
    }

    #[test]
    fn csv_and_svg_refuse_a_second_result() {
        let rows = sample();
        let parts = [Part::Rows { rows: &rows, query: None }, Part::Rows { rows: &rows, query: None }];
        for f in [Format::Csv, Format::Svg] {
            let err = render_document(&parts, f, &RenderOptions::plain(), None).unwrap_err();
            assert_eq!(err.results, 2);
            assert!(err.to_string().contains("-o DIR"), "{err}");
        }
        let ndjson = render_document(&parts, Format::Ndjson, &RenderOptions::plain(), None).unwrap();
        assert_eq!(ndjson.lines().count(), 6);
        let table = render_document(&parts, Format::Table, &RenderOptions::plain(), None).unwrap();
        assert!(table.contains("(3 rows)\n\n+"), "{table}");
    }

    #[test]
    fn several_results_make_one_html_page() {
        let rows = sample();
        let parts =
            [Part::Rows { rows: &rows, query: Some("a") }, Part::Rows { rows: &rows, query: Some("b") }];
        let page = render_document(&parts, Format::Html, &RenderOptions::plain(), Some("x.pql")).unwrap();
        assert_eq!(page.matches("<!DOCTYPE html>").count(), 1, "{page}");
        assert_eq!(page.matches("<html").count(), 1);
        assert_eq!(page.matches("</html>").count(), 1);
        assert_eq!(page.matches("<section").count(), 2);
        assert!(page.contains("<title>PeelQL: x.pql</title>"), "{page}");
    }
}
