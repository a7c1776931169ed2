//! Subqueries: `x in (<query>)`, `x not in (<query>)`, `x in (t)` over a
//! `let` name, and `(<query>)` as one value.
//!
//! A subquery does not refer to the row of the query around it, so it is
//! resolved and run once, here, and its values become constants: a list
//! for `in`, one value otherwise. Its one column is a rule; nulls are left
//! out of an `in` list (so `not in` is never emptied by a missing value,
//! as it is in SQL); a single value from no rows is null, with a warning;
//! from several rows, an error. A subquery without `in <programme>` reads
//! the programmes the query around it chose (`forces in peel 2021-22 where
//! score > (forces select avg(score))` compares with 2021-22's average).

use super::RExpr;
use super::columns::{self, Ty};
use super::resolve::{Resolver, type_err, value_ty};
use super::stages::resolve_within;
use crate::error::Result;
use crate::syntax::{Expr, Ident, Query, Span};
use crate::value::Value;
use crate::warning::Warning;

impl Resolver<'_> {
    /// Runs `q` now and gives its one column's values and their type.
    fn subquery_values(&mut self, q: &Query, span: Span, used_as: &str) -> Result<(Vec<Value>, Ty)> {
        let r = resolve_within(self.ds, self.src, q, self.params, self.bindings, self.scope.clone())?;
        let out = crate::exec::run(self.ds, &r);
        let cols = &out.rows.columns;
        if cols.len() != 1 {
            let first = cols.first().map_or("name", String::as_str);
            return Err(type_err(
                "peelql::type::subquery_columns",
                format!(
                    "a subquery {used_as} gives one column, and this one gives {}: {}",
                    cols.len(),
                    cols.join(", ")
                ),
                span,
                format!("{} columns", cols.len()),
            )
            .with_help(format!("select the one column wanted, e.g. `… select {first}`")));
        }
        for w in out.rows.warnings {
            self.warn(w);
        }
        let values: Vec<Value> = out.rows.rows.into_iter().filter_map(|mut r| r.pop()).collect();
        let ty = match out.origins.first().copied().flatten() {
            Some(c) => columns::type_of(c),
            None => values.iter().find(|v| !v.is_null()).map_or(Ty::Any, value_ty),
        };
        Ok((values, ty))
    }

    /// Notes for `explain` what a subquery gave: its row count, and the
    /// value of one used as a value.
    fn note_subquery(&mut self, q: &Query, rows: usize, value: Option<&Value>) {
        let text = q.span.text(self.src).unwrap_or("…").split_whitespace().collect::<Vec<_>>().join(" ");
        let what = match value {
            Some(v) if !v.is_null() => format!("{rows} row{}: {v}", if rows == 1 { "" } else { "s" }),
            Some(_) => format!("{rows} row{}: null", if rows == 1 { "" } else { "s" }),
            None => format!("{rows} row{}", if rows == 1 { "" } else { "s" }),
        };
        self.notes.push(format!("subquery ({text}) → {what}"));
    }

    /// `x [not] in (<query>)`: the query's values as the list.
    pub(super) fn in_query(
        &mut self,
        x: &Expr,
        q: &Query,
        negated: bool,
        span: Span,
        allow_agg: bool,
    ) -> Result<(RExpr, Ty)> {
        let (l, lty) = self.expr(x, allow_agg)?;
        let (values, ty) = self.subquery_values(q, q.span, "in `in (…)`")?;
        self.note_subquery(q, values.len(), None);
        if !lty.compares_with(ty) {
            let text = x.span.text(self.src).unwrap_or("this");
            return Err(type_err(
                "peelql::type::mismatch",
                format!("`{text}` is {}, and the subquery gives {}", lty.name(), ty.name()),
                span,
                format!("{} against {}", lty.name(), ty.name()),
            ));
        }
        let mut seen: Vec<String> = Vec::new();
        let mut items = Vec::new();
        for v in values.into_iter().filter(|v| !v.is_null()) {
            let key = v.to_string().to_lowercase();
            if let Err(at) = seen.binary_search(&key) {
                seen.insert(at, key);
                items.push(RExpr::Const(v));
            }
        }
        Ok((RExpr::InList(Box::new(l), items, negated), Ty::Bool))
    }

    /// `x [not] in (t)` with `t` a `let` name (and not a column): the
    /// table's one column as the list.
    pub(super) fn in_binding(
        &mut self,
        x: &Expr,
        name: &Ident,
        negated: bool,
        span: Span,
        allow_agg: bool,
    ) -> Result<(RExpr, Ty)> {
        let q = Query {
            source: name.clone(),
            programme: None,
            as_of: None,
            filter: None,
            group_by: None,
            select: None,
            distinct: None,
            order_by: None,
            limit: None,
            then: Vec::new(),
            span: name.span,
        };
        self.in_query(x, &q, negated, span, allow_agg)
    }

    /// `(<query>)` as a value.
    pub(super) fn scalar_subquery(&mut self, q: &Query, span: Span) -> Result<(RExpr, Ty)> {
        let (mut values, ty) = self.subquery_values(q, span, "used as a value")?;
        let found = values.len();
        let value = match found {
            0 => Value::Null,
            1 => values.pop().unwrap_or(Value::Null),
            n => {
                return Err(type_err(
                    "peelql::type::subquery_rows",
                    format!("a subquery used as a value gives one row, and this one gives {n}"),
                    span,
                    format!("{n} rows"),
                )
                .with_help("aggregate it to one row, e.g. `(forces select avg(score))`")
                .with_help("or test against all its rows with `in (…)`"));
            }
        };
        self.note_subquery(q, found, Some(&value));
        if value.is_null() {
            let why = if found == 0 { "found no rows" } else { "gave null" };
            self.warn(
                Warning::new(
                    "peelql::warning::empty_subquery",
                    format!("the subquery {why}: its value is null"),
                )
                .with_span(span, "null")
                .with_help("anything compared with null is unknown, so no row passes such a test"),
            );
        }
        Ok((RExpr::Const(value), ty))
    }

    /// True when `id` is a `let` name and not a column of the rows read.
    pub(super) fn names_binding_only(&self, id: &Ident) -> bool {
        if !self.bindings.0.contains_key(&id.key()) {
            return false;
        }
        !self.names_column(id)
    }

    /// `x in (grades)`: a source alone is not a subquery (it would be a
    /// column); the error says how to write one.
    pub(super) fn not_a_bare_source(&self, id: &Ident) -> Result<()> {
        let Some(kind) = super::SourceKind::from_name(&id.name) else { return Ok(()) };
        if self.names_column(id) {
            return Ok(());
        }
        let here = self.kind.map_or("these rows", |k| k.name());
        let one = columns::header(kind, columns::defaults(kind)[0]);
        Err(super::resolve::resolve_err(
            "peelql::resolve::unknown_column",
            format!("{here} has no column `{}`", id.name),
            id.span,
            "a source, not a column",
        )
        .with_help(format!("a subquery says which column it gives: `in ({} select {one})`", kind.name())))
    }

    fn names_column(&self, id: &Ident) -> bool {
        match &self.table {
            Some(t) => t.rows.column_index(&id.name).is_some(),
            None => columns::find(self.kind.unwrap_or(super::SourceKind::Forces), &id.name).is_some(),
        }
    }
}
