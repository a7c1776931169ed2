//! The nom parser: text → [`Script`] / [`Statement`] / [`Expr`].
//!
//! Hand-written over [`nom`] 8 with [`nom_locate`] for byte offsets. Errors
//! are [`ParseFail`] values that remember the furthest point reached and
//! everything that would have been accepted there, so the message can say
//! "expected a grade, a string or a column, found `inadequat`".

mod expr;
mod incomplete;
mod lexeme;
mod query;

use crate::error::{Error, ErrorKind, Result};
use crate::syntax::{Expr, Script, Span, Statement};
use nom::error::{ErrorKind as NomKind, ParseError};
use nom_locate::LocatedSpan;
use std::cell::Cell;

pub use incomplete::{INCOMPLETE_CODES, is_incomplete};
pub use lexeme::{RESERVED, is_reserved};

/// Parser input: the text with its byte offset.
pub(crate) type Src<'a> = LocatedSpan<&'a str>;
/// Parser result.
pub(crate) type PResult<'a, T> = nom::IResult<Src<'a>, T, ParseFail>;

/// The deepest nesting of parentheses and calls the parser accepts; deeper
/// input is an error, never a stack overflow.
pub const MAX_DEPTH: u32 = 100;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
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
    /// A clause was given twice.
    Duplicate(String),
}

/// A parse failure at a point: what was expected there.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseFail {
    /// Where (a point for "expected …", the token for invalid ones).
    pub span: Span,
    /// What would have been accepted, e.g. "a grade", "`by`".
    pub expected: Vec<String>,
    /// Why.
    pub reason: FailReason,
}

impl ParseFail {
    fn at(offset: usize, expected: Vec<String>) -> ParseFail {
        ParseFail { span: Span::new(offset, offset), expected, reason: FailReason::Expected }
    }

    pub(crate) fn unterminated(span: Span) -> ParseFail {
        ParseFail { span, expected: vec![], reason: FailReason::Unterminated }
    }

    pub(crate) fn invalid(span: Span, why: &str) -> ParseFail {
        ParseFail { span, expected: vec![], reason: FailReason::Invalid(why.to_string()) }
    }

    pub(crate) fn duplicate(span: Span, clause: &str) -> ParseFail {
        ParseFail { span, expected: vec![], reason: FailReason::Duplicate(clause.to_string()) }
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
                for e in other.expected {
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

/// Runs `f` one nesting level deeper, failing past [`MAX_DEPTH`].
pub(crate) fn nested<'a, T>(i: Src<'a>, f: impl FnOnce(Src<'a>) -> PResult<'a, T>) -> PResult<'a, T> {
    let depth = DEPTH.with(|d| d.get());
    if depth >= MAX_DEPTH {
        let at = offset(i);
        return Err(nom::Err::Failure(ParseFail {
            span: Span::new(at.saturating_sub(1), at),
            expected: vec![],
            reason: FailReason::TooDeep,
        }));
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
    let input = Src::new(src);
    let run = |i| {
        let (i, _) = lexeme::ws(i)?;
        let (i, e) = expr::expr(i)?;
        end_of_statement(i)?;
        Ok((i, e))
    };
    match run(input) {
        Ok((_, e)) => Ok(e),
        Err(nom::Err::Error(f) | nom::Err::Failure(f)) => Err(to_error(src, f)),
        Err(nom::Err::Incomplete(_)) => Err(to_error(src, ParseFail::at(src.len(), vec![]))),
    }
}

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
/// Spans in the result and in errors are offsets into `src`.
pub fn parse_statement_at(src: &str, piece: Span) -> Result<Option<Statement>> {
    reset_depth();
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
    match run(input) {
        Ok((_, stmt)) => Ok(stmt.map(|s| shift_statement(s, piece.start))),
        Err(nom::Err::Error(f) | nom::Err::Failure(f)) => Err(to_error(text, f).shifted(piece.start)),
        Err(nom::Err::Incomplete(_)) => {
            Err(to_error(text, ParseFail::at(text.len(), vec![])).shifted(piece.start))
        }
    }
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
    let len = if first.is_ascii_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len())
    } else if rest.starts_with("==")
        || rest.starts_with("!=")
        || rest.starts_with("<=")
        || rest.starts_with(">=")
    {
        2
    } else {
        first.len_utf8()
    };
    (format!("`{}`", &rest[..len]), Span::new(at, at + len))
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
    match f.reason {
        FailReason::Unterminated => {
            Error::new(ErrorKind::Parse, "peelql::parse::unterminated_string", "this string is never closed")
                .with_span(f.span, "string starts here")
                .with_help("close it with the same quote it opens with")
        }
        FailReason::Invalid(why) => {
            Error::new(ErrorKind::Parse, "peelql::parse::invalid_literal", why.clone()).with_span(f.span, why)
        }
        FailReason::TooDeep => Error::new(
            ErrorKind::Parse,
            "peelql::parse::too_deep",
            format!("the query nests more than {MAX_DEPTH} levels deep"),
        )
        .with_span(f.span, "too deep here")
        .with_help("split the condition up, or use `let` to name a part of it"),
        FailReason::Duplicate(clause) => Error::new(
            ErrorKind::Parse,
            "peelql::parse::duplicate_clause",
            format!("`{clause}` appears twice in one query"),
        )
        .with_span(f.span, "second one here")
        .with_help(if clause == "where" {
            "join the conditions with `and`".to_string()
        } else {
            format!("give `{clause}` once, listing everything after it")
        }),
        FailReason::Expected => {
            let (found, span) = found_at(src, f.span.start);
            let expected = join_expected(&f.expected);
            let code =
                if span.is_empty() { "peelql::parse::unexpected_end" } else { "peelql::parse::expected" };
            Error::new(ErrorKind::Parse, code, format!("expected {expected}, found {found}"))
                .with_span(span, format!("expected {expected}"))
        }
    }
}

#[cfg(test)]
mod tests;
