//! Tests of the sled store: filling from the bundle, refreshing it, locking,
//! formats, crashes (simulated in-process and real, in a child process that
//! aborts mid-replace) and damage.

use super::*;
use crate::store::tests::{many_grades, other_tables, sample_tables};
use std::cell::Cell;
use std::sync::Arc;

/// A bundle that counts how often its tables are built.
struct Counting {
    fingerprint: &'static str,
    tables: Tables,
    calls: Cell<usize>,
}

impl Counting {
    fn new(fingerprint: &'static str, tables: Tables) -> Counting {
        Counting { fingerprint, tables, calls: Cell::new(0) }
    }

    fn open(&self, path: &Path) -> Result<SledStore> {
        let build = || {
            self.calls.set(self.calls.get() + 1);
            Ok(self.tables.clone())
        };
        SledStore::open(path, &Bundle { fingerprint: self.fingerprint, tables: &build })
    }
}

fn dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested").join("store");
    (dir, path)
}

fn data_trees(store: &SledStore) -> Vec<String> {
    let mut names: Vec<String> = store
        .db()
        .tree_names()
        .iter()
        .filter(|n| codec::generation_of(n).is_some())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    names.sort();
    names
}

fn trees_of(generation: u64) -> Vec<String> {
    let mut names: Vec<String> = TABLES.iter().map(|t| codec::tree_name(generation, t)).collect();
    names.sort();
    names
}

/// Opens `path` with sled directly. A dropped store's lock lingers a few
/// milliseconds (sled's I/O threads finish in the background), so this
/// retries like [`SledStore::open`] does.
fn raw_open(path: &Path) -> sled::Db {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match sled::open(path) {
            Ok(db) => return db,
            Err(e) if is_lock_error(&e) && Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(10));
            }
            Err(e) => panic!("raw open of {}: {e}", path.display()),
        }
    }
}

/// Sets a meta key with sled directly, as another build might have.
fn poke_meta(path: &Path, key: &[u8], value: &[u8]) {
    let db = raw_open(path);
    db.open_tree(META_TREE).expect("meta").insert(key, value).expect("insert");
    db.flush().expect("flush");
}

#[test]
fn first_open_fills_from_the_bundle() {
    let (_dir, path) = dir();
    let bundle = Counting::new("v1", sample_tables());
    let store = bundle.open(&path).expect("open");
    assert_eq!(bundle.calls.get(), 1);
    assert_eq!(store.load().expect("load"), sample_tables());
    assert_eq!(store.origin().expect("origin"), Origin::Bundled);
    assert_eq!(store.describe(), format!("sled store at {}", path.display()));
    assert_eq!(store.path(), path);
    assert_eq!(data_trees(&store), trees_of(1));
    let version = store.meta().get(meta_key::FORMAT_VERSION).expect("get");
    assert_eq!(version.as_deref(), Some(&codec::encode_u32(FORMAT_VERSION)[..]));
}

#[test]
fn reopening_does_not_build_the_bundle() {
    let (_dir, path) = dir();
    let bundle = Counting::new("v1", sample_tables());
    drop(bundle.open(&path).expect("open"));
    let store = bundle.open(&path).expect("reopen");
    assert_eq!(bundle.calls.get(), 1);
    assert_eq!(store.load().expect("load"), sample_tables());
}

#[test]
fn a_new_bundle_refreshes_bundled_data() {
    let (_dir, path) = dir();
    drop(Counting::new("v1", sample_tables()).open(&path).expect("open"));
    let newer = Counting::new("v2", other_tables());
    let store = newer.open(&path).expect("reopen");
    assert_eq!(newer.calls.get(), 1);
    assert_eq!(store.load().expect("load"), other_tables());
    assert_eq!(store.origin().expect("origin"), Origin::Bundled);
    assert_eq!(data_trees(&store), trees_of(2));
    drop(store);
    // Same fingerprint again: nothing to do.
    let store = newer.open(&path).expect("reopen");
    assert_eq!(newer.calls.get(), 1);
    assert_eq!(store.load().expect("load"), other_tables());
}

