//! Planning and execution: resolved query → rows.
//!
//! candidates (scan or index) → where → group and aggregate, or project →
//! order by → limit; then the query's watches (`watch.rs`) over the rows
//! behind the result, for the warnings only the rows can tell.

mod arith;
pub mod eval;
pub mod plan;
mod watch;
mod window;

use crate::catalog::lookup::AreaMatch;
use crate::catalog::{ProgrammeId, ThemeId};
use crate::dataset::Dataset;
use crate::rows::Rows;
use crate::semantic::{
    AggFunc, Aggregate, Col, Derived, OrderKey, Output, OutputColumn, Prev, RExpr, Resolved, RowRef,
    RowSource, WindowFunc,
};
use crate::value::{Decimal, Value};
use crate::warning::Warning;
use eval::{Ctx, eval};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

/// An output row with its source row and its sort keys.
type Keyed = (Vec<Value>, (RowRef, Vec<Value>));

/// The result of running a query.
#[derive(Clone, Debug)]
pub struct Executed {
    /// The rows.
    pub rows: Rows,
    /// The source rows behind each output row, when the query kept its
    /// source's rows (no `select`, no `group by`).
    pub refs: Option<Vec<RowRef>>,
    /// Per output column, the source column its values come from.
    pub origins: Vec<Option<Col>>,
}

/// The source column an output expression's values come from, if any.
pub(crate) fn origin(q: &Resolved, e: &RExpr) -> Option<Col> {
    match e {
        RExpr::Col(c) => Some(*c),
        RExpr::AreaGrade(_) | RExpr::EachArea | RExpr::Previous(Prev::Area(_) | Prev::RowGrade) => {
            Some(Col::Grade)
        }
        RExpr::GroupKey(i) => q.group_by.get(*i).and_then(|k| origin(q, k)),
        RExpr::DerivedCol(i) => match &q.from {
            RowSource::Table(t) => t.origins.get(*i).copied().flatten(),
            _ => None,
        },
        RExpr::Agg(i) => match q.aggregates.get(*i) {
            Some(Aggregate { func: AggFunc::Min | AggFunc::Max, arg: Some(a) }) => origin(q, a),
            _ => None,
        },
        RExpr::Window(i) => match q.windows.get(*i).map(|w| &w.func) {
            Some(WindowFunc::Agg(Aggregate { func: AggFunc::Min | AggFunc::Max, arg: Some(a) })) => {
                origin(q, a)
            }
            _ => None,
        },
        _ => None,
    }
}

/// Runs a resolved query: its first stage, then each stage after `then`
/// over the rows of the one before it.
pub fn run(ds: &Dataset, q: &Resolved) -> Executed {
    let mut out = run_stage(ds, q);
    for next in &q.then {
        let mut warnings = std::mem::take(&mut out.rows.warnings);
        let mut stage = next.clone();
        stage.from = RowSource::Table(Arc::new(Derived { rows: out.rows, origins: out.origins }));
        out = run_stage(ds, &stage);
        warnings.append(&mut out.rows.warnings);
        warnings.sort_by_key(|w| w.span.map_or((1, 0), |s| (0, s.start)));
        out.rows.warnings = warnings;
        // the rows are a table's now, not the source's
        out.refs = None;
    }
    out
}

/// Each force row once per `as of` date, in the dates' order.
fn repeat_per_date(rows: Vec<RowRef>, dates: usize) -> Vec<RowRef> {
    let dates = u16::try_from(dates).unwrap_or(u16::MAX);
    rows.into_iter()
        .flat_map(|r| {
            (0..dates).map(move |at| match r {
                RowRef::Force { force, inspection, .. } => RowRef::Force { force, inspection, at },
                other => other,
            })
        })
        .collect()
}

