//! Rows of named cells that remember where each cell stood in its file, and
//! the problems found in them.
//!
//! Both readers of tabular text use these: the bundled data set's CSV files
//! ([`super::files`]) and imports ([`crate::import`], CSV or JSON). Every
//! problem names the file, the line and column of the offending cell, the
//! column's name and the offending text.

use crate::error::{Error, Result};
use std::fmt;
use std::rc::Rc;

/// How many problems an error message lists before it gives a count of the
/// rest.
pub const PROBLEMS_SHOWN: usize = 20;

/// One problem in a data or import file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file's name as the user gave it.
    pub file: String,
    /// 1-based line of the offending text.
    pub line: usize,
    /// 1-based column (in characters) of the offending text.
    pub col: usize,
    /// The name of the CSV column or JSON field, or `-` when the problem is
    /// with the whole row or file.
    pub column: String,
    /// The offending text (empty when there is none, e.g. a missing column).
    pub text: String,
    /// What is wrong.
    pub message: String,
    /// What would work ("did you mean …?"), when known.
    pub help: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head = format!("{}:{}:{}: column `{}`: ", self.file, self.line, self.col, self.column);
        let Some(help) = &self.help else { return write!(f, "{head}{}", self.message) };
        // a long message is cut here, before the help, so the line stays
        // within what errors keep and the help is not what is lost
        let room = crate::error::LONGEST_MESSAGE
            .saturating_sub(head.chars().count() + help.chars().count() + 40)
            .max(60);
        let count = self.message.chars().count();
        if count <= room {
            return write!(f, "{head}{}; {help}", self.message);
        }
        let kept: String = self.message.chars().take(room).collect();
        write!(f, "{head}{kept}… ({} more characters not shown); {help}", count - room)
    }
}

/// Problems found while reading, reported together.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// Records a problem at a place in a file.
    pub fn push(&mut self, at: &Place, column: &str, text: &str, message: String) {
        self.push_problem(at.problem(column, text, message));
    }

    /// Records a problem already made.
    pub fn push_problem(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    /// How many problems were found.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, in file, line and column order.
    pub fn into_vec(mut self) -> Vec<Problem> {
        self.0.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
        self.0
    }

    /// `Ok(value)` when nothing was found, else an error of `code` listing
    /// the problems under `title` ("the data set has …").
    pub fn into_result<T>(self, value: T, code: &'static str, title: &str) -> Result<T> {
        if self.0.is_empty() {
            return Ok(value);
        }
        Err(problems_error(&self.into_vec(), code, title))
    }
}

/// An error of `code` listing `problems` under `title`: "`title` N
/// problem(s):" and at most [`PROBLEMS_SHOWN`] of them, then a count of the
/// rest.
pub fn problems_error(problems: &[Problem], code: &'static str, title: &str) -> Error {
    let n = problems.len();
    let shown: Vec<String> = problems.iter().take(PROBLEMS_SHOWN).map(Problem::to_string).collect();
    let mut message =
        format!("{title} {n} problem{}:\n  {}", if n == 1 { "" } else { "s" }, shown.join("\n  "));
    if n > shown.len() {
        message.push_str(&format!("\n  … and {} more", n - shown.len()));
    }
    Error::data(code, message)
}

/// Where a cell or row starts: file, line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The file's name.
    pub file: Rc<str>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl Place {
    /// A problem at this place.
    pub fn problem(&self, column: &str, text: &str, message: String) -> Problem {
        Problem {
            file: self.file.to_string(),
            line: self.line,
            col: self.col,
            column: crate::error::bounded(column.to_string()),
            text: crate::error::bounded(text.to_string()),
            message: crate::error::bounded(message),
            help: None,
        }
    }
}

/// One cell that knows where it starts: a JSON field, or a CSV header name.
#[derive(Clone, Debug)]
pub struct Cell {
    /// The text as read (untrimmed).
    pub text: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

/// One row of named cells: a CSV record under its header, or a JSON object.
///
/// A CSV row keeps its record (one buffer for all its fields) and where it
/// starts in the file's text; a cell's line and column are found only when
/// asked, which is only for a cell with a problem.
#[derive(Clone, Debug)]
pub struct Row<'t> {
    /// Where the row starts.
    pub place: Place,
    header: Rc<[String]>,
    cells: Cells<'t>,
}

/// A row's cells.
#[derive(Clone, Debug)]
enum Cells<'t> {
    /// Cells that know their places.
    Placed(Vec<Cell>),
    /// A CSV record whose first byte is `text[start]`.
    Csv { record: csv::StringRecord, text: &'t str, start: usize },
}

