//! The fault suite of issue 12: stray paths, a store whose data vanished,
//! output aimed into a store, and (where the machine allows mounting) a
//! full disk. Each case checks that nothing of the user's is touched and
//! that the store still opens and holds exactly the old or the new data.

mod common;
use common::{BIN, peelql, stderr, stdout};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A CSV of one grade the bundled data lacks (Kent, PEEL 2023-25).
fn one_grade(dir: &Path) -> PathBuf {
    grade_file(dir, "kent", "good")
}

/// A CSV, `FORCE.csv`, of `force`'s PEEL 2023-25 grade for managing
/// offenders, sourced from the fault suite's own page.
fn grade_file(dir: &Path, force: &str, grade: &str) -> PathBuf {
    let path = dir.join(format!("{force}.csv"));
    fs::write(
        &path,
        format!(
            "force,programme,published,area,grade,source_url,basis\n\
             {force},peel 2023,2025-06,Managing offenders,{grade},https://example.org/fault,stated\n"
        ),
    )
    .expect("write");
    path
}

const IMPORTED: &str = r#"grades where source ~ "example.org/fault" select force, grade"#;

#[test]
fn a_folder_of_other_files_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("documents");
    fs::create_dir(&folder).expect("mkdir");
    fs::write(folder.join("db"), "my own notes").expect("write");
    fs::write(folder.join("report.txt"), "draft").expect("write");
    for args in [&["-c", "forces limit 1"][..], &["import", "x.csv"], &["export"]] {
        let out = peelql(&folder, args);
        assert!(!out.status.success(), "{args:?} must fail");
        let err = stderr(&out);
        assert!(err.contains("peelql::store::not_a_store"), "{args:?}: {err}");
        assert!(err.contains("is not a PeelQL store and is not empty"), "{err}");
        assert!(err.contains("`db`"), "the user's file is named: {err}");
    }
    assert_eq!(names(&folder), ["db", "report.txt"]);
    assert_eq!(fs::read_to_string(folder.join("db")).expect("read"), "my own notes");
}

#[test]
fn a_new_or_empty_folder_becomes_a_marked_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).expect("mkdir");
    for db in [empty.clone(), dir.path().join("a/new/store")] {
        let out = peelql(&db, &["-c", "forces where name ~ \"Kent\" select name"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("Kent Police"));
        assert_eq!(fs::read_to_string(db.join("peelql.store")).expect("marker"), "peelql store\n");
        // opened again, it is still a store
        assert!(peelql(&db, &["-c", "forces limit 1"]).status.success());
    }
}

