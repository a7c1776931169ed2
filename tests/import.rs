//! `peelql import` and `peelql export`, run for real on temporary stores:
//! bad files change nothing and say where they are wrong, good files land
//! once, exports import back to the same answers, and an import killed with
//! SIGKILL at any moment leaves exactly the old or exactly the new data.

mod common;
use common::{BIN, ok, peelql, stderr, write};

use peelql::Engine;
use peelql::output::{Format, RenderOptions, render};
use peelql::{Params, StatementOutput};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn grades_in_all(db: &Path) -> String {
    ok(&peelql(db, &["-c", "grades in all select force, programme, area, grade, source, basis", "-f", "csv"]))
}

/// The lines of [`grades_in_all`] over the bundled data: its grades and a header.
fn bundled_lines() -> usize {
    peelql::catalog::files::DataFiles::bundled().to_tables().expect("bundled data").grades.len() + 1
}

fn export(db: &Path, format: &str) -> String {
    ok(&peelql(db, &["export", "--format", format]))
}

const HEADER: &str = "force,programme,published,area,grade,source_url,basis\n";

/// `n` grades of PEEL 2023-25 that the bundled data lacks, as CSV lines,
/// with the area in its own cell: `(before, area, after)`.
fn new_grades(n: usize) -> Vec<(String, String, String)> {
    let engine = Engine::in_memory().expect("bundled data");
    let ds = engine.dataset();
    let cat = &ds.catalog;
    let programme = cat.programme_id("PEEL 2023-25").expect("programme");
    let grades = ["good", "adequate", "requires improvement", "inadequate", "outstanding"];
    let quoted = |s: &str| if s.contains(',') { format!("\"{s}\"") } else { s.to_owned() };
    let mut rows = Vec::new();
    for force in &cat.forces {
        for &area in &cat.programme(programme).areas {
            let held = ds.inspection_of(force.id, programme).and_then(|i| ds.grade_in(i, area)).is_some();
            if !held && rows.len() < n {
                let i = rows.len();
                rows.push((
                    format!("{},PEEL 2023-25,2025-03,", quoted(&force.name)),
                    quoted(&cat.area(area).name),
                    format!(",{},https://example.org/{i},stated", grades[i % grades.len()]),
                ));
            }
        }
    }
    assert_eq!(rows.len(), n, "the bundled data lacks fewer than {n} grades");
    rows
}

/// [`new_grades`] as whole CSV lines.
fn new_grade_lines(n: usize) -> Vec<String> {
    new_grades(n).into_iter().map(|(a, b, c)| format!("{a}{b}{c}")).collect()
}

#[test]
fn an_unknown_area_on_line_57_is_named_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    let before = grades_in_all(&db);
    let export_before = export(&db, "csv");

    let mut rows = new_grades(60);
    // Line 1 is the header, so line 57 is the 56th row.
    rows[55].1 = "Responding to the publik".to_owned();
    let lines: Vec<String> = rows.into_iter().map(|(a, b, c)| format!("{a}{b}{c}")).collect();
    let file = write(dir.path(), "new.csv", &format!("{HEADER}{}\n", lines.join("\n")));

    let o = peelql(&db, &["import", file.to_str().unwrap()]);
    assert!(!o.status.success(), "a bad file must fail");
    let err = stderr(&o);
    let expected = format!("{}:57:", file.display());
    let line = err.lines().find(|l| l.contains(&expected)).unwrap_or_else(|| panic!("no line 57 in:\n{err}"));
    assert!(line.contains("column `area`"), "{line}");
    assert!(line.contains("\"Responding to the publik\""), "{line}");
    assert!(line.contains("did you mean `Responding to the public`?"), "{line}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(err.lines().filter(|l| l.contains(&format!("{}:", file.display()))).count(), 1, "{err}");

    // `grades in all`, count and contents, is as it was; so is everything else.
    let after = grades_in_all(&db);
    assert_eq!(after.lines().count(), bundled_lines());
    assert_eq!(after, before);
    assert_eq!(export(&db, "csv"), export_before);
}

