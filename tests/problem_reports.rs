//! Issue 17: every problem the binary reports starts `Error: ` or
//! `Warning: ` at the start of a line — argument errors, query and script
//! errors (the first and each after it), warnings, import problem lists,
//! files that cannot be read — and reports are wrapped to the width of
//! standard error: a terminal's, else `COLUMNS`, else 80 columns.
//!
//! Each case runs the binary as a user would; the transcripts are pinned
//! as snapshots at 60 and 100 columns. Review a change with
//! `INSTA_UPDATE=always cargo test --test problem_reports`.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_peelql");

fn run(dir: &Path, args: &[&str], columns: Option<&str>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1").stdin(Stdio::null());
    match columns {
        Some(c) => cmd.env("COLUMNS", c),
        None => cmd.env_remove("COLUMNS"),
    };
    cmd.output().expect("peelql runs")
}

const BAD_CSV: &str = "force,programme,published,area,grade,source_url,basis\n\
    Kent Police,PEEL 2023-25,2025-06,Managing offendres,good,https://example.org/k,stated\n\
    Kent Polic,PEEL 2023-25,2025-06,Managing offenders,goo,https://example.org/k,stated\n";

/// The failing runs, each a line of arguments.
fn cases() -> Vec<Vec<&'static str>> {
    vec![
        vec!["--memory", "--frob"],
        vec!["report.pql"],
        vec!["--memory", "--format", "xml", "-c", "forces"],
        vec!["--memory", "--param", "grade", "-c", "forces"],
        vec!["--memory", "run", "missing.pql"],
        vec!["--memory", "-c", "grades where grade = poor select nme"],
        vec!["--memory", "-c", r#"grades where area("crime") = good"#],
        vec!["--memory", "-c", r#"forces where "status" = "engage" select name limit 1"#],
        vec!["--memory", "import", "bad.csv"],
        vec!["--memory", "import", "missing.csv"],
    ]
}

/// `$ peelql ARGS` and what it wrote on standard error, for every case.
fn transcript(columns: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("bad.csv"), BAD_CSV).expect("write");
    let mut out = String::new();
    for args in cases() {
        let o = run(dir.path(), &args, Some(columns));
        let shown: Vec<String> =
            args.iter().map(|a| if a.contains(' ') { format!("'{a}'") } else { a.to_string() }).collect();
        out.push_str(&format!("$ peelql {}\n{}\n", shown.join(" "), String::from_utf8_lossy(&o.stderr)));
    }
    out
}

/// The lines that are the report's own: not the query quoted with its
/// labels under it, which miette draws as they are.
fn own_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.starts_with("$ ") && !l.starts_with(" 1 | ") && !l.starts_with("   : "))
}

#[test]
fn every_problem_starts_with_its_level() {
    let text = transcript("100");
    for (args, report) in cases().iter().zip(text.split("$ peelql ").skip(1)) {
        let first = report.lines().nth(1).unwrap_or_default();
        let level = if args.iter().any(|a| a.contains("status")) { "Warning: " } else { "Error: " };
        assert!(first.starts_with(level), "{args:?} must start with {level:?}:\n{report}");
    }
    // a report's later errors, and each problem of an import's list, too
    let count = |needle: &str| text.lines().filter(|l| l.trim_start().starts_with(needle)).count();
    assert_eq!(count("Error: peelql::resolve::"), 3, "{text}");
    assert_eq!(count("Error: bad.csv:"), 3, "{text}");
    // and nothing else calls itself `peelql:` or a lower-case `error:`
    assert!(!text.contains("peelql: ") && !text.contains("error:"), "{text}");
}

#[test]
fn reports_wrap_at_60_columns() {
    let text = transcript("60");
    let long: Vec<&str> = own_lines(&text).filter(|l| l.chars().count() > 60).collect();
    assert!(long.is_empty(), "wider than 60 columns: {long:#?}");
    insta::assert_snapshot!(text);
}

#[test]
fn reports_wrap_at_100_columns() {
    let text = transcript("100");
    let long: Vec<&str> = own_lines(&text).filter(|l| l.chars().count() > 100).collect();
    assert!(long.is_empty(), "wider than 100 columns: {long:#?}");
    insta::assert_snapshot!(text);
}

#[test]
fn not_a_terminal_and_no_columns_is_80_columns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = run(dir.path(), &["--memory", "-c", "grades select nme"], None);
    let text = String::from_utf8_lossy(&o.stderr).into_owned();
    let widest = own_lines(&text).map(|l| l.chars().count()).max().unwrap_or(0);
    assert!((70..=80).contains(&widest), "widest line {widest}:\n{text}");
    // a COLUMNS that is not a number is not a width
    let o = run(dir.path(), &["--memory", "-c", "grades select nme"], Some("wide"));
    assert_eq!(String::from_utf8_lossy(&o.stderr), text);
    // an import's problems stay one a line in a pipe or a log, for grep
    std::fs::write(dir.path().join("bad.csv"), BAD_CSV).expect("write");
    let o = run(dir.path(), &["--memory", "import", "bad.csv"], None);
    let text = String::from_utf8_lossy(&o.stderr).into_owned();
    let kent = text.lines().find(|l| l.starts_with("  Error: bad.csv:3:1:")).unwrap_or_default();
    assert!(kent.ends_with("no force is called \"Kent Polic\"; did you mean `Kent Police`?"), "{text}");
    assert_eq!(text.lines().count(), 4, "{text}");
}

