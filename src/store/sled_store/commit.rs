//! The sled store's side of the snapshot ([`crate::store::snapshot`]):
//! the current generation's data set, checked against sled and rebuilt
//! when stale, and a replace that writes it.

use super::{Origin, SledStore, plain_io};
use crate::catalog::model::Tables;
use crate::dataset::Dataset;
use crate::dataset::columns::GradeColumns;
use crate::dataset::image::Image;
use crate::dataset::streamed;
use crate::dataset::texts_hash::PieceHash;
use crate::error::{Error, Result};
use crate::store::codec;
use crate::store::{code, snapshot};
use std::cell::RefCell;
use std::io::Write;
use std::sync::PoisonError;

impl SledStore {
    /// The current generation's data set, from the snapshot when it is the
    /// current generation's, else built from sled and written as the
    /// snapshot (a missing or stale snapshot is never trusted).
    pub fn snapshot_dataset(&self) -> Result<Dataset> {
        let _alone = self.gate.write().unwrap_or_else(PoisonError::into_inner);
        let generation = self.expect_current()?.generation;
        if snapshot::generation(&self.path, snapshot::PENDING) == Some(generation) {
            // a writer died after its switch, before moving this into place
            snapshot::commit_pending(&self.path).map_err(|e| self.snapshot_error(&plain_io(&e)))?;
        }
        let _ = snapshot::remove_pending(&self.path);
        if snapshot::generation(&self.path, snapshot::FILE) == Some(generation) {
            if let Ok(ds) = snapshot::open(&self.path) {
                return Ok(ds);
            }
        }
        let (rest, grades) = self.load_parts_at(generation)?;
        let ds = Dataset::from_columns_at(&rest, grades, generation)?;
        let bytes = ds.image_bytes(generation).map_err(|e| self.snapshot_error(&e))?;
        let written =
            snapshot::write_pending(&self.path, &bytes).and_then(|()| snapshot::commit_pending(&self.path));
        if let Err(e) = written {
            let _ = snapshot::remove_pending(&self.path);
            return Err(self.snapshot_error(&plain_io(&e)));
        }
        Ok(ds)
    }

    /// Writes the snapshot of the current data if it makes a data set, and
    /// removes any other.
    pub(super) fn sync_snapshot(&self) -> Result<()> {
        match self.snapshot_dataset() {
            Ok(_) => Ok(()),
            Err(e) if e.code_str() == code::CORRUPT || e.code_str() == code::WRITE => Err(e),
            Err(_) => snapshot::remove(&self.path).map_err(|e| self.snapshot_error(&plain_io(&e))),
        }
    }

    /// The current generation.
    pub fn generation(&self) -> Result<u64> {
        let _shared = self.gate.read().unwrap_or_else(PoisonError::into_inner);
        Ok(self.expect_current()?.generation)
    }

