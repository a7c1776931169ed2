//! Statements, queries, clauses and the programme after `in`.

use super::expr::{dangling, expr, keep_going, nothing_follows};
use super::lexeme::{any_word, at_keyword, cycle, identifier, keyword, parameter, peek_word, string, symbol};
use super::recover::{self, CLAUSE_WORDS, Stop};
use super::{FailReason, PResult, ParseFail, Src, fail, offset};
use crate::suggest::{did_you_mean, suggest};
use crate::syntax::{
    Clause, Expr, Ident, OrderItem, ProgrammeRef, ProgrammeRefKind, Query, SelectItem, Span, Stage,
    Statement, StatementKind,
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
            let (i, what) = match any_word(i) {
                Ok(ok) => ok,
                Err(_) => {
                    return hard(fail(
                        i,
                        "what to show: `forces`, `areas`, `programmes`, `themes`, `sources` or `columns`",
                    ));
                }
            };
            if i.fragment().starts_with(['"', '\'']) {
                let (i, (text, span)) = string(i)?;
                let subject = Some(Ident::new(text, span));
                return Ok((
                    i,
                    Statement {
                        kind: StatementKind::Show { what, of: None, programme: None, subject },
                        span: Span::new(start, offset(i)),
                    },
                ));
            }
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
            (i, StatementKind::Show { what, of, programme, subject: None })
        }
        "select" => return Err(nom::Err::Failure(sql_select(i))),
        "" if i.fragment().starts_with('.') => return Err(nom::Err::Failure(prompt_command(i))),
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

/// `query = source , [ programme ] , { clause } , { "then" , clause , { clause } }`
pub fn query(i: Src<'_>) -> PResult<'_, Query> {
    query_in(i, false)
}

/// A query, inside parentheses when `inner` (it then ends before a `)`).
pub fn query_in(i: Src<'_>, inner: bool) -> PResult<'_, Query> {
    let start = offset(i);
    let (i, source) = match identifier(i) {
        Ok(ok) => ok,
        Err(_) => {
            return fail(i, "a source: `forces`, `inspections`, `grades`, `areas` or `programmes`");
        }
    };
    let (i, programme) = if at_keyword(i, "in") {
        let (i, p) = programme_clause(i)?;
        (i, Some(p))
    } else {
        (i, None)
    };
    let (mut i, as_of) =
        if at_keyword(i, "as") { as_of_clause(i).map(|(i, c)| (i, Some(c)))? } else { (i, None) };
    let mut q = Query {
        source,
        programme,
        as_of,
        filter: None,
        group_by: None,
        select: None,
        distinct: None,
        order_by: None,
        limit: None,
        then: Vec::new(),
        span: Span::new(start, start),
    };
    i = clauses(i, &mut q, inner)?;
    while at_keyword(i, "then") {
        let (rest, kw) = keyword("then")(i)?;
        // the stage's clauses are parsed into a query of their own, then moved
        let mut stage = Query {
            source: q.source.clone(),
            programme: None,
            as_of: None,
            filter: None,
            group_by: None,
            select: None,
            distinct: None,
            order_by: None,
            limit: None,
            then: Vec::new(),
            span: kw,
        };
        i = clauses(rest, &mut stage, inner)?;
        let empty = stage.filter.is_none()
            && stage.group_by.is_none()
            && stage.select.is_none()
            && stage.order_by.is_none()
            && stage.limit.is_none();
        if empty && offset(i) == offset(rest) {
            // `then` with no clause after it
            dangling(kw, "then")?;
        }
        q.then.push(Stage {
            keyword: kw,
            filter: stage.filter,
            group_by: stage.group_by,
            select: stage.select,
            distinct: stage.distinct,
            order_by: stage.order_by,
            limit: stage.limit,
            span: Span::new(kw.start, offset(i)),
        });
    }
    q.span = Span::new(start, offset(i));
    Ok((i, q))
}

/// The clauses of one stage into `q`, up to a `then`, the end, or (when
/// `inner`) a `)`.
fn clauses<'a>(mut i: Src<'a>, q: &mut Query, inner: bool) -> Result<Src<'a>, nom::Err<ParseFail>> {
    let mut last = None;
    let stage_ends = |i: Src<'_>| {
        i.fragment().is_empty() || at_keyword(i, "then") || (inner && i.fragment().starts_with(')'))
    };
    while !stage_ends(i) {
        let word = peek_word(i).to_ascii_lowercase();
        let (step, read_as) = if CLAUSE_WORDS.contains(&word.as_str()) {
            (clause(i, &word, q), word)
        } else {
            let f = leftover(i, q, last);
            match misspelt_clause(i)? {
                // `wher x = 1`: report it, then read it as `where`
                Some((rest, kw, name)) => {
                    keep_going(f)?;
                    (clause_body(rest, kw, name, q), name.split(' ').next().unwrap_or(name).to_string())
                }
                None => (Err(nom::Err::Error(f)), word),
            }
        };
        match step {
            Ok(rest) => {
                last = Some(read_as);
                i = rest;
            }
            Err(nom::Err::Error(f) | nom::Err::Failure(f)) if recover::recoverable(&f) => {
                // note it, skip to the next clause and go on
                let at = f.span.start.max(offset(i));
                keep_going(f)?;
                let (mut rest, ()) = recover::skip(i, at, Stop::Clause)?;
                if offset(rest) == offset(i) {
                    let (r, _) = nom::bytes::complete::take(1usize)(rest)?;
                    rest = r;
                }
                last = None;
                i = rest;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(i)
}

/// Parses one clause starting with `word` into `q`.
fn clause<'a>(i: Src<'a>, word: &str, q: &mut Query) -> Result<Src<'a>, nom::Err<ParseFail>> {
    let (rest, kw, name) = match word {
        "where" | "select" | "limit" => {
            let kw_word = match word {
                "where" => "where",
                "select" => "select",
                _ => "limit",
            };
            let (rest, kw) = keyword(kw_word)(i)?;
            (rest, kw, kw_word)
        }
        "group" => {
            let (rest, kw) = two_words(i, "group", "by")?;
            (rest, kw, "group by")
        }
        _ => {
            let first = if word == "order" { "order" } else { "sort" };
            let (rest, kw) = two_words(i, first, "by")?;
            (rest, kw, if first == "order" { "order by" } else { "sort by" })
        }
    };
    clause_body(rest, kw, name, q)
}