#[test]
fn output_inside_the_store_is_refused_and_the_store_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("store");
    let imported = peelql(&db, &["import", one_grade(dir.path()).to_str().expect("utf-8")]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let before = names(&db);
    for target in ["db", "conf", "sub/export.csv", "."] {
        let out = peelql(&db, &["export", "-o", db.join(target).to_str().expect("utf-8")]);
        assert!(!out.status.success(), "export -o {target} must fail");
        assert!(stderr(&out).contains("peelql::output::inside_store"), "{}", stderr(&out));
    }
    let script = peelql(&db, &["-f", "csv", "-o", db.to_str().expect("utf-8"), "-c", "forces limit 1"]);
    assert!(!script.status.success());
    assert!(stderr(&script).contains("peelql::output::inside_store"), "{}", stderr(&script));
    assert_eq!(names(&db), before, "nothing was written in the store");
    let after = peelql(&db, &["-f", "csv", "-c", IMPORTED]);
    assert!(after.status.success(), "{}", stderr(&after));
    assert_eq!(stdout(&after), "force,grade\nKent Police,good\n");
    // outside the store, the export is written
    let out = peelql(&db, &["export", "-o", dir.path().join("all.csv").to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_store_that_held_imported_data_is_never_reseeded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("store");
    let imported = peelql(&db, &["import", one_grade(dir.path()).to_str().expect("utf-8")]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    // sled's data and every snapshot deleted, `conf` kept
    for name in names(&db) {
        if name == "db" || name.starts_with("snap") {
            let path = db.join(&name);
            if path.is_dir() { fs::remove_dir_all(path) } else { fs::remove_file(path) }.expect("remove");
        }
    }
    for args in [&["-c", "forces limit 1"][..], &["export"]] {
        let out = peelql(&db, args);
        assert!(!out.status.success(), "{args:?} must fail, not refill from the bundled data");
        let err = stderr(&out);
        assert!(err.contains("peelql::store::corrupt"), "{err}");
        assert!(err.contains("has held imported data"), "{err}");
    }
    // a store of bundled data only may still be refilled: nothing of the user's is lost
    let fresh = dir.path().join("fresh");
    assert!(peelql(&fresh, &["-c", "forces limit 1"]).status.success());
    fs::remove_file(fresh.join("db")).expect("remove db");
    for name in names(&fresh) {
        if name.starts_with("snap") {
            fs::remove_file(fresh.join(name)).expect("remove");
        }
    }
    let refilled = peelql(&fresh, &["-c", "forces where name ~ \"Kent\" select name"]);
    assert!(refilled.status.success(), "{}", stderr(&refilled));
}

#[test]
fn a_store_made_before_the_marker_is_recognised_and_marked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("store");
    let imported = peelql(&db, &["import", one_grade(dir.path()).to_str().expect("utf-8")]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    fs::remove_file(db.join("peelql.store")).expect("unmark");
    let out = peelql(&db, &["-f", "csv", "-c", IMPORTED]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "force,grade\nKent Police,good\n");
    assert_eq!(fs::read_to_string(db.join("peelql.store")).expect("marker"), "peelql store\nimported\n");
}

#[test]
fn a_column_or_key_given_twice_is_a_problem_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("store");
    let csv = dir.path().join("twice.csv");
    fs::write(
        &csv,
        "force,programme,published,area,grade,source_url,basis,grade\n\
         kent,peel 2023,2025-06,Managing offenders,good,https://example.org/fault,stated,inadequate\n",
    )
    .expect("write");
    let json = dir.path().join("twice.json");
    fs::write(
        &json,
        r#"[{"force":"kent","programme":"peel 2023","published":"2025-06","area":"Managing offenders",
  "grade":"good","source_url":"https://example.org/fault","basis":"stated","grade":"inadequate"}]"#,
    )
    .expect("write");
    for (file, place) in [(&csv, "twice.csv:1:55"), (&json, "twice.json:2:84")] {
        let out = peelql(&db, &["import", file.to_str().expect("utf-8")]);
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(err.contains(place), "{err}");
        assert!(err.contains("twice"), "{err}");
    }
    let after = peelql(&db, &["-f", "csv", "-c", IMPORTED]);
    assert_eq!(stdout(&after), "force,grade\n", "nothing was imported: {}", stderr(&after));
}

#[test]
fn a_long_flat_chain_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("chain.pql");
    let terms = vec![r#"name = "Kent Police""#; 7000].join(" or ");
    fs::write(&script, format!("forces where {terms} select name")).expect("write");
    let out =
        Command::new(BIN).args(["--memory", "run"]).arg(&script).env("NO_COLOR", "1").output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("peelql::parse::too_long"), "{}", stderr(&out));
    // a JSON-lines server answers it and goes on
    let request = serde_json::json!({ "query": format!("forces where {terms}") }).to_string();
    let input = format!("{request}\n{{\"query\": \"programmes select count()\"}}\n");
    let mut child = Command::new(BIN)
        .args(["--memory", "--json-lines"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).expect("utf-8").lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].contains("peelql::parse::too_long"), "{}", lines[0]);
    assert!(lines[1].contains("\"rows\""), "{}", lines[1]);
}

#[test]
fn an_error_past_column_65535_is_drawn_around_its_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("wide.pql");
    fs::write(&script, format!("forces where {}bogus = 2", " ".repeat(70_000))).expect("write");
    let out =
        Command::new(BIN).args(["--memory", "run"]).arg(&script).env("NO_COLOR", "1").output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "a clean error, not a panic: {}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("wide.pql:1:70014"), "{err}");
    assert!(err.contains("bogus"), "{err}");
    assert!(err.len() < 2000, "a window on the line, not the line: {} bytes", err.len());
}

#[test]
fn a_huge_name_gets_a_short_error_without_a_long_search() {
    let huge = "x".repeat(5_000_000);
    let engine = peelql::Engine::in_memory().expect("bundled");
    let err = engine.query(&format!("forces where name = \"{huge}\"")).expect_err("no such force");
    assert_eq!(err.code_str(), "peelql::resolve::unknown_force");
    assert!(err.to_string().len() < 400, "{}", err.to_string().len());
    let err = engine.query(&format!("grades where area(\"{huge}\") = good")).expect_err("no such area");
    assert!(err.to_string().len() < 400);
}

