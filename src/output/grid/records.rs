//! Reading [`Rows`] as grades to draw: `grades`-shaped rows, and
//! `forces`-shaped rows with the hidden facts a picture-drawing session
//! adds to their area columns (see [`crate::rows::HIDDEN_MARK`]).

use super::{EngageMark, RowEngage};
use crate::rows::Rows;
use crate::value::{Grade, Value};

/// One grade, whichever shape of rows it came from.
#[derive(Clone, Debug)]
pub(super) struct Record {
    pub(super) force: String,
    pub(super) programme: Option<String>,
    /// The column (or trend row) it belongs to: the theme, or the area's
    /// name in lower case.
    pub(super) area_key: String,
    /// The area's own name.
    pub(super) area: String,
    /// The header for the area's column: for `forces` rows the column name.
    pub(super) area_label: String,
    pub(super) grade: Option<Grade>,
    /// A grade row is on record (with no grade: "not graded").
    pub(super) recorded: bool,
    pub(super) basis: Option<String>,
    pub(super) source_url: Option<String>,
    /// The row's kind (`police force`, `fire and rescue service`), where
    /// the rows say.
    pub(super) kind: Option<String>,
    /// The scale of the row's programme (`four-tier`, `five-tier`), where
    /// the rows say.
    pub(super) scale: Option<String>,
    /// The force's or service's short name, where the rows say.
    pub(super) short: Option<String>,
    /// Where the row's force stood in Engage, when the session said.
    pub(super) engage: Option<RowEngage>,
}

/// Where a row says its kind and its programme's scale: a visible `kind`
/// or `scale` column, else the hidden facts a picture-drawing session adds.
fn row_fact_columns(rows: &Rows) -> (Option<usize>, Option<usize>, Option<usize>) {
    let find = |name: &str| rows.column_index(name).or_else(|| rows.hidden_index("", name));
    (find("kind"), find("scale"), find("short"))
}

/// What the session's hidden row columns (see [`crate::rows::ENGAGE_FACTS`])
/// say of a row's force, or `None` when it added none.
fn engage_of(rows: &Rows, row: &[Value]) -> Option<RowEngage> {
    let at = |fact: &str| rows.row_fact_index(fact).map(|i| row.get(i).unwrap_or(&Value::Null));
    let text = |fact: &str| match at(fact) {
        Some(Value::Null) | None => None,
        Some(v) => Some(clean(&v.to_string())),
    };
    let mark = match at("engage")? {
        Value::Bool(true) => Some(EngageMark::In { since: text("engage_since") }),
        Value::Bool(false) => None,
        // null: an undated move leaves it open (or there is no date to ask as of)
        _ => Some(EngageMark::Unknown),
    };
    Some(RowEngage { mark, as_of: text("as_of") })
}

/// Records from `grades`-shaped rows, or `None` when the rows are not that
/// shape (no force, area or grade column, or a grade column holding
/// something other than grades).
pub(super) fn grade_records(rows: &Rows) -> Option<Vec<Record>> {
    let force = rows.column_index("force").or_else(|| rows.column_index("name"))?;
    let area = rows.column_index("area")?;
    let grade = rows.column_index("grade")?;
    let programme = rows.column_index("programme").or_else(|| rows.column_index("program"));
    let theme = rows.column_index("theme");
    let basis = rows.column_index("basis");
    let source = rows.column_index("source_url").or_else(|| rows.column_index("source"));
    let (kind, scale, short) = row_fact_columns(rows);
    let get = |row: &[Value], i: Option<usize>| -> Option<String> {
        i.and_then(|i| row.get(i)).filter(|v| !v.is_null()).map(|v| clean(&v.to_string()))
    };
    let mut out = Vec::new();
    for row in &rows.rows {
        let g = match row.get(grade) {
            Some(Value::Grade(g)) => Some(*g),
            Some(Value::Null) | None => None,
            Some(_) => return None,
        };
        let (Some(force), Some(area)) = (get(row, Some(force)), get(row, Some(area))) else { continue };
        let area_key = get(row, theme).unwrap_or_else(|| area.to_lowercase());
        out.push(Record {
            force,
            programme: get(row, programme),
            area_key,
            area_label: area.clone(),
            area,
            grade: g,
            recorded: true,
            basis: get(row, basis),
            source_url: get(row, source),
            kind: get(row, kind),
            scale: get(row, scale),
            short: get(row, short),
            engage: engage_of(rows, row),
        });
    }
    out.iter().any(|r| r.grade.is_some()).then_some(out)
}

