//! The committed data set as a file beside sled, which readers open
//! without taking sled's lock: `snapshot.pqs` in the store's folder, the
//! data set's image ([`crate::dataset::image`]) stamped with the sled
//! generation it holds.
//!
//! sled stays the source of truth. A writer (holding sled's lock) commits
//! a generation in this order:
//!
//! 1. the new generation's trees, flushed;
//! 2. its snapshot as `snapshot.pqs.tmp`, synced (or, when the data does
//!    not make a data set, the old snapshot removed);
//! 3. the switch to the new generation in sled, flushed — the commit;
//! 4. `snapshot.pqs.tmp` renamed over `snapshot.pqs`, the folder synced.
//!
//! An import writes step 2 before step 1 (its image is streamed from the
//! checked records, which are then freed, and the new trees' grade columns
//! are read back from the pending file): until step 3 the pending snapshot
//! names a generation sled never made current, which readers drop.
//!
//! So a reader that finds no `snapshot.pqs.tmp` can trust `snapshot.pqs`:
//! it is the last committed data. One that finds it may be looking at a
//! writer between steps 2 and 4, or at one that died there: it tries to
//! take sled's lock, without waiting. If a writer holds it, `snapshot.pqs`
//! is the last committed data or the one before — either is an answer of
//! its time. If not, the writer is gone: the reader opens sled, compares
//! generations and rebuilds the snapshot when it is stale ([`super::SledStore::snapshot_dataset`]).
//! A missing or unreadable snapshot is rebuilt the same way; a section
//! damaged later is found by its hash when a query reads it.
//!
//! Store format 4 is the format whose writers keep this file; builds that
//! wrote format 3 never learn of it and are refused (`store::newer_format`).
//! A later layout of the file must remove this one before it changes sled.

use crate::dataset::Dataset;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The snapshot's file name.
pub const FILE: &str = "snapshot.pqs";

/// The file a commit writes before it renames it to [`FILE`].
pub const PENDING: &str = "snapshot.pqs.tmp";

/// What a reader finds.
pub(crate) enum Found {
    /// The last committed data set.
    Current(Dataset),
    /// A commit is under way or was interrupted: this is the last
    /// committed data set unless the writer died after its switch.
    Pending(Option<Dataset>),
    /// No snapshot (or one this build cannot read): sled must be opened.
    Missing,
}

/// Looks for the snapshot of the store at `dir`.
pub(crate) fn find(dir: &Path) -> Found {
    let pending = dir.join(PENDING).exists();
    let current = open(dir).ok();
    match (pending, current) {
        (true, ds) => Found::Pending(ds),
        (false, Some(ds)) => Found::Current(ds),
        (false, None) => Found::Missing,
    }
}

/// The data set in `dir`'s snapshot, read lazily from the file.
pub(crate) fn open(dir: &Path) -> Result<Dataset, String> {
    let ds = Dataset::open_image(&dir.join(FILE))?;
    if ds.fingerprint() != store_fingerprint() {
        return Err("it was written by a build with other record types".into());
    }
    Ok(ds)
}

/// The generation `dir`'s snapshot holds, if it has a readable one.
pub(crate) fn generation(dir: &Path, file: &str) -> Option<u64> {
    crate::dataset::image::Image::open(&dir.join(file)).ok().map(|i| i.generation)
}

/// What a store's snapshot says it was made from.
pub(crate) fn store_fingerprint() -> u64 {
    crate::dataset::image_fingerprint(0)
}

/// Step 2: writes `bytes` as the pending snapshot and syncs it.
pub(crate) fn write_pending(dir: &Path, bytes: &[u8]) -> io::Result<()> {
    let path = dir.join(PENDING);
    let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(&path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Step 2, for bytes written as they are made: `write` fills the pending
/// snapshot, which is then synced; says what went wrong.
pub(crate) fn write_pending_with(
    dir: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> Result<(), String>,
) -> Result<(), String> {
    let plain = |e: io::Error| crate::store::sled_store::plain_io(&e);
    let path = dir.join(PENDING);
    let f = OpenOptions::new().write(true).create(true).truncate(true).open(&path).map_err(plain)?;
    let mut out = io::BufWriter::new(f);
    write(&mut out)?;
    let f = out.into_inner().map_err(|e| plain(e.into_error()))?;
    f.sync_all().map_err(plain)
}

/// Step 4: the pending snapshot becomes the snapshot.
pub(crate) fn commit_pending(dir: &Path) -> io::Result<()> {
    fs::rename(dir.join(PENDING), dir.join(FILE))?;
    sync_dir(dir)
}

/// Removes the snapshot and any pending one (the data no longer makes a
/// data set, or a newer layout is written).
pub(crate) fn remove(dir: &Path) -> io::Result<()> {
    for name in [FILE, PENDING] {
        match fs::remove_file(dir.join(name)) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    sync_dir(dir)
}

/// Removes a pending snapshot left by a writer that died.
pub(crate) fn remove_pending(dir: &Path) -> io::Result<()> {
    match fs::remove_file(dir.join(PENDING)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Sets aside a snapshot a query found damaged, so the next open rebuilds
/// it from sled. Best effort: a reader that cannot remove it still gets
/// its error.
pub fn set_aside(path: &Path) {
    let _ = fs::remove_file(path);
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// The snapshot file of the store at `dir`.
pub fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// The last committed data set of the store at `path`, for a reader:
/// from the snapshot when it can be trusted, without sled's lock; else
/// from sled (waiting for its lock as [`super::SledStore::open`] does),
/// rebuilding the snapshot. A store of bundled data from another build
/// goes through sled, which refreshes it.
pub fn read_committed(path: &Path, bundle: &super::Bundle<'_>) -> crate::error::Result<Dataset> {
    use super::SledStore;
    // a store from before the marker goes through sled, which marks it
    let unmarked = super::sled_store::folder::check(path)? == super::sled_store::folder::Folder::Unmarked;
    let other_bundle = super::bundled_marker(path).is_some_and(|f| f != bundle.fingerprint);
    let found = if other_bundle || unmarked { Found::Missing } else { find(path) };
    match found {
        Found::Current(ds) => Ok(ds),
        Found::Pending(ds) => match SledStore::try_open(path, bundle) {
            // no writer: check the snapshot against sled, repair it if stale
            Ok(store) => store.snapshot_dataset(),
            // a writer at work: the last committed data (or the one before)
            Err(e) if e.code_str() == super::code::LOCKED => match ds {
                Some(ds) => Ok(ds),
                None => SledStore::open(path, bundle)?.snapshot_dataset(),
            },
            Err(e) => Err(e),
        },
        Found::Missing => SledStore::open(path, bundle)?.snapshot_dataset(),
    }
}
