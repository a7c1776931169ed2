//! Evaluating a resolved expression against one row.
//!
//! Comparisons use three-valued logic: anything compared with null is null
//! (unknown), `where` keeps only rows whose condition is true, and `and` /
//! `or` follow SQL's rules (`false and null` is false, `true or null` true).

use crate::catalog::{AreaId, ForceId, ProgrammeId};
use crate::dataset::{Dataset, InspectionId};
use crate::rows::Rows;
use crate::semantic::{Col, Prev, RExpr, RowRef};
use crate::syntax::{BinOp, Quantifier};
use crate::value::{Decimal, Grade, Value};
use std::cmp::Ordering;

/// What an expression is evaluated in.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// The data set.
    pub ds: &'a Dataset,
    /// The table of a `let` with `select` or `group by`, for derived rows.
    pub table: Option<&'a Rows>,
    /// The grade of the area a quantifier is testing.
    pub each: Option<Grade>,
    /// Group key values and aggregate values, for grouped output.
    pub group: Option<(&'a [Value], &'a [Value])>,
}

impl<'a> Ctx<'a> {
    /// A context over the data set.
    pub fn new(ds: &'a Dataset, table: Option<&'a Rows>) -> Ctx<'a> {
        Ctx { ds, table, each: None, group: None }
    }
}

/// The force, inspection, programme and area of a row, where it has them.
#[derive(Clone, Copy, Default)]
struct Facts {
    force: Option<ForceId>,
    inspection: Option<InspectionId>,
    programme: Option<ProgrammeId>,
    area: Option<AreaId>,
}

fn facts(ds: &Dataset, row: RowRef) -> Facts {
    match row {
        RowRef::Force { force, inspection } => Facts {
            force: Some(force),
            inspection,
            programme: inspection.map(|i| ds.inspection(i).programme),
            area: None,
        },
        RowRef::Grade(g) => {
            let g = ds.grade(g);
            Facts {
                force: Some(g.force),
                inspection: Some(g.inspection),
                programme: Some(g.programme),
                area: Some(g.area),
            }
        }
        RowRef::Area(a) => {
            Facts { area: Some(a), programme: Some(ds.catalog.area(a).programme), ..Facts::default() }
        }
        RowRef::Programme(p) => Facts { programme: Some(p), ..Facts::default() },
        RowRef::Derived(_) => Facts::default(),
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn opt_text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, text)
}

fn count(n: usize) -> Value {
    Value::Int(n as i64)
}

/// A column's value for a row.
pub fn column(ds: &Dataset, col: Col, row: RowRef) -> Value {
    let cat = &ds.catalog;
    let f = facts(ds, row);
    let force = f.force.map(|id| cat.force(id));
    let inspection = f.inspection.map(|id| ds.inspection(id));
    let grade_row = match row {
        RowRef::Grade(g) => Some(ds.grade(g)),
        _ => None,
    };
    let area = f.area.map(|a| cat.area(a));
    match col {
        Col::Force => opt_text(force.map(|f| f.name.as_str())),
        Col::Short => opt_text(force.map(|f| f.short_name.as_str())),
        Col::Region => opt_text(force.map(|f| f.region.as_str())),
        Col::Country => opt_text(force.map(|f| f.country.as_str())),
        Col::Programme => opt_text(f.programme.map(|p| cat.programme(p).name.as_str())),
        Col::Published => match grade_row {
            Some(g) => g.published.map_or(Value::Null, Value::Date),
            None => inspection.and_then(|i| i.published).map_or(Value::Null, Value::Date),
        },
        Col::Url => opt_text(inspection.and_then(|i| i.report_url.as_deref())),
        Col::Score => {
            inspection.and_then(|i| i.score).map_or(Value::Null, |s| Value::Decimal(Decimal::new(s, 2)))
        }
        Col::Graded => match row {
            RowRef::Area(a) => {
                count(ds.grades_of_area(a).len() - ds.grades_of_area_with(a, None, false).len())
            }
            _ => f.inspection.map_or(Value::Null, |i| count(ds.graded_count(i))),
        },
        Col::Announced => inspection
            .and_then(|i| i.announced.as_ref())
            .map_or(Value::Null, |a| Value::Int(i64::from(a.graded_areas))),
        Col::Area => opt_text(area.map(|a| a.name.as_str())),
        Col::Theme => opt_text(area.map(|a| cat.theme(a.theme).key.as_str())),
        Col::Pillar => opt_text(area.and_then(|a| a.pillar.as_deref())),
        Col::Question => opt_text(area.map(|a| a.question.as_str())),
        Col::Grade => grade_row.and_then(|g| g.grade).map_or(Value::Null, Value::Grade),
        Col::Basis => opt_text(grade_row.map(|g| g.basis.name())),
        Col::SourceUrl => match (grade_row, area) {
            (Some(g), _) => text(&g.source_url),
            (None, Some(a)) => text(&a.source_url),
            _ => Value::Null,
        },
        Col::Years => opt_text(f.programme.map(|p| cat.programme(p).years()).as_deref()),
        Col::Scale => opt_text(f.programme.map(|p| cat.programme(p).scale.name())),
        Col::Areas => f.programme.map_or(Value::Null, |p| count(cat.programme(p).areas.len())),
        Col::Inspections => f.programme.map_or(Value::Null, |p| count(ds.programme_counts(p).0)),
        Col::Grades => f.programme.map_or(Value::Null, |p| count(ds.programme_counts(p).1)),
    }
}

