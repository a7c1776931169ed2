//! The `html` format: one self-contained page (inline CSS, no scripts, no
//! fetches) with the grid, a legend, the programmes, the source pages and a
//! plain table for screen readers.
//!
//! Colour is never the only signal: every cell prints its grade's code, and
//! each colour pair has a contrast ratio of at least 4.5:1 (checked by a
//! test). The visual grid is hidden from assistive technology, which reads
//! the plain table instead: grade words, row and column headers, and a link
//! to each grade's source page. The markup is also well-formed XML.

use super::{Grid, GridKind, NO_GRID_NOTE};
use crate::output::{cell, render_value_plain};
use crate::rows::Rows;
use crate::value::Grade;

/// Background and text colours of each grade's cell.
pub(crate) const fn colours(grade: Option<Grade>) -> (&'static str, &'static str) {
    match grade {
        Some(Grade::Outstanding) => ("#12622f", "#ffffff"),
        Some(Grade::Good) => ("#8bcf86", "#111111"),
        Some(Grade::Adequate) => ("#f5c945", "#111111"),
        Some(Grade::RequiresImprovement) => ("#f08a32", "#111111"),
        Some(Grade::Inadequate) => ("#b81f2b", "#ffffff"),
        None => ("#f1f1f1", "#555555"),
    }
}

/// The CSS class of a grade's cell: `g-o`, `g-g`, `g-a`, `g-ri`, `g-i`, or
/// `none`.
pub(crate) fn class(grade: Option<Grade>) -> String {
    grade.map_or_else(|| "none".to_string(), |g| format!("g-{}", g.code().to_lowercase()))
}

/// Escapes text for HTML (and XML) content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// An `href` only for web pages: anything else is not linked.
fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url.trim())
}

