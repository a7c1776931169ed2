//! Quoted lines wider than the report. miette draws the query line a label
//! points into as it is, so a line wider than the terminal would break the
//! picture (the line wraps, the labels under it no longer line up).
//! [`Windowed`] shows such a line through a window around its labels, with
//! `…` (`...` in plain ASCII) at each end that is cut, and keeps every label
//! on its characters: the window keeps the text's true offsets, the marker
//! at a cut start standing on the three bytes before the window.
//!
//! A line that fits is read from the [`Source`] itself, so a report of a
//! query that fits is drawn exactly as before. Very long lines (issue 12,
//! past column 65,535) are cut by [`Source`] first; this cuts to the width.

use crate::error::Source;
use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// The bytes of either marker: `…` is three bytes in UTF-8, as `...` is.
const MARKER_BYTES: usize = 3;

/// The source of one diagnostic, its too-wide lines shown through windows.
pub(crate) struct Windowed<'a> {
    source: &'a Source,
    /// The labels, those on a too-wide line cut to fit a window.
    labels: Vec<LabeledSpan>,
    /// Each span miette may ask for (a label, or a run of them merged into
    /// one picture), with what to show: a window, or `None` for a run too
    /// wide to show at once (miette then draws its labels apart).
    windows: Vec<((usize, usize), Option<Window>)>,
    /// The byte ranges of the lines shown through windows.
    wide_lines: Vec<(usize, usize)>,
}

/// A window on a line: its text with any markers, where it starts in the
/// source (the marker's bytes included) and the line's number.
struct Window {
    text: String,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> Windowed<'a> {
    /// A view of `source` for a report `width` columns wide whose
    /// diagnostic has `labels`; `None` when every labelled line fits (the
    /// report is then drawn from `source` as it is). `unicode` picks the
    /// marker: `…`, else `...`.
    pub(crate) fn new(
        source: &'a Source,
        labels: Vec<LabeledSpan>,
        width: usize,
        unicode: bool,
    ) -> Option<Self> {
        let text = source.text();
        let marker_cols = if unicode { 1 } else { 3 };
        let mut wide_lines = Vec::new();
        let mut cut = Vec::with_capacity(labels.len());
        for label in labels {
            let (start, end) = span_of(&label, text.len());
            let (ls, le) = line_around(text, start);
            let own_line = end <= le;
            if own_line && !fits(source, &label, width) {
                if !wide_lines.contains(&(ls, le)) {
                    wide_lines.push((ls, le));
                }
                let room = room(width, line_index(text, ls));
                // a label takes at most two thirds of the window
                let longest = (room.saturating_sub(2 * marker_cols) * 2 / 3).max(1);
                let len = label.len().min(advance(text, start, longest) - start);
                cut.push(relabel(&label, start, len));
            } else {
                cut.push(label);
            }
        }
        if wide_lines.is_empty() {
            return None;
        }
        let mut sorted: Vec<(usize, usize)> = cut.iter().map(|l| (l.offset(), l.len())).collect();
        sorted.sort_unstable();
        let mut windows = Vec::new();
        for i in 0..sorted.len() {
            let mut end = 0;
            for (j, &(offset, len)) in sorted.iter().enumerate().skip(i) {
                end = end.max(offset + len);
                let key = (sorted[i].0, end - sorted[i].0);
                if windows.iter().any(|(k, _)| *k == key) {
                    continue;
                }
                let exact = j == i;
                if let Some(w) = window(text, key, exact, &sorted, width, unicode, &wide_lines) {
                    windows.push((key, w));
                }
            }
        }
        Some(Windowed { source, labels: cut, windows, wide_lines })
    }

    /// The labels to draw: those on a too-wide line cut to fit its window.
    pub(crate) fn labels(&self) -> Vec<LabeledSpan> {
        self.labels.clone()
    }
}

/// Whether the lines miette would quote for `label` fit `width` columns
/// with their line numbers.
fn fits(source: &Source, label: &LabeledSpan, width: usize) -> bool {
    let Ok(contents) = source.read_span(label.inner(), 1, 1) else { return true };
    let shown = String::from_utf8_lossy(contents.data());
    let lines: Vec<&str> = shown.lines().collect();
    let room = room(width, contents.line() + lines.len().max(1) - 1);
    lines.iter().all(|l| columns(l) <= room)
}

/// The columns left for a quoted line after miette's ` N | ` gutter, for
/// a picture whose last line has index `last_line`.
fn room(width: usize, last_line: usize) -> usize {
    let digits = (last_line + 1).to_string().len();
    width.saturating_sub(digits + 4).max(10)
}

