//! The on-disk store: a sled database in one folder.
//!
//! # Layout
//!
//! The `meta` tree holds the bookkeeping:
//!
//! | key              | value                                              |
//! |------------------|----------------------------------------------------|
//! | `format_version` | `u32` big-endian; this build writes [`FORMAT_VERSION`] |
//! | `generation`     | `u64` big-endian: which generation of data trees is current |
//! | `bundle`         | fingerprint of the bundled data the store was last filled from |
//! | `origin`         | `bundled` or `modified` (see [`Origin`])            |
//!
//! The records of generation `n` live in one tree per table, `g{n}/forces`
//! … `g{n}/counts`, `g{n}/history`, `g{n}/monitoring`, `g{n}/fire` (layout in [`super::codec`]).
//!
//! # Formats
//!
//! - 1: six tables, `forces` … `counts`, one key per record.
//! - 2: adds `history` (grades replaced by imports). A format-1 store is
//!   migrated when opened: its current generation gets an empty `history`
//!   tree, then `format_version` becomes 2.
//! - 3: values are chunks of up to 48 KiB: runs of records, and the grades
//!   as columns (every string once). One key per record made a million
//!   grades a million keys, which took seconds to write and to read back; in
//!   chunks they are a few hundred keys, read back in tens of milliseconds
//!   and opened straight into a data set ([`Store::load_dataset`]). A
//!   format-2 store is migrated when opened: its current data is written
//!   again as a new generation in chunks, and one atomic write switches to
//!   it and records format 3.
//!
//! - 4: a snapshot of the committed data set is kept beside sled
//!   ([`super::snapshot`]), written at every commit; readers open it
//!   without sled's lock. Nothing in sled changes: a format-3 store is
//!   migrated by writing its snapshot. Builds that wrote format 3 do not
//!   keep the snapshot, so they must refuse the store (as they do any
//!   newer format).
//!
//! - 5: adds `monitoring` (moves into and out of Engage). A format-4
//!   store is migrated when opened: its snapshot is removed (its layout
//!   has no moves), its current generation gets a `monitoring` tree
//!   holding the bundled moves of the forces it knows — imported data
//!   stays as it is — and the snapshot is written again.
//!
//! - 6: adds `fire` (the fire and rescue services, their programmes,
//!   themes, areas and grades, mergers and commissioner pairs: one run of
//!   `FireRecord`s). A format-5 store is migrated when opened: its
//!   snapshot is removed (its layout has no fire tables), its current
//!   generation gets a `fire` tree holding the bundled fire tables —
//!   imported police data stays as it is — and the snapshot is written
//!   again.
//!
//! Migrations run step by step, `n` to `n + 1` (`MIGRATIONS` in `migrate.rs`), each
//! storing its new version when done, so an interrupted migration resumes
//! from the last finished step and a new format is one more step.
//!
//! # Replacing all or nothing
//!
//! A replace writes the next generation's trees completely, in batches of at
//! most [`BATCH_KEYS`] keys (sled's memory grows badly with giant batches),
//! flushes, and only then switches `generation` (with `origin` and `bundle`)
//! in one atomic batch on the `meta` tree, flushes again, and drops the old
//! generation's trees. A crash before the switch leaves the old generation
//! current; a crash after it leaves the new one. Trees of any other
//! generation are leftovers and are dropped when the store is next opened.
//!
//! # Locking
//!
//! sled allows one open handle per folder. Opening waits up to a second for
//! the lock (another peelql may be about to exit) and then gives up with
//! [`code::LOCKED`].

use super::Store;
use super::code;
use super::codec::{self, TABLES};
use crate::catalog::model::{FireTables, Tables};
use crate::dataset::Dataset;
use crate::dataset::columns::GradeColumns;
use crate::error::{Error, Result};
use folder::Folder;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// The store format this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 6;

/// Most keys written in one sled batch. One batch of a million keys peaked at
/// 4.7 GB; batches this small stay cheap.
pub(crate) const BATCH_KEYS: usize = 1000;

/// Most value bytes written in one sled batch.
pub(crate) const BATCH_BYTES: usize = 8 << 20;

/// How long [`SledStore::open`] waits for another handle to let go.
const LOCK_WAIT: Duration = Duration::from_secs(1);

/// Longest wait for sled to make writes durable (a flush, a close) before
/// the write fails as if the disk were full.
const FLUSH_WAIT: Duration = Duration::from_secs(20);

/// Pause between attempts to take the lock.
const LOCK_RETRY: Duration = Duration::from_millis(50);

/// The tree holding the bookkeeping.
pub(crate) const META_TREE: &str = "meta";

