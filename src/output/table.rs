//! The `table` format: a boxed table drawn with `comfy-table`, then a
//! `(N rows)` line.
//!
//! Colour is added without comfy-table's own styling, which goes through
//! crossterm and so consults the `NO_COLOR` environment variable: the
//! library leaves that decision to the caller. Instead each word of a grade
//! cell is prefixed with a zero-width marker character, so the layout is
//! exactly that of the uncoloured table, and after layout each marked word
//! is wrapped in ANSI escape codes. Grade columns are kept at least as wide
//! as their longest grade word so that no grade word is ever split.

use super::{RenderOptions, cell, is_number, is_numeric_column, render_value_plain};
use crate::rows::Rows;
use crate::value::{Grade, Value};
use comfy_table::presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED};
use comfy_table::{Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width};

/// Marks the start of a grade word in a cell. U+E0001 LANGUAGE TAG is
/// deprecated, never appears in our data (it is stripped from cell text
/// anyway) and has zero display width, so it does not change the layout.
const MARK: char = '\u{E0001}';

/// ANSI reset.
const RESET: &str = "\x1b[0m";

/// The ANSI escape that starts a grade's colour: outstanding bold green,
/// good green, adequate yellow, requires improvement orange (256-colour
/// palette index 208), inadequate bold red.
pub fn grade_colour(grade: Grade) -> &'static str {
    match grade {
        Grade::Outstanding => "\x1b[1;32m",
        Grade::Good => "\x1b[32m",
        Grade::Adequate => "\x1b[33m",
        Grade::RequiresImprovement => "\x1b[38;5;208m",
        Grade::Inadequate => "\x1b[1;31m",
    }
}

