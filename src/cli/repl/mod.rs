//! The interactive prompt, used when standard input is a terminal (piped
//! input runs as a script in `cli/mod.rs`, without rustyline).
//!
//! | file | concern |
//! |---|---|
//! | `mod.rs` | the read–run loop, dot-commands run, results printed |
//! | `helper.rs` | the rustyline helper: glue to the pure parts below |
//! | `lex.rs` | a forgiving tokenizer for half-typed text |
//! | `completion.rs` | Tab: what fits at the cursor, from grammar and catalog |
//! | `hints.rs` | dimmed hints: history, or the only completion |
//! | `highlight.rs` | keywords, strings, numbers, grades, matching bracket |
//! | `multiline.rs` | Enter: run, or go on with `...>` — the parser decides |
//! | `commands.rs` | reading dot-commands |
//! | `help.rs` | `.help` and its topics |
//! | `history.rs` | the history file in the data directory |
//! | `paging.rs` | tables fitted to the terminal, long ones cut |

mod commands;
mod completion;
mod help;
mod helper;
mod highlight;
mod hints;
mod history;
mod lex;
mod multiline;
mod paging;

use super::{Output, report};
use commands::{Command, MaxRows};
use completion::Words;
use helper::PeelHelper;
use history::HistoryFile;
use multiline::{MultiLine, Step};
use peelql::catalog::lookup::LookupError;
use peelql::output::RenderContext;
use peelql::suggest::did_you_mean;
use peelql::{Engine, Params, Session, StatementOutput};
use rustyline::Editor;
use rustyline::config::{ColorMode, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

type PeelEditor = Editor<PeelHelper, FileHistory>;

/// What ends a session of the loop.
enum Next {
    /// Leave the prompt.
    Quit,
    /// Go on over another engine (`.open`).
    Open(Engine),
    /// Go on over the same engine's new data (after `.import`).
    Reload,
}

/// The prompt's settings.
struct Repl<'p> {
    params: &'p Params,
    out: Output,
    timer: bool,
    max_rows: MaxRows,
}

/// Runs the prompt until `.quit` or Ctrl-D on an empty line.
pub fn run(engine: Engine, params: &Params, out: Output) -> ExitCode {
    let color = out.options.color;
    let config = Config::builder()
        .max_history_size(history::MAX_ENTRIES)
        .and_then(|b| b.history_ignore_dups(true))
        .map(|b| {
            b.history_ignore_space(true)
                .auto_add_history(false)
                .completion_type(CompletionType::List)
                .completion_show_all_if_ambiguous(true)
                .color_mode(if color { ColorMode::Enabled } else { ColorMode::Disabled })
                .build()
        });
    let editor = config.and_then(PeelEditor::with_config);
    let mut editor = match editor {
        Ok(e) => e,
        Err(e) => {
            eprintln!("peelql: cannot start the prompt: {e}");
            return ExitCode::FAILURE;
        }
    };
    editor.set_helper(Some(PeelHelper::new(Words::from_catalog(&engine.dataset().catalog), color)));
    let mut history = HistoryFile::load(&mut editor, history::default_path());
    println!("PeelQL {} — {}.", env!("CARGO_PKG_VERSION"), engine.describe());
    println!(
        "Enter runs a query, Tab completes names; `.help` for the language, `.quit` or Ctrl-D to leave."
    );
    let mut repl = Repl { params, out, timer: false, max_rows: MaxRows::Screen };
    let mut engine = engine;
    loop {
        match repl.session(&mut editor, &mut history, &engine) {
            Next::Quit => return ExitCode::SUCCESS,
            Next::Open(new) => {
                engine = new;
                if let Some(h) = editor.helper_mut() {
                    h.words = Words::from_catalog(&engine.dataset().catalog);
                }
            }
            Next::Reload => {
                if let Some(h) = editor.helper_mut() {
                    h.words = Words::from_catalog(&engine.dataset().catalog);
                }
            }
        }
    }
}

