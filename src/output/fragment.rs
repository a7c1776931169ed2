//! HTML fragments: a result drawn for a place inside another page — a
//! notebook's output cell — rather than as a page of its own.
//!
//! The `html` format writes a whole page whose styles set the page's own
//! `body` and headings; put inside a notebook, they would restyle the
//! notebook. A fragment is one `<div class="peelql">` holding the same
//! markup, with the same styles scoped to that `div` (the print rule left
//! out): [`html_table`] is the rows as a plain table with grade cells in
//! their colours, [`html_grid`] the grid of the `html` format.

use super::grid::Grid;
use super::grid::html::{self, class, escape};
use super::{RenderContext, cell, render_value_plain};
use crate::rows::Rows;
use crate::value::Value;

/// The class of the `div` a fragment is wrapped in, scoping its styles.
const SCOPE: &str = ".peelql";

/// The rows as an HTML table inside a `<div class="peelql">`: a header
/// row of column names, at most `max_rows` rows (a note says how many
/// more there are), grade cells coloured as the grid colours them (and
/// still written in words), null as an empty cell, then `(N rows)`.
///
/// ```
/// # fn main() -> peelql::Result<()> {
/// let engine = peelql::Engine::in_memory()?;
/// let rows = engine.query(r#"grades where force = "cambs" select area, grade"#)?;
/// let html = peelql::output::fragment::html_table(&rows, 50);
/// assert!(html.starts_with("<div class=\"peelql\">"));
/// assert!(html.contains("<th scope=\"col\">area</th>"));
/// assert!(html.contains("(8 rows)"));
/// # Ok(())
/// # }
/// ```
pub fn html_table(rows: &Rows, max_rows: usize) -> String {
    let mut out = open();
    out.push_str("<table class=\"plain\">\n<thead>\n<tr>");
    for c in &rows.columns {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(c)));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in rows.rows.iter().take(max_rows) {
        out.push_str("<tr>");
        for i in 0..rows.columns.len() {
            let v = cell(row, i);
            let text = escape(&render_value_plain(v));
            match v {
                Value::Grade(g) => out.push_str(&format!("<td class=\"{}\">{text}</td>", class(Some(*g)))),
                Value::Int(_) | Value::Decimal(_) => out.push_str(&format!("<td class=\"num\">{text}</td>")),
                _ => out.push_str(&format!("<td>{text}</td>")),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    let n = rows.len();
    if n > max_rows {
        out.push_str(&format!("<p class=\"meta\">The first {max_rows} rows are shown.</p>\n"));
    }
    out.push_str(&format!("<p class=\"meta\">({n} row{})</p>\n", if n == 1 { "" } else { "s" }));
    out.push_str("</div>\n");
    out
}

/// The `html` format's content inside a `<div class="peelql">`: the grid
/// of grades with its legend, notes and sources when the rows hold grades
/// (see [`Grid::from_rows`]), else the note and the plain table.
/// `context`'s query titles it, as for the page.
///
/// ```
/// # fn main() -> peelql::Result<()> {
/// use peelql::output::RenderContext;
/// let engine = peelql::Engine::in_memory()?;
/// let query = r#"grades where force = "cambs""#;
/// let rows = engine.query(query)?;
/// let html = peelql::output::fragment::html_grid(&rows, &RenderContext::query(query));
/// assert!(html.starts_with("<div class=\"peelql\">"));
/// assert!(!html.contains("<body"));
/// assert!(html.contains("Responding to the public"));
/// # Ok(())
/// # }
/// ```
pub fn html_grid(rows: &Rows, context: &RenderContext<'_>) -> String {
    let page = super::render_with(rows, super::Format::Html, &super::RenderOptions::plain(), context);
    let body = match (page.find("<main>\n"), page.rfind("</main>")) {
        (Some(a), Some(b)) if a < b => &page[a + "<main>\n".len()..b],
        _ => page.as_str(),
    };
    let mut out = open();
    out.push_str(body);
    out.push_str("</div>\n");
    out
}

/// True when the rows can be drawn as a grid of grades (else
/// [`html_grid`] is the note and the plain table).
pub fn has_grid(rows: &Rows) -> bool {
    Grid::from_rows(rows).is_some()
}

/// `<div class="peelql">` and its scoped styles.
fn open() -> String {
    let extra = ".peelql td.num{text-align:right}";
    format!("<div class=\"peelql\">\n<style>{}{extra}</style>\n", scoped(&html::style(), SCOPE))
}

/// `css` with every rule's selectors put inside `scope` (`body` becomes
/// the scope itself); at-rules such as `@media print` are left out.
fn scoped(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let selectors = rest[..open].trim();
        if selectors.starts_with('@') {
            // skip the block and the rules nested in it
            let mut depth = 0usize;
            let mut end = rest.len();
            for (i, c) in rest.char_indices().skip(open) {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = i + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            rest = &rest[end..];
            continue;
        }
        let Some(close) = rest[open..].find('}').map(|c| c + open) else { break };
        let scoped: Vec<String> = selectors
            .split(',')
            .map(|s| match s.trim() {
                "body" => scope.to_string(),
                s => format!("{scope} {s}"),
            })
            .collect();
        out.push_str(&scoped.join(","));
        out.push_str(&rest[open..=close]);
        rest = &rest[close + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_are_scoped_and_at_rules_left_out() {
        let css = "body{margin:0}h1,p{color:red}@media print{*{x:y}}td.cell{a:b}";
        assert_eq!(scoped(css, ".s"), ".s{margin:0}.s h1,.s p{color:red}.s td.cell{a:b}");
    }

    #[test]
    fn the_page_styles_all_come_out_scoped() {
        let css = scoped(&html::style(), SCOPE);
        for rule in css.split('}').filter(|r| !r.is_empty()) {
            let selectors = &rule[..rule.find('{').unwrap()];
            assert!(selectors.split(',').all(|s| s.starts_with(SCOPE)), "{rule}");
        }
    }

    #[test]
    fn a_long_result_is_cut_and_says_so() {
        let rows = Rows::new(vec!["n".into()], (0..5).map(|i| vec![Value::Int(i)]).collect());
        let html = html_table(&rows, 2);
        assert_eq!(html.matches("<td class=\"num\">").count(), 2);
        assert!(html.contains("The first 2 rows are shown."));
        assert!(html.contains("(5 rows)"));
    }
}