/// Keys of the `meta` tree.
pub(crate) mod meta_key {
    /// `u32` big-endian format version.
    pub(crate) const FORMAT_VERSION: &[u8] = b"format_version";
    /// `u64` big-endian current generation.
    pub(crate) const GENERATION: &[u8] = b"generation";
    /// Fingerprint of the bundle the data came from.
    pub(crate) const BUNDLE: &[u8] = b"bundle";
    /// [`super::Origin`] of the current data.
    pub(crate) const ORIGIN: &[u8] = b"origin";
}

/// The data compiled into the binary, which fills a new store.
///
/// `tables` is called only when the store needs the data: on first open, or
/// when the store holds bundled data with another `fingerprint`. Parsing the
/// bundled CSV files is thus skipped on every ordinary start.
///
/// ```no_run
/// use peelql::catalog::model::Tables;
/// use peelql::store::{Bundle, SledStore, Store};
///
/// # fn parse_bundled_csv() -> peelql::error::Result<Tables> { Ok(Tables::default()) }
/// let build = || parse_bundled_csv();
/// let bundle = Bundle { fingerprint: "5f3a9c0e1b2d4f67", tables: &build };
/// let store = SledStore::open("/home/me/.local/share/peelql/store".as_ref(), &bundle)?;
/// let tables = store.load()?;
/// # Ok::<(), peelql::error::Error>(())
/// ```
pub struct Bundle<'a> {
    /// Changes whenever the bundled data changes (a hash of the files, or the
    /// crate version plus a data revision).
    pub fingerprint: &'a str,
    /// Builds the bundled tables.
    pub tables: &'a dyn Fn() -> Result<Tables>,
}

impl fmt::Debug for Bundle<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bundle").field("fingerprint", &self.fingerprint).finish_non_exhaustive()
    }
}

/// Where the current data of a [`SledStore`] came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Copied from the bundle; replaced when the binary ships other data.
    Bundled,
    /// Written by [`Store::replace`] (an import); never replaced by the bundle.
    Modified,
}

impl Origin {
    /// The stored word: `bundled` or `modified`.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Bundled => "bundled",
            Origin::Modified => "modified",
        }
    }

    fn parse(bytes: &[u8]) -> Option<Origin> {
        match bytes {
            b"bundled" => Some(Origin::Bundled),
            b"modified" => Some(Origin::Modified),
            _ => None,
        }
    }
}

/// Records written so far in a replace, and whom to tell.
struct Done<'p> {
    written: usize,
    total: usize,
    progress: &'p mut dyn FnMut(usize, usize),
}

impl Done<'_> {
    /// Counts `n` more records written, and tells.
    fn add(&mut self, n: usize) {
        self.written += n;
        (self.progress)(self.written, self.total);
    }
}

/// What the `meta` tree says about the current data.
struct Current {
    generation: u64,
    origin: Origin,
    bundle: String,
}

/// Records kept in a sled database in one folder.
///
/// One `SledStore` may be shared between threads; a second one on the same
/// folder, in this process or another, is refused with [`code::LOCKED`].
pub struct SledStore {
    path: PathBuf,
    /// sled's handles; `None` only while being dropped.
    handle: Option<Handle>,
    /// Loads share it; a replace holds it alone, so a load never sees the
    /// generation switch half-way or reads a tree being dropped.
    gate: RwLock<()>,
    /// Set when a write failed (a full disk, a flush that never ended):
    /// later writes are refused, and closing does not wait for sled.
    broken: AtomicBool,
}

/// The open sled database and its `meta` tree.
struct Handle {
    db: sled::Db,
    meta: sled::Tree,
}

impl Drop for SledStore {
    /// Closes sled. sled flushes when its last handle goes, and after a
    /// failed write (a full disk) that flush can wait forever: a broken
    /// store's handles are left to the end of the process (what was
    /// committed is on disk already; the lock goes with the process), and
    /// any other close waits at most 20 s (`FLUSH_WAIT`).
    fn drop(&mut self) {
        let Some(handle) = self.handle.take() else { return };
        if self.broken.load(Ordering::SeqCst) {
            std::mem::forget(handle);
            return;
        }
        let (done, finished) = mpsc::channel();
        let closing = thread::Builder::new().name("peelql-close".to_owned()).spawn(move || {
            drop(handle);
            let _ = done.send(());
        });
        if closing.is_ok() {
            let _ = finished.recv_timeout(FLUSH_WAIT);
        }
    }
}

impl fmt::Debug for SledStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SledStore").field("path", &self.path).finish_non_exhaustive()
    }
}