    /// Replaces the content with an import's `staged` data set, marking
    /// the data [`Origin::Modified`], without holding any of it whole in
    /// memory: its image is written as the pending snapshot a piece at a
    /// time from the records, which are then freed, and the grade columns
    /// are read back from that file into sled's new trees (checked against
    /// the image's hash of them). The same commit as
    /// [`SledStore::replace_dataset`] otherwise, with the pending snapshot
    /// written before the trees rather than after: until the switch it
    /// names a generation sled never made current, which readers drop.
    pub(crate) fn replace_staged(
        &self,
        staged: &mut streamed::Staged,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<()> {
        let _alone = self.gate.write().unwrap_or_else(PoisonError::into_inner);
        self.check_not_broken()?;
        let old = self.current()?.map(|c| c.generation);
        let new = old.map_or(1, |g| g + 1);
        let data = staged.image_len() as u64;
        super::space::ensure(&self.path, super::space::write_bytes(data), code::WRITE, "write")?;
        self.remove_marker()?;
        super::folder::write(&self.path, super::folder::Marker { imported: true })?;
        self.drop_generation(new)?;
        let staged_image = snapshot::write_pending_with(&self.path, &mut |f| {
            staged.write_image(f, new).map_err(|e| plain_io(&e))
        });
        if let Err(e) = staged_image {
            let _ = snapshot::remove_pending(&self.path);
            return Err(self.snapshot_error(&e));
        }
        staged.release_records();
        let (offset, len, hash) = staged.columns_in_image();
        let pending = std::fs::File::open(self.path.join(snapshot::PENDING))
            .map_err(|e| self.snapshot_error(&plain_io(&e)));
        let written = pending.and_then(|file| {
            let check = RefCell::new((PieceHash::new(len), None));
            let grades = GradeBytes::File { file: &file, offset, len, rows: staged.rows(), check: &check };
            self.write_trees(new, &staged.rest, grades, progress)?;
            let (h, failed) = check.into_inner();
            match failed {
                Some(e) => Err(self.snapshot_error(&e)),
                None if Image::fold_hash(h.finish()) != hash => Err(self.snapshot_error(
                    "the grade columns read back from the pending snapshot do not match their hash",
                )),
                None => Ok(()),
            }
        });
        if let Err(e) = written {
            let _ = snapshot::remove_pending(&self.path);
            return Err(e);
        }
        self.flush()?;
        self.switch(new, Origin::Modified, None)?;
        // the data is committed; a snapshot that fails to move into place
        // is rebuilt by the next reader that finds it pending
        let _ = snapshot::commit_pending(&self.path);
        if let Some(old) = old {
            let _ = self.drop_generation(old);
        }
        Ok(())
    }

    /// Replaces the content with `dataset`'s records and writes its image
    /// as the snapshot, marking the data [`Origin::Modified`].
    pub fn replace_dataset(&self, dataset: &Dataset, progress: &mut dyn FnMut(usize, usize)) -> Result<()> {
        // the grades as the image holds them: no second copy of them
        let (rest, grades, rows) = dataset.compact_parts();
        let grades = GradeBytes::Bytes { bytes: &grades, rows };
        self.write_staged(&rest, grades, Some(Staged::Of(dataset)), Origin::Modified, None, progress)
    }

    pub(super) fn snapshot_error(&self, why: &str) -> Error {
        Error::store(
            code::WRITE,
            format!("cannot write the snapshot of the store at {}: {why}", self.path.display()),
        )
    }

    /// Writes the records `rest` (its grades ignored) and `grades` as the
    /// next generation and makes it current, with the snapshot of
    /// `dataset` (their data set), or else of the data set they make;
    /// when they make none, without a snapshot (readers then open sled).
    pub(super) fn write_parts(
        &self,
        rest: &Tables,
        grades: &GradeColumns,
        dataset: Option<&Dataset>,
        origin: Origin,
        fingerprint: Option<&str>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<()> {
        let image = match dataset {
            Some(ds) => Some(Staged::Of(ds)),
            None => Dataset::from_columns_at(rest, grades.clone(), 0)
                .ok()
                .map(|ds| ds.image_bytes(0))
                .transpose()
                .map_err(|e| self.snapshot_error(&e))?
                .map(Staged::Bytes),
        };
        let grades = GradeBytes::Bytes { bytes: grades.bytes(), rows: grades.len() };
        self.write_staged(rest, grades, image, origin, fingerprint, progress)
    }

    /// [`SledStore::write_parts`] with the grade columns as bytes and the
    /// snapshot to stage, if any.
    fn write_staged(
        &self,
        rest: &Tables,
        grades: GradeBytes<'_>,
        image: Option<Staged<'_>>,
        origin: Origin,
        fingerprint: Option<&str>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<()> {
        // The guarded value is `()`: a panic elsewhere cannot have left it
        // inconsistent, and half-written trees are dropped below.
        let _alone = self.gate.write().unwrap_or_else(PoisonError::into_inner);
        self.check_not_broken()?;
        let old = self.current()?.map(|c| c.generation);
        let new = old.map_or(1, |g| g + 1);
        // Before anything changes: a write that cannot fit leaves the store
        // byte for byte as it was.
        let data = match &image {
            Some(Staged::Of(ds)) => ds.image_in_memory().map_or(grades.len(), <[u8]>::len),
            Some(Staged::Bytes(b)) => b.len(),
            None => grades.len(),
        };
        super::space::ensure(&self.path, super::space::write_bytes(data as u64), code::WRITE, "write")?;
        // Readers that trust the marker must never see it over other data.
        self.remove_marker()?;
        if origin == Origin::Modified {
            // before the data: from now on the store is never re-seeded
            super::folder::write(&self.path, super::folder::Marker { imported: true })?;
        }
        // Trees of `new` can exist only if an earlier attempt failed.
        self.drop_generation(new)?;
        // On failure the half-written trees of `new` stay until the next
        // open drops them: dropping them now makes sled flush, which on a
        // full disk waits forever.
        self.write_trees(new, rest, grades, progress)?;
        self.flush()?;
        let staged = match &image {
            Some(Staged::Of(ds)) => snapshot::write_pending_with(&self.path, &mut |f| {
                match ds.image_in_memory() {
                    // written from where it is, not copied first
                    Some(bytes) => write_stamped(f, bytes, new),
                    None => write_stamped(f, &ds.image_bytes(new)?, new),
                }
            }),
            Some(Staged::Bytes(bytes)) => {
                snapshot::write_pending_with(&self.path, &mut |f| write_stamped(f, bytes, new))
            }
            None => snapshot::remove(&self.path).map_err(|e| plain_io(&e)),
        };
        if let Err(e) = staged {
            let _ = snapshot::remove_pending(&self.path);
            return Err(self.snapshot_error(&e));
        }
        self.switch(new, origin, fingerprint)?;
        if image.is_some() {
            // The data is committed; a snapshot that fails to move into
            // place is rebuilt by the next reader that finds it pending.
            let _ = snapshot::commit_pending(&self.path);
        }
        if let (Origin::Bundled, Some(fingerprint)) = (origin, fingerprint) {
            self.write_marker(fingerprint)?;
        }
        if let Some(old) = old {
            // The switch is done and durable, so the replace has succeeded;
            // trees that fail to drop now are dropped by the next open.
            let _ = self.drop_generation(old);
        }
        Ok(())
    }
}

/// Writes the image `bytes` stamped with `generation`.
fn write_stamped(out: &mut dyn Write, bytes: &[u8], generation: u64) -> std::result::Result<(), String> {
    let (head, rest) = crate::dataset::image::stamped_head(bytes, generation);
    out.write_all(&head).and_then(|()| out.write_all(rest)).map_err(|e| plain_io(&e))
}

/// The grade columns as a store writes them.
#[derive(Clone, Copy)]
pub(super) enum GradeBytes<'a> {
    /// Their encoded bytes and row count.
    Bytes { bytes: &'a [u8], rows: usize },
    /// The encoded columns at `offset` in `file` (a pending snapshot),
    /// `len` bytes of `rows` rows, read a chunk at a time; `check` hashes
    /// what is read and keeps the first read error.
    File {
        file: &'a std::fs::File,
        offset: u64,
        len: usize,
        rows: usize,
        check: &'a RefCell<(PieceHash, Option<String>)>,
    },
}

impl GradeBytes<'_> {
    /// Rows.
    pub(super) fn rows(&self) -> usize {
        match self {
            GradeBytes::Bytes { rows, .. } => *rows,
            GradeBytes::File { rows, .. } => *rows,
        }
    }

    /// Length of the encoding.
    pub(super) fn len(&self) -> usize {
        match self {
            GradeBytes::Bytes { bytes, .. } => bytes.len(),
            GradeBytes::File { len, .. } => *len,
        }
    }

    /// The encoding in chunks of [`codec::CHUNK_BYTES`], each copied as it
    /// is written: never all at once.
    pub(super) fn chunks(&self) -> Box<dyn ExactSizeIterator<Item = Vec<u8>> + '_> {
        match *self {
            GradeBytes::Bytes { bytes, .. } => Box::new(bytes.chunks(codec::CHUNK_BYTES).map(<[u8]>::to_vec)),
            GradeBytes::File { file, offset, len, check, .. } => {
                Box::new((0..len.div_ceil(codec::CHUNK_BYTES)).map(move |k| {
                    let (start, end) = (k * codec::CHUNK_BYTES, len.min((k + 1) * codec::CHUNK_BYTES));
                    let mut chunk = vec![0; end - start];
                    let mut check = check.borrow_mut();
                    match crate::dataset::image::read_at(file, &mut chunk, offset + start as u64) {
                        Ok(()) => check.0.update(&chunk),
                        Err(e) => {
                            check.1.get_or_insert_with(|| plain_io(&e));
                        }
                    }
                    chunk
                }))
            }
        }
    }
}

/// The snapshot a write stages.
enum Staged<'a> {
    /// The image of a data set, written from where it is.
    Of(&'a Dataset),
    /// An image's bytes (stamped with the generation as they are written).
    Bytes(Vec<u8>),
}
