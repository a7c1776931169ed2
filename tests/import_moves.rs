//! Moves into and out of Engage through `peelql import` and `peelql
//! export`, on temporary stores: a good file lands once, a bad one names
//! every problem with file, line and column and leaves the store as it
//! was, and an export imports back into a fresh store as the same data.

mod common;
use common::{ok, peelql, write};

use std::path::Path;

fn moves(db: &Path) -> String {
    ok(&peelql(db, &["-c", "monitoring select force, event, date, causes, basis", "-f", "csv"]))
}

const HEADER: &str = "kind,force,event,date,causes_of_concern,source_url,basis,sentence\n";

#[test]
fn a_new_move_lands_once_and_changes_the_answer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let before = ok(&peelql(&db, &["-c", "forces where engage select name", "-f", "csv"]));
    assert_eq!(before, "name\nLincolnshire Police\n");
    let file = write(
        dir.path(),
        "exit.csv",
        &format!(
            "{HEADER}move,lincs,left,2026-02-03,,https://example.org/lincs-exit,stated,Returned to Scan.\n"
        ),
    );
    let first = peelql(&db, &["import", file.to_str().expect("path")]);
    let said = String::from_utf8_lossy(&first.stdout).into_owned() + &String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{said}");
    assert!(said.contains("moves: 1 added, 0 unchanged"), "{said}");
    let now = ok(&peelql(
        &db,
        &["-c", "forces select name, engage, engage_days, as_of where name = \"lincs\"", "-f", "csv"],
    ));
    assert_eq!(now, "name,engage,engage_days,as_of\nLincolnshire Police,false,424,2026-02-03\n");
    // again: nothing changes
    let again = peelql(&db, &["import", file.to_str().expect("path")]);
    let said = String::from_utf8_lossy(&again.stdout).into_owned() + &String::from_utf8_lossy(&again.stderr);
    assert!(again.status.success(), "{said}");
    assert!(said.contains("moves: 0 added, 1 unchanged"), "{said}");
    assert_eq!(moves(&db).lines().count(), 25);
}