#[test]
fn a_session_holds_at_most_a_thousand_lets_and_rebinding_is_free() {
    let engine = peelql::Engine::in_memory().expect("bundled");
    let mut session = engine.session();
    let params = peelql::Params::new();
    let mut script = String::new();
    for n in 0..peelql::engine::MAX_LETS {
        script.push_str(&format!("let t{n} = programmes;\n"));
    }
    session.run_script(&script, &params, |_, _| {}).expect("a thousand lets");
    session.run_script("let t0 = forces; let t999 = grades", &params, |_, _| {}).expect("rebinding");
    let err = session.run_script("let one_more = forces", &params, |_, _| {}).expect_err("too many");
    assert_eq!(err.code_str(), "peelql::resolve::too_many_lets");
}

/// A tmpfs of `mib` MiB mounted on a temporary folder, unmounted when
/// dropped; `None` (with a message) where this machine cannot mount (not
/// root, or no tmpfs in a container).
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(mib: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().expect("tempdir");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"])
            .arg(dir.path())
            .output();
        match mounted {
            Ok(o) if o.status.success() => Some(SmallDisk { dir }),
            Ok(o) => {
                eprintln!("SKIP full-disk case: cannot mount a tmpfs here ({})", stderr(&o).trim());
                None
            }
            Err(e) => {
                eprintln!("SKIP full-disk case: no mount command ({e})");
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Gives the disk `mib` MiB: space freed.
    fn grow(&self, mib: u32) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,size={mib}m")])
            .arg(self.path())
            .output()
            .expect("mount runs");
        assert!(out.status.success(), "remount: {}", stderr(&out));
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).output();
    }
}

/// The bundled data exported whole, every grade's source made 3 KB longer
/// and unique: about 3 MB that replaces all 973 grades.
fn big_import(dir: &Path) -> PathBuf {
    let all = dir.join("all.csv");
    let out = Command::new(BIN).args(["--memory", "export", "-o"]).arg(&all).output().expect("export");
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::Reader::from_path(&all).expect("read export");
    let header = reader.headers().expect("header").clone();
    let kind = header.iter().position(|h| h == "kind").expect("kind column");
    let url = header.iter().position(|h| h == "source_url").expect("source_url column");
    let big = dir.join("big.csv");
    let mut writer = csv::Writer::from_path(&big).expect("write");
    writer.write_record(&header).expect("write");
    for (n, record) in reader.records().enumerate() {
        let mut record: Vec<String> = record.expect("record").iter().map(str::to_owned).collect();
        if record[kind] == "grade" {
            record[url] = format!("{}?fault={n}{}", record[url], "y".repeat(3000));
        }
        writer.write_record(&record).expect("write");
    }
    writer.flush().expect("flush");
    big
}

/// A question whose answer shows which data a store holds: the bundled
/// (`?fault=` absent) or the big import's.
const WHICH: &str = r#"grades in all where source ~ "?fault=" select count() as n"#;

fn answer(db: &Path) -> String {
    let out = peelql(db, &["-f", "csv", "-c", WHICH]);
    assert!(out.status.success(), "the store still answers: {}", stderr(&out));
    stdout(&out)
}

/// Runs `peelql --db db import file --replace` (with `env` set), failing the
/// test if it has not ended after `limit`.
fn import_within(db: &Path, file: &Path, env: Option<(&str, &str)>, limit: std::time::Duration) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("--db").arg(db).arg("import").arg(file).arg("--replace").env("NO_COLOR", "1");
    if let Some((k, v)) = env {
        cmd.env(k, v);
    }
    let mut child =
        cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("spawn");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the import was still running after {limit:?} on a full disk");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.wait_with_output().expect("output")
}

#[test]
fn a_write_that_cannot_fit_is_refused_before_it_starts() {
    let work = tempfile::tempdir().expect("tempdir");
    let big = big_import(work.path());
    let Some(disk) = SmallDisk::mount(4) else { return };
    let db = disk.path().join("store");
    assert_eq!(answer(&db), "n\n0\n", "a new store holds the bundled data");
    let out = import_within(&db, &big, None, std::time::Duration::from_secs(60));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("peelql::store::write"), "{err}");
    assert!(err.contains("the disk is full") && err.contains("nothing was written"), "{err}");
    assert_eq!(answer(&db), "n\n0\n", "the old data, whole");
    // with room, the same import goes through
    disk.grow(64);
    let out = import_within(&db, &big, None, std::time::Duration::from_secs(120));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(answer(&db), "n\n973\n", "the new data, whole");
}