impl Row<'static> {
    /// A row of `cells` named by `header` (one name per cell).
    pub fn new(place: Place, header: Rc<[String]>, cells: Vec<Cell>) -> Row<'static> {
        Row { place, header, cells: Cells::Placed(cells) }
    }
}

impl<'t> Row<'t> {
    /// The 1-based line the row starts on.
    pub fn line(&self) -> usize {
        self.place.line
    }

    /// The names of the row's cells.
    pub fn columns(&self) -> &[String] {
        &self.header
    }

    fn index(&self, column: &str) -> Option<usize> {
        let i = self.header.iter().position(|h| h == column)?;
        let len = match &self.cells {
            Cells::Placed(cells) => cells.len(),
            Cells::Csv { record, .. } => record.len(),
        };
        (i < len).then_some(i)
    }

    fn text(&self, i: usize) -> &str {
        match &self.cells {
            Cells::Placed(cells) => cells.get(i).map_or("", |c| c.text.as_str()),
            Cells::Csv { record, .. } => record.get(i).unwrap_or(""),
        }
    }

    /// True when the row has a cell named `column` (empty or not).
    pub fn has(&self, column: &str) -> bool {
        self.index(column).is_some()
    }

    /// The trimmed text of `column`; empty when the row has no such cell.
    pub fn get(&self, column: &str) -> &str {
        self.index(column).map_or("", |i| self.text(i).trim())
    }

    /// Where `column`'s cell starts; the row's start when it has none.
    pub fn place_of(&self, column: &str) -> Place {
        let Some(i) = self.index(column) else { return self.place.clone() };
        let (line, col) = match &self.cells {
            Cells::Placed(cells) => (cells[i].line, cells[i].col),
            Cells::Csv { text, start, .. } => {
                field_position(text, *start, (self.place.line, self.place.col), i)
            }
        };
        Place { file: Rc::clone(&self.place.file), line, col }
    }

    /// A problem with `column`'s cell, quoting its text.
    pub fn problem_at(&self, column: &str, message: String) -> Problem {
        self.place_of(column).problem(column, self.get(column), message)
    }

    /// Records a problem with `column`'s cell.
    pub fn problem(&self, problems: &mut Problems, column: &str, message: String) {
        problems.push_problem(self.problem_at(column, message));
    }
}

/// Byte offsets where lines start, to turn an offset into line and column.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// Indexes `text`.
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        (line, col)
    }
}

/// The rows of one CSV file, checking that the `required` columns exist.
/// Every cell's line and column can be found.
pub fn csv_rows<'t>(file: &str, text: &'t str, required: &[&str], problems: &mut Problems) -> Vec<Row<'t>> {
    let Some((header, rows)) = csv_table(file, text, problems) else { return Vec::new() };
    let missing: Vec<&str> = required.iter().copied().filter(|c| !header.has(c)).collect();
    if !missing.is_empty() {
        problems.push(&header.place, missing[0], "", format!("missing column(s): {}", missing.join(", ")));
        return Vec::new();
    }
    rows
}

/// The header and rows of one CSV file; `None` (with a problem) when the
/// header cannot be read. The header is a row whose cells hold the column
/// names, each named by itself.
pub fn csv_table<'t>(
    file: &str,
    text: &'t str,
    problems: &mut Problems,
) -> Option<(Row<'static>, Vec<Row<'t>>)> {
    let (header, mut reader) = csv_reader(file, text, problems)?;
    let mut out = Vec::new();
    while let Some(row) = reader.next_row(problems) {
        out.push(row);
    }
    Some((header, out))
}

/// The rows of a CSV file after its header, read one at a time: a file
/// need not be held as rows to be read.
pub struct CsvRows<'t> {
    file: Rc<str>,
    text: &'t str,
    index: LineIndex<'t>,
    names: Rc<[String]>,
    reader: csv::Reader<&'t [u8]>,
    done: bool,
}