/// A misspelt clause keyword at `i` (`wher`, `selct`, `oder by`,
/// `orderby`): the input after it, its span and the clause it stands for.
#[allow(clippy::type_complexity)]
fn misspelt_clause(i: Src<'_>) -> Result<Option<(Src<'_>, Span, &'static str)>, nom::Err<ParseFail>> {
    let word = peek_word(i).to_ascii_lowercase();
    if word.len() < 3 {
        return Ok(None);
    }
    let joined = match word.as_str() {
        "groupby" => Some("group by"),
        "orderby" => Some("order by"),
        "sortby" => Some("sort by"),
        _ => None,
    };
    let (rest, first) = any_word(i)?;
    if let Some(name) = joined {
        return Ok(Some((rest, first.span, name)));
    }
    let found = suggest(&word, ["where", "select", "limit", "group", "order", "sort"]);
    let [one] = found.as_slice() else { return Ok(None) };
    let name: &'static str = match one.as_str() {
        "where" => "where",
        "select" => "select",
        "limit" => "limit",
        two => {
            // `grup by`, `oder by`: only with the `by`
            if !at_keyword(rest, "by") {
                return Ok(None);
            }
            let (rest, by) = keyword("by")(rest)?;
            let name = match two {
                "group" => "group by",
                "order" => "order by",
                _ => "sort by",
            };
            return Ok(Some((rest, first.span.to(by), name)));
        }
    };
    Ok(Some((rest, first.span, name)))
}

