//! The `grid` format: the grid drawn in a terminal.
//!
//! Each cell is a block holding the grade's code (`O`, `G`, `A`, `RI`,
//! `I`; `·` for no grade, `*` after a grade not stated outright), on the
//! grade's colour when colour is on. Area headers are short forms with a
//! key below; a grid wider than the given width is drawn in several
//! blocks of columns.

use super::{Grid, GridCell, GridKind, NO_GRID_NOTE};
use crate::output::RenderOptions;
use crate::rows::Rows;
use crate::value::Grade;

/// ANSI reset.
const RESET: &str = "\x1b[0m";

/// The ANSI escape that paints a grade's block: bold white on dark green,
/// black on light green, black on amber, black on orange, bold white on red.
pub(crate) fn block_colour(grade: Grade) -> &'static str {
    match grade {
        Grade::Outstanding => "\x1b[1;97;48;5;22m",
        Grade::Good => "\x1b[30;48;5;114m",
        Grade::Adequate => "\x1b[30;48;5;221m",
        Grade::RequiresImprovement => "\x1b[30;48;5;208m",
        Grade::Inadequate => "\x1b[1;97;48;5;160m",
    }
}

/// Dim, for the mark of an empty cell.
const DIM: &str = "\x1b[2m";

/// Longest row label drawn before truncating.
const MAX_LABEL: usize = 40;
/// The narrowest a row label is squeezed to when fitting a width.
const MIN_LABEL: usize = 16;

/// The characters of the picture, Unicode or ASCII.
struct Glyphs {
    none: &'static str,
    ellipsis: char,
    unicode: bool,
}

impl Glyphs {
    fn new(unicode: bool) -> Glyphs {
        if unicode {
            Glyphs { none: "·", ellipsis: '…', unicode }
        } else {
            Glyphs { none: ".", ellipsis: '~', unicode }
        }
    }

    /// Text with the few non-ASCII characters the grid adds made ASCII.
    fn text(&self, s: &str) -> String {
        if self.unicode { s.to_string() } else { s.replace('×', "x").replace('·', ".").replace('—', "-") }
    }
}

fn width_of(s: &str) -> usize {
    s.chars().count()
}

/// `s` cut to `width` characters (with an ellipsis) or padded to it.
fn fit(s: &str, width: usize, g: &Glyphs) -> String {
    let n = width_of(s);
    if n <= width {
        return format!("{s}{}", " ".repeat(width - n));
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(width - 1).collect();
    out.push(g.ellipsis);
    out
}

/// The text of one cell's block, `width` wide, with its colour when `colour`.
fn cell_block(cell: &GridCell, width: usize, colour: bool, g: &Glyphs) -> String {
    let mark = if cell.is_derived() { "*" } else { "" };
    let content = match cell.code() {
        Some(code) => format!("{code}{mark}"),
        None if cell.is_not_graded() => super::NOT_GRADED.to_string(),
        None => g.none.to_string(),
    };
    let text = format!(" {}", fit(&content, width - 1, g));
    match (colour, cell.grade) {
        (true, Some(grade)) => format!("{}{text}{RESET}", block_colour(grade)),
        (true, None) => format!("{DIM}{text}{RESET}"),
        (false, _) => text,
    }
}

/// Renders the grid for a terminal.
pub(crate) fn render(grid: &Grid, opts: &RenderOptions, query: Option<&str>) -> String {
    let g = Glyphs::new(opts.unicode);
    let mut out = String::new();
    let line = |out: &mut String, s: &str| {
        out.push_str(s.trim_end());
        out.push('\n');
    };
    let width = opts.width.map(usize::from);
    let prose = |out: &mut String, s: &str, indent: usize| {
        for l in wrap(&g.text(s), width, indent) {
            line(out, &l);
        }
    };
    prose(&mut out, &grid.title(), 2);
    if let Some(q) = query {
        prose(&mut out, &format!("query: {q}"), 2);
    }
    out.push('\n');

    // each column is a block one wider than its content, then a space
    let widths: Vec<usize> = grid.columns.iter().map(|c| width_of(&c.short).max(3) + 1).collect();
    let natural = grid.rows.iter().map(|r| width_of(&r.short)).max().unwrap_or(0).clamp(4, MAX_LABEL);
    let total: usize = widths.iter().map(|w| w + 1).sum();
    let label = match opts.width.map(usize::from) {
        Some(w) if natural + total > w => natural.min(w.saturating_sub(total).max(MIN_LABEL)),
        _ => natural,
    };
    // a force's Engage mark after its name
    let marks = grid.has_engage_marks();
    let mark_w = if marks { 2 } else { 0 };
    let chunks = chunk_columns(&widths, opts.width.map(|w| usize::from(w).saturating_sub(label + mark_w)));
    for (n, chunk) in chunks.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut header = " ".repeat(label + mark_w);
        for &c in chunk {
            header.push(' ');
            header.push_str(&fit(&format!(" {}", g.text(&grid.columns[c].short)), widths[c], &g));
        }
        line(&mut out, &header);
        for (r, row) in grid.rows.iter().enumerate() {
            let mut s = fit(&g.text(&row.short), label, &g);
            if marks {
                s.push(' ');
                s.push_str(grid.engage_mark(r).unwrap_or(" "));
            }
            for &c in chunk {
                s.push(' ');
                s.push_str(&cell_block(&grid.cells[r][c], widths[c], opts.color, &g));
            }
            line(&mut out, &s);
        }
    }
    out.push('\n');
    for l in legend(grid, opts.color, &g, width) {
        line(&mut out, &l);
    }
    if grid.has_derived() {
        prose(&mut out, "* found by elimination or inferred, not stated outright (its basis says how)", 2);
    }
    for (mark, words) in grid.engage_legend() {
        let text = if mark.is_empty() { words } else { format!("{mark} {words}") };
        prose(&mut out, &text, 2);
    }
    if marks {
        line(&mut out, "Engage:");
        for (mark, words) in grid.engage_rows() {
            prose(&mut out, &format!("  {mark}  {words}"), 5);
        }
    }
    if grid.kind == GridKind::Forces && grid.columns.iter().any(|c| c.short != c.full) {
        line(&mut out, if grid.column_heading == "area" { "Areas:" } else { "Columns:" });
        let key = grid.columns.iter().map(|c| width_of(&c.short)).max().unwrap_or(0);
        let forces = grid.rows.len();
        for c in &grid.columns {
            let text = format!("  {}  {} — {} of {forces} graded", fit(&c.short, key, &g), c.full, c.graded);
            prose(&mut out, &text, key + 4);
        }
    }
    for note in &grid.notes {
        prose(&mut out, note, 2);
    }
    prose(&mut out, &format!("({})", grid.summary()), 1);
    out
}

