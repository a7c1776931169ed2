//! How the sled store lays records and bookkeeping values out as bytes.
//!
//! - Data trees are named `g{generation}/{table}`: `g3/grades`.
//! - Their keys are `u32` big-endian chunk numbers, 0, 1, 2…, so sled's
//!   byte order is insertion order.
//! - Format 3: each value is a chunk of at most [`CHUNK_BYTES`] bytes. In
//!   `grades` the chunks, joined, are the grade columns
//!   ([`crate::dataset::columns`]: every string once, each row a few
//!   fixed-width numbers); there is always at least one. In the other
//!   tables a chunk is a run of records: a `u32` little-endian count, then
//!   that many postcard-encoded records, with no bytes left over.
//! - Formats 1 and 2 (read only to migrate them): one key per record,
//!   each value one postcard-encoded record.
//! - Numbers in the `meta` tree are big-endian.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;

/// The tables of [`crate::catalog::model::Tables`], one data tree each per
/// generation. A generation is complete only with all of them.
/// `fire` (format 6) holds the fire tables as one run of
/// [`crate::catalog::model::FireRecord`]s.
pub(crate) const TABLES: [&str; 9] =
    ["forces", "programmes", "themes", "areas", "grades", "counts", "history", "monitoring", "fire"];

/// The name of `table`'s tree in `generation`: `g3/grades`.
pub(crate) fn tree_name(generation: u64, table: &str) -> String {
    format!("g{generation}/{table}")
}

/// The generation a data tree belongs to, read from its name; `None` for a
/// tree that is not a data tree (`meta`, sled's default tree).
pub(crate) fn generation_of(tree_name: &[u8]) -> Option<u64> {
    let rest = tree_name.strip_prefix(b"g")?;
    let slash = rest.iter().position(|&b| b == b'/')?;
    let digits = &rest[..slash];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Most bytes in one stored value: a million grades take a few hundred
/// keys. Small enough for sled to keep in its log: a page over a quarter
/// of a segment (128 KiB) goes to a file of its own, and a store of 1 MiB
/// values in such files took seven times longer to open (sled reads them
/// all when it opens).
pub(crate) const CHUNK_BYTES: usize = 48 << 10;

/// The key of chunk `seq` of its table (format 1: of record `seq`).
pub(crate) fn seq_key(seq: u32) -> [u8; 4] {
    seq.to_be_bytes()
}

/// The position a key stands for; `None` if it is not four bytes long.
pub(crate) fn seq_of(key: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(key.try_into().ok()?))
}

/// A `u32` bookkeeping value as stored.
pub(crate) fn encode_u32(n: u32) -> [u8; 4] {
    n.to_be_bytes()
}

/// Reads a stored `u32`; `None` if it is not four bytes long.
pub(crate) fn decode_u32(bytes: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.try_into().ok()?))
}

/// A `u64` bookkeeping value as stored.
pub(crate) fn encode_u64(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

/// Reads a stored `u64`; `None` if it is not eight bytes long.
pub(crate) fn decode_u64(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.try_into().ok()?))
}

/// The stored form of a record.
pub(crate) fn encode_record<T: Serialize>(record: &T) -> Result<Vec<u8>, postcard::Error> {
    postcard::to_stdvec(record)
}

/// Records as chunks of at most about [`CHUNK_BYTES`] bytes (a single
/// record bigger than that gets a chunk of its own).
pub(crate) fn encode_chunks<T: Serialize>(records: &[T]) -> Result<Vec<Vec<u8>>, postcard::Error> {
    let mut chunks = Vec::new();
    let mut chunk = vec![0u8; 4];
    let mut count = 0u32;
    for record in records {
        let bytes = encode_record(record)?;
        if count > 0 && chunk.len() + bytes.len() > CHUNK_BYTES {
            chunk[..4].copy_from_slice(&count.to_le_bytes());
            chunks.push(std::mem::replace(&mut chunk, vec![0u8; 4]));
            count = 0;
        }
        chunk.extend_from_slice(&bytes);
        count += 1;
    }
    if count > 0 {
        chunk[..4].copy_from_slice(&count.to_le_bytes());
        chunks.push(chunk);
    }
    Ok(chunks)
}

/// Reads a chunk of records back, appending them to `out`.
pub(crate) fn decode_chunk<T: DeserializeOwned>(bytes: &[u8], out: &mut Vec<T>) -> Result<(), DecodeError> {
    let Some((count, mut rest)) = bytes.split_first_chunk::<4>() else {
        return Err(DecodeError::Short);
    };
    let count = u32::from_le_bytes(*count);
    if count == 0 {
        return Err(DecodeError::Empty);
    }
    for _ in 0..count {
        let (record, after) = postcard::take_from_bytes(rest).map_err(DecodeError::Postcard)?;
        out.push(record);
        rest = after;
    }
    if rest.is_empty() { Ok(()) } else { Err(DecodeError::TrailingBytes(rest.len())) }
}

