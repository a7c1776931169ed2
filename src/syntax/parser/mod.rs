//! The nom parser: text → [`Script`] / [`Statement`] / [`Expr`].
//!
//! Hand-written over [`nom`] 8 with [`nom_locate`] for byte offsets. Errors
//! are [`ParseFail`] values that remember the furthest point reached and
//! everything that would have been accepted there, so the message can say
//! "expected a grade, a string or a column, found `inadequat`".

mod arith;
mod expr;
mod habits;
mod incomplete;
mod lexeme;
mod query;
mod recover;

use crate::error::{Error, ErrorKind, Result};
use crate::syntax::{Expr, Script, Span, Statement};
use nom::error::{ErrorKind as NomKind, ParseError};
use nom_locate::LocatedSpan;
use std::cell::Cell;

pub use incomplete::{INCOMPLETE_CODES, is_incomplete};
pub use lexeme::{RESERVED, is_reserved};
pub use recover::MAX_ERRORS;

/// Parser input: the text with its byte offset.
pub(crate) type Src<'a> = LocatedSpan<&'a str>;
/// Parser result.
pub(crate) type PResult<'a, T> = nom::IResult<Src<'a>, T, ParseFail>;

/// The deepest nesting of parentheses and calls the parser accepts; deeper
/// input is an error, never a stack overflow.
pub const MAX_DEPTH: u32 = 64;

/// The most operators (`or`, `and`, `+ -`, `* /`) one expression may chain
/// along any path of its tree, parentheses included: a long flat chain is a
/// deep tree, and every later pass walks it recursively.
pub const MAX_CHAIN: u32 = 200;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    static CHAIN: Cell<u32> = const { Cell::new(0) };
}

/// Why parsing stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum FailReason {
    /// None of the expected things was found.
    Expected,
    /// A string was opened and never closed.
    Unterminated,
    /// A token has the right shape but a bad value (`2024-02-30`).
    Invalid(String),
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep,
    /// More than [`MAX_CHAIN`] operators chained.
    TooLong,
    /// A clause was given twice.
    Duplicate(String),
    /// A `(` (at the span in `opens`; several when nested ones all stay
    /// open) is never closed; the failure's span is where a `)` was
    /// expected.
    Unclosed {
        /// The opening parentheses, innermost last.
        opens: Vec<Span>,
    },
    /// A `)` with no `(` before it.
    Unmatched,
    /// A quote that opens nothing closed: most likely the closing quote of
    /// a string whose opening quote is missing (`force = cambs"`).
    StrayQuote,
    /// A keyword or operator (`and`, `where`…) with nothing after it.
    Dangling(String),
    /// A habit from another language (`==`, `SELECT … FROM`, `LIKE`), with
    /// its own code and message; the hint shows the PeelQL form.
    Habit {
        /// The stable error code.
        code: &'static str,
        /// The one-line message.
        message: String,
    },
}

/// A parse failure at a point: what was expected there. Boxed, so the
/// parser's results (and its stack frames) stay small.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseFail(Box<Failure>);

/// What a [`ParseFail`] holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// Where (a point for "expected …", the token for invalid ones).
    pub span: Span,
    /// What would have been accepted, e.g. "a grade", "`by`".
    pub expected: Vec<String>,
    /// Why.
    pub reason: FailReason,
    /// A secondary label: what the failure relates to (the operator whose
    /// right-hand side is missing, the word that lost its quote).
    pub note: Option<(Span, String)>,
    /// Hints, shown as help lines.
    pub hints: Vec<String>,
}

impl std::ops::Deref for ParseFail {
    type Target = Failure;
    fn deref(&self) -> &Failure {
        &self.0
    }
}

impl std::ops::DerefMut for ParseFail {
    fn deref_mut(&mut self) -> &mut Failure {
        &mut self.0
    }
}

