//! The resolver: [`Query`] (syntax) → [`Resolved`](super::Resolved) (meaning), one stage at a time
//! (the stages are put together in `stages.rs`).

use super::columns::{self, Ty};
use super::{AggFunc, Aggregate, Derived, Output, OutputColumn, Prev, RExpr, RowSource, Scope, SourceKind};
use crate::catalog::ProgrammeId;
use crate::catalog::lookup::LookupError;
use crate::dataset::Dataset;
use crate::error::{Error, ErrorKind, Result};
use crate::suggest::{did_you_mean, did_you_mean_or_list, suggest};
use crate::syntax::{
    BinOp, Expr, ExprKind, Ident, Literal, ProgrammeRef, ProgrammeRefKind, Quantifier, Query, Span,
};
use crate::value::{Decimal, Grade, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// What a `let` name stands for.
#[derive(Clone, Debug)]
pub struct Binding {
    /// The rows it holds.
    pub from: RowSource,
    /// The programmes it covered.
    pub programmes: Vec<ProgrammeId>,
}

/// Names bound by `let` in a session.
#[derive(Clone, Debug, Default)]
pub struct Bindings(pub HashMap<String, Arc<Binding>>);

pub use super::params::Params;

/// "a", "a and b", "a, b and c".
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Words people use for grades that are not PeelQL's grade words.
const GRADE_LIKE: &[&str] = &[
    "poor",
    "bad",
    "weak",
    "failing",
    "fail",
    "failed",
    "excellent",
    "great",
    "fine",
    "ok",
    "okay",
    "satisfactory",
    "unsatisfactory",
    "acceptable",
    "pass",
    "passed",
    "strong",
    "average",
    "improving",
];
pub use super::stages::resolve_query;

pub(super) struct Resolver<'a> {
    pub(super) ds: &'a Dataset,
    pub(super) src: &'a str,
    pub(super) params: &'a Params,
    pub(super) kind: Option<SourceKind>,
    pub(super) table: Option<Arc<Derived>>,
    pub(super) programmes: Vec<ProgrammeId>,
    pub(super) notes: Vec<String>,
    pub(super) aggregates: Vec<Aggregate>,
    pub(super) warnings: Vec<crate::warning::Warning>,
    pub(super) watches: Vec<super::Watch>,
    /// The names bound by `let`, for subqueries.
    pub(super) bindings: &'a Bindings,
    /// Which stage is resolved: 0 for the first, 1 for the one after the
    /// first `then`…
    pub(super) stage: usize,
    /// The programme scope a query without `in` reads: `None` for the
    /// default; a subquery's is the scope of the query around it.
    pub(super) inherited: Option<Scope>,
    /// The scope this query chose (written, inherited or its `let` name's),
    /// which its subqueries inherit.
    pub(super) scope: Option<Scope>,
    /// The `as of` dates, resolved (none: the record's end).
    pub(super) as_of: Option<Arc<Vec<RExpr>>>,
    /// The windows (`… per …`, `… overall`, `rank(…)`) of the stage.
    pub(super) windows: Vec<super::Window>,
    /// Where a window may be: `Some(true)` in `where`, `Some(false)` in
    /// `select` and `order by`, `None` elsewhere.
    pub(super) window_phase: Option<bool>,
    /// The aggregate (or `rank`) whose argument is being resolved: another
    /// inside it is an aggregate of an aggregate.
    pub(super) in_aggregate: Option<&'static str>,
    /// The stage's `order by` keys as written, for `rank()`'s hint.
    pub(super) stage_order: Option<String>,
}

impl<'a> Resolver<'a> {
    /// A resolver for one stage, before its source is known.
    pub(super) fn new(ds: &'a Dataset, src: &'a str, params: &'a Params, bindings: &'a Bindings) -> Self {
        Resolver {
            ds,
            src,
            params,
            kind: None,
            table: None,
            programmes: Vec::new(),
            notes: Vec::new(),
            aggregates: Vec::new(),
            warnings: Vec::new(),
            watches: Vec::new(),
            bindings,
            stage: 0,
            inherited: None,
            scope: None,
            as_of: None,
            windows: Vec::new(),
            window_phase: None,
            in_aggregate: None,
            stage_order: None,
        }
    }
}

