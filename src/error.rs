//! The one error type. Errors are data — a kind, a stable code, a message,
//! labelled spans, hints and related errors — and are rendered only at the
//! edge (the CLI and REPL), through [`miette::Diagnostic`].
//!
//! One [`Error`] can carry several problems: the first is the error itself,
//! the rest are its [`Error::related`] errors (a statement with a misspelt
//! area *and* a misspelt grade reports both at once). Each problem has a
//! primary label (the span underlined, with what was expected there) and
//! may have secondary labels (the `(` that is never closed, the `and` with
//! nothing after it).
//!
//! Every code, with an input that triggers it, is listed in
//! `grammar/ERRORS.md`; codes are stable, messages may improve.

use crate::syntax::Span;
use miette::{Diagnostic, LabeledSpan, SourceCode};
pub use source::Source;

mod source;
use std::fmt;
use std::sync::Arc;

/// Which stage of the pipeline found the problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The text is not PeelQL.
    Parse,
    /// A name (force, area, column, source, programme…) did not resolve.
    Resolve,
    /// Values of the wrong type, e.g. a grade compared with a date.
    Type,
    /// A problem while running a well-formed query.
    Execution,
    /// The store could not be opened, read or written.
    Store,
    /// A data file or record is invalid.
    Data,
    /// A file could not be read or written.
    Io,
}

/// A PeelQL error: what went wrong, where, and what would work.
///
/// Boxed inside, so a `Result<T, Error>` stays one pointer wide.
#[derive(Clone, Debug)]
pub struct Error(Box<Inner>);

#[derive(Clone, Debug)]
struct Inner {
    kind: ErrorKind,
    code: &'static str,
    message: String,
    /// The first is the primary label; the others are secondary.
    labels: Vec<Label>,
    hints: Vec<String>,
    related: Vec<Error>,
    source_code: Option<Arc<Source>>,
}