/// Runs one stage.
fn run_stage(ds: &Dataset, q: &Resolved) -> Executed {
    let table = match &q.from {
        RowSource::Table(t) => Some(&t.rows),
        _ => None,
    };
    let zero = arith::ZeroDivisions::default();
    let cx = Ctx { zero: Some(&zero), ..Ctx::new(ds, table) };
    let the_plan = plan::plan(q);
    let mut rows = plan::candidates(ds, q, &the_plan);
    let dates = q.as_of.as_ref().map_or(0, |d| d.len());
    if dates > 1 {
        rows = repeat_per_date(rows, dates);
    }
    // windows read every row of the stage, before the filter
    let maps = window::fill(&cx, q, &rows);
    let cx = Ctx { windows: Some(&maps), ..cx };
    if let Some(f) = &q.filter {
        rows.retain(|r| matches!(eval(&cx, f, *r), Value::Bool(true)));
    }

    if q.grouped {
        let mut found = watch::check(&cx, q, &rows);
        let mut done = run_grouped(&cx, q, rows);
        found.extend(zero.warnings());
        done.rows.warnings = warnings(q, found);
        return done;
    }

    let columns: Vec<OutputColumn> = match &q.output {
        Output::Columns(c) => c.clone(),
        Output::ForcesDefault => forces_default(ds, &rows, &q.programmes, &named_themes(ds, q)),
    };
    let mut out: Vec<(RowRef, Vec<Value>)> = match q.limit {
        // `order by … limit n` of many rows: the first n by their sort
        // keys alone, then only their columns
        Some(n) if !q.order.is_empty() && n < rows.len() && !q.distinct => {
            top_rows(&cx, q, &columns, rows, n)
        }
        _ => rows.into_iter().map(|r| (r, columns.iter().map(|c| eval(&cx, &c.expr, r)).collect())).collect(),
    };
    if q.distinct {
        out = each_once(out, |(_, vals)| vals);
    }
    if !q.order.is_empty() {
        let mut keyed: Vec<Keyed> = out
            .into_iter()
            .map(|(r, vals)| {
                let keys = q
                    .order
                    .iter()
                    .map(|(k, _)| match k {
                        OrderKey::Output(i) => vals[*i].clone(),
                        OrderKey::Expr(e) => eval(&cx, e, r),
                    })
                    .collect();
                (keys, (r, vals))
            })
            .collect();
        keyed.sort_by(|a, b| compare_keys(&a.0, &b.0, &q.order));
        out = keyed.into_iter().map(|(_, x)| x).collect();
    }
    if let Some(n) = q.limit {
        out.truncate(n);
    }
    let mut origins: Vec<Option<Col>> = columns.iter().map(|c| origin(q, &c.expr)).collect();
    let mut areas: Vec<Option<Arc<AreaMatch>>> = columns
        .iter()
        .map(|c| match &c.expr {
            RExpr::AreaGrade(m) => Some(Arc::clone(m)),
            _ => None,
        })
        .collect();
    let mut names: Vec<String> = columns.into_iter().map(|c| c.name).collect();
    if q.output == Output::ForcesDefault && !out.is_empty() {
        // an area column with no grade in any row says nothing: drop it
        let keep: Vec<bool> =
            (0..names.len()).map(|i| i < 3 || out.iter().any(|(_, vals)| !vals[i].is_null())).collect();
        let mut k = keep.iter();
        names.retain(|_| *k.next().unwrap_or(&true));
        let mut k = keep.iter();
        origins.retain(|_| *k.next().unwrap_or(&true));
        let mut k = keep.iter();
        areas.retain(|_| *k.next().unwrap_or(&true));
        for (_, vals) in &mut out {
            let mut k = keep.iter();
            vals.retain(|_| *k.next().unwrap_or(&true));
        }
    }
    if q.cell_facts {
        add_cell_facts(ds, &areas, &mut names, &mut origins, &mut out);
        add_row_facts(ds, &mut names, &mut origins, &mut out);
    }
    if q.engage_facts && ds.kind() == crate::catalog::Kind::Police {
        add_engage_facts(&cx, q, &mut names, &mut origins, &mut out);
    }
    let (refs, values): (Vec<RowRef>, Vec<Vec<Value>>) = out.into_iter().unzip();
    let mut rows = Rows::new(names, values);
    let mut found = watch::check(&cx, q, &refs);
    found.extend(zero.warnings());
    rows.warnings = warnings(q, found);
    Executed { rows, refs: q.keeps_rows.then_some(refs), origins }
}

