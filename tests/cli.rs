//! The `peelql` binary, run for real: arguments, formats, scripts, exit
//! codes. Every run uses `--memory` (the bundled data, no store on disk)
//! unless it tests the store.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs the binary with piped output; reports are wrapped at 200 columns
/// (`COLUMNS`), so what these tests look for is not split by a long
/// temporary path (the width itself is tested in `tests/problem_reports.rs`).
fn peelql(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_peelql"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .output()
        .expect("runs")
}

fn peelql_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_peelql"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let mut rows = vec![header];
    for rec in r.records() {
        rows.push(rec.unwrap().iter().map(String::from).collect());
    }
    rows
}

#[test]
fn sex_offenders_inadequate_lists_cambridgeshire_and_the_others() {
    let o =
        peelql(&["--memory", "-c", r#"forces where area("sex offenders") = inadequate"#, "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(&stdout(&o));
    let names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    // every force whose latest graded programme grades Managing offenders inadequate
    assert_eq!(
        names,
        [
            "Cambridgeshire Constabulary",
            "Lincolnshire Police",
            "Metropolitan Police Service",
            "West Midlands Police"
        ]
    );
    let col = rows[0].iter().position(|h| h == "Managing offenders").expect("area column");
    assert!(rows[1..].iter().all(|r| r[col] == "inadequate"));
}

#[test]
fn cambridgeshire_latest_grades_as_csv() {
    let o = peelql(&["--memory", "-c", r#"grades where force = "cambs""#, "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(&stdout(&o));
    assert_eq!(rows[0], ["force", "programme", "published", "area", "grade"]);
    let grades: Vec<&str> = rows[1..].iter().map(|r| r[4].as_str()).collect();
    assert_eq!(grades.len(), 8);
    let count = |g: &str| grades.iter().filter(|x| **x == g).count();
    assert_eq!(
        [
            count("outstanding"),
            count("good"),
            count("adequate"),
            count("requires improvement"),
            count("inadequate")
        ],
        [1, 2, 2, 1, 2]
    );
    assert!(rows[1..].iter().all(|r| r[0] == "Cambridgeshire Constabulary" && r[1] == "PEEL 2023-25"));
    let inadequate: Vec<&str> =
        rows[1..].iter().filter(|r| r[4] == "inadequate").map(|r| r[3].as_str()).collect();
    assert_eq!(inadequate, ["Responding to the public", "Managing offenders"]);
}

#[test]
fn all_programmes_come_in_order() {
    let o = peelql(&["--memory", "-c", r#"grades in all where force = "Cambridgeshire""#, "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(&stdout(&o));
    let programmes: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert!(programmes.contains(&"PEEL 2016") && programmes.contains(&"PEEL 2023-25"));
    let mut sorted = programmes.clone();
    sorted.sort();
    assert_eq!(programmes, sorted, "programmes are chronological");
    assert!(programmes.len() > 8);
}

#[test]
fn json_and_ndjson_parse() {
    let o = peelql(&[
        "--memory",
        "-c",
        "forces order by score desc limit 3 select name, score, programme",
        "--format",
        "json",
    ]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 3);
    assert!(arr[0]["score"].as_f64().unwrap() >= arr[1]["score"].as_f64().unwrap());
    assert!(arr[0]["name"].is_string());

    let o = peelql(&["--memory", "-c", "grades where force = \"met\"", "--format", "ndjson"]);
    let lines: Vec<serde_json::Value> =
        stdout(&o).lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    assert_eq!(lines.len(), 8);
    assert!(lines.iter().all(|l| l["force"] == "Metropolitan Police Service"));
}

#[test]
fn markdown_and_table_formats() {
    let o = peelql(&["--memory", "-c", "programmes select name, scale", "--format", "markdown"]);
    let text = stdout(&o);
    assert!(text.starts_with("| name"), "{text}");
    assert!(text.contains("| PEEL 2021-22 | five-tier |"), "{text}");
    let o = peelql(&["--memory", "-c", "programmes select name, scale"]);
    let text = stdout(&o);
    assert!(text.contains("PEEL 2018-19") && text.contains("(7 rows)"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when piped");
}

#[test]
fn colour_only_when_asked_and_not_with_no_color() {
    let o = Command::new(env!("CARGO_BIN_EXE_peelql"))
        .args(["--memory", "--color", "always", "-c", "grades where force = \"cambs\" select area, grade"])
        .output()
        .unwrap();
    assert!(stdout(&o).contains('\x1b'), "--color always colours grades");
    let o = peelql(&["--memory", "-c", "grades where force = \"cambs\" select area, grade"]);
    assert!(!stdout(&o).contains('\x1b'));
}

#[test]
fn bad_format_is_a_usage_error() {
    let o = peelql(&["--memory", "-c", "forces", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown output format"));
}

#[test]
fn script_stops_at_first_failing_statement() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("three.pql");
    std::fs::write(
        &path,
        "-- line 1\nprogrammes select name limit 1;\ngrades where grade = goood;\nforces select name limit 1;\n",
    )
    .unwrap();
    let o = peelql(&["--memory", "run", path.to_str().unwrap(), "--format", "csv"]);
    assert!(!o.status.success());
    let out = stdout(&o);
    assert!(out.contains("PEEL 2014"), "the first statement ran: {out}");
    assert!(!out.contains("Avon and Somerset"), "the third statement did not run: {out}");
    let err = stderr(&o);
    assert!(err.contains("three.pql:3:"), "names the file and line: {err}");
    assert!(err.contains("goood"), "{err}");
}

#[test]
fn params_from_the_command_line() {
    let o = peelql(&[
        "--memory",
        "-c",
        "forces where area($area) = $g select name",
        "--param",
        "area=responding",
        "-p",
        "g=inadequate",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(&stdout(&o));
    assert!(rows.iter().any(|r| r[0] == "Cambridgeshire Constabulary"));
    let o = peelql(&["--memory", "-c", "forces where area($area) = good"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no value was given for `$area`"));
    let o = peelql(&["--memory", "-c", "forces", "--param", "novalue"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn piped_stdin_runs_as_a_script_without_a_prompt() {
    let o = peelql_stdin(
        &["--memory", "--format", "csv"],
        "forces where area(\"responding\") = inadequate select name;\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("name\n"), "no prompt or banner: {out}");
    assert!(out.contains("Cambridgeshire Constabulary"));
    assert!(!out.contains("peelql>"));
}

#[test]
fn errors_are_diagnostics_with_a_non_zero_exit() {
    let o = peelql(&["--memory", "-c", r#"forces where area("sex offenders") = inadequat"#]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("did you mean `inadequate`?"), "{err}");
    assert!(err.contains("^^^"), "underlines the span: {err}");
    assert!(!err.contains('\x1b'), "plain when stderr is piped: {err}");
}

#[test]
fn the_store_on_disk_answers_like_memory() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    let q = "grades in all group by programme select programme, count(), avg(grade)";
    let disk = peelql(&["--db", db.to_str().unwrap(), "-c", q, "--format", "csv"]);
    assert!(disk.status.success(), "{}", stderr(&disk));
    let again = peelql(&["--db", db.to_str().unwrap(), "-c", q, "--format", "csv"]);
    let memory = peelql(&["--memory", "-c", q, "--format", "csv"]);
    assert_eq!(stdout(&disk), stdout(&memory));
    assert_eq!(stdout(&again), stdout(&memory));
    assert!(db.exists());
}

/// A store with the user's own data, held open by this process.
fn held_store_with_an_import(db: &std::path::Path) -> peelql::Engine {
    use peelql::import::{ImportFormat, ImportOptions, ImportSource};
    let engine = peelql::Engine::open(db).expect("opens");
    let csv = "force,programme,published,area,grade,source_url,basis\n\
               Kent Police,PEEL 2023-25,2026-04-09,Developing a positive workplace,outstanding,https://example.org/kent,stated\n";
    let source = ImportSource::new("kent.csv", csv, ImportFormat::Csv);
    engine.import(&source, &ImportOptions::default()).expect("imports");
    engine
}

/// While another process holds sled's lock (an import under way), a
/// query answers from the last committed data (the snapshot), and a
/// second import is told plainly that the store is in use.
#[test]
fn a_store_in_use_answers_queries_and_refuses_a_second_writer_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    drop(held_store_with_an_import(&db));
    let held = sled::open(&db).expect("this test holds the lock, as a writer would");
    let q = r#"grades where force = "kent" and programme = "PEEL 2023-25" select area, grade"#;
    let o = peelql(&["--db", db.to_str().unwrap(), "-c", q, "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Developing a positive workplace,outstanding"), "{}", stdout(&o));
    let file = dir.path().join("more.csv");
    std::fs::write(
        &file,
        "force,programme,published,area,grade,source_url,basis\n\
         Kent Police,PEEL 2023-25,2026-04-09,Managing offenders,good,https://example.org/kent,stated\n",
    )
    .unwrap();
    let o = peelql(&["--db", db.to_str().unwrap(), "import", file.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("in use by another peelql process"), "{err}");
    assert!(!err.contains("Os {"), "{err}");
    drop(held);
}

/// While a store holds exactly the bundled data, a query does not need to
/// open it: it answers at once (from the same data, in memory) even while
/// another process holds the store. After an import it opens the store.
#[test]
fn a_store_of_bundled_data_answers_queries_without_opening_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    let q = r#"grades where force = "kent" select programme, area, grade"#;
    {
        let _held = peelql::Engine::open(&db).expect("opens");
        let o = peelql(&["--db", db.to_str().unwrap(), "-c", q, "--format", "csv"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            !stdout(&o).contains("PEEL 2023-25,Developing a positive workplace"),
            "Kent has no 2023-25 workplace grade in the bundled data"
        );
    }
    let engine = held_store_with_an_import(&db);
    drop(engine);
    let o = peelql(&["--db", db.to_str().unwrap(), "-c", q, "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("PEEL 2023-25,Developing a positive workplace,outstanding"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn json_lines_answers_each_line_and_survives_bad_requests() {
    let input = "{\"query\":\"forces where area(\\\"responding\\\") = $g\",\"params\":{\"g\":\"inadequate\"}}\n{\"query\":\"nonsense\"}\n";
    let o = peelql_stdin(&["--memory", "--json-lines"], input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each response is one JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["columns"][0], "name");
    assert!(lines[0]["rows"].as_array().unwrap().iter().any(|r| r[0] == "Cambridgeshire Constabulary"));
    let err = &lines[1]["error"];
    assert_eq!(err["code"], "peelql::resolve::unknown_source");
    assert_eq!(err["span"]["start"], 0);
    assert!(err["message"].as_str().unwrap().contains("nonsense"));
    assert!(err["help"].is_string());
}

// ---- diagnostics: the issue's must-shows, run for real ----

#[test]
fn must_show_misspelt_area_and_grade_in_one_report() {
    let o = peelql(&["--memory", "-c", r#"forces where area("sex ofenders") = inadequat"#]);
    assert!(!o.status.success());
    assert!(stdout(&o).is_empty(), "nothing ran");
    let err = stderr(&o);
    assert!(err.contains("did you mean `inadequate`?"), "{err}");
    assert!(err.contains("did you mean `sex offenders` (Managing offenders)?"), "{err}");
    assert!(err.contains("^^^^|^^^^"), "underlines `inadequat`: {err}");
}

#[test]
fn must_show_sql_gets_the_peelql_form() {
    let o = peelql(&["--memory", "-c", "SELECT * FROM forces"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("peelql::parse::sql_select"), "{err}");
    assert!(err.contains("PeelQL starts from the source: `forces`"), "{err}");
    let o = peelql(&["--memory", "-c", "SELECT name FROM forces WHERE region = 'Wales'"]);
    assert!(stderr(&o).contains("`forces where region = 'Wales' select name`"), "{}", stderr(&o));
}

#[test]
fn a_script_error_names_the_file_and_line_and_stops() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pql");
    std::fs::write(
        &path,
        "programmes select name limit 1;\n-- the next one is wrong\nforces where area(\"respondng\") = good;\nforces select name limit 1;\n",
    )
    .unwrap();
    let o = peelql(&["--memory", "run", path.to_str().unwrap(), "--format", "csv"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("report.pql:3:19"), "file, line and column: {err}");
    assert!(err.contains(r#" 3 | forces where area("respondng") = good;"#), "shows the statement: {err}");
    assert!(stdout(&o).contains("PEEL 2014") && !stdout(&o).contains("Avon"), "{}", stdout(&o));
}

// ---- terminal manners ----

#[test]
fn piped_stderr_is_plain_ascii_without_colour() {
    // NO_COLOR unset: piped stderr is still plain, because it is not a terminal
    let o = Command::new(env!("CARGO_BIN_EXE_peelql"))
        .args(["--memory", "-c", "forces where grade == good"])
        .env_remove("NO_COLOR")
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(!err.contains('\x1b'), "no colour: {err}");
    assert!(err.is_ascii(), "no box-drawing characters: {err}");
    assert!(err.contains("PeelQL compares with a single `=`"), "{err}");
    // and with NO_COLOR the same text
    let with = peelql(&["--memory", "-c", "forces where grade == good"]);
    assert_eq!(stderr(&with), err);
}

#[test]
fn piped_stderr_equals_the_library_rendering() {
    // not a terminal and no COLUMNS: 80 columns
    let src = r#"forces where area("sex ofenders") = inadequat"#;
    let o = Command::new(env!("CARGO_BIN_EXE_peelql"))
        .args(["--memory", "-c", src])
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .output()
        .unwrap();
    let engine = peelql::Engine::in_memory().unwrap();
    let e = engine.session().run_script(src, &peelql::Params::new(), |_, _| {}).unwrap_err();
    let expected = peelql::report::render(&e.with_source("query", src), &peelql::report::Style::plain(80));
    assert_eq!(stderr(&o), expected);
}

// ---- store errors in plain words ----

#[test]
fn a_store_path_that_is_a_file_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let o = peelql(&["--db", file.to_str().unwrap(), "-c", "forces"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("peelql::store::open"), "{err}");
    assert!(err.contains("it is a file, not a folder"), "{err}");
    assert!(!err.contains("Os {") && !err.contains("os error"), "{err}");
}

#[test]
fn a_store_below_a_file_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let o = peelql(&["--db", file.join("store").to_str().unwrap(), "-c", "forces"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("cannot open the store at"), "{err}");
    assert!(err.contains("a file is in the way of a folder"), "{err}");
    assert!(!err.contains("Os {") && !err.contains("os error"), "{err}");
}

#[test]
fn a_store_from_a_newer_peelql_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    drop(peelql::Engine::open(&db).expect("creates the store"));
    {
        let sled = sled::open(&db).unwrap();
        sled.open_tree("meta").unwrap().insert(b"format_version", &99u32.to_be_bytes()).unwrap();
        sled.flush().unwrap();
    }
    // a newer peelql writes its own format into the marker of bundled data
    let marker = db.join("bundled.fingerprint");
    let text = std::fs::read_to_string(&marker).unwrap();
    std::fs::write(&marker, format!("99 {}", text.split_once(' ').unwrap().1)).unwrap();
    // and, as every later layout must before it changes sled, removes
    // this build's snapshot
    std::fs::remove_file(db.join("snapshot.pqs")).unwrap();
    let o = peelql(&["--db", db.to_str().unwrap(), "-c", "forces"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("peelql::store::newer_format"), "{err}");
    assert!(err.contains("was written by a newer peelql (format 99; this build reads"), "{err}");
    assert!(err.contains("help: use the newer peelql, or open another store path"), "{err}");
}

#[test]
fn color_flag_applies_to_error_reports() {
    let o = peelql(&["--memory", "--color", "always", "-c", "forces where grade == good"]);
    let err = stderr(&o);
    assert!(err.contains('\x1b'), "--color always colours the report: {err}");
    assert!(err.is_ascii(), "but a pipe still gets ASCII: {err}");
    let o = peelql(&["--memory", "--color", "never", "-c", "forces where grade == good"]);
    assert!(!stderr(&o).contains('\x1b'));
}

/// Runs the binary on a pseudo-terminal (util-linux `script`), so stderr is
/// a terminal; `None` where util-linux `script` is missing.
fn on_a_terminal(query: &str, no_color: bool) -> Option<String> {
    let version = Command::new("script").arg("--version").output().ok()?;
    if !String::from_utf8_lossy(&version.stdout).contains("util-linux") {
        return None;
    }
    let bin = env!("CARGO_BIN_EXE_peelql");
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &format!("{bin} --memory -c '{query}'"), "/dev/null"]).stdin(Stdio::null());
    if no_color {
        cmd.env("NO_COLOR", "1");
    } else {
        cmd.env_remove("NO_COLOR");
    }
    let o = cmd.output().ok()?;
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

#[test]
fn a_terminal_gets_unicode_and_colour_unless_no_color() {
    let Some(text) = on_a_terminal("forces where grade == good", false) else {
        eprintln!("skipped: no `script` command to make a terminal");
        return;
    };
    assert!(text.contains("PeelQL compares with a single `=`"), "{text}");
    assert!(text.contains('\x1b'), "colour on a terminal: {text:?}");
    assert!(text.contains('×') || text.contains('╭'), "Unicode on a terminal: {text}");
    let text = on_a_terminal("forces where grade == good", true).unwrap_or_default();
    assert!(text.contains('×') || text.contains('╭'), "still Unicode: {text}");
    assert!(!text.contains("\x1b[3"), "NO_COLOR: no colours: {text:?}");
}

#[test]
fn completions_for_every_shell() {
    // (shell, a line only that shell's script has)
    for (shell, mark) in [
        ("bash", "complete -F _peelql"),
        ("zsh", "#compdef peelql"),
        ("fish", "complete -c peelql"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = peelql(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.contains(mark), "{shell}: no `{mark}` in\n{script}");
        // the subcommands and the options are completed
        for word in ["run", "import", "export", "completions", "format", "memory", "ndjson", "svg"] {
            assert!(script.contains(word), "{shell}: `{word}` is not completed");
        }
    }
    let o = peelql(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bash"), "the shells are listed: {}", stderr(&o));
}

/// `peelql completions fish | head -1`: a reader that goes away is no
/// panic (clap_complete's own writer panicked on the closed pipe).
#[test]
fn completions_into_a_closed_pipe_stop_quietly() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let o = Command::new(env!("CARGO_BIN_EXE_peelql"))
            .args(["completions", shell])
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("runs");
        assert!(o.status.success() && o.stderr.is_empty(), "{shell}: {}", stderr(&o));
    }
}

#[test]
fn completions_name_the_shells() {
    let o = peelql(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bash"), "the shells are listed: {}", stderr(&o));
}

#[test]
fn a_script_given_as_a_subcommand_suggests_run() {
    let o = peelql(&["--memory", "examples/cambridgeshire.pql"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("unrecognized subcommand 'examples/cambridgeshire.pql'"), "{err}");
    assert!(err.contains("peelql run examples/cambridgeshire.pql"), "{err}");
    // a file that does not exist yet, by its extension
    let err = stderr(&peelql(&["report.pql"]));
    assert!(err.contains("peelql run report.pql"), "{err}");
    // a query without -c
    let err = stderr(&peelql(&["forces where region = \"Wales\""]));
    assert!(err.contains("peelql -c 'forces where region = \"Wales\"'"), "{err}");
    let err = stderr(&peelql(&["grades", "where"]));
    assert!(err.contains("peelql -c 'grades …'"), "{err}");
}

#[test]
fn a_prompt_command_given_as_a_query_suggests_show() {
    let o = peelql(&["--memory", "-c", ".forces"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("peelql::parse::prompt_command"), "{err}");
    assert!(err.contains("`.forces` is a command of the prompt"), "{err}");
    assert!(err.contains("write `show forces`"), "{err}");
    // and the statement it suggests works
    let o = peelql(&["--memory", "-c", "show forces", "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Kent Police"));
}

#[test]
fn json_lines_asks_about_engage_with_a_date_parameter() {
    let input = "{\"query\":\"forces as of $d where engage select name, engage_since\",\"params\":{\"d\":\"2024-09-30\"}}\n{\"query\":\"monitoring in all\"}\n";
    let o = peelql_stdin(&["--memory", "--json-lines"], input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> =
        stdout(&o).lines().map(|l| serde_json::from_str(l).expect("one JSON line")).collect();
    assert_eq!(lines[0]["columns"], serde_json::json!(["name", "engage_since"]));
    let names: Vec<&str> =
        lines[0]["rows"].as_array().unwrap().iter().map(|r| r[0].as_str().unwrap()).collect();
    assert_eq!(names, ["Devon and Cornwall Police", "Metropolitan Police Service", "Nottinghamshire Police"]);
    assert_eq!(lines[1]["error"]["code"], "peelql::resolve::programme_on_monitoring");
}

/// Issue 17: `--help` follows the terminal's width (clap's `wrap_help`,
/// which reads `COLUMNS` when standard output is not a terminal): at 60
/// columns no line of any help page is wider than 60, and at 100 the
/// long lines use the room (so the 60 is the width, not a fixed wrap).
#[test]
fn help_fits_the_terminal_width() {
    let pages: [&[&str]; 8] = [
        &["--help"],
        &["-h"],
        &["help"],
        &["run", "--help"],
        &["import", "--help"],
        &["export", "--help"],
        &["completions", "--help"],
        &["help", "run"],
    ];
    for (columns, widest_at_least) in [(60, 55), (100, 80)] {
        for args in pages {
            let o = Command::new(env!("CARGO_BIN_EXE_peelql"))
                .args(args)
                .env("NO_COLOR", "1")
                .env("COLUMNS", columns.to_string())
                .output()
                .expect("runs");
            assert!(o.status.success(), "{args:?}");
            let help = stdout(&o);
            let widest = help.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            assert!(widest <= columns, "{args:?} at {columns} columns has a line of {widest}:\n{help}");
            if args == ["--help"] {
                assert!(
                    widest >= widest_at_least,
                    "{args:?} at {columns} columns is narrower than it need be:\n{help}"
                );
            }
        }
    }
}
