//! Evaluating a resolved expression against one row.
//!
//! Comparisons use three-valued logic: anything compared with null is null
//! (unknown), `where` keeps only rows whose condition is true, and `and` /
//! `or` follow SQL's rules (`false and null` is false, `true or null` true).

use super::arith::{self, ZeroDivisions};
use crate::catalog::{AreaId, ForceId, ProgrammeId};
use crate::dataset::{Dataset, InspectionId};
use crate::rows::Rows;
use crate::semantic::{Col, Prev, RExpr, RowRef};
use crate::syntax::{BinOp, Quantifier};
use crate::value::{Date, Decimal, Grade, Value, cmp_ignoring_case};
use std::cmp::Ordering;
use std::collections::HashMap;

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
    /// Where divisions by zero are recorded (none: they are only null).
    pub zero: Option<&'a ZeroDivisions>,
    /// The values of the stage's windows computed so far, per row.
    pub windows: Option<&'a [HashMap<RowRef, Value>]>,
}

impl<'a> Ctx<'a> {
    /// A context over the data set.
    pub fn new(ds: &'a Dataset, table: Option<&'a Rows>) -> Ctx<'a> {
        Ctx { ds, table, each: None, group: None, zero: None, windows: None }
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
        RowRef::Force { force, inspection, .. } => Facts {
            force: Some(force),
            inspection,
            programme: inspection.map(|i| ds.programme_of(i)),
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
        RowRef::Move(i) => {
            Facts { force: ds.monitoring().get(i as usize).map(|m| m.force), ..Facts::default() }
        }
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

/// A text column's value for a row, borrowed from the data set: `None`
/// for a column that is not stored text (numbers, dates, grades, `years`),
/// `Some(None)` for null.
fn text_of(ds: &Dataset, col: Col, row: RowRef) -> Option<Option<&str>> {
    let cat = &ds.catalog;
    let f = facts(ds, row);
    let force = || f.force.map(|id| cat.force(id));
    let area = || f.area.map(|a| cat.area(a));
    let grade_row = || match row {
        RowRef::Grade(g) => Some(ds.grade(g)),
        _ => None,
    };
    if let RowRef::Move(i) = row {
        let m = ds.monitoring().get(i as usize);
        match col {
            Col::Event => return Some(m.map(|m| m.event.name())),
            Col::Basis => return Some(m.map(|m| m.basis.name())),
            Col::SourceUrl => return Some(m.map(|m| m.source_url.as_str())),
            Col::Sentence => return Some(m.map(|m| m.sentence.as_str())),
            _ => {}
        }
    }
    Some(match col {
        Col::Force => f.force.map(|id| cat.force_name(id)),
        Col::Short => force().map(|f| f.short_name.as_str()),
        Col::Region => force().map(|f| f.region.as_str()),
        Col::Kind => f.force.map(|_| ds.kind().name()),
        Col::Country => force().map(|f| f.country.as_str()),
        Col::Programme => f.programme.map(|p| cat.programme(p).name.as_str()),
        Col::Url => f.inspection.and_then(|i| ds.inspection(i).report_url.as_deref()),
        Col::Area => area().map(|a| a.name.as_str()),
        Col::Theme => area().map(|a| cat.theme(a.theme).key.as_str()),
        Col::Pillar => area().and_then(|a| a.pillar.as_deref()),
        Col::Question => area().map(|a| a.question.as_str()),
        Col::Basis => grade_row().map(|g| g.basis.name()),
        Col::SourceUrl => match (grade_row(), area()) {
            (Some(g), _) => Some(&*g.source_url),
            (None, Some(a)) => Some(a.source_url.as_str()),
            _ => None,
        },
        Col::Scale => f.programme.map(|p| cat.programme(p).scale.name()),
        // on a move's row, answered above
        Col::Event | Col::Sentence => None,
        Col::Engage
        | Col::EngageSince
        | Col::EngageTimes
        | Col::EngageDays
        | Col::AsOf
        | Col::Date
        | Col::Causes
        | Col::Stay
        | Col::Since
        | Col::Until
        | Col::Days
        | Col::Ongoing
        | Col::Published
        | Col::Score
        | Col::Graded
        | Col::Announced
        | Col::Grade
        | Col::Years
        | Col::Areas
        | Col::Inspections
        | Col::Grades => return None,
    })
}

/// A column's value for a row.
pub fn column(ds: &Dataset, col: Col, row: RowRef) -> Value {
    if let Some(t) = text_of(ds, col, row) {
        return opt_text(t);
    }
    let cat = &ds.catalog;
    let f = facts(ds, row);
    // read an inspection's record only for the columns that need it
    let inspection = || f.inspection.map(|id| ds.inspection(id));
    let grade_row = match row {
        RowRef::Grade(g) => Some(ds.grade(g)),
        _ => None,
    };
    match col {
        Col::Published => match grade_row {
            Some(g) => g.published.map_or(Value::Null, Value::Date),
            None => inspection().and_then(|i| i.published).map_or(Value::Null, Value::Date),
        },
        Col::Score => {
            f.inspection.and_then(|i| ds.score(i)).map_or(Value::Null, |s| Value::Decimal(Decimal::new(s, 2)))
        }
        Col::Graded => match row {
            RowRef::Area(a) => {
                count(ds.grades_of_area(a).len() - ds.grades_of_area_with(a, None, false).len())
            }
            _ => f.inspection.map_or(Value::Null, |i| count(ds.graded_count(i))),
        },
        Col::Announced => inspection()
            .and_then(|i| i.announced.as_ref())
            .map_or(Value::Null, |a| Value::Int(i64::from(a.graded_areas))),
        Col::Grade => grade_row.and_then(|g| g.grade).map_or(Value::Null, Value::Grade),
        Col::Years => opt_text(f.programme.map(|p| cat.programme(p).years()).as_deref()),
        Col::Areas => f.programme.map_or(Value::Null, |p| count(cat.programme(p).areas.len())),
        Col::Inspections => f.programme.map_or(Value::Null, |p| count(ds.programme_counts(p).0)),
        Col::Grades => f.programme.map_or(Value::Null, |p| count(ds.programme_counts(p).1)),
        Col::Engage | Col::EngageSince | Col::EngageTimes | Col::EngageDays | Col::AsOf => {
            engage(ds, col, f.force, None)
        }
        Col::Date | Col::Causes | Col::Stay | Col::Since | Col::Until | Col::Days | Col::Ongoing => {
            move_column(ds, col, row)
        }
        // stored text, answered by `text_of` above
        Col::Force
        | Col::Short
        | Col::Region
        | Col::Kind
        | Col::Country
        | Col::Programme
        | Col::Url
        | Col::Area
        | Col::Theme
        | Col::Pillar
        | Col::Question
        | Col::Basis
        | Col::SourceUrl
        | Col::Scale
        | Col::Event
        | Col::Sentence => Value::Null,
    }
}

/// An `engage…` column (or `as_of`) of a force as of `at` (`None`: the
/// record's end).
fn engage(ds: &Dataset, col: Col, force: Option<ForceId>, at: Option<Date>) -> Value {
    let Some(force) = force else { return Value::Null };
    let monitoring = ds.monitoring();
    if col == Col::AsOf {
        return at.or(monitoring.end()).map_or(Value::Null, Value::Date);
    }
    let state = monitoring.state(force, at);
    match col {
        Col::Engage => state.engaged.map_or(Value::Null, Value::Bool),
        Col::EngageSince => state.since.map_or(Value::Null, Value::Date),
        Col::EngageTimes => state.times.map_or(Value::Null, Value::Int),
        Col::EngageDays => state.days.map_or(Value::Null, Value::Int),
        _ => Value::Null,
    }
}

/// A column of a move's row that is not stored text.
fn move_column(ds: &Dataset, col: Col, row: RowRef) -> Value {
    let RowRef::Move(i) = row else { return Value::Null };
    let monitoring = ds.monitoring();
    let Some(m) = monitoring.get(i as usize) else { return Value::Null };
    let date = |d: Option<Date>| d.map_or(Value::Null, Value::Date);
    let stay = monitoring.stay(i as usize);
    match col {
        Col::Date => date(m.date),
        Col::Causes => m.causes.map_or(Value::Null, |n| Value::Int(i64::from(n))),
        Col::Stay => Value::Int(i64::from(m.stay)),
        Col::Since => date(stay.and_then(|s| s.since)),
        Col::Until => date(stay.and_then(|s| s.until)),
        Col::Days => stay.and_then(|s| s.days).map_or(Value::Null, Value::Int),
        Col::Ongoing => stay.map_or(Value::Null, |s| Value::Bool(s.ongoing)),
        _ => Value::Null,
    }
}

/// One side of a comparison: text borrowed from the data set or the query
/// where it can be (no allocation per row), else a value.
enum Operand<'a> {
    Text(&'a str),
    Value(Value),
}

impl Operand<'_> {
    fn into_value(self) -> Value {
        match self {
            Operand::Text(t) => text(t),
            Operand::Value(v) => v,
        }
    }
}

/// Evaluates `e` as a comparison operand.
fn operand<'a>(cx: &Ctx<'a>, e: &'a RExpr, row: RowRef) -> Operand<'a> {
    match e {
        RExpr::Const(Value::Text(t)) => Operand::Text(t),
        RExpr::Col(c) => match text_of(cx.ds, *c, row) {
            Some(Some(t)) => Operand::Text(t),
            Some(None) => Operand::Value(Value::Null),
            None => Operand::Value(column(cx.ds, *c, row)),
        },
        other => Operand::Value(eval(cx, other, row)),
    }
}

/// [`compare`] on operands: text with text compares in place.
fn compare_operands(op: BinOp, a: Operand<'_>, b: Operand<'_>) -> Value {
    match (a, b) {
        (Operand::Text(x), Operand::Text(y)) => compare_text(op, x, y),
        (a, b) => compare(op, &a.into_value(), &b.into_value()),
    }
}

/// [`compare`] of two texts.
fn compare_text(op: BinOp, a: &str, b: &str) -> Value {
    if let BinOp::Contains | BinOp::NotContains = op {
        return Value::Bool(contains_ignoring_case(a, b) == (op == BinOp::Contains));
    }
    Value::Bool(match (op, cmp_ignoring_case(a, b)) {
        (BinOp::Eq, o) => o == Ordering::Equal,
        (BinOp::Ne, o) => o != Ordering::Equal,
        (BinOp::Lt, o) => o == Ordering::Less,
        (BinOp::Le, o) => o != Ordering::Greater,
        (BinOp::Gt, o) => o == Ordering::Greater,
        (BinOp::Ge, o) => o != Ordering::Less,
        (BinOp::And | BinOp::Or | BinOp::Contains | BinOp::NotContains, _) => false,
    })
}

/// True when `hay` contains `needle`, ignoring case (as lower-cased text).
fn contains_ignoring_case(hay: &str, needle: &str) -> bool {
    if hay.is_ascii() && needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        hay.to_lowercase().contains(&needle.to_lowercase())
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
            ds.previous_score(force, programme).map_or(Value::Null, |s| Value::Decimal(Decimal::new(s, 2)))
        }
    }
}

