//! Function calls: `area("…")` and its resolution, `previous()`,
//! `change()`, `year()`, and the aggregates.

use super::columns::Ty;
use super::resolve::{FUNCTIONS, Resolver, a_type, resolve_err, type_err};
use super::{AggFunc, Aggregate, Prev, RExpr, SourceKind};
use crate::catalog::lookup::{AreaMatch, AreaMatchKind, LookupError};
use crate::error::Result;
use crate::suggest::did_you_mean_or_list;
use crate::syntax::{Expr, ExprKind, Ident, Literal, Span};
use crate::value::Value;
use std::sync::Arc;

impl Resolver<'_> {
    pub(super) fn call(
        &mut self,
        name: &Ident,
        args: &[Expr],
        span: Span,
        allow_agg: bool,
    ) -> Result<(RExpr, Ty)> {
        let key = name.key();
        match key.as_str() {
            "area" => {
                let m = self.area_match(name, args, span)?;
                Ok((RExpr::AreaGrade(m), Ty::Grade))
            }
            "previous" | "change" => {
                self.arity(name, args, 1, span)?;
                let arg = &args[0];
                let (target, ty) = match &arg.kind {
                    ExprKind::Call { name: inner, args: inner_args } if inner.key() == "area" => {
                        (Prev::Area(self.area_match(inner, inner_args, arg.span)?), Ty::Grade)
                    }
                    ExprKind::Column(c) if c.key() == "grade" && self.kind == Some(SourceKind::Grades) => {
                        (Prev::RowGrade, Ty::Grade)
                    }
                    ExprKind::Column(c)
                        if c.key() == "score" && self.kind.is_some_and(SourceKind::has_inspection) =>
                    {
                        (Prev::Score, Ty::Number)
                    }
                    _ => {
                        return Err(type_err(
                            "peelql::type::wrong_arguments",
                            format!(
                                "`{key}()` looks back at an area's grade, a grade row's `grade` or `score`"
                            ),
                            arg.span,
                            "not something with a history",
                        )
                        .with_help(format!("for example `{key}(area(\"responding\"))`")));
                    }
                };
                self.warn_merged_history(&target, span);
                if key == "previous" {
                    Ok((RExpr::Previous(target), ty))
                } else {
                    Ok((RExpr::Change(target), Ty::Number))
                }
            }
            "year" => {
                self.arity(name, args, 1, span)?;
                let (a, ty) = self.expr(&args[0], allow_agg)?;
                if !Ty::Date.compares_with(ty) {
                    return Err(type_err(
                        "peelql::type::mismatch",
                        format!("`year()` takes a date, not {}", ty.name()),
                        args[0].span,
                        "not a date",
                    ));
                }
                Ok((RExpr::Year(Box::new(a)), Ty::Number))
            }
            "round" => self.round(name, args, span, allow_agg),
            "count" | "sum" | "min" | "max" | "avg" | "percent" => {
                if let Some(outer) = self.in_aggregate {
                    return Err(self.aggregate_of_aggregate(&key, outer, span));
                }
                if !allow_agg {
                    // `where score > avg(score)`: the row against the whole is a window
                    let usual = if key == "count" {
                        "to count areas of one inspection use `count(area = inadequate)`; to count rows use `group by … select …, count()`".to_string()
                    } else {
                        format!(
                            "use it in `select` with `group by`, e.g. `grades group by force select force, {key}(grade)`"
                        )
                    };
                    let err = type_err(
                        "peelql::type::aggregate_here",
                        format!(
                            "`{key}()` combines many rows, so it belongs in `select` (or in `order by` with `group by`)"
                        ),
                        span,
                        "an aggregate",
                    );
                    // `where score > avg(score)`: the row against the whole is a window
                    if self.window_phase == Some(true) && key != "count" {
                        let text = span.text(self.src).unwrap_or("avg(score)");
                        return Err(err
                            .with_help(format!(
                                "to compare each row with all the rows, write `{text} overall`; with its group, `{text} per region`"
                            ))
                            .with_help(usual));
                    }
                    return Err(err.with_help(usual));
                }
                let (a, ty) = self.aggregate_call(name, args, span)?;
                let slot = self.aggregate(a);
                Ok((RExpr::Agg(slot), ty))
            }
            _ => {
                let e = resolve_err(
                    "peelql::resolve::unknown_function",
                    format!("there is no function `{}`", name.name),
                    name.span,
                    "unknown function",
                );
                Err(e.with_help(did_you_mean_or_list(&name.name, FUNCTIONS, "the functions are")))
            }
        }
    }

    pub(super) fn arity(&self, name: &Ident, args: &[Expr], n: usize, span: Span) -> Result<()> {
        if args.len() == n {
            return Ok(());
        }
        Err(type_err(
            "peelql::type::wrong_arguments",
            format!(
                "`{}()` takes {n} argument{}, not {}",
                name.key(),
                if n == 1 { "" } else { "s" },
                args.len()
            ),
            span,
            "wrong number of arguments",
        ))
    }

    /// An aggregate call's function and argument, and the type it gives.
    /// Its argument may hold no aggregate and no window.
    pub(super) fn aggregate_call(
        &mut self,
        name: &Ident,
        args: &[Expr],
        span: Span,
    ) -> Result<(Aggregate, Ty)> {
        let key = name.key();
        let saved = (self.in_aggregate, self.window_phase.take());
        self.in_aggregate = Some(match key.as_str() {
            "count" => "count",
            "sum" => "sum",
            "min" => "min",
            "max" => "max",
            "percent" => "percent",
            _ => "avg",
        });
        let found = self.aggregate_parts(&key, name, args, span);
        (self.in_aggregate, self.window_phase) = saved;
        found
    }

    fn aggregate_parts(
        &mut self,
        key: &str,
        name: &Ident,
        args: &[Expr],
        span: Span,
    ) -> Result<(Aggregate, Ty)> {
        let func = match key {
            "count" if args.is_empty() => AggFunc::CountRows,
            "count" => AggFunc::Count,
            "sum" => AggFunc::Sum,
            "min" => AggFunc::Min,
            "max" => AggFunc::Max,
            "percent" => AggFunc::Percent,
            _ => AggFunc::Avg,
        };
        if func != AggFunc::CountRows {
            self.arity(name, args, 1, span)?;
        }
        let (arg, ty) = match args.first() {
            Some(a) if func == AggFunc::Percent => (Some(self.condition(a, false)?), Ty::Bool),
            Some(a) => {
                let (ra, ty) = self.expr(a, false)?;
                if func == AggFunc::Avg && !matches!(ty, Ty::Number | Ty::Grade | Ty::Any) {
                    return Err(type_err(
                        "peelql::type::mismatch",
                        format!("`avg()` averages numbers or grades, not {}", ty.name()),
                        a.span,
                        "cannot be averaged",
                    ));
                }
                if func == AggFunc::Sum && !matches!(ty, Ty::Number | Ty::Any) {
                    return Err(type_err(
                        "peelql::type::mismatch",
                        format!("`sum()` adds numbers, not {}", ty.name()),
                        a.span,
                        "cannot be added up",
                    )
                    .with_help(
                        "to count rows that pass a test use `count(…)`; to average grades use `avg(grade)`",
                    ));
                }
                (Some(ra), ty)
            }
            None => (None, Ty::Number),
        };
        let out_ty = match func {
            AggFunc::CountRows | AggFunc::Count | AggFunc::Sum | AggFunc::Avg | AggFunc::Percent => {
                Ty::Number
            }
            AggFunc::Min | AggFunc::Max => ty,
        };
        Ok((Aggregate { func, arg }, out_ty))
    }

    /// `avg(count())`: an aggregate inside another (or inside `rank(…)`).
    pub(super) fn aggregate_of_aggregate(&self, key: &str, outer: &str, span: Span) -> crate::Error {
        let help = if outer == "rank" {
            format!(
                "compute it in one stage and rank in the next: `grades group by force select force, {key}() as n then select force, n, rank(n desc)`"
            )
        } else {
            format!(
                "aggregate in one stage, then again in a stage after it: `grades group by force select force, {key}() as n then select {outer}(n)`"
            )
        };
        type_err(
            "peelql::type::aggregate_of_aggregate",
            format!("`{key}()` inside `{outer}(…)`: an aggregate of an aggregate needs a stage of its own"),
            span,
            "an aggregate inside an aggregate",
        )
        .with_help(help)
    }

    pub(super) fn aggregate(&mut self, a: Aggregate) -> usize {
        if let Some(i) = self.aggregates.iter().position(|x| *x == a) {
            return i;
        }
        self.aggregates.push(a);
        self.aggregates.len() - 1
    }

    pub(super) fn need_inspection(&self, span: Span, what: &str) -> Result<()> {
        match self.kind {
            Some(k) if k.has_inspection() => Ok(()),
            other => {
                let source = other.map_or("a derived table", SourceKind::name);
                Err(resolve_err(
                    "peelql::resolve::not_here",
                    format!(
                        "{what} need{} an inspection, and rows of {source} have none",
                        if what.contains(" and ") { "" } else { "s" }
                    ),
                    span,
                    format!("not available on {source}"),
                )
                .with_help("use them on `forces`, `inspections` or `grades`"))
            }
        }
    }

    // ---- areas ---------------------------------------------------------------

    pub(super) fn area_match(&mut self, name: &Ident, args: &[Expr], span: Span) -> Result<Arc<AreaMatch>> {
        self.need_inspection(name.span, "`area(…)`")?;
        self.arity(name, args, 1, span).map_err(|e| {
            e.with_help(
                "name one area, e.g. `area(\"responding\")`; to test several, join them with `and` or `or`",
            )
        })?;
        self.area_from_literal(&args[0])
    }

    pub(super) fn area_from_literal(&mut self, arg: &Expr) -> Result<Arc<AreaMatch>> {
        let text = match &arg.kind {
            ExprKind::Literal(Literal::Str(s)) => s.clone(),
            ExprKind::Param(p) => match self.params.0.get(&p.name) {
                Some(Value::Text(s)) => s.clone(),
                // `--param area=999` arrives as a number; "999" names an area
                Some(Value::Int(i)) => i.to_string(),
                Some(other) => {
                    return Err(type_err(
                        "peelql::type::mismatch",
                        format!("`${}` is {}, but an area is named by text", p.name, a_type(other)),
                        arg.span,
                        "expected text",
                    ));
                }
                None => return Err(self.unknown_param(&p.name, p.span)),
            },
            _ => {
                return Err(type_err(
                    "peelql::type::wrong_arguments",
                    "`area()` takes the area's name or a word for it, in quotes",
                    arg.span,
                    "expected a string",
                )
                .with_help("for example `area(\"sex offenders\")` or `area(\"responding\")`"));
            }
        };
        let cat = &self.ds.catalog;
        match cat.resolve_area(&text, &self.programmes) {
            Ok(m) => {
                let how = match &m.how {
                    AreaMatchKind::ExactName => "its name".to_string(),
                    AreaMatchKind::Alias(a) => match m.theme {
                        Some(t) => format!("alias {a:?} of theme `{}`", cat.theme(t).key),
                        None => format!("alias {a:?}"),
                    },
                    AreaMatchKind::Substring => "a unique match in names and questions".to_string(),
                };
                let found: Vec<String> = m.areas.iter().map(|(_, a)| cat.describe_area(*a)).collect();
                self.notes.push(format!("area({text:?}) → {} (by {how})", found.join("; ")));
                Ok(Arc::new(m))
            }
            Err(LookupError::NotFound { suggestions }) => {
                let scope: Vec<String> =
                    self.programmes.iter().map(|p| cat.programme(*p).name.clone()).collect();
                // "did you mean `sex offenders` (Managing offenders)?"
                let mut described: Vec<String> = Vec::new();
                let mut seen: Vec<String> = Vec::new();
                for s in &suggestions {
                    match cat.resolve_area(s, &self.programmes) {
                        Ok(m) => {
                            let mut names: Vec<&str> =
                                m.areas.iter().map(|(_, a)| cat.area(*a).name.as_str()).collect();
                            names.dedup();
                            let names = names.join(" / ");
                            if !seen.contains(&names) {
                                described.push(format!("`{s}` ({names})"));
                                seen.push(names);
                            }
                        }
                        Err(_) => described.push(format!("`{s}`")),
                    }
                }
                let help = match described.as_slice() {
                    [] => {
                        "try a word from an area's name, e.g. area(\"responding\"), or list them with `areas`"
                            .to_string()
                    }
                    [one] => format!("did you mean {one}?"),
                    [init @ .., last] => format!("did you mean {} or {last}?", init.join(", ")),
                };
                if let Some(e) = self.area_of_other_kind(&text, arg.span, &help) {
                    return Err(e);
                }
                Err(resolve_err(
                    "peelql::resolve::unknown_area",
                    format!("no area matches {text:?} in {}", scope.join(", ")),
                    arg.span,
                    "unknown area",
                )
                .with_help(help))
            }
            Err(LookupError::Ambiguous { candidates }) => {
                // one line per area name, with every programme it is in
                let mut lines: Vec<(String, Vec<String>)> = Vec::new();
                for c in &candidates {
                    let (name, programme) = match c.rsplit_once(" (") {
                        Some((n, p)) => (n.to_string(), p.trim_end_matches(')').to_string()),
                        None => (c.clone(), String::new()),
                    };
                    match lines.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, ps)) => ps.push(programme),
                        None => lines.push((name, vec![programme])),
                    }
                }
                // the label counts the lines the help lists
                let label = if lines.len() == candidates.len() {
                    format!("{} areas match", lines.len())
                } else {
                    format!(
                        "{} areas match ({} counting each programme's own)",
                        lines.len(),
                        candidates.len()
                    )
                };
                let mut e = resolve_err(
                    "peelql::resolve::ambiguous_area",
                    format!("{text:?} matches more than one area"),
                    arg.span,
                    label,
                )
                .with_help("say which one:");
                for (name, programmes) in lines {
                    e = e.with_help(format!("  area({name:?})  in {}", programmes.join(", ")));
                }
                Err(e)
            }
            Err(LookupError::NotInScope { theme, elsewhere }) => Err(resolve_err(
                "peelql::resolve::area_not_in_scope",
                format!("{text:?} means {theme}, which no programme in scope graded"),
                arg.span,
                "not graded in these programmes",
            )
            .with_help(match elsewhere.as_slice() {
                [one] => format!("it was graded only in {one}: add `in \"{one}\"`"),
                _ => format!(
                    "it was graded in {}: name one with `in \"…\"`, or use `in all`",
                    elsewhere.join(", ")
                ),
            })),
        }
    }
}