/// The marker says "exactly the bundle" only while that is true: written
/// by filling from the bundle, removed before any other data is written.
#[test]
fn the_bundled_marker_is_true_or_absent() {
    let (_dir, path) = dir();
    let store = Counting::new("v1", sample_tables()).open(&path).expect("open");
    assert_eq!(bundled_marker(&path).as_deref(), Some("v1"));
    store.replace(&many_grades(10)).expect("replace");
    assert_eq!(bundled_marker(&path), None, "gone once the data is the user's");
    let build = || Ok(other_tables());
    store.restore_bundle(&Bundle { fingerprint: "v2", tables: &build }).expect("restore");
    assert_eq!(bundled_marker(&path).as_deref(), Some("v2"));
    drop(store);
    // a store filled before markers existed gets one when next opened
    std::fs::remove_file(path.join(MARKER)).expect("remove");
    drop(Counting::new("v2", other_tables()).open(&path).expect("reopen"));
    assert_eq!(bundled_marker(&path).as_deref(), Some("v2"));
    // a marker of another format is not trusted
    std::fs::write(path.join(MARKER), "1 v2").expect("write");
    assert_eq!(bundled_marker(&path), None);
}

#[test]
fn a_new_bundle_leaves_modified_data_alone() {
    let (_dir, path) = dir();
    let store = Counting::new("v1", sample_tables()).open(&path).expect("open");
    let imported = many_grades(10);
    store.replace(&imported).expect("replace");
    assert_eq!(store.origin().expect("origin"), Origin::Modified);
    drop(store);

    let newer = Counting::new("v2", other_tables());
    let store = newer.open(&path).expect("reopen");
    assert_eq!(newer.calls.get(), 0);
    assert_eq!(store.load().expect("load"), imported);
    assert_eq!(store.origin().expect("origin"), Origin::Modified);

    // Until the user asks for the shipped data back.
    let build = || Ok(other_tables());
    let bundle = Bundle { fingerprint: "v2", tables: &build };
    store.restore_bundle(&bundle).expect("restore");
    assert_eq!(store.load().expect("load"), other_tables());
    assert_eq!(store.origin().expect("origin"), Origin::Bundled);
    drop(store);
    let store = newer.open(&path).expect("reopen");
    assert_eq!(newer.calls.get(), 0);
    assert_eq!(store.load().expect("load"), other_tables());
}

#[test]
fn a_second_open_is_refused_within_about_a_second() {
    let (_dir, path) = dir();
    let bundle = Counting::new("v1", sample_tables());
    let first = bundle.open(&path).expect("open");
    let start = Instant::now();
    let err = bundle.open(&path).expect_err("second open");
    let waited = start.elapsed();
    assert_eq!(err.code_str(), code::LOCKED);
    assert_eq!(err.message(), format!("the store at {} is in use by another peelql process", path.display()));
    assert!(!format!("{err:?}").contains("Os {"), "{err:?}");
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    // The first handle is unharmed, and the lock goes with it.
    assert_eq!(first.load().expect("load"), sample_tables());
    drop(first);
    assert!(bundle.open(&path).is_ok());
}

#[test]
fn a_newer_format_is_refused() {
    let (_dir, path) = dir();
    drop(Counting::new("v1", sample_tables()).open(&path).expect("open"));
    poke_meta(&path, meta_key::FORMAT_VERSION, &codec::encode_u32(FORMAT_VERSION + 1));
    let bundle = Counting::new("v2", other_tables());
    let err = bundle.open(&path).expect_err("newer");
    assert_eq!(err.code_str(), code::NEWER_FORMAT);
    assert_eq!(
        err.message(),
        format!(
            "the store at {} was written by a newer peelql (format {}; this build reads up to {})",
            path.display(),
            FORMAT_VERSION + 1,
            FORMAT_VERSION
        )
    );
    assert_eq!(bundle.calls.get(), 0);
}

