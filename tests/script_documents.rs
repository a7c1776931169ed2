//! A script of several statements writes one document a tool can read
//! (issue 17): one JSON document, one HTML page, CSV and SVG refusing a
//! second result unless `-o DIR` writes one file each.

use std::process::{Command, Output};

fn peelql(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_peelql")).args(args).env("NO_COLOR", "1").output().expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const TWO: &str = r#"grades where force = "cambs"; forces where region = "Eastern" select name"#;

#[test]
fn json_of_two_statements_is_one_document_with_both_results() {
    let o = peelql(&["--memory", "-c", TWO, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON document");
    let results = doc["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["query"], r#"grades where force = "cambs""#);
    let grades = results[0]["rows"].as_array().unwrap();
    assert_eq!(grades.len(), 8);
    assert!(grades.iter().all(|g| g["force"] == "Cambridgeshire Constabulary"));
    let names: Vec<&str> =
        results[1]["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(
        names.contains(&"Cambridgeshire Constabulary") && names.contains(&"Norfolk Constabulary"),
        "{names:?}"
    );
    // one statement keeps the plain array
    let one = peelql(&["--memory", "-c", r#"grades where force = "cambs""#, "--format", "json"]);
    let arr: serde_json::Value = serde_json::from_str(&stdout(&one)).unwrap();
    assert_eq!(arr.as_array().unwrap().len(), 8);
}

#[test]
fn html_of_two_statements_is_one_page_with_a_section_each() {
    let o = peelql(&["--memory", "-c", TWO, "--format", "html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = stdout(&o);
    assert_eq!(page.matches("<!DOCTYPE html>").count(), 1);
    assert_eq!(page.matches("</html>").count(), 1);
    assert_eq!(page.matches("<section").count(), 2);
    assert!(page.contains("Norfolk Constabulary") && page.contains("Responding to the public"));
    // still well-formed XML, with no id twice
    let ids: Vec<&str> = page.split("id=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
}

#[test]
fn csv_and_svg_refuse_a_second_result_and_write_nothing() {
    for format in ["csv", "svg"] {
        let o = peelql(&["--memory", "-c", TWO, "--format", format]);
        assert!(!o.status.success(), "{format}");
        assert_eq!(stdout(&o), "", "{format}");
        let err = stderr(&o);
        assert!(err.contains("2 results") && err.contains("-o DIR"), "{format}: {err}");
    }
}

#[test]
fn output_dir_writes_one_file_per_result() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let script = dir.path().join("two.pql");
    std::fs::write(&script, TWO).unwrap();
    for format in ["csv", "svg"] {
        let o = peelql(&[
            "--memory",
            "run",
            script.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--format",
            format,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains(&format!("two-2.{format}")), "{}", stderr(&o));
        for n in 1..=2 {
            let text = std::fs::read_to_string(out.join(format!("two-{n}.{format}"))).unwrap();
            if format == "svg" {
                assert_eq!(text.matches("<?xml").count(), 1);
            }
        }
    }
    let first = std::fs::read_to_string(out.join("two-1.csv")).unwrap();
    assert_eq!(first.lines().count(), 9, "{first}");
    let second = std::fs::read_to_string(out.join("two-2.csv")).unwrap();
    assert!(second.starts_with("name\n") && second.contains("Norfolk Constabulary"), "{second}");
}

#[test]
fn help_lists_every_format() {
    for args in [&["--help"][..], &["run", "--help"]] {
        let o = peelql(args);
        let help = stdout(&o);
        for name in peelql::output::Format::names() {
            assert!(help.contains(name), "{args:?} lacks {name}: {help}");
        }
    }
}