impl SledStore {
    /// Opens the store in the folder `path`, creating it and its parents if
    /// needed, and makes sure it holds data:
    ///
    /// - a new store (or one whose first fill was interrupted) is filled
    ///   from `bundle`;
    /// - a store holding bundled data with another fingerprint is refilled
    ///   from `bundle` — the binary ships newer data, and nothing of the
    ///   user's is lost;
    /// - a store holding [`Origin::Modified`] data is left as it is.
    ///
    /// Leftovers of an interrupted replace are dropped.
    ///
    /// # Errors
    ///
    /// [`code::LOCKED`] when another handle holds the store for more than
    /// about a second; [`code::OPEN`] when the folder cannot be created or
    /// opened; [`code::NEWER_FORMAT`] / [`code::OLD_FORMAT`] for a format
    /// this build cannot read; [`code::CORRUPT`] for damaged bookkeeping;
    /// [`code::WRITE`] when filling fails; and whatever `bundle.tables`
    /// returns.
    pub fn open(path: &Path, bundle: &Bundle<'_>) -> Result<SledStore> {
        SledStore::open_waiting(path, bundle, LOCK_WAIT)
    }

    /// [`SledStore::open`], giving up at once with [`code::LOCKED`] when
    /// another handle holds the store (a reader checking whether a writer
    /// is at work).
    pub fn try_open(path: &Path, bundle: &Bundle<'_>) -> Result<SledStore> {
        SledStore::open_waiting(path, bundle, Duration::ZERO)
    }

    fn open_waiting(path: &Path, bundle: &Bundle<'_>, wait: Duration) -> Result<SledStore> {
        let found = folder::check(path)?;
        if found == Folder::New {
            fs::create_dir_all(path).map_err(|e| open_error(path, &plain_io(&e)))?;
            folder::write(path, folder::Marker { imported: false })?;
        }
        // an open that fails on a full disk can damage sled's log for good
        space::ensure(path, space::OPEN_BYTES, code::OPEN, "open")?;
        let db = match open_db(path, wait) {
            // sled's files are damaged: rebuilt from the snapshot or the
            // bundle when one of them certainly holds the last commit
            Err(e) if e.code_str() == code::CORRUPT && found != Folder::New => {
                repair::rebuild(path, bundle, e)?;
                open_db(path, wait)?
            }
            other => other?,
        };
        let meta = db.open_tree(META_TREE).map_err(|e| sled_error(path, code::OPEN, "open", e))?;
        let store = SledStore {
            path: path.to_path_buf(),
            handle: Some(Handle { db, meta }),
            gate: RwLock::new(()),
            broken: AtomicBool::new(false),
        };
        store.check_format(bundle)?;
        let current = store.current()?;
        store.drop_generations_except(current.as_ref().map(|c| c.generation))?;
        let imported = match found {
            Folder::Store(marker) => marker.imported,
            Folder::Unmarked => {
                // a store from before markers: mark it now
                let imported = current.as_ref().is_some_and(|c| c.origin == Origin::Modified);
                folder::write(path, folder::Marker { imported })?;
                imported
            }
            Folder::New => false,
        };
        let refill = match &current {
            None if imported => {
                return Err(Error::store(
                    code::CORRUPT,
                    format!(
                        "the store at {} is damaged: it has held imported data, but its data is \
                         missing (sled's `db` file, or its current generation); it was not refilled \
                         from the bundled data",
                        path.display()
                    ),
                )
                .with_help(
                    "restore the folder from a backup; or, to start afresh from the bundled data, \
                     move the folder aside and open a new store (imported data in it is lost)",
                ));
            }
            None => true,
            Some(c) => c.origin == Origin::Bundled && c.bundle != bundle.fingerprint,
        };
        if refill {
            store.restore_bundle(bundle)?;
        } else if current.is_some_and(|c| c.origin == Origin::Bundled) && bundled_marker(path).is_none() {
            // a store filled before markers existed
            store.write_marker(bundle.fingerprint)?;
        }
        Ok(store)
    }

