//! Grade records in columns: every distinct string once, each row a few
//! fixed-width numbers. The form the store keeps grades in and the data set
//! keeps its records in, so a million grades open without a million rows
//! of strings; [`GradeColumns::to_records`] gives the records back exactly,
//! in their order.
//!
//! The columns live in one byte buffer, exactly as stored, and are read in
//! place:
//!
//! ```text
//! "PQG1"  u32 strings  (u32 length, UTF-8 bytes)*  u32 rows
//! force: rows × u32   programme: rows × u32   area: rows × u32   source_url: rows × u32
//! published: rows × (u8 parts known: 1 date, 2 month, 4 day; u16 year; u8 month; u8 day)
//! grade: rows × u8 (0 none, else the rank)   basis: rows × u8 (0 stated, 1 elimination, 2 inferred)
//! ```
//!
//! All numbers little-endian; string columns hold indexes into the strings.

use crate::catalog::model::{Basis, GradeRecord};
use crate::value::{Date, Grade};
use rustc_hash::FxHashMap as HashMap;

/// The first bytes of the encoded columns.
pub(super) const MAGIC: &[u8; 4] = b"PQG1";

/// Grade records, column by column, in their original order.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct GradeColumns {
    /// The encoded columns (the layout in the module docs).
    bytes: Vec<u8>,
    /// Where each string's UTF-8 bytes are in `bytes` (start, end): the
    /// strings are read in place, not decoded into copies of their own, so
    /// a large import holds each string once. Every span is checked to be
    /// UTF-8 when the columns are made.
    spans: Vec<(usize, usize)>,
    /// Rows.
    rows: usize,
    /// Where the force column starts; the other columns follow it.
    at: usize,
}