/// What follows a clause keyword `name` (at `kw`), parsed into `q`.
fn clause_body<'a>(
    rest: Src<'a>,
    kw: Span,
    name: &'static str,
    q: &mut Query,
) -> Result<Src<'a>, nom::Err<ParseFail>> {
    let mut rest = rest;
    if nothing_follows(rest) {
        dangling(kw, name)?;
        // `where and x = 1`: one mistake; read the rest as the clause
        if (at_keyword(rest, "and") || at_keyword(rest, "or")) && !nothing_follows(skip_word(rest)?) {
            rest = skip_word(rest)?;
        } else {
            return Ok(rest);
        }
    }
    let rest = match name {
        "where" => {
            let (rest, e) = hard(expr(rest))?;
            set_once(&mut q.filter, Clause { keyword: kw, body: e }, kw, "where")?;
            rest
        }
        "group by" => {
            let (rest, keys) = comma_list(rest, expr)?;
            set_once(&mut q.group_by, Clause { keyword: kw, body: keys }, kw, "group by")?;
            rest
        }
        "select" => {
            let (rest, distinct) = distinct(rest)?;
            let (rest, items) = comma_list(rest, select_item)?;
            if q.select.is_none() {
                q.distinct = distinct;
            }
            set_once(&mut q.select, Clause { keyword: kw, body: items }, kw, "select")?;
            rest
        }
        "limit" => {
            let (rest, n) = limit_value(rest)?;
            set_once(&mut q.limit, Clause { keyword: kw, body: n }, kw, "limit")?;
            rest
        }
        _ => {
            let (rest, items) = comma_list(rest, order_item)?;
            set_once(&mut q.order_by, Clause { keyword: kw, body: items }, kw, "order by")?;
            rest
        }
    };
    Ok(rest)
}