/// Why a stored value did not decode.
#[derive(Debug)]
pub(crate) enum DecodeError {
    /// postcard rejected the bytes.
    Postcard(postcard::Error),
    /// A record decoded but this many bytes were left after it.
    TrailingBytes(usize),
    /// A chunk too short to hold its record count.
    Short,
    /// A chunk that says it holds no records.
    Empty,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Postcard(e) => write!(f, "{e}"),
            DecodeError::TrailingBytes(n) => write!(f, "{n} unexpected bytes after the record"),
            DecodeError::Short => f.write_str("it is too short to be a chunk of records"),
            DecodeError::Empty => f.write_str("it is a chunk of no records"),
        }
    }
}

/// Reads a record back from its stored form, which it must use up exactly.
pub(crate) fn decode_record<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    match postcard::take_from_bytes(bytes) {
        Ok((record, [])) => Ok(record),
        Ok((_, rest)) => Err(DecodeError::TrailingBytes(rest.len())),
        Err(e) => Err(DecodeError::Postcard(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::model::GradeRecord;
    use crate::store::tests::sample_tables;

    #[test]
    fn tree_names_round_trip() {
        assert_eq!(tree_name(3, "grades"), "g3/grades");
        assert_eq!(generation_of(b"g3/grades"), Some(3));
        assert_eq!(generation_of(b"g18446744073709551615/x"), Some(u64::MAX));
        for name in [&b"meta"[..], b"__sled__default", b"g/grades", b"gx/grades", b"g3", b"g+3/a"] {
            assert_eq!(generation_of(name), None, "{}", String::from_utf8_lossy(name));
        }
    }

    #[test]
    fn keys_sort_in_insertion_order() {
        let keys: Vec<[u8; 4]> = [0, 1, 255, 256, 70_000, u32::MAX].map(seq_key).to_vec();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(seq_of(&seq_key(70_000)), Some(70_000));
        assert_eq!(seq_of(b"abc"), None);
    }

    #[test]
    fn numbers_round_trip_big_endian() {
        assert_eq!(encode_u32(1), [0, 0, 0, 1]);
        assert_eq!(decode_u32(&encode_u32(7)), Some(7));
        assert_eq!(decode_u32(&[1, 2]), None);
        assert_eq!(decode_u64(&encode_u64(u64::MAX - 1)), Some(u64::MAX - 1));
        assert_eq!(decode_u64(&encode_u32(1)), None);
    }

    #[test]
    fn records_round_trip_and_bad_bytes_are_rejected() {
        for record in sample_tables().grades {
            let bytes = encode_record(&record).expect("encode");
            assert_eq!(decode_record::<GradeRecord>(&bytes).expect("decode"), record);
            let mut longer = bytes.clone();
            longer.push(0);
            assert!(matches!(decode_record::<GradeRecord>(&longer), Err(DecodeError::TrailingBytes(1))));
            assert!(decode_record::<GradeRecord>(&bytes[..bytes.len() - 1]).is_err());
        }
        assert!(decode_record::<GradeRecord>(&[0xff, 0xff, 0xff]).is_err());
    }

    #[test]
    fn chunks_round_trip_and_stay_small() {
        let many = crate::store::tests::many_grades(30_000).grades;
        let chunks = encode_chunks(&many).expect("encode");
        assert!(chunks.len() > 1);
        assert!(chunks.iter().all(|c| c.len() <= CHUNK_BYTES));
        let mut back: Vec<GradeRecord> = Vec::new();
        for c in &chunks {
            decode_chunk(c, &mut back).expect("decode");
        }
        assert_eq!(back, many);
        assert!(encode_chunks::<GradeRecord>(&[]).expect("none").is_empty());
    }

    #[test]
    fn bad_chunks_are_rejected() {
        let chunk = encode_chunks(&sample_tables().grades).expect("encode").remove(0);
        let mut out: Vec<GradeRecord> = Vec::new();
        assert!(matches!(decode_chunk(&chunk[..2], &mut out), Err(DecodeError::Short)));
        assert!(matches!(decode_chunk(&[0, 0, 0, 0], &mut out), Err(DecodeError::Empty)));
        let mut longer = chunk.clone();
        longer.push(0);
        assert!(matches!(decode_chunk(&longer, &mut out), Err(DecodeError::TrailingBytes(1))));
        assert!(decode_chunk(&chunk[..chunk.len() - 1], &mut out).is_err());
    }
}
