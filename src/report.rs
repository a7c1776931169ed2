//! Rendering an [`Error`] or a [`Warning`] as text. The library never decides anything about
//! terminals: the caller (the CLI, the REPL, a test) says which [`Style`]
//! it wants, and [`Style::for_stream`] and [`width_for`] hold the policy —
//! colours and Unicode only on a terminal, `NO_COLOR` honoured, plain ASCII
//! otherwise so a log can hold it; the terminal's width, else `COLUMNS`,
//! else 80 columns.
//!
//! Every problem starts with `Error: ` or `Warning: ` at the start of a
//! line, in every report: the first of an error report and each related one
//! (miette marks those), each problem of an import's list, and the plain
//! messages of [`render_message`]. A user, and a grep, can tell problems
//! from results by it.

use crate::error::{Error, Source};
use crate::warning::Warning;
use window::Windowed;

mod window;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity, SourceCode, ThemeCharacters,
    ThemeStyles,
};
use std::fmt;

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

/// The width reports wrap at when the terminal's is not known.
pub const DEFAULT_WIDTH: usize = 80;

/// The narrowest width reports wrap at: a smaller `COLUMNS` is taken as
/// this.
pub const NARROWEST: usize = 20;

impl Style {
    /// Plain ASCII without colour: for logs, pipes and snapshot tests.
    pub fn plain(width: usize) -> Style {
        Style { color: false, unicode: false, width }
    }

    /// The style for a stream: colours and Unicode only when it is a
    /// terminal, and no colours when `no_color` (the `NO_COLOR` variable is
    /// set and not empty); [`DEFAULT_WIDTH`] columns (see [`width_for`]).
    pub fn for_stream(is_terminal: bool, no_color: bool) -> Style {
        Style { color: is_terminal && !no_color, unicode: is_terminal, width: DEFAULT_WIDTH }
    }

    /// This style wrapping at `width` columns.
    pub fn with_width(self, width: usize) -> Style {
        Style { width, ..self }
    }
}

/// The width to wrap a report at: the terminal's (`terminal`, when the
/// stream is one and its size is known), else the `COLUMNS` variable's,
/// else [`DEFAULT_WIDTH`]; never less than [`NARROWEST`].
///
/// ```
/// use peelql::report::width_for;
/// assert_eq!(width_for(Some(60), Some("120")), 60);
/// assert_eq!(width_for(None, Some("120")), 120);
/// assert_eq!(width_for(None, Some("wide")), 80);
/// assert_eq!(width_for(None, None), 80);
/// assert_eq!(width_for(Some(5), None), 20);
/// ```
pub fn width_for(terminal: Option<u16>, columns: Option<&str>) -> usize {
    let columns = columns.and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c > 0);
    terminal.map(usize::from).filter(|&w| w > 0).or(columns).unwrap_or(DEFAULT_WIDTH).max(NARROWEST)
}

/// What a problem is: an error stops the statement (or the run), a warning
/// does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// `Error: `
    Error,
    /// `Warning: `
    Warning,
}

impl Level {
    /// The word a problem of this level starts with, and its colon and
    /// space.
    pub fn prefix(self) -> &'static str {
        match self {
            Level::Error => "Error: ",
            Level::Warning => "Warning: ",
        }
    }
}

/// Error codes whose message is a list of problems in files, one a line
/// under a title ([`crate::catalog::cells::problems_error`]): each is
/// drawn as a problem of its own.
const PROBLEM_LISTS: [&str; 2] = [crate::import::INVALID, "peelql::data::invalid"];

/// Whether `e` is a list of problems in files (an import's, or the data
/// set's): one problem a line under a title, each drawn starting `Error: `.
/// A caller may choose not to wrap these (a log, a pipe into grep): give
/// the style a very wide width.
pub fn is_problem_list(e: &Error) -> bool {
    PROBLEM_LISTS.contains(&e.code_str()) && e.labels().is_empty() && e.related().is_empty()
}

fn handler(style: &Style) -> GraphicalReportHandler {
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme { characters: ThemeCharacters::ascii(), styles: ThemeStyles::ansi() },
        (false, false) => GraphicalTheme::none(),
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        // lines break between words only: `PEEL 2021-22`, a path or a
        // link stays whole
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false)
}

/// The text of an error report, the related problems included, each
/// starting `Error: `.
pub fn render(e: &Error, style: &Style) -> String {
    if is_problem_list(e) {
        return render_problem_list(e, style);
    }
    let mut out = String::from(Level::Error.prefix());
    if handler(style).render_report(&mut out, &Wrapped::new(e, e.source_text(), style)).is_err() {
        out = format!("{}{}: {e}\n", Level::Error.prefix(), e.code_str());
    }
    out
}