/// Every column name of every source: an all-null column with one of these
/// names is a column of the source, not an area.
fn is_known_column(name: &str) -> bool {
    crate::semantic::columns::COLUMNS.iter().any(|c| c.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
}

/// Records from `forces`-shaped rows: one per grade column of each row.
/// Also gives the names of the columns left out because no row has a grade
/// in them (a column that is in the result but empty for these forces),
/// and of the grade columns that are not areas: when the session added
/// the cells' facts, a column without them (`previous(…)`) or named other
/// than its area (`area("responding") as now`).
pub(super) type ForceRecords = (Vec<Record>, Vec<String>, Vec<String>);

pub(super) fn force_records(rows: &Rows) -> Option<ForceRecords> {
    let label = rows.column_index("name").or_else(|| rows.column_index("force"))?;
    let programme = rows.column_index("programme").or_else(|| rows.column_index("program"));
    let value = |row: &Vec<Value>, i: usize| row.get(i).unwrap_or(&Value::Null).clone();
    let mut grade_columns = Vec::new();
    let mut empty = Vec::new();
    for (i, name) in rows.columns.iter().enumerate() {
        if i == label || Some(i) == programme || name.contains(crate::rows::HIDDEN_MARK) {
            continue;
        }
        let mut grades = 0;
        let mut other = false;
        for row in &rows.rows {
            match value(row, i) {
                Value::Grade(_) => grades += 1,
                Value::Null => {}
                _ => other = true,
            }
        }
        if other {
            continue;
        }
        if grades > 0 {
            grade_columns.push(i);
        } else if !is_known_column(name) {
            empty.push(clean(name));
        }
    }
    if grade_columns.is_empty() {
        return None;
    }
    let facts = grade_columns.iter().any(|&i| rows.hidden_index(&rows.columns[i], "area").is_some());
    let not_areas: Vec<String> = grade_columns
        .iter()
        .filter(|&&i| {
            let Some(h) = rows.hidden_index(&rows.columns[i], "area") else { return facts };
            !rows.rows.iter().all(|row| match value(row, h) {
                Value::Text(area) => area.eq_ignore_ascii_case(&rows.columns[i]),
                _ => true,
            })
        })
        .map(|&i| clean(&rows.columns[i]))
        .collect();
    let (kind, scale, short) = row_fact_columns(rows);
    let text_at = |row: &Vec<Value>, i: Option<usize>| match i.map(|i| value(row, i)) {
        Some(Value::Text(t)) if !t.is_empty() => Some(clean(&t)),
        _ => None,
    };
    let mut out = Vec::new();
    for row in &rows.rows {
        let force = value(row, label);
        if force.is_null() {
            continue;
        }
        let force = clean(&force.to_string());
        let programme =
            programme.map(|p| value(row, p)).filter(|v| !v.is_null()).map(|v| clean(&v.to_string()));
        for &i in &grade_columns {
            let name = clean(&rows.columns[i]);
            // what the session's hidden columns say of the cell, if it added them
            let fact = |what: &str| rows.hidden_index(&rows.columns[i], what).map(|h| value(row, h));
            let text = |what: &str| match fact(what) {
                Some(Value::Text(t)) if !t.is_empty() => Some(clean(&t)),
                _ => None,
            };
            let grade = match value(row, i) {
                Value::Grade(g) => Some(g),
                _ => None,
            };
            out.push(Record {
                force: force.clone(),
                programme: programme.clone(),
                area_key: name.to_lowercase(),
                area: name.clone(),
                area_label: name,
                grade,
                // without the facts, an empty cell is nothing on record
                recorded: grade.is_some() || matches!(fact("recorded"), Some(Value::Bool(true))),
                basis: text("basis"),
                source_url: text("source_url"),
                kind: text_at(row, kind),
                scale: text_at(row, scale),
                short: text_at(row, short),
                engage: engage_of(rows, row),
            });
        }
    }
    Some((out, empty, not_areas))
}

/// Text safe for any picture: control characters and line breaks become
/// spaces, runs of blanks one space.
pub(super) fn clean(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}
