//! What is legal but suspicious, found while resolving: comparisons of two
//! constants, a `where` that is the same for every row, and the `every
//! area …` tests to watch while the query runs. Each gives a [`Warning`]
//! (codes `peelql::warning::…`, listed in `grammar/ERRORS.md`); the query
//! still runs and its answer is exactly what it says.
//!
//! Only constants written in the query count: a comparison with a `$name`
//! parameter is constant for one run by design (`$all = "yes" or region =
//! $region` is a script's optional filter), so it gives no warning.

use super::resolve::Resolver;
use super::{RExpr, RowRef, Watch};
use crate::exec::eval::{Ctx, eval};
use crate::syntax::{BinOp, Expr, ExprKind, Literal, Quantifier, Span};
use crate::value::Value;
use crate::warning::Warning;

/// True when `e` is the same for every row: constants, and operators over
/// constants only.
pub(super) fn is_constant(e: &RExpr) -> bool {
    match e {
        RExpr::Const(_) => true,
        RExpr::Not(x) | RExpr::Year(x) | RExpr::IsNull(x, _) | RExpr::Neg(x) | RExpr::Round(x, _) => {
            is_constant(x)
        }
        RExpr::And(a, b) | RExpr::Or(a, b) | RExpr::Cmp(_, a, b) | RExpr::Arith(_, a, b, _) => {
            is_constant(a) && is_constant(b)
        }
        RExpr::InList(x, list, _) => is_constant(x) && list.iter().all(is_constant),
        _ => false,
    }
}

/// True when `e` is written with literals only (no column, parameter,
/// call or quantifier).
pub(super) fn written_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Literal(_) => true,
        ExprKind::Not(x) | ExprKind::Neg(x) | ExprKind::IsNull { expr: x, .. } => written_constant(x),
        ExprKind::Binary { lhs, rhs, .. } | ExprKind::Arith { lhs, rhs, .. } => {
            written_constant(lhs) && written_constant(rhs)
        }
        ExprKind::InList { expr, list, .. } => written_constant(expr) && list.iter().all(written_constant),
        ExprKind::Column(_)
        | ExprKind::InQuery { .. }
        | ExprKind::Subquery(_)
        | ExprKind::Param(_)
        | ExprKind::Call { .. }
        | ExprKind::Quantified { .. }
        | ExprKind::Rank { .. }
        | ExprKind::Window { .. }
        | ExprKind::EachArea => false,
    }
}

/// "true", "false", or "null (unknown)": a condition's value, in words.
fn truth(v: &Value) -> &'static str {
    match v {
        Value::Bool(true) => "true",
        Value::Bool(false) => "false",
        _ => "null (unknown)",
    }
}

impl Resolver<'_> {
    /// Records a warning (once: a clause resolved twice warns once).
    pub(super) fn warn(&mut self, w: Warning) {
        if !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }

    /// The value of a constant expression, as the run would compute it.
    fn fold(&self, e: &RExpr) -> Value {
        eval(&Ctx::new(self.ds, None), e, RowRef::Derived(usize::MAX))
    }

    /// `"status" = "engage"`, `1 = 1`, `good in (good, adequate)`: a
    /// comparison written with constants on both sides.
    pub(super) fn lint_comparison(&mut self, e: &Expr, resolved: &RExpr) {
        if !written_constant(e) || !is_constant(resolved) {
            return;
        }
        let value = self.fold(resolved);
        let text = e.span.text(self.src).unwrap_or("this").split_whitespace().collect::<Vec<_>>().join(" ");
        let mut w = Warning::new(
            "peelql::warning::constant_comparison",
            format!("`{text}` compares constants only, so it is {} for every row", truth(&value)),
        )
        .with_span(e.span, format!("{} for every row", truth(&value)));
        // `"status" = "engage"`: a quoted word where a column was meant
        let quoted = quoted_words(e);
        if let Some(word) = quoted.first() {
            let kind = self.kind.map_or("this table", super::SourceKind::name);
            let is_column = self.column_names().iter().any(|c| c.eq_ignore_ascii_case(word));
            w = w.with_help(if is_column {
                format!("in quotes, \"{word}\" is text; for the column, write {word} without quotes")
            } else {
                format!("in quotes, \"{word}\" is text, not a column ({kind} has no column `{word}`)")
            });
        }
        w = w.with_help(format!(
            "a comparison tests each row when one side is a column, e.g. `region = \"Wales\"`; the columns are: {}",
            self.column_names().join(", ")
        ));
        self.warn(w);
    }

    /// `where true`, `where not false`: a condition that is the same for
    /// every row, with no comparison in it (those warn on their own).
    pub(super) fn lint_filter(&mut self, e: &Expr, resolved: &RExpr) {
        if !written_constant(e) || !is_constant(resolved) || has_comparison(e) {
            return;
        }
        let value = self.fold(resolved);
        let keeps = if value == Value::Bool(true) { "keeps every row" } else { "keeps no row" };
        self.warn(
            Warning::new(
                "peelql::warning::constant_filter",
                format!("the condition of `where` is {} for every row, so it {keeps}", truth(&value)),
            )
            .with_span(e.span, format!("{} for every row", truth(&value)))
            .with_help("a condition tests each row when it names a column, e.g. `where region = \"Wales\"`"),
        );
    }

    /// `every area …` at `span`: watched while the query runs (see
    /// [`Watch::EveryOnIncomplete`]).
    pub(super) fn watch_quantifier(&mut self, quantifier: Quantifier, span: Span, test: &RExpr) {
        if quantifier != Quantifier::Every {
            return;
        }
        let watch = Watch::EveryOnIncomplete { span, test: test.clone() };
        if !self.watches.contains(&watch) {
            self.watches.push(watch);
        }
    }

    /// The column names of the rows being queried, first names only.
    fn column_names(&self) -> Vec<String> {
        match &self.table {
            Some(t) => t.rows.columns.clone(),
            None => super::columns::of(self.kind.unwrap_or(super::SourceKind::Forces))
                .iter()
                .map(|c| c.names[0].to_string())
                .collect(),
        }
    }
}

/// True when `e` holds a comparison, `in (…)` or `is null`.
fn has_comparison(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Binary { op, lhs, rhs } => {
            !matches!(op.node, BinOp::And | BinOp::Or) || has_comparison(lhs) || has_comparison(rhs)
        }
        ExprKind::Not(x) => has_comparison(x),
        ExprKind::InList { .. } | ExprKind::IsNull { .. } => true,
        _ => false,
    }
}

/// The quoted strings of `e` that look like a name (one word of letters,
/// digits and `_`), in order.
fn quoted_words(e: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Literal(Literal::Str(s))
                if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                out.push(s.clone())
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                stack.push(rhs);
                stack.push(lhs);
            }
            ExprKind::Not(x) | ExprKind::IsNull { expr: x, .. } => stack.push(x),
            ExprKind::InList { expr, list, .. } => {
                stack.extend(list.iter().rev());
                stack.push(expr);
            }
            _ => {}
        }
    }
    out
}