    /// Writes the marker that says the store holds exactly the bundle with
    /// `fingerprint` (write to a temporary file, then rename: never half a
    /// marker).
    fn write_marker(&self, fingerprint: &str) -> Result<()> {
        let tmp = self.path.join(format!("{MARKER}.tmp"));
        let text = format!("{FORMAT_VERSION} {fingerprint}");
        let done = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, self.path.join(MARKER)));
        done.map_err(|e| {
            Error::store(
                code::WRITE,
                format!("cannot write to the store at {}: {}", self.path.display(), plain_io(&e)),
            )
        })
    }

    /// Removes the marker before the data changes. A failure stops the
    /// change: a stale marker would let readers answer from the bundle.
    fn remove_marker(&self) -> Result<()> {
        match std::fs::remove_file(self.path.join(MARKER)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::store(
                code::WRITE,
                format!("cannot write to the store at {}: {}", self.path.display(), plain_io(&e)),
            )),
        }
    }

    /// Replaces the content with `bundle`'s tables and marks it
    /// [`Origin::Bundled`], so later binaries refresh it again: the
    /// "reset to the shipped data" operation. All or nothing, like
    /// [`Store::replace`].
    pub fn restore_bundle(&self, bundle: &Bundle<'_>) -> Result<()> {
        let tables = (bundle.tables)()?;
        self.write_generation(&tables, Origin::Bundled, Some(bundle.fingerprint), &mut |_, _| {})
    }

    /// Where the current data came from.
    pub fn origin(&self) -> Result<Origin> {
        let _shared = self.gate.read().unwrap_or_else(PoisonError::into_inner);
        Ok(self.expect_current()?.origin)
    }

    /// The folder the store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Checks `format_version`, writing it into a new store and migrating an
    /// older one.
    fn check_format(&self, bundle: &Bundle<'_>) -> Result<()> {
        let stored = self.meta_get(meta_key::FORMAT_VERSION)?;
        let Some(bytes) = stored else {
            if self.meta_get(meta_key::GENERATION)?.is_some() {
                return Err(self.corrupt("its format version is missing".to_owned()));
            }
            self.meta()
                .insert(meta_key::FORMAT_VERSION, &codec::encode_u32(FORMAT_VERSION))
                .map_err(|e| self.write_error(e))?;
            self.flush()?;
            return Ok(());
        };
        let version = codec::decode_u32(&bytes)
            .ok_or_else(|| self.corrupt("its format version is unreadable".to_owned()))?;
        if version > FORMAT_VERSION {
            return Err(Error::store(
                code::NEWER_FORMAT,
                format!(
                    "the store at {} was written by a newer peelql (format {version}; \
                     this build reads up to {FORMAT_VERSION})",
                    self.path.display()
                ),
            )
            .with_help("use the newer peelql, or open another store path"));
        }
        self.migrate(version, bundle)
    }

    /// The current generation and where its data came from; `None` before
    /// the first fill has completed.
    fn current(&self) -> Result<Option<Current>> {
        let Some(generation) = self.meta_get(meta_key::GENERATION)? else {
            return Ok(None);
        };
        let generation = codec::decode_u64(&generation)
            .ok_or_else(|| self.corrupt("its current generation is unreadable".to_owned()))?;
        let origin = self
            .meta_get(meta_key::ORIGIN)?
            .and_then(|o| Origin::parse(&o))
            .ok_or_else(|| self.corrupt("the origin of its data is missing".to_owned()))?;
        let bundle = self
            .meta_get(meta_key::BUNDLE)?
            .and_then(|b| String::from_utf8(b.to_vec()).ok())
            .ok_or_else(|| self.corrupt("its bundle fingerprint is missing".to_owned()))?;
        Ok(Some(Current { generation, origin, bundle }))
    }

    /// [`SledStore::current`], which an open store always has.
    fn expect_current(&self) -> Result<Current> {
        self.current()?.ok_or_else(|| self.corrupt("it has no current data".to_owned()))
    }

    /// Writes `tables` as the next generation and makes it current, with
    /// its snapshot.
    fn write_generation(
        &self,
        tables: &Tables,
        origin: Origin,
        fingerprint: Option<&str>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<()> {
        let rest = Tables { grades: Vec::new(), ..tables.clone() };
        let grades = GradeColumns::from_records(&tables.grades);
        self.write_parts(&rest, &grades, None, origin, fingerprint, progress)
    }

    /// [`SledStore::write_trees`] of whole records.
    #[cfg(test)]
    fn write_tables(&self, generation: u64, tables: &Tables) -> Result<()> {
        let grades = GradeColumns::from_records(&tables.grades);
        let rest = Tables { grades: Vec::new(), ..tables.clone() };
        let grades = commit::GradeBytes::Bytes { bytes: grades.bytes(), rows: grades.len() };
        self.write_trees(generation, &rest, grades, &mut |_, _| {})
    }

    /// Writes every table into `generation`'s trees, without making it
    /// current.
    fn write_trees(
        &self,
        generation: u64,
        rest: &Tables,
        grades: commit::GradeBytes<'_>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<()> {
        let Tables { forces, programmes, themes, areas, grades: _, counts, history, monitoring, fire } = rest;
        let [f, p, t, a, g, c, h, m, x] = TABLES;
        let total = rest.record_count() - rest.grades.len() + grades.rows();
        let mut done = Done { written: 0, total, progress };
        self.write_table(generation, f, forces, &mut done)?;
        self.write_table(generation, p, programmes, &mut done)?;
        self.write_table(generation, t, themes, &mut done)?;
        self.write_table(generation, a, areas, &mut done)?;
        self.write_grades(generation, g, grades, &mut done)?;
        self.write_table(generation, c, counts, &mut done)?;
        self.write_table(generation, h, history, &mut done)?;
        self.write_table(generation, m, monitoring, &mut done)?;
        self.write_table(generation, x, &fire.to_records(), &mut done)
    }

    /// Writes `records` into `generation`'s tree of `table`, in chunks.
    fn write_table<T: Serialize>(
        &self,
        generation: u64,
        table: &str,
        records: &[T],
        done: &mut Done<'_>,
    ) -> Result<()> {
        if u32::try_from(records.len()).is_err() {
            return Err(Error::store(
                code::WRITE,
                format!("cannot store more than {} {table} records", u32::MAX),
            ));
        }
        let chunks = codec::encode_chunks(records).map_err(|e| {
            Error::store(code::WRITE, format!("cannot encode a {table} record for the store: {e}"))
        })?;
        // each chunk starts with its record count
        let counts: Vec<usize> = chunks
            .iter()
            .map(|c| c.first_chunk::<4>().map_or(0, |n| u32::from_le_bytes(*n) as usize))
            .collect();
        self.write_chunks(generation, table, Box::new(chunks.into_iter()), &mut |from, to| {
            done.add(counts[from..to].iter().sum())
        })
    }

    /// Writes the grade columns into `generation`'s tree of `table`, in
    /// chunks (at least one).
    fn write_grades(
        &self,
        generation: u64,
        table: &str,
        grades: commit::GradeBytes<'_>,
        done: &mut Done<'_>,
    ) -> Result<()> {
        if u32::try_from(grades.rows()).is_err() {
            return Err(Error::store(
                code::WRITE,
                format!("cannot store more than {} {table} records", u32::MAX),
            ));
        }
        // copied a batch at a time, as written: never all at once
        let chunks = grades.chunks();
        // the grades written so far, counted by the share of the bytes
        let (rows, n) = (grades.rows(), chunks.len());
        let mut told = 0;
        self.write_chunks(generation, table, chunks, &mut |_, to| {
            let now = rows * to / n;
            done.add(now - told);
            told = now;
        })
    }

    /// Writes values under keys 0, 1, 2…, in batches of at most
    /// [`BATCH_KEYS`] keys and about [`BATCH_BYTES`] bytes, calling
    /// `written(from, to)` after each batch with the chunks it held.
    fn write_chunks(
        &self,
        generation: u64,
        table: &str,
        chunks: Box<dyn ExactSizeIterator<Item = Vec<u8>> + '_>,
        written: &mut dyn FnMut(usize, usize),
    ) -> Result<()> {
        let name = codec::tree_name(generation, table);
        let tree = self.db().open_tree(&name).map_err(|e| self.write_error(e))?;
        let mut batch = sled::Batch::default();
        let (mut keys, mut bytes, mut from) = (0usize, 0usize, 0usize);
        let total = chunks.len();
        for (seq, chunk) in chunks.into_iter().enumerate() {
            let key = u32::try_from(seq).map_err(|_| {
                Error::store(code::WRITE, format!("cannot store more than {} {table} chunks", u32::MAX))
            })?;
            bytes += chunk.len();
            keys += 1;
            batch.insert(&codec::seq_key(key), chunk);
            if keys >= BATCH_KEYS || bytes >= BATCH_BYTES || seq + 1 == total {
                tree.apply_batch(std::mem::take(&mut batch)).map_err(|e| self.write_error(e))?;
                written(from, seq + 1);
                (keys, bytes, from) = (0, 0, seq + 1);
            }
        }
        Ok(())
    }

    /// Makes `generation` current, in one atomic write.
    fn switch(&self, generation: u64, origin: Origin, fingerprint: Option<&str>) -> Result<()> {
        let mut batch = sled::Batch::default();
        batch.insert(meta_key::GENERATION, &codec::encode_u64(generation));
        batch.insert(meta_key::ORIGIN, origin.name());
        if let Some(fingerprint) = fingerprint {
            batch.insert(meta_key::BUNDLE, fingerprint);
        }
        self.meta().apply_batch(batch).map_err(|e| self.write_error(e))?;
        self.flush()
    }

    /// Drops the trees of `generation`.
    fn drop_generation(&self, generation: u64) -> Result<()> {
        for table in TABLES {
            self.db().drop_tree(codec::tree_name(generation, table)).map_err(|e| self.write_error(e))?;
        }
        Ok(())
    }

    /// Drops every data tree not of `keep`: leftovers of interrupted
    /// replaces.
    fn drop_generations_except(&self, keep: Option<u64>) -> Result<()> {
        for name in self.db().tree_names() {
            match codec::generation_of(&name) {
                Some(generation) if Some(generation) != keep => {
                    self.db().drop_tree(&name).map_err(|e| self.write_error(e))?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `generation`'s tree of `table`, which must exist.
    fn data_tree(&self, generation: u64, table: &str) -> Result<(String, sled::Tree)> {
        let name = codec::tree_name(generation, table);
        // `open_tree` would quietly create a missing tree.
        if !self.db().tree_names().iter().any(|n| n == name.as_bytes()) {
            return Err(self.corrupt(format!("its tree {name} is missing")));
        }
        let tree = self.db().open_tree(&name).map_err(|e| self.read_error(e))?;
        Ok((name, tree))
    }

    /// The values of a chunked tree in key order, checking that the keys
    /// run 0, 1, 2… with no gap.
    fn chunks(&self, name: &str, tree: &sled::Tree) -> Result<Vec<sled::IVec>> {
        let mut chunks = Vec::new();
        for entry in tree.iter() {
            let (key, value) = entry.map_err(|e| self.read_error(e))?;
            let seq = codec::seq_of(&key)
                .ok_or_else(|| self.corrupt(format!("tree {name} has a malformed key {key:?}")))?;
            if usize::try_from(seq).ok() != Some(chunks.len()) {
                return Err(
                    self.corrupt(format!("tree {name} has chunk {seq} where chunk {} belongs", chunks.len()))
                );
            }
            chunks.push(value);
        }
        Ok(chunks)
    }

    fn read_table<T: DeserializeOwned>(&self, generation: u64, table: &str) -> Result<Vec<T>> {
        let (name, tree) = self.data_tree(generation, table)?;
        let mut records = Vec::new();
        for (seq, chunk) in self.chunks(&name, &tree)?.iter().enumerate() {
            codec::decode_chunk(chunk, &mut records).map_err(|e| {
                self.corrupt(format!(
                    "chunk {seq} (key {:?}) in tree {name} cannot be read: {e}",
                    codec::seq_key(seq as u32)
                ))
            })?;
        }
        Ok(records)
    }

    fn read_grades(&self, generation: u64, table: &str) -> Result<GradeColumns> {
        let (name, tree) = self.data_tree(generation, table)?;
        // one buffer, filled chunk by chunk: the chunks are not all held at once
        let mut bytes: Vec<u8> = Vec::new();
        let mut count = 0usize;
        for entry in tree.iter() {
            let (key, value) = entry.map_err(|e| self.read_error(e))?;
            let seq = codec::seq_of(&key)
                .ok_or_else(|| self.corrupt(format!("tree {name} has a malformed key {key:?}")))?;
            if usize::try_from(seq).ok() != Some(count) {
                return Err(self.corrupt(format!("tree {name} has chunk {seq} where chunk {count} belongs")));
            }
            if count == 0 {
                bytes.reserve(tree.len().saturating_mul(value.len()));
            }
            bytes.extend_from_slice(&value);
            count += 1;
        }
        if count == 0 {
            return Err(self.corrupt(format!("tree {name} is empty")));
        }
        GradeColumns::from_bytes(bytes)
            .map_err(|e| self.corrupt(format!("the grades in tree {name} cannot be read: {e}")))
    }

    /// Every table but the grades, and the grades in columns.
    fn load_parts(&self) -> Result<(Tables, GradeColumns)> {
        let _shared = self.gate.read().unwrap_or_else(PoisonError::into_inner);
        let generation = self.expect_current()?.generation;
        self.load_parts_at(generation)
    }

    /// [`SledStore::load_parts`] of `generation`, the caller holding the gate.
    fn load_parts_at(&self, generation: u64) -> Result<(Tables, GradeColumns)> {
        let [f, p, t, a, g, c, h, m, x] = TABLES;
        let rest = Tables {
            forces: self.read_table(generation, f)?,
            programmes: self.read_table(generation, p)?,
            themes: self.read_table(generation, t)?,
            areas: self.read_table(generation, a)?,
            grades: Vec::new(),
            counts: self.read_table(generation, c)?,
            history: self.read_table(generation, h)?,
            monitoring: self.read_table(generation, m)?,
            fire: FireTables::from_records(self.read_table(generation, x)?),
        };
        let g = self.read_grades(generation, g)?;
        Ok((rest, g))
    }

    /// A table of formats 1 and 2: one record per key.
    fn read_table_per_key<T: DeserializeOwned>(&self, generation: u64, table: &str) -> Result<Vec<T>> {
        let (name, tree) = self.data_tree(generation, table)?;
        let mut records = Vec::new();
        for entry in tree.iter() {
            let (key, value) = entry.map_err(|e| self.read_error(e))?;
            let seq = codec::seq_of(&key)
                .ok_or_else(|| self.corrupt(format!("tree {name} has a malformed key {key:?}")))?;
            if usize::try_from(seq).ok() != Some(records.len()) {
                return Err(self.corrupt(format!(
                    "tree {name} has record {seq} where record {} belongs",
                    records.len()
                )));
            }
            let record = codec::decode_record(&value).map_err(|e| {
                self.corrupt(format!("record {seq} (key {key:?}) in tree {name} cannot be read: {e}"))
            })?;
            records.push(record);
        }
        Ok(records)
    }

    fn meta_get(&self, key: &[u8]) -> Result<Option<sled::IVec>> {
        self.meta().get(key).map_err(|e| self.read_error(e))
    }

    /// sled's database.
    fn db(&self) -> &sled::Db {
        &self.handle.as_ref().expect("a store has its handle until it is dropped").db
    }

    /// The `meta` tree.
    fn meta(&self) -> &sled::Tree {
        &self.handle.as_ref().expect("a store has its handle until it is dropped").meta
    }

    /// Makes every write so far durable, or fails within [`FLUSH_WAIT`]:
    /// on a full disk sled's flush can wait for space forever.
    fn flush(&self) -> Result<()> {
        let db = self.db().clone();
        let (done, finished) = mpsc::channel();
        let flushing = thread::Builder::new().name("peelql-flush".to_owned()).spawn(move || {
            let _ = done.send(db.flush());
        });
        if flushing.is_err() {
            // no thread to spare: flush here
            return self.db().flush().map(drop).map_err(|e| self.write_error(e));
        }
        match finished.recv_timeout(FLUSH_WAIT) {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(self.write_error(e)),
            Err(_) => {
                self.broken.store(true, Ordering::SeqCst);
                Err(Error::store(
                    code::WRITE,
                    format!(
                        "cannot write to the store at {}: the disk took nothing for {} s (is it full?)",
                        self.path.display(),
                        FLUSH_WAIT.as_secs()
                    ),
                )
                .with_help("free some space and import again: the store still holds its last committed data"))
            }
        }
    }

    /// Refuses a write to a store whose earlier write failed.
    fn check_not_broken(&self) -> Result<()> {
        if self.broken.load(Ordering::SeqCst) {
            return Err(Error::store(
                code::WRITE,
                format!(
                    "cannot write to the store at {}: an earlier write to it failed",
                    self.path.display()
                ),
            )
            .with_help("open the store again (restart peelql): it holds its last committed data"));
        }
        Ok(())
    }

    fn corrupt(&self, what: String) -> Error {
        Error::store(code::CORRUPT, format!("the store at {} is damaged: {what}", self.path.display()))
            .with_help(corrupt_help())
    }

    fn read_error(&self, e: sled::Error) -> Error {
        sled_error(&self.path, code::READ, "read", e)
    }

    fn write_error(&self, e: sled::Error) -> Error {
        self.broken.store(true, Ordering::SeqCst);
        sled_error(&self.path, code::WRITE, "write", e)
    }
}

impl Store for SledStore {
    fn load(&self) -> Result<Tables> {
        let (rest, grades) = self.load_parts()?;
        Ok(Tables { grades: grades.to_records(), ..rest })
    }

    /// The data set from the snapshot of the current generation, or built
    /// straight from the stored columns (and written as the snapshot): the
    /// grade records are never made (unless [`Dataset::tables`] asks for
    /// them).
    fn load_dataset(&self) -> Result<Dataset> {
        self.snapshot_dataset()
    }

    fn replace_dataset(&self, dataset: &Dataset, progress: &mut dyn FnMut(usize, usize)) -> Result<()> {
        SledStore::replace_dataset(self, dataset, progress)
    }

    /// Replaces the content and marks it [`Origin::Modified`]: a newer bundle
    /// will not overwrite it.
    fn replace(&self, tables: &Tables) -> Result<()> {
        self.write_generation(tables, Origin::Modified, None, &mut |_, _| {})
    }

    /// [`SledStore::replace`], reporting after every batch of at most 1000
    /// chunks (grades counted by the share of their bytes written). The
    /// switch to the new data comes after the last report.
    fn replace_with_progress(&self, tables: &Tables, progress: &mut dyn FnMut(usize, usize)) -> Result<()> {
        self.write_generation(tables, Origin::Modified, None, progress)
    }

    fn describe(&self) -> String {
        format!("sled store at {}", self.path.display())
    }
}

/// Opens sled in `path`, waiting up to [`LOCK_WAIT`] for its lock.
/// The file in a store's folder that holds the fingerprint of the bundled
/// data while — and only while — the store holds exactly that data. Every
/// change of data removes it first; filling the store from the bundle
/// writes it last.
const MARKER: &str = "bundled.fingerprint";

/// The fingerprint of the bundled data the store at `path` holds, read
/// without opening the store; `None` when the store holds anything else,
/// was written in another format, does not exist, or predates markers. A
/// process that only reads may answer from the bundled data when this
/// matches its own bundle, without opening sled (and without waiting for
/// another process's lock).
pub fn bundled_marker(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path.join(MARKER)).ok()?;
    let (format, fingerprint) = text.trim().split_once(' ')?;
    (format == FORMAT_VERSION.to_string()).then(|| fingerprint.to_owned())
}

fn open_db(path: &Path, wait: Duration) -> Result<sled::Db> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| open_error(path, &plain_io(&e)))?;
    }
    if path.exists() && !path.is_dir() {
        return Err(open_error(path, "it is a file, not a folder"));
    }
    check_conf(path)?;
    clear_torn_snapshots(path);
    let deadline = Instant::now() + wait;
    loop {
        match sled::Config::new().path(path).open() {
            Ok(db) => return Ok(db),
            Err(e) if is_lock_error(&e) => {
                if Instant::now() >= deadline {
                    return Err(Error::store(
                        code::LOCKED,
                        format!("the store at {} is in use by another peelql process", path.display()),
                    )
                    .with_help("close the other peelql and try again, or use another store path"));
                }
                thread::sleep(LOCK_RETRY);
            }
            Err(e) => return Err(sled_error(path, code::OPEN, "open", e)),
        }
    }
}

