//! Grade records in columns: every distinct string once, each row a few
//! small numbers. The form the store keeps grades in and the data set keeps
//! its records in, so a million grades open without a million rows of
//! strings; [`GradeColumns::to_records`] gives the records back exactly, in
//! their order.

use crate::catalog::model::{Basis, GradeRecord};
use crate::value::{Date, Grade};
use std::collections::HashMap;
use std::sync::Arc;

/// Grade records, column by column, in their original order.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct GradeColumns {
    /// Every distinct string of the string columns, once.
    pub strings: Vec<Arc<str>>,
    /// Force names as the records write them (index into `strings`).
    pub force: Vec<u32>,
    /// Programme names as written.
    pub programme: Vec<u32>,
    /// Area labels as written.
    pub area: Vec<u32>,
    /// Source pages.
    pub source_url: Vec<u32>,
    /// Publication dates.
    pub published: Vec<Option<Date>>,
    /// Grades.
    pub grade: Vec<Option<Grade>>,
    /// How each grade was established.
    pub basis: Vec<Basis>,
}

/// The first bytes of an encoded [`GradeColumns`].
const MAGIC: &[u8; 4] = b"PQG1";

impl GradeColumns {
    /// The records in columns.
    pub fn from_records<'r>(records: &'r [GradeRecord]) -> GradeColumns {
        let mut cols = GradeColumns {
            force: Vec::with_capacity(records.len()),
            programme: Vec::with_capacity(records.len()),
            area: Vec::with_capacity(records.len()),
            source_url: Vec::with_capacity(records.len()),
            published: Vec::with_capacity(records.len()),
            grade: Vec::with_capacity(records.len()),
            basis: Vec::with_capacity(records.len()),
            strings: Vec::new(),
        };
        let mut ids: HashMap<&'r str, u32> = HashMap::new();
        let mut strings: Vec<&'r str> = Vec::new();
        // consecutive records mostly repeat the force, programme and page:
        // remember the last string of each column before hashing
        let mut last: [(&'r str, u32); 4] = [("", u32::MAX); 4];
        let mut intern = |column: usize, s: &'r str| -> u32 {
            let (text, id) = last[column];
            if id != u32::MAX && text == s {
                return id;
            }
            let id = *ids.entry(s).or_insert_with(|| {
                strings.push(s);
                (strings.len() - 1) as u32
            });
            last[column] = (s, id);
            id
        };
        for r in records {
            cols.force.push(intern(0, &r.force));
            cols.programme.push(intern(1, &r.programme));
            cols.area.push(intern(2, &r.area));
            cols.source_url.push(intern(3, &r.source_url));
            cols.published.push(r.published);
            cols.grade.push(r.grade);
            cols.basis.push(r.basis);
        }
        cols.strings = strings.into_iter().map(Arc::from).collect();
        cols
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.force.len()
    }

    /// Record `i`.
    pub fn record(&self, i: usize) -> GradeRecord {
        let s = |id: u32| self.strings[id as usize].to_string();
        GradeRecord {
            force: s(self.force[i]),
            programme: s(self.programme[i]),
            published: self.published[i],
            area: s(self.area[i]),
            grade: self.grade[i],
            source_url: s(self.source_url[i]),
            basis: self.basis[i],
        }
    }

    /// Every record, in order.
    pub fn to_records(&self) -> Vec<GradeRecord> {
        (0..self.len()).map(|i| self.record(i)).collect()
    }

    /// The columns as bytes: a magic word, the strings, then each column
    /// as fixed-width little-endian numbers.
    pub fn encode(&self) -> Vec<u8> {
        let n = self.len();
        let text: usize = self.strings.iter().map(|s| s.len() + 4).sum();
        let mut out = Vec::with_capacity(16 + text + n * 23);
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, self.strings.len());
        for s in &self.strings {
            put_u32(&mut out, s.len());
            out.extend_from_slice(s.as_bytes());
        }
        put_u32(&mut out, n);
        for column in [&self.force, &self.programme, &self.area, &self.source_url] {
            for v in column {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        // dates: which parts are known (bit 0 the date, 1 month, 2 day), year, month, day
        for d in &self.published {
            let (tag, year, month, day) = match d {
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
        out.extend(self.grade.iter().map(|g| g.map_or(0, Grade::rank)));
        out.extend(self.basis.iter().map(|b| match b {
            Basis::Stated => 0u8,
            Basis::Elimination => 1,
            Basis::Inferred => 2,
        }));
        out
    }

    /// Reads [`GradeColumns::encode`]'s bytes back; says what is wrong
    /// when they do not make columns.
    pub fn decode(bytes: &[u8]) -> Result<GradeColumns, String> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(4)? != MAGIC {
            return Err("it does not start with the grade columns' magic word".into());
        }
        let count = r.u32()? as usize;
        let mut strings = Vec::with_capacity(count.min(bytes.len() / 4));
        for i in 0..count {
            let len = r.u32()? as usize;
            let text = std::str::from_utf8(r.take(len)?).map_err(|_| format!("string {i} is not UTF-8"))?;
            strings.push(Arc::from(text));
        }
        let n = r.u32()? as usize;
        let mut ids = |what: &str| -> Result<Vec<u32>, String> {
            let raw = r.take(n.checked_mul(4).ok_or("too many rows")?)?;
            let v: Vec<u32> =
                raw.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
            if v.iter().any(|&id| id as usize >= count) {
                return Err(format!("a {what} refers to a string that is not there"));
            }
            Ok(v)
        };
        let force = ids("force")?;
        let programme = ids("programme")?;
        let area = ids("area")?;
        let source_url = ids("source page")?;
        let raw = r.take(n.checked_mul(5).ok_or("too many rows")?)?;
        let mut published = Vec::with_capacity(n);
        for c in raw.chunks_exact(5) {
            let tag = c[0];
            if tag > 7 || (tag != 0 && tag & 1 == 0) {
                return Err(format!("a date has the unknown form {tag}"));
            }
            published.push((tag & 1 == 1).then(|| Date {
                year: u16::from_le_bytes([c[1], c[2]]),
                month: (tag & 2 != 0).then_some(c[3]),
                day: (tag & 4 != 0).then_some(c[4]),
            }));
        }
        let grade = r
            .take(n)?
            .iter()
            .map(|&g| match g {
                0 => Ok(None),
                rank => Grade::from_rank(rank).map(Some).ok_or_else(|| format!("{rank} is not a grade")),
            })
            .collect::<Result<Vec<_>, String>>()?;
        let basis = r
            .take(n)?
            .iter()
            .map(|&b| match b {
                0 => Ok(Basis::Stated),
                1 => Ok(Basis::Elimination),
                2 => Ok(Basis::Inferred),
                other => Err(format!("{other} is not a basis")),
            })
            .collect::<Result<Vec<_>, String>>()?;
        if r.at != bytes.len() {
            return Err(format!("{} unexpected bytes after the columns", bytes.len() - r.at));
        }
        Ok(GradeColumns { strings, force, programme, area, source_url, published, grade, basis })
    }
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
            let back = GradeColumns::decode(&cols.encode()).expect("decode");
            assert_eq!(back, cols);
            assert_eq!(back.to_records(), records);
        }
    }

    #[test]
    fn odd_dates_round_trip() {
        let mut records = sample_tables().grades;
        records[0].published = Some(Date { year: 0, month: None, day: None });
        records[1].published = Some(Date { year: 9999, month: Some(200), day: Some(0) });
        let cols = GradeColumns::from_records(&records);
        assert_eq!(GradeColumns::decode(&cols.encode()).expect("decode").to_records(), records);
    }

    #[test]
    fn damaged_bytes_are_refused() {
        let bytes = GradeColumns::from_records(&sample_tables().grades).encode();
        assert!(GradeColumns::decode(&bytes[..bytes.len() - 1]).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(GradeColumns::decode(&longer).is_err());
        assert!(GradeColumns::decode(b"nope").is_err());
        let mut bad_grade = bytes.clone();
        let at = bad_grade.len() - 7; // the last of the six grades, before six bases
        bad_grade[at] = 9;
        assert!(GradeColumns::decode(&bad_grade).is_err());
    }
}
