//! Embedding PeelQL: open the engine, prepare a query once, run it with two
//! different parameter values, and read typed results.
//!
//! `cargo run --example embed`

use peelql::{Engine, Grade, Params, Value};

fn main() -> Result<(), peelql::Error> {
    // The bundled grades, in memory (Engine::open(path) uses a store on disk).
    let engine = Engine::in_memory()?;

    // Parsed once; `$grade` is bound per run, never spliced into the text.
    let query = engine.prepare(
        r#"forces where area("responding") = $grade
           select name, region, area("responding") as responding, score
           order by name"#,
    )?;

    for grade in [Grade::Inadequate, Grade::Good] {
        let rows = query.run(&Params::new().with("grade", grade))?;
        println!("Responding to the public graded {grade}: {} forces", rows.len());
        for row in &rows {
            let name = row.get("name").and_then(Value::as_str).unwrap_or("?");
            let region = row.get("region").and_then(Value::as_str).unwrap_or("?");
            let graded = row.get("responding").and_then(Value::as_grade);
            let score = match row.get("score") {
                Some(Value::Decimal(d)) => format!("{d}"),
                _ => "-".to_string(),
            };
            println!("  {name:<42} {region:<26} {:<12} score {score}", graded.map_or("-", |g| g.name()));
        }
    }
    Ok(())
}
