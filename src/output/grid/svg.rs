//! The `svg` format: the grid as a standalone SVG image for reports and
//! slides — title, programmes, headers, a coloured cell with its code for
//! every grade, a legend, and each cell's details (with its source page) as
//! a tooltip. Styling is in attributes, not CSS, so that tools that import
//! SVG without a style engine draw it the same.

use super::html::{colours, escape};
use super::{Grid, GridKind, NO_GRID_NOTE};
use crate::output::RenderOptions;
use crate::rows::Rows;
use crate::value::Grade;

const FONT: &str =
    "system-ui, -apple-system, &apos;Segoe UI&apos;, Roboto, &apos;DejaVu Sans&apos;, Arial, sans-serif";
const MARGIN: f64 = 16.0;
const CELL_W: f64 = 44.0;
const CELL_H: f64 = 26.0;
const GAP: f64 = 3.0;
/// A generous average advance of a 12px sans-serif character.
const CHAR_W: f64 = 7.4;

fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * CHAR_W * size / 12.0
}

/// Numbers in attributes: at most one decimal place, no trailing `.0`.
fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 { format!("{}", r as i64) } else { format!("{r:.1}") }
}

fn open(out: &mut String, width: f64, height: f64, title: &str, desc: &str) {
    out.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
role=\"img\" aria-labelledby=\"title desc\" font-family=\"{FONT}\" font-size=\"12\" fill=\"#111111\">\n\
<title id=\"title\">{}</title>\n<desc id=\"desc\">{}</desc>\n\
<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
        escape(title),
        escape(desc),
        w = n(width),
        h = n(height),
    ));
}

fn text(out: &mut String, x: f64, y: f64, attrs: &str, s: &str) {
    out.push_str(&format!("<text x=\"{}\" y=\"{}\"{attrs}>{}</text>\n", n(x), n(y), escape(s)));
}

/// The width of an Engage mark's box.
const MARK_W: f64 = 18.0;

/// An Engage mark: the letter in a white box with a solid border (dashed
/// for [`super::ENGAGE_UNKNOWN`]), its top left at (`x`, `y`), with a
/// tooltip when given.
fn engage_mark(out: &mut String, x: f64, y: f64, mark: &str, tip: Option<&str>) {
    let dash = if mark == super::ENGAGE_UNKNOWN { " stroke-dasharray=\"3 2\"" } else { "" };
    let title = tip.map_or_else(String::new, |t| format!("<title>{}</title>", escape(t)));
    out.push_str(&format!(
        "<g class=\"engage\">{title}<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" rx=\"3\" fill=\"#ffffff\" \
stroke=\"#111111\" stroke-width=\"1.4\"{dash}/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" \
font-weight=\"700\">{}</text></g>\n",
        n(x),
        n(y),
        n(MARK_W),
        n(x + MARK_W / 2.0),
        n(y + 13.0),
        escape(mark)
    ));
}

