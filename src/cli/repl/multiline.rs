//! Multi-line input, decided by the parser.
//!
//! Each line read is added to the input; when the parser says the input
//! ended too early ([`peelql::syntax::parser::is_incomplete`]: an open
//! bracket or quote, a trailing `and`, `where` with nothing after it) the
//! prompt asks for another line with the continuation prompt, otherwise
//! the input runs — and a mistake in it is shown as a diagnostic.
//!
//! This is done outside rustyline, line by line, so that continuation
//! lines get their own prompt, and rustyline's validator is never asked:
//! its `Invalid` result keeps the rejected text in the buffer, which is
//! not what a prompt for queries wants.

use peelql::syntax::parser::is_incomplete;

/// The prompt for the first line of an input.
pub const PROMPT: &str = "peelql> ";
/// The prompt for the lines that continue it (as wide as [`PROMPT`]).
pub const CONTINUATION: &str = "   ...> ";

/// What to do after a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Nothing to run (a blank line).
    Empty,
    /// The input is not finished: read another line.
    More,
    /// Run this input (every line of it).
    Run(String),
}

/// The lines of an input read so far.
#[derive(Clone, Debug, Default)]
pub struct MultiLine {
    buffer: String,
}

impl MultiLine {
    /// True when no line of an unfinished input is held.
    pub fn is_empty(&self) -> bool {
        self.buffer.is_empty()
    }

    /// The lines held so far, joined with newlines.
    pub fn pending(&self) -> &str {
        &self.buffer
    }

    /// The prompt for the next line.
    pub fn prompt(&self) -> &'static str {
        if self.is_empty() { PROMPT } else { CONTINUATION }
    }

    /// Forgets the unfinished input (Ctrl-C).
    pub fn clear(&mut self) {
        self.buffer.clear();
    }

    /// Adds a line (which may itself hold several, when a multi-line
    /// history entry was recalled) and says what to do.
    pub fn push(&mut self, line: &str) -> Step {
        if !self.buffer.is_empty() {
            self.buffer.push('\n');
        }
        self.buffer.push_str(line);
        if self.buffer.trim().is_empty() {
            self.buffer.clear();
            return Step::Empty;
        }
        if is_incomplete(&self.buffer) {
            return Step::More;
        }
        Step::Run(std::mem::take(&mut self.buffer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_statement_runs_at_once() {
        let mut m = MultiLine::default();
        assert_eq!(
            m.push("forces where area(\"responding\") = inadequate"),
            Step::Run("forces where area(\"responding\") = inadequate".into())
        );
        assert!(m.is_empty());
        assert_eq!(m.prompt(), PROMPT);
    }

    #[test]
    fn an_open_bracket_goes_on() {
        let mut m = MultiLine::default();
        assert_eq!(m.push("forces where (region = \"Eastern\""), Step::More);
        assert_eq!(m.prompt(), CONTINUATION);
        assert_eq!(m.pending(), "forces where (region = \"Eastern\"");
        assert_eq!(
            m.push("  or region = \"London\")"),
            Step::Run("forces where (region = \"Eastern\"\n  or region = \"London\")".into())
        );
        assert!(m.is_empty());
    }

    #[test]
    fn trailing_words_and_quotes_go_on() {
        for (first, second) in [
            ("forces where", "any area = inadequate"),
            ("forces where region = \"Eastern\" and", "any area = inadequate"),
            ("forces where area(\"sex", "offenders\") = inadequate"),
            ("grades group", "by grade select grade, count()"),
            ("explain", "forces"),
        ] {
            let mut m = MultiLine::default();
            assert_eq!(m.push(first), Step::More, "{first}");
            assert!(matches!(m.push(second), Step::Run(_)), "{first} / {second}");
        }
    }

    #[test]
    fn blank_lines() {
        let mut m = MultiLine::default();
        assert_eq!(m.push(""), Step::Empty);
        assert_eq!(m.push("   "), Step::Empty);
        // a blank line inside an unfinished input keeps it open
        assert_eq!(m.push("forces where"), Step::More);
        assert_eq!(m.push(""), Step::More);
        assert!(matches!(m.push("any area = good"), Step::Run(_)));
    }

    #[test]
    fn mistakes_run_so_they_are_shown() {
        let mut m = MultiLine::default();
        assert!(matches!(m.push("forces where )"), Step::Run(_)));
        assert!(matches!(m.push("forces wher"), Step::Run(_)));
    }

    #[test]
    fn a_recalled_multi_line_entry_runs_whole() {
        let mut m = MultiLine::default();
        assert_eq!(
            m.push("forces where (\nregion = \"Eastern\")"),
            Step::Run("forces where (\nregion = \"Eastern\")".into())
        );
    }

    #[test]
    fn clear_forgets() {
        let mut m = MultiLine::default();
        assert_eq!(m.push("forces where"), Step::More);
        m.clear();
        assert!(m.is_empty());
        assert!(matches!(m.push("forces"), Step::Run(s) if s == "forces"));
    }

    #[test]
    fn prompts_are_equally_wide() {
        assert_eq!(PROMPT.chars().count(), CONTINUATION.chars().count());
    }
}