#[test]
fn every_problem_is_listed_with_its_place_and_long_lists_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    let text = format!(
        "{HEADER}\
         kentt,PEEL 2023-25,2025-03,Responding to the public,good,https://x,stated\n\
         Kent Police,PEEL 2018/19,2019-05,Effectiveness,adequate,https://x,stated\n\
         Kent Police,PEEL 2023-25,2025-13,Managing offenders,goood,https://x,sure\n\
         Cambridgeshire Constabulary,PEEL 2023-25,2025-03,Managing offenders,good,https://x,stated\n\
         Kent Police,PEEL 2030,2030-03,Responding to the public,good,https://x,stated\n"
    );
    let file = write(dir.path(), "bad.csv", &text);
    let o = peelql(&db, &["import", file.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    let f = file.display().to_string();
    for (at, what) in [
        (format!("{f}:2:1: column `force`"), "no force is called \"kentt\"; did you mean `Kent`?"),
        (format!("{f}:3:"), "\"adequate\" is not on the four-tier scale of PEEL 2018-19"),
        (format!("{f}:4:"), "\"2025-13\" is not a date"),
        (format!("{f}:4:"), "\"goood\" is not a grade"),
        (format!("{f}:4:"), "\"sure\" is not a basis"),
        // the store holds another grade for this: a conflict
        (format!("{f}:5:"), "the store has \"inadequate\""),
        (format!("{f}:6:"), "no programme is called \"PEEL 2030\""),
    ] {
        assert!(err.lines().any(|l| l.contains(&at) && l.contains(what)), "no `{at}` … `{what}` in:\n{err}");
    }

    // 30 bad rows: 20 are listed, then a count of the rest.
    let many: String =
        (0..30).map(|i| format!("Kent Police,PEEL 2023-25,,Area {i},good,https://x,stated\n")).collect();
    let file = write(dir.path(), "many.csv", &format!("{HEADER}{many}"));
    let err = stderr(&peelql(&db, &["import", file.to_str().unwrap()]));
    assert!(err.contains("has 30 problems"), "{err}");
    assert!(err.contains("… and 10 more"), "{err}");
}

#[test]
fn new_rows_are_added_once_and_reimporting_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    let file = write(dir.path(), "new.csv", &format!("{HEADER}{}\n", new_grade_lines(60).join("\n")));
    let first = ok(&peelql(&db, &["import", file.to_str().unwrap()]));
    assert_eq!(first.trim(), format!("{}: 60 rows: 60 added, 0 changed, 0 unchanged", file.display()));
    assert_eq!(grades_in_all(&db).lines().count(), bundled_lines() + 60);
    let exported = export(&db, "csv");

    let again = ok(&peelql(&db, &["import", file.to_str().unwrap()]));
    assert_eq!(again.trim(), format!("{}: 60 rows: 0 added, 0 changed, 60 unchanged", file.display()));
    assert_eq!(export(&db, "csv"), exported);
    assert_eq!(grades_in_all(&db).lines().count(), bundled_lines() + 60);
}