impl Repl<'_> {
    /// Reads and runs inputs over one engine, until the prompt is left or
    /// another store is opened.
    fn session(&mut self, editor: &mut PeelEditor, history: &mut HistoryFile, engine: &Engine) -> Next {
        let mut session = engine.session();
        let mut input = MultiLine::default();
        loop {
            if let Some(h) = editor.helper_mut() {
                h.pending = input.pending().to_string();
                h.words.let_names = session.bound_names();
            }
            let line = match editor.readline(input.prompt()) {
                Ok(line) => line,
                Err(ReadlineError::Interrupted) => {
                    // Ctrl-C: forget the input, start again
                    input.clear();
                    continue;
                }
                Err(ReadlineError::Eof) => {
                    if !input.is_empty() {
                        eprintln!("(the unfinished input was not run)");
                    }
                    return Next::Quit;
                }
                Err(e) => {
                    eprintln!("peelql: {e}");
                    return Next::Quit;
                }
            };
            if input.is_empty() {
                let word = line.trim().trim_end_matches(';').trim_end().to_ascii_lowercase();
                let bound = session.bound_names().contains(&word);
                let command = if line.trim_start().starts_with('.') {
                    Some(commands::parse(&line))
                } else if matches!(word.as_str(), "quit" | "exit") && !bound {
                    Some(Ok(Command::Quit))
                } else if word == "help" && !bound {
                    Some(Ok(Command::Help(None)))
                } else {
                    None
                };
                if let Some(command) = command {
                    // leaving is not worth recalling
                    if !matches!(command, Ok(Command::Quit)) {
                        history.add(editor, line.trim());
                    }
                    match command {
                        Ok(c) => {
                            if let Some(next) = self.command(c, engine, &mut session) {
                                return next;
                            }
                        }
                        Err(msg) => say(&msg),
                    }
                    continue;
                }
            }
            match input.push(&line) {
                Step::Empty | Step::More => {}
                Step::Run(src) => {
                    history.add(editor, &src);
                    self.run(&mut session, &src);
                }
            }
        }
    }

    /// Runs the statements of an input, printing each result; a failing
    /// statement is shown as a diagnostic and stops the ones after it.
    fn run(&self, session: &mut Session<'_>, src: &str) {
        let mut first = true;
        let mut mark = Instant::now();
        session.set_grid_columns(self.out.format.is_picture());
        let result = session.run_script(src, self.params, |stmt, o| {
            let took = mark.elapsed();
            if !first && !matches!(o, StatementOutput::Bound { .. }) {
                println!();
            }
            first = false;
            self.print(&o, stmt.span.text(src));
            report::print_warnings(o.warnings(), "input", src);
            if self.timer {
                eprintln!("({})", duration(took));
            }
            mark = Instant::now();
        });
        if let Err(e) = result {
            report::print_error(&e.with_source("input", src));
        }
    }

    /// Writes one statement's output, tables fitted to the terminal;
    /// `query` is the statement's text (pictures take their title from it).
    fn print(&self, o: &StatementOutput, query: Option<&str>) {
        let text = match o {
            StatementOutput::Rows(rows) => {
                let size = terminal_size::terminal_size();
                let mut opts = self.out.options;
                if let Some((w, _)) = size {
                    opts.width = Some(w.0);
                }
                let cut = paging::cut_for(self.max_rows, size.map(|(_, h)| h.0));
                paging::render_fitted(rows, self.out.format, &opts, cut, &RenderContext { query })
            }
            StatementOutput::Text(t) => t.clone(),
            StatementOutput::Bound { name, rows, .. } => {
                eprintln!("{name}: {rows} row{}", if *rows == 1 { "" } else { "s" });
                return;
            }
        };
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }

    /// Runs a dot-command; `Some` when it ends the session.
    fn command(&mut self, c: Command, engine: &Engine, session: &mut Session<'_>) -> Option<Next> {
        let on_off = |b: bool| if b { "on" } else { "off" };
        match c {
            Command::Help(topic) => match help::help(topic.as_deref()) {
                Ok(text) => print!("{text}"),
                Err(msg) => say(&msg),
            },
            Command::Format(None) => println!("format: {}", self.out.format),
            Command::Format(Some(f)) => {
                self.out.format = f;
                println!("format: {f}");
            }
            Command::Timer(None) => println!("timer: {}", on_off(self.timer)),
            Command::Timer(Some(b)) => {
                self.timer = b;
                println!("timer: {}", on_off(b));
            }
            Command::MaxRows(m) => {
                if let Some(m) = m {
                    self.max_rows = m;
                }
                match self.max_rows {
                    MaxRows::Screen => println!("maxrows: as many as fit the screen"),
                    MaxRows::Rows(n) => println!("maxrows: {n}"),
                    MaxRows::All => println!("maxrows: all"),
                }
            }
            Command::Open(path) => {
                let opened = match &path {
                    None => Engine::in_memory(),
                    Some(p) => Engine::open(p),
                };
                match opened {
                    Ok(new) => {
                        let bound = session.bound_names();
                        println!("now answering from {}", new.describe());
                        if !bound.is_empty() {
                            println!("(names bound by `let` are forgotten: {})", bound.join(", "));
                        }
                        return Some(Next::Open(new));
                    }
                    Err(e) => report::print_error(&e),
                }
            }
            Command::Show(statement) => self.run(session, statement),
            Command::Areas(None) => self.run(session, "show areas"),
            Command::Areas(Some(text)) => {
                let cat = &engine.dataset().catalog;
                match cat.find_programme(&text) {
                    Ok(p) => self.run(session, &format!("show areas in \"{}\"", cat.programme(p).name)),
                    Err(e) => {
                        let names: Vec<&str> = cat.programmes.iter().map(|p| p.name.as_str()).collect();
                        let hint = match e {
                            LookupError::NotFound { suggestions } => did_you_mean(&suggestions),
                            _ => None,
                        };
                        say(&format!(
                            "there is no programme `{text}`; {}",
                            hint.unwrap_or_else(|| format!("the programmes are: {}", names.join(", ")))
                        ));
                    }
                }
            }
            Command::Import(path) => {
                match super::exchange::import(engine, &path, None, peelql::import::ImportOptions::default()) {
                    Ok(()) => {
                        let bound = session.bound_names();
                        if !bound.is_empty() {
                            println!("(names bound by `let` are forgotten: {})", bound.join(", "));
                        }
                        return Some(Next::Reload);
                    }
                    Err(e) => super::report::print_error(&e),
                }
            }
            Command::Quit => return Some(Next::Quit),
        }
        None
    }
}

/// Writes a message for the user on standard error, wrapped to the
/// terminal (at most 100 columns).
fn say(msg: &str) {
    let width = terminal_size::terminal_size().map_or(100, |(w, _)| usize::from(w.0)).min(100);
    eprint!("{}", paging::wrap(msg, width));
}

/// `0.4 ms`, `12 ms`, `1.30 s`.
fn duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::duration;
    use std::time::Duration;

    #[test]
    fn durations() {
        assert_eq!(duration(Duration::from_micros(420)), "0.4 ms");
        assert_eq!(duration(Duration::from_millis(12)), "12 ms");
        assert_eq!(duration(Duration::from_millis(1300)), "1.30 s");
    }
}
