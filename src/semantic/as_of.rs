//! `as of <date>, …`: the dates a force's `engage…` columns answer for.
//!
//! Each date is any expression of the row that is a date — a date
//! literal, a parameter, `published` — resolved once here; the columns
//! then carry them ([`RExpr::Engage`]). With several dates each force row
//! is repeated per date (`Resolved::as_of`), so only sources with one row
//! per force and inspection take more than one.

use super::columns::Ty;
use super::resolve::{Resolver, resolve_err, type_err};
use super::{RExpr, SourceKind};
use crate::error::{Error, Result};
use crate::syntax::{Clause, Expr, ExprKind, Literal};
use crate::value::{Date, Value};
use crate::warning::Warning;
use std::cmp::Ordering;
use std::sync::Arc;

/// Most dates one `as of` takes (each repeats every force row).
const MOST_DATES: usize = 1000;

impl Resolver<'_> {
    /// Resolves the `as of` clause of a query over `kind`.
    pub(super) fn as_of_clause(&mut self, c: &Clause<Vec<Expr>>, kind: Option<SourceKind>) -> Result<()> {
        self.kind = kind;
        let Some(kind) = kind.filter(|k| k.has_inspection()) else {
            let what = kind.map_or("a `let` table's", SourceKind::name);
            let e = resolve_err(
                "peelql::resolve::as_of_source",
                format!(
                    "`as of` sets the date a force's `engage…` columns answer for, and {what} rows have none"
                ),
                c.keyword,
                "not on these rows",
            );
            return Err(match kind {
                Some(SourceKind::Monitoring) => {
                    e.with_help("a move has its own `date`: `monitoring where date <= 2022-06-30`")
                }
                _ => e.with_help(
                    "use it on forces, inspections or grades: `forces as of 2022-06-30 where engage`",
                ),
            });
        };
        if c.body.len() > 1 && kind == SourceKind::Grades || c.body.len() > MOST_DATES {
            let message = if c.body.len() > MOST_DATES {
                format!("`as of` takes at most {MOST_DATES} dates")
            } else {
                "several `as of` dates repeat each force's row, and `grades` has a row per grade".to_owned()
            };
            return Err(resolve_err(
                "peelql::resolve::as_of_dates",
                message,
                c.keyword,
                "too many dates here",
            )
            .with_help(
                "ask `forces` or `inspections` for several dates: `forces as of 2019-12-31, 2020-12-31 …`",
            ));
        }
        let mut errors = Vec::new();
        let mut dates = Vec::new();
        for e in &c.body {
            match self.expr(e, false) {
                Ok((re, Ty::Date | Ty::Any)) => dates.push((re, e)),
                // a date in quotes, or a parameter given as text (JSON lines): the date it spells
                Ok((RExpr::Const(Value::Text(t)), Ty::Text)) if Date::parse(&t).is_some() => {
                    let date = Date::parse(&t).map_or(Value::Null, Value::Date);
                    dates.push((RExpr::Const(date), e));
                }
                Ok((_, ty)) => errors.push(not_a_date(e, ty)),
                Err(err) => errors.push(err),
            }
        }
        if let Some(e) = Error::combine(errors) {
            return Err(e);
        }
        if let Some(end) = self.ds.monitoring().end() {
            for (re, e) in &dates {
                if let RExpr::Const(Value::Date(d)) = re {
                    if d.cmp_at_common_precision(&end) == Ordering::Greater {
                        self.warn(
                            Warning::new(
                                "peelql::warning::as_of_after_record",
                                format!(
                                    "the record of moves into and out of Engage ends on {end} (its latest \
                                     dated move): as of {d} is as of then, with no later move recorded"
                                ),
                            )
                            .with_span(e.span, "after the record's end"),
                        );
                    }
                }
            }
        }
        let written: Vec<&str> = c.body.iter().filter_map(|e| e.span.text(self.src)).collect();
        self.notes.push(format!("engage… columns as of {}", written.join(", ")));
        self.as_of = Some(Arc::new(dates.into_iter().map(|(re, _)| re).collect()));
        Ok(())
    }
}

/// An `as of` that is not a date, with the date it may have meant.
fn not_a_date(e: &Expr, ty: Ty) -> Error {
    let err = type_err(
        "peelql::type::as_of_not_a_date",
        format!("`as of` takes a date, found {}", ty.name()),
        e.span,
        "not a date",
    );
    match &e.kind {
        ExprKind::Literal(Literal::Int(y)) if (1000..=9999).contains(y) => {
            err.with_help(format!("`{y}` is a number; the end of {y} is `as of {y}-12-31`"))
        }
        _ => err.with_help(
            "write a date (`as of 2024-03-31`, a month `as of 2024-03`) or a date column (`as of published`)",
        ),
    }
}