impl ParseFail {
    pub(crate) fn new(span: Span, reason: FailReason) -> ParseFail {
        ParseFail(Box::new(Failure { span, expected: vec![], reason, note: None, hints: vec![] }))
    }

    fn at(offset: usize, expected: Vec<String>) -> ParseFail {
        ParseFail::new(Span::new(offset, offset), FailReason::Expected).expecting(expected)
    }

    /// Sets what would have been accepted.
    pub(crate) fn expecting(mut self, expected: Vec<String>) -> ParseFail {
        self.expected = expected;
        self
    }

    pub(crate) fn unterminated(span: Span) -> ParseFail {
        ParseFail::new(span, FailReason::Unterminated)
    }

    pub(crate) fn invalid(span: Span, why: &str) -> ParseFail {
        ParseFail::new(span, FailReason::Invalid(why.to_string()))
    }

    pub(crate) fn duplicate(span: Span, clause: &str) -> ParseFail {
        ParseFail::new(span, FailReason::Duplicate(clause.to_string()))
    }

    pub(crate) fn habit(span: Span, code: &'static str, message: impl Into<String>) -> ParseFail {
        ParseFail::new(span, FailReason::Habit { code, message: message.into() })
    }

    /// Adds a secondary label.
    pub(crate) fn note(mut self, span: Span, text: impl Into<String>) -> ParseFail {
        self.note = Some((span, text.into()));
        self
    }

    /// Adds a hint.
    pub(crate) fn hint(mut self, text: impl Into<String>) -> ParseFail {
        self.hints.push(text.into());
        self
    }
}

impl<'a> ParseError<Src<'a>> for ParseFail {
    fn from_error_kind(input: Src<'a>, _kind: NomKind) -> ParseFail {
        ParseFail::at(offset(input), vec![])
    }

    fn append(_input: Src<'a>, _kind: NomKind, other: ParseFail) -> ParseFail {
        other
    }

    fn or(self, other: ParseFail) -> ParseFail {
        match self.span.start.cmp(&other.span.start) {
            std::cmp::Ordering::Greater => self,
            std::cmp::Ordering::Less => other,
            std::cmp::Ordering::Equal => {
                let mut merged = self;
                for e in other.0.expected {
                    if !merged.expected.contains(&e) {
                        merged.expected.push(e);
                    }
                }
                merged
            }
        }
    }
}

/// The byte offset of the input.
pub(crate) fn offset(i: Src<'_>) -> usize {
    i.location_offset()
}

/// A soft failure: `what` was expected at `i`.
pub(crate) fn fail<T>(i: Src<'_>, what: impl Into<String>) -> PResult<'_, T> {
    Err(nom::Err::Error(ParseFail::at(offset(i), vec![what.into()])))
}

/// Runs the chain `f` (a loop over `or`, `and`, `+`… operators that calls
/// `link` once per operator), restoring the chain count after it however it
/// ends.
pub(crate) fn chain<'a, T>(
    f: impl FnOnce(&mut dyn FnMut(Span) -> Result<(), nom::Err<ParseFail>>) -> PResult<'a, T>,
) -> PResult<'a, T> {
    let base = CHAIN.with(Cell::get);
    let mut link = |span: Span| {
        let n = CHAIN.with(Cell::get) + 1;
        if n > MAX_CHAIN {
            return Err(nom::Err::Failure(ParseFail::new(span, FailReason::TooLong)));
        }
        CHAIN.with(|c| c.set(n));
        Ok(())
    };
    let out = f(&mut link);
    CHAIN.with(|c| c.set(base));
    out
}

/// Runs `f` one nesting level deeper, failing past [`MAX_DEPTH`].
pub(crate) fn nested<'a, T>(i: Src<'a>, f: impl FnOnce(Src<'a>) -> PResult<'a, T>) -> PResult<'a, T> {
    let depth = DEPTH.with(|d| d.get());
    if depth >= MAX_DEPTH {
        let at = offset(i);
        return Err(nom::Err::Failure(ParseFail::new(
            Span::new(at.saturating_sub(1), at),
            FailReason::TooDeep,
        )));
    }
    DEPTH.with(|d| d.set(depth + 1));
    let out = f(i);
    DEPTH.with(|d| d.set(depth));
    out
}

