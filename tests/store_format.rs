//! A store written by an older peelql opens with this one and keeps what
//! its user imported. `tests/fixtures/store-format-4/` was written by the
//! build of commit b9321d6 (store format 4), `tests/fixtures/store-format-5/`
//! by the build of commit d316c6e (format 5); see their READMEs.

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

/// A copy of the format-`n` store, to be migrated.
fn format_store(n: u32) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/store-format-{n}/store"));
    copy_dir(&fixture, &path);
    (dir, path)
}

/// A copy of the format-4 store, to be migrated.
fn format_4_store() -> (tempfile::TempDir, std::path::PathBuf) {
    format_store(4)
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
    // and the fire half (format 5 → 6)
    assert_eq!(tables.fire, bundled.fire);
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

#[test]
fn a_format_5_store_keeps_its_imports_and_gains_the_fire_and_rescue_services() {
    let (_dir, path) = format_store(5);
    let engine = Engine::open(&path).expect("the format-5 store opens");
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
    // the imported move is kept: 23 bundled and Lincolnshire's exit
    assert_eq!(tables.monitoring.len(), 24);
    let exit = tables.monitoring.last().expect("a move");
    assert_eq!(
        (exit.force.as_str(), exit.source_url.as_str()),
        ("Lincolnshire Police", "https://example.org/fixture/lincs-exit")
    );
    // the fire half came with the migration, whole
    let bundled = DataFiles::bundled().to_tables().expect("bundled data");
    assert_eq!(tables.fire, bundled.fire);
    assert_eq!(tables.fire.grades.len(), 459);
    assert_eq!(tables.fire.services.len(), 46);
    assert_eq!(tables.fire.mergers.len(), 2);
    // and it is still marked as holding imported data, as it was
    let marker = fs::read_to_string(path.join("peelql.store")).expect("marker");
    assert!(marker.contains("imported"), "{marker}");
}

#[test]
fn a_migrated_format_5_store_reopens_as_it_was_left() {
    let (_dir, path) = format_store(5);
    let first = Engine::open(&path).expect("migrate").tables();
    let engine = Engine::open(&path).expect("reopen the migrated store");
    assert_eq!(engine.tables(), first);
}
