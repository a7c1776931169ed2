//! Grade columns whose strings stay in the records they came from, and an
//! import's data set staged from them: its image is written straight to
//! a file and its grade columns to the store, a piece at a time, so a
//! large import never holds its strings twice (records and columns, or
//! records and image).
//!
//! The bytes written are exactly those of [`GradeColumns::from_records`]
//! and of the image [`super::build::image`] makes in memory.

use super::build::{self, Stop, Writer};
use super::columns::{self, GradeColumns};
use crate::catalog::model::{Basis, GradeRecord, Tables};
use crate::error::Error;
use crate::value::Date;
use std::io::Write;

/// What the image builder reads of grade columns: their values, and their
/// encoded bytes a range at a time.
pub(crate) trait ColumnSource {
    /// Rows.
    fn rows(&self) -> usize;
    /// Distinct strings.
    fn string_count(&self) -> usize;
    /// Distinct string `id`.
    fn string(&self, id: u32) -> &str;
    /// The values of string column `column` (0 force, 1 programme, 2 area,
    /// 3 source page).
    fn ids(&self, column: usize) -> Box<dyn Iterator<Item = u32> + '_>;
    /// The grades as ranks, 0 for none.
    fn ranks(&self) -> &[u8];
    /// Row `i`'s publication date.
    fn published(&self, i: usize) -> Option<Date>;
    /// Row `i`'s basis.
    fn basis(&self, i: usize) -> Basis;
    /// Row `i`'s source page (a string id).
    fn source_url(&self, i: usize) -> u32;
    /// Length of the encoded columns.
    fn encoded_len(&self) -> usize;
    /// Where strings `lo..hi` are in the encoding.
    fn string_bytes(&self, lo: usize, hi: usize) -> (usize, usize);
    /// The encoding's bytes `start..end`, in pieces, in order.
    fn pieces(&self, start: usize, end: usize, f: &mut dyn FnMut(&[u8]));
}

impl ColumnSource for GradeColumns {
    fn rows(&self) -> usize {
        self.len()
    }
    fn string_count(&self) -> usize {
        GradeColumns::string_count(self)
    }
    fn string(&self, id: u32) -> &str {
        GradeColumns::string(self, id)
    }
    fn ids(&self, column: usize) -> Box<dyn Iterator<Item = u32> + '_> {
        Box::new(GradeColumns::ids(self, column))
    }
    fn ranks(&self) -> &[u8] {
        GradeColumns::ranks(self)
    }
    fn published(&self, i: usize) -> Option<Date> {
        GradeColumns::published(self, i)
    }
    fn basis(&self, i: usize) -> Basis {
        GradeColumns::basis(self, i)
    }
    fn source_url(&self, i: usize) -> u32 {
        GradeColumns::source_url(self, i)
    }
    fn encoded_len(&self) -> usize {
        self.bytes().len()
    }
    fn string_bytes(&self, lo: usize, hi: usize) -> (usize, usize) {
        GradeColumns::string_bytes(self, lo, hi)
    }
    fn pieces(&self, start: usize, end: usize, f: &mut dyn FnMut(&[u8])) {
        f(&self.bytes()[start..end]);
    }
}

/// Grade columns over records: the strings are the records' own, the
/// fixed-width columns made beside them.
pub(crate) struct RecordColumns {
    records: Vec<GradeRecord>,
    /// Where each distinct string is: (record, string column).
    strings: Vec<(u32, u8)>,
    /// Where each string's length starts in the encoding.
    starts: Vec<usize>,
    /// The row count and fixed-width columns (the encoding's tail).
    fixed: GradeColumns,
    /// Where the tail starts in the encoding.
    tail: usize,
}

impl RecordColumns {
    /// The columns of `records`, keeping them.
    pub(crate) fn new(records: Vec<GradeRecord>) -> RecordColumns {
        let (strings, ids) = columns::intern(&records);
        let mut starts = Vec::with_capacity(strings.len());
        let mut at = 8;
        for &p in &strings {
            starts.push(at);
            at += 4 + columns::field(&records, p).len();
        }
        let fixed = GradeColumns::fixed_only(&records, &ids);
        RecordColumns { records, strings, starts, fixed, tail: at }
    }

    fn text(&self, i: usize) -> &str {
        columns::field(&self.records, self.strings[i])
    }
}