fn reset_depth() {
    DEPTH.with(|d| d.set(0));
}

/// Parses a whole script: statements separated by `;`.
pub fn parse_script(src: &str) -> Result<Script> {
    let mut statements = Vec::new();
    for piece in split_statements(src) {
        if let Some(stmt) = parse_statement_at(src, piece)? {
            statements.push(stmt);
        }
    }
    Ok(Script { statements })
}

/// Parses exactly one statement (a trailing `;` is allowed).
pub fn parse_statement(src: &str) -> Result<Statement> {
    let script = parse_script(src)?;
    let mut it = script.statements.into_iter();
    match (it.next(), it.next()) {
        (Some(s), None) => Ok(s),
        (None, _) => Err(Error::new(ErrorKind::Parse, "peelql::parse::empty", "the query is empty")
            .with_span(Span::new(0, src.len()), "nothing to run here")
            .with_help("try `forces`, or `grades where force = \"cambs\"`")),
        (Some(_), Some(second)) => Err(Error::new(
            ErrorKind::Parse,
            "peelql::parse::several_statements",
            "expected one statement, found several",
        )
        .with_span(second.span, "a second statement")),
    }
}

/// Parses one expression (for tests and tools).
pub fn parse_expr(src: &str) -> Result<Expr> {
    reset_depth();
    recover::reset();
    let input = Src::new(src);
    let run = |i| {
        let (i, _) = lexeme::ws(i)?;
        let (i, e) = expr::expr(i)?;
        end_of_statement(i)?;
        Ok((i, e))
    };
    finish(src, run(input), 0)
}

/// Turns a parser's result and the failures recovered on the way into the
/// crate's result: every problem of the statement, spans shifted by `shift`.
fn finish<T>(text: &str, result: PResult<'_, T>, shift: usize) -> Result<T> {
    let mut fails = recover::take();
    let value = match result {
        Ok((_, v)) => Some(v),
        Err(nom::Err::Error(f) | nom::Err::Failure(f)) => {
            fails.push(f);
            None
        }
        Err(nom::Err::Incomplete(_)) => {
            fails.push(ParseFail::at(text.len(), vec![]));
            None
        }
    };
    // a statement word at the start of a line: the `;` before it is
    // missing, and what follows is another statement (no follow-on errors)
    if let Some(at) = fails.iter().map(|f| f.span.start).min().filter(|&at| starts_a_statement(text, at)) {
        let word = peek_word_at(text, at);
        let before = text[..at].trim_end();
        let end = before.len();
        return Err(Error::new(
            ErrorKind::Parse,
            "peelql::parse::missing_semicolon",
            format!("`{word}` starts a new statement, but the one before it has no `;`"),
        )
        .with_span(Span::new(at, at + word.len()), "a new statement?")
        .with_label(Span::new(end.saturating_sub(1), end), "end it here with `;`")
        .with_help("statements of a script are separated by `;`")
        .shifted(shift));
    }
    // nested `(`s that all stay open are one problem
    let mut merged: Vec<ParseFail> = Vec::new();
    for f in fails {
        if let FailReason::Unclosed { opens } = &f.reason {
            let same_place = merged
                .iter_mut()
                .find(|m| matches!(m.reason, FailReason::Unclosed { .. }) && m.span.start == f.span.start);
            if let Some(FailReason::Unclosed { opens: into }) = same_place.map(|m| &mut m.reason) {
                into.extend(opens.iter().copied());
                into.sort_by_key(|s| s.start);
                continue;
            }
        }
        merged.push(f);
    }
    match Error::combine(merged.into_iter().map(|f| to_error(text, f).shifted(shift))) {
        Some(e) => Err(e),
        None => value.ok_or_else(|| to_error(text, ParseFail::at(text.len(), vec![])).shifted(shift)),
    }
}

