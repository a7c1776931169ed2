//! Rendering errors and warnings as diagnostics on standard error: every
//! problem the binary reports goes through here, so each starts `Error: `
//! or `Warning: ` and is wrapped to the width of standard error.

use super::ColorChoice;
use peelql::report::{Level, Style, is_problem_list, render, render_message, render_warning, width_for};
use std::io::{IsTerminal, Write};
use std::sync::OnceLock;

static CHOICE: OnceLock<ColorChoice> = OnceLock::new();

/// Follows `--color` for diagnostics too (set once, at start).
pub fn set_color(choice: ColorChoice) {
    let _ = CHOICE.set(choice);
}

/// The style for standard error: Unicode only on a terminal; colour on a
/// terminal unless NO_COLOR is set, or as `--color` says; the terminal's
/// width, else `COLUMNS`, else 80 columns. Asked afresh for each report,
/// so a resized terminal is followed.
pub fn stderr_style() -> Style {
    let terminal = std::io::stderr().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut style = Style::for_stream(terminal, no_color);
    match CHOICE.get() {
        Some(ColorChoice::Always) => style.color = true,
        Some(ColorChoice::Never) => style.color = false,
        _ => {}
    }
    let size = if terminal { terminal_size::terminal_size_of(std::io::stderr()) } else { None };
    let columns = std::env::var("COLUMNS").ok();
    style.with_width(width_for(size.map(|(w, _)| w.0), columns.as_deref()))
}

/// Prints an error: with colours and Unicode on a terminal (unless
/// NO_COLOR is set), plainly otherwise so a log can hold it. An import's
/// list of problems is wrapped only for a terminal or a `COLUMNS` that asks
/// for it: in a log or a pipe each problem stays one line, for grep.
pub fn print_error(e: &peelql::Error) {
    let mut style = stderr_style();
    if is_problem_list(e) && !std::io::stderr().is_terminal() && std::env::var_os("COLUMNS").is_none() {
        style = style.with_width(UNWRAPPED);
    }
    write_stderr(&render(e, &style));
}

/// A width no problem line reaches.
const UNWRAPPED: usize = 100_000;

/// Prints a problem that is a plain message (a bad argument, a file that
/// cannot be read, a prompt command misused) as `Error: …`.
pub fn error(message: &str) {
    write_stderr(&render_message(Level::Error, message, &stderr_style()));
}

/// Prints a plain message as `Warning: …`: something the user should know
/// that stops nothing.
pub fn warning(message: &str) {
    write_stderr(&render_message(Level::Warning, message, &stderr_style()));
}

/// Prints a statement's warnings, each as a diagnostic pointing into
/// `src` (named `name`: the file, `query` or `input`), styled as errors are.
pub fn print_warnings(warnings: &[peelql::Warning], name: &str, src: &str) {
    if warnings.is_empty() {
        return;
    }
    let style = stderr_style();
    let text: String = warnings.iter().map(|w| render_warning(w, name, src, &style)).collect();
    write_stderr(&text);
}

fn write_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}
