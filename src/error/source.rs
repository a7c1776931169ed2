//! The source text an error or warning points into, as miette reads it —
//! with a window on very long lines, so a report about column 70,000 of a
//! 10 MB line shows a line's worth of text around the mistake (with its
//! true line and column) instead of the whole line, and never more than
//! miette can draw.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// The most bytes of text a report shows around one span before it is cut
/// to a window.
const MOST_SHOWN: usize = 2000;

/// How many bytes of a long line are shown on each side of the span.
const AROUND: usize = 60;

/// The longest a label's span may be: a longer one is cut to its start.
pub const LONGEST_LABEL: usize = 200;

/// Named source text that shows long lines through a window.
#[derive(Debug)]
pub struct Source {
    name: String,
    text: String,
}

impl Source {
    /// `text`, called `name` in reports.
    pub fn new(name: impl AsRef<str>, text: String) -> Source {
        Source { name: name.as_ref().to_owned(), text }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What reports call the text: a file name, `query` or `input`.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let whole = self.text.read_span(span, context_lines_before, context_lines_after)?;
        if whole.data().len() <= MOST_SHOWN {
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.clone(),
                whole.data(),
                *whole.span(),
                whole.line(),
                whole.column(),
                whole.line_count(),
            )));
        }
        // the span's own lines only, cut to a window around it
        let text = self.text.as_str();
        let start = span.offset().min(text.len());
        let end = (span.offset() + span.len()).min(text.len());
        let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line_end = text[end..].find(['\n', '\r']).map_or(text.len(), |i| end + i);
        let mut from = start.saturating_sub(AROUND).max(line_start);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (end + AROUND).min(line_end);
        while !text.is_char_boundary(to) {
            to += 1;
        }
        let line = text[..from].matches('\n').count();
        let column = from - line_start;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &text.as_bytes()[from..to],
            (from, to - from).into(),
            line,
            column,
            text[from..to].matches('\n').count() + 1,
        )))
    }
}

/// `span` cut to at most [`LONGEST_LABEL`] bytes (ending on a character
/// boundary of `text`), so a label over a 10 MB string underlines its start.
pub fn short_label(text: &str, start: usize, end: usize) -> (usize, usize) {
    if end.saturating_sub(start) <= LONGEST_LABEL {
        return (start, end);
    }
    let mut cut = (start + LONGEST_LABEL).min(text.len());
    while cut > start && !text.is_char_boundary(cut) {
        cut -= 1;
    }
    (start, cut.max(start + 1).min(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_shown_through_a_window_with_its_true_place() {
        let text = format!("first line\n{}bogus{}", "x ".repeat(40_000), " y".repeat(40_000));
        let at = text.find("bogus").expect("there");
        let source = Source::new("query", text.clone());
        let contents = source.read_span(&(at, 5).into(), 1, 1).expect("read");
        let shown = std::str::from_utf8(contents.data()).expect("utf-8");
        assert!(shown.contains("bogus"));
        assert!(shown.len() <= 5 + 2 * AROUND + 4, "{}", shown.len());
        assert_eq!(contents.line(), 1);
        assert_eq!(contents.column(), at - "first line\n".len() - AROUND);
    }

    #[test]
    fn short_text_is_read_as_miette_reads_it() {
        let source = Source::new("q", "forces where x = 1".to_owned());
        let contents = source.read_span(&(13, 1).into(), 1, 1).expect("read");
        assert_eq!(contents.data(), b"forces where x = 1");
        assert_eq!(contents.name(), Some("q"));
    }
}
