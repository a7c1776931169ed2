//! A query as a list of stages: the first reads a source, each stage after
//! a `then` reads the rows, and only the columns, of the stage before it.
//! Each stage is resolved as a query of its own over a table whose columns
//! (names, and the source column each came from) are the previous stage's
//! output; the executor then runs them in turn.

use super::resolve::{Bindings, Params, Resolver, keep, unreachable_error};
use super::{AggFunc, Aggregate, Derived, Output, OutputColumn, RExpr, Resolved, RowSource, Scope};
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::rows::Rows;
use crate::syntax::{Clauses, Query};
use std::sync::Arc;

/// Resolves a query against the data set. `src` is the text the spans
/// point into (used for output headers).
pub fn resolve_query(
    ds: &Dataset,
    src: &str,
    q: &Query,
    params: &Params,
    bindings: &Bindings,
) -> Result<Resolved> {
    resolve_within(ds, src, q, params, bindings, None)
}

/// Resolves a query that reads `inherited` when it names no programme:
/// a subquery, which reads the programmes of the query around it.
pub(super) fn resolve_within(
    ds: &Dataset,
    src: &str,
    q: &Query,
    params: &Params,
    bindings: &Bindings,
    inherited: Option<Scope>,
) -> Result<Resolved> {
    let mut r = Resolver::new(ds, src, params, bindings);
    r.inherited = inherited;
    let from = r.source(q)?;
    if let Some(c) = &q.as_of {
        r.as_of_clause(c, from.kind())?;
    }
    let scope = r.scope.clone();
    let mut first = resolve_stage(r, from, q.clauses(), !q.then.is_empty())?;
    let mut previous = schema(&first);
    for (n, stage) in q.then.iter().enumerate() {
        let mut r = Resolver::new(ds, src, params, bindings);
        r.programmes = first.programmes.clone();
        r.scope = scope.clone();
        r.stage = n + 1;
        let from = RowSource::Table(Arc::new(previous));
        let resolved = resolve_stage(r, from, stage.clauses(), n + 1 < q.then.len())?;
        previous = schema(&resolved);
        first.then.push(resolved);
    }
    Ok(first)
}

/// The columns a resolved stage makes, as an empty table: what the next
/// stage resolves against.
fn schema(stage: &Resolved) -> Derived {
    let Output::Columns(cols) = &stage.output else {
        // a stage with a `then` after it has fixed columns (see `resolve_stage`)
        return Derived { rows: Rows::default(), origins: Vec::new() };
    };
    Derived {
        rows: Rows::new(cols.iter().map(|c| c.name.clone()).collect(), Vec::new()),
        origins: cols.iter().map(|c| crate::exec::origin(stage, &c.expr)).collect(),
    }
}

