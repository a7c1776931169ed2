//! The language reference (`grammar/README.md`) shows real output: it is
//! generated from `grammar/reference/README.tmpl.md` by running every
//! example through the binary. This test regenerates it and fails when the
//! checked-in reference is stale. To refresh it after a deliberate change:
//!
//! ```text
//! cargo build && python3 grammar/reference/generate.py grammar/reference/README.tmpl.md grammar/README.md
//! ```

use std::path::Path;
use std::process::Command;

#[test]
fn the_language_reference_shows_what_the_engine_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 is not installed: skipping the reference check");
        return;
    }
    let out = tempfile::NamedTempFile::new().unwrap();
    let run = Command::new("python3")
        .arg(root.join("grammar/reference/generate.py"))
        .arg(root.join("grammar/reference/README.tmpl.md"))
        .arg(out.path())
        .env("PEELQL_BIN", env!("CARGO_BIN_EXE_peelql"))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&run.stdout).to_string() + &String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success() && report.contains("failures: 0"), "{report}");
    let fresh = std::fs::read_to_string(out.path()).unwrap();
    let checked_in = std::fs::read_to_string(root.join("grammar/README.md")).unwrap();
    if fresh != checked_in {
        let line = fresh.lines().zip(checked_in.lines()).position(|(a, b)| a != b).map_or(0, |i| i + 1);
        panic!(
            "grammar/README.md is out of date (first difference at line {line}); regenerate it (see this test's docs)"
        );
    }
}