/// `select distinct a, b`: the word `distinct` right after `select`,
/// when a value follows it (`select distinct, x` names a column `distinct`).
fn distinct(i: Src<'_>) -> PResult<'_, Option<Span>> {
    if !at_keyword(i, "distinct") {
        return Ok((i, None));
    }
    let (rest, word) = any_word(i)?;
    let next = rest.fragment();
    let operator = next.starts_with(['+', '*', '/', '=', '!', '<', '>', '~']) && !next.starts_with("--");
    if next.is_empty() || next.starts_with([',', ')', ';']) || operator || at_keyword(rest, "as") {
        return Ok((i, None));
    }
    Ok((rest, Some(word.span)))
}

/// `i` after its first word.
fn skip_word(i: Src<'_>) -> Result<Src<'_>, nom::Err<ParseFail>> {
    let (rest, _) = any_word(i)?;
    Ok(rest)
}

/// What was expected where a query's clauses stopped, with a hint when
/// the word found is a misspelt keyword.
fn leftover(i: Src<'_>, q: &Query, last: Option<String>) -> ParseFail {
    let at = offset(i);
    let t = *i.fragment();
    if t.starts_with(')') {
        return ParseFail::new(Span::new(at, at + 1), FailReason::Unmatched);
    }
    if let Some(quote) = t.chars().next().filter(|c| *c == '"' || *c == '\'') {
        if !t[1..].contains(quote) {
            return ParseFail::new(Span::new(at, at + 1), FailReason::StrayQuote);
        }
    }
    let in_where = last.as_deref() == Some("where");
    let mut expected: Vec<String> = Vec::new();
    if in_where {
        expected.push("`and`, `or`".into());
    }
    if matches!(last.as_deref(), Some("order" | "sort")) {
        expected.push("`asc`, `desc`".into());
    }
    if q.programme.is_none() && q.filter.is_none() && q.group_by.is_none() && q.select.is_none() {
        expected.push("`in <programme>`".into());
    }
    let clauses: Vec<&str> = [
        (q.filter.is_some(), "`where`"),
        (q.group_by.is_some(), "`group by`"),
        (q.select.is_some(), "`select`"),
        (q.order_by.is_some(), "`order by`"),
        (q.limit.is_some(), "`limit`"),
    ]
    .into_iter()
    .filter(|(taken, _)| !taken)
    .map(|(_, name)| name)
    .collect();
    match clauses.as_slice() {
        [] => {}
        [one] => expected.push(format!("a clause ({one})")),
        many => expected.push(format!("a clause ({})", many.join(", "))),
    }
    expected.push("the end of the query".into());
    let mut f = ParseFail::new(Span::new(at, at), FailReason::Expected).expecting(expected);
    let word = peek_word(i);
    let mut words: Vec<&str> = vec!["where", "group", "select", "order", "sort", "limit", "in"];
    if in_where {
        words.extend(["and", "or"]);
    }
    if matches!(last.as_deref(), Some("order" | "sort")) {
        words.extend(["desc", "asc"]);
    }
    let spelled: Vec<String> = suggest(word, words.iter().copied())
        .into_iter()
        .filter(|w| !w.eq_ignore_ascii_case(word))
        .map(|w| match w.as_str() {
            "group" | "order" | "sort" => format!("{w} by"),
            _ => w,
        })
        .collect();
    let lower = word.to_ascii_lowercase();
    if last.as_deref() == Some("limit") && t.starts_with(|c: char| c.is_ascii_digit()) {
        // `limit 5 5`
        return f.hint("`limit` takes one number: `limit 5`");
    }
    if (lower == "desc" || lower == "asc") && !matches!(last.as_deref(), Some("order" | "sort")) {
        // `… limit 3 desc`: the direction belongs to a sort key
        return f.hint(format!(
            "`{lower}` goes right after a key of `order by`: `order by score {lower} limit 3`"
        ));
    }
    if lower == "having" {
        // SQL's `HAVING`: a filter on grouped rows is a `where` in a stage after them
        let span = Span::new(at, at + word.len());
        return ParseFail::habit(span, "peelql::parse::sql_having", "PeelQL has no `HAVING`").hint(
            "filter the grouped rows in a stage after them, with `then where`: \
             `grades group by area select area, count() as n then where n > 5`",
        );
    }
    if lower == "in" {
        // `forces where … in all`: the programme goes first
        return f.hint("`in …` comes right after the source, e.g. `forces in all where …`");
    }
    let spelled = match words
        .iter()
        .copied()
        .find(|w| w.len() >= 3 && lower.len() > w.len() && lower.starts_with(*w))
    {
        // `descending` → `desc`, `ascending` → `asc`, `selected` → `select`
        Some(w @ ("group" | "order" | "sort")) => vec![format!("{w} by")],
        Some(w) => vec![w.to_string()],
        None => spelled,
    };
    if word.len() > 1 {
        if let Some(h) = did_you_mean(&spelled) {
            f = f.hint(h);
        }
    }
    let starts_value =
        crate::value::Grade::parse(&word.to_ascii_lowercase()).is_some() || t.starts_with(['"', '\'']);
    if in_where && starts_value {
        f = f.hint("to compare, put an operator before it, e.g. `= inadequate` or `at least good`");
    }
    f
}

fn set_once<T>(slot: &mut Option<T>, value: T, kw: Span, name: &str) -> Result<(), nom::Err<ParseFail>> {
    if slot.is_some() {
        // keep the first; report the second with the statement's other problems
        return keep_going(ParseFail::duplicate(kw, name));
    }
    *slot = Some(value);
    Ok(())
}

/// `SELECT … FROM source …`: SQL's order. The hint shows the query in
/// PeelQL's order.
fn sql_select(i: Src<'_>) -> ParseFail {
    sql_select_in(offset(i), i.fragment())
}

/// SQL's `(SELECT … FROM …)` inside parentheses, where a PeelQL subquery
/// starts from its source: the same hint, over the text up to the `)`
/// that closes it; with the length of that text in `i`.
pub(super) fn sql_subquery(i: Src<'_>) -> (ParseFail, usize) {
    let text = *i.fragment();
    let mut depth = 0i32;
    let mut end = text.len();
    for (n, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = n;
                break;
            }
            ')' => depth -= 1,
            _ => {}
        }
    }
    (sql_select_in(offset(i), text[..end].trim_end()), end)
}

