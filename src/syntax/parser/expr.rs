//! Expressions: `or` → `and` → `not` → predicate (operand and test) →
//! operand (literal, parameter, call, column, parenthesis).

use super::lexeme::{
    at_keyword, date, grade, identifier, keyword, number, parameter, peek_word, string, symbol,
};
use super::{PResult, Src, fail, nested};
use crate::syntax::{BinOp, Expr, ExprKind, Ident, Literal, Quantifier, Span, Spanned};

/// `expr = and expr , { "or" , and expr }`
pub fn expr(i: Src<'_>) -> PResult<'_, Expr> {
    let (mut i, mut lhs) = and_expr(i)?;
    while let Ok((rest, op_span)) = keyword("or")(i) {
        let (rest, rhs) = and_expr(rest)?;
        lhs = binary(BinOp::Or, op_span, lhs, rhs);
        i = rest;
    }
    Ok((i, lhs))
}

fn and_expr(i: Src<'_>) -> PResult<'_, Expr> {
    let (mut i, mut lhs) = not_expr(i)?;
    while let Ok((rest, op_span)) = keyword("and")(i) {
        let (rest, rhs) = not_expr(rest)?;
        lhs = binary(BinOp::And, op_span, lhs, rhs);
        i = rest;
    }
    Ok((i, lhs))
}

/// `not expr = { "not" } , predicate` — parsed in a loop, so a long chain
/// of `not`s cannot overflow the stack.
fn not_expr(mut i: Src<'_>) -> PResult<'_, Expr> {
    let mut nots = Vec::new();
    while let Ok((rest, span)) = keyword("not")(i) {
        if nots.len() as u32 >= super::MAX_DEPTH {
            return Err(nom::Err::Failure(super::ParseFail {
                span,
                expected: vec![],
                reason: super::FailReason::TooDeep,
            }));
        }
        nots.push(span);
        i = rest;
    }
    let (i, mut e) = predicate(i)?;
    for span in nots.into_iter().rev() {
        let whole = span.to(e.span);
        e = Expr::new(ExprKind::Not(Box::new(e)), whole);
    }
    Ok((i, e))
}

fn binary(op: BinOp, op_span: Span, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.to(rhs.span);
    Expr::new(
        ExprKind::Binary { op: Spanned::new(op, op_span), lhs: Box::new(lhs), rhs: Box::new(rhs) },
        span,
    )
}

/// `predicate = quantified | operand , [ test ]`
fn predicate(i: Src<'_>) -> PResult<'_, Expr> {
    if at_keyword(i, "any") || at_keyword(i, "every") {
        return quantified(i);
    }
    let (i, lhs) = operand(i)?;
    match test(i, lhs.clone()) {
        // No test follows: the operand stands alone.
        Err(nom::Err::Error(_)) => Ok((i, lhs)),
        other => other,
    }
}

/// `quantified = ( "any" | "every" ) , "area" , test`
fn quantified(i: Src<'_>) -> PResult<'_, Expr> {
    let (i, (q, q_span)) = if at_keyword(i, "any") {
        let (i, s) = keyword("any")(i)?;
        (i, (Quantifier::Any, s))
    } else {
        let (i, s) = keyword("every")(i)?;
        (i, (Quantifier::Every, s))
    };
    let (i, area_span) = match keyword("area")(i) {
        Ok(ok) => ok,
        Err(_) => return cut_fail(i, "`area` (as in `any area = inadequate`)"),
    };
    let each = Expr::new(ExprKind::EachArea, area_span);
    let (i, t) = required_test(i, each)?;
    let span = q_span.to(t.span);
    Ok((i, Expr::new(ExprKind::Quantified { quantifier: Spanned::new(q, q_span), test: Box::new(t) }, span)))
}

fn cut_fail<'a, T>(i: Src<'a>, what: &str) -> PResult<'a, T> {
    match fail::<T>(i, what) {
        Err(nom::Err::Error(e)) => Err(nom::Err::Failure(e)),
        other => other,
    }
}

/// A test that must be there (after `any area`, in `count(area …)`).
fn required_test(i: Src<'_>, lhs: Expr) -> PResult<'_, Expr> {
    match test(i, lhs) {
        Err(nom::Err::Error(e)) => Err(nom::Err::Failure(e)),
        other => other,
    }
}

/// The comparison operators, longest first.
const SYMBOLS: &[(&str, BinOp)] = &[
    ("<=", BinOp::Le),
    (">=", BinOp::Ge),
    ("!=", BinOp::Ne),
    ("<>", BinOp::Ne),
    ("!~", BinOp::NotContains),
    ("=", BinOp::Eq),
    ("<", BinOp::Lt),
    (">", BinOp::Gt),
    ("~", BinOp::Contains),
];

/// `test`: what may follow an operand — a comparison, `in (…)`, `is null`.
fn test(i: Src<'_>, lhs: Expr) -> PResult<'_, Expr> {
    // symbols
    for (sym, op) in SYMBOLS {
        if i.fragment().starts_with(sym) {
            if *sym == "=" && i.fragment().starts_with("==") {
                break; // `==` is not PeelQL; report it below as unexpected
            }
            let (rest, op_span) = symbol(sym)(i)?;
            return compare_rhs(rest, lhs, *op, op_span);
        }
    }
    // not in (…)
    if at_keyword(i, "not") {
        let (rest, _) = keyword("not")(i)?;
        if at_keyword(rest, "in") {
            return in_list(rest, lhs, true);
        }
        return fail(i, "a comparison");
    }
    if at_keyword(i, "in") {
        return in_list(i, lhs, false);
    }
    // is [not] null | is [not] <operand> | is at least …
    if at_keyword(i, "is") {
        let (rest, is_span) = keyword("is")(i)?;
        let (rest, not_span) = match keyword("not")(rest) {
            Ok((r, s)) => (r, Some(s)),
            Err(_) => (rest, None),
        };
        if at_keyword(rest, "null") {
            let (rest, null_span) = keyword("null")(rest)?;
            let span = lhs.span.to(null_span);
            let e = ExprKind::IsNull { expr: Box::new(lhs), negated: not_span.is_some() };
            return Ok((rest, Expr::new(e, span)));
        }
        if not_span.is_none() {
            if let Ok((rest, (op, op_span))) = word_comparison(rest) {
                return compare_rhs(rest, lhs, op, is_span.to(op_span));
            }
        }
        let op = if not_span.is_some() { BinOp::Ne } else { BinOp::Eq };
        let op_span = not_span.map_or(is_span, |n| is_span.to(n));
        return compare_rhs(rest, lhs, op, op_span);
    }
    if let Ok((rest, (op, op_span))) = word_comparison(i) {
        return compare_rhs(rest, lhs, op, op_span);
    }
    fail(i, "a comparison such as `=`, `<`, `at least` or `in (…)`")
}

/// `at least`, `at most`, `better than`, `worse than`.
fn word_comparison(i: Src<'_>) -> PResult<'_, (BinOp, Span)> {
    let pairs: [(&str, &str, BinOp); 4] = [
        ("at", "least", BinOp::Ge),
        ("at", "most", BinOp::Le),
        ("better", "than", BinOp::Gt),
        ("worse", "than", BinOp::Lt),
    ];
    for (first, second, op) in pairs {
        if at_keyword(i, first) {
            let (rest, a) = keyword(first)(i)?;
            if at_keyword(rest, second) {
                let (rest, b) = keyword(second)(rest)?;
                return Ok((rest, (op, a.to(b))));
            }
        }
    }
    fail(i, "`at least`, `at most`, `better than` or `worse than`")
}

/// After an operator the right-hand side must follow: a missing one is a
/// hard error (no backtracking to "the operand stands alone").
fn compare_rhs(i: Src<'_>, lhs: Expr, op: BinOp, op_span: Span) -> PResult<'_, Expr> {
    let (i, rhs) = match operand(i) {
        Err(nom::Err::Error(e)) => return Err(nom::Err::Failure(e)),
        other => other?,
    };
    Ok((i, binary(op, op_span, lhs, rhs)))
}

fn in_list(i: Src<'_>, lhs: Expr, negated: bool) -> PResult<'_, Expr> {
    let (i, _) = keyword("in")(i)?;
    let (i, _) = match symbol("(")(i) {
        Ok(ok) => ok,
        Err(_) => return cut_fail(i, "`(` to start the list, as in `in (\"a\", \"b\")`"),
    };
    nested(i, |i| {
        let (mut i, first) = hard(expr(i))?;
        let mut list = vec![first];
        while let Ok((rest, _)) = symbol(",")(i) {
            let (rest, e) = hard(expr(rest))?;
            list.push(e);
            i = rest;
        }
        let (i, close) = match symbol(")")(i) {
            Ok(ok) => ok,
            Err(_) => return cut_fail(i, "`,` or `)`"),
        };
        let span = lhs.span.to(close);
        Ok((i, Expr::new(ExprKind::InList { expr: Box::new(lhs), list, negated }, span)))
    })
}

/// Turns a soft error into a hard one: used once a construct is committed.
fn hard<T>(r: PResult<'_, T>) -> PResult<'_, T> {
    match r {
        Err(nom::Err::Error(e)) => Err(nom::Err::Failure(e)),
        other => other,
    }
}

/// `operand = literal | parameter | call | column | "(" , expr , ")"`
pub fn operand(i: Src<'_>) -> PResult<'_, Expr> {
    let first = i.fragment().chars().next();
    match first {
        Some('"' | '\'') => {
            let (i, (s, span)) = string(i)?;
            Ok((i, Expr::new(ExprKind::Literal(Literal::Str(s)), span)))
        }
        Some('$') => {
            let (i, p) = parameter(i)?;
            let span = p.span;
            Ok((i, Expr::new(ExprKind::Param(p), span)))
        }
        Some('(') => {
            let (i, _) = symbol("(")(i)?;
            nested(i, |i| {
                let (i, e) = hard(expr(i))?;
                match symbol(")")(i) {
                    Ok((i, _)) => Ok((i, e)),
                    Err(_) => cut_fail(i, "`)`"),
                }
            })
        }
        Some(c) if c.is_ascii_digit() || c == '-' => {
            match date(i) {
                Ok((rest, (d, span))) => {
                    return Ok((rest, Expr::new(ExprKind::Literal(Literal::Date(d)), span)));
                }
                Err(e @ nom::Err::Failure(_)) => return Err(e),
                Err(_) => {}
            }
            let (i, (lit, span)) = number(i)?;
            Ok((i, Expr::new(ExprKind::Literal(lit), span)))
        }
        Some(c) if c.is_ascii_alphabetic() || c == '_' => word_operand(i),
        _ => fail(i, "a value: a grade, a string, a number, a date or a column"),
    }
}

fn word_operand(i: Src<'_>) -> PResult<'_, Expr> {
    let word = peek_word(i).to_ascii_lowercase();
    match word.as_str() {
        "null" => {
            let (i, span) = keyword("null")(i)?;
            return Ok((i, Expr::new(ExprKind::Literal(Literal::Null), span)));
        }
        "true" | "false" => {
            let (i, span) = keyword(if word == "true" { "true" } else { "false" })(i)?;
            return Ok((i, Expr::new(ExprKind::Literal(Literal::Bool(word == "true")), span)));
        }
        _ => {}
    }
    if let Ok((rest, (g, span))) = grade(i) {
        return Ok((rest, Expr::new(ExprKind::Literal(Literal::Grade(g)), span)));
    }
    if word == "requires" {
        // `requires` without `improvement`: let grade() report it
        return hard(grade(i).map(|(r, (g, s))| (r, Expr::new(ExprKind::Literal(Literal::Grade(g)), s))));
    }
    let (rest, name) = match identifier(i) {
        Ok(ok) => ok,
        Err(_) => return fail(i, "a value: a grade, a string, a number, a date or a column"),
    };
    if rest.fragment().starts_with('(') {
        return call(rest, name);
    }
    let span = name.span;
    Ok((rest, Expr::new(ExprKind::Column(name), span)))
}

/// `call = identifier , "(" , [ arguments ] , ")"`; `count(area …)` is the
/// per-inspection quantifier.
fn call(i: Src<'_>, name: Ident) -> PResult<'_, Expr> {
    let (i, _) = symbol("(")(i)?;
    nested(i, |i| {
        if name.key() == "count" && at_keyword(i, "area") {
            let after = &i.fragment()["area".len()..];
            if !after.trim_start().starts_with('(') {
                let (rest, area_span) = keyword("area")(i)?;
                let each = Expr::new(ExprKind::EachArea, area_span);
                let (rest, t) = required_test(rest, each)?;
                let (rest, close) = match symbol(")")(rest) {
                    Ok(ok) => ok,
                    Err(_) => return cut_fail(rest, "`)`"),
                };
                let span = name.span.to(close);
                let q = Spanned::new(Quantifier::Count, name.span);
                return Ok((
                    rest,
                    Expr::new(ExprKind::Quantified { quantifier: q, test: Box::new(t) }, span),
                ));
            }
        }
        let mut args = Vec::new();
        let mut i = i;
        if let Ok((rest, close)) = symbol(")")(i) {
            let span = name.span.to(close);
            return Ok((rest, Expr::new(ExprKind::Call { name: name.clone(), args }, span)));
        }
        loop {
            let (rest, e) = hard(expr(i))?;
            args.push(e);
            if let Ok((rest, _)) = symbol(",")(rest) {
                i = rest;
                continue;
            }
            let (rest, close) = match symbol(")")(rest) {
                Ok(ok) => ok,
                Err(_) => return cut_fail(rest, "`,` or `)`"),
            };
            let span = name.span.to(close);
            return Ok((rest, Expr::new(ExprKind::Call { name: name.clone(), args }, span)));
        }
    })
}