impl ColumnSource for RecordColumns {
    fn rows(&self) -> usize {
        self.fixed.len()
    }
    fn string_count(&self) -> usize {
        self.strings.len()
    }
    fn string(&self, id: u32) -> &str {
        self.text(id as usize)
    }
    fn ids(&self, column: usize) -> Box<dyn Iterator<Item = u32> + '_> {
        Box::new(self.fixed.ids(column))
    }
    fn ranks(&self) -> &[u8] {
        self.fixed.ranks()
    }
    fn published(&self, i: usize) -> Option<Date> {
        self.fixed.published(i)
    }
    fn basis(&self, i: usize) -> Basis {
        self.fixed.basis(i)
    }
    fn source_url(&self, i: usize) -> u32 {
        self.fixed.source_url(i)
    }
    fn encoded_len(&self) -> usize {
        self.tail + self.fixed.bytes().len()
    }
    fn string_bytes(&self, lo: usize, hi: usize) -> (usize, usize) {
        if lo >= hi {
            return (0, 0);
        }
        (self.starts[lo], self.starts[hi - 1] + 4 + self.text(hi - 1).len())
    }
    fn pieces(&self, start: usize, end: usize, f: &mut dyn FnMut(&[u8])) {
        // the part of `bytes`, found at `at` in the encoding, within the range
        let mut emit = |at: usize, bytes: &[u8]| {
            let (lo, hi) = (start.max(at), end.min(at + bytes.len()));
            if lo < hi {
                f(&bytes[lo - at..hi - at]);
            }
        };
        let mut head = [0u8; 8];
        head[..4].copy_from_slice(columns::MAGIC);
        head[4..].copy_from_slice(&(self.strings.len() as u32).to_le_bytes());
        emit(0, &head);
        let first = self.starts.partition_point(|&s| s <= start).saturating_sub(1);
        for (i, &at) in self.starts.iter().enumerate().skip(first) {
            if at >= end {
                break;
            }
            let s = self.text(i);
            emit(at, &(s.len() as u32).to_le_bytes());
            emit(at + 4, s.as_bytes());
        }
        emit(self.tail, self.fixed.bytes());
    }
}

/// An import's new data set, checked and laid out but not yet written:
/// the records, their columns and the image's other sections.
pub(crate) struct Staged {
    /// Every table but the grades.
    pub rest: Tables,
    /// The grades.
    pub columns: RecordColumns,
    writer: Writer,
}

impl Staged {
    /// Checks the data set of `rest` and `grades` as
    /// [`super::Dataset::build`] does, and lays it out.
    pub(crate) fn new(rest: Tables, grades: Vec<GradeRecord>) -> Result<Staged, Error> {
        super::check_tables(&rest)?;
        let columns = RecordColumns::new(grades);
        match build::sections(&rest, &columns) {
            Ok(writer) => Ok(Staged { rest, columns, writer }),
            Err(Stop::Failed(e)) => Err(e),
            Err(Stop::Problems) => Err(super::report_problems(&Tables { grades: columns.records, ..rest })),
        }
    }

    /// Length of the image.
    pub(crate) fn image_len(&self) -> usize {
        self.writer.image_len(self.columns.encoded_len())
    }

    /// Writes the image, marked as made from the store's `generation`
    /// (only before [`Staged::release_records`]).
    pub(crate) fn write_image(&self, out: &mut dyn Write, generation: u64) -> std::io::Result<()> {
        self.writer.stream(&self.columns, out, generation, super::image_fingerprint(0))
    }

    /// Where the grade columns are in the image: offset, length and the
    /// hash of their section.
    pub(crate) fn columns_in_image(&self) -> (u64, usize, u32) {
        let entries = self.writer.entries(self.columns.encoded_len());
        let (offset, _, hash) = entries[super::parts::GRADE_COLUMNS];
        (offset, self.columns.encoded_len(), hash)
    }

    /// Grade rows.
    pub(crate) fn rows(&self) -> usize {
        self.columns.rows()
    }

    /// Frees the records once the image is written: from then on the
    /// grade columns are read back from the image's file, and the records'
    /// memory serves the store's write.
    pub(crate) fn release_records(&mut self) {
        self.columns.records = Vec::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::{many_grades, sample_tables};

    #[test]
    fn record_columns_encode_as_grade_columns_do() {
        for records in [sample_tables().grades, many_grades(700).grades, Vec::new()] {
            let owned = GradeColumns::from_records(&records);
            let view = RecordColumns::new(records.clone());
            assert_eq!(view.encoded_len(), owned.bytes().len());
            let len = owned.bytes().len();
            // every range, in pieces, is the same bytes
            for (start, end) in [(0, len), (0, 3), (5, 11), (len / 3, len / 2), (len.saturating_sub(7), len)]
            {
                let mut got = Vec::new();
                view.pieces(start, end, &mut |p| got.extend_from_slice(p));
                assert_eq!(got, owned.bytes()[start..end], "{start}..{end}");
            }
            let n = view.string_count();
            assert_eq!(n, owned.string_count());
            for (lo, hi) in [(0, n), (0, n.min(1)), (n / 2, n)] {
                assert_eq!(view.string_bytes(lo, hi), owned.string_bytes(lo, hi));
            }
        }
    }

    #[test]
    fn a_staged_image_is_the_image_made_in_memory() {
        let tables = crate::catalog::files::DataFiles::bundled().to_tables().expect("bundled");
        let rest = Tables { grades: Vec::new(), ..tables.clone() };
        let staged = Staged::new(rest.clone(), tables.grades.clone()).expect("staged");
        let mut streamed = Vec::new();
        staged.write_image(&mut streamed, 7).expect("write");
        assert_eq!(streamed.len(), staged.image_len());
        let columns = GradeColumns::from_records(&tables.grades);
        let mut made = build::image(&rest, columns, 7, super::super::image_fingerprint(0))
            .unwrap_or_else(|_| panic!("image"));
        super::super::image::restamp(&mut made, 7);
        assert!(streamed == made, "the streamed image differs from the one made in memory");
    }
}
