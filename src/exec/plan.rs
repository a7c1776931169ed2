//! Planning: how a resolved query finds its rows. A condition on one
//! area's grade (`area("x") = inadequate`, `area("x") at least good`) or on
//! a grade row's area (`area("x")` in `grades`) reads the index of grades
//! by area and grade — of each force's latest inspection when the query
//! covers the latest programme — instead of scanning every row; everything
//! else scans the source.

use crate::catalog::AreaId;
use crate::dataset::Dataset;
use crate::semantic::sources::source_rows;
use crate::semantic::{RExpr, Resolved, RowRef, RowSource, Scope, SourceKind};
use crate::syntax::BinOp;
use crate::value::{Grade, Value};

/// How the candidate rows are found.
#[derive(Clone, Debug, PartialEq)]
pub enum Access {
    /// Every row of the source in scope.
    Scan,
    /// Grade rows of these areas from the per-area index, keeping those
    /// whose grade passes `test` (all of them when there is none).
    AreaIndex {
        /// The areas looked up.
        areas: Vec<AreaId>,
        /// For forces: the grade condition (`op`, grade).
        test: Option<(BinOp, Grade)>,
    },
    /// The rows a `let` query kept.
    Bound,
    /// The rows of a table a `let` query made.
    Table,
}

/// The plan of a query.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// How candidate rows are found.
    pub access: Access,
}

/// Chooses how to find the rows of `q`.
pub fn plan(q: &Resolved) -> Plan {
    let access = match &q.from {
        RowSource::Rows(..) => Access::Bound,
        RowSource::Table(_) => Access::Table,
        // a window reads every row of the stage, before the filter
        RowSource::Source(..) if !q.windows.is_empty() => Access::Scan,
        RowSource::Source(kind, _) => q
            .filter
            .as_ref()
            .and_then(|f| conjuncts(f).into_iter().find_map(|c| index_for(*kind, c)))
            .unwrap_or(Access::Scan),
    };
    Plan { access }
}

fn conjuncts(e: &RExpr) -> Vec<&RExpr> {
    match e {
        RExpr::And(a, b) => {
            let mut v = conjuncts(a);
            v.extend(conjuncts(b));
            v
        }
        other => vec![other],
    }
}

fn flip(op: BinOp) -> BinOp {
    match op {
        BinOp::Lt => BinOp::Gt,
        BinOp::Le => BinOp::Ge,
        BinOp::Gt => BinOp::Lt,
        BinOp::Ge => BinOp::Le,
        other => other,
    }
}

fn index_for(kind: SourceKind, c: &RExpr) -> Option<Access> {
    match (kind, c) {
        (SourceKind::Grades, RExpr::AreaIs(m)) => {
            Some(Access::AreaIndex { areas: m.areas.iter().map(|(_, a)| *a).collect(), test: None })
        }
        (SourceKind::Forces | SourceKind::Inspections | SourceKind::Grades, RExpr::Cmp(op, a, b))
            if op.is_comparison() && *op != BinOp::Ne =>
        {
            let (m, g, op) = match (a.as_ref(), b.as_ref()) {
                (RExpr::AreaGrade(m), RExpr::Const(Value::Grade(g))) => (m, *g, *op),
                (RExpr::Const(Value::Grade(g)), RExpr::AreaGrade(m)) => (m, *g, flip(*op)),
                _ => return None,
            };
            Some(Access::AreaIndex { areas: m.areas.iter().map(|(_, a)| *a).collect(), test: Some((op, g)) })
        }
        _ => None,
    }
}

fn passes(op: BinOp, have: Grade, want: Grade) -> bool {
    match op {
        BinOp::Eq => have == want,
        BinOp::Lt => have < want,
        BinOp::Le => have <= want,
        BinOp::Gt => have > want,
        BinOp::Ge => have >= want,
        _ => true,
    }
}

/// The candidate rows of a query under its plan, in the source's order.
/// The `where` condition still has to be applied to them.
pub fn candidates(ds: &Dataset, q: &Resolved, plan: &Plan) -> Vec<RowRef> {
    match (&q.from, &plan.access) {
        (RowSource::Rows(_, _, rows), _) => rows.as_ref().clone(),
        (RowSource::Table(t), _) => (0..t.rows.rows.len()).map(RowRef::Derived).collect(),
        (RowSource::Source(kind, scope), Access::AreaIndex { areas, test }) => {
            let in_scope = |insp: crate::dataset::InspectionId| match scope {
                // read from the latest-only index below
                Scope::Latest => true,
                Scope::One(p) => ds.inspection(insp).programme == *p,
                Scope::All => true,
            };
            // the grade slots to read: those passing the test, or all of
            // them (not graded too) without one
            let grades: Vec<Option<Grade>> = match test {
                Some((op, want)) => {
                    Grade::ALL.into_iter().filter(|g| passes(*op, *g, *want)).map(Some).collect()
                }
                None => std::iter::once(None).chain(Grade::ALL.map(Some)).collect(),
            };
            let latest_only = *scope == Scope::Latest;
            let mut rows: Vec<RowRef> = Vec::new();
            for area in areas {
                for grade in &grades {
                    for gid in ds.grades_of_area_with(*area, *grade, latest_only) {
                        let g = ds.grade(*gid);
                        if !in_scope(g.inspection) {
                            continue;
                        }
                        match (kind, test) {
                            (SourceKind::Grades, _) => rows.push(RowRef::Grade(*gid)),
                            (_, Some(_)) => rows.push(RowRef::Force {
                                force: g.force,
                                inspection: Some(g.inspection),
                                at: 0,
                            }),
                            _ => {}
                        }
                    }
                }
            }
            // grade ids run area by area: sort grade rows into their
            // natural (force, programme, area) order
            rows.sort_by_cached_key(|r| match r {
                RowRef::Grade(g) => ds.grade_order(*g),
                RowRef::Force { force, inspection, .. } => (force.0, inspection.map_or(0, |i| i.0)),
                _ => (0, 0),
            });
            rows.dedup();
            rows
        }
        (RowSource::Source(kind, scope), _) => source_rows(ds, *kind, scope),
    }
}

/// Describes the access path for `explain`.
pub fn describe(ds: &Dataset, q: &Resolved, plan: &Plan) -> String {
    let cat = &ds.catalog;
    match &plan.access {
        Access::Scan => {
            let n = match &q.from {
                RowSource::Source(kind, scope) => source_rows(ds, *kind, scope).len(),
                _ => 0,
            };
            format!("scan all {n} rows of the source")
        }
        Access::AreaIndex { areas, test } => {
            let names: Vec<String> = areas.iter().map(|a| cat.describe_area(*a)).collect();
            let n: usize = areas.iter().map(|a| ds.grades_of_area(*a).len()).sum();
            match test {
                Some((op, g)) => format!(
                    "index lookup: grades of {} with grade {} {g} ({n} grades indexed)",
                    names.join(", "),
                    op.symbol()
                ),
                None => format!("index lookup: grades of {} ({n} grades indexed)", names.join(", ")),
            }
        }
        Access::Bound => "the rows kept by the `let` query".to_string(),
        Access::Table => "the table made by the `let` query".to_string(),
    }
}