/// Checks sled's settings file, `conf`, against its checksum (its last four
/// bytes, CRC-32 little-endian). sled only warns of a mismatch and then
/// reads what it can: a bit flipped in the version blamed "a sled version
/// earlier than 0.29".
fn check_conf(path: &Path) -> Result<()> {
    let Ok(bytes) = fs::read(path.join("conf")) else { return Ok(()) };
    if bytes.len() <= 8 {
        return Ok(()); // sled writes it again
    }
    let (text, sum) = bytes.split_at(bytes.len() - 4);
    if sum == crc32fast::hash(text).to_le_bytes() {
        return Ok(());
    }
    Err(Error::store(
        code::CORRUPT,
        format!(
            "the store at {} is damaged: its `conf` file (sled's settings) does not match its checksum",
            path.display()
        ),
    )
    .with_help(corrupt_help()))
}

/// Removes the `snap.*.generating` files a sled killed while writing its
/// own snapshot leaves behind. sled 0.34 counts them among its snapshots and
/// reads the newest, so an empty one made every later open "corrupt" (2 of
/// 600 kills in `scripts/kill-probe`). sled writes a snapshot under that
/// name and renames it when whole, so such a file is never needed; it is
/// removed only while no process has sled open (its lock is free), lest a
/// snapshot being written be taken from under it.
fn clear_torn_snapshots(path: &Path) {
    use fs2::FileExt;
    let Ok(entries) = fs::read_dir(path) else { return };
    let torn: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("snap.") && n.ends_with(".generating"))
        })
        .collect();
    if torn.is_empty() {
        return;
    }
    let Ok(db) = fs::OpenOptions::new().read(true).write(true).open(path.join("db")) else { return };
    if db.try_lock_exclusive().is_err() {
        return; // sled is open elsewhere: its own business
    }
    for file in torn {
        let _ = fs::remove_file(file);
    }
    let _ = FileExt::unlock(&db);
}

