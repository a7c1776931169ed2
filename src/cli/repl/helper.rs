//! The rustyline glue: one helper that completes, hints and highlights by
//! calling the pure functions of `completion.rs`, `hints.rs` and
//! `highlight.rs`. It knows the earlier lines of a multi-line input
//! (`pending`), so the source of a query typed over several lines is
//! still known on the last one.

use super::completion::{Words, complete};
use super::highlight::{HINT, highlight};
use super::hints::hint;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::history::SearchDirection;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use std::borrow::Cow;
use std::cell::Cell;

/// Completion, hints and highlighting for the prompt.
pub struct PeelHelper {
    /// The names completion offers.
    pub words: Words,
    /// Earlier lines of the input being typed, joined with newlines.
    pub pending: String,
    /// Colour (highlighting and hints) is on.
    pub color: bool,
    files: FilenameCompleter,
    brackets: Cell<bool>,
}

impl PeelHelper {
    /// A helper over these names.
    pub fn new(words: Words, color: bool) -> PeelHelper {
        PeelHelper {
            words,
            pending: String::new(),
            color,
            files: FilenameCompleter::new(),
            brackets: Cell::new(true),
        }
    }

    /// The whole input with `line` as its last line, and where `line`
    /// starts in it.
    fn whole<'a>(&self, line: &'a str) -> (Cow<'a, str>, usize) {
        if self.pending.is_empty() {
            (Cow::Borrowed(line), 0)
        } else {
            (Cow::Owned(format!("{}\n{line}", self.pending)), self.pending.len() + 1)
        }
    }
}

impl Completer for PeelHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (text, offset) = self.whole(line);
        let c = complete(&self.words, &text, offset + pos);
        if c.paths {
            return self.files.complete(line, pos, ctx);
        }
        // a replacement starting on an earlier line cannot be made
        let Some(start) = c.start.checked_sub(offset) else { return Ok((pos, Vec::new())) };
        let pairs = c
            .candidates
            .into_iter()
            .map(|c| Pair { display: c.display, replacement: c.replacement })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for PeelHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        // hints are dimmed text; without colour they would look typed
        if !self.color || pos < line.len() {
            return None;
        }
        let (text, _) = self.whole(line);
        let history = |prefix: &str| {
            let h = ctx.history();
            if h.is_empty() {
                return None;
            }
            let start = if ctx.history_index() == h.len() { h.len() - 1 } else { ctx.history_index() };
            h.starts_with(prefix, start, SearchDirection::Reverse)
                .ok()
                .flatten()
                .map(|r| r.entry.into_owned())
        };
        hint(&self.words, &text, history)
    }
}

impl Highlighter for PeelHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if !self.color {
            return Cow::Borrowed(line);
        }
        Cow::Owned(highlight(&self.pending, line, pos, self.brackets.get()))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if !self.color {
            return Cow::Borrowed(hint);
        }
        Cow::Owned(format!("{HINT}{hint}\x1b[0m"))
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        // repaint on every key and cursor move (the bracket match follows
        // the cursor); the final repaint of a taken line shows no match
        self.brackets.set(kind != CmdKind::ForcedRefresh);
        self.color
    }
}

/// Never asked for a verdict: multi-line input is decided in `mod.rs`
/// with the parser (see `multiline.rs`), so Enter always hands the line
/// over and rustyline's `Invalid` path is never taken.
impl Validator for PeelHelper {}

impl Helper for PeelHelper {}
