//! Statements, queries, clauses and the programme after `in`.

use super::expr::expr;
use super::lexeme::{any_word, at_keyword, cycle, identifier, keyword, parameter, peek_word, string, symbol};
use super::{PResult, ParseFail, Src, fail, offset};
use crate::syntax::{
    Clause, Ident, OrderItem, ProgrammeRef, ProgrammeRefKind, Query, SelectItem, Span, Statement,
    StatementKind,
};

/// `statement = query | let … | explain … | show …`
pub fn statement(i: Src<'_>) -> PResult<'_, Statement> {
    let start = offset(i);
    let word = peek_word(i).to_ascii_lowercase();
    let (i, kind) = match word.as_str() {
        "let" => {
            let (i, _) = keyword("let")(i)?;
            let (i, name) = hard(identifier(i))?;
            let (i, _) = match symbol("=")(i) {
                Ok(ok) => ok,
                Err(_) => return hard(fail(i, "`=` (as in `let name = forces where …`)")),
            };
            let (i, q) = hard(query(i))?;
            (i, StatementKind::Let { name, query: q })
        }
        "explain" => {
            let (i, _) = keyword("explain")(i)?;
            let (i, q) = hard(query(i))?;
            (i, StatementKind::Explain(q))
        }
        "show" => {
            let (i, _) = keyword("show")(i)?;
            let (i, what) = hard(any_word(i))?;
            let (i, of) = if !at_keyword(i, "in")
                && peek_word(i).chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            {
                let (i, w) = any_word(i)?;
                (i, Some(w))
            } else {
                (i, None)
            };
            let (i, programme) = if at_keyword(i, "in") {
                let (i, p) = programme_clause(i)?;
                (i, Some(p))
            } else {
                (i, None)
            };
            (i, StatementKind::Show { what, of, programme })
        }
        _ => {
            let (i, q) = query(i)?;
            (i, StatementKind::Query(q))
        }
    };
    Ok((i, Statement { kind, span: Span::new(start, offset(i)) }))
}

fn hard<T>(r: PResult<'_, T>) -> PResult<'_, T> {
    match r {
        Err(nom::Err::Error(e)) => Err(nom::Err::Failure(e)),
        other => other,
    }
}

/// `query = source , [ programme ] , { clause }`
pub fn query(i: Src<'_>) -> PResult<'_, Query> {
    let start = offset(i);
    let (i, source) = match identifier(i) {
        Ok(ok) => ok,
        Err(_) => {
            return fail(i, "a source: `forces`, `inspections`, `grades`, `areas` or `programmes`");
        }
    };
    let (mut i, programme) = if at_keyword(i, "in") {
        let (i, p) = programme_clause(i)?;
        (i, Some(p))
    } else {
        (i, None)
    };
    let mut q = Query {
        source,
        programme,
        filter: None,
        group_by: None,
        select: None,
        order_by: None,
        limit: None,
        span: Span::new(start, start),
    };
    loop {
        let word = peek_word(i).to_ascii_lowercase();
        match word.as_str() {
            "where" => {
                let (rest, kw) = keyword("where")(i)?;
                let (rest, e) = hard(expr(rest))?;
                set_once(&mut q.filter, Clause { keyword: kw, body: e }, kw, "where")?;
                i = rest;
            }
            "group" => {
                let (rest, kw) = two_words(i, "group", "by")?;
                let (rest, keys) = comma_list(rest, expr)?;
                set_once(&mut q.group_by, Clause { keyword: kw, body: keys }, kw, "group by")?;
                i = rest;
            }
            "select" => {
                let (rest, kw) = keyword("select")(i)?;
                let (rest, items) = comma_list(rest, select_item)?;
                set_once(&mut q.select, Clause { keyword: kw, body: items }, kw, "select")?;
                i = rest;
            }
            "order" | "sort" => {
                let first = if word == "order" { "order" } else { "sort" };
                let (rest, kw) = two_words(i, first, "by")?;
                let (rest, items) = comma_list(rest, order_item)?;
                set_once(&mut q.order_by, Clause { keyword: kw, body: items }, kw, "order by")?;
                i = rest;
            }
            "limit" => {
                let (rest, kw) = keyword("limit")(i)?;
                let (rest, n) = limit_value(rest)?;
                set_once(&mut q.limit, Clause { keyword: kw, body: n }, kw, "limit")?;
                i = rest;
            }
            _ => break,
        }
    }
    if !i.fragment().is_empty() {
        let mut expected: Vec<String> = Vec::new();
        if q.programme.is_none() && q.filter.is_none() && q.group_by.is_none() && q.select.is_none() {
            expected.push("`in <programme>`".into());
        }
        for (taken, name) in [
            (q.filter.is_some(), "`where`"),
            (q.group_by.is_some(), "`group by`"),
            (q.select.is_some(), "`select`"),
            (q.order_by.is_some(), "`order by`"),
            (q.limit.is_some(), "`limit`"),
        ] {
            if !taken {
                expected.push(name.into());
            }
        }
        if q.filter.is_some() {
            expected.push("`and`, `or`".into());
        }
        expected.push("`;`".into());
        return Err(nom::Err::Error(ParseFail {
            span: Span::new(offset(i), offset(i)),
            expected,
            reason: super::FailReason::Expected,
        }));
    }
    q.span = Span::new(start, offset(i));
    Ok((i, q))
}

fn set_once<T>(slot: &mut Option<T>, value: T, kw: Span, name: &str) -> Result<(), nom::Err<ParseFail>> {
    if slot.is_some() {
        return Err(nom::Err::Failure(ParseFail::duplicate(kw, name)));
    }
    *slot = Some(value);
    Ok(())
}

fn two_words<'a>(i: Src<'a>, first: &'static str, second: &'static str) -> PResult<'a, Span> {
    let (rest, a) = keyword(first)(i)?;
    match keyword(second)(rest) {
        Ok((rest, b)) => Ok((rest, a.to(b))),
        Err(_) => hard(fail(rest, format!("`{second}` (as in `{first} {second}`)"))),
    }
}

fn comma_list<'a, T>(i: Src<'a>, item: fn(Src<'a>) -> PResult<'a, T>) -> PResult<'a, Vec<T>> {
    let (mut i, first) = hard(item(i))?;
    let mut items = vec![first];
    while let Ok((rest, _)) = symbol(",")(i) {
        let (rest, next) = hard(item(rest))?;
        items.push(next);
        i = rest;
    }
    Ok((i, items))
}