impl<'t> CsvRows<'t> {
    /// The next row, or `None` at the end of the file. A record that
    /// cannot be read is a problem and is passed over; after a quote that
    /// is never closed nothing more is read.
    pub fn next_row(&mut self, problems: &mut Problems) -> Option<Row<'t>> {
        let text = self.text;
        while !self.done {
            let mut record = csv::StringRecord::new();
            match self.reader.read_record(&mut record) {
                Ok(false) => self.done = true,
                Ok(true) => {
                    // After a CRLF the reported start may be on the line end.
                    let mut start = record.position().map_or(0, |p| p.byte() as usize);
                    while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
                        start += 1;
                    }
                    let (line, col) = self.index.position(start);
                    let place = Place { file: Rc::clone(&self.file), line, col };
                    return Some(Row {
                        place,
                        header: Rc::clone(&self.names),
                        cells: Cells::Csv { record, text, start },
                    });
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    let start = e.position().map_or(0, |p| p.byte() as usize);
                    if let Some(open) = unclosed_quote(text, start) {
                        let (line, col) = self.index.position(open);
                        let place = Place { file: Rc::clone(&self.file), line, col };
                        let mut p = place.problem(
                            "-",
                            "",
                            "this quote is never closed: the rest of the file was read as one cell"
                                .to_owned(),
                        );
                        p.help = Some(
                            "close the quote; a quote inside a quoted cell is written twice (\"\")"
                                .to_owned(),
                        );
                        problems.push_problem(p);
                        // the rest of the file is inside the quote: nothing more to read
                        self.done = true;
                        break;
                    }
                    let place = Place { file: Rc::clone(&self.file), line, col: 1 };
                    problems.push(&place, "-", "", format!("malformed CSV: {e}"));
                }
            }
        }
        None
    }
}

/// The header of one CSV file and a reader of its rows; `None` (with a
/// problem) when the header cannot be read.
pub fn csv_reader<'t>(
    file: &str,
    text: &'t str,
    problems: &mut Problems,
) -> Option<(Row<'static>, CsvRows<'t>)> {
    let file: Rc<str> = Rc::from(file);
    let index = LineIndex::new(text);
    let at_start = Place { file: Rc::clone(&file), line: 1, col: 1 };
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let names: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_string()).collect(),
        Err(e) => {
            problems.push(&at_start, "-", "", format!("unreadable header: {e}"));
            return None;
        }
    };
    if let [only] = names.as_slice() {
        if let Some(sep) = [';', '\t', '|'].into_iter().find(|c| only.contains(*c)) {
            let shown = if sep == '\t' { "tabs".to_owned() } else { format!("`{sep}`") };
            let mut p = at_start.problem(
                "-",
                "",
                format!("the header is one column: its names are separated by {shown}, not commas"),
            );
            p.help = Some(
                "PeelQL reads comma-separated CSV: save the file as CSV with commas \
                 (in a spreadsheet: \"CSV UTF-8 (comma delimited)\")"
                    .to_owned(),
            );
            problems.push_problem(p);
            return None;
        }
    }
    let header_start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let header_cells: Vec<Cell> = names
        .iter()
        .zip(field_offsets(text, header_start, names.len()))
        .map(|(name, offset)| {
            let (line, col) = index.position(offset);
            Cell { text: name.clone(), line, col }
        })
        .collect();
    let mut twice = false;
    for (i, cell) in header_cells.iter().enumerate() {
        if let Some(first) = header_cells[..i].iter().position(|c| c.text == cell.text) {
            let place = Place { file: Rc::clone(&file), line: cell.line, col: cell.col };
            let mut p = place.problem(
                &cell.text,
                &cell.text,
                format!(
                    "the column {:?} is in the header twice (columns {} and {}): which of its values counts cannot be told",
                    cell.text,
                    first + 1,
                    i + 1
                ),
            );
            p.help = Some("keep one column of each name".to_owned());
            problems.push_problem(p);
            twice = true;
        }
    }
    if twice {
        return None;
    }
    let names: Rc<[String]> = names.into();
    let header = Row::new(at_start, Rc::clone(&names), header_cells);
    Some((header, CsvRows { file, text, index, names, reader, done: false }))
}

/// Where the quote that opens a cell of the CSV record starting at byte
/// `start` is, when it is never closed (RFC 4180: a cell that starts with
/// `"` runs to the next lone `"`; `""` inside it is a quote).
fn unclosed_quote(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut i, mut at_cell_start, mut open) = (start, true, None);
    while let Some(&b) = bytes.get(i) {
        match (open, b) {
            (None, b'"') if at_cell_start => open = Some(i),
            (None, b',' | b'\n') => {
                at_cell_start = true;
                i += 1;
                continue;
            }
            (Some(_), b'"') if bytes.get(i + 1) == Some(&b'"') => i += 1,
            (Some(_), b'"') => open = None,
            _ => {}
        }
        at_cell_start = false;
        i += 1;
    }
    open
}