/// What to do about a damaged store: never advice that loses the folder.
fn corrupt_help() -> &'static str {
    "restore the store folder from a backup; or move it aside (keep it: it may hold data you \
     imported) and open a new store, which starts afresh from the bundled data"
}

/// sled reports a held lock as an `Other` I/O error whose only mark is its
/// message.
fn is_lock_error(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io) if io.to_string().contains("could not acquire lock"))
}

fn open_error(path: &Path, why: &str) -> Error {
    Error::store(code::OPEN, format!("cannot open the store at {}: {why}", path.display()))
}

/// A sled error in plain words, as an error with `code`.
fn sled_error(path: &Path, code: &'static str, verb: &str, e: sled::Error) -> Error {
    let why = match &e {
        sled::Error::Io(io) => plain_io(io),
        sled::Error::Corruption { .. } => {
            return Error::store(
                code::CORRUPT,
                format!("the store at {} is damaged: sled found corrupt data", path.display()),
            )
            .with_help(corrupt_help());
        }
        sled::Error::CollectionNotFound(_) => "a part of it has vanished".to_owned(),
        sled::Error::Unsupported(what) => what.clone(),
        sled::Error::ReportableBug(what) => format!("sled failed ({what})"),
    };
    Error::store(code, format!("cannot {verb} the store at {}: {why}", path.display()))
}

/// An I/O error in plain words, without the `Os { code: … }` detail.
pub(crate) fn plain_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "a folder on the way does not exist".to_owned(),
        io::ErrorKind::AlreadyExists => "a file is in the way of a folder".to_owned(),
        _ => crate::error::io_words(e),
    }
}

mod commit;
pub mod folder;
mod migrate;
mod repair;
mod space;
#[cfg(test)]
mod tests;