/// A list of problems in files: its title and each problem on a line of
/// its own starting `Error: `, wrapped with the rest of a problem indented
/// under it, then the hints.
fn render_problem_list(e: &Error, style: &Style) -> String {
    let mut lines = e.message().lines();
    let mut out = render_message(Level::Error, lines.next().unwrap_or_default(), style);
    for line in lines {
        let item = line.trim_start();
        let indent = &line[..line.len() - item.len()];
        if item.starts_with('…') {
            out.push_str(&fill(item, indent, &format!("{indent}  "), style.width));
        } else {
            let first = format!("{indent}{}", Level::Error.prefix());
            out.push_str(&fill(item, &first, &format!("{indent}    "), style.width));
        }
    }
    for hint in e.hints() {
        out.push_str(&fill(hint, "  help: ", "        ", style.width));
    }
    out
}

/// A problem that is a plain message, without a place in a query: a bad
/// argument, a file that cannot be read, a prompt command misused. Its
/// first line starts `Error: ` or `Warning: `; every line is wrapped at the
/// style's width, the rest of a line indented under its start.
///
/// ```
/// use peelql::report::{Level, Style, render_message};
/// let text = render_message(Level::Error, "cannot read x.pql: No such file or directory", &Style::plain(30));
/// assert_eq!(text, "Error: cannot read x.pql: No\n    such file or directory\n");
/// ```
pub fn render_message(level: Level, message: &str, style: &Style) -> String {
    let mut out = String::new();
    for (n, line) in message.lines().enumerate() {
        let text = line.trim_start();
        let indent = &line[..line.len() - text.len()];
        let first = if n == 0 { format!("{indent}{}", level.prefix()) } else { indent.to_string() };
        out.push_str(&fill(text, &first, &format!("{indent}    "), style.width));
    }
    if out.is_empty() {
        out = format!("{}\n", level.prefix().trim_end());
    }
    out
}

/// `text` after `first`, wrapped at `width` between words (a longer word
/// stays whole), later lines starting with `rest`; ends with a newline.
fn fill(text: &str, first: &str, rest: &str, width: usize) -> String {
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false);
    let mut out = textwrap::fill(text, options);
    out.push('\n');
    out
}

/// A diagnostic drawn with its hints wrapped here rather than by miette:
/// miette wraps a hint's lines under `help: `, so a listed line that is too
/// long would go on at the left edge; here the rest of each line goes
/// under its own start, indented. The related problems are wrapped too. A
/// quoted line wider than the report is shown through a window around its
/// labels ([`window`]).
struct Wrapped<'a> {
    inner: &'a dyn Diagnostic,
    help: Option<String>,
    related: Vec<Wrapped<'a>>,
    window: Option<Windowed<'a>>,
}

/// What miette puts before a hint's lines: `  help: ` and its indent.
const HELP_INDENT: usize = 8;

impl<'a> Wrapped<'a> {
    /// `inner` drawn `style.width` wide; `source` is the text its labels
    /// (and its related problems' labels) point into.
    fn new(inner: &'a dyn Diagnostic, source: Option<&'a Source>, style: &Style) -> Wrapped<'a> {
        let width = style.width;
        // miette leaves two columns; each line here fits what is left after `  help: `
        let room = width.saturating_sub(2 + HELP_INDENT).max(NARROWEST / 2);
        let help = inner.help().map(|h| {
            let text = h.to_string();
            let lines: Vec<String> = text
                .lines()
                .map(|line| {
                    // a paragraph goes on under itself; a listed (indented)
                    // line goes on indented under its start
                    let rest = line.trim_start();
                    let indent = &line[..line.len() - rest.len()];
                    let hang = if indent.is_empty() { String::new() } else { format!("{indent}    ") };
                    fill(rest, indent, &hang, room)
                })
                .collect();
            lines.concat().trim_end_matches('\n').to_string()
        });
        let related =
            inner.related().map(|r| r.map(|d| Wrapped::new(d, source, style)).collect()).unwrap_or_default();
        let window = match (source, inner.source_code(), inner.labels()) {
            (Some(source), Some(_), Some(labels)) => {
                Windowed::new(source, labels.collect(), width, style.unicode)
            }
            _ => None,
        };
        Wrapped { inner, help, related, window }
    }
}

impl fmt::Debug for Wrapped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for Wrapped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for Wrapped<'_> {}

impl Diagnostic for Wrapped<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }

    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        match &self.window {
            Some(window) => Some(window),
            None => self.inner.source_code(),
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        match &self.window {
            Some(window) => Some(Box::new(window.labels().into_iter())),
            None => self.inner.labels(),
        }
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
    }
}

