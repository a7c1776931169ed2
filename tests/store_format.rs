//! A store written by an older peelql opens with this one and keeps what
//! its user imported. `tests/fixtures/store-format-4/` was written by the
//! build of commit b9321d6 (store format 4); see its README.

use peelql::Engine;
use peelql::catalog::files::DataFiles;
use std::fs;
use std::path::Path;

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create the copy");
    for entry in fs::read_dir(from).expect("read the fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// A copy of the format-4 store, to be migrated.
fn format_4_store() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-format-4/store");
    copy_dir(&fixture, &path);
    (dir, path)
}

fn csv(engine: &Engine, query: &str) -> Vec<String> {
    let rows = engine.query(query).expect("query");
    rows.rows.iter().map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")).collect()
}

#[test]
fn a_format_4_store_keeps_its_imported_grades_and_history() {
    let (_dir, path) = format_4_store();
    let engine = Engine::open(&path).expect("the format-4 store opens");
    assert_eq!(
        csv(&engine, r#"grades where source ~ "example.org/fixture" select force, area, grade, basis"#),
        [
            "Cheshire Constabulary,Preventing crime,good,stated",
            "Cheshire Constabulary,Investigating crime,adequate,inferred",
            "Kent Police,Preventing crime,adequate,stated",
        ]
    );
    let tables = engine.tables();
    assert_eq!(tables.history.len(), 1, "the replaced grade is still in the history");
    assert_eq!(tables.history[0].previous.force, "Kent Police");
    assert_eq!(tables.history[0].replaced_by, "user-correction.csv");
    // the bundled moves came with the migration
    let bundled = DataFiles::bundled().to_tables().expect("bundled data");
    assert_eq!(tables.monitoring, bundled.monitoring);
    assert_eq!(tables.monitoring.len(), 23);
}

#[test]
fn a_migrated_store_reopens_as_it_was_left() {
    let (_dir, path) = format_4_store();
    let first = {
        let engine = Engine::open(&path).expect("migrate");
        engine.tables()
    };
    let engine = Engine::open(&path).expect("reopen the migrated store");
    assert_eq!(engine.tables(), first);
    let marker = fs::read_to_string(path.join("peelql.store")).expect("marker");
    assert!(marker.contains("imported"), "still marked as holding imported data: {marker}");
}
