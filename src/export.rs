//! Exporting a data set as a file that [`crate::import`] reads back.
//!
//! An export holds everything an import can bring: the programmes, themes
//! and areas of the catalog, every grade, the history of replaced
//! grades, and the moves into and out of Engage — in that order, each table in its stored order, so importing
//! an export into a fresh store gives the same tables and the same answer
//! to every query. Forces and the announced per-grade counts are not
//! exported: they come with peelql and no import changes them.
//!
//! CSV uses every column of [`crate::import::COLUMNS`] with a `kind` per
//! row; JSON is an object of the arrays `programmes`, `themes`, `areas`,
//! `grades`, `history` and `monitoring`.

use crate::catalog::model::{GradeRecord, HistoryRecord, MonitoringRecord, Tables};
use crate::error::{Error, ErrorKind, Result};
use crate::import::COLUMNS;
use serde_json::{Value as Json, json};
use std::collections::HashMap;

/// The formats an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// One CSV file with a `kind` column.
    Csv,
    /// One JSON object of arrays.
    Json,
}

/// Writes `tables` in `format`.
pub fn export(tables: &Tables, format: ExportFormat) -> Result<String> {
    match format {
        ExportFormat::Csv => to_csv(tables),
        ExportFormat::Json => Ok(to_json(tables)),
    }
}

/// The tables as one CSV file (see the module documentation).
pub fn to_csv(tables: &Tables) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail =
        |e: csv::Error| Error::new(ErrorKind::Io, "peelql::export::csv", format!("cannot write CSV: {e}"));
    writer.write_record(COLUMNS).map_err(fail)?;
    let mut write = |cells: &[(&str, String)]| {
        let map: HashMap<&str, &str> = cells.iter().map(|(k, v)| (*k, v.as_str())).collect();
        writer.write_record(COLUMNS.iter().map(|c| map.get(c).copied().unwrap_or(""))).map_err(fail)
    };
    for p in &tables.programmes {
        write(&[
            ("kind", "programme".into()),
            ("programme", p.name.clone()),
            ("start_year", p.start_year.to_string()),
            ("end_year", p.end_year.to_string()),
            ("scale", p.scale.name().into()),
            ("aliases", p.aliases.join(";")),
        ])?;
    }
    for t in &tables.themes {
        write(&[
            ("kind", "theme".into()),
            ("theme", t.key.clone()),
            ("name", t.name.clone()),
            ("aliases", t.aliases.join(";")),
        ])?;
    }
    for a in &tables.areas {
        write(&[
            ("kind", "area".into()),
            ("programme", a.programme.clone()),
            ("area", a.name.clone()),
            ("theme", a.theme.clone()),
            ("pillar", a.pillar.clone().unwrap_or_default()),
            ("question_text", a.question.clone()),
            ("source_url", a.source_url.clone()),
        ])?;
    }
    for g in &tables.grades {
        let mut cells = grade_cells(g);
        cells.push(("kind", "grade".into()));
        write(&cells)?;
    }
    for h in &tables.history {
        let mut cells = grade_cells(&h.previous);
        cells.extend([
            ("kind", "history".into()),
            ("replaced_at", h.replaced_at.clone()),
            ("replaced_by", h.replaced_by.clone()),
        ]);
        write(&cells)?;
    }
    for m in &tables.monitoring {
        write(&[
            ("kind", "move".into()),
            ("force", m.force.clone()),
            ("event", m.event.name().into()),
            ("date", m.date.map(|d| d.to_string()).unwrap_or_default()),
            ("causes_of_concern", m.causes.map(|n| n.to_string()).unwrap_or_default()),
            ("source_url", m.source_url.clone()),
            ("basis", m.basis.name().into()),
            ("sentence", m.sentence.clone()),
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| {
        Error::new(ErrorKind::Io, "peelql::export::csv", format!("cannot write CSV: {}", e.error()))
    })?;
    String::from_utf8(bytes)
        .map_err(|e| Error::new(ErrorKind::Io, "peelql::export::csv", format!("cannot write CSV: {e}")))
}

fn grade_word(g: &GradeRecord) -> &'static str {
    g.grade.map_or("not graded", |g| g.name())
}

fn grade_cells(g: &GradeRecord) -> Vec<(&'static str, String)> {
    vec![
        ("force", g.force.clone()),
        ("programme", g.programme.clone()),
        ("published", g.published.map(|d| d.to_string()).unwrap_or_default()),
        ("area", g.area.clone()),
        ("grade", grade_word(g).into()),
        ("source_url", g.source_url.clone()),
        ("basis", g.basis.name().into()),
    ]
}

fn grade_json(g: &GradeRecord) -> Json {
    json!({
        "force": g.force,
        "programme": g.programme,
        "published": g.published.map(|d| d.to_string()),
        "area": g.area,
        "grade": grade_word(g),
        "source_url": g.source_url,
        "basis": g.basis.name(),
    })
}

fn move_json(m: &MonitoringRecord) -> Json {
    json!({
        "force": m.force,
        "event": m.event.name(),
        "date": m.date.map(|d| d.to_string()),
        "causes_of_concern": m.causes,
        "source_url": m.source_url,
        "basis": m.basis.name(),
        "sentence": m.sentence,
    })
}

fn history_json(h: &HistoryRecord) -> Json {
    let mut v = grade_json(&h.previous);
    if let Json::Object(map) = &mut v {
        map.insert("replaced_at".into(), json!(h.replaced_at));
        map.insert("replaced_by".into(), json!(h.replaced_by));
    }
    v
}

/// The tables as one JSON object (see the module documentation).
pub fn to_json(tables: &Tables) -> String {
    let value = json!({
        "programmes": tables.programmes.iter().map(|p| json!({
            "programme": p.name,
            "start_year": p.start_year,
            "end_year": p.end_year,
            "scale": p.scale.name(),
            "aliases": p.aliases,
        })).collect::<Vec<_>>(),
        "themes": tables.themes.iter().map(|t| json!({
            "theme": t.key,
            "name": t.name,
            "aliases": t.aliases,
        })).collect::<Vec<_>>(),
        "areas": tables.areas.iter().map(|a| json!({
            "programme": a.programme,
            "area": a.name,
            "theme": a.theme,
            "pillar": a.pillar,
            "question_text": a.question,
            "source_url": a.source_url,
        })).collect::<Vec<_>>(),
        "grades": tables.grades.iter().map(grade_json).collect::<Vec<_>>(),
        "history": tables.history.iter().map(history_json).collect::<Vec<_>>(),
        "monitoring": tables.monitoring.iter().map(move_json).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
    text.push('\n');
    text
}