pub(crate) fn style() -> String {
    let mut css = String::from(
        "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",Arial,sans-serif;\
margin:1.5rem;color:#111;background:#fff;line-height:1.4}\
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.5rem 0 .4rem}\
p{margin:.2rem 0}code{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace;background:#f4f4f4;padding:0 .2em}\
.wrap{overflow-x:auto;margin-top:1rem}\
table.grid{border-collapse:separate;border-spacing:3px}\
table.grid th{font-weight:600;font-size:.8rem;vertical-align:bottom;text-align:left}\
table.grid th.col{max-width:7.5em;min-width:3.2em;padding:0 .2em}\
table.grid th.row{padding-right:.6em;white-space:nowrap;vertical-align:middle}\
table.grid th.years{white-space:nowrap;text-align:center}\
td.cell{width:3.2em;height:2em;text-align:center;vertical-align:middle;font-weight:700;font-size:.95rem;\
border:1px solid rgba(0,0,0,.35);border-radius:3px;cursor:default}\
td.cell.none{font-weight:400;border-style:dashed}\
.derived{outline:1.5px dotted #111;outline-offset:-4px}\
ul.legend{list-style:none;padding:0;margin:.8rem 0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}\
ul.legend li{display:flex;align-items:center;gap:.4em}\
.swatch{display:inline-block;min-width:2.2em;text-align:center;font-weight:700;padding:.1em .2em;\
border:1px solid rgba(0,0,0,.35);border-radius:3px}\
.engage{float:right;margin-left:.6em;min-width:1.1em;text-align:center;padding:0 .2em;\
border:1.5px solid #111;border-radius:3px;font-size:.75rem;font-weight:700;line-height:1.35;background:#fff;color:#111}\
.swatch.mark{background:#fff;color:#111;border:1.5px solid #111}\
.engage.unknown,.swatch.mark.unknown{border-style:dashed}\
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;\
clip:rect(0,0,0,0);white-space:nowrap;border:0}\
.meta,.note,footer{color:#444;font-size:.9rem}\
ol.sources{font-size:.85rem;padding-left:2em}ol.sources li{margin:.15rem 0;overflow-wrap:anywhere}\
table.plain{border-collapse:collapse;margin-top:1rem}\
table.plain th,table.plain td{border:1px solid #999;padding:.2em .5em;text-align:left}\
@media print{*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}",
    );
    for grade in [None].into_iter().chain(Grade::ALL.into_iter().map(Some)) {
        let (bg, fg) = colours(grade);
        css.push_str(&format!(".{}{{background:{bg};color:{fg}}}", class(grade)));
    }
    css
}

fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n\
<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
        escape(title),
        style()
    )
}

const FOOT: &str = "</main>\n</body>\n</html>\n";

fn query_line(query: Option<&str>) -> String {
    query.map_or_else(String::new, |q| format!("<p class=\"meta\">Query: <code>{}</code></p>\n", escape(q)))
}

/// One page holding several pages' content, each in a `<section>`:
/// `sections` are each statement's text and its page; `title` names the
/// whole (a script's file name). Each page's headings move one level down
/// under the section's heading.
pub(crate) fn combine(sections: &[(Option<&str>, String)], title: Option<&str>) -> String {
    let title = title.map_or_else(|| "PeelQL results".to_string(), |t| format!("PeelQL: {t}"));
    let mut out = head(&title);
    out.push_str(&format!("<h1>{}</h1>\n", escape(&title)));
    out.push_str(&format!("<p class=\"meta\">{} results, one section each.</p>\n", sections.len()));
    for (n, (query, page)) in sections.iter().enumerate() {
        let body = match (page.find("<main>\n"), page.rfind("</main>")) {
            (Some(a), Some(b)) if a < b => page[a + "<main>\n".len()..b].to_string(),
            // not a page of ours (the text of `explain`): shown as it is
            _ => format!("<pre>{}</pre>\n", escape(page)),
        };
        let body = body
            .replace("<h2", "<h3")
            .replace("</h2>", "</h3>")
            .replace("<h1", "<h2")
            .replace("</h1>", "</h2>");
        // ids stay unique on the page
        let body = body.replace("id=\"sources\"", &format!("id=\"sources-{}\"", n + 1));
        out.push_str(&format!("<section id=\"result-{}\" aria-label=\"Result {}\">\n", n + 1, n + 1));
        if body.contains("<h2") {
            out.push_str(&body);
        } else {
            let heading = query.map_or_else(|| format!("Result {}", n + 1), str::to_string);
            out.push_str(&format!("<h2>{}</h2>\n{body}", escape(&heading)));
        }
        out.push_str("</section>\n");
    }
    out.push_str(FOOT);
    out
}

/// The page for a grid.
pub(crate) fn render(grid: &Grid, query: Option<&str>) -> String {
    let title = grid.title();
    let mut out = head(&format!("PeelQL: {title}"));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&title)));
    out.push_str(&query_line(query));
    if !grid.programmes.is_empty() {
        let label = if grid.programmes.len() == 1 { "Programme" } else { "Programmes" };
        out.push_str(&format!(
            "<p class=\"meta\">{label}: {}. {}.</p>\n",
            escape(&grid.programmes.join(", ")),
            escape(&grid.summary())
        ));
    } else {
        out.push_str(&format!("<p class=\"meta\">{}.</p>\n", escape(&grid.summary())));
    }

    // legend
    out.push_str("<ul class=\"legend\" aria-label=\"Legend\">\n");
    for grade in grid.legend_grades() {
        out.push_str(&format!(
            "<li><span class=\"swatch {}\">{}</span> {}</li>\n",
            class(Some(grade)),
            grade.code(),
            escape(&grid.legend_word(grade))
        ));
    }
    out.push_str("<li><span class=\"swatch none\">·</span> no grade on record</li>\n");
    if grid.has_not_graded() {
        out.push_str(&format!(
            "<li><span class=\"swatch none ungraded\">{}</span> not graded (so the source says)</li>\n",
            super::NOT_GRADED
        ));
    }
    if grid.has_derived() {
        out.push_str(
            "<li><span class=\"swatch none derived\">*</span> found by elimination or inferred, \
not stated outright</li>\n",
        );
    }
    for (mark, words) in grid.engage_legend() {
        out.push_str(&match mark {
            "" => format!("<li>{}</li>\n", escape(&words)),
            m => {
                let unknown = if m == super::ENGAGE_UNKNOWN { " unknown" } else { "" };
                format!("<li><span class=\"swatch mark{unknown}\">{m}</span> {}</li>\n", escape(&words))
            }
        });
    }
    out.push_str("</ul>\n");
    let marked = grid.engage_rows();
    if !marked.is_empty() {
        out.push_str("<ul class=\"legend\" aria-label=\"Engage\">\n");
        for (mark, words) in marked {
            let unknown = if mark == super::ENGAGE_UNKNOWN { " unknown" } else { "" };
            out.push_str(&format!(
                "<li><span class=\"swatch mark{unknown}\">{mark}</span> {}</li>\n",
                escape(&words)
            ));
        }
        out.push_str("</ul>\n");
    }

    let sources = grid.sources();
    let mut source_of = std::collections::HashMap::new();
    for (n, (_, cells)) in sources.iter().enumerate() {
        for rc in cells {
            source_of.insert(*rc, n + 1);
        }
    }

    // the picture, hidden from screen readers (they read the table below)
    out.push_str("<div class=\"wrap\" aria-hidden=\"true\">\n<table class=\"grid\">\n<thead>\n<tr>");
    out.push_str(&format!("<th class=\"corner\">{}</th>", escape(&grid.row_heading)));
    for c in &grid.columns {
        let (class, text) =
            if grid.kind == GridKind::Trend { ("col years", &c.short) } else { ("col", &c.full) };
        out.push_str(&format!("<th class=\"{class}\" title=\"{}\">{}</th>", escape(&c.full), escape(text)));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for (r, row) in grid.rows.iter().enumerate() {
        let label = if grid.kind == GridKind::Trend { &row.full } else { &row.short };
        let (title, mark) = match (grid.engage_mark(r), grid.engage_words(r)) {
            (Some(m), Some(words)) => (
                format!("{} — {words}", row.full),
                format!(" <span class=\"{}\">{m}</span>", engage_class(m)),
            ),
            _ => (row.full.clone(), String::new()),
        };
        out.push_str(&format!(
            "<tr><th class=\"row\" title=\"{}\">{}{mark}</th>",
            escape(&title),
            escape(label)
        ));
        for (c, cell) in grid.cells[r].iter().enumerate() {
            let mut tip = cell.describe();
            if let (Some(n), Some(url)) = (source_of.get(&(r, c)), &cell.source_url) {
                tip.push_str(&format!(". Source [{n}]: {url}"));
            }
            let derived = if cell.is_derived() { " derived" } else { "" };
            let text = match cell.code() {
                Some(code) if cell.is_derived() => format!("{code}*"),
                Some(code) => code.to_string(),
                None if cell.is_not_graded() => super::NOT_GRADED.to_string(),
                None => "·".to_string(),
            };
            out.push_str(&format!(
                "<td class=\"cell {}{derived}\" title=\"{}\">{}</td>",
                class(cell.grade),
                escape(&tip),
                text
            ));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");

    // the same for screen readers: words, headers, links
    // in a clipped box: a table is never narrower than its words, and
    // would widen the page
    out.push_str("<div class=\"sr-only\">\n<table class=\"sr-only\">\n");
    out.push_str(&format!("<caption>{}</caption>\n<thead>\n<tr>", escape(&title)));
    out.push_str(&format!("<th scope=\"col\">{}</th>", escape(&capitalise(&grid.row_heading))));
    if grid.has_engage() {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(&grid.engage_heading())));
    }
    for c in &grid.columns {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(&c.full)));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for (r, row) in grid.rows.iter().enumerate() {
        out.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape(&row.full)));
        if grid.has_engage() {
            out.push_str(&format!("<td>{}</td>", escape(&grid.engage_status(r).unwrap_or_default())));
        }
        for cell in &grid.cells[r] {
            let words = match cell.grade {
                Some(g) if cell.is_derived() => {
                    format!("{} ({})", g.name(), cell.basis.as_deref().unwrap_or("derived"))
                }
                Some(g) => g.name().to_string(),
                None if cell.recorded => "not graded".to_string(),
                None => "no grade on record".to_string(),
            };
            match cell.source_url.as_deref().and_then(safe_url).filter(|_| cell.grade.is_some()) {
                Some(url) => {
                    out.push_str(&format!("<td><a href=\"{}\">{}</a></td>", escape(url), escape(&words)))
                }
                None => out.push_str(&format!("<td>{}</td>", escape(&words))),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");

    for note in &grid.notes {
        out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(note)));
    }

    if sources.is_empty() {
        out.push_str(
            "<p class=\"note\">Source pages are listed when the rows carry them: a query over \
<code>grades</code> gives each grade's page.</p>\n",
        );
    } else {
        out.push_str(
            "<h2 id=\"sources\">Sources</h2>\n<p class=\"meta\">The page each grade was read on; \
hover over a cell to see its source.</p>\n<ol class=\"sources\">\n",
        );
        for (url, cells) in &sources {
            let what = describe_cells(grid, cells);
            let link = match safe_url(url) {
                Some(u) => format!("<a href=\"{}\">{}</a>", escape(u), escape(url)),
                None => escape(url),
            };
            out.push_str(&format!("<li>{link} — {}</li>\n", escape(&what)));
        }
        out.push_str("</ol>\n");
    }
    out.push_str(&format!(
        "<footer><p>Grades: {}, as gathered in PeelQL's data set. \
A missing grade is missing, never filled in.</p></footer>\n",
        grid.credit()
    ));
    out.push_str(FOOT);
    out
}