/// `select item = expr , [ "as" , ( identifier | string ) ]`
fn select_item(i: Src<'_>) -> PResult<'_, SelectItem> {
    let (i, e) = expr(i)?;
    let start = e.span;
    if at_keyword(i, "as") {
        let (i, _) = keyword("as")(i)?;
        let (i, alias) = if i.fragment().starts_with(['"', '\'']) {
            let (i, (s, span)) = string(i)?;
            (i, Ident::new(s, span))
        } else {
            // any word, reserved or not: `as inadequate` is clear in this place
            hard(any_word(i))?
        };
        let span = start.to(alias.span);
        return Ok((i, SelectItem { expr: e, alias: Some(alias), span }));
    }
    Ok((i, SelectItem { expr: e, alias: None, span: start }))
}

/// `order item = expr , [ "asc" | "desc" ]`
fn order_item(i: Src<'_>) -> PResult<'_, OrderItem> {
    let (i, e) = expr(i)?;
    let mut span = e.span;
    let (i, descending) = if let Ok((i, s)) = keyword("desc")(i) {
        span = span.to(s);
        (i, true)
    } else if let Ok((i, s)) = keyword("asc")(i) {
        span = span.to(s);
        (i, false)
    } else {
        (i, false)
    };
    Ok((i, OrderItem { expr: e, descending, span }))
}

/// `limit ( integer | parameter )`
fn limit_value(i: Src<'_>) -> PResult<'_, crate::syntax::Expr> {
    use crate::syntax::{Expr, ExprKind};
    if i.fragment().starts_with('$') {
        let (i, p) = parameter(i)?;
        let span = p.span;
        return Ok((i, Expr::new(ExprKind::Param(p), span)));
    }
    match super::lexeme::number(i) {
        Ok((rest, (lit, span))) => Ok((rest, Expr::new(ExprKind::Literal(lit), span))),
        Err(_) => {
            // Let any operand through so the resolver can say why it is wrong
            // ("limit needs a whole number"); nothing at all is a parse error.
            match super::expr::operand(i) {
                Ok(ok) => Ok(ok),
                Err(_) => hard(fail(i, "a whole number (as in `limit 10`)")),
            }
        }
    }
}

/// `programme = "in" , programme ref`
fn programme_clause(i: Src<'_>) -> PResult<'_, ProgrammeRef> {
    let (i, _) = keyword("in")(i)?;
    hard(programme_ref(i))
}

fn programme_ref(i: Src<'_>) -> PResult<'_, ProgrammeRef> {
    let start = offset(i);
    if at_keyword(i, "latest") {
        let (i, span) = keyword("latest")(i)?;
        return Ok((i, ProgrammeRef { kind: ProgrammeRefKind::Latest, span }));
    }
    if at_keyword(i, "all") {
        let (i, span) = keyword("all")(i)?;
        return Ok((i, ProgrammeRef { kind: ProgrammeRefKind::All, span }));
    }
    if i.fragment().starts_with(['"', '\'']) {
        let (i, (s, span)) = string(i)?;
        return Ok((i, ProgrammeRef { kind: ProgrammeRefKind::Named(s), span }));
    }
    if i.fragment().starts_with('$') {
        let (i, p) = parameter(i)?;
        return Ok((i, ProgrammeRef { kind: ProgrammeRefKind::Param(p.name), span: p.span }));
    }
    let (i, prefix) = if at_keyword(i, "peel") {
        let (i, _) = keyword("peel")(i)?;
        (i, "peel ")
    } else {
        (i, "")
    };
    match cycle(i) {
        Ok((rest, (text, span))) => Ok((
            rest,
            ProgrammeRef {
                kind: ProgrammeRefKind::Named(format!("{prefix}{text}")),
                span: Span::new(start, span.end),
            },
        )),
        Err(_) => fail(i, "a programme: `latest`, `all`, `peel 2021`, `\"PEEL 2023-25\"`"),
    }
}