impl GradeColumns {
    /// The records in columns.
    pub fn from_records(records: &[GradeRecord]) -> GradeColumns {
        let n = records.len();
        let (places, columns) = intern(records);
        let strings: Vec<&str> = places.iter().map(|&p| field(records, p)).collect();
        let text: usize = strings.iter().map(|s| s.len() + 4).sum();
        let mut out = Vec::with_capacity(12 + text + n * 23);
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, strings.len());
        let mut spans = Vec::with_capacity(strings.len());
        for s in &strings {
            put_u32(&mut out, s.len());
            spans.push((out.len(), out.len() + s.len()));
            out.extend_from_slice(s.as_bytes());
        }
        let at = out.len() + 4;
        put_fixed(&mut out, records, &columns);
        GradeColumns { bytes: out, spans, rows: n, at }
    }

    /// Columns of `records` without their strings: the row count and the
    /// fixed-width columns only, read by the same accessors (the strings
    /// stay in the records: see [`super::streamed::RecordColumns`]).
    pub(super) fn fixed_only(records: &[GradeRecord], columns: &[Vec<u32>; 4]) -> GradeColumns {
        let mut bytes = Vec::with_capacity(4 + records.len() * 23);
        put_fixed(&mut bytes, records, columns);
        GradeColumns { bytes, spans: Vec::new(), rows: records.len(), at: 4 }
    }

    /// Reads columns back from their bytes, checking every value; says what
    /// is wrong when the bytes do not make columns.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<GradeColumns, String> {
        let mut r = Reader { bytes: &bytes, at: 0 };
        if r.take(4)? != MAGIC {
            return Err("it does not start with the grade columns' magic word".into());
        }
        let count = r.u32()? as usize;
        let mut spans = Vec::with_capacity(count.min(bytes.len() / 4));
        for i in 0..count {
            let len = r.u32()? as usize;
            let start = r.at;
            std::str::from_utf8(r.take(len)?).map_err(|_| format!("string {i} is not UTF-8"))?;
            spans.push((start, start + len));
        }
        let rows = r.u32()? as usize;
        let at = r.at;
        let size = rows.checked_mul(23).ok_or("too many rows")?;
        let rest = r.take(size)?;
        if r.at != bytes.len() {
            return Err(format!("{} unexpected bytes after the columns", bytes.len() - r.at));
        }
        let (ids, rest) = rest.split_at(rows * 16);
        for (column, what) in ids.chunks(rows.max(1) * 4).zip(["force", "programme", "area", "source page"]) {
            if column.chunks_exact(4).any(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize >= count)
            {
                return Err(format!("a {what} refers to a string that is not there"));
            }
        }
        let (dates, rest) = rest.split_at(rows * 5);
        if let Some(tag) = dates.chunks_exact(5).map(|c| c[0]).find(|&t| t > 7 || (t != 0 && t & 1 == 0)) {
            return Err(format!("a date has the unknown form {tag}"));
        }
        let (grades, bases) = rest.split_at(rows);
        if let Some(g) = grades.iter().find(|&&g| g > 5) {
            return Err(format!("{g} is not a grade"));
        }
        if let Some(b) = bases.iter().find(|&&b| b > 2) {
            return Err(format!("{b} is not a basis"));
        }
        Ok(GradeColumns { bytes, spans, rows, at })
    }

    /// How many rows the encoded columns `bytes` hold, reading no more of
    /// them than the string lengths (for writing columns as they are).
    pub fn rows_in(bytes: &[u8]) -> Result<usize, String> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(4)? != MAGIC {
            return Err("it does not start with the grade columns' magic word".into());
        }
        let count = r.u32()? as usize;
        for _ in 0..count {
            let len = r.u32()? as usize;
            r.take(len)?;
        }
        Ok(r.u32()? as usize)
    }

    /// The encoded columns, taken.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The encoded columns.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// How many distinct strings there are; the string columns are
    /// indexes into them.
    pub fn string_count(&self) -> usize {
        self.spans.len()
    }

    /// Distinct string `id` (as a string column holds it).
    pub fn string(&self, id: u32) -> &str {
        let (start, end) = self.spans[id as usize];
        // checked to be UTF-8 when the columns were made: never empty for
        // want of a check here
        std::str::from_utf8(&self.bytes[start..end]).unwrap_or_default()
    }

    /// Where distinct strings `lo..hi` are in [`GradeColumns::bytes`]:
    /// one range, each string as its `u32` length and its UTF-8 bytes
    /// (what [`GradeColumns::parse_strings`] reads back). The image's text
    /// chunks are such ranges of its grade columns, so each string is
    /// held once.
    pub fn string_bytes(&self, lo: usize, hi: usize) -> (usize, usize) {
        if lo >= hi {
            return (0, 0);
        }
        (self.spans[lo].0 - 4, self.spans[hi - 1].1)
    }

    /// Exactly `count` strings, each a `u32` length and its UTF-8 bytes,
    /// as [`GradeColumns::string_bytes`] places them; says what is wrong
    /// when `bytes` are not that.
    pub fn parse_strings(bytes: &[u8], count: usize) -> Result<Vec<Box<str>>, String> {
        let mut r = Reader { bytes, at: 0 };
        let mut out = Vec::with_capacity(count.min(bytes.len() / 4));
        for i in 0..count {
            let len = r.u32()? as usize;
            let text = std::str::from_utf8(r.take(len)?).map_err(|_| format!("text {i} is not UTF-8"))?;
            out.push(Box::from(text));
        }
        if r.at != bytes.len() {
            return Err(format!("{} unexpected bytes after the texts", bytes.len() - r.at));
        }
        Ok(out)
    }

    /// The values of string column `column` (0 force, 1 programme, 2
    /// area, 3 source page), in row order.
    pub fn ids(&self, column: usize) -> impl Iterator<Item = u32> + '_ {
        let at = self.at + column * self.rows * 4;
        self.bytes[at..at + self.rows * 4]
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
    }

    /// The grades as ranks, 0 for none, in row order.
    pub fn ranks(&self) -> &[u8] {
        let at = self.at + self.rows * 21;
        &self.bytes[at..at + self.rows]
    }

    fn id(&self, column: usize, i: usize) -> u32 {
        let at = self.at + (column * self.rows + i) * 4;
        let b = &self.bytes[at..at + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    /// Row `i`'s force name (an index into [`GradeColumns::strings`]).
    pub fn force(&self, i: usize) -> u32 {
        self.id(0, i)
    }

    /// Row `i`'s programme name.
    pub fn programme(&self, i: usize) -> u32 {
        self.id(1, i)
    }

    /// Row `i`'s area label.
    pub fn area(&self, i: usize) -> u32 {
        self.id(2, i)
    }

    /// Row `i`'s source page.
    pub fn source_url(&self, i: usize) -> u32 {
        self.id(3, i)
    }

    /// Row `i`'s publication date.
    pub fn published(&self, i: usize) -> Option<Date> {
        let at = self.at + self.rows * 16 + i * 5;
        let c = &self.bytes[at..at + 5];
        (c[0] & 1 == 1).then(|| Date {
            year: u16::from_le_bytes([c[1], c[2]]),
            month: (c[0] & 2 != 0).then_some(c[3]),
            day: (c[0] & 4 != 0).then_some(c[4]),
        })
    }

    /// Row `i`'s grade.
    pub fn grade(&self, i: usize) -> Option<Grade> {
        Grade::from_rank(self.bytes[self.at + self.rows * 21 + i])
    }

    /// Row `i`'s basis.
    pub fn basis(&self, i: usize) -> Basis {
        match self.bytes[self.at + self.rows * 22 + i] {
            0 => Basis::Stated,
            1 => Basis::Elimination,
            _ => Basis::Inferred,
        }
    }

    /// Record `i`.
    pub fn record(&self, i: usize) -> GradeRecord {
        let s = |id: u32| self.string(id).to_owned();
        GradeRecord {
            force: s(self.force(i)),
            programme: s(self.programme(i)),
            published: self.published(i),
            area: s(self.area(i)),
            grade: self.grade(i),
            source_url: s(self.source_url(i)),
            basis: self.basis(i),
        }
    }

    /// Every record, in order.
    pub fn to_records(&self) -> Vec<GradeRecord> {
        (0..self.len()).map(|i| self.record(i)).collect()
    }
}

/// Where each distinct string of `records` is, in order of first use, as
/// (record, string column), and their four string columns as indexes into
/// them.
pub(super) fn intern(records: &[GradeRecord]) -> (Vec<(u32, u8)>, [Vec<u32>; 4]) {
    let n = records.len();
    let mut ids: HashMap<&str, u32> = HashMap::default();
    let mut strings: Vec<(u32, u8)> = Vec::new();
    // consecutive records mostly repeat the force, programme and page:
    // remember the last string of each column before hashing
    let mut last: [(&str, u32); 4] = [("", u32::MAX); 4];
    let mut columns: [Vec<u32>; 4] = std::array::from_fn(|_| Vec::with_capacity(n));
    for (i, r) in records.iter().enumerate() {
        for (column, s) in [&r.force, &r.programme, &r.area, &r.source_url].into_iter().enumerate() {
            let (text, id) = last[column];
            let id = if id != u32::MAX && text == s.as_str() {
                id
            } else {
                let id = *ids.entry(s.as_str()).or_insert_with(|| {
                    strings.push((i as u32, column as u8));
                    (strings.len() - 1) as u32
                });
                last[column] = (s.as_str(), id);
                id
            };
            columns[column].push(id);
        }
    }
    (strings, columns)
}

/// String column `column` (0 force, 1 programme, 2 area, 3 source page)
/// of record `row`.
pub(super) fn field(records: &[GradeRecord], (row, column): (u32, u8)) -> &str {
    let r = &records[row as usize];
    match column {
        0 => &r.force,
        1 => &r.programme,
        2 => &r.area,
        _ => &r.source_url,
    }
}

/// Everything of the encoding after the strings: the row count, the
/// string columns, dates, grades and bases.
pub(super) fn put_fixed(out: &mut Vec<u8>, records: &[GradeRecord], columns: &[Vec<u32>; 4]) {
    put_u32(out, records.len());
    for column in columns {
        for v in column {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    for r in records {
        let (tag, year, month, day) = match r.published {
            None => (0u8, 0u16, 0u8, 0u8),
            Some(d) => (
                1 | u8::from(d.month.is_some()) << 1 | u8::from(d.day.is_some()) << 2,
                d.year,
                d.month.unwrap_or(0),
                d.day.unwrap_or(0),
            ),
        };
        out.push(tag);
        out.extend_from_slice(&year.to_le_bytes());
        out.push(month);
        out.push(day);
    }
    out.extend(records.iter().map(|r| r.grade.map_or(0, Grade::rank)));
    out.extend(records.iter().map(|r| match r.basis {
        Basis::Stated => 0u8,
        Basis::Elimination => 1,
        Basis::Inferred => 2,
    }));
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    // lengths and counts beyond u32 cannot be stored; the store refuses
    // more than u32::MAX records before it gets here
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.bytes.len()).ok_or("the bytes end early")?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::{many_grades, sample_tables};

    #[test]
    fn records_round_trip_through_columns_and_bytes() {
        for records in [sample_tables().grades, many_grades(2_000).grades, Vec::new()] {
            let cols = GradeColumns::from_records(&records);
            assert_eq!(cols.to_records(), records);
            let back = GradeColumns::from_bytes(cols.bytes().to_vec()).expect("decode");
            assert_eq!(back, cols);
            assert_eq!(back.to_records(), records);
        }
    }

    #[test]
    fn odd_dates_round_trip() {
        let mut records = sample_tables().grades;
        records[0].published = Some(Date { year: 0, month: None, day: None });
        records[1].published = Some(Date { year: 9999, month: Some(200), day: Some(0) });
        records[2].published = Some(Date { year: 2024, month: None, day: Some(3) });
        let cols = GradeColumns::from_records(&records);
        assert_eq!(GradeColumns::from_bytes(cols.bytes().to_vec()).expect("decode").to_records(), records);
    }

    #[test]
    fn damaged_bytes_are_refused() {
        let bytes = GradeColumns::from_records(&sample_tables().grades).bytes().to_vec();
        assert!(GradeColumns::from_bytes(bytes[..bytes.len() - 1].to_vec()).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(GradeColumns::from_bytes(longer).is_err());
        assert!(GradeColumns::from_bytes(b"nope".to_vec()).is_err());
        let mut bad_grade = bytes.clone();
        let at = bad_grade.len() - 7; // the last of the six grades, before six bases
        bad_grade[at] = 9;
        assert_eq!(GradeColumns::from_bytes(bad_grade).expect_err("bad grade"), "9 is not a grade");
        let mut bad_basis = bytes.clone();
        let at = bad_basis.len() - 1;
        bad_basis[at] = 3;
        assert_eq!(GradeColumns::from_bytes(bad_basis).expect_err("bad basis"), "3 is not a basis");
    }
}
