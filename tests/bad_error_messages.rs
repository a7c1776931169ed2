//! Messages we know are still weak (a PRQL habit). Each test asserts
//! today's text, so that improving a message is a deliberate change: fix
//! the message, then move its case to `tests/diagnostics.rs` as a snapshot.
//!
//! Each case says in a comment what a better message would do.

use peelql::{Engine, Params};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::in_memory().expect("bundled data loads"))
}

/// Each problem as `code: message [label] help: …`, one per line; or
/// `ok: N rows` when the query runs.
fn brief(src: &str) -> String {
    match engine().query_with(src, &Params::new()) {
        Ok(rows) => format!("ok: {} rows", rows.len()),
        Err(e) => e
            .problems()
            .map(|p| {
                let mut line = format!("{}: {} [{}]", p.code_str(), p.message(), p.label().unwrap_or(""));
                for h in p.hints() {
                    line.push_str(&format!(" help: {h}"));
                }
                line
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[test]
fn in_programme_is_offered_after_other_clauses() {
    // `in <programme>` may only come right after the source, yet it is
    // listed as expected after `limit 5`. Better: list it only right after
    // the source.
    assert_eq!(
        brief("forces limit 5 5"),
        "peelql::parse::expected: expected `in <programme>`, a clause (`where`, `group by`, `select`, `order by`) or the end of the query, found `5` [not expected here] help: `limit` takes one number: `limit 5`"
    );
}

#[test]
fn two_unquoted_words_lead_with_the_clause_list() {
    // The help now says to quote `Kent Police`, but the message itself
    // still lists the clauses that could follow `Kent`. Better: make the
    // quotes the message, "`Kent Police` is two words: …".
    let got = brief("grades where force = Kent Police");
    assert!(got.starts_with("peelql::parse::expected: expected `and`, `or`, a clause"), "{got}");
    assert!(got.ends_with("help: if `Kent Police` is one value, put it in quotes: \"Kent Police\""), "{got}");
}
