//! Arbitrary UTF-8 → parse → resolve → execute against the bundled data in
//! memory, and render any error as the CLI would. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
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
    let mut session = engine().session();
    if let Err(e) = session.run_script(src, &params(), |_, _| {}) {
        let e = e.with_source("fuzz.pql", src);
        let mut out = String::new();
        let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::none());
        let _ = handler.render_report(&mut out, &e);
    }
});
