//! Every `examples/*.pql` script, run by the real binary over the bundled
//! data as a reader would run it:
//!
//! ```text
//! peelql --memory run examples/NAME.pql --format markdown [--param name=value]…
//! ```
//!
//! and compared with `examples/expected/NAME.md`: standard output, then
//! the warnings printed on standard error, if any, in a block of their
//! own. Parameters come from a header line `-- params: name=value name2=value2`.
//! `BLESS=1 cargo test --test examples` rewrites the expected files.

use std::path::Path;
use std::process::Command;

fn params_of(src: &str) -> Vec<String> {
    src.lines()
        .filter_map(|l| l.trim().strip_prefix("-- params:"))
        .flat_map(|rest| rest.split_whitespace().map(String::from).collect::<Vec<_>>())
        .collect()
}

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
        let src = std::fs::read_to_string(script).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_peelql"));
        cmd.current_dir(root).env("NO_COLOR", "1").args(["--memory", "run"]);
        cmd.arg(script.strip_prefix(root).unwrap()).args(["--format", "markdown"]);
        for p in params_of(&src) {
            cmd.args(["--param", &p]);
        }
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