#[test]
fn bad_moves_are_each_named_and_the_store_is_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let before = moves(&db);
    let file = write(
        dir.path(),
        "bad.csv",
        &format!(
            "{HEADER}\
             move,Nowhere Police,entered,2025-01-01,,https://example.org/a,stated,\n\
             move,cambs,left,2025-02-01,,https://example.org/b,stated,\n\
             move,lincs,entered,2025-08-01,2,https://example.org/c,stated,\n\
             move,kent,entered,2025-13-01,,https://example.org/d,stated,\n"
        ),
    );
    let out = peelql(&db, &["import", file.to_str().expect("path")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let name = file.display().to_string();
    for want in [
        format!("{name}:2:6: column `force`: no force is called \"Nowhere Police\""),
        format!(
            "{name}:3:12: column `event`: Cambridgeshire Constabulary left Engage without having entered it"
        ),
        format!("{name}:4:12: column `event`: Lincolnshire Police entered Engage twice in a row"),
        format!("{name}:5:19: column `date`: \"2025-13-01\" is not a date"),
    ] {
        assert!(err.contains(&want), "missing {want:?} in:\n{err}");
    }
    assert!(err.contains("4 problems"), "{err}");
    assert_eq!(moves(&db), before, "the store is untouched");
}

#[test]
fn json_moves_are_checked_the_same_way() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let before = moves(&db);
    let file = write(
        dir.path(),
        "bad.json",
        r#"{"monitoring": [
  {"force": "West Midlands Police", "event": "left", "date": "2025-01-01", "source_url": "https://example.org/x", "basis": "stated"},
  {"force": "Lincolnshire Police", "event": "left", "date": "2024-01-01", "source_url": "https://example.org/y", "basis": "stated"}
]}
"#,
    );
    let out = peelql(&db, &["import", file.to_str().expect("path")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let name = file.display().to_string();
    assert!(
        err.contains(&format!("{name}:2:"))
            && err.contains("West Midlands Police left Engage twice in a row"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:3:")) && err.contains("before its previous move, on 2024-12-06"),
        "{err}"
    );
    assert_eq!(moves(&db), before);
}

#[test]
fn exports_carry_the_moves_and_import_back_the_same() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let exit = write(
        dir.path(),
        "exit.csv",
        &format!("{HEADER}move,lincs,left,2026-02-03,,https://example.org/lincs-exit,stated,Returned.\n"),
    );
    ok(&peelql(&a, &["import", exit.to_str().expect("path")]));
    for format in ["csv", "json"] {
        let text = ok(&peelql(&a, &["export", "--format", format]));
        assert!(text.contains("lincs-exit"), "the {format} export holds the imported move");
        let file = write(dir.path(), &format!("all.{format}"), &text);
        let fresh = b.join(format);
        ok(&peelql(&fresh, &["import", file.to_str().expect("path")]));
        assert_eq!(moves(&fresh), moves(&a), "{format}");
    }
}

/// Lincolnshire's entry, as `data/engage.csv` has it, with `causes` and
/// `url` in place of its count of causes and its source page.
fn lincs_entry(causes: &str, url: &str) -> String {
    format!("move,lincs,entered,2024-12-06,{causes},{url},stated,Placed into Engage.\n")
}

#[test]
fn replace_changes_a_stored_move_in_place_and_without_it_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let before = moves(&db);
    assert!(before.contains("Lincolnshire Police,entered,2024-12-06,5,stated"), "{before}");
    let file = write(
        dir.path(),
        "fix.csv",
        &format!("{HEADER}{}", lincs_entry("6", "https://example.org/lincs-entry")),
    );
    let path = file.to_str().expect("path");
    // without --replace: a problem naming the column, and the store as it was
    let refused = peelql(&db, &["import", path]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert!(err.contains(&format!("{path}:2:")) && err.contains("with another causes_of_concern"), "{err}");
    assert!(err.contains("use --replace"), "{err}");
    assert_eq!(moves(&db), before);
    // a dry run says what would change and writes nothing
    let dry = ok(&peelql(&db, &["import", "--replace", "--dry-run", path]));
    assert!(dry.contains("moves: 0 added, 1 changed, 0 unchanged"), "{dry}");
    assert_eq!(moves(&db), before);
    // with --replace: changed in place, the old move shown; same count of moves
    let done = ok(&peelql(&db, &["import", "--replace", path]));
    assert!(done.contains("moves: 0 added, 1 changed, 0 unchanged"), "{done}");
    assert!(
        done.contains(
            "replaced the move Lincolnshire Police entered Engage on 2024-12-06: was 5 causes of concern"
        ),
        "{done}"
    );
    let after = moves(&db);
    assert_eq!(after.lines().count(), before.lines().count());
    assert!(after.contains("Lincolnshire Police,entered,2024-12-06,6,stated"), "{after}");
    let url = ok(&peelql(&db, &["-c", "monitoring where force = \"lincs\" select source_url", "-f", "csv"]));
    assert_eq!(url, "source_url\nhttps://example.org/lincs-entry\n");
    // the answers that follow from the moves are the same: only details changed
    let now = ok(&peelql(&db, &["-c", "forces where engage select name, engage_since", "-f", "csv"]));
    assert_eq!(now, "name,engage_since\nLincolnshire Police,2024-12-06\n");
    // again: unchanged
    let again = ok(&peelql(&db, &["import", "--replace", path]));
    assert!(again.contains("moves: 0 added, 1 unchanged"), "{again}");
}

#[test]
fn replace_is_checked_whole_a_bad_row_keeps_every_move_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let before = moves(&db);
    // a good replacement, the same move given twice, and a move out of order:
    // nothing lands
    let file = write(
        dir.path(),
        "mixed.csv",
        &format!(
            "{HEADER}{}{}move,cambs,left,2025-02-01,,https://example.org/b,stated,\n",
            lincs_entry("6", "https://example.org/one"),
            lincs_entry("7", "https://example.org/two"),
        ),
    );
    let path = file.to_str().expect("path");
    let out = peelql(&db, &["import", "--replace", path]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains(&format!("{path}:3:")) && err.contains("is given twice in this file (first on line 2)"),
        "{err}"
    );
    assert!(err.contains("Cambridgeshire Constabulary left Engage without having entered it"), "{err}");
    assert!(err.contains("2 problems"), "{err}");
    assert_eq!(moves(&db), before, "the store is untouched, the good row too");
}