/// For pictures: after the columns, for each `area("…")` column of a
/// `forces` result, hidden columns with its cells' basis, source page,
/// whether a grade row is on record (a row with no grade is "not graded")
/// and the area's name in the row's programme.
fn add_cell_facts(
    ds: &Dataset,
    areas: &[Option<Arc<AreaMatch>>],
    names: &mut Vec<String>,
    origins: &mut Vec<Option<Col>>,
    out: &mut [(RowRef, Vec<Value>)],
) {
    use crate::rows::hidden_column;
    for (i, m) in areas.iter().enumerate() {
        let Some(m) = m else { continue };
        for fact in ["basis", "source_url", "recorded", "area"] {
            let name = hidden_column(&names[i], fact);
            names.push(name);
            origins.push(None);
        }
        for (row, vals) in out.iter_mut() {
            let area = match row {
                RowRef::Force { inspection: Some(ins), .. } => {
                    m.area_in(ds.programme_of(*ins)).map(|a| (*ins, a))
                }
                _ => None,
            };
            let g = area.and_then(|(ins, a)| ds.grade_in(ins, a));
            let name = area.map_or(Value::Null, |(_, a)| Value::Text(ds.catalog.area(a).name.clone()));
            match g {
                Some(g) => {
                    vals.push(Value::Text(g.basis.name().to_string()));
                    vals.push(Value::Text(g.source_url.to_string()));
                    vals.push(Value::Bool(true));
                }
                None => vals.extend([Value::Null, Value::Null, Value::Bool(false)]),
            }
            vals.push(name);
        }
    }
}

/// For pictures: hidden columns with each row's kind (police force, fire
/// and rescue service), its body's short name and its programme's scale
/// (four-tier, five-tier), named as facts of no column (`\u{1f}kind`,
/// `\u{1f}short`, `\u{1f}scale`).
fn add_row_facts(
    ds: &Dataset,
    names: &mut Vec<String>,
    origins: &mut Vec<Option<Col>>,
    out: &mut [(RowRef, Vec<Value>)],
) {
    use crate::rows::hidden_column;
    for fact in ["kind", "short", "scale"] {
        names.push(hidden_column("", fact));
        origins.push(None);
    }
    for (row, vals) in out.iter_mut() {
        vals.push(Value::Text(ds.kind().name().to_string()));
        let short = match row {
            RowRef::Force { force, .. } => Value::Text(ds.catalog.force(*force).short_name.clone()),
            _ => Value::Null,
        };
        vals.push(short);
        let scale = match row {
            RowRef::Force { inspection: Some(ins), .. } => {
                Value::Text(ds.catalog.programme(ds.programme_of(*ins)).scale.name().to_string())
            }
            _ => Value::Null,
        };
        vals.push(scale);
    }
}

/// For pictures: after the columns, hidden columns with each row's
/// force's `engage`, `engage_since` and `as_of` (see
/// [`crate::rows::ENGAGE_FACTS`]), as of the query's `as of` dates, else
/// the record's end — what the query's own `engage` columns would say.
fn add_engage_facts(
    cx: &Ctx<'_>,
    q: &Resolved,
    names: &mut Vec<String>,
    origins: &mut Vec<Option<Col>>,
    out: &mut [(RowRef, Vec<Value>)],
) {
    let cols = [Col::Engage, Col::EngageSince, Col::AsOf];
    for fact in crate::rows::ENGAGE_FACTS {
        names.push(crate::rows::hidden_column("", fact));
        origins.push(None);
    }
    let exprs: Vec<RExpr> = cols.iter().map(|c| RExpr::Engage(*c, q.as_of.clone())).collect();
    for (row, vals) in out.iter_mut() {
        vals.extend(exprs.iter().map(|e| eval(cx, e, *row)));
    }
}

/// The resolver's warnings and those `found` while running, in the order
/// of their spans.
fn warnings(q: &Resolved, found: Vec<Warning>) -> Vec<Warning> {
    let mut all = q.warnings.clone();
    all.extend(found);
    all.sort_by_key(|w| w.span.map_or((1, 0), |s| (0, s.start)));
    all
}