/// The word at `at` in `text`.
fn peek_word_at(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or("");
    &rest[..rest.find(|c: char| !lexeme::is_word_char(c)).unwrap_or(rest.len())]
}

/// True when `at` is a word that starts statements — a source, `let`,
/// `explain`, `show` — first on a line (not the statement's first), or a
/// source followed by a clause later on the statement's line.
fn starts_a_statement(text: &str, at: usize) -> bool {
    let Some(line_start) = text.get(..at).map(|b| b.rfind('\n').map_or(0, |n| n + 1)) else { return false };
    let before_on_line = &text[line_start..at];
    let earlier = text[..line_start].lines().any(|l| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with("--")
    });
    let word = peek_word_at(text, at).to_ascii_lowercase();
    if before_on_line.trim().is_empty() {
        return earlier && STATEMENT_WORDS.contains(&word.as_str());
    }
    // on the same line as the statement before: a source word followed by
    // a clause (`… select name forces select name`), so it is not a
    // misplaced column (`programmes select name grades`)
    let after = text.get(at + word.len()..).unwrap_or("");
    let next = peek_word_at(after.trim_start(), 0).to_ascii_lowercase();
    STATEMENT_WORDS[..6].contains(&word.as_str())
        && ["where", "select", "in", "as", "group", "order", "limit"].contains(&next.as_str())
}

/// The words a statement starts with: the sources, then `let`, `explain`
/// and `show`.
const STATEMENT_WORDS: [&str; 9] =
    ["forces", "inspections", "grades", "areas", "programmes", "monitoring", "let", "explain", "show"];

/// Splits a script into the spans of its statements at top-level `;`,
/// skipping `;` inside strings and comments. Pieces may be blank.
pub fn split_statements(src: &str) -> Vec<Span> {
    let mut pieces = Vec::new();
    let bytes = src.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b';' => {
                pieces.push(Span::new(start, i));
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    pieces.push(Span::new(start, src.len().max(start)));
    pieces
}

/// Parses the statement in `piece` of `src`; `None` when it is blank.
/// Spans in the result and in errors are offsets into `src`. A statement
/// with several problems reports them all in one [`Error`] (see
/// [`Error::related`]).
pub fn parse_statement_at(src: &str, piece: Span) -> Result<Option<Statement>> {
    reset_depth();
    recover::reset();
    let text = piece.text(src).unwrap_or("");
    // Re-base: parse the piece on its own, then shift spans by its start.
    let input = Src::new(text);
    let run = |i| {
        let (i, _) = lexeme::ws(i)?;
        if i.fragment().is_empty() {
            return Ok((i, None));
        }
        let (i, s) = query::statement(i)?;
        end_of_statement(i)?;
        Ok((i, Some(s)))
    };
    let stmt = finish(text, run(input), piece.start)?;
    Ok(stmt.map(|s| shift_statement(s, piece.start)))
}

fn end_of_statement(i: Src<'_>) -> PResult<'_, ()> {
    if i.fragment().is_empty() { Ok((i, ())) } else { fail(i, "end of statement") }
}

fn shift_statement(mut s: Statement, by: usize) -> Statement {
    if by != 0 {
        crate::syntax::visit::shift_spans(&mut s, by);
    }
    s
}

/// Describes the token at `at`, and its span.
fn found_at(src: &str, at: usize) -> (String, Span) {
    let rest = src.get(at..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("end of input".to_string(), Span::new(src.len(), src.len()));
    };
    let len = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len())
    } else if first == '"' || first == '\'' {
        let close = rest[1..].find(first).map_or(rest.len(), |n| n + 2);
        if close > 40 { first.len_utf8() } else { close }
    } else if ["==", "!=", "<=", ">=", "<>", "!~", "&&", "||"].iter().any(|op| rest.starts_with(op)) {
        2
    } else {
        first.len_utf8()
    };
    let token = &rest[..len];
    if let Some(name) = invisible(first) {
        return (
            format!("the invisible character U+{:04X}{name}", u32::from(first)),
            Span::new(at, at + len),
        );
    }
    let shown = if token.contains('`') { format!("{token:?}") } else { format!("`{token}`") };
    (shown, Span::new(at, at + len))
}

