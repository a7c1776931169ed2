//! `peelql --json-lines`: a request per line on standard input, a response
//! per line on standard output, for programs not written in Rust.
//!
//! Request:  `{"query": "...", "params": {"name": value, ...}}` (`params` optional)
//! Response: `{"columns": [...], "rows": [[...], ...], "warnings": [...]}`
//!       or: `{"error": {"code": "...", "message": "...", "span": {"start": 0, "end": 3} | null,
//!            "label": "..." | null, "help": "..." | null}}`
//!
//! Each warning is an object of the same shape as `error` (its `help` holds
//! every hint, one per line); `warnings` is always there, often empty.
//!
//! One session serves every line, so a `let` in one request can be used by
//! later ones. A query of several statements answers with the last one's
//! rows and every statement's warnings, in order (spans point into the
//! request's `query`). A bad request gets an error response; the loop
//! never stops early.

use peelql::{Engine, Error, Params, Rows, StatementOutput, Value, Warning};
use serde::Deserialize;
use std::collections::HashMap;
use std::io::{BufRead, Write};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    query: String,
    #[serde(default)]
    params: HashMap<String, Value>,
}

/// Serves requests from `input` until it ends, writing responses to `output`.
pub fn serve(engine: &Engine, input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    let mut session = engine.session();
    for (number, line) in input.split(b'\n').enumerate() {
        let mut line = line?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        let line = match String::from_utf8(line) {
            Ok(line) => line,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let response = bad_request(format!(
                    "request {} is not UTF-8 text (an invalid byte at byte {}); send each request as UTF-8 JSON",
                    number + 1,
                    at + 1
                ));
                writeln!(output, "{response}")?;
                output.flush()?;
                continue;
            }
        };
        // a blank line is no request and gets no answer
        if line.trim().is_empty() {
            continue;
        }
        let response = match serde_json::from_str::<Request>(&line) {
            Ok(req) => {
                let mut params = Params::new();
                for (k, v) in req.params {
                    params.set(k, v);
                }
                let mut last = None;
                let mut warnings: Vec<Warning> = Vec::new();
                let ran = session.run_script(&req.query, &params, |_, out| {
                    warnings.extend_from_slice(out.warnings());
                    last = Some(out);
                });
                match ran {
                    Ok(()) => rows_response(last, &warnings),
                    Err(e) => error_response(&e),
                }
            }
            Err(e) => bad_request(format!(
                "a request is one JSON object per line, {{\"query\": \"...\", \"params\": {{...}}}}: {e}"
            )),
        };
        writeln!(output, "{response}")?;
        output.flush()?;
    }
    Ok(())
}

/// The answer to a line that is not a request.
fn bad_request(message: String) -> serde_json::Value {
    serde_json::json!({"error": {
        "code": "peelql::json_lines::bad_request",
        "message": peelql::error::bounded(message),
        "span": null, "label": null, "help": null,
    }})
}

fn rows_response(out: Option<StatementOutput>, warnings: &[Warning]) -> serde_json::Value {
    let rows = match out {
        Some(StatementOutput::Rows(rows)) => rows,
        Some(StatementOutput::Text(text)) => {
            Rows::new(vec!["plan".into()], text.lines().map(|l| vec![Value::Text(l.into())]).collect())
        }
        Some(StatementOutput::Bound { name, rows, .. }) => Rows::new(
            vec!["name".into(), "rows".into()],
            vec![vec![Value::Text(name), Value::Int(rows as i64)]],
        ),
        None => Rows::default(),
    };
    serde_json::json!({"columns": rows.columns, "rows": rows.rows, "warnings": warnings})
}

fn error_response(e: &Error) -> serde_json::Value {
    serde_json::json!({"error": {
        "code": e.code_str(),
        "message": e.message(),
        "span": e.span().map(|s| serde_json::json!({"start": s.start, "end": s.end})),
        "label": e.label(),
        "help": e.help_text(),
    }})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve_text(input: &str) -> Vec<serde_json::Value> {
        let engine = Engine::in_memory().unwrap();
        let mut out = Vec::new();
        serve(&engine, input.as_bytes(), &mut out).unwrap();
        String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    #[test]
    fn a_line_of_bad_utf8_is_answered_and_the_server_goes_on() {
        let engine = Engine::in_memory().unwrap();
        let mut input = b"{\"query\":\"programmes select count()\"}\n".to_vec();
        input.extend_from_slice(b"{\"query\":\"\xff\xfe\"}\n\n   \r\n");
        input.extend_from_slice(b"{\"query\":\"programmes select count()\"}\r\n");
        let mut out = Vec::new();
        serve(&engine, &input[..], &mut out).unwrap();
        let got: Vec<serde_json::Value> =
            String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(got.len(), 3, "blank lines get no answer: {got:?}");
        assert_eq!(got[1]["error"]["code"], "peelql::json_lines::bad_request");
        assert!(got[1]["error"]["message"].as_str().unwrap().contains("request 2 is not UTF-8"));
        assert_eq!(got[0], got[2]);
        assert!(got[0]["rows"].is_array(), "{:?}", got[0]);
    }

    #[test]
    fn rows_then_a_structured_error_then_more_rows() {
        let got = serve_text(concat!(
            r#"{"query":"forces where area(\"responding\") = $g select name","params":{"g":"inadequate"}}"#,
            "\n",
            r#"{"query":"nonsense"}"#,
            "\nnot json at all\n",
            r#"{"query":"let t = programmes select name; t where name ~ \"2023\""}"#,
            "\n"
        ));
        assert_eq!(got.len(), 4);
        assert_eq!(got[0]["columns"], serde_json::json!(["name"]));
        assert!(got[0]["rows"].as_array().unwrap().iter().any(|r| r[0] == "Cambridgeshire Constabulary"));
        assert_eq!(got[1]["error"]["code"], "peelql::resolve::unknown_source");
        assert_eq!(got[1]["error"]["span"], serde_json::json!({"start": 0, "end": 8}));
        assert_eq!(got[2]["error"]["code"], "peelql::json_lines::bad_request");
        assert_eq!(got[3]["rows"], serde_json::json!([["PEEL 2023-25"]]));
        assert_eq!(got[0]["warnings"], serde_json::json!([]), "always there, empty here");
    }

    #[test]
    fn warnings_of_every_statement_come_with_the_rows() {
        let got = serve_text(concat!(
            r#"{"query":"let t = forces where 1 = 1; t where \"status\" = \"engage\" select name"}"#,
            "\n"
        ));
        assert_eq!(got[0]["rows"], serde_json::json!([]));
        let warnings = got[0]["warnings"].as_array().unwrap();
        let codes: Vec<&str> = warnings.iter().map(|w| w["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["peelql::warning::constant_comparison", "peelql::warning::constant_comparison"]);
        // spans point into the request's query
        assert_eq!(warnings[0]["span"], serde_json::json!({"start": 21, "end": 26}));
        assert_eq!(warnings[1]["span"]["start"], 36);
        assert!(warnings[1]["help"].as_str().unwrap().contains("forces has no column `status`"));
        assert_eq!(warnings[1]["label"], "false for every row");
    }
}