/// On a real terminal 60 columns wide (util-linux `script` makes one, and
/// `stty` sets its size), reports fit it, whatever `COLUMNS` says.
#[test]
fn a_terminal_60_columns_wide_gets_reports_60_wide() {
    let version = Command::new("script").arg("--version").output();
    if !version.is_ok_and(|v| String::from_utf8_lossy(&v.stdout).contains("util-linux")) {
        eprintln!("skipped: no util-linux `script` to make a terminal");
        return;
    }
    let command = format!("stty cols 60 rows 40; {BIN} --memory -c 'grades select nme' 2>&1 >/dev/null");
    let o = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .stdin(Stdio::null())
        .output()
        .expect("script runs");
    let text = String::from_utf8_lossy(&o.stdout).replace('\r', "");
    assert!(text.contains("Error: peelql::resolve::unknown_column"), "{text}");
    let own: Vec<&str> =
        text.lines().filter(|l| !l.starts_with(" 1 │ ") && !l.starts_with("   · ")).collect();
    let widest = own.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!((50..=60).contains(&widest), "widest line {widest}:\n{text}");
}

/// Queries wider than the report, each with the words its first label
/// must stand under: the mistake near the end, near the start, in the
/// middle, two labels far apart (drawn apart), and a script whose second
/// line is the long one.
fn long_cases() -> Vec<(Vec<String>, &'static str)> {
    let forces = r#"force in ("kent", "essex", "norfolk", "suffolk", "cambs", "herts", "beds") and programme = "PEEL 2023-25""#;
    let q = |s: String| vec!["--memory".to_owned(), "-c".to_owned(), s];
    vec![
        (q(format!("grades where {forces} and grade = poorr select force, area, grade")), "poorr"),
        (q(format!("grades where frce in (\"kent\") and {forces} select force, area, grade")), "frce"),
        (
            q(format!(
                r#"grades where {forces} and area = "crimee" and grade = good and {forces} select force"#
            )),
            r#""crimee""#,
        ),
        (q(format!("grades where ({forces} and grade = good select force, area")), "("),
        (
            q(format!(r#"forces where "status" = "engage" and {forces} select name"#)),
            r#""status" = "engage""#,
        ),
        (vec!["--memory".to_owned(), "run".to_owned(), "long.pql".to_owned()], "poorr"),
    ]
}

/// The transcript of every long case at `columns`, checking as it goes
/// that each quoted line fits and that the first label stands under the
/// characters it is about.
fn long_transcript(columns: usize) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = format!(
        "forces select name limit 1;\n{}\n",
        r#"grades where force in ("kent", "essex", "norfolk", "suffolk", "cambs", "herts", "beds") and grade = poorr select force, area"#
    );
    std::fs::write(dir.path().join("long.pql"), script).expect("write");
    let mut out = String::new();
    for (args, word) in long_cases() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(dir.path(), &args, Some(&columns.to_string()));
        let report = String::from_utf8_lossy(&o.stderr).into_owned();
        let lines: Vec<&str> = report.lines().collect();
        for l in lines.iter().filter(|l| quoted(l)) {
            assert!(l.chars().count() <= columns, "{args:?}: a quoted line wider than {columns}:\n{report}");
        }
        // the first quoted line and the underline under it
        let at = lines.iter().position(|l| quoted(l)).unwrap_or_else(|| panic!("{args:?} quotes:\n{report}"));
        let text: Vec<char> = lines[at].chars().collect();
        let marks: Vec<usize> = lines[at + 1]
            .chars()
            .enumerate()
            .skip(5)
            .filter(|(_, c)| matches!(c, '^' | '|'))
            .map(|(i, _)| i)
            .collect();
        let under: String = text[marks[0]..=*marks.last().expect("a mark")].iter().collect();
        assert_eq!(under, word, "{args:?} at {columns} columns:\n{report}");
        let shown: Vec<String> =
            args.iter().map(|a| if a.contains(' ') { format!("'{a}'") } else { a.to_string() }).collect();
        out.push_str(&format!("$ peelql {}\n{report}\n", shown.join(" ")));
    }
    out
}

/// A quoted query line: ` N | ` (line number, bar).
fn quoted(line: &str) -> bool {
    let rest = line.trim_start();
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && rest[digits..].starts_with(" | ")
}

/// Issue 17: a query line wider than the report is shown through a window
/// around its labels, `...` at each cut end, the labels on their words.
#[test]
fn long_query_lines_are_windowed_at_60_columns() {
    insta::assert_snapshot!(long_transcript(60));
}

#[test]
fn long_query_lines_are_windowed_at_100_columns() {
    insta::assert_snapshot!(long_transcript(100));
}