#[test]
fn a_write_that_hits_a_full_disk_fails_fast_and_the_store_recovers_when_space_is_back() {
    let work = tempfile::tempdir().expect("tempdir");
    let big = big_import(work.path());
    let Some(disk) = SmallDisk::mount(3) else { return };
    let db = disk.path().join("store");
    assert_eq!(answer(&db), "n\n0\n");
    // past the space check, the write meets the full disk (the pending
    // snapshot, written first, or sled's trees)
    let no_check = Some(("PEELQL_FAULT_NO_SPACE_CHECK", "1"));
    let out = import_within(&db, &big, no_check, std::time::Duration::from_secs(60));
    assert!(!out.status.success(), "the import cannot fit in 3 MiB");
    let err = stderr(&out);
    assert!(err.contains("peelql::store::write") && err.contains("disk"), "{err}");
    // readers answer from the last committed data while the disk is full
    assert_eq!(answer(&db), "n\n0\n");
    // a second writer is refused before anything is written: before sled
    // opens when the failed write left less than an open needs (an open
    // that fails on a full disk could damage the store), else by the
    // write's own space check
    let again = import_within(&db, &big, None, std::time::Duration::from_secs(60));
    assert!(!again.status.success());
    let err = stderr(&again);
    let refused = err.contains("peelql::store::open")
        || (err.contains("peelql::store::write") && err.contains("nothing was written"));
    assert!(refused && err.contains("the disk is full"), "{err}");
    assert_eq!(answer(&db), "n\n0\n");
    // space back: the store opens and takes the import
    disk.grow(64);
    let out = import_within(&db, &big, None, std::time::Duration::from_secs(120));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(answer(&db), "n\n973\n");
}

/// A store holding the one imported grade of [`one_grade`].
fn store_with_one_import(dir: &Path) -> PathBuf {
    let db = dir.join("store");
    let imported = peelql(&db, &["import", one_grade(dir).to_str().expect("utf-8")]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    db
}

/// A second import, of another new grade, that needs sled open for writing.
fn import_another(dir: &Path, db: &Path) -> Output {
    let path = grade_file(dir, "dorset", "adequate");
    peelql(db, &["import", path.to_str().expect("utf-8")])
}

#[test]
fn a_snapshot_sled_was_killed_writing_is_cleared_not_read_as_damage() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = store_with_one_import(dir.path());
    // what a kill during sled's own snapshot leaves: sled 0.34 then read it
    // as its newest snapshot, and every later open said "corrupt"
    fs::write(db.join("snap.FFFFFFFFFFFFFFFF.generating"), "").expect("write");
    let out = import_another(dir.path(), &db);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = peelql(&db, &["-f", "csv", "-c", IMPORTED]);
    assert_eq!(stdout(&after), "force,grade\nDorset Police,adequate\nKent Police,good\n");
    assert!(!names(&db).iter().any(|n| n.ends_with(".generating")));
}

#[test]
fn a_store_whose_sled_files_are_damaged_is_rebuilt_from_its_snapshot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = store_with_one_import(dir.path());
    // sled reads its newest snapshot first: an empty one is damage it reports
    fs::write(db.join("snap.FFFFFFFFFFFFFFFF"), "").expect("write");
    // while damaged, readers still answer from the committed snapshot
    let reader = peelql(&db, &["-f", "csv", "-c", IMPORTED]);
    assert_eq!(stdout(&reader), "force,grade\nKent Police,good\n", "{}", stderr(&reader));
    // a writer rebuilds sled from the snapshot, keeping the damaged files
    let out = import_another(dir.path(), &db);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = peelql(&db, &["-f", "csv", "-c", IMPORTED]);
    assert_eq!(stdout(&after), "force,grade\nDorset Police,adequate\nKent Police,good\n");
    let aside: Vec<String> = names(&db).into_iter().filter(|n| n.starts_with("damaged-")).collect();
    assert_eq!(aside.len(), 1, "{:?}", names(&db));
    let kept = names(&db.join(&aside[0]));
    assert!(
        kept.contains(&"db".to_owned()) && kept.contains(&"snap.FFFFFFFFFFFFFFFF".to_owned()),
        "{kept:?}"
    );
    // and the store is still a store: it opens again, as itself
    assert!(peelql(&db, &["export"]).status.success());
}

#[test]
fn a_damaged_store_with_a_commit_under_way_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = store_with_one_import(dir.path());
    fs::write(db.join("snap.FFFFFFFFFFFFFFFF"), "").expect("write");
    // a pending snapshot: whether its commit happened cannot be told
    fs::copy(db.join("snapshot.pqs"), db.join("snapshot.pqs.tmp")).expect("copy");
    let before = names(&db);
    let out = import_another(dir.path(), &db);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("peelql::store::corrupt"), "{err}");
    assert_eq!(names(&db), before, "nothing was moved or removed");
}