#[test]
fn replace_overrides_a_changed_grade_and_keeps_the_old_one_in_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    let q =
        r#"grades in peel 2023 where force = "cambs" and area = "Managing offenders" select grade, source"#;
    let old = ok(&peelql(&db, &["-c", q, "-f", "csv"]));
    assert!(old.contains("inadequate"), "{old}");
    let fix = "Cambridgeshire Constabulary,PEEL 2023-25,2025-09,Managing offenders,requires improvement,https://example.org/regrade,stated\n";
    let file = write(dir.path(), "fix.csv", &format!("{HEADER}{fix}"));

    let o = peelql(&db, &["import", file.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("use --replace"), "{}", stderr(&o));
    assert_eq!(ok(&peelql(&db, &["-c", q, "-f", "csv"])), old);

    let out = ok(&peelql(&db, &["import", "--replace", file.to_str().unwrap()]));
    assert!(out.starts_with(&format!("{}: 1 row: 0 added, 1 changed, 0 unchanged", file.display())), "{out}");
    assert!(out.contains(
        "replaced Cambridgeshire Constabulary / PEEL 2023-25 / Managing offenders: was inadequate"
    ));
    assert!(
        ok(&peelql(&db, &["-c", q, "-f", "csv"]))
            .contains("requires improvement,https://example.org/regrade")
    );

    let json: serde_json::Value = serde_json::from_str(&export(&db, "json")).unwrap();
    let history = json["history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["grade"], "inadequate");
    assert_eq!(history[0]["area"], "Managing offenders");
    assert_eq!(history[0]["replaced_by"], file.display().to_string());
    assert!(history[0]["replaced_at"].as_str().unwrap().ends_with('Z'));

    // The same file again, with or without --replace, changes nothing.
    let again = ok(&peelql(&db, &["import", "--replace", file.to_str().unwrap()]));
    assert!(again.contains("0 added, 0 changed, 1 unchanged"), "{again}");
}

/// A new programme with a new theme and area, declared in the file that
/// grades it.
const DECLARED: &str = "\
kind,force,programme,published,area,grade,source_url,basis,start_year,end_year,scale,aliases,theme,name,question_text
programme,,PEEL 2025-27,,,,,,2025,2027,five-tier,peel 2025-27;2025/27,,,
theme,,,,,,,,,,,neighbourhood;local policing,neighbourhoods,Neighbourhood policing,
area,,PEEL 2025-27,,Neighbourhood policing,,https://example.org/framework,,,,,,neighbourhoods,,How well does the force police neighbourhoods?
area,,PEEL 2025-27,,Responding to the public,,https://example.org/framework,,,,,,responding,,How good is the force at responding to the public?
grade,Kent Police,peel 2025-27,2026-02,Neighbourhood policing,good,https://example.org/kent,stated,,,,,,,
grade,cambs,PEEL 2025-27,2026-03,Responding to the public,adequate,https://example.org/cambs,stated,,,,,,,
";

/// Queries whose answers must survive export → import: a spread of the
/// language, and every statement of the golden scripts when present.
fn queries() -> Vec<String> {
    let mut v: Vec<String> = [
        "forces",
        "grades in all",
        "grades in all where basis = \"inferred\" order by force, programme, area",
        "inspections in all",
        "programmes",
        "areas in all",
        "show themes",
        "show areas",
        "forces where area(\"responding\") = inadequate select name, programme",
        "forces in peel 2021 where any area = inadequate",
        "forces where area(\"responding\") < previous(area(\"responding\"))",
        "grades where area(\"investigating\") group by grade select grade, count()",
        "forces where graded >= 8 order by score desc limit 5 select name, score",
        "grades in all where force = \"cambs\"",
        "grades in all select force, programme, published, area, grade, source_url, basis",
        "grades in peel 2025 where area(\"neighbourhood\")",
        "explain forces where area(\"999\") at most requires improvement",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/bundled");
    if let Ok(entries) = std::fs::read_dir(&golden) {
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files.iter().filter(|p| p.extension().is_some_and(|x| x == "pql")) {
            v.push(std::fs::read_to_string(f).unwrap());
        }
    }
    v
}

/// Everything each query (or script) gives, statement by statement: rows
/// as CSV, `explain` text, or the error.
fn answers(engine: &Engine) -> String {
    let mut params = Params::new();
    for (k, v) in [
        ("worst", "inadequate"),
        ("force", "cambs"),
        ("n", "3"),
        ("cycle", "peel 2021"),
        ("area", "responding"),
    ] {
        params.set(k, Params::parse_value(v));
    }
    let mut out = String::new();
    for q in queries() {
        let mut session = engine.session();
        let result = session.run_script(&q, &params, |_, o| match o {
            StatementOutput::Rows(rows) => out.push_str(&render(&rows, Format::Csv, &RenderOptions::plain())),
            StatementOutput::Text(t) => out.push_str(&t),
            StatementOutput::Bound { name, rows, .. } => {
                let _ = writeln!(out, "bound {name}: {rows}");
            }
        });
        if let Err(e) = result {
            let _ = writeln!(out, "error {}: {}", e.code_str(), e.message());
        }
    }
    out
}

#[test]
fn export_then_import_into_a_fresh_store_gives_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let declared = write(dir.path(), "declared.csv", DECLARED);
    let out = ok(&peelql(&a, &["import", declared.to_str().unwrap()]));
    assert!(
        out.contains("2 rows: 2 added, 0 changed, 0 unchanged; new: 1 programme, 1 theme, 2 areas"),
        "{out}"
    );
    let new = write(dir.path(), "new.csv", &format!("{HEADER}{}\n", new_grade_lines(40).join("\n")));
    ok(&peelql(&a, &["import", new.to_str().unwrap()]));
    let fix = "Kent Police,PEEL 2021/22,2022-06,Responding to the public,outstanding,https://example.org/fix,inferred\n";
    let fix = write(dir.path(), "fix.csv", &format!("{HEADER}{fix}"));
    let fixed = ok(&peelql(&a, &["import", "--replace", fix.to_str().unwrap()]));
    assert!(fixed.contains("1 changed"), "{fixed}");

    for format in ["csv", "json"] {
        let exported = dir.path().join(format!("all.{format}"));
        ok(&peelql(&a, &["export", "-o", exported.to_str().unwrap()]));
        let text = std::fs::read_to_string(&exported).unwrap();
        assert_eq!(text, export(&a, format), "-o writes what stdout gets");

        let b = dir.path().join(format!("b-{format}"));
        let out = ok(&peelql(&b, &["import", exported.to_str().unwrap()]));
        assert!(out.contains("1 changed") && out.contains("1 history record"), "{out}");
        assert_eq!(export(&b, format), text, "{format} export round-trips");

        let (ea, eb) = (Engine::open(&a).unwrap(), Engine::open(&b).unwrap());
        assert_eq!(ea.tables(), eb.tables());
        let (qa, qb) = (answers(&ea), answers(&eb));
        assert!(
            qa.contains("PEEL 2025-27") && qa.contains("https://example.org/fix"),
            "the queries see the imports"
        );
        assert_eq!(qa, qb);
    }
}

#[test]
fn a_query_result_exports_as_csv_or_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    let q = r#"grades in all where force = "kent" select force, programme, published, area, grade, source_url, basis"#;
    let csv = ok(&peelql(&db, &["export", "-c", q]));
    assert!(csv.starts_with("force,programme,published,area,grade,source_url,basis\nKent Police,"), "{csv}");
    // such a result imports back: nothing is new
    let file = write(dir.path(), "kent.csv", &csv);
    let out = ok(&peelql(&db, &["import", file.to_str().unwrap()]));
    assert!(out.contains(" 0 added, 0 changed,"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&peelql(&db, &["export", "-c", q, "-f", "json"]))).unwrap();
    assert_eq!(json.as_array().unwrap().len(), csv.lines().count() - 1);
    assert_eq!(json[0]["force"], "Kent Police");
}