#[test]
fn an_unknown_older_format_is_refused() {
    let (_dir, path) = dir();
    drop(Counting::new("v1", sample_tables()).open(&path).expect("open"));
    poke_meta(&path, meta_key::FORMAT_VERSION, &codec::encode_u32(0));
    let err = Counting::new("v1", sample_tables()).open(&path).expect_err("older");
    assert_eq!(err.code_str(), code::OLD_FORMAT);
}

/// Writes `tables` as formats 1 and 2 did: one key per record, generation
/// 1; format 1 without the `history` tree.
fn write_per_key(path: &Path, tables: &Tables, origin: Origin, format: u32) {
    let db = raw_open(path);
    let Tables { forces, programmes, themes, areas, grades, counts, history, monitoring: _, fire: _ } =
        tables;
    fn table<T: serde::Serialize>(db: &sled::Db, name: &str, records: &[T]) {
        let tree = db.open_tree(codec::tree_name(1, name)).expect("tree");
        for (i, r) in records.iter().enumerate() {
            tree.insert(codec::seq_key(i as u32), codec::encode_record(r).expect("encode")).expect("insert");
        }
    }
    table(&db, "forces", forces);
    table(&db, "programmes", programmes);
    table(&db, "themes", themes);
    table(&db, "areas", areas);
    table(&db, "grades", grades);
    table(&db, "counts", counts);
    if format >= 2 {
        table(&db, "history", history);
    } else {
        assert!(history.is_empty(), "format 1 had no history");
    }
    let meta = db.open_tree(META_TREE).expect("meta");
    meta.insert(meta_key::FORMAT_VERSION, &codec::encode_u32(format)).expect("version");
    meta.insert(meta_key::GENERATION, &codec::encode_u64(1)).expect("generation");
    meta.insert(meta_key::ORIGIN, origin.name()).expect("origin");
    meta.insert(meta_key::BUNDLE, "v1").expect("bundle");
    db.flush().expect("flush");
}

#[test]
fn a_format_1_store_is_migrated_and_keeps_its_data() {
    let (_dir, path) = dir();
    let mut imported = many_grades(2_500);
    imported.history.clear();
    write_per_key(&path, &imported, Origin::Modified, 1);
    let bundle = Counting::new("v2", sample_tables());
    let store = bundle.open(&path).expect("a format-1 store opens");
    assert_eq!(store.load().expect("load"), imported);
    assert_eq!(store.origin().expect("origin"), Origin::Modified);
    // read once, for its moves into and out of Engage (format 4 → 5); the data is not replaced
    assert_eq!(bundle.calls.get(), 1, "imported data is not replaced by the bundle");
    assert_eq!(
        store.meta_get(meta_key::FORMAT_VERSION).expect("get").as_deref(),
        Some(&codec::encode_u32(FORMAT_VERSION)[..])
    );
    assert_eq!(data_trees(&store), trees_of(2));
    store.replace(&sample_tables()).expect("replace after migrating");
    assert_eq!(store.load().expect("load"), sample_tables());
}

#[test]
fn a_format_2_store_is_migrated_with_its_history() {
    let (_dir, path) = dir();
    let imported = sample_tables();
    assert!(!imported.history.is_empty());
    write_per_key(&path, &imported, Origin::Modified, 2);
    let bundle = Counting::new("v2", other_tables());
    let store = bundle.open(&path).expect("a format-2 store opens");
    assert_eq!(store.load().expect("load"), imported);
    assert_eq!(bundle.calls.get(), 1, "read for its moves only");
    assert_eq!(data_trees(&store), trees_of(2));
}

/// Makes the store at `path` look as format 4 wrote it: no `monitoring`
/// tree, format 4.
fn as_format_4(path: &Path, generation: u64) {
    let db = raw_open(path);
    assert!(db.drop_tree(codec::tree_name(generation, "monitoring")).expect("drop"));
    db.open_tree(META_TREE)
        .expect("meta")
        .insert(meta_key::FORMAT_VERSION, &codec::encode_u32(4))
        .expect("version");
    db.flush().expect("flush");
}

