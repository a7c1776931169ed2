//! Arbitrary UTF-8 → parse → resolve → execute against the bundled data in
//! memory, rendering any error as the CLI would. Nothing may panic.
//!
//! Every statement that parses is also pretty-printed and parsed again: it
//! must give the same tree (spans aside).
#![no_main]

use libfuzzer_sys::fuzz_target;
use peelql::report::{Style, render};
use peelql::syntax::parser::{parse_statement_at, split_statements};
use peelql::syntax::{parse_statement, pretty::without_spans};
use peelql::{Engine, Params, Value};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::in_memory().expect("the bundled data loads"))
}

fn params() -> Params {
    let mut p = Params::new();
    p.set("g", Params::parse_value("inadequate"));
    p.set("force", Params::parse_value("cambs"));
    p.set("n", Value::Int(3));
    p.set("cycle", Params::parse_value("peel 2021"));
    p.set("area", Params::parse_value("responding"));
    p
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    // the printer round trip
    for piece in split_statements(src) {
        if let Ok(Some(stmt)) = parse_statement_at(src, piece) {
            let printed = stmt.to_string();
            match parse_statement(&printed) {
                Ok(again) => assert_eq!(without_spans(&again), without_spans(&stmt), "{printed}"),
                Err(e) => panic!("printed statement does not parse: {printed}\n{e:?}"),
            }
        }
    }
    // parse, resolve, execute; render the error both ways
    let mut session = engine().session();
    if let Err(e) = session.run_script(src, &params(), |_, _| {}) {
        let e = e.with_source("fuzz.pql", src);
        let _ = render(&e, &Style::plain(100));
        let _ = render(&e, &Style::for_stream(true, false));
    }
});
