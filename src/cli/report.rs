//! Rendering errors and warnings as diagnostics on standard error.

use super::ColorChoice;
use peelql::report::{Style, render, render_warning};
use std::io::IsTerminal;
use std::sync::OnceLock;

static CHOICE: OnceLock<ColorChoice> = OnceLock::new();

/// Follows `--color` for diagnostics too (set once, at start).
pub fn set_color(choice: ColorChoice) {
    let _ = CHOICE.set(choice);
}

/// The style for standard error: Unicode only on a terminal; colour on a
/// terminal unless NO_COLOR is set, or as `--color` says.
fn stderr_style() -> Style {
    let terminal = std::io::stderr().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut style = Style::for_stream(terminal, no_color);
    match CHOICE.get() {
        Some(ColorChoice::Always) => style.color = true,
        Some(ColorChoice::Never) => style.color = false,
        _ => {}
    }
    style
}

/// Prints an error: with colours and Unicode on a terminal (unless
/// NO_COLOR is set), plainly otherwise so a log can hold it.
pub fn print_error(e: &peelql::Error) {
    eprint!("{}", render(e, &stderr_style()));
}

/// Prints a statement's warnings, each as a diagnostic pointing into
/// `src` (named `name`: the file, `query` or `input`), styled as errors are.
pub fn print_warnings(warnings: &[peelql::Warning], name: &str, src: &str) {
    if warnings.is_empty() {
        return;
    }
    let style = stderr_style();
    let mut err = std::io::stderr().lock();
    for w in warnings {
        let _ = std::io::Write::write_all(&mut err, render_warning(w, name, src, &style).as_bytes());
    }
}
