//! The `json` and `ndjson` formats.
//!
//! `json` is a single array of objects, pretty-printed with a two-space
//! indent; `ndjson` is one compact object per line. Keys follow column
//! order: objects are written here key by key (with `serde_json` escaping
//! each key and string), so no `preserve_order` feature is needed. A column
//! name that repeats an earlier key gets a suffix `_2`, `_3`… so that no
//! value is lost.
//!
//! Values: null → `null`, integers → numbers, decimals → numbers rounded to
//! their places (`3.25`, never `3.2500000001`; a decimal with no places is
//! written as an integer), text, dates and grades → strings (`"2025-02"`,
//! `"requires improvement"`), booleans → `true`/`false`. A non-finite
//! decimal, which JSON cannot hold, is written as `null`.

use super::{cell, decimal_number};
use crate::rows::Rows;
use crate::value::{Decimal, Value};
use std::collections::HashSet;

/// Renders `rows` as one pretty-printed JSON array, ending with a newline.
pub(super) fn render_pretty(rows: &Rows) -> String {
    if rows.is_empty() {
        return "[]\n".to_owned();
    }
    let keys = keys(&rows.columns);
    let mut out = String::from("[\n");
    for (n, row) in rows.rows.iter().enumerate() {
        if keys.is_empty() {
            out.push_str("  {}");
        } else {
            out.push_str("  {\n");
            for (i, key) in keys.iter().enumerate() {
                out.push_str("    ");
                out.push_str(key);
                out.push_str(": ");
                out.push_str(&json_value(cell(row, i)));
                out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
            }
            out.push_str("  }");
        }
        out.push_str(if n + 1 < rows.len() { ",\n" } else { "\n" });
    }
    out.push_str("]\n");
    out
}

/// Renders `rows` as newline-delimited JSON: one compact object per line;
/// empty when there are no rows.
pub(super) fn render_lines(rows: &Rows) -> String {
    let keys = keys(&rows.columns);
    let mut out = String::new();
    for row in &rows.rows {
        out.push('{');
        for (i, key) in keys.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(key);
            out.push(':');
            out.push_str(&json_value(cell(row, i)));
        }
        out.push_str("}\n");
    }
    out
}

/// The JSON object keys for the columns, already quoted: names as given,
/// with `_2`, `_3`… added to a name already used.
fn keys(columns: &[String]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    let mut keys = Vec::with_capacity(columns.len());
    for name in columns {
        let mut key = name.clone();
        let mut n = 2u64;
        while used.contains(&key) {
            key = format!("{name}_{n}");
            n += 1;
        }
        keys.push(json_string(&key));
        used.insert(key);
    }
    keys
}

/// A string as a JSON string literal, quoted and escaped by `serde_json`.
pub(super) fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// One value as JSON text.
fn json_value(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Decimal(d) => json_decimal(*d),
        Value::Text(t) => json_string(t),
        Value::Date(d) => json_string(&d.to_string()),
        Value::Grade(g) => json_string(g.name()),
    }
}