fn previous_grade(ds: &Dataset, force: ForceId, area: AreaId) -> Value {
    // a merged body's history is its predecessors' where they agree;
    // where they do not, null (the resolver warns, naming both)
    match ds.previous_grade(force, area) {
        crate::dataset::fire::PreviousGrade::One(g) => g.map_or(Value::Null, Value::Grade),
        crate::dataset::fire::PreviousGrade::Split(_) => Value::Null,
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
            let mut passed = 0usize;
            let mut total = 0usize;
            if let Some((op, want)) = each_area_against_grade(test) {
                // `area = g`, `area < g`…: from the inspection's grade counts
                for (g, n) in Grade::ALL.into_iter().zip(cx.ds.grade_counts(inspection)) {
                    total += usize::from(n);
                    let pass = match op {
                        BinOp::Eq => g == want,
                        BinOp::Ne => g != want,
                        BinOp::Lt => g < want,
                        BinOp::Le => g <= want,
                        BinOp::Gt => g > want,
                        _ => g >= want,
                    };
                    if pass {
                        passed += usize::from(n);
                    }
                }
            } else {
                let grades = cx.ds.inspection(inspection).grades.iter().filter_map(|g| cx.ds.grade(*g).grade);
                for g in grades {
                    total += 1;
                    let inner = Ctx { each: Some(g), ..*cx };
                    if matches!(eval(&inner, test, row), Value::Bool(true)) {
                        passed += 1;
                    }
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
        RExpr::Engage(col, None) => column(cx.ds, *col, row),
        RExpr::Engage(col, Some(dates)) => {
            let at = match row {
                RowRef::Force { at, .. } => usize::from(at),
                _ => 0,
            };
            match dates.get(at).map(|d| eval(cx, d, row)) {
                Some(Value::Date(d)) => engage(cx.ds, *col, facts(cx.ds, row).force, Some(d)),
                // an `as of` date that is null (a report not yet dated): nothing is known
                _ => Value::Null,
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
        RExpr::Cmp(op, a, b) => compare_operands(*op, operand(cx, a, row), operand(cx, b, row)),
        RExpr::InList(x, list, negated) => {
            let v = operand(cx, x, row);
            if matches!(v, Operand::Value(Value::Null)) {
                return Value::Null;
            }
            let mut saw_null = false;
            for item in list {
                let v = match &v {
                    Operand::Text(t) => Operand::Text(t),
                    Operand::Value(v) => Operand::Value(v.clone()),
                };
                match compare_operands(BinOp::Eq, v, operand(cx, item, row)) {
                    Value::Bool(true) => return Value::Bool(!negated),
                    Value::Null => saw_null = true,
                    _ => {}
                }
            }
            if saw_null { Value::Null } else { Value::Bool(*negated) }
        }
        RExpr::IsNull(x, negated) => Value::Bool(eval(cx, x, row).is_null() != *negated),
        RExpr::Arith(op, a, b, at) => arith::binary(*op, &eval(cx, a, row), &eval(cx, b, row), *at, cx.zero),
        RExpr::Neg(x) => arith::negate(&eval(cx, x, row)),
        RExpr::Round(x, places) => arith::round(&eval(cx, x, row), *places),
        RExpr::Agg(i) => cx.group.and_then(|(_, aggs)| aggs.get(*i).cloned()).unwrap_or(Value::Null),
        RExpr::GroupKey(i) => cx.group.and_then(|(keys, _)| keys.get(*i).cloned()).unwrap_or(Value::Null),
        RExpr::Window(i) => {
            cx.windows.and_then(|w| w.get(*i)).and_then(|m| m.get(&row).cloned()).unwrap_or(Value::Null)
        }
    }
}

/// `area op grade` (or `grade op area`) inside a quantifier, as
/// (`op` with the area on the left, grade).
fn each_area_against_grade(test: &RExpr) -> Option<(BinOp, Grade)> {
    let RExpr::Cmp(op, a, b) = test else { return None };
    let flipped = match op {
        BinOp::Eq | BinOp::Ne => *op,
        BinOp::Lt => BinOp::Gt,
        BinOp::Le => BinOp::Ge,
        BinOp::Gt => BinOp::Lt,
        BinOp::Ge => BinOp::Le,
        _ => return None,
    };
    match (a.as_ref(), b.as_ref()) {
        (RExpr::EachArea, RExpr::Const(Value::Grade(g))) => Some((*op, *g)),
        (RExpr::Const(Value::Grade(g)), RExpr::EachArea) => Some((flipped, *g)),
        _ => None,
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
        let found = match (a, b) {
            (Value::Text(a), Value::Text(b)) => contains_ignoring_case(a, b),
            _ => contains_ignoring_case(&a.to_string(), &b.to_string()),
        };
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
