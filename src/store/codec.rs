//! How the sled store lays records and bookkeeping values out as bytes.
//!
//! - Data trees are named `g{generation}/{table}`: `g3/grades`.
//! - Their keys are `u32` big-endian sequence numbers, so sled's byte order
//!   is insertion order.
//! - Their values are postcard-encoded records; a value must decode with no
//!   bytes left over.
//! - Numbers in the `meta` tree are big-endian.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;

/// The tables of [`crate::catalog::model::Tables`], one data tree each per
/// generation. A generation is complete only with all of them.
pub(crate) const TABLES: [&str; 7] =
    ["forces", "programmes", "themes", "areas", "grades", "counts", "history"];

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

/// The key of the record at position `seq` of its table.
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

/// Why a stored value did not decode.
#[derive(Debug)]
pub(crate) enum DecodeError {
    /// postcard rejected the bytes.
    Postcard(postcard::Error),
    /// A record decoded but this many bytes were left after it.
    TrailingBytes(usize),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Postcard(e) => write!(f, "{e}"),
            DecodeError::TrailingBytes(n) => write!(f, "{n} unexpected bytes after the record"),
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
}
