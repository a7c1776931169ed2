//! `explain`: how the names of a query resolved, and the steps of each of
//! its stages.

use crate::dataset::Dataset;
use crate::exec::plan;
use crate::semantic::{Resolved, RowSource, Scope, SourceKind};
use crate::syntax;

/// The text of `explain`: how names resolved and how the query runs.
pub(super) fn explain(ds: &Dataset, src: &str, q: &syntax::Query, r: &Resolved) -> String {
    let cat = &ds.catalog;
    let mut out = String::new();
    let programmes: Vec<&str> = r.programmes.iter().map(|p| cat.programme(*p).name.as_str()).collect();
    let source = match &r.from {
        RowSource::Source(SourceKind::Monitoring, _) => {
            let end = ds.monitoring().end().map_or_else(|| "no dated move".to_owned(), |d| d.to_string());
            format!("monitoring: every move into and out of Engage (the record ends {end})")
        }
        RowSource::Source(kind, scope) => {
            let scope = match scope {
                Scope::Latest if kind.has_inspection() => {
                    format!("each force's latest graded programme ({})", programmes.join(", "))
                }
                Scope::Latest => format!("the latest programme ({})", programmes.join(", ")),
                Scope::All => "every programme".to_string(),
                Scope::One(p) => cat.programme(*p).name.clone(),
            };
            let name = match (ds.kind(), kind) {
                (crate::catalog::Kind::Fire, SourceKind::Forces) => "services",
                _ => kind.name(),
            };
            format!("{name} in {scope}")
        }
        RowSource::Rows(kind, _, rows) => {
            format!("`{}`: {} rows of {} kept by `let`", q.source.name, rows.len(), kind.name())
        }
        RowSource::Table(t) => {
            format!("`{}`: a table of {} rows made by `let`", q.source.name, t.rows.rows.len())
        }
    };
    out.push_str(&format!("source: {source}\n"));
    // a query over services says so, and where its names were looked up
    // (police, the default, says nothing: explain reads as before)
    if ds.kind() == crate::catalog::Kind::Fire {
        out.push_str(
            "kind: fire and rescue services (names, programmes and areas looked up among services only)\n",
        );
    }
    if !r.notes.is_empty() {
        out.push_str("names:\n");
        for n in &r.notes {
            out.push_str(&format!("  {n}\n"));
        }
    }
    if !r.warnings.is_empty() {
        out.push_str("warnings:\n");
        for w in &r.warnings {
            out.push_str(&format!("  {}: {}\n", w.code, w.message));
        }
    }
    out.push_str("plan:\n");
    let mut n = 0;
    let mut stage = |out: &mut String, steps: Vec<String>| {
        for s in steps {
            n += 1;
            out.push_str(&format!("  {n}. {s}\n"));
        }
    };
    stage(&mut out, steps(src, q.clauses(), r, vec![plan::describe(ds, r, &plan::plan(r))]));
    for (k, (written, resolved)) in q.then.iter().zip(&r.then).enumerate() {
        let columns = match &resolved.from {
            RowSource::Table(t) => t.rows.columns.join(", "),
            _ => String::new(),
        };
        out.push_str(&format!("then, stage {}: over the rows of stage {} ({columns})\n", k + 2, k + 1));
        for w in &resolved.warnings {
            out.push_str(&format!("  warning {}: {}\n", w.code, w.message));
        }
        stage(&mut out, steps(src, written.clauses(), resolved, Vec::new()));
    }
    out
}

/// The steps of one stage, after `first`.
fn steps(src: &str, q: syntax::Clauses<'_>, r: &Resolved, first: Vec<String>) -> Vec<String> {
    let mut steps = first;
    let text =
        |span: syntax::Span| span.text(src).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
    if !r.windows.is_empty() {
        let w: Vec<String> = r.windows.iter().map(|w| text(w.span)).collect();
        steps.push(format!("over every row of the stage, before any filter, compute: {}", w.join(", ")));
    }
    if let Some(f) = q.filter {
        steps.push(format!("filter: {}", text(f.body.span)));
    }
    if let Some(g) = q.group_by {
        steps.push(format!(
            "group by: {}",
            g.body.iter().map(|e| text(e.span)).collect::<Vec<_>>().join(", ")
        ));
    }
    match q.select {
        Some(s) => steps.push(format!(
            "select{}: {}",
            if q.distinct.is_some() { " distinct (each row once)" } else { "" },
            s.body.iter().map(|i| text(i.span)).collect::<Vec<_>>().join(", ")
        )),
        None => steps.push("select: the default columns".to_string()),
    }
    if let Some(o) = q.order_by {
        steps.push(format!(
            "order by: {}",
            o.body.iter().map(|i| text(i.span)).collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(n) = r.limit {
        steps.push(format!("limit: {n}"));
    }
    steps
}