/// The first `n` rows in `order by` order (ties in row order, as a stable
/// sort gives them), with their output values. They are still sorted, and
/// cut to `n`, by the caller.
fn top_rows(
    cx: &Ctx<'_>,
    q: &Resolved,
    columns: &[OutputColumn],
    rows: Vec<RowRef>,
    n: usize,
) -> Vec<(RowRef, Vec<Value>)> {
    let mut keyed: Vec<(Vec<Value>, usize, RowRef)> = rows
        .into_iter()
        .enumerate()
        .map(|(pos, r)| {
            let keys = q
                .order
                .iter()
                .map(|(k, _)| match k {
                    OrderKey::Output(i) => eval(cx, &columns[*i].expr, r),
                    OrderKey::Expr(e) => eval(cx, e, r),
                })
                .collect();
            (keys, pos, r)
        })
        .collect();
    let cmp = |a: &(Vec<Value>, usize, RowRef), b: &(Vec<Value>, usize, RowRef)| {
        compare_keys(&a.0, &b.0, &q.order).then(a.1.cmp(&b.1))
    };
    if n > 0 {
        keyed.select_nth_unstable_by(n - 1, cmp);
    }
    keyed.truncate(n);
    keyed.sort_by(cmp);
    keyed.into_iter().map(|(_, _, r)| (r, columns.iter().map(|c| eval(cx, &c.expr, r)).collect())).collect()
}

