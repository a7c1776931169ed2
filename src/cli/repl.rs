//! The interactive prompt.

use super::{Output, report};
use peelql::{Engine, Params};
use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;
use std::process::ExitCode;

/// Runs the prompt until `.quit` or Ctrl-D.
pub fn run(engine: &Engine, params: &Params, out: Output) -> ExitCode {
    let mut editor = match DefaultEditor::new() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("peelql: cannot start the prompt: {e}");
            return ExitCode::FAILURE;
        }
    };
    let history = Engine::default_path().ok().and_then(|p| p.parent().map(|d| d.join("history.txt")));
    if let Some(h) = &history {
        let _ = editor.load_history(h);
    }
    println!(
        "PeelQL — {} ({}). Type a query ending in `;`, `.help`, or `.quit`.",
        env!("CARGO_PKG_VERSION"),
        engine.describe()
    );
    let mut session = engine.session();
    let mut buffer = String::new();
    loop {
        let prompt = if buffer.is_empty() { "peelql> " } else { "   ...> " };
        match editor.readline(prompt) {
            Ok(line) => {
                let trimmed = line.trim();
                if buffer.is_empty() && trimmed.starts_with('.') {
                    let _ = editor.add_history_entry(trimmed);
                    match trimmed {
                        ".quit" | ".exit" => break,
                        ".help" => println!(
                            "Queries start from a source: forces, inspections, grades, areas, programmes.\nExample: forces where area(\"sex offenders\") = inadequate\nSee grammar/README.md for the whole language."
                        ),
                        other => eprintln!("unknown command {other}; try .help or .quit"),
                    }
                    continue;
                }
                if !buffer.is_empty() {
                    buffer.push('\n');
                }
                buffer.push_str(&line);
                if buffer.trim().is_empty() {
                    buffer.clear();
                    continue;
                }
                match peelql::syntax::parse_script(&buffer) {
                    Err(e) if e.code_str() == "peelql::parse::unexpected_end" => continue,
                    _ => {}
                }
                let _ = editor.add_history_entry(buffer.as_str());
                let src = std::mem::take(&mut buffer);
                if let Err(e) = session.run_script(&src, params, |_, o| out.write(&o, true)) {
                    report::print_error(&e.with_source("query", src));
                }
            }
            Err(ReadlineError::Interrupted) => buffer.clear(),
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("peelql: {e}");
                break;
            }
        }
    }
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = editor.save_history(h);
    }
    ExitCode::SUCCESS
}
