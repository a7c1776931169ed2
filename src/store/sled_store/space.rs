//! Free space on the store's disk, checked before sled is asked to write.
//!
//! On a full disk sled fails part-way and, worse, an *open* that fails
//! while recovering its log can leave the store unreadable for good. So
//! nothing is opened or written unless the disk has room for it: a write
//! that cannot fit is refused before a byte is written, and the store stays
//! exactly as it was.

use crate::error::{Error, Result};
use std::path::Path;

/// Free space an open needs: sled may start a new 512 KiB segment of its
/// log while recovering, and rewrite the last one.
pub(super) const OPEN_BYTES: u64 = 2 << 20;

/// Set (to anything) to skip the checks, so the fault suite can drive sled
/// into a full disk.
pub(super) const SKIP_ENV: &str = "PEELQL_FAULT_NO_SPACE_CHECK";

/// Free space a write of `image` bytes of data needs: the new generation's
/// trees, the snapshot, and sled's log around them.
pub(super) fn write_bytes(image: u64) -> u64 {
    image.saturating_mul(2).saturating_add(1 << 20)
}

/// Fails with `code` unless the disk holding
/// `dir` has at least `needed` bytes free. A disk whose free space cannot
/// be read passes: the write itself then reports what goes wrong.
pub(super) fn ensure(dir: &Path, needed: u64, code: &'static str, doing: &str) -> Result<()> {
    if std::env::var_os(SKIP_ENV).is_some() {
        return Ok(());
    }
    let Ok(free) = fs2::available_space(dir) else { return Ok(()) };
    if free >= needed {
        return Ok(());
    }
    Err(Error::store(
        code,
        format!(
            "cannot {doing} the store at {}: the disk is full ({} free, {} needed); nothing was written",
            dir.display(),
            size(free),
            size(needed)
        ),
    )
    .with_help("free some space on that disk and try again: the store still holds its last committed data"))
}

/// A byte count in the unit a person reads.
fn size(bytes: u64) -> String {
    const KIB: u64 = 1 << 10;
    const MIB: u64 = 1 << 20;
    if bytes >= 10 * MIB {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else {
        format!("{} KiB", bytes.div_ceil(KIB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::code;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(300), "1 KiB");
        assert_eq!(size(1536 * 1024), "1.5 MiB");
        assert_eq!(size(25 << 20), "25 MiB");
    }

    #[test]
    fn a_write_needs_room_for_its_data_twice() {
        assert_eq!(write_bytes(1 << 20), 3 << 20);
        assert_eq!(write_bytes(u64::MAX), u64::MAX);
    }

    #[test]
    fn a_disk_with_room_passes() {
        let dir = tempfile::tempdir().expect("temp dir");
        ensure(dir.path(), 1, code::WRITE, "write").expect("one byte fits");
    }

    #[test]
    fn a_disk_without_room_is_refused_with_both_figures() {
        if std::env::var_os(SKIP_ENV).is_some() {
            return;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let err = ensure(dir.path(), u64::MAX, code::WRITE, "write").expect_err("no disk is that big");
        assert_eq!(err.code_str(), code::WRITE);
        assert!(err.to_string().contains("MiB needed); nothing was written"), "{err}");
    }
}