#[test]
fn json_imports_and_points_at_the_offending_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    let text = r#"{
  "grades": [
    {"force": "Kent Police", "programme": "PEEL 2023-25", "published": "2025-03",
     "area": "Leadership and force management", "grade": "good", "source_url": "https://example.org/k", "basis": "stated"},
    {"force": "Kent Police", "programme": "PEEL 2023-25", "published": null,
     "area": "Managing offendrs", "grade": "good", "source_url": "https://example.org/k", "basis": "stated"}
  ]
}
"#;
    let file = write(dir.path(), "kent.json", text);
    let o = peelql(&db, &["import", file.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{}:6:14: column `area`: PEEL 2023-25 has no area called \"Managing offendrs\"",
            file.display()
        )),
        "{err}"
    );
    let fixed = write(dir.path(), "kent2.json", &text.replace("offendrs", "offenders"));
    let out = ok(&peelql(&db, &["import", fixed.to_str().unwrap()]));
    assert!(out.contains("2 rows: 2 added"), "{out}");
    // --format overrides the extension
    let renamed = write(dir.path(), "kent.txt", &std::fs::read_to_string(&fixed).unwrap());
    let out = ok(&peelql(&db, &["import", "--format", "json", renamed.to_str().unwrap()]));
    assert!(out.contains("0 added, 0 changed, 2 unchanged"), "{out}");
    let o = peelql(&db, &["import", renamed.to_str().unwrap()]);
    assert!(stderr(&o).contains("cannot tell the format"), "{}", stderr(&o));
}