/// The name of a character that shows as nothing (or as a blank) in a
/// report: control characters, zero-width ones.
fn invisible(c: char) -> Option<&'static str> {
    match c {
        '\0' => Some(" (NUL)"),
        '\u{200b}' => Some(" (a zero-width space)"),
        '\u{200c}' | '\u{200d}' | '\u{2060}' => Some(" (a zero-width joiner)"),
        '\u{a0}' => Some(" (a no-break space)"),
        c if c.is_control() => Some(" (a control character)"),
        _ => None,
    }
}

/// For a word found where a value had ended (`force = Kent Police`,
/// `grade = needs improvement`): the start of the words after the
/// comparison, and the hint: the grade they look like, or quotes.
fn words_as_one_value(src: &str, found: Span) -> Option<(usize, String)> {
    let word = src.get(found.start..found.end)?;
    if word.is_empty() || !word.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    if lexeme::is_reserved(word) {
        return None;
    }
    let before = src[..found.start].trim_end();
    // the char after the last one that is not part of a word (which may be
    // several bytes long: a no-break space)
    let start = before
        .char_indices()
        .rfind(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let prev = &before[start..];
    let op = before[..start].trim_end();
    let numeric = prev.starts_with(|c: char| c.is_ascii_digit());
    if prev.is_empty()
        || numeric
        || lexeme::is_reserved(prev)
        || !["=", "<", ">"].iter().any(|o| op.ends_with(o))
    {
        return None;
    }
    let both = format!("{prev} {word}");
    let grades = crate::value::Grade::ALL.iter().map(|g| g.name());
    let grade = if word.eq_ignore_ascii_case("improvement") || word.eq_ignore_ascii_case("improvment") {
        Some("requires improvement".to_string())
    } else {
        crate::suggest::suggest(&both, grades).first().cloned()
    };
    if let Some(g) = grade {
        return Some((start, format!("did you mean `{g}`?")));
    }
    Some((start, format!("if `{both}` is one value, put it in quotes: \"{both}\"")))
}

/// Joins expectations as "a, b or c".
fn join_expected(items: &[String]) -> String {
    match items {
        [] => "something else".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// Turns a [`ParseFail`] into the crate's [`Error`].
fn to_error(src: &str, f: ParseFail) -> Error {
    let f = *f.0;
    let parse = |code, message: String| Error::new(ErrorKind::Parse, code, message);
    let (found, found_span) = found_at(src, f.span.start);
    let mut e = match f.reason {
        FailReason::Unterminated => {
            parse("peelql::parse::unterminated_string", "this string is never closed".into())
                .with_span(f.span, "string starts here")
                .with_help("close it with the same quote it opens with")
        }
        FailReason::Invalid(why) => {
            parse("peelql::parse::invalid_literal", why.clone()).with_span(f.span, why)
        }
        FailReason::TooDeep => {
            parse("peelql::parse::too_deep", format!("the query nests more than {MAX_DEPTH} levels deep"))
                .with_span(f.span, "too deep here")
                .with_help("split the condition up, or use `let` to name a part of it")
        }
        FailReason::TooLong => {
            parse("peelql::parse::too_long", format!("the expression chains more than {MAX_CHAIN} operators"))
                .with_span(f.span, "too long here")
                .with_help(
                    "for a list of values write `x in (a, b, …)`; or split the condition up with `let`",
                )
        }
        FailReason::Duplicate(clause) => {
            parse("peelql::parse::duplicate_clause", format!("`{clause}` appears twice in one query"))
                .with_span(f.span, "second one here")
                .with_help(if clause == "where" {
                    "join the conditions with `and`".to_string()
                } else {
                    format!("give `{clause}` once, listing everything after it")
                })
        }
        FailReason::Unclosed { opens } => {
            let expected = join_expected(&f.expected);
            let (message, help) = match opens.len() {
                0 | 1 => (
                    "this `(` is never closed".to_string(),
                    "add the missing `)`, or remove the `(`".to_string(),
                ),
                n => (format!("{n} `(` are never closed"), format!("add {n} `)`, or remove the extra `(`")),
            };
            // never closed before the end: `unexpected_end` (more may follow)
            let code = if found_span.is_empty() {
                "peelql::parse::unexpected_end"
            } else {
                "peelql::parse::unclosed_paren"
            };
            let mut e = parse(code, message);
            for (n, open) in opens.iter().enumerate() {
                e = if n == 0 { e.with_span(*open, "opened here") } else { e.with_label(*open, "and here") };
            }
            e.with_label(found_span, format!("expected {expected} here, found {found}")).with_help(help)
        }
        FailReason::Unmatched => {
            parse("peelql::parse::unmatched_paren", "this `)` has no `(` before it".into())
                .with_span(f.span, "nothing to close")
                .with_help("remove it, or add the `(` it should close")
        }
        FailReason::StrayQuote => {
            let before = src[..f.span.start.min(src.len())].trim_end();
            let word_start = before
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
                .last()
                .map_or(before.len(), |(n, _)| n);
            let word = &before[word_start..];
            let e = parse("peelql::parse::missing_quote", "this quote is never closed".into())
                .with_span(f.span, "a string starts here and runs to the end");
            if word.is_empty() {
                e.with_help("close it with the same quote it opens with")
            } else {
                e.with_label(Span::new(word_start, word_start + word.len()), "is this the text?")
                    .with_help(format!("if it ends a string, open the string too: `\"{word}\"`"))
            }
        }
        FailReason::Dangling(word) => {
            let next = src.get(f.span.end..).map_or(src.len(), |r| src.len() - r.trim_start().len());
            let (found, found_span) = found_at(src, next);
            // the input stopped early: `unexpected_end`, which the prompt
            // reads as "wait for the next line"
            let code = if found_span.is_empty() {
                "peelql::parse::unexpected_end"
            } else {
                "peelql::parse::nothing_after"
            };
            let what = match word.as_str() {
                "and" | "or" | "not" | "where" => "a condition",
                "limit" => "a number",
                "select" | "group by" | "order by" | "sort by" => "a column or value",
                "then" => "a clause (`where`, `group by`, `select`, `order by` or `limit`)",
                _ => "something",
            };
            parse(code, format!("expected {what} after `{word}`, found {found}"))
                .with_span(f.span, format!("nothing after this `{word}`"))
        }
        FailReason::Habit { code, message } => parse(code, message).with_span(f.span, "not PeelQL"),
        FailReason::Expected => {
            let expected = join_expected(&f.expected);
            let code = if found_span.is_empty() {
                "peelql::parse::unexpected_end"
            } else {
                "peelql::parse::expected"
            };
            // a short label: the message already lists the choices
            let label = match f.expected.as_slice() {
                [one] => format!("expected {}", one.split(':').next().unwrap_or(one)),
                [_, _] => format!("expected {expected}"),
                _ => "not expected here".to_string(),
            };
            let e = parse(code, format!("expected {expected}, found {found}")).with_span(found_span, label);
            match words_as_one_value(src, found_span).filter(|_| f.hints.is_empty()) {
                Some((start, hint)) => {
                    e.with_label(Span::new(start, found_span.end), "one value?").with_help(hint)
                }
                None => e,
            }
        }
    };
    if let Some((span, text)) = f.note {
        e = e.with_label(span, text);
    }
    for h in f.hints {
        e = e.with_help(h);
    }
    e
}

#[cfg(test)]
mod tests;