/// A labelled span of an error: the primary one says what went wrong
/// there, secondary ones point at what it relates to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there, e.g. "expected a grade".
    pub text: Option<String>,
    /// True for the label the error is about; false for context.
    pub primary: bool,
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error of `kind` with a stable `code` such as
    /// `peelql::resolve::unknown_area` and a one-line message.
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            kind,
            code,
            message: bounded(message.into()),
            labels: Vec::new(),
            hints: Vec::new(),
            related: Vec::new(),
            source_code: None,
        }))
    }

    /// A store error (`peelql::store::…`).
    pub fn store(code: &'static str, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Store, code, message)
    }

    /// A data error (`peelql::data::…`).
    pub fn data(code: &'static str, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Data, code, message)
    }

    /// Points the error at `span` with a short `label` ("expected a grade"):
    /// the primary label, replacing any earlier one.
    pub fn with_span(mut self, span: Span, label: impl Into<String>) -> Error {
        self.0.labels.retain(|l| !l.primary);
        self.0.labels.insert(0, Label { span, text: Some(bounded(label.into())), primary: true });
        self
    }

    /// Adds a secondary label: context for the primary one, such as the
    /// `(` that is never closed.
    pub fn with_label(mut self, span: Span, label: impl Into<String>) -> Error {
        self.0.labels.push(Label { span, text: Some(bounded(label.into())), primary: false });
        self
    }

    /// Adds a hint ("did you mean `inadequate`?"). Hints are shown in order,
    /// one per line.
    pub fn with_help(mut self, help: impl Into<String>) -> Error {
        self.0.hints.push(bounded(help.into()));
        self
    }

    /// Adds `other` (and everything related to it) as a further problem
    /// reported with this one.
    pub fn also(mut self, other: Error) -> Error {
        let mut other = other;
        let nested = std::mem::take(&mut other.0.related);
        self.0.related.push(other);
        self.0.related.extend(nested);
        self
    }

    /// One error reporting all of `errors`, in the order of their spans
    /// (those without a span last); `None` when there are none.
    pub fn combine(errors: impl IntoIterator<Item = Error>) -> Option<Error> {
        let mut all: Vec<Error> = Vec::new();
        for mut e in errors {
            let nested = std::mem::take(&mut e.0.related);
            all.push(e);
            all.extend(nested);
        }
        all.sort_by_key(|e| e.span().map_or((1, 0, 0), |s| (0, s.start, s.end)));
        all.dedup_by(|a, b| a.0.code == b.0.code && a.span() == b.span() && a.0.message == b.0.message);
        let mut it = all.into_iter();
        let first = it.next()?;
        Some(it.fold(first, Error::also))
    }

    /// Attaches the source text the spans point into, with a name (a file
    /// name, or `query`). Spans past the end are clamped so the snippet is
    /// never dropped. Related errors get the same source.
    pub fn with_source(mut self, name: impl AsRef<str>, text: impl Into<String>) -> Error {
        let mut text = text.into();
        // miette cannot draw a label past the last character: point "the end
        // of input" at the trailing whitespace, or at a space added for it
        let end = text.trim_end().len();
        if self.problems().flat_map(|e| e.labels()).any(|l| l.span.start >= text.len()) && end == text.len() {
            text.push(' ');
        }
        let source = Arc::new(Source::new(name, text));
        self.set_source(&source, end);
        self
    }

    fn set_source(&mut self, source: &Arc<Source>, end: usize) {
        let len = source.text().len();
        for l in &mut self.0.labels {
            l.span = l.span.clamp(len);
            let (start, stop) = source::short_label(source.text(), l.span.start, l.span.end);
            l.span = Span::new(start, stop);
            if l.span.start >= end && end < len {
                l.span = Span::new(end, end + 1);
            }
        }
        self.0.source_code = Some(Arc::clone(source));
        for r in &mut self.0.related {
            r.set_source(source, end);
        }
    }

    /// Moves every span `offset` bytes right (a statement's error re-based
    /// into its script).
    pub fn shifted(mut self, offset: usize) -> Error {
        for l in &mut self.0.labels {
            l.span = l.span.shift(offset);
        }
        self.0.related = std::mem::take(&mut self.0.related).into_iter().map(|r| r.shifted(offset)).collect();
        self
    }

    /// Which stage found the problem.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The stable error code, e.g. `peelql::parse::expected`.
    pub fn code_str(&self) -> &'static str {
        self.0.code
    }

    /// The one-line message.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The primary span in the source, if the error points at one.
    pub fn span(&self) -> Option<Span> {
        self.primary().map(|l| l.span)
    }

    /// The primary label's text.
    pub fn label(&self) -> Option<&str> {
        self.primary().and_then(|l| l.text.as_deref())
    }

    fn primary(&self) -> Option<&Label> {
        self.0.labels.iter().find(|l| l.primary)
    }

    /// The source text the spans point into, once attached.
    pub fn source_text(&self) -> Option<&Source> {
        self.0.source_code.as_deref()
    }

    /// Every label, the primary one first.
    pub fn labels(&self) -> &[Label] {
        &self.0.labels
    }

    /// The first hint.
    pub fn help_text(&self) -> Option<&str> {
        self.0.hints.first().map(String::as_str)
    }

    /// Every hint, in order.
    pub fn hints(&self) -> &[String] {
        &self.0.hints
    }

    /// The further problems reported with this one.
    pub fn related(&self) -> &[Error] {
        &self.0.related
    }

    /// This problem and every related one, in order.
    pub fn problems(&self) -> impl Iterator<Item = &Error> {
        std::iter::once(self).chain(self.0.related.iter())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Error {}

impl Diagnostic for Error {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.0.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        if self.0.hints.is_empty() {
            return None;
        }
        Some(Box::new(self.0.hints.join("\n")))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.source_code.as_deref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.0.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.0.labels.iter().map(|l| {
            if l.primary {
                LabeledSpan::new_primary_with_span(l.text.clone(), l.span)
            } else {
                LabeledSpan::new_with_span(l.text.clone(), l.span)
            }
        })))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.0.related.is_empty() {
            return None;
        }
        Some(Box::new(self.0.related.iter().map(|e| e as &dyn Diagnostic)))
    }
}