/// The SVG image of a grid.
pub(crate) fn render(grid: &Grid, query: Option<&str>) -> String {
    let title = grid.title();
    let trend = grid.kind == GridKind::Trend;
    let row_label = |i: usize| if trend { &grid.rows[i].full } else { &grid.rows[i].short };
    // a force's Engage mark sits between its name and its cells
    let marks = grid.has_engage_marks();
    let mark_w = if marks { MARK_W + 6.0 } else { 0.0 };
    let label_w =
        (0..grid.rows.len()).map(|i| text_width(row_label(i), 12.0)).fold(0.0, f64::max) + 10.0 + mark_w;
    // trend columns are programmes, written across; area names are slanted
    let cell_w = if trend {
        grid.columns.iter().map(|c| text_width(&c.short, 12.0) + 8.0).fold(CELL_W, f64::max)
    } else {
        CELL_W
    };
    let slant = std::f64::consts::FRAC_1_SQRT_2;
    let longest_header = grid.columns.iter().map(|c| text_width(&c.full, 12.0)).fold(0.0, f64::max);
    let header_h = if trend { 22.0 } else { longest_header * slant + 14.0 };
    let header_overhang = if trend { 0.0 } else { longest_header * slant };

    let subtitle = {
        let mut s = grid.summary();
        if !grid.programmes.is_empty() && !trend {
            s = format!("{}. {s}", grid.programmes.join(", "));
        }
        s
    };
    let query_line = query.map(|q| format!("Query: {q}"));

    let mut y = MARGIN + 18.0;
    let title_y = y;
    y += 20.0;
    let subtitle_y = y;
    let query_y = query_line.as_ref().map(|_| {
        y += 17.0;
        y
    });
    y += 12.0;
    let grid_top = y + header_h;
    let grid_left = MARGIN + label_w;
    let ncols = grid.columns.len() as f64;
    let grid_w = ncols * (cell_w + GAP);
    let grid_bottom = grid_top + grid.rows.len() as f64 * (CELL_H + GAP);

    // legend items: swatch, code, word
    let mut legend: Vec<(Option<Grade>, String, String)> = grid
        .legend_grades()
        .into_iter()
        .map(|g| (Some(g), g.code().to_string(), grid.legend_word(g)))
        .collect();
    legend.push((None, "·".into(), "no grade on record".into()));
    if grid.has_not_graded() {
        legend.push((None, super::NOT_GRADED.into(), "not graded".into()));
    }
    if grid.has_derived() {
        legend.push((None, "*".into(), "found by elimination or inferred".into()));
    }
    let legend_w: f64 = legend.iter().map(|(_, _, w)| 30.0 + 6.0 + text_width(w, 12.0) + 16.0).sum();
    let legend_y = grid_bottom + 20.0;
    // the Engage entries on a line of their own
    let engage = grid.engage_legend();
    let engage_y = legend_y + 28.0;
    let engage_w: f64 = engage.iter().map(|(_, w)| 30.0 + 6.0 + text_width(w, 12.0) + 16.0).sum();
    let footer = format!("Grades: {} (PeelQL data). Hover over a cell for its source page.", grid.credit());
    // and each marked force, with its date
    let marked = grid.engage_rows();
    let marked_y = engage_y + 26.0;
    let marked_w = marked.iter().map(|(_, w)| 36.0 + text_width(w, 12.0)).fold(0.0, f64::max);
    let mut lines_y =
        legend_y + 40.0 + if engage.is_empty() { 0.0 } else { 28.0 } + marked.len() as f64 * 22.0;
    let mut lines: Vec<(f64, String)> = Vec::new();
    for note in &grid.notes {
        lines.push((lines_y, note.clone()));
        lines_y += 16.0;
    }
    lines.push((lines_y, footer));

    let width = [
        grid_left + grid_w + header_overhang + MARGIN,
        MARGIN * 2.0 + legend_w,
        MARGIN * 2.0 + engage_w,
        MARGIN * 2.0 + marked_w,
        MARGIN * 2.0 + text_width(&title, 18.0),
        MARGIN * 2.0 + text_width(&subtitle, 12.0),
        MARGIN * 2.0 + query_line.as_deref().map_or(0.0, |q| text_width(q, 12.0)),
        MARGIN * 2.0 + lines.iter().map(|(_, l)| text_width(l, 11.0)).fold(0.0, f64::max),
    ]
    .into_iter()
    .fold(0.0, f64::max)
    .ceil();
    let height = (lines_y + MARGIN).ceil();

    let mut out = String::new();
    let codes: Vec<String> =
        grid.legend_grades().into_iter().map(|g| format!("{} {}", g.code(), g.name())).collect();
    let mut desc = format!(
        "{}. {}. Each cell shows a grade code: {}, NG not graded, a dot for no grade on record.",
        title,
        subtitle,
        codes.join(", ")
    );
    for (mark, words) in &engage {
        let words = if mark.is_empty() { words.clone() } else { format!("a force marked {mark} is {words}") };
        desc.push_str(&format!(" Beside its name, {words}."));
    }
    open(&mut out, width, height, &title, &desc);
    text(&mut out, MARGIN, title_y, " font-size=\"18\" font-weight=\"700\"", &title);
    text(&mut out, MARGIN, subtitle_y, " fill=\"#444444\"", &subtitle);
    if let (Some(qy), Some(q)) = (query_y, &query_line) {
        text(
            &mut out,
            MARGIN,
            qy,
            " fill=\"#444444\" font-family=\"ui-monospace, &apos;DejaVu Sans Mono&apos;, monospace\"",
            q,
        );
    }

    // column headers
    out.push_str("<g class=\"columns\" font-weight=\"600\">\n");
    for (c, col) in grid.columns.iter().enumerate() {
        let cx = grid_left + c as f64 * (cell_w + GAP) + cell_w / 2.0;
        if trend {
            text(&mut out, cx, grid_top - 8.0, " text-anchor=\"middle\"", &col.short);
        } else {
            let (x, yb) = (cx - 4.0, grid_top - 6.0);
            out.push_str(&format!(
                "<text x=\"{x}\" y=\"{yb}\" transform=\"rotate(-45 {x} {yb})\"><title>{}</title>{}</text>\n",
                escape(&col.full),
                escape(&col.full),
                x = n(x),
                yb = n(yb)
            ));
        }
    }
    out.push_str("</g>\n");

    // rows
    for (r, row) in grid.rows.iter().enumerate() {
        let top = grid_top + r as f64 * (CELL_H + GAP);
        let words = grid.engage_words(r);
        let title = match &words {
            Some(w) => format!("{} — {w}", row.full),
            None => row.full.clone(),
        };
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\"><title>{}</title>{}</text>\n",
            n(grid_left - 8.0 - mark_w),
            n(top + CELL_H / 2.0 + 4.0),
            escape(&title),
            escape(row_label(r))
        ));
        if let Some(mark) = grid.engage_mark(r) {
            engage_mark(&mut out, grid_left - 8.0 - MARK_W, top + (CELL_H - 18.0) / 2.0, mark, Some(&title));
        }
        for (c, cell) in grid.cells[r].iter().enumerate() {
            let left = grid_left + c as f64 * (cell_w + GAP);
            let (bg, fg) = colours(cell.grade);
            let mut tip = cell.describe();
            if let Some(url) = &cell.source_url {
                tip.push_str(&format!(". Source: {url}"));
            }
            let code = match cell.code() {
                Some(code) if cell.is_derived() => format!("{code}*"),
                Some(code) => code.to_string(),
                None if cell.is_not_graded() => super::NOT_GRADED.to_string(),
                None => "·".to_string(),
            };
            let dash = if cell.grade.is_none() { " stroke-dasharray=\"3 2\"" } else { "" };
            out.push_str(&format!(
                "<g class=\"cell\"><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" \
fill=\"{bg}\" stroke=\"#555555\" stroke-width=\"0.8\"{dash}/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" \
font-size=\"13\" font-weight=\"{}\" fill=\"{fg}\">{}</text></g>\n",
                escape(&tip),
                n(left),
                n(top),
                n(cell_w),
                n(CELL_H),
                n(left + cell_w / 2.0),
                n(top + CELL_H / 2.0 + 4.5),
                if cell.grade.is_some() { 700 } else { 400 },
                escape(&code)
            ));
        }
    }

    // legend
    out.push_str("<g class=\"legend\">\n");
    let mut x = MARGIN;
    for (grade, code, word) in &legend {
        let (bg, fg) = colours(*grade);
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"30\" height=\"20\" rx=\"3\" fill=\"{bg}\" stroke=\"#555555\" \
stroke-width=\"0.8\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"700\" fill=\"{fg}\">{}</text>\n",
            n(x),
            n(legend_y),
            n(x + 15.0),
            n(legend_y + 14.5),
            escape(code)
        ));
        text(&mut out, x + 36.0, legend_y + 14.5, "", word);
        x += 30.0 + 6.0 + text_width(word, 12.0) + 16.0;
    }
    let mut x = MARGIN;
    for (mark, words) in &engage {
        if !mark.is_empty() {
            engage_mark(&mut out, x + (30.0 - MARK_W) / 2.0, engage_y + 1.0, mark, None);
            x += 36.0;
        }
        text(&mut out, x, engage_y + 14.5, "", words);
        x += text_width(words, 12.0) + 16.0;
    }
    for (i, (mark, words)) in marked.iter().enumerate() {
        let y = marked_y + i as f64 * 22.0;
        engage_mark(&mut out, MARGIN + (30.0 - MARK_W) / 2.0, y + 1.0, mark, None);
        text(&mut out, MARGIN + 36.0, y + 14.5, "", words);
    }
    out.push_str("</g>\n");
    for (ly, line) in &lines {
        text(&mut out, MARGIN, *ly, " font-size=\"11\" fill=\"#444444\"", line);
    }
    out.push_str("</svg>\n");
    out
}

