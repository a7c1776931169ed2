//! Rows into your own types: a `#[derive(Deserialize)]` struct per row.
//!
//! `cargo run --example deserialize`

use peelql::{Date, Engine, Grade};
use serde::Deserialize;

/// One graded area of one inspection.
#[derive(Debug, Deserialize)]
struct GradeLine {
    force: String,
    programme: String,
    published: Option<Date>,
    area: String,
    grade: Option<Grade>,
    basis: String,
}

fn main() -> Result<(), peelql::Error> {
    let engine = Engine::in_memory()?;
    let rows = engine.query(
        r#"grades in all where force = "cambs"
           select force, programme, published, area, grade, basis"#,
    )?;
    let lines: Vec<GradeLine> = rows.deserialize()?;
    let worst = lines.iter().filter_map(|l| l.grade).min();
    println!("{} grades for {}", lines.len(), lines.first().map_or("?", |l| l.force.as_str()));
    for l in &lines {
        let when = l.published.map_or("date unknown".to_string(), |d| d.to_string());
        println!(
            "  {:<13} {:<36} {:<21} {:<12} ({})",
            l.programme,
            l.area,
            l.grade.map_or("not graded", |g| g.name()),
            when,
            l.basis
        );
    }
    println!("worst grade on record: {}", worst.map_or("none", |g| g.name()));
    Ok(())
}