#[test]
fn a_format_4_store_gets_the_bundled_moves_and_keeps_its_imports() {
    let (_dir, path) = dir();
    let mut imported = many_grades(30);
    imported.monitoring.clear();
    {
        let store = Counting::new("v1", other_tables()).open(&path).expect("open");
        store.replace(&imported).expect("import");
        drop(store);
    }
    as_format_4(&path, 2);
    let bundle = Counting::new("v2", sample_tables());
    let store = bundle.open(&path).expect("a format-4 store opens");
    let loaded = store.load().expect("load");
    assert_eq!(loaded.monitoring, sample_tables().monitoring, "the bundle's moves of its forces");
    assert_eq!(Tables { monitoring: Vec::new(), ..loaded }, imported, "everything else as imported");
    assert_eq!(store.origin().expect("origin"), Origin::Modified);
    assert_eq!(data_trees(&store), trees_of(2));
    drop(store);
    // opened again: nothing more to do, the moves are not added twice
    let again = bundle.open(&path).expect("reopen");
    assert_eq!(again.load().expect("load").monitoring.len(), 3);
    assert_eq!(bundle.calls.get(), 1);
}

#[test]
fn a_format_4_migration_keeps_moves_only_of_known_forces() {
    let (_dir, path) = dir();
    let mut imported = sample_tables();
    imported.monitoring.clear();
    imported.forces.retain(|f| f.short_name == "Cambridgeshire");
    imported.grades.retain(|g| g.force == "Cambs");
    imported.counts.retain(|c| c.force.starts_with("Cambridgeshire"));
    {
        let store = Counting::new("v1", other_tables()).open(&path).expect("open");
        store.replace(&imported).expect("import");
    }
    as_format_4(&path, 2);
    let store = Counting::new("v2", sample_tables()).open(&path).expect("open");
    let forces: Vec<String> = store.load().expect("load").monitoring.into_iter().map(|m| m.force).collect();
    assert_eq!(forces, ["Cambridgeshire Constabulary", "Cambridgeshire Constabulary"]);
}

#[test]
fn an_interrupted_migration_is_done_again() {
    let (_dir, path) = dir();
    write_per_key(&path, &other_tables(), Origin::Bundled, 2);
    {
        // the new generation half-written, then the process died
        let db = raw_open(&path);
        db.open_tree(codec::tree_name(2, "forces"))
            .expect("tree")
            .insert(codec::seq_key(0), &b"half"[..])
            .expect("insert");
        db.flush().expect("flush");
    }
    let bundle = Counting::new("v1", sample_tables());
    let store = bundle.open(&path).expect("open");
    assert_eq!(store.load().expect("load"), other_tables());
    assert_eq!(data_trees(&store), trees_of(2));
    assert_eq!(bundle.calls.get(), 1, "read for its moves only");
}

#[test]
fn an_empty_format_1_store_just_changes_format() {
    let (_dir, path) = dir();
    poke_meta(&path, meta_key::FORMAT_VERSION, &codec::encode_u32(1));
    let bundle = Counting::new("v1", sample_tables());
    let store = bundle.open(&path).expect("open");
    assert_eq!(bundle.calls.get(), 1);
    assert_eq!(store.load().expect("load"), sample_tables());
}

/// Set in a child process started by [`child`]: `mode:path`.
const CHILD_ENV: &str = "PEELQL_STORE_TEST_CHILD";

/// The name the test harness knows this module's test `function` by: its
/// path without the crate name.
fn test_name(function: &str) -> String {
    let module = module_path!();
    let module = module.split_once("::").map_or(module, |(_, rest)| rest);
    format!("{module}::{function}")
}

/// A child process started by a test; killed and reaped when dropped, so a
/// failing assertion never leaves it running.
struct ChildProcess(std::process::Child);

