//! Arithmetic: `+ - * /`, unary minus and `round(x, n)`, on numbers.
//!
//! The rules (see grammar/README.md, "Arithmetic"): whole numbers stay
//! whole under `+`, `-` and `*`; `/` always gives a decimal; a decimal
//! result prints with the most decimal places of its operands, and at
//! least two after `/`; `round(x, n)` fixes the places. Null in, null out;
//! division by zero is null, with the warning `division_by_zero`.

use super::RExpr;
use super::columns::Ty;
use super::resolve::{Resolver, type_err};
use crate::error::Result;
use crate::syntax::{ArithOp, Expr, ExprKind, Ident, Literal, Span, Spanned};
use crate::value::Value;

/// The most decimal places `round()` keeps.
pub const MAX_PLACES: i64 = 6;

impl Resolver<'_> {
    /// `lhs op rhs`.
    pub(super) fn arith(
        &mut self,
        op: &Spanned<ArithOp>,
        lhs: &Expr,
        rhs: &Expr,
        allow_agg: bool,
    ) -> Result<(RExpr, Ty)> {
        let l = self.number(lhs, op.node.symbol(), allow_agg);
        let r = self.number(rhs, op.node.symbol(), allow_agg);
        let (l, r) = super::resolve::both(l, r)?;
        Ok((RExpr::Arith(op.node, Box::new(l), Box::new(r), op.span), Ty::Number))
    }

    /// `- x`.
    pub(super) fn neg(&mut self, x: &Expr, allow_agg: bool) -> Result<(RExpr, Ty)> {
        let x = self.number(x, "-", allow_agg)?;
        Ok((RExpr::Neg(Box::new(x)), Ty::Number))
    }

    /// An operand of arithmetic: it must be a number.
    fn number(&mut self, e: &Expr, op: &str, allow_agg: bool) -> Result<RExpr> {
        let (re, ty) = self.expr(e, allow_agg)?;
        if matches!(ty, Ty::Number | Ty::Any) {
            return Ok(re);
        }
        let text = e.span.text(self.src).unwrap_or("this");
        let err = type_err(
            "peelql::type::mismatch",
            format!("`{op}` works on numbers, and `{text}` is {}", ty.name()),
            e.span,
            format!("{}, not a number", ty.name()),
        );
        Err(match ty {
            Ty::Grade => err.with_help(
                "a grade is a word, not a number: for its 1-5 value use `score`, `avg(…)` or `change(…)`",
            ),
            Ty::Bool => err.with_help(format!("to count the rows where it holds, use `count({text})`")),
            _ => err,
        })
    }

    /// `round(x)` or `round(x, n)`: `n` is a whole number from 0 to
    /// [`MAX_PLACES`], written in the query or given as a parameter.
    pub(super) fn round(
        &mut self,
        name: &Ident,
        args: &[Expr],
        span: Span,
        allow_agg: bool,
    ) -> Result<(RExpr, Ty)> {
        if args.is_empty() || args.len() > 2 {
            return Err(type_err(
                "peelql::type::wrong_arguments",
                format!("`round()` takes a number and how many decimal places, not {} arguments", args.len()),
                span,
                "wrong number of arguments",
            )
            .with_help("for example `round(score, 1)`; `round(score)` rounds to a whole number"));
        }
        let x = self.number(&args[0], "round()", allow_agg)?;
        let places = match args.get(1) {
            None => 0,
            Some(p) => {
                let n = match &p.kind {
                    ExprKind::Literal(Literal::Int(n)) => Some(*n),
                    ExprKind::Param(id) => self.params.0.get(&id.name).and_then(Value::as_i64),
                    _ => None,
                };
                match n {
                    Some(n) if (0..=MAX_PLACES).contains(&n) => n as u8,
                    _ => {
                        return Err(type_err(
                            "peelql::type::wrong_arguments",
                            format!(
                                "`{}()` keeps 0 to {MAX_PLACES} decimal places, written as a whole number",
                                name.key()
                            ),
                            p.span,
                            format!("not 0 to {MAX_PLACES}"),
                        )
                        .with_help("for example `round(score, 1)`"));
                    }
                }
            }
        };
        Ok((RExpr::Round(Box::new(x), places), Ty::Number))
    }
}
