//! The silent wrong answers of issue 11, each a test that fails on the
//! engine before the fix: a sort by an output name that is also a literal
//! word, a force matched by one word of a longer name or that is a region,
//! and a comparison of two constants. Answers are checked against the data
//! set itself, not against other queries.

use peelql::dataset::Dataset;
use peelql::{Engine, Grade, Value};
use std::collections::HashMap;
use std::process::Command;

fn engine() -> Engine {
    Engine::in_memory().expect("bundled data loads")
}

/// Per force, how many areas of its latest graded inspection are graded
/// `grade`, counted from the grade records directly.
fn latest_counts(ds: &Dataset, grade: Grade) -> HashMap<String, i64> {
    ds.catalog
        .forces
        .iter()
        .map(|f| {
            let n = ds.latest_inspection(f.id).map_or(0, |i| {
                ds.inspection(i).grades.iter().filter(|g| ds.grade(**g).grade == Some(grade)).count()
            });
            (f.name.clone(), n as i64)
        })
        .collect()
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not a whole number: {v:?}"))
}

#[test]
fn order_by_an_output_name_that_is_a_grade_word_sorts_by_that_column() {
    let e = engine();
    let ds = e.dataset();
    for (word, grade) in [("inadequate", Grade::Inadequate), ("good", Grade::Good)] {
        let src =
            format!("forces select name, count(area = {word}) as {word} order by {word} desc, name limit 5");
        let rows = e.query(&src).unwrap();
        assert!(rows.warnings.is_empty(), "{src}: {:?}", rows.warnings);
        let got: Vec<i64> = rows.rows.iter().map(|r| int(&r[1])).collect();
        let counts = latest_counts(&ds, grade);
        let mut expected: Vec<(i64, &str)> = counts.iter().map(|(n, c)| (-*c, n.as_str())).collect();
        expected.sort();
        let expected_counts: Vec<i64> = expected.iter().take(5).map(|(c, _)| -c).collect();
        assert_eq!(got, expected_counts, "{src}");
        // each row's count is that force's own, and the names break ties in order
        let names: Vec<&str> = rows.rows.iter().map(|r| r[0].as_str().unwrap()).collect();
        let expected_names: Vec<&str> = expected.iter().take(5).map(|(_, n)| *n).collect();
        assert_eq!(names, expected_names, "{src}");
    }
    // the issue's query: the most inadequate grades first, not the alphabet
    let rows = e
        .query("forces select name, count(area = inadequate) as inadequate order by inadequate desc limit 5")
        .unwrap();
    let top = latest_counts(&ds, Grade::Inadequate).into_values().max().unwrap();
    assert_eq!(int(&rows.rows[0][1]), top);
    assert_ne!(rows.rows[0][0].as_str(), Some("Avon and Somerset Constabulary"));
}