/// The columns a quoted line takes (miette draws a tab as up to 4).
fn columns(line: &str) -> usize {
    line.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

/// The label's span within the text, at least one byte long.
fn span_of(label: &LabeledSpan, len: usize) -> (usize, usize) {
    let start = label.offset().min(len);
    (start, (label.offset() + label.len().max(1)).min(len).max(start))
}

fn relabel(label: &LabeledSpan, offset: usize, len: usize) -> LabeledSpan {
    let text = label.label().map(str::to_owned);
    let span = SourceSpan::from((offset, len));
    if label.primary() {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

/// The byte range of the line holding byte `at`, without its line break.
fn line_around(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
    (start, end)
}

/// The 0-based number of the line starting at byte `line_start`.
fn line_index(text: &str, line_start: usize) -> usize {
    text[..line_start].matches('\n').count()
}

/// The byte `n` characters after `at` (or the end of the text).
fn advance(text: &str, at: usize, n: usize) -> usize {
    text[at..].char_indices().nth(n).map_or(text.len(), |(i, _)| at + i)
}

/// The byte `n` characters before `at`, not before `floor`.
fn retreat(text: &str, at: usize, n: usize, floor: usize) -> usize {
    text[floor..at].char_indices().rev().nth(n.saturating_sub(1)).map_or(floor, |(i, _)| floor + i)
}

/// The window showing `span` (a label, when `exact`, or a run of labels)
/// on its too-wide line; `Some(None)` for a run that does not fit (drawn
/// apart), `None` for a span on no too-wide line (read from the source).
#[allow(clippy::too_many_arguments)]
fn window(
    text: &str,
    (offset, len): (usize, usize),
    exact: bool,
    labels: &[(usize, usize)],
    width: usize,
    unicode: bool,
    wide_lines: &[(usize, usize)],
) -> Option<Option<Window>> {
    let (start, end) = (offset, (offset + len.max(1)).min(text.len()).max(offset));
    let (ls, le) = line_around(text, start);
    let on_wide = wide_lines.iter().any(|&(a, b)| start <= b && end >= a);
    if !on_wide {
        return None;
    }
    if !wide_lines.contains(&(ls, le)) || end > le {
        // a run over several lines, one of them too wide: drawn apart
        return Some(None);
    }
    let line = line_index(text, ls);
    let room = room(width, line);
    let marker_cols = if unicode { 1 } else { 3 };
    // the characters around the span that any window could show, as
    // positions in the text (a 10 MB line is not walked)
    let reach = room + 2 * MARKER_BYTES;
    let lo = retreat(text, start, reach, ls);
    let hi = advance(text, end, reach).min(le);
    let mut stops: Vec<usize> = text[lo..hi].char_indices().map(|(i, _)| lo + i).collect();
    stops.push(hi);
    let a = stops.iter().position(|&p| p >= start).unwrap_or(0);
    let b = stops.iter().position(|&p| p >= end).unwrap_or(stops.len() - 1);
    let n = stops.len() - 1;
    let (line_start, line_end) = (lo == ls, hi == le);
    let marker = |cut: bool| if cut { marker_cols } else { 0 };
    let span_cols = b - a;
    let lead = room.saturating_sub(span_cols + 2 * marker_cols) / 3;
    let mut best: Option<(usize, usize, usize)> = None;
    for from in (a.saturating_sub(room)..=a).rev() {
        let cut_start = from > 0 || !line_start;
        // a marker needs three bytes of the line before the window
        if cut_start && stops[from] < ls + MARKER_BYTES {
            continue;
        }
        let left = marker(cut_start);
        let mut to = if line_end && (n - from) + left <= room {
            n
        } else {
            from + room.saturating_sub(left + marker_cols)
        };
        to = to.min(n);
        // a marker at a cut end stands on three bytes of the line after it
        while (to < n || !line_end) && stops[to] + MARKER_BYTES > le && to > b {
            to -= 1;
        }
        let cut_end = to < n || !line_end;
        if to < b || (cut_end && stops[to] + MARKER_BYTES > le) {
            continue;
        }
        // no other label may be half in the window, or under a marker
        let (zone_a, zone_b) = (
            stops[from] - if cut_start { MARKER_BYTES } else { 0 },
            stops[to] + if cut_end { MARKER_BYTES } else { 0 },
        );
        let clean = labels.iter().all(|&(o, l)| {
            let (la, lb) = (o, o + l.max(1));
            (la >= stops[from] && lb <= stops[to]) || lb <= zone_a || la >= zone_b
        });
        if !clean {
            continue;
        }
        // the most text, then the span about a third of the way in (its
        // label's words go to the right)
        let score = (a - from).abs_diff(lead);
        if best.is_none_or(|(s, f, t)| to - from > t - f || (to - from == t - f && score < s)) {
            best = Some((score, from, to));
        }
    }
    let Some((_, from, to)) = best else {
        if exact {
            // labels too close to cut apart: the label's own characters
            return Some(Some(make(text, stops[a], stops[b], ls, le, line, unicode)));
        }
        return Some(None);
    };
    Some(Some(make(text, stops[from], stops[to], ls, le, line, unicode)))
}

fn make(text: &str, from: usize, to: usize, ls: usize, le: usize, line: usize, unicode: bool) -> Window {
    let marker = if unicode { "…" } else { "..." };
    let (cut_start, cut_end) = (from > ls, to < le);
    let mut shown = String::new();
    if cut_start {
        shown.push_str(marker);
    }
    shown.push_str(&text[from..to]);
    if cut_end {
        shown.push_str(marker);
    }
    let offset = if cut_start { from - MARKER_BYTES } else { from };
    Window { text: shown, offset, line, column: offset - ls }
}

impl SourceCode for Windowed<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        // without context, miette asks only for the line and column of a
        // label, to name its place: the source's own answer
        if context_lines_before == 0 && context_lines_after == 0 {
            return self.source.read_span(span, 0, 0);
        }
        let key = (span.offset(), span.len());
        match self.windows.iter().find(|(k, _)| *k == key) {
            Some((_, Some(w))) => Ok(Box::new(MietteSpanContents::new_named(
                self.source.name().to_owned(),
                w.text.as_bytes(),
                (w.offset, w.text.len()).into(),
                w.line,
                w.column,
                1,
            ))),
            Some((_, None)) => Err(MietteError::OutOfBounds),
            None => {
                let (start, end) = (span.offset(), span.offset() + span.len());
                if self.wide_lines.iter().any(|&(a, b)| start <= b && end >= a) {
                    // a run this view did not foresee, over a too-wide line:
                    // miette draws its labels apart
                    return Err(MietteError::OutOfBounds);
                }
                self.source.read_span(span, context_lines_before, context_lines_after)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view<'a>(source: &'a Source, labels: &[(usize, usize)], width: usize) -> Option<Windowed<'a>> {
        let labels = labels.iter().map(|&(o, l)| LabeledSpan::new(Some("here".into()), o, l)).collect();
        Windowed::new(source, labels, width, true)
    }

    fn shown(w: &Windowed<'_>, span: (usize, usize)) -> (String, usize) {
        let contents = w.read_span(&span.into(), 1, 1).expect("read");
        (String::from_utf8(contents.data().to_vec()).expect("utf-8"), contents.span().offset())
    }

    #[test]
    fn a_line_that_fits_is_not_windowed() {
        let source = Source::new("query", "forces where x = 1".to_owned());
        assert!(view(&source, &[(13, 1)], 60).is_none());
    }

    #[test]
    fn a_wide_line_shows_a_window_whose_offsets_are_the_texts() {
        let text = format!("grades where {} and grade = poor", "force = \"kent\" or ".repeat(10));
        let at = text.find("poor").expect("there");
        let source = Source::new("query", text.clone());
        let w = view(&source, &[(at, 4)], 60).expect("windowed");
        let (data, offset) = shown(&w, (at, 4));
        assert!(data.starts_with('…') && !data.ends_with('…'), "{data}");
        assert!(data.chars().count() <= 60 - 5, "{data}");
        // the bytes at the label's offset are the label's, in the window too
        assert_eq!(&data[at - offset..at - offset + 4], "poor");
        assert_eq!(&text[offset + 3..offset + data.len()], &data[3..]);
    }

    #[test]
    fn labels_far_apart_are_not_shown_as_one_run() {
        let text = format!("grades where nme = 1 {}select gradee", "and force = \"kent\" ".repeat(8));
        let (a, b) = (text.find("nme").expect("a"), text.find("gradee").expect("b"));
        let source = Source::new("query", text);
        let w = view(&source, &[(a, 3), (b, 6)], 60).expect("windowed");
        assert!(w.read_span(&(a, b + 6 - a).into(), 1, 1).is_err());
        assert!(shown(&w, (a, 3)).0.ends_with('…'));
        assert!(shown(&w, (b, 6)).0.starts_with('…'));
    }

    #[test]
    fn a_long_label_is_cut_to_fit_its_window() {
        let text = format!("grades where force = \"{}\"", "x".repeat(300));
        let source = Source::new("query", text);
        let w = view(&source, &[(21, 302)], 60).expect("windowed");
        let label = &w.labels()[0];
        assert!(label.len() < 40, "{}", label.len());
        assert_eq!(label.offset(), 21);
    }
}