/// The grade of `area` (matched for the row's programme) in the row's inspection.
fn area_grade(ds: &Dataset, m: &crate::catalog::lookup::AreaMatch, f: Facts) -> Option<Grade> {
    let (inspection, programme) = (f.inspection?, f.programme?);
    ds.grade_in(inspection, m.area_in(programme)?)?.grade
}

/// The grade, a step back in time, of what `prev` looks at.
fn previous(ds: &Dataset, prev: &Prev, f: Facts, row: RowRef) -> Value {
    match prev {
        Prev::Area(m) => {
            let (Some(force), Some(programme)) = (f.force, f.programme) else { return Value::Null };
            let Some(area) = m.area_in(programme) else { return Value::Null };
            previous_grade(ds, force, area)
        }
        Prev::RowGrade => match row {
            RowRef::Grade(g) => {
                let g = ds.grade(g);
                previous_grade(ds, g.force, g.area)
            }
            _ => Value::Null,
        },
        Prev::Score => {
            let (Some(force), Some(programme)) = (f.force, f.programme) else { return Value::Null };
            // the force's inspections are in programme order
            ds.inspections_of(force)
                .iter()
                .rev()
                .find(|i| i.programme < programme && i.score.is_some())
                .and_then(|i| i.score)
                .map_or(Value::Null, |s| Value::Decimal(Decimal::new(s, 2)))
        }
    }
}

fn previous_grade(ds: &Dataset, force: ForceId, area: AreaId) -> Value {
    match ds.previous_of(force, area) {
        Some((Some(inspection), prev_area)) => {
            ds.grade_in(inspection, prev_area).and_then(|g| g.grade).map_or(Value::Null, Value::Grade)
        }
        _ => Value::Null,
    }
}

