//! Fitting results to the terminal: tables as wide as the screen, and a
//! long table cut, with a line saying how many rows were left out and how
//! to see them. CSV, JSON, NDJSON and Markdown are for copying, so they
//! are never cut.

use super::commands::MaxRows;
use peelql::output::{Format, RenderContext, RenderOptions, render, render_value_plain, render_with};
use peelql::{Rows, Value};

/// Lines kept free below a table cut to the screen: the notes and the
/// next prompt.
const FOOTER: usize = 4;
/// The fewest lines a table cut to the screen may take, however small the
/// screen.
const MIN_LINES: usize = 12;
/// Rows shown when cutting to a screen of unknown height.
const UNKNOWN_HEIGHT_ROWS: usize = 40;

/// Where a long table is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// Never.
    Never,
    /// After this many rows.
    Rows(usize),
    /// Where the table would be taller than this many lines (its rows may
    /// take several lines each).
    Lines(usize),
}

/// Where to cut, for the `.maxrows` setting and a terminal `height` lines
/// tall (`None` when not known).
pub fn cut_for(max: MaxRows, height: Option<u16>) -> Cut {
    match (max, height) {
        (MaxRows::All, _) => Cut::Never,
        (MaxRows::Rows(n), _) => Cut::Rows(n),
        (MaxRows::Screen, None) => Cut::Rows(UNKNOWN_HEIGHT_ROWS),
        (MaxRows::Screen, Some(h)) => Cut::Lines(usize::from(h).saturating_sub(FOOTER).max(MIN_LINES)),
    }
}

/// The narrowest a column is drawn: its longest word (so no word is
/// split), but no more than this for very long words such as addresses.
const MAX_MIN_WIDTH: usize = 30;
/// Spare characters counted for each column when choosing the columns
/// that fit.
const SLACK: usize = 2;

/// Renders `rows` for the prompt: a table keeps the columns that fit
/// `opts.width`, is laid out to that width and is cut as `cut` says, with
/// closing lines that say what was left out. Other formats are rendered
/// whole (`context` gives pictures their title).
#[cfg(test)]
pub fn render_fitted(
    rows: &Rows,
    format: Format,
    opts: &RenderOptions,
    cut: Cut,
    context: &RenderContext<'_>,
) -> String {
    render_fitted_keeping(rows, format, opts, cut, context, false)
}

/// Like [`render_fitted`]; with `keep_columns` (the columns were named in
/// `select`) no column is left out: long web addresses are shortened first
/// and the cells wrapped to the width.
pub fn render_fitted_keeping(
    rows: &Rows,
    format: Format,
    opts: &RenderOptions,
    cut: Cut,
    context: &RenderContext<'_>,
    keep_columns: bool,
) -> String {
    if format != Format::Table {
        return render_with(rows, format, opts, context);
    }
    let total = rows.len();
    let fit = opts.width.map_or(rows.columns.len(), |w| columns_that_fit(rows, usize::from(w)));
    let shortened;
    let mut urls_note = None;
    let rows = if keep_columns && fit < rows.columns.len() {
        match shorten_urls(rows) {
            Some(short) => {
                shortened = short;
                urls_note = Some(
                    "(Web addresses shortened to fit the screen: `.save FILE` or `.format csv` gives them whole.)",
                );
                &shortened
            }
            None => rows,
        }
    } else {
        rows
    };
    let keep = if keep_columns { rows.columns.len() } else { fit };
    let narrowed;
    let rows_kept = if keep == rows.columns.len() {
        rows
    } else {
        narrowed = head(rows, keep, total);
        &narrowed
    };
    let shown_rows = match cut {
        Cut::Never => total,
        Cut::Rows(n) => n.min(total),
        Cut::Lines(budget) => rows_within(rows_kept, opts, budget),
    };
    if keep == rows.columns.len() && shown_rows == total && urls_note.is_none() {
        return render(rows, format, opts);
    }
    let text = render(&head(rows_kept, keep, shown_rows), format, opts);
    // the table ends with its own `(N rows)` line: say what was left out instead
    let body = text.trim_end_matches('\n');
    let body = body.rsplit_once('\n').map_or("", |(b, _)| b);
    let mut out = format!("{body}\n");
    let width = opts.width.map_or(usize::MAX, usize::from);
    if keep < rows.columns.len() {
        let grid = peelql::output::grid::Grid::from_rows(rows).is_some();
        out.push_str(&wrap(&columns_note(&rows.columns[keep..], grid), width));
    }
    if let Some(note) = urls_note {
        out.push_str(&wrap(note, width));
    }
    let count = if shown_rows < total { left_out_note(total, shown_rows) } else { row_count(total) };
    out.push_str(&wrap(&count, width));
    out
}

