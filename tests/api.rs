//! The library API as an embedding program uses it.

use peelql::{Engine, Error, Grade, Params, Rows, Value};
use serde::Deserialize;
use std::sync::Arc;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn engine_and_errors_are_shareable() {
    assert_send_sync::<Engine>();
    assert_send_sync::<Rows>();
    assert_send_sync::<Error>();
    fn is_diagnostic<T: miette::Diagnostic + std::error::Error>() {}
    is_diagnostic::<Error>();
}

/// Eight threads × 100 queries against one engine; every answer checked
/// against the same query run alone first.
#[test]
fn eight_threads_one_hundred_queries_each() {
    let engine = Arc::new(Engine::in_memory().unwrap());
    let areas = [
        "responding",
        "investigating",
        "offenders",
        "vulnerable",
        "prevention",
        "workforce",
        "leadership",
        "treatment",
    ];
    let query = "forces where area($area) = $grade select name order by name";
    let mut expected = std::collections::HashMap::new();
    for area in areas {
        for grade in Grade::ALL {
            let rows =
                engine.query_with(query, &Params::new().with("area", area).with("grade", grade)).unwrap();
            expected.insert((area, grade), rows);
        }
    }
    let expected = Arc::new(expected);
    let total: usize = expected.values().map(Rows::len).sum();
    assert!(total > 100, "the answers are not trivially empty");
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let engine = Arc::clone(&engine);
            let expected = Arc::clone(&expected);
            std::thread::spawn(move || {
                let q = engine.prepare(query).unwrap();
                for i in 0..100 {
                    let area = areas[(t + i) % areas.len()];
                    let grade = Grade::ALL[i % 5];
                    let rows = q.run(&Params::new().with("area", area).with("grade", grade)).unwrap();
                    assert_eq!(&rows, &expected[&(area, grade)], "thread {t} query {i}");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn prepared_queries_bind_parameters_as_values() {
    let engine = Engine::in_memory().unwrap();
    let q = engine.prepare(r#"grades where force = $force select area, grade"#).unwrap();
    let cambs = q.run(&Params::new().with("force", "cambs")).unwrap();
    assert_eq!(cambs.len(), 8);
    // a parameter is a value, not text spliced into the query
    let sneaky = q.run(&Params::new().with("force", r#"cambs" or force = "met"#));
    assert!(sneaky.is_err(), "no force has that name");
    let missing = q.run(&Params::new()).unwrap_err();
    assert_eq!(missing.code_str(), "peelql::resolve::unknown_parameter");
}

#[test]
fn rows_deserialise_into_user_structs() {
    #[derive(Deserialize, Debug, PartialEq)]
    struct Line {
        area: String,
        grade: Option<Grade>,
        published: Option<peelql::Date>,
    }
    let engine = Engine::in_memory().unwrap();
    let rows = engine.query(r#"grades where force = "cambs" select area, grade, published"#).unwrap();
    let lines: Vec<Line> = rows.deserialize().unwrap();
    assert_eq!(lines.len(), 8);
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.grade == Some(Grade::Inadequate))
            .map(|l| l.area.as_str())
            .collect::<Vec<_>>(),
        ["Responding to the public", "Managing offenders"]
    );
    assert!(lines.iter().all(|l| l.published.map(|d| d.to_string()) == Some("2024-03-12".into())));

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Wrong {
        area: i64,
    }
    let err = rows.deserialize::<Wrong>().unwrap_err();
    assert_eq!(err.code_str(), "peelql::api::deserialize");
}

#[test]
fn rows_serialise_as_plain_json() {
    let engine = Engine::in_memory().unwrap();
    let rows = engine
        .query(r#"grades where force = "cambs" and grade = outstanding select area, grade, published"#)
        .unwrap();
    let json = serde_json::to_value(&rows).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"columns": ["area", "grade", "published"], "rows": [["Police powers and public treatment", "outstanding", "2024-03-12"]]})
    );
    let v = rows.iter().next().unwrap();
    assert_eq!(v.get("GRADE"), Some(&Value::Grade(Grade::Outstanding)));
}

#[test]
fn errors_carry_code_span_and_help() {
    let engine = Engine::in_memory().unwrap();
    let e = engine.query("forces where region = \"Eastrn\"").unwrap_err();
    assert_eq!(e.code_str(), "peelql::resolve::unknown_value");
    assert_eq!(e.span().map(|s| (s.start, s.end)), Some((22, 30)));
    assert_eq!(e.help_text(), Some("did you mean `Eastern`?"));
    use miette::Diagnostic;
    assert!(e.source_code().is_some(), "the query text travels with the error");
}

/// A move into or out of Engage, as an embedding program reads it.
#[derive(Debug, Deserialize, PartialEq)]
struct Stay {
    force: String,
    since: Option<String>,
    until: Option<String>,
    days: Option<i64>,
    ongoing: bool,
}

#[test]
fn monitoring_rows_deserialize_into_typed_structs() {
    let engine = Engine::in_memory().unwrap();
    let rows = engine
        .query("monitoring where event = entered and force in (\"lincs\", \"humberside\") select force, since, until, days, ongoing")
        .unwrap();
    let stays: Vec<Stay> = rows.deserialize().unwrap();
    assert_eq!(
        stays,
        [
            Stay {
                force: "Lincolnshire Police".into(),
                since: Some("2024-12-06".into()),
                until: None,
                days: Some(236),
                ongoing: true
            },
            Stay {
                force: "Humberside Police".into(),
                since: None,
                until: Some("2018".into()),
                days: None,
                ongoing: false
            },
        ]
    );
    #[derive(Debug, Deserialize)]
    struct Now {
        name: String,
        engage: Option<bool>,
        engage_times: Option<i64>,
    }
    let now: Vec<Now> = engine
        .query("forces where engage_times > 0 or engage is null select name, engage, engage_times")
        .unwrap()
        .deserialize()
        .unwrap();
    assert_eq!(now.len(), 12);
    assert!(now.iter().all(|n| n.engage.is_some() && n.engage_times == Some(1)), "{now:?}");
    assert_eq!(
        now.iter().filter(|n| n.engage == Some(true)).map(|n| n.name.as_str()).collect::<Vec<_>>(),
        ["Lincolnshire Police"]
    );
}
