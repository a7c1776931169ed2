//! Every `examples/*.pql` script, run by the real binary over the bundled
//! data as a reader would run it:
//!
//! ```text
//! peelql --memory run examples/NAME.pql --format markdown
//! ```
//!
//! with no other argument, and compared with `examples/expected/NAME.md`:
//! standard output, then the warnings printed on standard error, if any,
//! in a block of their own. A script's parameters take the defaults of its
//! header line `-- params: name=value name2=value2`.
//! `BLESS=1 cargo test --test examples` rewrites the expected files.

use std::path::Path;
use std::process::Command;

#[test]
fn examples_give_their_expected_answers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("examples");
    let bless = std::env::var_os("BLESS").is_some();
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pql"))
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 10, "only {} example scripts", scripts.len());
    let mut failures = Vec::new();
    for script in &scripts {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_peelql"));
        cmd.current_dir(root).env("NO_COLOR", "1").args(["--memory", "run"]);
        cmd.arg(script.strip_prefix(root).unwrap()).args(["--format", "markdown"]);
        let out = cmd.output().unwrap();
        let name = script.file_stem().unwrap().to_string_lossy().to_string();
        if !out.status.success() {
            failures.push(format!(
                "{name}: exit {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let mut got = String::from_utf8(out.stdout).unwrap();
        let warnings = String::from_utf8(out.stderr).unwrap();
        if !warnings.is_empty() {
            got.push_str(&format!("\nWarnings (on standard error):\n\n```text\n{warnings}```\n"));
        }
        let expected_path = dir.join("expected").join(format!("{name}.md"));
        if bless {
            std::fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
            std::fs::write(&expected_path, &got).unwrap();
        } else if std::fs::read_to_string(&expected_path).unwrap_or_default() != got {
            failures.push(format!("{name}: output differs from {}", expected_path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_parameter_on_the_command_line_wins_over_the_scripts_default() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_peelql"))
            .current_dir(root)
            .env("NO_COLOR", "1")
            .args(["--memory", "run", "examples/force_area_history.pql", "--format", "markdown"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        // the first table: the force's history in the area
        let text = String::from_utf8(out.stdout).unwrap();
        text.split("\n\n").next().unwrap_or("").to_string()
    };
    // the header says force=gmp area=investigating
    let default = run(&[]);
    assert!(default.contains("Investigating crime"), "{default}");
    let cambs = run(&["--param", "force=cambs"]);
    assert_ne!(cambs, default);
    let both = run(&["--param", "force=cambs", "--param", "area=responding"]);
    assert!(both.contains("Responding to the public"), "{both}");
    assert!(!both.contains("Investigating crime"), "{both}");
}