/// The longest a web address is drawn when shortened.
const SHORT_URL: usize = 24;

/// The rows with every web address longer than [`SHORT_URL`] shortened to
/// its host and the end of its path (`huntspost.co.uk/…-4550946`); `None`
/// when there is none to shorten.
fn shorten_urls(rows: &Rows) -> Option<Rows> {
    let mut any = false;
    let out = rows
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|v| match v {
                    Value::Text(t) if is_url(t) && t.chars().count() > SHORT_URL => {
                        any = true;
                        Value::Text(short_url(t))
                    }
                    other => other.clone(),
                })
                .collect()
        })
        .collect();
    any.then(|| Rows::new(rows.columns.clone(), out))
}

fn is_url(t: &str) -> bool {
    let t = t.trim_start();
    t.starts_with("https://") || t.starts_with("http://")
}

/// `https://www.huntspost.co.uk/news/24181263.force-criticised/` →
/// `huntspost.co.uk/…criticised`.
fn short_url(url: &str) -> String {
    let rest = url.trim().split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return host.to_string();
    }
    let tail: Vec<char> = path.chars().collect();
    let keep = SHORT_URL.saturating_sub(host.chars().count() + 2).clamp(6, 12);
    if tail.len() <= keep {
        return format!("{host}/{path}");
    }
    let end: String = tail[tail.len() - keep..].iter().collect();
    format!("{host}/…{end}")
}

/// The first `n` rows and first `columns` columns.
fn head(rows: &Rows, columns: usize, n: usize) -> Rows {
    Rows::new(
        rows.columns[..columns].to_vec(),
        rows.rows[..n].iter().map(|r| r.iter().take(columns).cloned().collect()).collect(),
    )
}