pub(super) fn resolve_err(
    code: &'static str,
    message: impl Into<String>,
    span: Span,
    label: impl Into<String>,
) -> Error {
    Error::new(ErrorKind::Resolve, code, message).with_span(span, label)
}

pub(super) fn type_err(
    code: &'static str,
    message: impl Into<String>,
    span: Span,
    label: impl Into<String>,
) -> Error {
    Error::new(ErrorKind::Type, code, message).with_span(span, label)
}

/// The value, or `None` with the error kept in `errors`.
pub(super) fn keep<T>(errors: &mut Vec<Error>, r: Result<T>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// Both values, or every error of the two.
pub(super) fn both<A, B>(a: Result<A>, b: Result<B>) -> Result<(A, B)> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
        (Err(a), Err(b)) => Err(a.also(b)),
    }
}

/// For a programme named by a year that no cycle covers ("peel 2020"):
/// "no programme covers 2020; the nearest are PEEL 2018-19 and PEEL 2021-22".
pub(super) fn programmes_near_year(cat: &crate::catalog::Catalog, text: &str) -> Option<String> {
    let digits: String =
        text.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    let year: u16 = digits.get(..4)?.parse().ok()?;
    if cat.programmes.iter().any(|p| p.start_year <= year && year <= p.end_year) {
        return None;
    }
    let before = cat.programmes.iter().filter(|p| p.end_year < year).max_by_key(|p| p.end_year);
    let after = cat.programmes.iter().filter(|p| p.start_year > year).min_by_key(|p| p.start_year);
    let names: Vec<String> = before.into_iter().chain(after).map(|p| format!("`{}`", p.name)).collect();
    let nearest = match names.as_slice() {
        [] => return None,
        [one] => format!("the nearest is {one}"),
        [a, b, ..] => format!("the nearest are {a} and {b}"),
    };
    Some(format!("no programme covers {year}; {nearest}"))
}

pub(super) fn unreachable_error(span: Span) -> Error {
    resolve_err("peelql::resolve::internal", "the query failed without saying why", span, "here")
}

pub(super) fn with_help(e: Error, help: Option<String>) -> Error {
    match help {
        Some(h) => e.with_help(h),
        None => e,
    }
}

/// The function names the language knows.
pub const FUNCTIONS: &[&str] =
    &["area", "previous", "change", "year", "round", "count", "sum", "min", "max", "avg", "percent", "rank"];