/// The SVG for rows with nothing to draw: the note and the rows as a
/// monospaced table.
pub(crate) fn render_fallback(rows: &Rows, query: Option<&str>) -> String {
    let table = crate::output::table::render(rows, &RenderOptions::plain());
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in NO_GRID_NOTE.split(' ') {
        if !current.is_empty() && current.chars().count() + word.len() > 90 {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(current);
    let title = query.map_or_else(|| "PeelQL result".to_string(), |q| format!("PeelQL: {q}"));
    let mono_w = 7.3;
    let width = [
        table.lines().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * mono_w,
        lines.iter().map(|l| text_width(l, 12.0)).fold(0.0, f64::max),
        text_width(&title, 16.0),
    ]
    .into_iter()
    .fold(0.0, f64::max)
        + MARGIN * 2.0;
    let table_top = MARGIN + 24.0 + lines.len() as f64 * 16.0 + 10.0;
    let height = table_top + table.lines().count() as f64 * 15.0 + MARGIN;
    let mut out = String::new();
    open(&mut out, width.ceil(), height.ceil(), &title, NO_GRID_NOTE);
    text(&mut out, MARGIN, MARGIN + 16.0, " font-size=\"16\" font-weight=\"700\"", &title);
    for (i, l) in lines.iter().enumerate() {
        text(&mut out, MARGIN, MARGIN + 40.0 + i as f64 * 16.0, " fill=\"#444444\"", l);
    }
    out.push_str("<g font-family=\"ui-monospace, &apos;DejaVu Sans Mono&apos;, monospace\">\n");
    for (i, l) in table.lines().enumerate() {
        text(
            &mut out,
            MARGIN,
            table_top + 12.0 + i as f64 * 15.0,
            " xml:space=\"preserve\" style=\"white-space:pre\"",
            l,
        );
    }
    out.push_str("</g>\n</svg>\n");
    out
}
