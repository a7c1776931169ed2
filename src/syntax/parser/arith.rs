//! Arithmetic, between a predicate and its operands:
//! `sum = product , { ( "+" | "-" ) , product }`,
//! `product = unary , { ( "*" | "/" ) , unary }`,
//! `unary = { "-" } , operand`.
//!
//! `-1` written as one token is a number literal; `- x` (or `-x` before
//! anything but a digit) is unary minus.

use super::expr::operand;
use super::lexeme::symbol;
use super::{FailReason, PResult, ParseFail, Src, chain, offset};
use crate::syntax::{ArithOp, Expr, ExprKind, Span, Spanned};

/// `sum = product , { ( "+" | "-" ) , product }`
pub fn sum(i: Src<'_>) -> PResult<'_, Expr> {
    chain(|link| {
        let (mut i, mut lhs) = product(i)?;
        loop {
            let op = match i.fragment().chars().next() {
                Some('+') => ArithOp::Add,
                // `--` is a comment, eaten as whitespace before we get here
                Some('-') => ArithOp::Sub,
                _ => return Ok((i, lhs)),
            };
            let (rest, op_span) = symbol(op.symbol())(i)?;
            link(op_span)?;
            let (rest, rhs) = after_operator(rest, op_span, product)?;
            lhs = arith(op, op_span, lhs, rhs);
            i = rest;
        }
    })
}

/// `product = unary , { ( "*" | "/" ) , unary }`
fn product(i: Src<'_>) -> PResult<'_, Expr> {
    chain(|link| {
        let (mut i, mut lhs) = unary(i)?;
        loop {
            let op = match i.fragment().chars().next() {
                Some('*') => ArithOp::Mul,
                Some('/') => ArithOp::Div,
                _ => return Ok((i, lhs)),
            };
            let (rest, op_span) = symbol(op.symbol())(i)?;
            link(op_span)?;
            let (rest, rhs) = after_operator(rest, op_span, unary)?;
            lhs = arith(op, op_span, lhs, rhs);
            i = rest;
        }
    })
}

/// `unary = { "-" } , operand`, in a loop so a long chain of minus signs
/// cannot overflow the stack.
fn unary(mut i: Src<'_>) -> PResult<'_, Expr> {
    let mut minus: Vec<Span> = Vec::new();
    while i.fragment().starts_with('-') && !i.fragment()[1..].starts_with(|c: char| c.is_ascii_digit()) {
        if minus.len() as u32 >= super::MAX_DEPTH {
            let at = offset(i);
            return Err(nom::Err::Failure(ParseFail::new(Span::new(at, at + 1), FailReason::TooDeep)));
        }
        let (rest, span) = symbol("-")(i)?;
        minus.push(span);
        i = rest;
    }
    let at = offset(i);
    let (i, mut e) = match operand(i) {
        // after a `-` a value must follow
        Err(nom::Err::Error(f)) if !minus.is_empty() => {
            return Err(nom::Err::Failure(missing(f, at, minus[0])));
        }
        other => other?,
    };
    for span in minus.into_iter().rev() {
        let whole = span.to(e.span);
        e = Expr::new(ExprKind::Neg(Box::new(e)), whole);
    }
    Ok((i, e))
}

/// The operand after an operator at `op_span`: it must be there.
fn after_operator<'a>(
    i: Src<'a>,
    op_span: Span,
    next: fn(Src<'a>) -> PResult<'a, Expr>,
) -> PResult<'a, Expr> {
    let at = offset(i);
    match next(i) {
        Err(nom::Err::Error(f) | nom::Err::Failure(f)) => Err(nom::Err::Failure(missing(f, at, op_span))),
        other => other,
    }
}

/// "a value" expected at `at`, noting the operator that wants it.
fn missing(f: ParseFail, at: usize, op_span: Span) -> ParseFail {
    if f.span.start == at && f.reason == FailReason::Expected && f.note.is_none() {
        f.note(op_span, "a number must follow")
    } else {
        f
    }
}

fn arith(op: ArithOp, op_span: Span, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.to(rhs.span);
    Expr::new(ExprKind::Arith { op: Spanned::new(op, op_span), lhs: Box::new(lhs), rhs: Box::new(rhs) }, span)
}
