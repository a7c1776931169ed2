//! Cheap error recovery: a failure inside a condition or a clause is
//! recorded, the parser skips to a point where it can go on (the next
//! `and`/`or`, the next clause keyword, a closing `)`), and the statement
//! reports every problem it found at once.
//!
//! The recorded failures live in a thread-local list reset for each
//! statement; at most [`MAX_ERRORS`] are kept, after which the next failure
//! ends the statement as before.

use super::lexeme::{is_word_char, ws};
use super::{FailReason, PResult, ParseFail, Src, offset};
use nom::Parser;
use std::cell::RefCell;

/// The most problems one statement reports.
pub const MAX_ERRORS: usize = 8;

thread_local! {
    static RECOVERED: RefCell<Vec<ParseFail>> = const { RefCell::new(Vec::new()) };
}

/// Forgets the failures recorded so far (a new statement begins).
pub(crate) fn reset() {
    RECOVERED.with(|r| r.borrow_mut().clear());
}

/// The failures recorded since [`reset`].
pub(crate) fn take() -> Vec<ParseFail> {
    RECOVERED.with(|r| std::mem::take(&mut *r.borrow_mut()))
}

/// Records a failure the parser goes on after; false when the list is full
/// (the caller then fails as usual).
pub(crate) fn record(f: ParseFail) -> bool {
    RECOVERED.with(|r| {
        let mut r = r.borrow_mut();
        if r.len() >= MAX_ERRORS {
            return false;
        }
        r.push(f);
        true
    })
}

/// True for failures worth going on after. An unclosed string swallows the
/// rest of the statement and too-deep nesting must stop at once.
pub(crate) fn recoverable(f: &ParseFail) -> bool {
    !matches!(f.reason, FailReason::Unterminated | FailReason::TooDeep | FailReason::TooLong)
}

/// The words that start a clause.
pub(crate) const CLAUSE_WORDS: &[&str] = &["where", "group", "select", "order", "sort", "limit", "then"];

/// Where skipping stops.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Inside a condition: before `and`, `or`, `&&`, `||`, a clause keyword
    /// or an unmatched `)`.
    Condition,
    /// Between clauses: before a clause keyword (a stray `)` is skipped).
    Clause,
}

/// Skips from byte `from` (an offset into the whole text, at or after
/// `i`) to the next stopping point, honouring strings, comments and
/// parentheses, and then any whitespace.
pub(crate) fn skip(i: Src<'_>, from: usize, stop: Stop) -> PResult<'_, ()> {
    let text = *i.fragment();
    let bytes = text.as_bytes();
    let mut pos = from.saturating_sub(offset(i)).min(bytes.len());
    while !text.is_char_boundary(pos) {
        pos += 1;
    }
    let mut depth = 0usize;
    while pos < bytes.len() {
        let b = bytes[pos];
        let word_start =
            (b.is_ascii_alphabetic() || b == b'_') && (pos == 0 || !is_word_char(char::from(bytes[pos - 1])));
        if depth == 0 && word_start {
            let end = text[pos..].find(|c: char| !is_word_char(c)).map_or(bytes.len(), |n| pos + n);
            let word = text[pos..end].to_ascii_lowercase();
            let stops_here = CLAUSE_WORDS.contains(&word.as_str())
                || (stop == Stop::Condition && (word == "and" || word == "or"));
            if stops_here {
                break;
            }
            pos = end;
            continue;
        }
        match b {
            b'"' | b'\'' => {
                pos += 1;
                while pos < bytes.len() && bytes[pos] != b {
                    if bytes[pos] == b'\\' {
                        pos += 1;
                    }
                    pos += 1;
                }
                pos = (pos + 1).min(bytes.len());
            }
            b'-' if bytes.get(pos + 1) == Some(&b'-') => {
                while pos < bytes.len() && bytes[pos] != b'\n' {
                    pos += 1;
                }
            }
            b'(' => {
                depth += 1;
                pos += 1;
            }
            b')' if depth == 0 && stop == Stop::Condition => break,
            b')' => {
                depth = depth.saturating_sub(1);
                pos += 1;
            }
            b'&' | b'|' if depth == 0 && stop == Stop::Condition && bytes.get(pos + 1) == Some(&b) => break,
            _ => pos += 1,
        }
    }
    while !text.is_char_boundary(pos) {
        pos += 1;
    }
    let (rest, _) = nom::bytes::complete::take(text[..pos].chars().count()).parse(i)?;
    ws(rest)
}
