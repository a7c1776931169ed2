//! One engine shared by eight threads, each asking its own questions.
//!
//! `cargo run --example threads`

use peelql::{Engine, Params};
use std::sync::Arc;
use std::thread;

fn main() -> Result<(), peelql::Error> {
    let engine = Arc::new(Engine::in_memory()?);
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
    let handles: Vec<_> = areas
        .into_iter()
        .map(|area| {
            let engine = Arc::clone(&engine);
            thread::spawn(move || -> Result<(String, usize), peelql::Error> {
                let q = engine.prepare("forces where area($area) <= requires improvement select name")?;
                let rows = q.run(&Params::new().with("area", area))?;
                Ok((area.to_string(), rows.len()))
            })
        })
        .collect();
    for h in handles {
        let (area, n) = h.join().expect("thread finished")?;
        println!("{area:<14} {n:>2} forces graded requires improvement or worse");
    }
    Ok(())
}
