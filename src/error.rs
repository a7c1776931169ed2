//! The one error type. Errors are data — a kind, a code, a message, the
//! span they point at, a label and a help line — and are rendered only at
//! the edge (the CLI and REPL), through [`miette::Diagnostic`].

use crate::syntax::Span;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
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
    span: Option<Span>,
    label: Option<String>,
    help: Option<String>,
    source_code: Option<Arc<NamedSource<String>>>,
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
            message: message.into(),
            span: None,
            label: None,
            help: None,
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

    /// Points the error at `span` with a short `label` ("expected a grade").
    pub fn with_span(mut self, span: Span, label: impl Into<String>) -> Error {
        self.0.span = Some(span);
        self.0.label = Some(label.into());
        self
    }

    /// Adds a help line ("did you mean `inadequate`?").
    pub fn with_help(mut self, help: impl Into<String>) -> Error {
        self.0.help = Some(help.into());
        self
    }

    /// Attaches the source text the span points into, with a name (a file
    /// name, or `query`). Spans past the end are clamped so the snippet is
    /// never dropped.
    pub fn with_source(mut self, name: impl AsRef<str>, text: impl Into<String>) -> Error {
        let text = text.into();
        if let Some(span) = self.0.span {
            self.0.span = Some(span.clamp(text.len()));
        }
        self.0.source_code = Some(Arc::new(NamedSource::new(name, text)));
        self
    }

    /// Moves the span `offset` bytes right (a statement's error re-based into
    /// its script).
    pub fn shifted(mut self, offset: usize) -> Error {
        self.0.span = self.0.span.map(|s| s.shift(offset));
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

    /// The span in the source, if the error points at one.
    pub fn span(&self) -> Option<Span> {
        self.0.span
    }

    /// The label at the span.
    pub fn label(&self) -> Option<&str> {
        self.0.label.as_deref()
    }

    /// The help line.
    pub fn help_text(&self) -> Option<&str> {
        self.0.help.as_deref()
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
        self.0.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.source_code.as_deref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.0.span?;
        let label = LabeledSpan::new_with_span(self.0.label.clone(), span);
        Some(Box::new(std::iter::once(label)))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::new(ErrorKind::Io, "peelql::io", e.to_string())
    }
}
