//! Fire and rescue services through the ways out of the engine (issue 16,
//! item 2): `--json-lines` answers a `services` query with typed rows that
//! say their kind, and an error of the fire half in the same form as the
//! police half's.

use std::io::Write;
use std::process::{Command, Stdio};

fn json_lines(input: &str) -> Vec<serde_json::Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_peelql"))
        .args(["--memory", "--json-lines"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("writes");
    let out = child.wait_with_output().expect("finishes");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn json_lines_answers_services_with_typed_rows_and_their_kind() {
    let input = concat!(
        r#"{"query":"services in frs 2021 where area(\"people\") = inadequate select name, kind, programme, published, area(\"people\") as people, graded, score order by name"}"#,
        "\n",
        r#"{"query":"grades in frs all where force = $s select force, kind, programme, area, grade","params":{"s":"LFB"}}"#,
        "\n",
        r#"{"query":"services where area(\"culture\") = inadequat"}"#,
        "\n",
        r#"{"query":"services where Peple = good"}"#,
        "\n",
    );
    let lines = json_lines(input);
    assert_eq!(lines.len(), 4);

    // services graded inadequate for People in 2021-22: text, a date or
    // null (Gloucestershire's report date is not on record), a grade word,
    // an integer and a decimal
    let first = &lines[0];
    assert_eq!(
        first["columns"],
        serde_json::json!(["name", "kind", "programme", "published", "people", "graded", "score"])
    );
    assert_eq!(
        first["rows"],
        serde_json::json!([
            [
                "Gloucestershire Fire and Rescue Service",
                "fire and rescue service",
                "FRS 2021-22",
                null,
                "inadequate",
                3,
                1.67
            ],
            [
                "North Yorkshire Fire and Rescue Service",
                "fire and rescue service",
                "FRS 2021-22",
                "2023-01-20",
                "inadequate",
                3,
                1.33
            ]
        ])
    );
    assert!(first["rows"][0][5].is_u64() && first["rows"][0][6].is_f64());

    // a parameter names the service by its alias; every row is the fire kind
    let lfb = lines[1]["rows"].as_array().expect("rows");
    assert_eq!(lfb.len(), 7, "3 pillars in each of rounds 1 and 2, 1 area in round 3: {lfb:?}");
    for row in lfb {
        assert_eq!(row[0], "London Fire Brigade");
        assert_eq!(row[1], "fire and rescue service");
    }
    assert_eq!(lfb[0][2], "FRS 2018-19");
    assert_eq!(
        lfb[6],
        serde_json::json!([
            "London Fire Brigade",
            "fire and rescue service",
            "FRS 2023-25",
            "Responding to major and multi-agency incidents",
            "outstanding"
        ])
    );

    // errors over services: the code, and the source named as the query wrote it
    assert_eq!(lines[2]["error"]["code"], "peelql::resolve::unknown_grade");
    assert_eq!(lines[2]["error"]["help"], "did you mean `inadequate`?");
    assert_eq!(lines[3]["error"]["code"], "peelql::resolve::unknown_column");
    assert_eq!(lines[3]["error"]["message"], "services has no column `Peple`");
    assert!(
        lines[3]["error"]["help"].as_str().expect("help").starts_with("the columns of services are: name, ")
    );
}
