//! Rendering errors as diagnostics on standard error.

use peelql::report::{Style, render};
use std::io::IsTerminal;

/// Prints an error: with colours and Unicode on a terminal (unless
/// NO_COLOR is set), plainly otherwise so a log can hold it.
pub fn print_error(e: &peelql::Error) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    eprint!("{}", render(e, &Style::for_stream(std::io::stderr().is_terminal(), no_color)));
}
