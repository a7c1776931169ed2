//! The `markdown` format: a GitHub-flavoured Markdown pipe table.
//!
//! The header row holds the column names; the delimiter row marks columns
//! of numbers `---:` (right-aligned) and others `---`. In cells and names a
//! `|` is escaped as `\|` and line breaks become spaces, so every row stays
//! on one line. Null is an empty cell. There is no row-count line.

use super::{cell, is_numeric_column, render_value_plain};
use crate::rows::Rows;

/// Renders `rows` as a Markdown table; empty when there are no columns
/// (Markdown has no table without columns).
pub(super) fn render(rows: &Rows) -> String {
    let ncols = rows.columns.len();
    if ncols == 0 {
        return String::new();
    }
    let mut out = String::new();
    push_row(&mut out, rows.columns.iter().map(|c| escape(c)));
    push_row(
        &mut out,
        (0..ncols).map(|i| if is_numeric_column(rows, i) { "---:".to_owned() } else { "---".to_owned() }),
    );
    for row in &rows.rows {
        push_row(&mut out, (0..ncols).map(|i| escape(&render_value_plain(cell(row, i)))));
    }
    out
}

/// Appends `| a | b |` and a newline.
fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(&c);
        out.push_str(" |");
    }
    out.push('\n');
}

/// Escapes a cell's text: `|` → `\|`, each line break (`\r\n`, `\n`, `\r`)
/// → one space.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => out.push_str("\\|"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::test_data::{empty, sample};
    use crate::value::Value;

    #[test]
    fn exact_text() {
        let expected = "\
| force | score | count | published | grade | ok |
| --- | ---: | ---: | --- | --- | --- |
| Avon and Somerset, \"A&S\" \\| west | 3.25 | 42 | 2024-03-12 | requires improvement | true |
| Dyfed-Powys — Heddlu Dyfed-Powys |  | -7 | 2025-02 | outstanding | false |
| line one line two | 2.0 |  |  |  |  |
";
        assert_eq!(render(&sample()), expected);
    }

    #[test]
    fn zero_rows_keep_header_and_delimiter() {
        assert_eq!(
            render(&empty()),
            "| force | score | count | published | grade | ok |\n\
             | --- | --- | --- | --- | --- | --- |\n"
        );
    }

    #[test]
    fn escapes_pipes_and_line_breaks() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("a\r\nb\rc\nd"), "a b c d");
        let rows = Rows::new(vec!["x|y".into()], vec![vec![Value::Text("1|2\n3".into())]]);
        let out = render(&rows);
        assert_eq!(out, "| x\\|y |\n| --- |\n| 1\\|2 3 |\n");
        for line in out.lines() {
            // Unescaped pipes are exactly the cell borders.
            let borders = line.replace("\\|", "").matches('|').count();
            assert_eq!(borders, 2, "{line}");
        }
    }

    #[test]
    fn no_trailing_whitespace() {
        for line in render(&sample()).lines() {
            assert_eq!(line, line.trim_end());
        }
    }
}