/// The most rows whose table takes at most `budget` lines (at least one).
fn rows_within(rows: &Rows, opts: &RenderOptions, budget: usize) -> usize {
    let lines = |n: usize| render(&head(rows, rows.columns.len(), n), Format::Table, opts).lines().count();
    let total = rows.len();
    if lines(total) <= budget {
        return total;
    }
    // lines(lo) fits, lines(hi) does not
    let (mut lo, mut hi) = (0, total);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if lines(mid) <= budget {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo.max(1)
}

/// Breaks `text` into lines of at most `width` characters at spaces (a
/// longer word gets a line of its own); every line ends with a newline.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// How many columns, from the left, fit a table `width` characters wide
/// (at least one), each drawn at least as wide as its longest word.
pub fn columns_that_fit(rows: &Rows, width: usize) -> usize {
    let mut used = 1; // the left border
    for (i, name) in rows.columns.iter().enumerate() {
        let cells = rows.rows.iter().filter_map(|r| r.get(i)).map(render_value_plain);
        let longest = std::iter::once(name.clone())
            .chain(cells)
            .flat_map(|t| t.split_whitespace().map(|w| w.chars().count()).max())
            .max()
            .unwrap_or(0)
            .min(MAX_MIN_WIDTH);
        // one space each side and a border, and room to spare: the layout
        // shares the width out by its own rules, not by longest words
        used += longest + 3 + SLACK;
        if used > width {
            return i.max(1);
        }
    }
    rows.columns.len()
}

/// `(3 columns left out to fit the screen: a, b, c. …)`; `grid` when the
/// rows can be drawn as a grid, which shows every area in little room.
pub fn columns_note(left_out: &[String], grid: bool) -> String {
    let n = left_out.len();
    format!(
        "({n} column{} left out to fit the screen: {}. Pick columns with `select`, {}or print them all with `.format csv`.)",
        if n == 1 { "" } else { "s" },
        left_out.join(", "),
        if grid { "see every area at once with `.format grid`, " } else { "" }
    )
}

fn row_count(n: usize) -> String {
    if n == 1 { "(1 row)".to_string() } else { format!("({n} rows)") }
}

/// `(160 rows: the first 40 shown, 120 left out …)`.
pub fn left_out_note(total: usize, shown: usize) -> String {
    let left = total - shown;
    format!(
        "({total} rows: the first {shown} shown, {left} left out. `.maxrows all` shows every row, \
         `.format csv` prints them plainly; or narrow the query with `where` or `limit`.)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use peelql::Value;

    fn rows(n: usize) -> Rows {
        Rows::new(vec!["n".into()], (0..n).map(|i| vec![Value::Int(i as i64)]).collect())
    }

    #[test]
    fn cuts() {
        assert_eq!(cut_for(MaxRows::All, Some(50)), Cut::Never);
        assert_eq!(cut_for(MaxRows::Rows(5), Some(50)), Cut::Rows(5));
        assert_eq!(cut_for(MaxRows::Screen, Some(50)), Cut::Lines(46));
        assert_eq!(cut_for(MaxRows::Screen, Some(5)), Cut::Lines(MIN_LINES));
        assert_eq!(cut_for(MaxRows::Screen, None), Cut::Rows(UNKNOWN_HEIGHT_ROWS));
    }

    #[test]
    fn cut_to_the_lines_of_the_screen() {
        let opts = RenderOptions::plain();
        // 4 lines of borders and header, one per row, and the count line
        let out = render_fitted(&rows(100), Format::Table, &opts, Cut::Lines(20), &RenderContext::default());
        let table_lines = out.lines().filter(|l| l.starts_with(['+', '|'])).count();
        assert_eq!(table_lines, 19, "{out}");
        assert!(out.contains("(100 rows: the first 15 shown, 85 left out."), "{out}");
        // rows of several lines each
        let tall =
            Rows::new(vec!["t".into()], (0..10).map(|_| vec![Value::Text("a\nb\nc".into())]).collect());
        let out = render_fitted(&tall, Format::Table, &opts, Cut::Lines(12), &RenderContext::default());
        assert!(out.contains("the first 2 shown"), "{out}");
        // what fits is not cut
        let out = render_fitted(&rows(5), Format::Table, &opts, Cut::Lines(20), &RenderContext::default());
        assert!(out.ends_with("(5 rows)\n"), "{out}");
        // a screen too small for one row still shows one
        let out = render_fitted(&tall, Format::Table, &opts, Cut::Lines(2), &RenderContext::default());
        assert!(out.contains("the first 1 shown"), "{out}");
    }

    #[test]
    fn short_results_are_whole() {
        let opts = RenderOptions::plain();
        assert_eq!(
            render_fitted(&rows(3), Format::Table, &opts, Cut::Rows(3), &RenderContext::default()),
            render(&rows(3), Format::Table, &opts)
        );
        assert!(
            render_fitted(&rows(3), Format::Table, &opts, Cut::Rows(3), &RenderContext::default())
                .ends_with("(3 rows)\n")
        );
    }

    #[test]
    fn long_tables_are_cut_with_a_note() {
        let opts = RenderOptions::plain();
        let out = render_fitted(&rows(100), Format::Table, &opts, Cut::Rows(10), &RenderContext::default());
        assert!(out.contains("| 9 |") && !out.contains("| 10 |"), "{out}");
        assert!(out.ends_with("(100 rows: the first 10 shown, 90 left out. `.maxrows all` shows every row, `.format csv` prints them plainly; or narrow the query with `where` or `limit`.)\n"), "{out}");
        // fitted to a screen, the note is wrapped too
        let narrow = RenderOptions { width: Some(40), ..opts };
        let out = render_fitted(&rows(100), Format::Table, &narrow, Cut::Rows(10), &RenderContext::default());
        assert!(out.lines().all(|l| l.chars().count() <= 40), "{out}");
        assert!(!out.contains("(10 rows)"), "{out}");
        // the table is closed before the note
        let lines: Vec<&str> = out.lines().collect();
        let last_border = lines.iter().rposition(|l| l.starts_with('+')).unwrap();
        assert!(lines[last_border + 1].starts_with("(100 rows"), "{out}");
    }

    #[test]
    fn notes_wrap() {
        assert_eq!(wrap("aa bb cc", 5), "aa bb\ncc\n");
        assert_eq!(wrap("aaaaaaa bb", 5), "aaaaaaa\nbb\n");
        assert_eq!(wrap("aa", usize::MAX), "aa\n");
    }

    #[test]
    fn other_formats_are_never_cut() {
        let opts = RenderOptions::plain();
        for f in [Format::Csv, Format::Json, Format::Ndjson, Format::Markdown] {
            assert_eq!(
                render_fitted(&rows(100), f, &opts, Cut::Rows(10), &RenderContext::default()),
                render(&rows(100), f, &opts),
                "{f}"
            );
        }
        let all = render_fitted(&rows(100), Format::Table, &opts, Cut::Never, &RenderContext::default());
        assert!(all.ends_with("(100 rows)\n"));
    }

    #[test]
    fn columns_that_do_not_fit_are_left_out() {
        let cols: Vec<String> = (0..10).map(|i| format!("column{i}")).collect();
        let wide = Rows::new(cols.clone(), vec![(0..10).map(|_| Value::Text("inadequate".into())).collect()]);
        // each column needs 10 + 3 + SLACK
        let each = 13 + SLACK;
        assert_eq!(columns_that_fit(&wide, 300), 10);
        assert_eq!(columns_that_fit(&wide, 1 + each * 4), 4);
        assert_eq!(columns_that_fit(&wide, each * 4), 3);
        assert_eq!(columns_that_fit(&wide, 5), 1);
        let opts = RenderOptions { width: Some(60), ..RenderOptions::plain() };
        let out = render_fitted(&wide, Format::Table, &opts, Cut::Never, &RenderContext::default());
        assert!(out.lines().all(|l| l.chars().count() <= 60), "{out}");
        assert!(
            out.replace('\n', " ").contains(
                "(7 columns left out to fit the screen: column3, column4, column5, column6, column7, column8, column9."
            ),
            "{out}"
        );
        assert!(out.ends_with("(1 row)\n"), "{out}");
        // the real forces table, 11 columns, on a screen 120 wide
        let engine = peelql::Engine::in_memory().unwrap();
        let forces = engine.query("forces").unwrap();
        let opts = RenderOptions { width: Some(120), ..RenderOptions::plain() };
        let out = render_fitted(&forces, Format::Table, &opts, Cut::Never, &RenderContext::default());
        assert!(out.lines().all(|l| l.chars().count() <= 120), "{out}");
        assert!(out.contains("Cambridgeshire"), "{out}");
        assert!(!out.contains("Investigati "), "no word split: {out}");
        assert!(out.contains("left out to fit the screen"), "{out}");
        assert!(out.replace('\n', " ").contains("`.format grid`"), "grades can be drawn: {out}");
    }

    #[test]
    fn selected_columns_are_never_left_out() {
        // issue 17: at 60 columns `grade` was dropped from a select naming it
        let engine = peelql::Engine::in_memory().unwrap();
        let rows = engine
            .query(r#"grades where force = "cambs" select force, programme, area, grade, source_url"#)
            .unwrap();
        let opts = RenderOptions { width: Some(60), ..RenderOptions::plain() };
        let out =
            render_fitted_keeping(&rows, Format::Table, &opts, Cut::Never, &RenderContext::default(), true);
        assert!(out.lines().all(|l| l.chars().count() <= 60), "{out}");
        let header = out.lines().find(|l| l.contains("force")).unwrap();
        for col in ["force", "programme", "area", "grade", "source_"] {
            assert!(header.contains(col), "{col} missing: {out}");
        }
        assert!(!out.contains("left out"), "{out}");
        assert!(out.contains("outstanding") && out.contains("huntspost.") && out.contains("…"), "{out}");
        assert!(out.contains("Web addresses shortened"), "{out}");
        assert!(out.ends_with("(8 rows)\n"), "{out}");
        // wide enough: the addresses are whole
        let wide = RenderOptions { width: Some(400), ..RenderOptions::plain() };
        let out =
            render_fitted_keeping(&rows, Format::Table, &wide, Cut::Never, &RenderContext::default(), true);
        assert!(out.contains("https://www.huntspost.co.uk/"), "{out}");
    }

    #[test]
    fn urls_shorten_to_host_and_end() {
        assert_eq!(short_url("https://www.example.org/"), "example.org");
        assert_eq!(short_url("https://example.org/a/b"), "example.org/a/b");
        let s =
            short_url("https://www.huntspost.co.uk/news/24181263.force-criticised-manages-sex-offenders/");
        assert!(s.starts_with("huntspost.co.uk/…") && s.ends_with("fenders"), "{s}");
        assert!(s.chars().count() <= SHORT_URL + 4, "{s}");
    }

    #[test]
    fn tables_fit_the_width() {
        let wide = Rows::new(
            vec!["text".into(), "more".into()],
            vec![vec![Value::Text("word ".repeat(40)), Value::Text("other ".repeat(30))]],
        );
        let opts = RenderOptions { width: Some(60), ..RenderOptions::plain() };
        let out = render_fitted(&wide, Format::Table, &opts, Cut::Rows(10), &RenderContext::default());
        assert!(out.lines().all(|l| l.chars().count() <= 60), "{out}");
    }
}