impl Drop for ChildProcess {
    fn drop(&mut self) {
        // Either may fail because the child has already exited: fine.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs this test binary's test `name` again in a child process that
/// sees `mode` and `path` (through [`CHILD_ENV`]), with a piped stdout.
fn child(name: &str, mode: &str, path: &Path) -> ChildProcess {
    let exe = std::env::current_exe().expect("test binary");
    let process = std::process::Command::new(exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, format!("{mode}:{}", path.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn child");
    ChildProcess(process)
}

/// The mode and path this process was started with, if it is a child.
fn child_mode() -> Option<(String, PathBuf)> {
    let var = std::env::var(CHILD_ENV).ok()?;
    let (mode, path) = var.split_once(':')?;
    Some((mode.to_owned(), PathBuf::from(path)))
}

/// What a child prints once it holds the store.
const READY: &str = "peelql-store-child-ready";

/// Waits until the child prints [`READY`].
fn wait_ready(child: &mut ChildProcess) {
    use std::io::BufRead;
    let stdout = child.0.stdout.take().expect("piped stdout");
    let mut lines = io::BufReader::new(stdout).lines();
    assert!(lines.any(|l| l.map(|l| l.contains(READY)).unwrap_or(false)), "the child never got ready");
}

#[test]
fn another_process_holding_the_store_is_reported() {
    let name = test_name("another_process_holding_the_store_is_reported");
    if let Some((_, path)) = child_mode() {
        let _store = Counting::new("v1", sample_tables()).open(&path).expect("child open");
        println!("\n{READY}");
        thread::sleep(Duration::from_secs(30));
        return;
    }
    let (_dir, path) = dir();
    let mut holder = child(&name, "hold", &path);
    wait_ready(&mut holder);
    let bundle = Counting::new("v1", sample_tables());
    let err = bundle.open(&path).expect_err("held by the child");
    assert_eq!(err.code_str(), code::LOCKED);
    drop(holder); // kills it, and the lock goes with it
    let store = bundle.open(&path).expect("open after the child died");
    assert_eq!(store.load().expect("load"), sample_tables());
}

#[test]
fn a_killed_writer_leaves_old_or_new_data() {
    let name = test_name("a_killed_writer_leaves_old_or_new_data");
    let (a, b) = (many_grades(3_000), many_grades(4_000));
    if let Some((mode, path)) = child_mode() {
        let store = Counting::new("v1", sample_tables()).open(&path).expect("child open");
        let delay: u64 = mode.parse().expect("delay");
        let _writer = thread::spawn(move || {
            println!("\n{READY}");
            for i in 0.. {
                store.replace(if i % 2 == 0 { &a } else { &b }).expect("replace");
            }
        });
        thread::sleep(Duration::from_millis(delay));
        // Dies like `kill -9`: no destructors, no flush.
        std::process::abort();
    }
    for delay in [150, 400, 700] {
        let (_dir, path) = dir();
        let mut writer = child(&name, &delay.to_string(), &path);
        wait_ready(&mut writer);
        let status = writer.0.wait().expect("wait for the child");
        assert!(!status.success(), "the child was meant to abort");
        let bundle = Counting::new("v1", sample_tables());
        let store = bundle.open(&path).expect("reopen after the crash");
        let loaded = store.load().expect("load after the crash");
        assert!(
            loaded == a || loaded == b || loaded == sample_tables(),
            "{} grades after a crash at {delay} ms",
            loaded.grades.len()
        );
        let generation = store.expect_current().expect("current").generation;
        assert_eq!(data_trees(&store), trees_of(generation));
    }
}

#[test]
fn a_crash_before_the_switch_keeps_the_old_data() {
    let (_dir, path) = dir();
    let bundle = Counting::new("v1", sample_tables());
    let store = bundle.open(&path).expect("open");
    // The next generation written, then the process "dies".
    store.write_tables(2, &other_tables()).expect("write");
    assert_eq!(store.load().expect("load"), sample_tables());
    drop(store);

    let store = bundle.open(&path).expect("reopen");
    assert_eq!(store.load().expect("load"), sample_tables());
    assert_eq!(data_trees(&store), trees_of(1));
    // Replacing afterwards reuses generation 2 cleanly.
    store.replace(&many_grades(3)).expect("replace");
    assert_eq!(store.load().expect("load"), many_grades(3));
    assert_eq!(data_trees(&store), trees_of(2));
}

#[test]
fn a_crash_mid_write_keeps_the_old_data() {
    let (_dir, path) = dir();
    let bundle = Counting::new("v1", sample_tables());
    let store = bundle.open(&path).expect("open");
    // Half a generation: two tables, one of them partial.
    let t = other_tables();
    let mut ignore = |_, _| {};
    let mut done = Done { written: 0, total: 0, progress: &mut ignore };
    store.write_table(2, "forces", &t.forces, &mut done).expect("write");
    store.write_table(2, "grades", &t.grades[..2], &mut done).expect("write");
    drop(store);
    let store = bundle.open(&path).expect("reopen");
    assert_eq!(store.load().expect("load"), sample_tables());
    assert_eq!(data_trees(&store), trees_of(1));
}

#[test]
fn a_crash_after_the_switch_keeps_the_new_data() {
    let (_dir, path) = dir();
    let bundle = Counting::new("v1", sample_tables());
    let store = bundle.open(&path).expect("open");
    store.write_tables(2, &other_tables()).expect("write");
    store.switch(2, Origin::Modified, None).expect("switch");
    // Dies before dropping generation 1.
    drop(store);
    let store = bundle.open(&path).expect("reopen");
    assert_eq!(store.load().expect("load"), other_tables());
    assert_eq!(store.origin().expect("origin"), Origin::Modified);
    assert_eq!(data_trees(&store), trees_of(2));
    assert_eq!(bundle.calls.get(), 1);
}

#[test]
fn an_interrupted_first_fill_is_redone() {
    let (_dir, path) = dir();
    {
        let db = raw_open(&path);
        db.open_tree(codec::tree_name(1, "forces"))
            .expect("tree")
            .insert(codec::seq_key(0), &b"half"[..])
            .expect("insert");
        db.flush().expect("flush");
    }
    let bundle = Counting::new("v1", sample_tables());
    let store = bundle.open(&path).expect("open");
    assert_eq!(bundle.calls.get(), 1);
    assert_eq!(store.load().expect("load"), sample_tables());
}

#[test]
fn a_corrupt_record_is_reported_with_its_tree_and_key() {
    let (_dir, path) = dir();
    let store = Counting::new("v1", sample_tables()).open(&path).expect("open");
    let forces = store.db().open_tree("g1/forces").expect("tree");
    forces.insert(codec::seq_key(0), &[1, 0, 0, 0, 0xff, 0xff, 0xff][..]).expect("insert");
    let err = store.load().expect_err("corrupt");
    assert_eq!(err.code_str(), code::CORRUPT);
    assert!(err.message().contains("g1/forces"), "{}", err.message());
    assert!(err.message().contains("chunk 0"), "{}", err.message());
    assert!(err.message().contains(&path.display().to_string()));
    assert_eq!(store.load_dataset().expect_err("corrupt").code_str(), code::CORRUPT);

    let store = Counting::new("v1", sample_tables()).open(&dir().1).expect("open");
    let grades = store.db().open_tree("g1/grades").expect("tree");
    let mut bytes = grades.get(codec::seq_key(0)).expect("get").expect("chunk 0").to_vec();
    let last = bytes.len() - 1;
    bytes[last] = 9; // not a basis
    grades.insert(codec::seq_key(0), bytes).expect("insert");
    let err = store.load().expect_err("corrupt");
    assert_eq!(err.code_str(), code::CORRUPT);
    assert!(err.message().contains("the grades in tree g1/grades cannot be read"), "{}", err.message());
}

#[test]
fn missing_or_misplaced_records_are_corruption() {
    let (_dir, path) = dir();
    let store = Counting::new("v1", sample_tables()).open(&path).expect("open");
    let forces = store.db().open_tree("g1/forces").expect("tree");
    let chunk = forces.get(codec::seq_key(0)).expect("get").expect("chunk 0");
    forces.insert(codec::seq_key(2), chunk).expect("insert");
    let err = store.load().expect_err("gap");
    assert_eq!(err.code_str(), code::CORRUPT);
    assert!(err.message().contains("g1/forces has chunk 2 where chunk 1 belongs"), "{}", err.message());

    let grades = store.db().open_tree("g1/grades").expect("tree");
    grades.remove(codec::seq_key(0)).expect("remove");
    forces.remove(codec::seq_key(2)).expect("remove");
    let err = store.load().expect_err("no grades");
    assert_eq!(err.code_str(), code::CORRUPT);
    assert!(err.message().contains("g1/grades is empty"), "{}", err.message());

    store.db().drop_tree("g1/themes").expect("drop");
    let err = store.load().expect_err("missing tree");
    assert_eq!(err.code_str(), code::CORRUPT);
    assert!(err.message().contains("g1/themes"), "{}", err.message());
}

#[test]
fn grades_spanning_many_chunks_round_trip() {
    let (_dir, path) = dir();
    let store = Counting::new("v1", sample_tables()).open(&path).expect("open");
    let many = many_grades(120_000);
    store.replace(&many).expect("replace");
    let generation = store.expect_current().expect("current").generation;
    let keys = store.db().open_tree(codec::tree_name(generation, "grades")).expect("tree").len();
    assert!(keys > 2, "{keys} chunks");
    assert_eq!(store.load().expect("load"), many);
}

#[test]
fn a_data_set_opens_straight_from_the_store() {
    let (_dir, path) = dir();
    let bundled = || crate::catalog::files::DataFiles::bundled().to_tables();
    let store = SledStore::open(&path, &Bundle { fingerprint: "b", tables: &bundled }).expect("open");
    let ds = store.load_dataset().expect("data set");
    let direct = Dataset::build(bundled().expect("bundled")).expect("build");
    assert_eq!(format!("{:?}", ds.grades), format!("{:?}", direct.grades));
    assert_eq!(format!("{:?}", ds.inspections), format!("{:?}", direct.inspections));
    assert_eq!(ds.tables(), direct.tables());
}

#[test]
fn thirty_thousand_grades_round_trip() {
    let (_dir, path) = dir();
    let bundle = Counting::new("v1", sample_tables());
    let store = bundle.open(&path).expect("open");
    let many = many_grades(30_000);
    store.replace(&many).expect("replace");
    assert_eq!(store.load().expect("load"), many);
    drop(store);
    let store = bundle.open(&path).expect("reopen");
    assert_eq!(store.load().expect("load"), many);
}

#[test]
fn loads_never_see_a_half_replaced_store() {
    let (_dir, path) = dir();
    let store = Arc::new(Counting::new("v1", sample_tables()).open(&path).expect("open"));
    let writer = {
        let store = Arc::clone(&store);
        thread::spawn(move || {
            for i in 0..10 {
                let tables = if i % 2 == 0 { other_tables() } else { sample_tables() };
                store.replace(&tables).expect("replace");
            }
        })
    };
    for _ in 0..50 {
        let loaded = store.load().expect("load");
        assert!(loaded == sample_tables() || loaded == other_tables());
    }
    writer.join().expect("writer");
}

#[test]
fn unusable_paths_are_explained() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("file");
    fs::write(&file, "not a store").expect("write");
    let bundle = Counting::new("v1", sample_tables());

    let err = bundle.open(&file).expect_err("a file");
    assert_eq!(err.code_str(), code::OPEN);
    assert_eq!(
        err.message(),
        format!("cannot open the store at {}: it is a file, not a folder", file.display())
    );

    let below = file.join("store");
    let err = bundle.open(&below).expect_err("below a file");
    assert_eq!(err.code_str(), code::OPEN);
    assert!(err.message().contains(&below.display().to_string()), "{}", err.message());
    assert!(!err.message().contains("os error"), "{}", err.message());
    assert_eq!(bundle.calls.get(), 0);
}

#[test]
fn a_failing_bundle_fails_the_open() {
    let (_dir, path) = dir();
    let build = || Err(Error::data("peelql::data::test", "bad bundle"));
    let bundle = Bundle { fingerprint: "v1", tables: &build };
    let err = SledStore::open(&path, &bundle).expect_err("bundle fails");
    assert_eq!(err.code_str(), "peelql::data::test");
    // Nothing half-made is left: a good bundle fills it next time.
    let store = Counting::new("v1", sample_tables()).open(&path).expect("open");
    assert_eq!(store.load().expect("load"), sample_tables());
}