/// `text` broken into lines at most `width` wide (a word longer than that
/// keeps its own line), continuation lines indented by `indent`. Spacing
/// within a line is kept.
fn wrap(text: &str, width: Option<usize>, indent: usize) -> Vec<String> {
    let Some(width) = width.filter(|w| *w > indent + 8 && width_of(text) > *w) else {
        return vec![text.to_string()];
    };
    let mut lines = Vec::new();
    let mut current = String::new();
    // each piece is a word with the spaces before it
    let mut pieces: Vec<(String, String)> = Vec::new();
    let mut spaces = String::new();
    let mut word = String::new();
    for c in text.chars() {
        if c == ' ' {
            if !word.is_empty() {
                pieces.push((std::mem::take(&mut spaces), std::mem::take(&mut word)));
            }
            spaces.push(c);
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        pieces.push((spaces, word));
    }
    for (i, (space, word)) in pieces.into_iter().enumerate() {
        if i > 0 && width_of(&current) + width_of(&space) + width_of(&word) > width {
            lines.push(std::mem::take(&mut current));
            current = " ".repeat(indent);
            current.push_str(&word);
        } else {
            current.push_str(&space);
            current.push_str(&word);
        }
    }
    lines.push(current);
    lines
}

/// The grid format's answer for rows with nothing to draw: the note, then
/// the rows as a table.
pub(crate) fn render_fallback(rows: &Rows, opts: &RenderOptions) -> String {
    let mut out = String::new();
    for l in wrap(NO_GRID_NOTE, opts.width.map(usize::from), 0) {
        out.push_str(&l);
        out.push('\n');
    }
    out.push_str(&crate::output::table::render(rows, opts));
    out
}

/// Splits the columns into blocks that each fit in `avail` characters
/// (every block holds at least one column); one block when no width.
fn chunk_columns(widths: &[usize], avail: Option<usize>) -> Vec<Vec<usize>> {
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut used = 0;
    for (i, w) in widths.iter().enumerate() {
        let need = w + 1;
        if let Some(avail) = avail {
            if !current.is_empty() && used + need > avail {
                chunks.push(std::mem::take(&mut current));
                used = 0;
            }
        }
        current.push(i);
        used += need;
    }
    if !current.is_empty() || chunks.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// The legend: each grade's block and word, then the empty mark, on as
/// many lines as `width` needs.
fn legend(grid: &Grid, colour: bool, g: &Glyphs, width: Option<usize>) -> Vec<String> {
    let not_graded = grid.has_not_graded();
    // (visible width, text) of each entry
    let mut parts: Vec<(usize, String)> = Vec::new();
    for grade in grid.legend_grades() {
        let code = grade.code();
        let (w, block) = if colour {
            (code.len() + 2, format!("{} {code} {RESET}", block_colour(grade)))
        } else {
            (code.len(), code.to_string())
        };
        let word = grid.legend_word(grade);
        parts.push((w + 1 + word.chars().count(), format!("{block} {word}")));
    }
    parts.push((2 + "no grade on record".len(), format!("{} no grade on record", g.none)));
    if not_graded {
        let ng = super::NOT_GRADED;
        parts.push((ng.len() + 1 + "not graded".len(), format!("{ng} not graded")));
    }
    let head = "Legend: ";
    let mut lines = Vec::new();
    let mut current = head.to_string();
    let mut used = head.len();
    for (i, (w, text)) in parts.into_iter().enumerate() {
        if i > 0 && width.is_some_and(|width| used + 2 + w > width) {
            lines.push(std::mem::take(&mut current));
            current = " ".repeat(head.len());
            used = head.len();
        } else if i > 0 {
            current.push_str("  ");
            used += 2;
        }
        current.push_str(&text);
        used += w;
    }
    lines.push(current);
    lines
}