/// Resolves one stage's clauses over `from`. `chained` when a stage
/// follows, which needs this one's columns before any row is found.
fn resolve_stage(mut r: Resolver<'_>, from: RowSource, q: Clauses<'_>, chained: bool) -> Result<Resolved> {
    r.kind = from.kind();
    if let RowSource::Table(t) = &from {
        r.table = Some(Arc::clone(t));
    }
    // Each clause is resolved even when an earlier one failed, so one
    // report shows every problem of the query.
    let mut errors = Vec::new();
    r.stage_order = q.order_by.map(|c| {
        let text = |span: crate::syntax::Span| {
            span.text(r.src).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ")
        };
        c.body.iter().map(|i| text(i.span)).collect::<Vec<_>>().join(", ")
    });
    // windows read the stage's rows before `where`, in every clause
    r.window_phase = Some(true);
    let filter = match q.filter {
        Some(c) => {
            let f = keep(&mut errors, r.condition(&c.body, false));
            if let Some(f) = &f {
                r.lint_filter(&c.body, f);
            }
            f
        }
        None => None,
    };

    r.window_phase = None;
    let mut group_by = Vec::new();
    let mut group_names = Vec::new();
    if let Some(c) = q.group_by {
        for e in &c.body {
            if let Some((re, _)) = keep(&mut errors, r.expr(e, false)) {
                group_names.push(r.header(e, &re));
                group_by.push(re);
            }
        }
    }

    r.window_phase = Some(false);
    let mut output_cols = Vec::new();
    if let Some(c) = q.select {
        for item in &c.body {
            let Some((re, _)) = keep(&mut errors, r.expr(&item.expr, true)) else { continue };
            let name = match &item.alias {
                Some(a) => a.name.clone(),
                None => r.header(&item.expr, &re),
            };
            output_cols.push((OutputColumn { name, expr: re }, item.expr.span));
        }
    }
    if !errors.is_empty() {
        // `order by` names output columns, which are incomplete now; `limit`
        // stands alone
        if let Some(c) = q.limit {
            keep(&mut errors, r.limit(&c.body));
        }
        return Err(Error::combine(errors).unwrap_or_else(|| unreachable_error(q.span)));
    }
    let grouped = !group_by.is_empty() || !r.aggregates.is_empty();
    if grouped {
        r.window_in_grouped()?;
    }

    let keeps_rows = q.select.is_none() && q.group_by.is_none() && !chained;
    let output = if q.select.is_some() {
        let mut cols = Vec::new();
        for (mut col, span) in output_cols {
            if grouped {
                col.expr = r.to_grouped(col.expr, &group_by, span)?;
            }
            cols.push(col);
        }
        Output::Columns(cols)
    } else if grouped {
        let mut cols: Vec<OutputColumn> = group_by
            .iter()
            .enumerate()
            .map(|(i, _)| OutputColumn { name: group_names[i].clone(), expr: RExpr::GroupKey(i) })
            .collect();
        let slot = r.aggregate(Aggregate { func: AggFunc::CountRows, arg: None });
        cols.push(OutputColumn { name: "count".into(), expr: RExpr::Agg(slot) });
        Output::Columns(cols)
    } else {
        match r.default_output() {
            // the next stage must know the columns: those of every area the
            // programmes in scope graded
            Output::ForcesDefault if chained => {
                Output::Columns(crate::exec::forces_default(r.ds, &[], &r.programmes, &[]))
            }
            other => other,
        }
    };

    let mut order = Vec::new();
    if let Some(c) = q.order_by {
        for item in &c.body {
            let key = r.order_key(&item.expr, &output, grouped, &group_by)?;
            if let (Some(d), super::OrderKey::Expr(_)) = (q.distinct, &key) {
                return Err(distinct_order(&r, d, item.expr.span, &output));
            }
            order.push((key, item.descending));
        }
    }

    if grouped {
        r.window_in_grouped()?;
    }
    r.window_phase = None;
    let limit = match q.limit {
        Some(c) => Some(r.limit(&c.body)?),
        None => None,
    };

    Ok(Resolved {
        from,
        filter,
        group_by,
        grouped,
        aggregates: r.aggregates,
        output,
        order,
        limit,
        distinct: q.distinct.is_some(),
        windows: r.windows,
        keeps_rows,
        notes: r.notes,
        programmes: r.programmes,
        warnings: {
            let mut w = r.warnings;
            w.sort_by_key(|w| w.span.map_or((1, 0), |s| (0, s.start)));
            w
        },
        watches: r.watches,
        as_of: r.as_of.clone(),
        cell_facts: false,
        engage_facts: false,
        then: Vec::new(),
    })
}

/// `select distinct … order by x` where `x` is not an output column: each
/// output row stands for many source rows, which need not agree on `x`.
fn distinct_order(
    r: &Resolver<'_>,
    distinct: crate::syntax::Span,
    key: crate::syntax::Span,
    output: &Output,
) -> Error {
    let names: Vec<&str> = match output {
        Output::Columns(cols) => cols.iter().map(|c| c.name.as_str()).collect(),
        Output::ForcesDefault => Vec::new(),
    };
    let text = key.text(r.src).unwrap_or("it").split_whitespace().collect::<Vec<_>>().join(" ");
    super::resolve::type_err(
        "peelql::type::distinct_order",
        format!("`{text}` is not a column of the result: after `distinct` a row stands for many"),
        key,
        "not an output column",
    )
    .with_label(distinct, "each row once")
    .with_help(format!("sort by a column of the result ({}), or add `{text}` to `select`", names.join(", ")))
}