fn sql_select_in(at: usize, text: &str) -> ParseFail {
    let (peelql, source) = super::habits::select_from(text);
    let select = Span::new(at, at + "select".len());
    let mut f = ParseFail::habit(
        select,
        "peelql::parse::sql_select",
        "PeelQL queries start from the source, not `SELECT`",
    );
    f = match source {
        Some((s, e)) => f
            .note(Span::new(at + s, at + e), "start here")
            .hint(format!("PeelQL starts from the source: `{peelql}`")),
        None => f.hint(format!("start from a source and select after it: `{peelql}`")),
    };
    f.hint("`where`, `group by`, `order by`, `limit` and `select` then follow, in any order")
}

/// `.forces` and the prompt's other dot-commands, given as a statement
/// (`peelql -c '.forces'`, a line of a script): the `show` statement that
/// does the same, or the prompt.
fn prompt_command(i: Src<'_>) -> ParseFail {
    let text = *i.fragment();
    let rest = &text[1..];
    let len = 1 + rest.find(|c: char| !super::lexeme::is_word_char(c)).unwrap_or(rest.len());
    let name = &text[..len];
    let at = offset(i);
    let span = Span::new(at, at + len);
    let show = match name.to_ascii_lowercase().as_str() {
        ".forces" => Some("show forces"),
        ".areas" => Some("show areas"),
        ".programmes" | ".programs" => Some("show programmes"),
        ".sources" => Some("show sources"),
        ".themes" => Some("show themes"),
        _ => None,
    };
    let message = if name.len() > 1 {
        format!("`{name}` is a command of the prompt, not a statement")
    } else {
        "a statement cannot start with `.`".to_string()
    };
    let f = ParseFail::habit(span, "peelql::parse::prompt_command", message);
    match show {
        Some(statement) => f.hint(format!(
            "in a query or a script write `{statement}`; dot-commands work at the prompt (`peelql` with no arguments)"
        )),
        None => f.hint(
            "dot-commands work only at the prompt (`peelql` with no arguments); a statement starts from a source: `forces`, `grades`…",
        ),
    }
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
pub(super) fn order_item(i: Src<'_>) -> PResult<'_, OrderItem> {
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

/// `limit ( integer | parameter )`: any operand is read, so the resolver
/// can say why one that is not a whole number is wrong.
fn limit_value(i: Src<'_>) -> PResult<'_, crate::syntax::Expr> {
    match super::expr::operand(i) {
        Ok(ok) => Ok(ok),
        Err(nom::Err::Error(_)) => hard(fail(i, "a whole number (as in `limit 10`)")),
        Err(e) => Err(e),
    }
}

/// `as of = "as" , "of" , expr , { "," , expr }`
fn as_of_clause(i: Src<'_>) -> PResult<'_, Clause<Vec<Expr>>> {
    let (i, as_kw) = keyword("as")(i)?;
    let (i, of_kw) = match keyword("of")(i) {
        Ok(ok) => ok,
        Err(_) => return hard(fail(i, "`of`, as in `forces as of 2024-03-31 where engage`")),
    };
    let (mut i, first) = hard(expr(i))?;
    let mut dates = vec![first];
    while let Ok((rest, _)) = symbol(",")(i) {
        let (rest, e) = hard(expr(rest))?;
        dates.push(e);
        i = rest;
    }
    Ok((i, Clause { keyword: Span::new(as_kw.start, of_kw.end), body: dates }))
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
    // `in frs 2021`, `in fire all`, `in frs latest`: a fire and rescue programme
    for word in ["frs", "fire"] {
        if at_keyword(i, word) {
            let (i, _) = keyword(word)(i)?;
            for scope in ["all", "latest"] {
                if at_keyword(i, scope) {
                    let (i, span) = keyword(scope)(i)?;
                    let kind = ProgrammeRefKind::Named(format!("frs {scope}"));
                    return Ok((i, ProgrammeRef { kind, span: Span::new(start, span.end) }));
                }
            }
            return match cycle(i) {
                Ok((rest, (text, span))) => Ok((
                    rest,
                    ProgrammeRef {
                        kind: ProgrammeRefKind::Named(format!("{word} {text}")),
                        span: Span::new(start, span.end),
                    },
                )),
                Err(_) => fail(i, "a fire and rescue programme: `frs 2021`, `frs all`, `frs latest`"),
            };
        }
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