#[test]
fn dry_runs_and_memory_imports_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    let file = write(dir.path(), "new.csv", &format!("{HEADER}{}\n", new_grade_lines(5).join("\n")));
    let out = ok(&peelql(&db, &["import", "--dry-run", file.to_str().unwrap()]));
    assert!(out.starts_with("dry run, nothing written: "), "{out}");
    assert!(out.contains("5 added"), "{out}");
    assert_eq!(grades_in_all(&db).lines().count(), bundled_lines());

    let o = Command::new(BIN).args(["--memory", "import", file.to_str().unwrap()]).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("5 added"));
    assert!(stderr(&o).contains("--memory has no store"), "{}", stderr(&o));
    assert_eq!(grades_in_all(&db).lines().count(), bundled_lines());
}

/// A child process killed and reaped when dropped, so a failing assertion
/// never leaves it running.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `peelql --db db import file` with the test hook pausing `pause_ms`
/// after each step (see src/cli/exchange.rs).
fn spawn_import(db: &Path, file: &Path, pause_ms: u64) -> Killed {
    let child = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .arg("import")
        .arg(file)
        .env("PEELQL_TEST_IMPORT_PAUSE_MS", pause_ms.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn peelql import");
    Killed(child)
}

/// Waits for the hook's line that starts with `marker`.
fn wait_for(child: &mut Killed, marker: &str) -> BufReader<std::process::ChildStderr> {
    let mut lines = BufReader::new(child.0.stderr.take().expect("piped stderr"));
    let mut line = String::new();
    loop {
        line.clear();
        let n = lines.read_line(&mut line).expect("read stderr");
        assert!(n > 0, "the import ended before `{marker}`");
        if line.trim_end().strip_prefix("peelql-test: ").is_some_and(|l| l.starts_with(marker)) {
            return lines;
        }
    }
}

#[test]
fn a_second_process_is_told_the_store_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    let file = write(dir.path(), "new.csv", &format!("{HEADER}{}\n", new_grade_lines(3).join("\n")));
    // The import holds the store while it pauses after checking.
    let mut holder = spawn_import(&db, &file, 5_000);
    let _rest = wait_for(&mut holder, "checked");
    // Another writer waits briefly, then is told. (A query alone would not
    // need the store while it still holds just the bundled data.)
    let start = Instant::now();
    let o = peelql(&db, &["import", file.to_str().unwrap()]);
    let waited = start.elapsed();
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(&format!("the store at {} is in use by another peelql process", db.display()))
    );
    assert!(waited >= Duration::from_millis(900), "it waits about a second first: {waited:?}");
    drop(holder);
    assert_eq!(grades_in_all(&db).lines().count(), bundled_lines(), "the killed import left the old data");
}