#[test]
fn order_by_a_quoted_output_name_and_in_a_grouped_query() {
    let e = engine();
    // a quoted alias (any text) is named by the same quoted text
    let rows = e.query(r#"forces select name, score as "order" order by "order" desc limit 3"#).unwrap();
    let scores: Vec<f64> = rows.rows.iter().map(|r| r[1].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // grouped: regions by their count of inadequate grades
    let rows = e
        .query(
            "grades group by region select region, count(grade = inadequate) as inadequate \
             order by inadequate desc",
        )
        .unwrap();
    let counts: Vec<i64> = rows.rows.iter().map(|r| int(&r[1])).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert!(counts[0] > *counts.last().unwrap());
}

#[test]
fn sorting_by_a_constant_is_refused() {
    let e = engine();
    for (src, help) in [
        ("forces select name order by inadequate", "sort by a column of the result (name)"),
        ("forces select name, score order by 2 desc", "for column 2, write `order by score`"),
        (r#"forces select name order by "score""#, "for the column, write `order by score`"),
    ] {
        let err = e.query(src).expect_err(src);
        assert_eq!(err.code_str(), "peelql::type::constant_order", "{src}");
        assert!(err.hints().iter().any(|h| h.contains(help)), "{src}: {:?}", err.hints());
    }
}

#[test]
fn london_and_midlands_are_regions_not_a_force_matched_by_one_word() {
    let e = engine();
    for (text, offered) in [
        ("London", ["region = \"London\"", "Metropolitan Police Service"]),
        ("Midlands", ["region = \"East Midlands\"", "region = \"West Midlands\""]),
    ] {
        let err = e.query(&format!(r#"grades where force = "{text}""#)).expect_err(text);
        assert_eq!(err.code_str(), "peelql::resolve::region_as_force", "{text}");
        let help = err.hints().join("\n");
        for o in offered {
            assert!(help.contains(o), "{text}: {help}");
        }
        // through a parameter too
        let q = e.prepare("forces where name = $f select name").unwrap();
        let err = q.run(&peelql::Params::new().with("f", text)).expect_err(text);
        assert_eq!(err.code_str(), "peelql::resolve::region_as_force");
    }
    // the region reading gives both London forces
    let rows = e.query(r#"forces where region = "London" select name"#).unwrap();
    assert_eq!(rows.len(), 2);
}

#[test]
fn a_force_named_by_part_of_its_name_or_that_is_a_region_warns() {
    let e = engine();
    let rows = e.query(r#"grades where force = "Thames" select force"#).unwrap();
    assert!(rows.rows.iter().all(|r| r[0].as_str() == Some("Thames Valley Police")));
    let codes: Vec<&str> = rows.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["peelql::warning::partial_force_name"]);
    let rows = e.query(r#"grades where force = "West Midlands" select force"#).unwrap();
    assert!(rows.rows.iter().all(|r| r[0].as_str() == Some("West Midlands Police")));
    assert_eq!(rows.warnings[0].code, "peelql::warning::force_or_region");
    // a name the force goes by, and not a place: no warning
    assert!(e.query(r#"grades where force = "met""#).unwrap().warnings.is_empty());
}

#[test]
fn two_constants_compared_warn_and_say_the_quoted_word_is_not_a_column() {
    let e = engine();
    let src = r#"forces where "status" = "engage""#;
    let rows = e.query(src).unwrap();
    assert!(rows.is_empty());
    assert_eq!(rows.warnings.len(), 1);
    let w = &rows.warnings[0];
    assert_eq!(w.code, "peelql::warning::constant_comparison");
    assert_eq!(w.span.and_then(|s| s.text(src)), Some(r#""status" = "engage""#));
    assert_eq!(w.label.as_deref(), Some("false for every row"));
    assert!(w.help.as_deref().unwrap().contains("forces has no column `status`"), "{w:?}");
}

fn peelql(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_peelql")).args(args).env("NO_COLOR", "1").output().expect("runs")
}

#[test]
fn the_cli_prints_warnings_under_the_result_on_stderr_and_keeps_stdout_clean() {
    let o = peelql(&["--memory", "--format", "csv", "-c", r#"forces where "status" = "engage" select name"#]);
    assert!(o.status.success(), "a warning is not a failure");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "name\n", "CSV holds the answer only");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("peelql::warning::constant_comparison"), "{err}");
    assert!(err.contains("  ! `\"status\" = \"engage\"` compares constants only"), "{err}");
    assert!(err.contains("`-- false for every row"), "{err}");

    let o = peelql(&["--memory", "--format", "json", "-c", r#"grades where force = "Thames" select force"#]);
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(rows[0]["force"], "Thames Valley Police");
    assert!(String::from_utf8_lossy(&o.stderr).contains("peelql::warning::partial_force_name"));

    // a script: each warning names the file and line of its statement
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.pql");
    std::fs::write(&path, "forces select name limit 1;\nforces where 1 = 1 select name limit 1;\n").unwrap();
    let o = peelql(&["--memory", "--format", "ndjson", "run", path.to_str().unwrap()]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("two.pql:2:14"), "{err}");
}