/// The longest line a message keeps, in characters: a message that
/// quotes a 10 MB input quotes its start.
pub const LONGEST_MESSAGE: usize = 300;

/// `message` with each line cut to [`LONGEST_MESSAGE`] characters and a
/// note of how much was left out (a list of problems keeps every line).
/// Labels and hints are bounded the same way: a 10 MB name quoted in a
/// hint ("did you mean", "write \"…\"") shows its start.
pub fn bounded(message: String) -> String {
    if message.lines().all(|l| l.len() <= LONGEST_MESSAGE) {
        return message;
    }
    let mut out = String::new();
    for (n, line) in message.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let count = line.chars().count();
        if count <= LONGEST_MESSAGE {
            out.push_str(line);
        } else {
            out.extend(line.chars().take(LONGEST_MESSAGE));
            out.push_str(&format!("… ({} more characters not shown)", count - LONGEST_MESSAGE));
        }
    }
    out
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::new(ErrorKind::Io, "peelql::io", e.to_string())
    }
}

/// An I/O error in plain words, without the `(os error N)` a user cannot
/// act on: "permission denied", "the disk is full"…
pub(crate) fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "permission denied".to_owned(),
        K::NotFound => "it does not exist".to_owned(),
        K::NotADirectory => "a file is in the way of a folder".to_owned(),
        K::IsADirectory => "it is a folder, not a file".to_owned(),
        K::ReadOnlyFilesystem => "the file system is read-only".to_owned(),
        K::StorageFull => "the disk is full".to_owned(),
        K::InvalidData => "it is not UTF-8 text".to_owned(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(end) => text[..end].to_owned(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(code: &'static str, start: usize) -> Error {
        Error::new(ErrorKind::Parse, code, code).with_span(Span::new(start, start + 1), "here")
    }

    #[test]
    fn labels_and_hints_quote_only_the_start_of_a_huge_text() {
        let huge = "x".repeat(1_000_000);
        let e = at("a", 1)
            .with_span(Span::new(0, 1), format!("no column `{huge}`"))
            .with_help(format!("write \"{huge}\""));
        assert!(e.label().unwrap().len() < LONGEST_MESSAGE + 100);
        assert!(e.help_text().unwrap().len() < LONGEST_MESSAGE + 100);
        assert!(e.help_text().unwrap().starts_with("write \"xxx"));
    }

    #[test]
    fn an_error_is_one_pointer_wide() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
        assert_eq!(std::mem::size_of::<Result<()>>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn combined_errors_come_in_source_order_without_repeats() {
        let e = Error::combine([at("c", 9), at("a", 1).also(at("b", 5)), at("a", 1)]).unwrap();
        let codes: Vec<&str> = e.problems().map(Error::code_str).collect();
        assert_eq!(codes, ["a", "b", "c"]);
        assert!(Error::combine([]).is_none());
    }

    #[test]
    fn spans_shift_and_clamp_in_every_problem() {
        let e = at("a", 1).with_label(Span::new(2, 3), "context").also(at("b", 4)).shifted(10);
        assert_eq!(e.span(), Some(Span::new(11, 12)));
        assert_eq!(e.labels()[1].span, Span::new(12, 13));
        assert_eq!(e.related()[0].span(), Some(Span::new(14, 15)));
        // a label at the very end points at a space added to the source, so
        // miette draws it
        let e = at("a", 3).with_source("q", "abc");
        assert_eq!(e.span(), Some(Span::new(3, 4)));
        let e = at("a", 99).with_source("q", "abc  ");
        assert_eq!(e.span(), Some(Span::new(3, 4)), "moved back to the trailing space");
    }

    #[test]
    fn hints_are_a_list_and_help_joins_them() {
        let e = at("a", 0).with_help("one").with_help("two");
        assert_eq!(e.hints(), ["one", "two"]);
        assert_eq!(e.help_text(), Some("one"));
        assert_eq!(Diagnostic::help(&e).map(|h| h.to_string()), Some("one\ntwo".to_string()));
    }
}