impl Resolver<'_> {
    // ---- source and programme ------------------------------------------

    pub(super) fn source(&mut self, q: &Query) -> Result<RowSource> {
        let bindings = self.bindings;
        let name = &q.source;
        if let Some(kind) = self.kind_source(name, q)? {
            if let (SourceKind::Monitoring, Some(p)) = (kind, &q.programme) {
                return Err(resolve_err(
                    "peelql::resolve::programme_on_monitoring",
                    "moves into and out of Engage are not per programme",
                    p.span,
                    "`monitoring` takes no `in …`",
                )
                .with_help("choose moves by their date: `monitoring where date >= 2021-01-01`"));
            }
            let scope = match &q.programme {
                Some(p) => self.scope(p)?,
                None => match &self.inherited {
                    Some(s) => s.clone(),
                    None if kind == SourceKind::Programmes => Scope::All,
                    None => Scope::Latest,
                },
            };
            if q.programme.is_some() || self.inherited.is_some() {
                self.scope = Some(scope.clone());
            }
            self.programmes = self.scope_programmes(kind, &scope);
            return Ok(RowSource::Source(kind, scope));
        }
        if let Some(b) = bindings.0.get(&name.key()) {
            if let Some(p) = &q.programme {
                return Err(resolve_err(
                    "peelql::resolve::programme_on_binding",
                    format!("`{}` already chose its programme", name.name),
                    p.span,
                    "not allowed after a `let` name",
                )
                .with_help("put `in …` in the `let` query instead"));
            }
            self.programmes = b.programmes.clone();
            if let RowSource::Source(_, s) | RowSource::Rows(_, s, _) = &b.from {
                self.scope = Some(s.clone());
            }
            return Ok(b.from.clone());
        }
        let mut known: Vec<&str> = SourceKind::ALL.iter().map(|s| s.name()).collect();
        known.extend(bindings.0.keys().map(String::as_str));
        let e = resolve_err(
            "peelql::resolve::unknown_source",
            format!("there is no source called `{}`", name.name),
            name.span,
            "unknown source",
        );
        Err(e.with_help(did_you_mean_or_list(&name.name, &known, "a query starts from one of")))
    }

    pub(super) fn scope(&mut self, p: &ProgrammeRef) -> Result<Scope> {
        let text = match &p.kind {
            ProgrammeRefKind::Latest => return Ok(Scope::Latest),
            ProgrammeRefKind::All => return Ok(Scope::All),
            ProgrammeRefKind::Named(t) => t.clone(),
            ProgrammeRefKind::Param(name) => match self.params.0.get(name) {
                Some(Value::Text(t)) => t.clone(),
                Some(Value::Int(i)) => i.to_string(),
                Some(other) => {
                    return Err(type_err(
                        "peelql::type::mismatch",
                        format!("`${name}` is {}, not a programme", a_type(other)),
                        p.span,
                        "expected a programme",
                    ));
                }
                None => return Err(self.unknown_param(name, p.span)),
            },
        };
        if text.eq_ignore_ascii_case("latest") {
            return Ok(Scope::Latest);
        }
        if text.eq_ignore_ascii_case("all") {
            return Ok(Scope::All);
        }
        if let Some(settled) = self.kind_scope(&text, p.span) {
            return settled;
        }
        let cat = &self.ds.catalog;
        match cat.find_programme(&text) {
            Ok(id) => {
                self.notes.push(format!("programme {text:?} → {}", cat.programme(id).name));
                Ok(Scope::One(id))
            }
            Err(LookupError::NotFound { suggestions }) => {
                let names: Vec<String> = cat.programmes.iter().map(|p| p.name.clone()).collect();
                let list = format!("the programmes are: {}, and `latest` or `all`", names.join(", "));
                let e = resolve_err(
                    "peelql::resolve::unknown_programme",
                    format!("there is no programme {text:?}"),
                    p.span,
                    "unknown programme",
                );
                // a year between cycles: name the cycles either side of it,
                // not the names spelt most alike
                if let Some(near) = programmes_near_year(cat, &text) {
                    return Err(e.with_help(near).with_help(list));
                }
                Err(match did_you_mean(&suggestions) {
                    Some(d) => e.with_help(d).with_help(list),
                    None => e.with_help(list),
                })
            }
            Err(_) => unreachable_lookup(p.span),
        }
    }

    /// The programmes a scope covers, oldest first.
    pub(super) fn scope_programmes(&self, kind: SourceKind, scope: &Scope) -> Vec<ProgrammeId> {
        let cat = &self.ds.catalog;
        match scope {
            Scope::One(p) => vec![*p],
            Scope::All => cat.programmes.iter().map(|p| p.id).collect(),
            Scope::Latest if kind.has_inspection() => self.ds.latest_programmes().to_vec(),
            Scope::Latest => cat.latest_programme().into_iter().collect(),
        }
    }

    // ---- expressions -------------------------------------------------------

    /// Resolves an expression that must be a condition.
    pub(super) fn condition(&mut self, e: &Expr, allow_agg: bool) -> Result<RExpr> {
        if let ExprKind::Call { name, args } = &e.kind {
            if name.key() == "area" && self.kind == Some(SourceKind::Grades) {
                let m = self.area_match(name, args, e.span)?;
                return Ok(RExpr::AreaIs(m));
            }
        }
        let (re, ty) = self.expr(e, allow_agg)?;
        if ty == Ty::Bool || ty == Ty::Any {
            return Ok(re);
        }
        let help = match (&e.kind, ty) {
            (ExprKind::Call { name, .. }, Ty::Grade) if name.key() == "area" => {
                let text = e.span.text(self.src).unwrap_or("area(\"…\")");
                format!("compare it with a grade, e.g. `{text} = inadequate` or `{text} at least good`")
            }
            (_, Ty::Grade) => "compare it with a grade, e.g. `= inadequate` or `at least good`".to_string(),
            _ => "a condition compares values, e.g. `region = \"Wales\"` or `score > 3`".to_string(),
        };
        Err(type_err(
            "peelql::type::not_a_condition",
            format!("expected a condition here, found {}", ty.name()),
            e.span,
            format!("this is {}, not true or false", ty.name()),
        )
        .with_help(help))
    }

    /// On `grades`, a test of `area("x")` — `area("x") = good`,
    /// `area("x") is null`, `area("x") in (…)` — is about the rows of area
    /// x: the row must be that area, and its grade must pass.
    pub(super) fn on_area_rows(&self, e: RExpr) -> RExpr {
        if self.kind != Some(SourceKind::Grades) {
            return e;
        }
        let area = match &e {
            RExpr::Cmp(_, a, b) => [a.as_ref(), b.as_ref()].into_iter().find_map(|x| match x {
                RExpr::AreaGrade(m) => Some(Arc::clone(m)),
                _ => None,
            }),
            RExpr::IsNull(x, _) | RExpr::InList(x, _, _) => match x.as_ref() {
                RExpr::AreaGrade(m) => Some(Arc::clone(m)),
                _ => None,
            },
            _ => None,
        };
        match area {
            Some(m) => RExpr::And(Box::new(RExpr::AreaIs(m)), Box::new(e)),
            None => e,
        }
    }

    pub(super) fn expr(&mut self, e: &Expr, allow_agg: bool) -> Result<(RExpr, Ty)> {
        let (re, ty) = self.expr_inner(e, allow_agg)?;
        match &e.kind {
            ExprKind::Binary { op, .. } if !matches!(op.node, BinOp::And | BinOp::Or) => {
                self.lint_comparison(e, &re)
            }
            ExprKind::InList { .. } | ExprKind::IsNull { .. } => self.lint_comparison(e, &re),
            _ => {}
        }
        Ok((if ty == Ty::Bool { self.on_area_rows(re) } else { re }, ty))
    }

    pub(super) fn expr_inner(&mut self, e: &Expr, allow_agg: bool) -> Result<(RExpr, Ty)> {
        match &e.kind {
            // a grade word that names a column of the table read is the
            // column, as an output name is in `order by`
            ExprKind::Literal(Literal::Grade(_)) if self.table_column(e).is_some() => {
                Ok(self.table_column(e).unwrap_or((RExpr::Const(Value::Null), Ty::Any)))
            }
            ExprKind::Literal(lit) => Ok(literal(lit)),
            ExprKind::Column(id) => self.column(id),
            ExprKind::Param(id) => match self.params.0.get(&id.name) {
                Some(v) => Ok((RExpr::Const(v.clone()), value_ty(v))),
                None => Err(self.unknown_param(&id.name, id.span)),
            },
            ExprKind::Call { name, args } => self.call(name, args, e.span, allow_agg),
            ExprKind::Not(inner) => Ok((RExpr::Not(Box::new(self.condition(inner, allow_agg)?)), Ty::Bool)),
            ExprKind::Binary { op, lhs, rhs } => match op.node {
                BinOp::And | BinOp::Or => {
                    let l = self.condition(lhs, allow_agg);
                    let r = self.condition(rhs, allow_agg);
                    let (l, r) = both(l, r)?;
                    Ok((
                        if op.node == BinOp::And {
                            RExpr::And(Box::new(l), Box::new(r))
                        } else {
                            RExpr::Or(Box::new(l), Box::new(r))
                        },
                        Ty::Bool,
                    ))
                }
                cmp => self.comparison(cmp, op.span, lhs, rhs, allow_agg),
            },
            ExprKind::InList { expr, list, negated } => {
                if let [Expr { kind: ExprKind::Column(id), .. }] = list.as_slice() {
                    if self.names_binding_only(id) {
                        return self.in_binding(expr, id, *negated, e.span, allow_agg);
                    }
                    self.not_a_bare_source(id)?;
                }
                if let Some(e) = list.iter().find_map(|item| self.bare_event_word(expr, item)) {
                    return Err(e);
                }
                let (l, lty) = self.expr(expr, allow_agg)?;
                if let RExpr::Col(columns::Col::Area) = l {
                    if self.kind == Some(SourceKind::Grades) {
                        let mut any = None;
                        for item in list {
                            let m = RExpr::AreaIs(self.area_from_literal(item)?);
                            any = Some(match any {
                                None => m,
                                Some(prev) => RExpr::Or(Box::new(prev), Box::new(m)),
                            });
                        }
                        let any = any.unwrap_or(RExpr::Const(Value::Bool(false)));
                        return Ok((if *negated { RExpr::Not(Box::new(any)) } else { any }, Ty::Bool));
                    }
                }
                let mut items = Vec::new();
                for item in list {
                    let (ri, ity) = self.expr(item, allow_agg)?;
                    let ri = self.coerce(&l, lty, ri, ity, item.span)?;
                    items.push(ri);
                }
                Ok((RExpr::InList(Box::new(l), items, *negated), Ty::Bool))
            }
            ExprKind::IsNull { expr, negated } => {
                let (l, _) = self.expr(expr, allow_agg)?;
                Ok((RExpr::IsNull(Box::new(l), *negated), Ty::Bool))
            }
            ExprKind::Quantified { quantifier, test } => {
                self.need_inspection(quantifier.span, "`any area`, `every area` and `count(area …)`")?;
                let t = self.condition(test, false)?;
                let ty = if quantifier.node == Quantifier::Count { Ty::Number } else { Ty::Bool };
                let q = RExpr::Quant(quantifier.node, Box::new(t));
                self.watch_quantifier(quantifier.node, e.span, &q);
                Ok((q, ty))
            }
            ExprKind::EachArea => Ok((RExpr::EachArea, Ty::Grade)),
            ExprKind::Arith { op, lhs, rhs } => self.arith(op, lhs, rhs, allow_agg),
            ExprKind::Neg(x) => self.neg(x, allow_agg),
            ExprKind::InQuery { expr, query, negated } => {
                self.in_query(expr, query, *negated, e.span, allow_agg)
            }
            ExprKind::Subquery(query) => self.scalar_subquery(query, e.span),
            ExprKind::Rank { .. } => self.window(e, e, None),
            ExprKind::Window { func, over } => self.window(e, func, Some(over)),
        }
    }

    /// The column of the table read (a `let` table or the previous stage)
    /// named by the text of `e`, if there is one.
    fn table_column(&self, e: &Expr) -> Option<(RExpr, Ty)> {
        let table = self.table.as_ref()?;
        let i = table.rows.column_index(e.span.text(self.src)?)?;
        Some((RExpr::DerivedCol(i), table.origins[i].map_or(Ty::Any, columns::type_of)))
    }

    pub(super) fn column(&mut self, id: &Ident) -> Result<(RExpr, Ty)> {
        if let Some(table) = &self.table {
            let t = &table.rows;
            return match t.column_index(&id.name) {
                Some(i) => Ok((RExpr::DerivedCol(i), table.origins[i].map_or(Ty::Any, columns::type_of))),
                None if self.stage > 0 => {
                    let names: Vec<&str> = t.columns.iter().map(String::as_str).collect();
                    let e = resolve_err(
                        "peelql::resolve::unknown_column",
                        format!("the stage before this `then` has no column `{}`", id.name),
                        id.span,
                        "not made by the stage before",
                    );
                    let e = match did_you_mean(&suggest(&id.name, names.iter().copied())) {
                        Some(d) => e.with_help(d),
                        None => e,
                    };
                    Err(e.with_help(format!("its columns are: {}", names.join(", "))).with_help(
                        "a stage sees only the columns the stage before it made: add it to that `select`",
                    ))
                }
                None => Err(resolve_err(
                    "peelql::resolve::unknown_column",
                    format!("there is no column `{}` here", id.name),
                    id.span,
                    "unknown column",
                )
                .with_help(format!("the columns are: {}", t.columns.join(", ")))),
            };
        }
        let kind = self.kind.unwrap_or(SourceKind::Forces);
        if let Some(info) = columns::find(kind, &id.name) {
            if info.col.is_engage() && self.as_of.is_some() {
                return Ok((RExpr::Engage(info.col, self.as_of.clone()), info.ty));
            }
            return Ok((RExpr::Col(info.col), info.ty));
        }
        let key = id.key();
        if kind == SourceKind::Monitoring && (key == "entered" || key == "left") {
            // the words of the moves, as grade words are grades
            return Ok((RExpr::Const(Value::Text(key)), Ty::Text));
        }
        if key == "area" && kind.has_inspection() {
            return Err(resolve_err(
                "peelql::resolve::unknown_column",
                format!("`area` on its own is not a column of {}", super::kinds::source_word(self.ds, kind)),
                id.span,
                "which area?",
            )
            .with_help(
                "use `area(\"responding\")` for one area's grade, or `any area = inadequate` for all of them",
            ));
        }
        if key == "grade" && kind.has_inspection() {
            return Err(resolve_err(
                "peelql::resolve::unknown_column",
                format!(
                    "rows of {} have a grade per area, not one `grade`",
                    super::kinds::source_word(self.ds, kind)
                ),
                id.span,
                "which area's grade?",
            )
            .with_help("use `area(\"responding\") = good` for one area, or `any area = good` for all of them")
            .with_help("or query `grades`, which has one row per graded area"));
        }
        if Grade::parse(&key).is_none() {
            if let Some(g) = suggest(&key, Grade::ALL.iter().map(|g| g.name())).first() {
                return Err(resolve_err(
                    "peelql::resolve::unknown_grade",
                    format!("`{}` is not a grade or a column", id.name),
                    id.span,
                    "not a grade",
                )
                .with_help(format!("did you mean `{g}`?")));
            }
        }
        let names: Vec<&str> = columns::of(kind).iter().map(|c| c.names[0]).collect();
        let mut all: Vec<&str> = columns::of(kind).iter().flat_map(|c| c.names.iter().copied()).collect();
        all.extend(FUNCTIONS);
        let columns =
            format!("the columns of {} are: {}", super::kinds::source_word(self.ds, kind), names.join(", "));
        if let Some(d) = did_you_mean(&suggest(&id.name, all)) {
            return Err(resolve_err(
                "peelql::resolve::unknown_column",
                format!("{} has no column `{}`", super::kinds::source_word(self.ds, kind), id.name),
                id.span,
                "unknown column",
            )
            .with_help(d)
            .with_help(columns));
        }
        Err(self.unknown_word(id, kind, columns))
    }

    /// A word that is no column of the source and is close to none: what
    /// it is most likely to be decides the help. A column of another
    /// source says so; a word for a grade lists the grades; a force's or
    /// region's name is text that needs quotes; anything else lists the
    /// source's columns.
    fn unknown_word(&self, id: &Ident, kind: SourceKind, columns: String) -> Error {
        let key = id.key();
        let elsewhere: Vec<&str> = SourceKind::ALL
            .into_iter()
            .filter(|k| *k != kind && columns::find(*k, &id.name).is_some())
            .map(SourceKind::name)
            .collect();
        if let Some(first) = elsewhere.first() {
            return resolve_err(
                "peelql::resolve::unknown_column",
                format!(
                    "`{}` is a column of {}, not of {}",
                    id.name,
                    and_list(&elsewhere),
                    super::kinds::source_word(self.ds, kind)
                ),
                id.span,
                format!("not a column of {}", super::kinds::source_word(self.ds, kind)),
            )
            .with_help(format!("query {first} for it: `{first} select …, {}`", id.name))
            .with_help(columns);
        }
        if GRADE_LIKE.contains(&key.as_str()) {
            let grades: Vec<&str> = Grade::ALL.iter().rev().map(|g| g.name()).collect();
            return resolve_err(
                "peelql::resolve::unknown_grade",
                format!("`{}` is not a grade", id.name),
                id.span,
                "not a grade",
            )
            .with_help(format!(
                "the grades are: {} (four-tier programmes have no adequate)",
                grades.join(", ")
            ));
        }
        let cat = &self.ds.catalog;
        let place =
            cat.find_force(&id.name).map(|f| format!("the force {}", cat.force(f).name)).ok().or_else(|| {
                cat.forces
                    .iter()
                    .find(|f| f.region.eq_ignore_ascii_case(&id.name))
                    .map(|f| format!("the region {}", f.region))
            });
        match place {
            Some(what) => resolve_err(
                "peelql::resolve::unknown_column",
                format!(
                    "`{}` is not a column of {}; as {what}, it is text and needs quotes",
                    id.name,
                    super::kinds::source_word(self.ds, kind)
                ),
                id.span,
                format!("write \"{}\"", id.name),
            )
            .with_help(format!("write \"{0}\" for the text {0}", id.name)),
            None => resolve_err(
                "peelql::resolve::unknown_column",
                format!("{} has no column `{}`", super::kinds::source_word(self.ds, kind), id.name),
                id.span,
                "unknown column",
            )
            .with_help(columns)
            .with_help(format!("if `{0}` is text, put it in quotes: \"{0}\"", id.name)),
        }
    }

    // ---- output, grouping, order, limit -------------------------------------

    pub(super) fn header(&self, e: &Expr, re: &RExpr) -> String {
        match re {
            RExpr::Col(c) | RExpr::Engage(c, _) => {
                columns::header(self.kind.unwrap_or(SourceKind::Forces), *c).to_string()
            }
            RExpr::DerivedCol(i) => {
                self.table.as_ref().map_or_else(String::new, |t| t.rows.columns[*i].clone())
            }
            RExpr::AreaGrade(m) => match m.areas.last() {
                Some((_, a)) => self.ds.catalog.area(*a).name.clone(),
                None => e.span.text(self.src).unwrap_or("area").to_string(),
            },
            RExpr::Agg(i) if self.aggregates[*i].func == AggFunc::CountRows => "count".to_string(),
            _ => e.span.text(self.src).unwrap_or("?").split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }

    pub(super) fn default_output(&self) -> Output {
        if let Some(t) = &self.table {
            return Output::Columns(
                t.rows
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| OutputColumn { name: c.clone(), expr: RExpr::DerivedCol(i) })
                    .collect(),
            );
        }
        let kind = self.kind.unwrap_or(SourceKind::Forces);
        if kind == SourceKind::Forces {
            return Output::ForcesDefault;
        }
        Output::Columns(
            columns::defaults(kind)
                .iter()
                .map(|c| OutputColumn { name: columns::header(kind, *c).to_string(), expr: RExpr::Col(*c) })
                .collect(),
        )
    }

    /// Rewrites an output expression of a grouped query: group keys become
    /// [`RExpr::GroupKey`]; anything else that depends on a single row is
    /// an error.
    pub(super) fn to_grouped(&self, e: RExpr, keys: &[RExpr], span: Span) -> Result<RExpr> {
        if let Some(i) = keys.iter().position(|k| *k == e) {
            return Ok(RExpr::GroupKey(i));
        }
        let rec = |x: Box<RExpr>| self.to_grouped(*x, keys, span).map(Box::new);
        Ok(match e {
            RExpr::Const(_) | RExpr::Agg(_) | RExpr::GroupKey(_) => e,
            RExpr::Not(x) => RExpr::Not(rec(x)?),
            RExpr::And(a, b) => RExpr::And(rec(a)?, rec(b)?),
            RExpr::Or(a, b) => RExpr::Or(rec(a)?, rec(b)?),
            RExpr::Cmp(op, a, b) => RExpr::Cmp(op, rec(a)?, rec(b)?),
            RExpr::IsNull(x, n) => RExpr::IsNull(rec(x)?, n),
            RExpr::Year(x) => RExpr::Year(rec(x)?),
            RExpr::Neg(x) => RExpr::Neg(rec(x)?),
            RExpr::Round(x, n) => RExpr::Round(rec(x)?, n),
            RExpr::Arith(op, a, b, s) => RExpr::Arith(op, rec(a)?, rec(b)?, s),
            RExpr::InList(x, list, n) => RExpr::InList(
                rec(x)?,
                list.into_iter().map(|i| self.to_grouped(i, keys, span)).collect::<Result<_>>()?,
                n,
            ),
            other => {
                let text = span.text(self.src).unwrap_or("this");
                let aggregate = match self.rough_ty(&other) {
                    Ty::Number => format!("`sum({text})`, `avg({text})` or `max({text})`"),
                    Ty::Grade => format!("`avg({text})`, `min({text})` or `max({text})`"),
                    Ty::Date => format!("`min({text})` or `max({text})`"),
                    Ty::Bool => format!("`count({text})`"),
                    Ty::Text | Ty::Any => format!("`min({text})`"),
                };
                if keys.is_empty() {
                    // `select name, count()`: the aggregate made the whole
                    // source one group
                    return Err(type_err(
                        "peelql::type::not_grouped",
                        format!(
                            "`{text}` has one value per row, but an aggregate makes all the rows one group"
                        ),
                        span,
                        "one value per row",
                    )
                    .with_help(format!("to count per `{text}`, add `group by {text}`"))
                    .with_help(format!("or aggregate it too, e.g. {aggregate}")));
                }
                return Err(type_err(
                    "peelql::type::not_grouped",
                    format!("`{text}` has one value per row, but the rows are grouped"),
                    span,
                    "neither grouped nor aggregated",
                )
                .with_help(format!("add it to `group by`, or aggregate it, e.g. {aggregate}")));
            }
        })
    }

    /// The type of a resolved expression, as far as messages need it.
    pub(super) fn rough_ty(&self, e: &RExpr) -> Ty {
        match e {
            RExpr::Const(v) => value_ty(v),
            RExpr::Col(c) | RExpr::Engage(c, _) => columns::type_of(*c),
            RExpr::DerivedCol(i) => self
                .table
                .as_ref()
                .and_then(|t| t.origins.get(*i).copied().flatten())
                .map_or(Ty::Any, columns::type_of),
            RExpr::AreaGrade(_) | RExpr::EachArea | RExpr::Previous(Prev::Area(_) | Prev::RowGrade) => {
                Ty::Grade
            }
            RExpr::Previous(Prev::Score)
            | RExpr::Change(_)
            | RExpr::Year(_)
            | RExpr::Arith(..)
            | RExpr::Neg(_)
            | RExpr::Round(..) => Ty::Number,
            RExpr::Quant(Quantifier::Count, _) => Ty::Number,
            RExpr::Quant(..)
            | RExpr::AreaIs(_)
            | RExpr::Not(_)
            | RExpr::And(..)
            | RExpr::Or(..)
            | RExpr::Cmp(..)
            | RExpr::InList(..)
            | RExpr::IsNull(..) => Ty::Bool,
            RExpr::Agg(_) | RExpr::GroupKey(_) => Ty::Any,
            RExpr::Window(i) => self.windows.get(*i).map_or(Ty::Any, |w| w.ty),
        }
    }
}