/// The text of a warning's report, drawn like an error's (code, message,
/// the span underlined in `src` with its label, the hints) but starting
/// `Warning: `. `name` names the source: a file name, or `query`.
///
/// ```
/// # fn main() -> peelql::Result<()> {
/// use peelql::report::{Style, render_warning};
/// let engine = peelql::Engine::in_memory()?;
/// let src = r#"forces where "status" = "engage""#;
/// let rows = engine.query(src)?;
/// let text = render_warning(&rows.warnings[0], "query", src, &Style::plain(80));
/// assert!(text.starts_with("Warning: peelql::warning::constant_comparison"));
/// assert!(text.contains("false for every row"));
/// # Ok(())
/// # }
/// ```
pub fn render_warning(w: &Warning, name: &str, src: &str, style: &Style) -> String {
    let mut out = String::from(Level::Warning.prefix());
    let report = w.report(name, src);
    if handler(style)
        .render_report(&mut out, &Wrapped::new(&report, Some(report.source_text()), style))
        .is_err()
    {
        out = format!("{}{}: {}\n", Level::Warning.prefix(), w.code, w.message);
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
    fn every_problem_of_a_report_starts_with_error() {
        let second = Error::new(ErrorKind::Resolve, "peelql::resolve::unknown_column", "no column `nme`")
            .with_span(Span::new(0, 5), "unknown column");
        let text = render(&sample().also(second), &Style::plain(80));
        let starts: Vec<&str> = text.lines().filter(|l| l.starts_with("Error: ")).collect();
        assert_eq!(
            starts,
            ["Error: peelql::parse::expected", "Error: peelql::resolve::unknown_column"],
            "{text}"
        );
    }

    #[test]
    fn each_problem_of_an_import_list_starts_with_error_and_wraps_under_itself() {
        let e = Error::data(
            crate::import::INVALID,
            "nothing was imported: f.csv has 2 problems:\n  f.csv:2:1: column `force`: no force is called \"Kent Polic\"; did you mean `Kent Police`?\n  f.csv:3:9: column `grade`: \"goo\" is not a grade\n  … and 3 more",
        );
        let text = render(&e, &Style::plain(50));
        assert_eq!(
            text,
            "Error: nothing was imported: f.csv has 2 problems:\n  Error: f.csv:2:1: column `force`: no force is\n      called \"Kent Polic\"; did you mean `Kent\n      Police`?\n  Error: f.csv:3:9: column `grade`: \"goo\" is not a\n      grade\n  … and 3 more\n"
        );
        assert!(text.lines().all(|l| l.chars().count() <= 50), "{text}");
    }

    #[test]
    fn a_listed_hint_line_goes_on_under_its_own_start() {
        let e = sample()
            .with_help("say which one:\n  area(\"Disrupting serious organised crime\")  in PEEL 2023-25");
        let text = render(&e, &Style::plain(60));
        assert!(
            text.contains(
                "          area(\"Disrupting serious organised crime\")  in\n              PEEL 2023-25\n"
            ),
            "{text}"
        );
        assert!(text.lines().all(|l| l.chars().count() <= 60), "{text}");
    }

    #[test]
    fn a_line_wider_than_the_report_is_shown_through_a_window() {
        let query = format!("grades where {}grade = poorr", "force = \"kent\" or ".repeat(8));
        let at = query.find("poorr").expect("there");
        let e = Error::new(ErrorKind::Resolve, "peelql::resolve::unknown_column", "no column `poorr`")
            .with_span(Span::new(at, at + 5), "unknown column")
            .with_source("query", query.clone());
        for style in [Style::plain(60), Style { color: false, unicode: true, width: 60 }] {
            let text = render(&e, &style);
            let line = text.lines().find(|l| l.contains("poorr") && l.starts_with(" 1 ")).expect("quoted");
            assert!(line.chars().count() <= 60, "{text}");
            let marker = if style.unicode { "…" } else { "..." };
            assert!(
                line.starts_with(&format!(" 1 {} {marker}", if style.unicode { '│' } else { '|' })),
                "{text}"
            );
            // the underline stands under `poorr`
            let under = text.lines().skip_while(|l| *l != line).nth(1).expect("underline");
            let first = under.chars().position(|c| c == '^' || c == '┬' || c == '─').expect("marks");
            let shown: String = line.chars().skip(first).take(5).collect();
            assert_eq!(shown, "poorr", "{text}");
        }
        // at 200 columns it fits, and is drawn whole
        let wide = render(&e, &Style::plain(200));
        assert!(wide.contains(&format!(" 1 | {query}\n")), "{wide}");
    }

    #[test]
    fn plain_messages_start_with_their_level() {
        let style = Style::plain(80);
        assert_eq!(
            render_message(Level::Warning, "the unfinished input was not run", &style),
            "Warning: the unfinished input was not run\n"
        );
        assert_eq!(render_message(Level::Error, "a\n  b", &style), "Error: a\n  b\n");
        assert_eq!(render_message(Level::Error, "", &style), "Error:\n");
    }

    #[test]
    fn terminals_get_unicode_and_colour_unless_no_color() {
        assert_eq!(Style::for_stream(true, false), Style { color: true, unicode: true, width: 80 });
        assert_eq!(Style::for_stream(true, true), Style { color: false, unicode: true, width: 80 });
        assert_eq!(Style::for_stream(false, false), Style::plain(80));
        assert_eq!(Style::for_stream(false, true), Style::plain(80));
        let fancy = render(&sample(), &Style::for_stream(true, false));
        assert!(fancy.contains('\x1b') && !fancy.is_ascii(), "{fancy}");
        let no_color = render(&sample(), &Style::for_stream(true, true));
        assert!(!no_color.contains('\x1b') && !no_color.is_ascii(), "{no_color}");
    }
}
