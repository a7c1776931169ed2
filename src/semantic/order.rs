//! `order by` and `limit`: keys that name output columns, and the numbers
//! of rows.

use super::columns;
use super::lint::is_constant;
use super::resolve::{Resolver, type_err};
use super::{OrderKey, Output, RExpr, SourceKind};
use crate::error::Result;
use crate::syntax::{Expr, ExprKind, Literal};
use crate::value::Value;

impl Resolver<'_> {
    /// An `order by` key. A bare name, or a word or string the language
    /// also reads as a constant (`as inadequate`, `as "order"`), that is an
    /// output column's name means that column; otherwise the key is an
    /// expression, and one that is the same for every row is an error.
    pub(super) fn order_key(
        &mut self,
        e: &Expr,
        output: &Output,
        grouped: bool,
        keys: &[RExpr],
    ) -> Result<OrderKey> {
        if let Output::Columns(cols) = output {
            let name = match &e.kind {
                ExprKind::Column(id) => Some(id.name.clone()),
                ExprKind::Literal(Literal::Str(s)) => Some(s.clone()),
                ExprKind::Literal(_) => e.span.text(self.src).map(words),
                _ => None,
            };
            if let Some(i) =
                name.and_then(|n| cols.iter().position(|c| words(&c.name).eq_ignore_ascii_case(&n)))
            {
                return Ok(OrderKey::Output(i));
            }
        }
        let (re, _) = self.expr(e, grouped)?;
        if is_constant(&re) {
            return Err(self.constant_order(e, &re, output));
        }
        if let Output::Columns(cols) = output {
            let target = if grouped { self.to_grouped(re.clone(), keys, e.span)? } else { re.clone() };
            if let Some(i) = cols.iter().position(|c| c.expr == target) {
                return Ok(OrderKey::Output(i));
            }
            if grouped {
                return Ok(OrderKey::Expr(target));
            }
        }
        Ok(OrderKey::Expr(re))
    }

    /// `order by good`, `order by 2`, `order by $key`: a sort by a value
    /// that is the same for every row would leave the rows as they are.
    fn constant_order(&self, e: &Expr, re: &RExpr, output: &Output) -> crate::Error {
        let text = e.span.text(self.src).map_or_else(|| "this".to_string(), words);
        let what = match (&e.kind, re) {
            (ExprKind::Param(p), _) => format!("`${}` is a value given to the query", p.name),
            (_, RExpr::Const(Value::Grade(_))) => format!("`{text}` is a grade"),
            (_, RExpr::Const(Value::Int(_) | Value::Decimal(_))) => format!("`{text}` is a number"),
            (_, RExpr::Const(Value::Text(_))) => format!("{text} is text"),
            _ => format!("`{text}` is a constant"),
        };
        let mut err = type_err(
            "peelql::type::constant_order",
            format!("{what}, the same for every row: sorting by it would leave the rows as they are"),
            e.span,
            "the same for every row",
        );
        let names: Vec<&str> = match output {
            Output::Columns(cols) => cols.iter().map(|c| c.name.as_str()).collect(),
            Output::ForcesDefault => Vec::new(),
        };
        let kind = self.kind.unwrap_or(SourceKind::Forces);
        match (&e.kind, re) {
            (ExprKind::Literal(Literal::Int(n)), _) if *n >= 1 && (*n as usize) <= names.len() => {
                let name = names[*n as usize - 1];
                err = err.with_help(format!(
                    "PeelQL sorts by a column's name, not its position: for column {n}, write `order by {}`",
                    quoted_name(name)
                ));
            }
            (ExprKind::Literal(Literal::Str(s)), _)
                if self.table.is_none() && columns::find(kind, s).is_some() =>
            {
                err = err.with_help(format!("in quotes it is text; for the column, write `order by {s}`"));
            }
            (ExprKind::Param(p), _) => {
                err = err.with_help(format!(
                    "a parameter is a value, not a column: `order by` cannot take its column from `${}`",
                    p.name
                ));
            }
            _ => {}
        }
        if names.is_empty() {
            err.with_help("sort by a column or an expression, e.g. `order by score desc`")
        } else {
            err.with_help(format!(
                "sort by a column of the result ({}) or an expression over the rows",
                names.iter().map(|n| quoted_name(n)).collect::<Vec<_>>().join(", ")
            ))
        }
    }

    pub(super) fn limit(&mut self, e: &Expr) -> Result<usize> {
        if let ExprKind::Column(id) = &e.kind {
            return Err(type_err(
                "peelql::type::bad_limit",
                format!("`limit` needs a whole number of rows, not `{}`", id.name),
                e.span,
                "expected a whole number",
            )
            .with_help("for example `limit 10`"));
        }
        let (re, _) = self.expr(e, false)?;
        match re {
            RExpr::Const(Value::Int(n)) if n >= 0 => Ok(n as usize),
            RExpr::Const(v) => Err(type_err(
                "peelql::type::bad_limit",
                format!(
                    "`limit` needs a whole number of rows, not {}",
                    match &v {
                        Value::Null => "null".to_string(),
                        Value::Text(t) => format!("the text {t:?}"),
                        other => format!("`{other}`"),
                    }
                ),
                e.span,
                "expected a whole number",
            )
            .with_help("for example `limit 10`")),
            _ => Err(type_err(
                "peelql::type::bad_limit",
                "`limit` needs a fixed whole number",
                e.span,
                "expected a whole number",
            )
            .with_help("for example `limit 10`")),
        }
    }
}

/// The text with every run of blanks made one space.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An output column's name as `order by` would write it: bare when it is
/// one plain word, else in quotes.
fn quoted_name(name: &str) -> String {
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && !crate::syntax::parser::is_reserved(name);
    if plain { name.to_string() } else { format!("{name:?}") }
}