/// A decimal as a JSON number rounded to its places.
fn json_decimal(d: Decimal) -> String {
    let x = decimal_number(d);
    // Integers below 2^53 are exact in an f64 and print without `.0`.
    if d.places == 0 && x.is_finite() && x.abs() < 9_007_199_254_740_992.0 {
        return format!("{x:.0}");
    }
    // `serde_json` writes the shortest text that reads back as `x`, and
    // `null` for NaN and the infinities.
    serde_json::Value::from(x).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::test_data::{empty, sample};
    use serde_json::{Value as Json, json};

    #[test]
    fn pretty_exact_text() {
        let out = render_pretty(&sample());
        let expected = r#"[
  {
    "force": "Avon and Somerset, \"A&S\" | west",
    "score": 3.25,
    "count": 42,
    "published": "2024-03-12",
    "grade": "requires improvement",
    "ok": true
  },
  {
    "force": "Dyfed-Powys — Heddlu Dyfed-Powys",
    "score": null,
    "count": -7,
    "published": "2025-02",
    "grade": "outstanding",
    "ok": false
  },
  {
    "force": "line one\nline two",
    "score": 2.0,
    "count": null,
    "published": null,
    "grade": null,
    "ok": null
  }
]
"#;
        assert_eq!(out, expected);
    }

    fn expected_objects() -> Json {
        json!([
            {
                "force": "Avon and Somerset, \"A&S\" | west",
                "score": 3.25,
                "count": 42,
                "published": "2024-03-12",
                "grade": "requires improvement",
                "ok": true
            },
            {
                "force": "Dyfed-Powys — Heddlu Dyfed-Powys",
                "score": null,
                "count": -7,
                "published": "2025-02",
                "grade": "outstanding",
                "ok": false
            },
            {
                "force": "line one\nline two",
                "score": 2.0,
                "count": null,
                "published": null,
                "grade": null,
                "ok": null
            }
        ])
    }

    #[test]
    fn pretty_parses_back() {
        let out = render_pretty(&sample());
        let parsed: Json = serde_json::from_str(&out).unwrap();
        assert_eq!(parsed, expected_objects());
    }

    #[test]
    fn keys_keep_column_order() {
        let out = render_pretty(&sample());
        let first = out.split("},").next().unwrap();
        let positions: Vec<usize> =
            ["\"force\"", "\"score\"", "\"count\"", "\"published\"", "\"grade\"", "\"ok\""]
                .iter()
                .map(|k| first.find(k).unwrap())
                .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{first}");
        let rows = Rows::new(vec!["z".into(), "a".into()], vec![vec![Value::Int(1), Value::Int(2)]]);
        assert_eq!(render_lines(&rows), "{\"z\":1,\"a\":2}\n");
    }

    #[test]
    fn ndjson_parses_back_line_by_line() {
        let out = render_lines(&sample());
        assert_eq!(out.lines().count(), 3);
        let parsed: Vec<Json> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(Json::Array(parsed), expected_objects());
        assert!(out.ends_with("}\n"));
        assert!(!out.contains(": "), "compact: {out}");
    }

    #[test]
    fn zero_rows() {
        assert_eq!(render_pretty(&empty()), "[]\n");
        assert_eq!(render_lines(&empty()), "");
    }

    #[test]
    fn duplicate_columns_get_suffixes() {
        let rows = Rows::new(
            vec!["a".into(), "a".into(), "a_2".into(), "a".into(), "b".into()],
            vec![vec![Value::Int(1), Value::Int(2), Value::Int(3), Value::Int(4), Value::Int(5)]],
        );
        assert_eq!(render_lines(&rows), "{\"a\":1,\"a_2\":2,\"a_2_2\":3,\"a_3\":4,\"b\":5}\n");
        let parsed: Json = serde_json::from_str(&render_pretty(&rows)).unwrap();
        assert_eq!(parsed.as_array().unwrap()[0].as_object().unwrap().len(), 5);
    }

    #[test]
    fn decimals_are_rounded_numbers() {
        let cases = [
            (Decimal::new(3.254_999_9, 2), "3.25"),
            (Decimal::new(3.250_000_000_1, 2), "3.25"),
            (Decimal::new(0.1 + 0.2, 2), "0.3"),
            (Decimal::new(2.0, 1), "2.0"),
            (Decimal::new(2.6, 0), "3"),
            (Decimal::new(-0.001, 2), "0.0"),
            (Decimal::new(f64::NAN, 2), "null"),
            (Decimal::new(f64::INFINITY, 0), "null"),
        ];
        for (d, text) in cases {
            assert_eq!(json_decimal(d), text, "{d:?}");
        }
    }

    #[test]
    fn strings_are_escaped() {
        let rows = Rows::new(vec!["k\"ey\n".into()], vec![vec![Value::Text("tab\there \\ \u{1} é".into())]]);
        let out = render_lines(&rows);
        let parsed: Json = serde_json::from_str(out.trim_end()).unwrap();
        assert_eq!(parsed, json!({"k\"ey\n": "tab\there \\ \u{1} é"}));
    }

    #[test]
    fn no_columns() {
        let rows = Rows::new(Vec::new(), vec![Vec::new(), Vec::new()]);
        assert_eq!(render_pretty(&rows), "[\n  {},\n  {}\n]\n");
        assert_eq!(render_lines(&rows), "{}\n{}\n");
    }
}