pub(super) fn unreachable_lookup<T>(span: Span) -> Result<T> {
    Err(resolve_err("peelql::resolve::internal", "programme lookup failed", span, "here"))
}

fn literal(lit: &Literal) -> (RExpr, Ty) {
    let v = match lit {
        Literal::Str(s) => Value::Text(s.clone()),
        Literal::Int(i) => Value::Int(*i),
        Literal::Decimal(f) => Value::Decimal(Decimal::new(*f, decimal_places(*f))),
        Literal::Date(d) => Value::Date(*d),
        Literal::Grade(g) => Value::Grade(*g),
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Null => Value::Null,
    };
    let ty = value_ty(&v);
    (RExpr::Const(v), ty)
}

fn decimal_places(f: f64) -> u8 {
    let s = f.to_string();
    s.split('.').nth(1).map_or(0, |d| d.len().min(6) as u8)
}

/// "a number", "a grade", "text": a value's type with its article.
pub(super) fn a_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Text(_) => "text",
        other => value_ty(other).name(),
    }
}

pub(super) fn value_ty(v: &Value) -> Ty {
    match v {
        Value::Null => Ty::Any,
        Value::Bool(_) => Ty::Bool,
        Value::Int(_) | Value::Decimal(_) => Ty::Number,
        Value::Text(_) => Ty::Text,
        Value::Date(_) => Ty::Date,
        Value::Grade(_) => Ty::Grade,
    }
}