/// Evaluates `e` for `row`.
pub fn eval(cx: &Ctx<'_>, e: &RExpr, row: RowRef) -> Value {
    match e {
        RExpr::Const(v) => v.clone(),
        RExpr::Col(c) => column(cx.ds, *c, row),
        RExpr::DerivedCol(i) => match (row, cx.table) {
            (RowRef::Derived(r), Some(t)) => {
                t.rows.get(r).and_then(|r| r.get(*i)).cloned().unwrap_or(Value::Null)
            }
            _ => Value::Null,
        },
        RExpr::AreaGrade(m) => match row {
            // on a grade row, area("x") is the row's own grade when the row is that area
            RowRef::Grade(g) => {
                let g = cx.ds.grade(g);
                if m.area_in(g.programme) == Some(g.area) {
                    g.grade.map_or(Value::Null, Value::Grade)
                } else {
                    Value::Null
                }
            }
            _ => area_grade(cx.ds, m, facts(cx.ds, row)).map_or(Value::Null, Value::Grade),
        },
        RExpr::AreaIs(m) => match row {
            RowRef::Grade(g) => {
                let g = cx.ds.grade(g);
                Value::Bool(m.area_in(g.programme) == Some(g.area))
            }
            _ => Value::Null,
        },
        RExpr::EachArea => cx.each.map_or(Value::Null, Value::Grade),
        RExpr::Quant(q, test) => {
            let f = facts(cx.ds, row);
            let Some(inspection) = f.inspection else {
                return if *q == Quantifier::Count { Value::Int(0) } else { Value::Bool(false) };
            };
            let grades = cx.ds.inspection(inspection).grades.iter().filter_map(|g| cx.ds.grade(*g).grade);
            let mut passed = 0usize;
            let mut total = 0usize;
            for g in grades {
                total += 1;
                let inner = Ctx { each: Some(g), ..*cx };
                if matches!(eval(&inner, test, row), Value::Bool(true)) {
                    passed += 1;
                }
            }
            match q {
                Quantifier::Any => Value::Bool(passed > 0),
                Quantifier::Every => Value::Bool(total > 0 && passed == total),
                Quantifier::Count => count(passed),
            }
        }
        RExpr::Previous(p) => previous(cx.ds, p, facts(cx.ds, row), row),
        RExpr::Change(p) => {
            let now = match p {
                Prev::Area(m) => area_grade(cx.ds, m, facts(cx.ds, row)).map_or(Value::Null, Value::Grade),
                Prev::RowGrade => column(cx.ds, Col::Grade, row),
                Prev::Score => column(cx.ds, Col::Score, row),
            };
            let before = previous(cx.ds, p, facts(cx.ds, row), row);
            match (&now, &before) {
                (Value::Grade(a), Value::Grade(b)) => Value::Int(i64::from(a.rank()) - i64::from(b.rank())),
                (a, b) => match (a.as_f64(), b.as_f64()) {
                    (Some(x), Some(y)) => Value::Decimal(Decimal::new(x - y, 2)),
                    _ => Value::Null,
                },
            }
        }
        RExpr::Year(x) => match eval(cx, x, row) {
            Value::Date(d) => Value::Int(i64::from(d.year)),
            _ => Value::Null,
        },
        RExpr::Not(x) => match eval(cx, x, row) {
            Value::Bool(b) => Value::Bool(!b),
            _ => Value::Null,
        },
        RExpr::And(a, b) => match (eval(cx, a, row), eval(cx, b, row)) {
            (Value::Bool(false), _) | (_, Value::Bool(false)) => Value::Bool(false),
            (Value::Bool(true), Value::Bool(true)) => Value::Bool(true),
            _ => Value::Null,
        },
        RExpr::Or(a, b) => match (eval(cx, a, row), eval(cx, b, row)) {
            (Value::Bool(true), _) | (_, Value::Bool(true)) => Value::Bool(true),
            (Value::Bool(false), Value::Bool(false)) => Value::Bool(false),
            _ => Value::Null,
        },
        RExpr::Cmp(op, a, b) => compare(*op, &eval(cx, a, row), &eval(cx, b, row)),
        RExpr::InList(x, list, negated) => {
            let v = eval(cx, x, row);
            if v.is_null() {
                return Value::Null;
            }
            let mut saw_null = false;
            for item in list {
                match compare(BinOp::Eq, &v, &eval(cx, item, row)) {
                    Value::Bool(true) => return Value::Bool(!negated),
                    Value::Null => saw_null = true,
                    _ => {}
                }
            }
            if saw_null { Value::Null } else { Value::Bool(*negated) }
        }
        RExpr::IsNull(x, negated) => Value::Bool(eval(cx, x, row).is_null() != *negated),
        RExpr::Agg(i) => cx.group.and_then(|(_, aggs)| aggs.get(*i).cloned()).unwrap_or(Value::Null),
        RExpr::GroupKey(i) => cx.group.and_then(|(keys, _)| keys.get(*i).cloned()).unwrap_or(Value::Null),
    }
}

/// Compares two values with `op`. Text compares ignoring case; `~` is a
/// case-insensitive "contains"; dates compare at the precision both have
/// (`2024-03-12 = 2024-03`, `2024-03-12 <= 2024`). Null on either side
/// gives null.
pub fn compare(op: BinOp, a: &Value, b: &Value) -> Value {
    if a.is_null() || b.is_null() {
        return Value::Null;
    }
    if let BinOp::Contains | BinOp::NotContains = op {
        let found = a.to_string().to_lowercase().contains(&b.to_string().to_lowercase());
        return Value::Bool(found == (op == BinOp::Contains));
    }
    let ord = match (a, b) {
        // a date known to the month equals every day of that month
        (Value::Date(x), Value::Date(y)) => Some(x.cmp_at_common_precision(y)),
        _ => a.compare(b),
    };
    let Some(ord) = ord else { return Value::Null };
    Value::Bool(match op {
        BinOp::Eq => ord == Ordering::Equal,
        BinOp::Ne => ord != Ordering::Equal,
        BinOp::Lt => ord == Ordering::Less,
        BinOp::Le => ord != Ordering::Greater,
        BinOp::Gt => ord == Ordering::Greater,
        BinOp::Ge => ord != Ordering::Less,
        BinOp::And | BinOp::Or | BinOp::Contains | BinOp::NotContains => false,
    })
}
