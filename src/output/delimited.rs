//! The `csv` format: a header line of column names, then one record per
//! row, quoted as RFC 4180 requires by the `csv` crate (fields holding a
//! comma, a double quote or a line break are quoted, quotes doubled).
//! Records end with `\n`, the csv crate's default, rather than RFC 4180's
//! `\r\n`.
//!
//! Cells hold [`render_value_plain`] text: null is an empty field, dates are
//! ISO (`2024-03-12`, `2025-02`), grades words (`requires improvement`),
//! decimals as printed (`3.25`), booleans `true`/`false`.

use super::{cell, render_value_plain};
use crate::rows::Rows;

/// Renders `rows` as CSV; empty when there are no columns.
pub(super) fn render(rows: &Rows) -> String {
    let ncols = rows.columns.len();
    if ncols == 0 {
        return String::new();
    }
    // Writing to a Vec cannot fail, and every record has `ncols` fields, so
    // the csv crate has no error to report here; an error would be a bug.
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    writer.write_record(&rows.columns).expect("writing a CSV header to memory cannot fail");
    for row in &rows.rows {
        writer
            .write_record((0..ncols).map(|i| render_value_plain(cell(row, i))))
            .expect("writing a CSV record to memory cannot fail");
    }
    let bytes = writer.into_inner().expect("flushing CSV to memory cannot fail");
    // Every field came from a `String`, so the bytes are UTF-8.
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::test_data::{empty, sample};
    use crate::value::Value;

    fn parse(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
        let records = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
        (header, records)
    }

    #[test]
    fn exact_text() {
        let out = render(&sample());
        let expected = "\
force,score,count,published,grade,ok
\"Avon and Somerset, \"\"A&S\"\" | west\",3.25,42,2024-03-12,requires improvement,true
Dyfed-Powys — Heddlu Dyfed-Powys,,-7,2025-02,outstanding,false
\"line one
line two\",2.0,,,,
";
        assert_eq!(out, expected);
    }

    #[test]
    fn parses_back() {
        let (header, records) = parse(&render(&sample()));
        assert_eq!(header, ["force", "score", "count", "published", "grade", "ok"]);
        assert_eq!(
            records,
            vec![
                vec![
                    "Avon and Somerset, \"A&S\" | west",
                    "3.25",
                    "42",
                    "2024-03-12",
                    "requires improvement",
                    "true"
                ],
                vec!["Dyfed-Powys — Heddlu Dyfed-Powys", "", "-7", "2025-02", "outstanding", "false"],
                vec!["line one\nline two", "2.0", "", "", "", ""],
            ]
        );
    }

    #[test]
    fn zero_rows_is_the_header() {
        assert_eq!(render(&empty()), "force,score,count,published,grade,ok\n");
    }

    #[test]
    fn quoted_header_and_single_null_column() {
        let rows = Rows::new(vec!["a,b".into()], vec![vec![Value::Null], vec![Value::Text(String::new())]]);
        let out = render(&rows);
        let (header, records) = parse(&out);
        assert_eq!(header, ["a,b"]);
        assert_eq!(records, vec![vec![""], vec![""]]);
    }
}
