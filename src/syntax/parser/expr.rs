//! Expressions: `or` → `and` → `not` → predicate (a sum and its test;
//! sums and products are in `arith.rs`) → operand (literal, parameter, call, column, parenthesis).

use super::lexeme::{
    at_keyword, date, grade, identifier, keyword, number, parameter, peek_word, string, symbol,
};
use super::recover::{self, CLAUSE_WORDS, Stop};
use super::{FailReason, PResult, ParseFail, Src, chain, fail, nested, offset};
use crate::syntax::{BinOp, Expr, ExprKind, Ident, Literal, Over, Quantifier, Span, Spanned};

/// `expr = and expr , { "or" , and expr }`
pub fn expr(i: Src<'_>) -> PResult<'_, Expr> {
    chain(|link| {
        let (mut i, mut lhs) = and_expr(i)?;
        while let Some((rest, op_span)) = joiner(i, "or", "||")? {
            link(op_span)?;
            if nothing_follows(rest) {
                dangling(op_span, "or")?;
                if at_keyword(rest, "or") || at_keyword(rest, "and") {
                    // `or or`, `or and`: one mistake, go on after it
                    let (after, _) = any_joiner(rest)?;
                    i = after;
                    if at_keyword(i, "or") || nothing_follows(i) {
                        continue;
                    }
                    let (after, rhs) = and_expr(i)?;
                    lhs = binary(BinOp::Or, op_span, lhs, rhs);
                    i = after;
                    continue;
                }
                return Ok((rest, lhs));
            }
            let (rest, rhs) = and_expr(rest)?;
            lhs = binary(BinOp::Or, op_span, lhs, rhs);
            i = rest;
        }
        Ok((i, lhs))
    })
}

fn and_expr(i: Src<'_>) -> PResult<'_, Expr> {
    chain(|link| {
        let (mut i, mut lhs) = recovering(i, not_expr)?;
        while let Some((rest, op_span)) = joiner(i, "and", "&&")? {
            link(op_span)?;
            if nothing_follows(rest) {
                dangling(op_span, "and")?;
                if at_keyword(rest, "and") {
                    // `and and`: one mistake, go on with the second `and`
                    i = rest;
                    continue;
                }
                return Ok((rest, lhs));
            }
            let (rest, rhs) = recovering(rest, not_expr)?;
            lhs = binary(BinOp::And, op_span, lhs, rhs);
            i = rest;
        }
        Ok((i, lhs))
    })
}

/// `and`/`or`, or the C spelling `&&`/`||` (recorded as a mistake, then
/// read as the word).
fn joiner<'a>(
    i: Src<'a>,
    word: &'static str,
    symbol_form: &'static str,
) -> Result<Option<(Src<'a>, Span)>, nom::Err<ParseFail>> {
    if let Ok(ok) = keyword(word)(i) {
        return Ok(Some(ok));
    }
    if i.fragment().starts_with(symbol_form) {
        let (rest, span) = symbol(symbol_form)(i)?;
        let f = ParseFail::habit(
            span,
            "peelql::parse::sql_operator",
            format!("PeelQL joins conditions with `{word}`, not `{symbol_form}`"),
        )
        .hint(format!("write `{word}`"));
        keep_going(f)?;
        return Ok(Some((rest, span)));
    }
    Ok(None)
}

/// Consumes the `and` or `or` at `i`.
fn any_joiner(i: Src<'_>) -> PResult<'_, Span> {
    if at_keyword(i, "and") { keyword("and")(i) } else { keyword("or")(i) }
}

/// True when nothing that could start a condition follows: the end, a
/// clause keyword, `and`/`or` or a `)`.
pub(crate) fn nothing_follows(i: Src<'_>) -> bool {
    let t = i.fragment();
    let word = peek_word(i).to_ascii_lowercase();
    t.is_empty()
        || t.starts_with(')')
        || t.starts_with(',')
        || CLAUSE_WORDS.contains(&word.as_str())
        || word == "and"
        || word == "or"
}

/// Records "nothing after this `word`".
pub(crate) fn dangling(span: Span, word: &str) -> Result<(), nom::Err<ParseFail>> {
    keep_going(ParseFail::new(span, FailReason::Dangling(word.to_string())))
}

/// Records a failure to report with the statement's others and goes on;
/// fails at once when the list is full.
pub(crate) fn keep_going(f: ParseFail) -> Result<(), nom::Err<ParseFail>> {
    if recover::record(f.clone()) { Ok(()) } else { Err(nom::Err::Failure(f)) }
}

/// Parses with `f`; a failure worth going on after is recorded and the
/// input skipped to the next `and`, `or`, clause keyword or unmatched `)`.
/// What was skipped stands in as `null` (the statement fails anyway).
fn recovering<'a>(i: Src<'a>, f: impl Fn(Src<'a>) -> PResult<'a, Expr>) -> PResult<'a, Expr> {
    match f(i) {
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) if recover::recoverable(&e) => {
            let at = e.span.start.max(offset(i));
            keep_going(e)?;
            let start = offset(i);
            let (rest, ()) = recover::skip(i, at, Stop::Condition)?;
            let span = Span::new(start, offset(rest));
            Ok((rest, Expr::new(ExprKind::Literal(Literal::Null), span)))
        }
        other => other,
    }
}

