//! Warnings only the rows can tell: the [`Watch`]es of a resolved query,
//! checked against the rows that made its result.

use super::eval::{Ctx, eval};
use crate::dataset::{Dataset, InspectionId};
use crate::semantic::{Resolved, RowRef, Watch};
use crate::value::Value;
use crate::warning::Warning;

/// How far an inspection's grades are known to be on record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Known {
    /// As many grades as the inspectorate announced.
    Complete,
    /// Fewer grades than announced: some are missing.
    Short,
    /// No announced count to check against.
    Unknown,
}

fn known(ds: &Dataset, i: InspectionId) -> Known {
    match &ds.inspection(i).announced {
        Some(a) if ds.graded_count(i) >= usize::from(a.graded_areas) => Known::Complete,
        Some(_) => Known::Short,
        None => Known::Unknown,
    }
}

/// The inspection a row is about, if it has one.
fn inspection_of(ds: &Dataset, row: RowRef) -> Option<InspectionId> {
    match row {
        RowRef::Force { inspection, .. } => inspection,
        RowRef::Grade(g) => Some(ds.grade(g).inspection),
        _ => None,
    }
}

/// The warnings the watches of `q` give over `rows`, the source rows
/// behind its result.
pub(super) fn check(cx: &Ctx<'_>, q: &Resolved, rows: &[RowRef]) -> Vec<Warning> {
    let mut out = Vec::new();
    for w in &q.watches {
        match w {
            Watch::EveryOnIncomplete { span, test } => {
                let mut seen: Vec<(InspectionId, Known)> = Vec::new();
                for row in rows {
                    let Some(i) = inspection_of(cx.ds, *row) else { continue };
                    if seen.iter().any(|(s, _)| *s == i) {
                        continue;
                    }
                    let k = known(cx.ds, i);
                    if k != Known::Complete && eval(cx, test, *row) == Value::Bool(true) {
                        seen.push((i, k));
                    }
                }
                if !seen.is_empty() {
                    out.push(every_on_incomplete(cx.ds, *span, &seen));
                }
            }
        }
    }
    out
}

fn every_on_incomplete(ds: &Dataset, span: crate::syntax::Span, seen: &[(InspectionId, Known)]) -> Warning {
    let cat = &ds.catalog;
    let n = seen.len();
    let short = seen.iter().filter(|(_, k)| *k == Known::Short).count();
    let unknown = n - short;
    let has = |n: usize| if n == 1 { "1 has".to_string() } else { format!("{n} have") };
    let mut why = Vec::new();
    if short > 0 {
        why.push(format!("{} fewer grades on record than the inspectorate announced", has(short)));
    }
    if unknown > 0 {
        why.push(format!("{} no announced count to check against", has(unknown)));
    }
    let examples: Vec<String> = seen
        .iter()
        .take(3)
        .map(|(i, k)| {
            let insp = ds.inspection(*i);
            let graded = ds.graded_count(*i);
            let detail = match (k, &insp.announced) {
                (Known::Short, Some(a)) => {
                    format!("{graded} of {} announced grades on record", a.graded_areas)
                }
                _ => format!("{graded} grades on record, none announced"),
            };
            format!("{} ({}: {detail})", cat.force(insp.force).name, cat.programme(insp.programme).name)
        })
        .collect();
    let more = if n > examples.len() { format!(", and {} more", n - examples.len()) } else { String::new() };
    Warning::new(
        "peelql::warning::every_on_incomplete",
        format!(
            "`every area` is true for {} of the result whose grades may not all be on record",
            if n == 1 { "an inspection".to_string() } else { format!("{n} inspections") }
        ),
    )
    .with_span(span, "true of the grades on record")
    .with_help(format!("of these, {}: {}{more}", why.join(", and "), examples.join("; ")))
    .with_help("to keep only inspections known to be complete, add `graded = announced` to `where`")
}
