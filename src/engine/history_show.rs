//! `show force "…"` and `show service "…"`: one force's or service's
//! inspections across programmes, oldest first, by any of its names. A
//! service formed by a merger lists its predecessors' inspections under
//! their own names (the `body` column says whose each was), never as its
//! own. A name of the other kind is `wrong_kind`, saying which `show` reads
//! it; an unknown one gets "did you mean".

use crate::catalog::Kind;
use crate::catalog::lookup::LookupError;
use crate::dataset::Dataset;
use crate::error::{Error, ErrorKind, Result};
use crate::rows::Rows;
use crate::suggest::did_you_mean;
use crate::syntax::Ident;
use crate::value::{Decimal, Grade, Value};

/// The columns of the answer.
const COLUMNS: [&str; 7] = ["programme", "body", "published", "graded", "score", "inadequate", "note"];

/// The rows of `show force|service "<subject>"` over `root` (the police
/// data set, which holds the fire half).
pub(super) fn show(root: &Dataset, kind: Kind, subject: &Ident) -> Result<Rows> {
    let fire = root.fire();
    let ds = match kind {
        Kind::Police => root,
        Kind::Fire => &fire.dataset,
    };
    let other = match kind {
        Kind::Police => (&fire.dataset, Kind::Fire, "service"),
        Kind::Fire => (root, Kind::Police, "force"),
    };
    let text = subject.name.as_str();
    let body = match ds.catalog.find_force(text) {
        Ok(id) => id,
        Err(e) => {
            let err = |code: &'static str, message: String, label: &str| {
                Error::new(ErrorKind::Resolve, code, message).with_span(subject.span, label)
            };
            if let Ok(id) = other.0.catalog.find_force(text) {
                return Err(err(
                    crate::semantic::kinds::WRONG_KIND,
                    format!("{text:?} is {}, a {}", other.0.catalog.force_name(id), other.1.name()),
                    &format!("{}, not {}", other.1.name(), kind.name()),
                )
                .with_help(format!(
                    "write `show {} {subject}`",
                    other.2,
                    subject = quoted(text)
                )));
            }
            let noun = kind.name();
            return Err(match e {
                LookupError::Ambiguous { candidates } => err(
                    "peelql::resolve::ambiguous_force",
                    format!("{text:?} matches more than one {noun}"),
                    &format!("{} match", candidates.len()),
                )
                .with_help(format!(
                    "say which one:\n{}",
                    candidates.iter().map(|c| format!("  {c:?}")).collect::<Vec<_>>().join("\n")
                )),
                LookupError::NotFound { suggestions }
                | LookupError::NotInScope { elsewhere: suggestions, .. } => err(
                    "peelql::resolve::unknown_force",
                    format!("there is no {noun} {text:?}"),
                    "unknown name",
                )
                .with_help(
                    did_you_mean(&suggestions)
                        .unwrap_or_else(|| format!("list them with `show {}`", kind.source())),
                ),
            });
        }
    };
    // a merged service's predecessors first, then the body itself
    let mut bodies: Vec<(crate::catalog::ForceId, Option<String>)> = Vec::new();
    if kind == Kind::Fire {
        for m in fire.mergers.iter().filter(|m| m.successor == body) {
            let note = format!("predecessor of {}, merged {}", ds.catalog.force_name(body), m.date);
            bodies.push((m.service, Some(note)));
        }
    }
    bodies.push((body, None));
    let mut rows: Vec<(u16, Vec<Value>)> = Vec::new();
    for (b, note) in &bodies {
        for insp in ds.inspections_of(*b) {
            let programme = ds.catalog.programme(insp.programme);
            let inadequate =
                insp.grades.iter().filter(|g| ds.grade(**g).grade == Some(Grade::Inadequate)).count();
            rows.push((
                programme.start_year,
                vec![
                    Value::Text(programme.name.clone()),
                    Value::Text(ds.catalog.force_name(*b).to_string()),
                    insp.published.map_or(Value::Null, Value::Date),
                    Value::Int(ds.graded_count(insp.id) as i64),
                    ds.score(insp.id).map_or(Value::Null, |s| Value::Decimal(Decimal::new(s, 2))),
                    Value::Int(inadequate as i64),
                    note.clone().map_or(Value::Null, Value::Text),
                ],
            ));
        }
    }
    // oldest first; a stable sort keeps predecessors before their successor
    rows.sort_by_key(|(year, _)| *year);
    Ok(Rows::new(COLUMNS.iter().map(|c| c.to_string()).collect(), rows.into_iter().map(|(_, r)| r).collect()))
}

/// `text` as a PeelQL string literal.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