/// `not expr = { "not" } , predicate` — parsed in a loop, so a long chain
/// of `not`s cannot overflow the stack.
fn not_expr(mut i: Src<'_>) -> PResult<'_, Expr> {
    let mut nots = Vec::new();
    while let Ok((rest, span)) = keyword("not")(i) {
        if nots.len() as u32 >= super::MAX_DEPTH {
            return Err(nom::Err::Failure(ParseFail::new(span, FailReason::TooDeep)));
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
    let (i, lhs) = super::arith::sum(i)?;
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
    // `==`: recorded as a mistake, then read as `=`
    if i.fragment().starts_with("==") {
        let (rest, op_span) = symbol("==")(i)?;
        let f =
            ParseFail::habit(op_span, "peelql::parse::double_equals", "PeelQL compares with a single `=`")
                .hint("write `=`, as in `grade = inadequate`");
        keep_going(f)?;
        return compare_rhs(rest, lhs, BinOp::Eq, op_span);
    }
    // symbols
    for (sym, op) in SYMBOLS {
        if i.fragment().starts_with(sym) {
            let (rest, op_span) = symbol(sym)(i)?;
            return compare_rhs(rest, lhs, *op, op_span);
        }
    }
    // SQL's `BETWEEN a AND b`: recorded, then read as `>= a and <= b`
    if at_keyword(i, "between") {
        return between(i, lhs);
    }
    // SQL's `LIKE '%x%'`: recorded as a mistake, then read as `~ "x"`
    if at_keyword(i, "like")
        || at_keyword(i, "ilike")
        || (at_keyword(i, "not") && {
            let (rest, _) = keyword("not")(i)?;
            at_keyword(rest, "like") || at_keyword(rest, "ilike")
        })
    {
        return like(i, lhs);
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
    half_word_comparison(i)?;
    fail(i, "a comparison such as `=`, `<`, `at least` or `in (…)`")
}

/// `[not] like <pattern>` → `~` / `!~`, recorded as a SQL habit.
fn like(i: Src<'_>, lhs: Expr) -> PResult<'_, Expr> {
    let (i, not_span) = match keyword("not")(i) {
        Ok((rest, s)) => (rest, Some(s)),
        Err(_) => (i, None),
    };
    let word = if at_keyword(i, "like") { "like" } else { "ilike" };
    let (rest, like_span) = keyword(word)(i)?;
    let op_span = not_span.map_or(like_span, |n| n.to(like_span));
    let negated = not_span.is_some();
    let op = if negated { BinOp::NotContains } else { BinOp::Contains };
    let (rest, e) = compare_rhs(rest, lhs, op, op_span)?;
    let hint = match &e.kind {
        ExprKind::Binary { rhs, .. } => match &rhs.kind {
            ExprKind::Literal(Literal::Str(p)) => format!(
                "write `{}`: `~` finds text anywhere in a value, ignoring case",
                super::habits::like_to_contains(p, negated)
            ),
            _ => "use `~` with the text to look for, e.g. `name ~ \"North\"`".to_string(),
        },
        _ => String::new(),
    };
    let f = ParseFail::habit(op_span, "peelql::parse::sql_like", "PeelQL has no `LIKE`").hint(hint);
    keep_going(f)?;
    Ok((rest, e))
}

/// `x between a and b` → `x >= a and x <= b`, recorded as a SQL habit.
fn between(i: Src<'_>, lhs: Expr) -> PResult<'_, Expr> {
    let (rest, kw) = keyword("between")(i)?;
    let (rest, low) = compare_rhs(rest, lhs.clone(), BinOp::Ge, kw)?;
    let (rest, and_span) = match keyword("and")(rest) {
        Ok(ok) => ok,
        Err(_) => return hard(fail(rest, "`and` (as in `between good and outstanding`)")),
    };
    let (rest, high) = compare_rhs(rest, lhs, BinOp::Le, and_span)?;
    let f = ParseFail::habit(kw, "peelql::parse::sql_between", "PeelQL has no `BETWEEN`")
        .hint(format!("write `{low} and {high}`"));
    keep_going(f)?;
    Ok((rest, binary(BinOp::And, and_span, low, high)))
}

/// `at` without `least`/`most`, `better`/`worse` without `than`: after an
/// operand these can only be a comparison, so say which word is missing.
fn half_word_comparison(i: Src<'_>) -> Result<(), nom::Err<ParseFail>> {
    let word = peek_word(i).to_ascii_lowercase();
    let seconds: &[&str] = match word.as_str() {
        "at" => &["least", "most"],
        "better" | "worse" => &["than"],
        _ => return Ok(()),
    };
    let (rest, first) = keyword(if word == "at" {
        "at"
    } else if word == "better" {
        "better"
    } else {
        "worse"
    })(i)?;
    let expected: Vec<String> = seconds.iter().map(|w| format!("`{w}`")).collect();
    let mut f = ParseFail::new(Span::new(offset(rest), offset(rest)), FailReason::Expected)
        .expecting(expected)
        .note(first, format!("`{word}` starts a comparison"));
    if let Some(h) =
        crate::suggest::did_you_mean(&crate::suggest::suggest(peek_word(rest), seconds.iter().copied()))
    {
        f = f.hint(h);
    }
    Err(nom::Err::Failure(f))
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
    let at = offset(i);
    let (i, rhs) = match super::arith::sum(i) {
        Err(nom::Err::Error(mut e) | nom::Err::Failure(mut e)) => {
            if e.span.start == at && e.reason == FailReason::Expected && e.note.is_none() {
                e = e.note(op_span, "compared with what?");
            }
            return Err(nom::Err::Failure(e));
        }
        other => other?,
    };
    Ok((i, binary(op, op_span, lhs, rhs)))
}

fn in_list(i: Src<'_>, lhs: Expr, negated: bool) -> PResult<'_, Expr> {
    let (i, _) = keyword("in")(i)?;
    let (i, open) = match symbol("(")(i) {
        Ok(ok) => ok,
        Err(_) => return cut_fail(i, "`(` to start the list, as in `in (\"a\", \"b\")`"),
    };
    if at_keyword(i, "select") {
        return sql_subquery(i, open);
    }
    if starts_query(i) {
        return in_query(i, open, lhs, negated);
    }
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
            Err(_) => return unclosed(i, open, &["`,`", "`)`"]),
        };
        let span = lhs.span.to(close);
        Ok((i, Expr::new(ExprKind::InList { expr: Box::new(lhs), list, negated }, span)))
    })
}

/// The `(` at `open` is not closed where `i` is.
fn unclosed<'a, T>(i: Src<'a>, open: Span, expected: &[&str]) -> PResult<'a, T> {
    Err(nom::Err::Failure(
        ParseFail::new(Span::new(offset(i), offset(i)), FailReason::Unclosed { opens: vec![open] })
            .expecting(expected.iter().map(|e| e.to_string()).collect()),
    ))
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
    // Each kind of operand is its own function, so the frames on the
    // recursive path (parentheses, calls) stay small.
    match i.fragment().chars().next() {
        Some('(') => paren(i),
        Some(c) if c.is_ascii_alphabetic() || c == '_' => word_operand(i),
        Some(_) => token_operand(i),
        None => fail(i, "a value: a grade, a string, a number, a date or a column"),
    }
}

/// `x [not] in (<query>)`, just inside the `(` (kept out of `in_list`, so
/// the frames of deeply nested lists stay small).
#[inline(never)]
fn in_query(i: Src<'_>, open: Span, lhs: Expr, negated: bool) -> PResult<'_, Expr> {
    nested(i, |i| {
        let (i, q) = hard(super::query::query_in(i, true))?;
        let (i, close) = match symbol(")")(i) {
            Ok(ok) => ok,
            Err(_) => return unclosed(i, open, &["`)`"]),
        };
        let span = lhs.span.to(close);
        Ok((i, Expr::new(ExprKind::InQuery { expr: Box::new(lhs), query: Box::new(q), negated }, span)))
    })
}

/// `(<query>)` as a value, just inside the `(` (kept out of `paren`, so
/// the frames of deeply nested parentheses stay small).
#[inline(never)]
fn subquery_value(i: Src<'_>, open: Span) -> PResult<'_, Expr> {
    nested(i, |i| {
        let (i, q) = hard(super::query::query_in(i, true))?;
        match symbol(")")(i) {
            Ok((i, close)) => Ok((i, Expr::new(ExprKind::Subquery(Box::new(q)), open.to(close)))),
            Err(_) => unclosed(i, open, &["`)`"]),
        }
    })
}

/// SQL's `(select … from …)`: the hint is recorded and the parser goes on
/// after the `)` that closes it (the statement fails anyway), so the SQL
/// words inside are not each reported.
#[inline(never)]
fn sql_subquery(i: Src<'_>, open: Span) -> PResult<'_, Expr> {
    let (inside, end) = super::query::sql_subquery(i);
    keep_going(inside)?;
    let chars = i.fragment()[..end].chars().count();
    let (rest, _) = nom::Parser::parse(&mut nom::bytes::complete::take(chars), i)?;
    let (rest, close) = match symbol(")")(rest) {
        Ok(ok) => ok,
        Err(_) => return unclosed(rest, open, &["`)`"]),
    };
    Ok((rest, Expr::new(ExprKind::Literal(Literal::Null), open.to(close))))
}

/// True when a query starts at `i` (just inside a `(`): a name followed
/// by a clause keyword, `then`, or `in` and a programme (not `in (`). A
/// name alone in parentheses is a column.
#[inline(never)]
fn starts_query(i: Src<'_>) -> bool {
    let Ok((rest, _)) = identifier(i) else { return false };
    let next = peek_word(rest).to_ascii_lowercase();
    if next == "in" {
        return keyword("in")(rest).is_ok_and(|(after, _)| !after.fragment().starts_with('('));
    }
    CLAUSE_WORDS.contains(&next.as_str())
}

fn paren(i: Src<'_>) -> PResult<'_, Expr> {
    let (i, open) = symbol("(")(i)?;
    if at_keyword(i, "select") {
        return sql_subquery(i, open);
    }
    if starts_query(i) {
        return subquery_value(i, open);
    }
    nested(i, |i| {
        let (i, e) = hard(expr(i))?;
        match symbol(")")(i) {
            Ok((i, _)) => Ok((i, e)),
            Err(_) => unclosed(i, open, &["`)`"]),
        }
    })
}

#[inline(never)]
fn token_operand(i: Src<'_>) -> PResult<'_, Expr> {
    match i.fragment().chars().next() {
        Some('"' | '\'') => {
            let (i, (s, span)) = string(i)?;
            Ok((i, Expr::new(ExprKind::Literal(Literal::Str(s)), span)))
        }
        Some('$') => {
            let (i, p) = parameter(i)?;
            let span = p.span;
            Ok((i, Expr::new(ExprKind::Param(p), span)))
        }
        Some(open @ ('\u{201c}' | '\u{2018}')) => curly_string(i, open),
        Some('*') => {
            let at = offset(i);
            Err(nom::Err::Failure(
                ParseFail::habit(Span::new(at, at + 1), "peelql::parse::star", "PeelQL has no `*`")
                    .hint("leave out `select *` for the usual columns, or name them: `select name, region`"),
            ))
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
        _ => fail(i, "a value: a grade, a string, a number, a date or a column"),
    }
}

fn word_operand(i: Src<'_>) -> PResult<'_, Expr> {
    if let Some(result) = word_literal(i) {
        return result;
    }
    let (rest, name) = match identifier(i) {
        Ok(ok) => ok,
        Err(_) => return fail(i, "a value: a grade, a string, a number, a date or a column"),
    };
    if rest.fragment().starts_with('(') {
        let (rest, c) = call(rest, name)?;
        return window(rest, c);
    }
    let span = name.span;
    Ok((rest, Expr::new(ExprKind::Column(name), span)))
}

/// A string in curly quotes (pasted from a word processor): recorded as a
/// mistake, then read as the string.
fn curly_string(i: Src<'_>, open: char) -> PResult<'_, Expr> {
    let close = if open == '\u{201c}' { '\u{201d}' } else { '\u{2019}' };
    let at = offset(i);
    let body = &i.fragment()[open.len_utf8()..];
    let Some(end) = body.find(close) else {
        return fail(i, "a value: a grade, a string, a number, a date or a column");
    };
    let text = body[..end].to_string();
    let len = open.len_utf8() + end + close.len_utf8();
    let (rest, _) = nom::bytes::complete::take(body[..end].chars().count() + 2)(i)?;
    let span = Span::new(at, at + len);
    let f =
        ParseFail::habit(span, "peelql::parse::curly_quotes", "strings take straight quotes, not curly ones")
            .hint(format!("write {text:?}"));
    keep_going(f)?;
    let (rest, ()) = super::lexeme::ws(rest)?;
    Ok((rest, Expr::new(ExprKind::Literal(Literal::Str(text)), span)))
}

/// `null`, `true`, `false` and the grade words.
#[inline(never)]
fn word_literal(i: Src<'_>) -> Option<PResult<'_, Expr>> {
    fn lit(r: PResult<'_, Span>, l: Literal) -> PResult<'_, Expr> {
        r.map(|(rest, span)| (rest, Expr::new(ExprKind::Literal(l), span)))
    }
    let word = peek_word(i).to_ascii_lowercase();
    match word.as_str() {
        "null" => return Some(lit(keyword("null")(i), Literal::Null)),
        "true" => return Some(lit(keyword("true")(i), Literal::Bool(true))),
        "false" => return Some(lit(keyword("false")(i), Literal::Bool(false))),
        _ => {}
    }
    if let Ok((rest, (g, span))) = grade(i) {
        return Some(Ok((rest, Expr::new(ExprKind::Literal(Literal::Grade(g)), span))));
    }
    if word == "requires" {
        // `requires` without `improvement`: let grade() report it
        return Some(hard(
            grade(i).map(|(r, (g, s))| (r, Expr::new(ExprKind::Literal(Literal::Grade(g)), s))),
        ));
    }
    None
}

/// A call followed by `per <operand>` or `overall`: a window over the
/// rows the clause reads (the resolver says which calls may take one).
#[inline(never)]
fn window(i: Src<'_>, call: Expr) -> PResult<'_, Expr> {
    let (rest, over, end) = if at_keyword(i, "per") {
        let (rest, kw) = keyword("per")(i)?;
        let (rest, key) = match operand(rest) {
            Ok(ok) => ok,
            Err(nom::Err::Error(_)) => {
                return hard(fail(rest, "what to group by after `per`, e.g. `per region`"));
            }
            Err(e) => return Err(e),
        };
        let end = key.span;
        (rest, Over::Per { keyword: kw, key: Box::new(key) }, end)
    } else if at_keyword(i, "overall") {
        let (rest, kw) = keyword("overall")(i)?;
        (rest, Over::Overall(kw), kw)
    } else {
        return Ok((i, call));
    };
    let span = call.span.to(end);
    Ok((rest, Expr::new(ExprKind::Window { func: Box::new(call), over }, span)))
}

/// `rank(key [asc|desc], …)`, after its `(`; `rank()` is read, and the
/// resolver says what it lacks.
#[inline(never)]
fn rank_args<'a>(i: Src<'a>, name: &Ident, open: Span) -> PResult<'a, Expr> {
    let mut keys = Vec::new();
    let mut i = i;
    loop {
        if let Ok((rest, close)) = symbol(")")(i) {
            let span = name.span.to(close);
            return Ok((rest, Expr::new(ExprKind::Rank { name: name.clone(), keys }, span)));
        }
        if !keys.is_empty() {
            match symbol(",")(i) {
                Ok((rest, _)) => i = rest,
                Err(_) => return unclosed(i, open, &["`,`", "`)`"]),
            }
        }
        let (rest, key) = hard(super::query::order_item(i))?;
        keys.push(key);
        i = rest;
    }
}

/// `call = identifier , "(" , [ arguments ] , ")"`; `count(area …)` is the
/// per-inspection quantifier.
fn call(i: Src<'_>, name: Ident) -> PResult<'_, Expr> {
    let (i, open) = symbol("(")(i)?;
    nested(i, |i| {
        if name.key() == "rank" {
            return rank_args(i, &name, open);
        }
        if i.fragment().starts_with('*') {
            return count_star(i, &name, open);
        }
        if at_keyword(i, "distinct") && !i.fragment()["distinct".len()..].trim_start().starts_with([')', ','])
        {
            return count_distinct(i, &name, open);
        }
        if name.key() == "count" && at_keyword(i, "area") {
            let after = &i.fragment()["area".len()..];
            if !after.trim_start().starts_with('(') {
                return count_area(i, &name, open);
            }
        }
        call_args(i, &name, open)
    })
}

/// SQL's `count(*)`: recorded, then read as `count()`.
#[inline(never)]
fn count_star<'a>(i: Src<'a>, name: &Ident, open: Span) -> PResult<'a, Expr> {
    let (rest, star) = symbol("*")(i)?;
    let f = ParseFail::habit(star, "peelql::parse::star", "PeelQL has no `*`")
        .hint(format!("write `{}()` to count rows", name.name));
    keep_going(f)?;
    if let Ok((rest, close)) = symbol(")")(rest) {
        let span = name.span.to(close);
        return Ok((rest, Expr::new(ExprKind::Call { name: name.clone(), args: vec![] }, span)));
    }
    unclosed(rest, open, &["`)`"])
}

/// SQL's `count(distinct x)`: recorded, with the PeelQL form (each value
/// once with `select distinct`, counted in a stage after it); then read
/// as `count(x)`, so the statement's other mistakes are found too.
#[inline(never)]
fn count_distinct<'a>(i: Src<'a>, name: &Ident, open: Span) -> PResult<'a, Expr> {
    let (rest, word) = super::lexeme::any_word(i)?;
    let (_, arg) = hard(expr(rest))?;
    let f = ParseFail::habit(
        word.span,
        "peelql::parse::sql_count_distinct",
        format!("PeelQL has no `{}(distinct …)`", name.name),
    )
    .hint(format!(
        "take each value once with `select distinct`, then {} in a stage after it: `… select distinct {arg} then select {}()`",
        if name.key() == "count" { "count them" } else { "aggregate them" },
        name.name
    ))
    .hint(format!(
        "per group, keep the group's columns and group after it: `grades select distinct area, force then group by area select area, {}()`",
        name.name
    ));
    keep_going(f)?;
    call_args(rest, name, open)
}

/// `count(area <test>)`: how many areas of the inspection pass the test.
#[inline(never)]
fn count_area<'a>(i: Src<'a>, name: &Ident, open: Span) -> PResult<'a, Expr> {
    let (rest, area_span) = keyword("area")(i)?;
    let each = Expr::new(ExprKind::EachArea, area_span);
    let (rest, t) = required_test(rest, each)?;
    let (rest, close) = match symbol(")")(rest) {
        Ok(ok) => ok,
        Err(_) => return unclosed(rest, open, &["`)`"]),
    };
    let span = name.span.to(close);
    let q = Spanned::new(Quantifier::Count, name.span);
    Ok((rest, Expr::new(ExprKind::Quantified { quantifier: q, test: Box::new(t) }, span)))
}

/// The arguments of an ordinary call, after its `(`.
fn call_args<'a>(i: Src<'a>, name: &Ident, open: Span) -> PResult<'a, Expr> {
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
            Err(_) => return unclosed(rest, open, &["`,`", "`)`"]),
        };
        let span = name.span.to(close);
        return Ok((rest, Expr::new(ExprKind::Call { name: name.clone(), args }, span)));
    }
}