/// The line and column (in characters) where field `n` (from 0) of the
/// CSV record starting at byte `start`, at `(line, col)`, begins: one pass
/// over the record's bytes up to it (RFC 4180: `"` quotes, `""` inside
/// quotes, line breaks inside quotes counted).
fn field_position(text: &str, start: usize, (mut line, mut col): (usize, usize), n: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut i = start;
    // advance over byte i, keeping line and column
    let step = |i: usize, line: &mut usize, col: &mut usize| {
        if bytes[i] == b'\n' {
            *line += 1;
            *col = 1;
        } else if bytes[i] & 0xC0 != 0x80 {
            *col += 1;
        }
    };
    for _ in 0..n {
        let mut quoted = false;
        while i < bytes.len() {
            match bytes[i] {
                b'"' if quoted && bytes.get(i + 1) == Some(&b'"') => {
                    step(i, &mut line, &mut col);
                    i += 1;
                }
                b'"' => quoted = !quoted,
                b',' if !quoted => break,
                b'\n' | b'\r' if !quoted => break,
                _ => {}
            }
            step(i, &mut line, &mut col);
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b',' {
            step(i, &mut line, &mut col);
            i += 1;
        }
    }
    (line, col)
}

/// The byte offsets where the first `n` fields of the CSV record starting
/// at byte `start` begin (RFC 4180: `"` quotes, `""` inside quotes).
fn field_offsets(text: &str, start: usize, n: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut offsets = Vec::with_capacity(n);
    let mut i = start;
    while offsets.len() < n {
        offsets.push(i);
        let mut quoted = false;
        while i < bytes.len() {
            match bytes[i] {
                b'"' if quoted && bytes.get(i + 1) == Some(&b'"') => i += 1,
                b'"' => quoted = !quoted,
                b',' if !quoted => break,
                b'\n' | b'\r' if !quoted => break,
                _ => {}
            }
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b',' {
            i += 1;
        }
    }
    offsets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_know_their_line_and_column() {
        let text = "a,b,c\n1,\"x, \"\"y\"\"\",3\r\n\"multi\nline\",é,z\n";
        let mut problems = Problems::default();
        let rows = csv_rows("t.csv", text, &["a", "c"], &mut problems);
        assert!(problems.is_empty());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get("b"), "x, \"y\"");
        let at = |r: &Row, c: &str| {
            let p = r.place_of(c);
            (p.line, p.col)
        };
        assert_eq!((at(&rows[0], "a"), at(&rows[0], "b"), at(&rows[0], "c")), ((2, 1), (2, 3), (2, 14)));
        assert_eq!((at(&rows[1], "a"), at(&rows[1], "b"), at(&rows[1], "c")), ((3, 1), (4, 7), (4, 9)));
        assert_eq!(rows[1].line(), 3);
    }

    #[test]
    fn a_cell_is_placed_only_when_asked_and_placed_right() {
        // a BOM, CRLF, a quoted line break and a doubled quote before the
        // cells asked for; rows are read one at a time and hold no places
        let text = "\u{feff}k,v\r\n\"a\r\nb\",\"q\"\"\"\r\nx,\u{e9}t\u{e9}\r\n";
        let mut problems = Problems::default();
        let (header, mut reader) = csv_reader("t.csv", text, &mut problems).expect("a header");
        assert_eq!((header.place_of("v").line, header.place_of("v").col), (1, 4));
        let first = reader.next_row(&mut problems).expect("row 1");
        let second = reader.next_row(&mut problems).expect("row 2");
        assert!(reader.next_row(&mut problems).is_none() && problems.is_empty());
        assert_eq!(first.get("k"), "a\r\nb");
        assert_eq!(first.get("v"), "q\"");
        let at = |r: &Row<'_>, c: &str| (r.place_of(c).line, r.place_of(c).col);
        assert_eq!((at(&first, "k"), at(&first, "v")), ((2, 1), (3, 4)));
        assert_eq!((at(&second, "k"), at(&second, "v")), ((4, 1), (4, 3)));
        let p = second.problem_at("v", "bad".into());
        assert_eq!(p.to_string(), "t.csv:4:3: column `v`: bad");
        assert_eq!(p.text, "\u{e9}t\u{e9}");
    }

    #[test]
    fn a_missing_column_is_one_problem_at_the_header() {
        let mut problems = Problems::default();
        assert!(csv_rows("t.csv", "a,b\n1,2\n", &["a", "zz", "yy"], &mut problems).is_empty());
        let list = problems.into_vec();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].to_string(), "t.csv:1:1: column `zz`: missing column(s): zz, yy");
    }

    #[test]
    fn long_lists_are_capped_with_a_count() {
        let place = Place { file: Rc::from("f"), line: 1, col: 1 };
        let mut problems = Problems::default();
        for i in 0..25 {
            problems.push(&place, "c", "t", format!("p{i}"));
        }
        let err = problems.into_result((), "peelql::data::invalid", "f has").unwrap_err();
        assert!(err.message().starts_with("f has 25 problems:\n  f:1:1: column `c`: p0"));
        assert!(err.message().ends_with("\n  … and 5 more"), "{}", err.message());
    }
}