/// A file of 12,900 grades: 30 new programmes of 10 areas each (with 10 new
/// themes), every force graded in every area. (Big enough for 14 batches
/// of the store's writes; small enough that 20 killed imports and their
/// checks take seconds in a debug build.)
fn big_file() -> (String, usize) {
    let engine = Engine::in_memory().unwrap();
    let forces: Vec<String> = engine.dataset().catalog.forces.iter().map(|f| f.name.clone()).collect();
    let mut s = String::from(
        "kind,force,programme,published,area,grade,source_url,basis,start_year,end_year,scale,theme,name\n",
    );
    for t in 0..10 {
        let _ = writeln!(s, "theme,,,,,,,,,,,synthetic{t},Synthetic concern {t}");
    }
    let grades = ["outstanding", "good", "adequate", "requires improvement", "inadequate"];
    let mut n = 0;
    for p in 0..30 {
        let year = 2101 + p;
        let _ = writeln!(s, "programme,,TEST {year},,,,,,{year},{year},five-tier,,");
        for a in 0..10 {
            let _ = writeln!(s, "area,,TEST {year},,Area {a},,,,,,,synthetic{a},");
        }
        for a in 0..10 {
            for (i, f) in forces.iter().enumerate() {
                let grade = grades[(i + a + p as usize) % 5];
                let _ = writeln!(
                    s,
                    "grade,{f},TEST {year},{year}-01-01,Area {a},{grade},https://example.org/{p}/{a}/{i},stated,,,,,"
                );
                n += 1;
            }
        }
    }
    (s, n)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// How the import is stopped in one run.
#[derive(Clone, Copy, Debug)]
enum Moment {
    /// Killed as soon as it starts (opening the store, reading the file).
    AtStart,
    /// Killed while it pauses at the hook's step `marker`.
    At(&'static str),
    /// Killed once this many per mille of the records are written (just
    /// after a batch, while the hook pauses).
    AfterBatch(usize),
    /// Killed this many milliseconds after it has checked the file and
    /// starts writing, with no pauses: a kill anywhere, mid-batch, mid-flush,
    /// at the switch.
    After(u64),
}

#[test]
fn an_import_killed_at_20_moments_leaves_exactly_the_old_or_the_new_data() {
    let dir = tempfile::tempdir().unwrap();
    let (text, rows) = big_file();
    assert_eq!(rows, 12_900);
    let file = write(dir.path(), "big.csv", &text);
    let base = dir.path().join("base");
    let old = export(&base, "csv");

    // The uninterrupted import: the new data, and how long its write takes
    // (from the hook's `checked` to its `written`).
    let full = dir.path().join("full");
    copy_dir(&base, &full);
    let start = Instant::now();
    let mut child = spawn_import(&full, &file, 0);
    let mut lines = wait_for(&mut child, "checked");
    let checked = start.elapsed();
    let mut line = String::new();
    while lines.read_line(&mut line).expect("read") > 0 && !line.contains("peelql-test: written") {
        line.clear();
    }
    let write_time = start.elapsed() - checked;
    assert!(child.0.wait().expect("wait").success());
    let took = start.elapsed();
    let new = export(&full, "csv");
    assert_ne!(old, new);
    assert_eq!(new.lines().count(), old.lines().count() + rows + 10 + 30 * 11);

    let mut moments = vec![Moment::AtStart, Moment::At("checked"), Moment::At("written")];
    for k in 0..7 {
        // per mille of the records written
        moments.push(Moment::AfterBatch(20 + k * 160));
    }
    // Spread over the write (5% … 95% of it).
    let ms = write_time.as_millis() as u64;
    for k in 0..10 {
        moments.push(Moment::After(ms * (5 + 10 * k) / 100));
    }
    assert_eq!(moments.len(), 20);

    let run = |(i, moment): (usize, Moment)| -> String {
        let db = dir.path().join(format!("killed-{i}"));
        copy_dir(&base, &db);
        // The pause after each step of the hook: long where the kill must
        // land before the next step, short where it need not.
        let pause = match moment {
            Moment::AtStart | Moment::After(_) => 0,
            Moment::At("checked") => 5_000,
            Moment::At(_) => 10,
            Moment::AfterBatch(_) => 100,
        };
        let mut child = spawn_import(&db, &file, pause);
        match moment {
            Moment::AtStart => {}
            Moment::At(marker) => drop(wait_for(&mut child, marker)),
            Moment::AfterBatch(per_mille) => {
                let mut lines = BufReader::new(child.0.stderr.take().unwrap());
                let mut line = String::new();
                loop {
                    line.clear();
                    assert!(lines.read_line(&mut line).unwrap() > 0, "ended before {per_mille}‰");
                    let progress =
                        line.trim_end().strip_prefix("peelql-test: batch ").and_then(|r| r.split_once('/'));
                    let Some((done, total)) = progress else { continue };
                    let (done, total): (usize, usize) = (done.parse().unwrap(), total.parse().unwrap());
                    if done * 1000 >= total * per_mille {
                        break;
                    }
                }
            }
            Moment::After(ms) => {
                let _rest = wait_for(&mut child, "checked");
                std::thread::sleep(Duration::from_millis(ms));
            }
        }
        child.0.kill().expect("SIGKILL");
        let status = child.0.wait().expect("reap");
        let killed = !status.success();
        let got = export(&db, "csv");
        let which = if got == old {
            "old"
        } else if got == new {
            "new"
        } else {
            panic!(
                "{moment:?}: the store holds neither the old nor the new data ({} lines)",
                got.lines().count()
            )
        };
        format!("{moment:?}: {which}{}", if killed { "" } else { " (had finished)" })
    };
    // Two at a time: the machine has two cores.
    let indexed: Vec<(usize, Moment)> = moments.into_iter().enumerate().collect();
    let (evens, odds): (Vec<_>, Vec<_>) = indexed.into_iter().partition(|(i, _)| i % 2 == 0);
    let report: Vec<String> = std::thread::scope(|s| {
        let a = s.spawn(|| evens.into_iter().map(run).collect::<Vec<_>>());
        let b = odds.into_iter().map(run).collect::<Vec<_>>();
        let mut all = a.join().expect("thread");
        all.extend(b);
        all
    });
    let report = report.join("\n");
    println!(
        "uninterrupted import of {rows} rows: {took:?} (checked after {checked:?}, written in {write_time:?})\n{report}"
    );
    // The marked moments are certain: before the switch the old data, after it the new.
    assert!(report.contains("AtStart: old"), "{report}");
    assert!(report.contains("At(\"checked\"): old"), "{report}");
    assert!(report.contains("At(\"written\"): new"), "{report}");
    // Every kill before the last batch leaves the old data; after it the
    // switch may already be done.
    for line in report.lines().filter(|l| l.starts_with("AfterBatch") && !l.starts_with("AfterBatch(980)")) {
        assert!(line.ends_with(": old"), "{report}");
    }
}

#[test]
fn area_words_resolve_as_in_queries_with_the_same_ambiguity() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    // Cheshire has no PEEL 2023-25 grade for responding in the bundled data
    let ambiguous = write(
        dir.path(),
        "crime.csv",
        &format!("{HEADER}cheshire,peel 2023,2025-05,crime,good,https://example.org/c,stated\n"),
    );
    let o = peelql(&db, &["import", ambiguous.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("column `area`: \"crime\" matches 5 areas of PEEL 2023-25"), "{err}");
    assert!(err.contains("say which one: Preventing crime, Investigating crime,"), "{err}");
    let q = "grades where force = \"cheshire\" and area(\"responding\") select area, grade";
    assert!(!ok(&peelql(&db, &["-c", q, "-f", "csv"])).contains("good"), "nothing was written");
    // a word `area("…")` takes, stored under the area's name
    let file = write(
        dir.path(),
        "responding.csv",
        &format!("{HEADER}cheshire,peel 2023,2025-05,responding,good,https://example.org/c,stated\n"),
    );
    let out = ok(&peelql(&db, &["import", file.to_str().unwrap()]));
    assert!(out.contains("1 rows: 1 added") || out.contains("1 row: 1 added"), "{out}");
    assert_eq!(ok(&peelql(&db, &["-c", q, "-f", "csv"])), "area,grade\nResponding to the public,good\n");
    // and the same file again changes nothing
    let out = ok(&peelql(&db, &["import", file.to_str().unwrap()]));
    assert!(out.contains("0 added, 0 changed, 1 unchanged"), "{out}");
}