/// Renders `rows` as a table followed by `(N rows)`.
pub(super) fn render(rows: &Rows, opts: &RenderOptions) -> String {
    let mut out = String::new();
    if !rows.columns.is_empty() {
        let text = build(rows, opts).to_string();
        for line in text.lines() {
            let line = line.trim_end();
            if opts.color {
                out.push_str(&colour_marked(line));
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
    }
    out.push_str(&row_count(rows.len()));
    out.push('\n');
    out
}

/// `(1 row)`, `(N rows)`.
fn row_count(n: usize) -> String {
    if n == 1 { "(1 row)".to_owned() } else { format!("({n} rows)") }
}

/// Lays out the comfy-table (uncoloured, markers in place when colouring).
fn build(rows: &Rows, opts: &RenderOptions) -> Table {
    let ncols = rows.columns.len();
    let mut table = Table::new();
    // Never look at the terminal: no size query, no tty-dependent styling.
    table.force_no_tty();
    table.load_style(if opts.unicode { UTF8_FULL_CONDENSED } else { ASCII_FULL_CONDENSED });
    match opts.width {
        Some(width) => {
            table.set_content_arrangement(ContentArrangement::Dynamic).set_width(width);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table.set_header(rows.columns.iter().map(|name| Cell::new(sanitize(name))));

    for row in &rows.rows {
        table.add_row((0..ncols).map(|i| value_cell(cell(row, i), opts.color)));
    }

    // Each column at least as wide as its longest grade word, and as the
    // longest word of its heading when every heading fits the width.
    let grade_words: Vec<Option<usize>> = (0..ncols)
        .map(|i| {
            rows.rows
                .iter()
                .filter_map(|row| match cell(row, i) {
                    Value::Grade(g) => g.name().split(' ').map(str::len).max(),
                    _ => None,
                })
                .max()
        })
        .collect();
    let heading_words: Vec<usize> = rows
        .columns
        .iter()
        .map(|c| c.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0))
        .collect();
    let headings_fit = opts.width.is_some_and(|w| {
        let need: usize = (0..ncols).map(|i| grade_words[i].unwrap_or(0).max(heading_words[i]) + 3).sum();
        need < usize::from(w)
    });
    for (i, column) in table.column_iter_mut().enumerate() {
        if is_numeric_column(rows, i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
        let heading = if headings_fit { Some(heading_words[i]) } else { None };
        let longest_word = grade_words[i].max(heading);
        if let Some(len) = longest_word.filter(|n| *n > 0) {
            // The boundary counts the one-space padding on each side.
            let width = u16::try_from(len + 2).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(width)));
        }
    }
    table
}

/// The cell for one value: empty for null, numbers right-aligned, grade
/// words marked for colouring when `colour` is on.
fn value_cell(value: &Value, colour: bool) -> Cell {
    match value {
        Value::Grade(g) if colour => {
            let marked: Vec<String> = g.name().split(' ').map(|w| format!("{MARK}{w}")).collect();
            Cell::new(marked.join(" "))
        }
        Value::Text(t) => Cell::new(sanitize(t)),
        v if is_number(v) => Cell::new(render_value_plain(v)).set_alignment(CellAlignment::Right),
        v => Cell::new(render_value_plain(v)),
    }
}

/// Makes text safe to draw in a terminal table: `\r\n` and `\r` become line
/// breaks, tabs become spaces, other control characters (including escape
/// sequences' ESC) become U+FFFD, and the colour marker is removed.
fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            MARK => {}
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Replaces every marked grade word in a laid-out line by the word in its
/// grade's colour.
fn colour_marked(line: &str) -> String {
    if !line.contains(MARK) {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 32);
    let mut rest = line;
    while let Some(pos) = rest.find(MARK) {
        out.push_str(&rest[..pos]);
        rest = &rest[pos + MARK.len_utf8()..];
        let word_len = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        let word = &rest[..word_len];
        match word_grade(word) {
            Some(grade) => {
                out.push_str(grade_colour(grade));
                out.push_str(word);
                out.push_str(RESET);
            }
            None => out.push_str(word),
        }
        rest = &rest[word_len..];
    }
    out.push_str(rest);
    out
}

/// The grade a single word of a grade name belongs to.
fn word_grade(word: &str) -> Option<Grade> {
    Grade::ALL.into_iter().find(|g| g.name().split(' ').any(|w| w == word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::strip_ansi;
    use crate::output::test_data::{empty, sample};
    use crate::output::{Format, render as render_any};
    use crate::value::Decimal;

    fn assert_clean_lines(out: &str) {
        for line in out.lines() {
            assert_eq!(line, line.trim_end(), "trailing whitespace in {out}");
        }
    }

    #[test]
    fn ascii_table() {
        let out = render(&sample(), &RenderOptions::plain());
        let expected = "\
+----------------------------------+-------+-------+------------+----------------------+-------+
| force                            | score | count | published  | grade                | ok    |
+==============================================================================================+
| Avon and Somerset, \"A&S\" | west  |  3.25 |    42 | 2024-03-12 | requires improvement | true  |
| Dyfed-Powys — Heddlu Dyfed-Powys |       |    -7 | 2025-02    | outstanding          | false |
| line one                         |   2.0 |       |            |                      |       |
| line two                         |       |       |            |                      |       |
+----------------------------------+-------+-------+------------+----------------------+-------+
(3 rows)
";
        assert_eq!(out, expected);
        // The only non-ASCII character is the one in the data.
        assert!(out.chars().all(|c| c.is_ascii() || c == '—'));
        assert_clean_lines(&out);
    }

    #[test]
    fn unicode_table() {
        let out = render(&sample(), &RenderOptions::default());
        let first = out.lines().next().unwrap();
        assert!(first.starts_with('┌') && first.ends_with('┐'), "{out}");
        assert!(out.contains("╞═"), "{out}");
        assert!(out.ends_with("┘\n(3 rows)\n"), "{out}");
        assert!(!out.contains('\x1b'));
        assert_clean_lines(&out);
    }

    #[test]
    fn numbers_are_right_aligned() {
        let out = render(&sample(), &RenderOptions::plain());
        assert!(out.contains("|  3.25 |    42 |"), "{out}");
        assert!(out.contains("|   2.0 |       |"), "{out}");
    }

    #[test]
    fn zero_rows_show_the_header() {
        let out = render(&empty(), &RenderOptions::plain());
        let expected = "\
+-------+-------+-------+-----------+-------+----+
| force | score | count | published | grade | ok |
+================================================+
+-------+-------+-------+-----------+-------+----+
(0 rows)
";
        assert_eq!(out, expected);
    }

    #[test]
    fn one_row() {
        let rows = Rows::new(vec!["n".into()], vec![vec![Value::Int(1)]]);
        let out = render(&rows, &RenderOptions::plain());
        assert_eq!(out, "+---+\n| n |\n+===+\n| 1 |\n+---+\n(1 row)\n");
    }

    #[test]
    fn colour_off_has_no_escapes() {
        for unicode in [true, false] {
            for width in [None, Some(40)] {
                let opts = RenderOptions { color: false, unicode, width };
                let out = render_any(&sample(), Format::Table, &opts);
                assert!(!out.contains('\x1b'), "{out}");
                assert!(!out.contains(MARK), "{out}");
            }
        }
    }

    #[test]
    fn colour_on_colours_grades_without_moving_anything() {
        for unicode in [true, false] {
            for width in [None, Some(60), Some(30)] {
                let plain = RenderOptions { color: false, unicode, width };
                let coloured = RenderOptions { color: true, ..plain };
                let a = render(&sample(), &plain);
                let b = render(&sample(), &coloured);
                assert!(!b.contains(MARK), "{b}");
                assert_eq!(strip_ansi(&b), a, "width {width:?}");
                assert!(b.contains("\x1b[1;32moutstanding\x1b[0m"), "{b}");
                assert!(b.contains("\x1b[38;5;208mrequires\x1b[0m"), "{b}");
                assert!(b.contains("\x1b[38;5;208mimprovement\x1b[0m"), "{b}");
                assert_clean_lines(&b);
            }
        }
    }

    #[test]
    fn every_grade_has_its_colour() {
        let rows = Rows::new(
            vec!["grade".into(), "note".into()],
            Grade::ALL.iter().map(|g| vec![Value::Grade(*g), Value::Text(g.name().into())]).collect(),
        );
        let opts = RenderOptions { color: true, ..RenderOptions::plain() };
        let out = render(&rows, &opts);
        for g in Grade::ALL {
            let first = g.name().split(' ').next().unwrap();
            assert!(out.contains(&format!("{}{first}{RESET}", grade_colour(g))), "{out}");
        }
        // The same words as text are not coloured: one escape per grade word.
        assert_eq!(out.matches(RESET).count(), 6, "{out}");
    }

    #[test]
    fn fits_the_given_width() {
        for width in [50u16, 60, 80] {
            for unicode in [true, false] {
                let opts = RenderOptions { color: false, unicode, width: Some(width) };
                let out = render(&sample(), &opts);
                for line in out.lines() {
                    assert!(line.chars().count() <= usize::from(width), "{width}: {line:?}\n{out}");
                }
                assert_clean_lines(&out);
            }
        }
    }

    #[test]
    fn too_narrow_a_width_still_renders() {
        for width in [0u16, 1, 10, 30] {
            let opts = RenderOptions { color: true, unicode: true, width: Some(width) };
            let out = render(&sample(), &opts);
            assert!(out.ends_with("(3 rows)\n"), "{out}");
            assert_clean_lines(&out);
        }
    }

    #[test]
    fn grade_words_are_never_split() {
        let opts = RenderOptions { color: false, unicode: false, width: Some(20) };
        let out = render(&sample(), &opts);
        assert!(out.contains("improvement"), "{out}");
        assert!(out.contains("outstanding"), "{out}");
    }

    #[test]
    fn control_characters_are_neutralised() {
        let rows =
            Rows::new(vec!["t\x1b[2J".into()], vec![vec![Value::Text("a\tb\x1b[31mc\r\nd\re".into())]]);
        let out = render(&rows, &RenderOptions::plain());
        assert!(!out.contains('\x1b'), "{out}");
        assert!(!out.contains('\t') && !out.contains('\r'), "{out}");
        assert!(out.contains("a b\u{FFFD}[31mc"), "{out}");
        assert!(out.contains("| d "), "{out}");
        assert!(out.contains("| e "), "{out}");
    }

    #[test]
    fn no_columns_is_just_the_count() {
        let rows = Rows::new(Vec::new(), vec![Vec::new(), Vec::new()]);
        assert_eq!(render(&rows, &RenderOptions::default()), "(2 rows)\n");
    }

    #[test]
    fn decimals_show_their_places() {
        let rows = Rows::new(vec!["avg".into()], vec![vec![Value::Decimal(Decimal::new(3.0, 1))]]);
        assert!(render(&rows, &RenderOptions::plain()).contains("| 3.0 |"));
    }
}
