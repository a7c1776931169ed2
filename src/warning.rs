//! Warnings: the query ran and its answer is exact, but something about it
//! is legal yet suspicious — a comparison of two constants, a force named
//! by part of its name, `every area` over an inspection whose grades may
//! not all be on record. A warning is data, like an [`Error`](crate::Error):
//! a stable code, a message, where in the query it points, and what to do
//! about it. It travels with the answer ([`Rows::warnings`](crate::Rows),
//! [`StatementOutput::warnings`](crate::StatementOutput::warnings)) and is
//! rendered only at the edge: the CLI and the prompt print it under the
//! result on standard error, `--json-lines` answers carry it as
//! `"warnings"`.
//!
//! Every code (`peelql::warning::…`), with a query that gives it, is in
//! `grammar/ERRORS.md`; codes are stable, messages may improve.

use crate::error::Source;
use crate::syntax::Span;
use miette::{Diagnostic, LabeledSpan, Severity, SourceCode};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A legal but suspicious thing about a query that ran.
///
/// It serialises as the error objects of `--json-lines` do:
/// `{"code": "...", "message": "...", "span": {"start": 0, "end": 3} | null,
/// "label": "..." | null, "help": "..." | null}`.
///
/// ```
/// # fn main() -> peelql::Result<()> {
/// let engine = peelql::Engine::in_memory()?;
/// let src = r#"forces where "status" = "engage""#;
/// let rows = engine.query(src)?;
/// assert!(rows.is_empty());
/// let w = &rows.warnings[0];
/// assert_eq!(w.code, "peelql::warning::constant_comparison");
/// assert_eq!(w.span.and_then(|s| s.text(src)), Some(r#""status" = "engage""#));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Warning {
    /// The stable code, e.g. `peelql::warning::constant_comparison`.
    pub code: String,
    /// One line saying what is suspicious.
    pub message: String,
    /// Where in the query text (byte offsets into the text that was run:
    /// the query, or the whole script), when the warning points at a part
    /// of it.
    pub span: Option<Span>,
    /// What to say at `span`, e.g. "false for every row".
    pub label: Option<String>,
    /// What to do about it: one hint per line.
    pub help: Option<String>,
}

impl Warning {
    /// A warning with a stable `code` and a one-line message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Warning {
        Warning { code: code.into(), message: message.into(), span: None, label: None, help: None }
    }

    /// Points the warning at `span` with a short label.
    pub fn with_span(mut self, span: Span, label: impl Into<String>) -> Warning {
        self.span = Some(span);
        self.label = Some(label.into());
        self
    }

    /// Adds a hint, on a line of its own after any earlier one.
    pub fn with_help(mut self, help: impl Into<String>) -> Warning {
        let help = help.into();
        self.help = Some(match self.help.take() {
            Some(before) => format!("{before}\n{help}"),
            None => help,
        });
        self
    }

    /// The warning with its span moved `offset` bytes right (a statement's
    /// warning re-based into its script).
    pub fn shifted(mut self, offset: usize) -> Warning {
        self.span = self.span.map(|s| s.shift(offset));
        self
    }

    /// The warning as a [`miette::Diagnostic`] of severity warning, over
    /// the text its span points into (`name` is a file name, or `query`):
    /// what [`crate::report::render_warning`] draws.
    pub fn report(&self, name: impl AsRef<str>, src: impl Into<String>) -> WarningReport {
        let mut src = src.into();
        let span = self.span.map(|s| {
            // miette cannot draw a label past the last character: point
            // "the end" at a space added for it
            let len = src.len();
            if s.start >= len {
                src.push(' ');
                return Span::new(len, len + 1);
            }
            s.clamp(len)
        });
        WarningReport { warning: Warning { span, ..self.clone() }, source: Source::new(name, src) }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A [`Warning`] with the source text it points into, to render with miette.
#[derive(Debug)]
pub struct WarningReport {
    warning: Warning,
    source: Source,
}

impl WarningReport {
    /// The text the warning points into.
    pub fn source_text(&self) -> &Source {
        &self.source
    }
}

impl fmt::Display for WarningReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.warning.message)
    }
}

impl std::error::Error for WarningReport {}

impl Diagnostic for WarningReport {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.warning.code))
    }

    fn severity(&self) -> Option<Severity> {
        Some(Severity::Warning)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.warning.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.warning.span.map(|_| &self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.warning.span?;
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(self.warning.label.clone(), span))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_accumulate_one_per_line_and_spans_shift() {
        let w = Warning::new("test::x", "m")
            .with_span(Span::new(1, 2), "here")
            .with_help("one")
            .with_help("two")
            .shifted(10);
        assert_eq!(w.help.as_deref(), Some("one\ntwo"));
        assert_eq!(w.span, Some(Span::new(11, 12)));
        assert_eq!(w.to_string(), "m");
    }

    #[test]
    fn serialises_like_a_json_lines_error_object() {
        let w = Warning::new("test::x", "m").with_span(Span::new(0, 3), "here");
        let json = serde_json::to_value(&w).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "test::x", "message": "m",
                "span": {"start": 0, "end": 3}, "label": "here", "help": null})
        );
        assert_eq!(serde_json::from_value::<Warning>(json).unwrap(), w);
    }

    #[test]
    fn a_report_is_a_warning_with_its_label_inside_the_source() {
        let r = Warning::new("test::x", "m").with_span(Span::new(5, 9), "end").report("q", "abc");
        assert_eq!(r.severity(), Some(Severity::Warning));
        let label = r.labels().unwrap().next().unwrap();
        assert_eq!((label.offset(), label.len()), (3, 1), "the space added after the source");
    }
}
