//! Readers never wait for a writer (issue 12): while one process imports
//! into a store again and again, other processes query it in a loop, and
//! every query answers — with the data of before or after an import,
//! never a mixture, never an error. Readers answer from the snapshot of
//! the last committed data beside sled, without taking sled's lock.

mod common;
use common::peelql_wide as peelql;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A file of `n` grades of PEEL 2023-25 the bundled data lacks, all `grade`.
fn grades_file(dir: &Path, name: &str, n: usize, grade: &str) -> std::path::PathBuf {
    let engine = peelql::Engine::in_memory().expect("bundled data");
    let ds = engine.dataset();
    let cat = &ds.catalog;
    let programme = cat.programme_id("PEEL 2023-25").expect("programme");
    let mut text = String::from("force,programme,published,area,grade,source_url,basis\n");
    let mut rows = 0;
    for force in &cat.forces {
        for &area in &cat.programme(programme).areas {
            let held = ds.inspection_of(force.id, programme).and_then(|i| ds.grade_in(i, area)).is_some();
            if !held && rows < n {
                let area = &cat.area(area).name;
                text.push_str(&format!(
                    "\"{}\",PEEL 2023-25,2025-03,\"{area}\",{grade},https://example.org/reader/{rows},stated\n",
                    force.name
                ));
                rows += 1;
            }
        }
    }
    assert_eq!(rows, n);
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

const QUERY: &str =
    r#"grades in peel 2023 where source ~ "example.org/reader/" group by grade select grade, count()"#;

#[test]
fn queries_answer_old_or_new_data_while_another_process_imports() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    let n = 60;
    let good = grades_file(dir.path(), "good.csv", n, "good");
    let bad = grades_file(dir.path(), "bad.csv", n, "inadequate");
    let first = peelql(&db, &["import", good.to_str().unwrap()]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let answers = [format!("grade,count\ngood,{n}\n"), format!("grade,count\ninadequate,{n}\n")];

    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let (db, writing) = (db.clone(), Arc::clone(&writing));
        let files = [bad, good];
        std::thread::spawn(move || {
            let mut commits = 0;
            for round in 0..8 {
                let file = &files[round % 2];
                let o = peelql(&db, &["import", "--replace", file.to_str().unwrap()]);
                assert!(o.status.success(), "import {round}: {}", String::from_utf8_lossy(&o.stderr));
                commits += 1;
            }
            writing.store(false, Ordering::SeqCst);
            commits
        })
    };
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (db, writing, answers) = (db.clone(), Arc::clone(&writing), answers.clone());
            std::thread::spawn(move || {
                let mut seen = [0usize; 2];
                let deadline = Instant::now() + Duration::from_secs(120);
                while writing.load(Ordering::SeqCst) && Instant::now() < deadline {
                    let o = peelql(&db, &["-c", QUERY, "-f", "csv"]);
                    let (out, err) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
                    assert!(o.status.success(), "a query failed while another process imported: {err}");
                    let k = answers.iter().position(|a| *a == out);
                    let Some(k) = k else { panic!("an answer of neither the old nor the new data: {out}") };
                    seen[k] += 1;
                }
                seen
            })
        })
        .collect();
    let commits = writer.join().expect("writer");
    assert_eq!(commits, 8);
    let mut total = [0usize; 2];
    for r in readers {
        let seen = r.join().expect("a reader never failed");
        total[0] += seen[0];
        total[1] += seen[1];
    }
    assert!(total[0] + total[1] >= 4, "the readers ran only {total:?} queries");
    // after the last import (good), the store holds exactly it
    let o = peelql(&db, &["-c", QUERY, "-f", "csv"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout), answers[0]);
}

