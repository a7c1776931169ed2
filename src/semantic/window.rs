//! Windows: `avg(score) per region`, `avg(score) overall`, `rank(score
//! desc)`, `rank(…) per region` — a value computed over a group of the rows
//! a clause reads and given to each row of the group, so a row can be
//! compared with its region's average, the national one, or ranked,
//! without a grouping that would merge the rows. Each is a slot of the
//! stage (`Resolved::windows`) the executor fills before the clause runs.

use super::columns::Ty;
use super::lint::is_constant;
use super::resolve::{Resolver, both, type_err};
use super::{RExpr, Window, WindowFunc};
use crate::error::{Error, Result};
use crate::syntax::{Expr, ExprKind, Ident, OrderItem, Over, Span};

/// The aggregates a window can compute.
const AGGREGATES: &[&str] = &["count", "sum", "min", "max", "avg", "percent"];

impl Resolver<'_> {
    /// A window `e` computing `func` over `over` (`None`: a bare `rank(…)`,
    /// over all the rows).
    pub(super) fn window(&mut self, e: &Expr, func: &Expr, over: Option<&Over>) -> Result<(RExpr, Ty)> {
        if let Some(outer) = self.in_aggregate {
            let key = match &func.kind {
                ExprKind::Call { name, .. } | ExprKind::Rank { name, .. } => name.key(),
                _ => "this".to_string(),
            };
            return Err(self.aggregate_of_aggregate(&key, outer, e.span));
        }
        let Some(in_where) = self.window_phase else {
            return Err(self.window_here(e));
        };
        let saved = self.window_phase.take();
        let per = match over {
            Some(Over::Per { key, .. }) => Some(self.expr(key, false).and_then(|(re, ty)| {
                if is_constant(&re) {
                    return Err(self.constant_key(key));
                }
                Ok((re, ty))
            })),
            _ => None,
        };
        let computed = match &func.kind {
            ExprKind::Rank { name, keys } => self.rank_keys(name, keys, func.span),
            ExprKind::Call { name, args } if AGGREGATES.contains(&name.key().as_str()) => {
                self.aggregate_call(name, args, func.span).map(|(a, ty)| (WindowFunc::Agg(a), ty))
            }
            _ => Err(not_a_window(self, func, e.span)),
        };
        self.window_phase = saved;
        let ((func, ty), per) = match per {
            Some(p) => {
                let (f, p) = both(computed, p)?;
                (f, Some(p.0))
            }
            None => (computed?, None),
        };
        // the same window twice (in `select` and `order by`) is computed once
        if let Some(i) = self.windows.iter().position(|w| w.func == func && w.per == per) {
            self.windows[i].in_where &= in_where;
            return Ok((RExpr::Window(i), ty));
        }
        self.windows.push(Window { func, per, in_where, span: e.span, ty });
        Ok((RExpr::Window(self.windows.len() - 1), ty))
    }

    /// The keys of `rank(…)`: at least one, none the same for every row.
    fn rank_keys(&mut self, name: &Ident, keys: &[OrderItem], span: Span) -> Result<(WindowFunc, Ty)> {
        if keys.is_empty() {
            let mut err = type_err(
                "peelql::type::rank_without_order",
                "`rank()` needs an order: say what puts a row first",
                span,
                "ranked by what?",
            )
            .with_help(format!(
                "name the keys as `order by` does: `{}(score desc)` gives the highest score 1, and ties share a place",
                name.name
            ));
            if let Some(order) = &self.stage_order {
                err = err.with_help(format!(
                    "to rank in the order this stage sorts by, write `{}({order})`",
                    name.name
                ));
            }
            return Err(err);
        }
        let saved = self.in_aggregate.replace("rank");
        let mut out = Vec::new();
        let mut errors: Vec<Error> = Vec::new();
        for k in keys {
            match self.expr(&k.expr, false) {
                Ok((re, _)) if is_constant(&re) => errors.push(
                    type_err(
                        "peelql::type::constant_order",
                        "a rank by a value that is the same for every row would give every row 1",
                        k.expr.span,
                        "the same for every row",
                    )
                    .with_help("rank by a column or an expression over the rows, e.g. `rank(score desc)`"),
                ),
                Ok((re, _)) => out.push((re, k.descending)),
                Err(e) => errors.push(e),
            }
        }
        self.in_aggregate = saved;
        match Error::combine(errors) {
            Some(e) => Err(e),
            None => Ok((WindowFunc::Rank(out), Ty::Number)),
        }
    }

    /// `per "region"`, `per $p`: a key the same for every row makes one
    /// group of all the rows, which `overall` says.
    fn constant_key(&self, key: &Expr) -> Error {
        let text = words(key.span.text(self.src).unwrap_or("this"));
        let err = type_err(
            "peelql::type::window_here",
            format!("`per {text}` groups by a value that is the same for every row"),
            key.span,
            "the same for every row",
        );
        match &key.kind {
            ExprKind::Literal(crate::syntax::Literal::Str(s)) => {
                err.with_help(format!("in quotes it is text; for the column, write `per {s}`"))
            }
            _ => err.with_help("group by a column, e.g. `per region`; over all the rows, write `overall`"),
        }
    }

    /// A window where none may be: in `group by`, `limit`, after `per`.
    fn window_here(&self, e: &Expr) -> Error {
        let text = words(e.span.text(self.src).unwrap_or("this"));
        type_err(
            "peelql::type::window_here",
            format!("`{text}` reads many rows, so it belongs in `where`, `select` or `order by`"),
            e.span,
            "a window over the rows",
        )
        .with_help(
            "to group by it, compute it in a stage and group in the next: `… select …, x then group by x …`",
        )
    }

    /// After a stage's clauses: a window in `select` or `order by` of a
    /// stage that groups (its rows are merged into groups there).
    pub(super) fn window_in_grouped(&self) -> Result<()> {
        let Some(w) = self.windows.iter().find(|w| !w.in_where) else { return Ok(()) };
        let text = words(w.span.text(self.src).unwrap_or("this"));
        Err(type_err(
            "peelql::type::window_here",
            format!("`{text}` reads the rows one by one, but this stage groups them"),
            w.span,
            "a window in a grouped stage",
        )
        .with_help(format!(
            "compute the groups first and compare or rank them in a stage after: `… select …, count() as n then select …, {}`",
            if text.starts_with("rank") { "rank(n desc)" } else { "n - avg(n) overall" }
        )))
    }
}

/// `year(published) per region`: only an aggregate or `rank(…)` reads a
/// group of rows.
fn not_a_window(r: &Resolver<'_>, func: &Expr, span: Span) -> Error {
    let text = words(func.span.text(r.src).unwrap_or("this"));
    let mut err = type_err(
        "peelql::type::window_here",
        format!("`per` and `overall` follow an aggregate or `rank(…)`, and `{text}` is neither"),
        span,
        "not an aggregate",
    );
    if matches!(&func.kind, ExprKind::Quantified { .. }) {
        err = err.with_help(format!(
            "`{text}` counts the areas of one inspection; to add it up over the group, write `sum({text})`"
        ));
    }
    err.with_help("for example `avg(score) per region` or `rank(score desc) per region`")
}

/// The text with every run of blanks made one space.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
