//! Rendering errors as diagnostics on standard error.

use miette::{GraphicalReportHandler, GraphicalTheme};
use std::io::IsTerminal;

/// Prints an error: with colours and Unicode on a terminal (unless
/// NO_COLOR is set), plainly otherwise so a log can hold it.
pub fn print_error(e: &peelql::Error) {
    eprint!("{}", render_error(e, std::io::stderr().is_terminal()));
}

/// The text of an error report.
pub fn render_error(e: &peelql::Error, terminal: bool) -> String {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = if terminal && !no_color {
        GraphicalTheme::unicode()
    } else if terminal {
        GraphicalTheme::unicode_nocolor()
    } else {
        GraphicalTheme::none()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    if handler.render_report(&mut out, e).is_err() {
        out = format!("error: {e}\n");
    }
    out
}
