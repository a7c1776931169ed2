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
fn comparing_with_null_says_nothing() {
    // `!= null` is always unknown, so no row matches and nothing is said.
    // Better: a warning, "use `is not null`" (PeelQL has no warnings yet).
    assert_eq!(brief(r#"forces where region != null"#), "ok: 0 rows");
}

#[test]
fn a_second_limit_value_gets_the_generic_message() {
    // Better: "`limit` takes one number" pointing at the second one.
    assert_eq!(
        brief("forces limit 5 5"),
        "peelql::parse::expected: expected `in <programme>`, a clause (`where`, `group by`, `select`, `order by`) or the end of the query, found `5` [not expected here]"
    );
}

#[test]
fn desc_after_limit_is_not_explained() {
    // Better: "`desc` belongs after a key of `order by`", with the query
    // rewritten: `order by … desc limit 3`.
    assert_eq!(
        brief(r#"grades where force = "cambs" select force, area limit 3 desc"#),
        "peelql::parse::expected: expected a clause (`group by`, `order by`) or the end of the query, found `desc` [expected a clause (`group by`, `order by`) or the end of the query]"
    );
}