/// What a source page supports: `8 grades: Cambridgeshire Constabulary,
/// PEEL 2023-25`.
fn describe_cells(grid: &Grid, cells: &[(usize, usize)]) -> String {
    let mut groups: Vec<String> = Vec::new();
    for &(r, c) in cells {
        let cell = &grid.cells[r][c];
        let g = match &cell.programme {
            Some(p) => format!("{}, {p}", cell.force),
            None => cell.force.clone(),
        };
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    let n = cells.len();
    format!("{n} grade{}: {}", if n == 1 { "" } else { "s" }, groups.join("; "))
}

/// The CSS class of an Engage mark.
fn engage_class(mark: &str) -> &'static str {
    if mark == super::ENGAGE_UNKNOWN { "engage unknown" } else { "engage" }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// The page for rows with nothing to draw: the note and a plain table.
pub(crate) fn render_fallback(rows: &Rows, query: Option<&str>) -> String {
    let title = query.map_or_else(|| "PeelQL result".to_string(), |q| format!("PeelQL: {q}"));
    let mut out = head(&title);
    out.push_str(&format!("<h1>{}</h1>\n", escape(&title)));
    out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(NO_GRID_NOTE)));
    out.push_str("<table class=\"plain\">\n<thead>\n<tr>");
    for c in &rows.columns {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(c)));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &rows.rows {
        out.push_str("<tr>");
        for i in 0..rows.columns.len() {
            out.push_str(&format!("<td>{}</td>", escape(&render_value_plain(cell(row, i)))));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    let n = rows.len();
    out.push_str(&format!("<p class=\"meta\">({n} row{})</p>\n", if n == 1 { "" } else { "s" }));
    out.push_str(FOOT);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn every_cell_colour_pair_meets_wcag_aa() {
        for grade in [None].into_iter().chain(Grade::ALL.into_iter().map(Some)) {
            let (bg, fg) = colours(grade);
            let ratio = contrast(bg, fg);
            assert!(ratio >= 4.5, "{grade:?}: {bg} on {fg} is {ratio:.2}:1");
        }
        // and the page's own text
        assert!(contrast("#444444", "#ffffff") >= 4.5);
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(escape("x\u{1b}y"), "x\u{FFFD}y");
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("https://example.org/x"), Some("https://example.org/x"));
    }
}