/// A store holding 60 imported grades (all `good`), and the CSV text of
/// the same grades all `inadequate`.
fn store_with_an_import(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let db = dir.join("store");
    let good = grades_file(dir, "good.csv", 60, "good");
    let bad = grades_file(dir, "bad.csv", 60, "inadequate");
    let o = peelql(&db, &["import", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (db, bad)
}

fn answer(db: &Path) -> String {
    let o = peelql(db, &["-c", QUERY, "-f", "csv"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A writer that died after its switch, before moving the new snapshot
/// into place, leaves the old snapshot and a pending one: the next reader
/// finds sled free, sees the pending one is the current generation's, and
/// answers the new data.
#[test]
fn a_writer_killed_between_switch_and_rename_shows_its_commit() {
    let dir = tempfile::tempdir().unwrap();
    let (db, bad) = store_with_an_import(dir.path());
    let old = std::fs::read(db.join("snapshot.pqs")).unwrap();
    let o = peelql(&db, &["import", "--replace", bad.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // put the files back as they were just before the rename
    std::fs::rename(db.join("snapshot.pqs"), db.join("snapshot.pqs.tmp")).unwrap();
    std::fs::write(db.join("snapshot.pqs"), &old).unwrap();
    assert_eq!(answer(&db), "grade,count\ninadequate,60\n");
    assert!(!db.join("snapshot.pqs.tmp").exists(), "the pending snapshot was moved into place");
    assert_eq!(answer(&db), "grade,count\ninadequate,60\n");
}

/// A writer that died before its switch leaves a pending snapshot of a
/// generation sled never switched to: the next reader answers what sled
/// holds and drops the pending file.
#[test]
fn a_pending_snapshot_of_an_uncommitted_generation_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let (db, bad) = store_with_an_import(dir.path());
    let o = peelql(&db, &["import", "--replace", bad.to_str().unwrap()]);
    assert!(o.status.success());
    // the new data's snapshot as a pending one, over a store that (as far
    // as readers can tell) still holds the old generation: stamp it with
    // a generation sled never switched to
    let mut pending = std::fs::read(db.join("snapshot.pqs")).unwrap();
    pending[16..24].copy_from_slice(&999u64.to_le_bytes());
    std::fs::write(db.join("snapshot.pqs.tmp"), &pending).unwrap();
    assert_eq!(answer(&db), "grade,count\ninadequate,60\n", "sled's current data, not the pending file's");
    assert!(!db.join("snapshot.pqs.tmp").exists());
}

/// A missing snapshot is rebuilt from sled; a damaged one fails the query
/// that reads the damage with `store::corrupt`, is set aside, and is
/// rebuilt by the next open — never a wrong answer.
#[test]
fn a_missing_or_damaged_snapshot_is_rebuilt_from_sled() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = store_with_an_import(dir.path());
    std::fs::remove_file(db.join("snapshot.pqs")).unwrap();
    assert_eq!(answer(&db), "grade,count\ngood,60\n");
    assert!(db.join("snapshot.pqs").exists(), "rebuilt");

    // a source page's text (in the grade columns and a chunk of texts,
    // each with its hash): flip a letter of its first copy
    let mut bytes = std::fs::read(db.join("snapshot.pqs")).unwrap();
    let page = b"example.org/reader/";
    let at = bytes.windows(page.len()).position(|w| w == page).expect("a source page in the snapshot");
    bytes[at] ^= 0x20;
    std::fs::write(db.join("snapshot.pqs"), &bytes).unwrap();
    let q = r#"grades in peel 2023 where source ~ "example.org/reader/" select source"#;
    let o = peelql(&db, &["-c", q, "-f", "csv"]);
    assert!(!o.status.success(), "a damaged snapshot gave an answer: {}", String::from_utf8_lossy(&o.stdout));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("peelql::store::corrupt"), "{err}");
    assert!(err.contains("has been set aside"), "{err}");
    let o = peelql(&db, &["-c", q, "-f", "csv"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 61);
}

/// Import reads at most 256 MiB: a larger file is refused before it is
/// read, and an endless stream (`/dev/zero`) after 256 MiB, with a plain
/// error and nothing written.
#[test]
fn an_import_too_big_or_endless_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = store_with_an_import(dir.path());
    let huge = dir.path().join("huge.csv");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(peelql::import::MAX_IMPORT_BYTES + 1).unwrap(); // sparse: no disk used
    let o = peelql(&db, &["import", huge.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("peelql::import::too_big") && err.contains("larger than 256 MiB"), "{err}");
    if Path::new("/dev/zero").exists() {
        let o = peelql(&db, &["import", "--format", "csv", "/dev/zero"]);
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("peelql::import::too_big"), "{err}");
    }
    assert_eq!(answer(&db), "grade,count\ngood,60\n", "nothing changed");
}
