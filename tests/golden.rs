//! Golden query tests: every `tests/golden/<set>/*.pql` script is run one
//! statement at a time in a single session, and what each statement gives
//! — rows as CSV, `explain` text, or the error's code, message, span and
//! help — and then its warnings (`warning[code]: message`, span and help,
//! as errors are shown) is compared with the `.out` file beside it.
//!
//! The `bundled` set runs over the real bundled data; the `fixture` set over
//! the small hand-made data set in `tests/fixtures/tiny/`.
//!
//! To accept new output after a deliberate change: `BLESS=1 cargo test --test golden`,
//! then read the diff.

use peelql::output::{Format, RenderOptions, render};
use peelql::{Engine, Params, StatementOutput};
use std::path::{Path, PathBuf};

fn scripts(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pql"))
        .collect();
    v.sort();
    v
}

/// Runs a golden script and returns the text its `.out` file should hold.
fn run_golden(engine: &Engine, src: &str) -> (String, usize) {
    let mut session = engine.session();
    let mut out = String::new();
    let mut cases = 0;
    let params = golden_params();
    for piece in peelql::syntax::parser::split_statements(src) {
        let text = piece.text(src).unwrap_or("");
        let shown: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("--"))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if shown.is_empty() {
            continue;
        }
        cases += 1;
        out.push_str(&format!("> {}\n", shown.join("\n> ")));
        let result = peelql::syntax::parser::parse_statement_at(src, piece).and_then(|stmt| match stmt {
            Some(stmt) => session.run(src, &stmt, &params).map(Some),
            None => Ok(None),
        });
        let warnings = match &result {
            Ok(Some(o)) => o.warnings().to_vec(),
            _ => Vec::new(),
        };
        match result {
            Ok(Some(StatementOutput::Rows(rows))) => {
                out.push_str(&render(&rows, Format::Csv, &RenderOptions::plain()));
                out.push_str(&format!("({} row{})\n", rows.len(), if rows.len() == 1 { "" } else { "s" }));
            }
            Ok(Some(StatementOutput::Text(t))) => out.push_str(&t),
            Ok(Some(StatementOutput::Bound { name, rows, .. })) => {
                out.push_str(&format!("bound {name}: {rows} row{}\n", if rows == 1 { "" } else { "s" }))
            }
            Ok(None) => {}
            Err(e) => {
                // every problem of the statement, each with all its hints
                for p in e.problems() {
                    let hints: Vec<&str> = p.hints().iter().map(String::as_str).collect();
                    diagnostic(
                        &mut out,
                        src,
                        "error",
                        p.code_str(),
                        p.message(),
                        p.span(),
                        p.label(),
                        &hints,
                    );
                }
            }
        }
        for w in &warnings {
            let hints: Vec<&str> = w.help.as_deref().into_iter().collect();
            diagnostic(&mut out, src, "warning", &w.code, &w.message, w.span, w.label.as_deref(), &hints);
        }
        out.push('\n');
    }
    (out, cases)
}

/// One problem as golden text: `error[code]: message` (or `warning[…]`),
/// the text its span covers with its label, and each hint.
#[allow(clippy::too_many_arguments)]
fn diagnostic(
    out: &mut String,
    src: &str,
    severity: &str,
    code: &str,
    message: &str,
    span: Option<peelql::syntax::Span>,
    label: Option<&str>,
    hints: &[&str],
) {
    out.push_str(&format!("{severity}[{code}]: {message}\n"));
    if let Some(span) = span {
        out.push_str(&format!("  at `{}`: {}\n", span.text(src).unwrap_or(""), label.unwrap_or("")));
    }
    for h in hints {
        out.push_str(&format!("  help: {}\n", h.replace('\n', "\n        ")));
    }
}

/// Parameters every golden script may use.
fn golden_params() -> Params {
    let mut p = Params::new();
    p.set("worst", Params::parse_value("inadequate"));
    p.set("force", Params::parse_value("cambs"));
    p.set("n", Params::parse_value("3"));
    p.set("cycle", Params::parse_value("peel 2021"));
    p.set("area", Params::parse_value("responding"));
    p.set("n99", Params::parse_value("999"));
    p
}

fn check_set(set: &str, engine: &Engine) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(set);
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    let mut total = 0;
    for script in scripts(&dir) {
        let src = std::fs::read_to_string(&script).unwrap();
        let (got, cases) = run_golden(engine, &src);
        total += cases;
        let expected_path = script.with_extension("out");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != got {
            failures.push(format!("{}:\n{}", script.display(), first_difference(&expected, &got)));
        }
    }
    assert!(failures.is_empty(), "golden outputs differ (BLESS=1 to accept):\n{}", failures.join("\n"));
    total
}

fn first_difference(expected: &str, got: &str) -> String {
    for (i, (e, g)) in expected.lines().zip(got.lines()).enumerate() {
        if e != g {
            return format!("  line {}:\n    expected: {e}\n    got:      {g}", i + 1);
        }
    }
    format!("  lengths differ: expected {} lines, got {}", expected.lines().count(), got.lines().count())
}

#[test]
fn golden_bundled() {
    let engine = Engine::in_memory().expect("bundled data loads");
    let cases = check_set("bundled", &engine);
    assert!(cases >= 40, "only {cases} bundled golden cases");
}

#[test]
fn golden_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
    let engine = Engine::from_dir(&dir).expect("fixture loads");
    let cases = check_set("fixture", &engine);
    assert!(cases >= 20, "only {cases} fixture golden cases");
}
