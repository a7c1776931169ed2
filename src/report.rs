//! Rendering an [`Error`] or a [`Warning`] as text. The library never decides anything about
//! terminals: the caller (the CLI, the REPL, a test) says which [`Style`]
//! it wants, and [`Style::for_stream`] holds the policy — colours and
//! Unicode only on a terminal, `NO_COLOR` honoured, plain ASCII otherwise so
//! a log can hold it.

use crate::error::Error;
use crate::warning::Warning;
use miette::{GraphicalReportHandler, GraphicalTheme, ThemeCharacters, ThemeStyles};

/// How to draw a diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Unicode box-drawing characters (otherwise ASCII).
    pub unicode: bool,
    /// Wrap text at this many columns.
    pub width: usize,
}

impl Style {
    /// Plain ASCII without colour: for logs, pipes and snapshot tests.
    pub fn plain(width: usize) -> Style {
        Style { color: false, unicode: false, width }
    }

    /// The style for a stream: colours and Unicode only when it is a
    /// terminal, and no colours when `no_color` (the `NO_COLOR` variable is
    /// set and not empty).
    pub fn for_stream(is_terminal: bool, no_color: bool) -> Style {
        Style { color: is_terminal && !no_color, unicode: is_terminal, width: 100 }
    }
}

fn handler(style: &Style) -> GraphicalReportHandler {
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme { characters: ThemeCharacters::ascii(), styles: ThemeStyles::ansi() },
        (false, false) => GraphicalTheme::none(),
    };
    GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false)
}

/// The text of an error report, the related problems included.
pub fn render(e: &Error, style: &Style) -> String {
    let mut out = String::new();
    if handler(style).render_report(&mut out, e).is_err() {
        out = format!("error[{}]: {e}\n", e.code_str());
    }
    out
}

/// The text of a warning's report, drawn like an error's (code, message,
/// the span underlined in `src` with its label, the hints) but marked as
/// a warning. `name` names the source: a file name, or `query`.
///
/// ```
/// # fn main() -> peelql::Result<()> {
/// use peelql::report::{Style, render_warning};
/// let engine = peelql::Engine::in_memory()?;
/// let src = r#"forces where "status" = "engage""#;
/// let rows = engine.query(src)?;
/// let text = render_warning(&rows.warnings[0], "query", src, &Style::plain(80));
/// assert!(text.contains("peelql::warning::constant_comparison"));
/// assert!(text.contains("false for every row"));
/// # Ok(())
/// # }
/// ```
pub fn render_warning(w: &Warning, name: &str, src: &str, style: &Style) -> String {
    let mut out = String::new();
    if handler(style).render_report(&mut out, &w.report(name, src)).is_err() {
        out = format!("warning[{}]: {}\n", w.code, w.message);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::syntax::Span;

    fn sample() -> Error {
        Error::new(ErrorKind::Parse, "peelql::parse::expected", "expected a grade, found `x`")
            .with_span(Span::new(6, 7), "expected a grade")
            .with_help("did you mean `good`?")
            .with_source("query", "grade x")
    }

    #[test]
    fn plain_is_ascii_without_escapes() {
        let text = render(&sample(), &Style::plain(80));
        assert!(text.is_ascii(), "{text}");
        assert!(!text.contains('\x1b'), "{text}");
        assert!(text.contains("`-- expected a grade"), "labels the span: {text}");
        assert!(text.contains("help: did you mean `good`?"), "{text}");
    }

    #[test]
    fn terminals_get_unicode_and_colour_unless_no_color() {
        assert_eq!(Style::for_stream(true, false), Style { color: true, unicode: true, width: 100 });
        assert_eq!(Style::for_stream(true, true), Style { color: false, unicode: true, width: 100 });
        assert_eq!(Style::for_stream(false, false), Style::plain(100));
        assert_eq!(Style::for_stream(false, true), Style::plain(100));
        let fancy = render(&sample(), &Style::for_stream(true, false));
        assert!(fancy.contains('\x1b') && !fancy.is_ascii(), "{fancy}");
        let no_color = render(&sample(), &Style::for_stream(true, true));
        assert!(!no_color.contains('\x1b') && !no_color.is_ascii(), "{no_color}");
    }
}