fn compare_keys(a: &[Value], b: &[Value], order: &[(OrderKey, bool)]) -> Ordering {
    for ((x, y), (_, desc)) in a.iter().zip(b).zip(order) {
        let o = match (x.is_null(), y.is_null()) {
            // nulls last whichever the direction
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            _ if *desc => y.sort_cmp(x),
            _ => x.sort_cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// A value as a grouping key: equal values (text ignoring case, numbers
/// as printed) give equal keys.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Null,
    Bool(bool),
    /// Whole numbers and decimals alike, by the bits of their `f64`.
    Number(u64),
    /// Lower-cased.
    Text(String),
    /// Year, month, and the day when the month is known (as printed).
    Date(u16, Option<u8>, Option<u8>),
    Grade(u8),
}

pub(crate) fn key_of(v: &Value) -> Key {
    match v {
        Value::Null => Key::Null,
        Value::Bool(b) => Key::Bool(*b),
        Value::Int(i) => Key::Number((*i as f64).to_bits()),
        Value::Decimal(d) => Key::Number(d.rounded().to_bits()),
        Value::Text(t) => Key::Text(t.to_lowercase()),
        Value::Date(d) => Key::Date(d.year, d.month, d.month.and(d.day)),
        Value::Grade(g) => Key::Grade(g.rank()),
    }
}

/// `select distinct`: the first of each set of rows whose output values
/// are equal as grouping keys (text ignoring case, numbers as printed).
fn each_once<T>(rows: Vec<T>, values: impl Fn(&T) -> &Vec<Value>) -> Vec<T> {
    let mut seen: std::collections::HashSet<Vec<Key>> = std::collections::HashSet::new();
    rows.into_iter().filter(|r| seen.insert(values(r).iter().map(key_of).collect())).collect()
}

/// Rows into groups by `key`, groups in the order they are first seen.
fn group_rows<K: std::hash::Hash + Eq>(
    cx: &Ctx<'_>,
    q: &Resolved,
    rows: Vec<RowRef>,
    key: impl Fn(&[Value]) -> K,
) -> Vec<(Vec<Value>, Vec<RowRef>)> {
    let mut groups: Vec<(Vec<Value>, Vec<RowRef>)> = Vec::new();
    let mut index: HashMap<K, usize> = HashMap::new();
    for r in rows {
        let keys: Vec<Value> = q.group_by.iter().map(|k| eval(cx, k, r)).collect();
        match index.entry(key(&keys)) {
            std::collections::hash_map::Entry::Occupied(e) => groups[*e.get()].1.push(r),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(groups.len());
                groups.push((keys, vec![r]));
            }
        }
    }
    groups
}

fn run_grouped(cx: &Ctx<'_>, q: &Resolved, rows: Vec<RowRef>) -> Executed {
    let mut groups = if q.group_by.len() == 1 {
        group_rows(cx, q, rows, |keys| key_of(&keys[0]))
    } else {
        group_rows(cx, q, rows, |keys| keys.iter().map(key_of).collect::<Vec<Key>>())
    };
    // aggregates alone (no group by) make one group, even over no rows
    if q.group_by.is_empty() && groups.is_empty() {
        groups.push((Vec::new(), Vec::new()));
    }
    groups.sort_by(|a, b| {
        a.0.iter()
            .zip(&b.0)
            .map(|(x, y)| x.sort_cmp(y))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    });
    let Output::Columns(columns) = &q.output else {
        return Executed { rows: Rows::default(), refs: None, origins: Vec::new() };
    };
    let mut out: Vec<(Vec<Value>, Vec<Value>)> = Vec::new();
    for (keys, members) in &groups {
        let aggs: Vec<Value> = q.aggregates.iter().map(|a| aggregate(cx, a, members)).collect();
        let gcx = Ctx { group: Some((keys, &aggs)), ..*cx };
        let any_row = members.first().copied().unwrap_or(RowRef::Derived(usize::MAX));
        let vals: Vec<Value> = columns.iter().map(|c| eval(&gcx, &c.expr, any_row)).collect();
        let order: Vec<Value> = q
            .order
            .iter()
            .map(|(k, _)| match k {
                OrderKey::Output(i) => vals[*i].clone(),
                OrderKey::Expr(e) => eval(&gcx, e, any_row),
            })
            .collect();
        out.push((order, vals));
    }
    if q.distinct {
        out = each_once(out, |(_, vals)| vals);
    }
    if !q.order.is_empty() {
        out.sort_by(|a, b| compare_keys(&a.0, &b.0, &q.order));
    }
    if let Some(n) = q.limit {
        out.truncate(n);
    }
    Executed {
        rows: Rows::new(
            columns.iter().map(|c| c.name.clone()).collect(),
            out.into_iter().map(|(_, v)| v).collect(),
        ),
        refs: None,
        origins: columns.iter().map(|c| origin(q, &c.expr)).collect(),
    }
}

pub(crate) fn aggregate(cx: &Ctx<'_>, a: &Aggregate, rows: &[RowRef]) -> Value {
    let values = || rows.iter().map(|r| a.arg.as_ref().map_or(Value::Null, |e| eval(cx, e, *r)));
    match a.func {
        AggFunc::CountRows => Value::Int(rows.len() as i64),
        AggFunc::Count => {
            Value::Int(values().filter(|v| !v.is_null() && !matches!(v, Value::Bool(false))).count() as i64)
        }
        AggFunc::Sum => {
            let vals: Vec<Value> = values().filter(|v| !v.is_null()).collect();
            if vals.is_empty() {
                return Value::Null;
            }
            if vals.iter().all(|v| matches!(v, Value::Int(_))) {
                return Value::Int(vals.iter().filter_map(Value::as_i64).sum());
            }
            Value::Decimal(Decimal::new(vals.iter().filter_map(Value::as_f64).sum(), 2))
        }
        AggFunc::Min | AggFunc::Max => {
            let mut best: Option<Value> = None;
            for v in values().filter(|v| !v.is_null()) {
                best = Some(match best {
                    None => v,
                    Some(b) => {
                        let o = v.sort_cmp(&b);
                        let take =
                            if a.func == AggFunc::Min { o == Ordering::Less } else { o == Ordering::Greater };
                        if take { v } else { b }
                    }
                });
            }
            best.unwrap_or(Value::Null)
        }
        AggFunc::Percent => {
            let known: Vec<Value> = values().filter(|v| !v.is_null()).collect();
            if known.is_empty() {
                return Value::Null;
            }
            let passed = known.iter().filter(|v| matches!(v, Value::Bool(true))).count();
            Value::Decimal(Decimal::new(100.0 * passed as f64 / known.len() as f64, 1))
        }
        AggFunc::Avg => {
            let vals: Vec<Value> = values().filter(|v| !v.is_null()).collect();
            let nums: Vec<f64> = vals.iter().filter_map(Value::as_f64).collect();
            if nums.is_empty() {
                return Value::Null;
            }
            let places = if vals.iter().all(|v| matches!(v, Value::Grade(_))) { 1 } else { 2 };
            Value::Decimal(Decimal::new(nums.iter().sum::<f64>() / nums.len() as f64, places))
        }
    }
}

/// The themes of the areas a query names in `where` and `order by`, in the
/// order it names them.
fn named_themes(ds: &Dataset, q: &Resolved) -> Vec<ThemeId> {
    fn walk(ds: &Dataset, e: &RExpr, out: &mut Vec<ThemeId>) {
        let mut add = |m: &crate::catalog::lookup::AreaMatch| {
            for (_, a) in &m.areas {
                let t = ds.catalog.area(*a).theme;
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        };
        match e {
            RExpr::AreaGrade(m) | RExpr::AreaIs(m) => add(m),
            RExpr::Previous(Prev::Area(m)) | RExpr::Change(Prev::Area(m)) => add(m),
            RExpr::Not(x)
            | RExpr::Year(x)
            | RExpr::IsNull(x, _)
            | RExpr::Quant(_, x)
            | RExpr::Neg(x)
            | RExpr::Round(x, _) => walk(ds, x, out),
            RExpr::And(a, b) | RExpr::Or(a, b) | RExpr::Cmp(_, a, b) | RExpr::Arith(_, a, b, _) => {
                walk(ds, a, out);
                walk(ds, b, out);
            }
            RExpr::InList(x, list, _) => {
                walk(ds, x, out);
                list.iter().for_each(|i| walk(ds, i, out));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(f) = &q.filter {
        walk(ds, f, &mut out);
    }
    for (k, _) in &q.order {
        if let OrderKey::Expr(e) = k {
            walk(ds, e, &mut out);
        }
    }
    out
}

/// The `forces` default columns: name, region, programme, then one column
/// per graded area of the programmes the rows come from — first the areas
/// the query names (so a narrow terminal keeps them), then the rest in the
/// newest programme's order; areas of older programmes join the column of
/// their theme.
pub(crate) fn forces_default(
    ds: &Dataset,
    rows: &[RowRef],
    scope: &[ProgrammeId],
    named: &[ThemeId],
) -> Vec<OutputColumn> {
    use crate::semantic::Col;
    let cat = &ds.catalog;
    let mut programmes: Vec<ProgrammeId> = rows
        .iter()
        .filter_map(|r| match r {
            RowRef::Force { inspection: Some(i), .. } => Some(ds.inspection(*i).programme),
            _ => None,
        })
        .collect();
    if programmes.is_empty() {
        programmes = scope.to_vec();
    }
    programmes.sort_by(|a, b| b.cmp(a));
    programmes.dedup();
    let mut cols = vec![
        OutputColumn { name: "name".into(), expr: RExpr::Col(Col::Force) },
        OutputColumn { name: "region".into(), expr: RExpr::Col(Col::Region) },
        OutputColumn { name: "programme".into(), expr: RExpr::Col(Col::Programme) },
    ];
    let mut seen: Vec<ThemeId> = Vec::new();
    let mut areas_in_order: Vec<crate::catalog::AreaId> = Vec::new();
    for t in named {
        areas_in_order.extend(programmes.iter().filter_map(|p| cat.area_of_theme(*t, *p)));
    }
    areas_in_order.extend(programmes.iter().flat_map(|p| cat.programme(*p).areas.iter().copied()));
    {
        for a in &areas_in_order {
            let area = cat.area(*a);
            let graded = ds.grades_of_area(*a).iter().any(|g| ds.grade(*g).grade.is_some());
            if !graded || seen.contains(&area.theme) {
                continue;
            }
            seen.push(area.theme);
            let areas = programmes
                .iter()
                .filter_map(|q| cat.area_of_theme(area.theme, *q).map(|x| (*q, x)))
                .collect();
            let m = crate::catalog::lookup::AreaMatch {
                areas,
                theme: Some(area.theme),
                how: crate::catalog::lookup::AreaMatchKind::ExactName,
            };
            cols.push(OutputColumn {
                name: area.name.clone(),
                expr: RExpr::AreaGrade(std::sync::Arc::new(m)),
            });
        }
    }
    cols
}
