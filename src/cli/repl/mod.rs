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
use peelql::output::document::{self, Part};
use peelql::output::{Format, RenderContext, RenderOptions};
use peelql::suggest::did_you_mean;
use peelql::syntax::ast::StatementKind;
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
    /// The last result and the statement it answers, for `.save`.
    last: Option<(StatementOutput, Option<String>)>,
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
            report::error(&format!("cannot start the prompt: {e}"));
            return ExitCode::FAILURE;
        }
    };
    editor.set_helper(Some(PeelHelper::new(Words::from_dataset(&engine.dataset()), color)));
    let mut history = HistoryFile::load(&mut editor, history::default_path());
    let width = terminal_size::terminal_size().map_or(100, |(w, _)| usize::from(w.0));
    print!(
        "{}",
        paging::wrap(&format!("PeelQL {} — {}.", env!("CARGO_PKG_VERSION"), engine.describe()), width)
    );
    print!(
        "{}",
        paging::wrap(
            "Enter runs a query, Tab completes names; `.help` for the language, `.quit` or Ctrl-D to leave.",
            width
        )
    );
    let mut repl = Repl { params, out, timer: false, max_rows: MaxRows::Screen, last: None };
    let mut engine = engine;
    loop {
        match repl.session(&mut editor, &mut history, &engine) {
            Next::Quit => return ExitCode::SUCCESS,
            Next::Open(new) => {
                engine = new;
                if let Some(h) = editor.helper_mut() {
                    h.words = Words::from_dataset(&engine.dataset());
                }
            }
            Next::Reload => {
                if let Some(h) = editor.helper_mut() {
                    h.words = Words::from_dataset(&engine.dataset());
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
                        report::warning("the unfinished input was not run");
                    }
                    return Next::Quit;
                }
                Err(e) => {
                    report::error(&e.to_string());
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
    fn run(&mut self, session: &mut Session<'_>, src: &str) {
        let mut first = true;
        let mut last = None;
        let mut mark = Instant::now();
        session.set_grid_columns(self.out.format.is_picture());
        let result = session.run_script(src, self.params, |stmt, o| {
            let took = mark.elapsed();
            if !first && !matches!(o, StatementOutput::Bound { .. }) {
                println!();
            }
            first = false;
            let selected = matches!(&stmt.kind, StatementKind::Query(q)
                if q.select.is_some() || q.then.iter().any(|s| s.select.is_some()));
            self.print(&o, stmt.span.text(src), selected);
            if matches!(o, StatementOutput::Rows(_) | StatementOutput::Text(_)) {
                last = Some((o.clone(), stmt.span.text(src).map(str::to_string)));
            }
            report::print_warnings(o.warnings(), "input", src);
            if self.timer {
                eprintln!("({})", duration(took));
            }
            mark = Instant::now();
        });
        if last.is_some() {
            self.last = last;
        }
        if let Err(e) = result {
            report::print_error(&e.with_source("input", src));
        }
    }

    /// `.save FILE [FORMAT]`: writes the last result whole (never cut,
    /// never coloured) in FORMAT, else the format FILE's extension names,
    /// else the prompt's format.
    fn save(&self, path: &std::path::Path, format: Option<Format>) {
        let Some((o, query)) = &self.last else {
            say("there is no result to save yet: run a query, then `.save FILE`");
            return;
        };
        let format = format.or_else(|| Format::from_extension(path)).unwrap_or(self.out.format);
        let part = match o {
            StatementOutput::Rows(rows) => Part::Rows { rows, query: query.as_deref() },
            StatementOutput::Text(text) => Part::Text { text, query: query.as_deref() },
            StatementOutput::Bound { .. } => return,
        };
        let text = match document::render_document(&[part], format, &RenderOptions::plain(), None) {
            Ok(t) => t,
            Err(e) => return say(&e.to_string()),
        };
        match std::fs::write(path, text.as_bytes()) {
            Ok(()) => {
                let what = match o {
                    StatementOutput::Rows(r) => {
                        format!("{} row{}", r.len(), if r.len() == 1 { "" } else { "s" })
                    }
                    _ => "text".to_string(),
                };
                println!("saved {} as {format} ({what})", path.display());
            }
            Err(e) => say(&format!("cannot write {}: {e}", path.display())),
        }
    }

    /// Writes one statement's output, tables fitted to the terminal;
    /// `query` is the statement's text (pictures take their title from it).
    /// `selected`: the columns were named in `select`, so none is left out.
    fn print(&self, o: &StatementOutput, query: Option<&str>, selected: bool) {
        let text = match o {
            StatementOutput::Rows(rows) => {
                let size = terminal_size::terminal_size();
                let mut opts = self.out.options;
                if let Some((w, _)) = size {
                    opts.width = Some(w.0);
                }
                let cut = paging::cut_for(self.max_rows, size.map(|(_, h)| h.0));
                let context = RenderContext { query };
                paging::render_fitted_keeping(rows, self.out.format, &opts, cut, &context, selected)
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
                if matches!(f, Format::Html | Format::Svg) {
                    println!("format: {f} (`.save FILE` writes the last result to a file)");
                } else {
                    println!("format: {f}");
                }
            }
            Command::Save(path, format) => match engine.check_output_path(&path) {
                Ok(()) => self.save(&path, format),
                Err(e) => report::print_error(&e),
            },
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
            Command::Open(path, create) => {
                // a path holding no store is refused unless `--new` asks for one
                let made = path.as_deref().is_some_and(peelql::store::is_new_folder);
                if made && !create {
                    let p = path.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
                    say(&format!(
                        "there is no store at {p}; nothing was opened or made (still answering from {})\n\
                         `.open --new {p}` makes a new store there, holding the bundled data",
                        engine.describe()
                    ));
                    return None;
                }
                let opened = match &path {
                    None => Engine::in_memory(),
                    Some(p) => Engine::open(p),
                };
                match opened {
                    Ok(new) => {
                        let bound = session.bound_names();
                        if made {
                            println!("made a new store, holding the bundled data");
                        }
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

/// Writes a problem with what the user asked on standard error, as
/// `Error: …` wrapped to the terminal.
fn say(msg: &str) {
    report::error(msg);
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

/// What a keystroke and a Tab cost over `engine`'s data, as `key=value`
/// words for the benchmark: the names completion reads (once per prompt
/// and after each import), the slowest median of a hint while typing a
/// force's name after `grades where force = "`, and of Tab there.
pub fn measure(engine: &Engine) -> String {
    let ds = engine.dataset();
    let t = Instant::now();
    let words = Words::from_dataset(&ds);
    let load = t.elapsed();
    let name =
        ds.catalog.forces.get(ds.catalog.forces.len() / 2).map(|f| f.short_name.clone()).unwrap_or_default();
    let base = "grades where force = \"";
    let median = |f: &dyn Fn()| {
        let mut times: Vec<Duration> = (0..9)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect();
        times.sort();
        times[times.len() / 2]
    };
    let (mut key, mut tab) = (Duration::ZERO, Duration::ZERO);
    for end in std::iter::once(0).chain(name.char_indices().map(|(i, c)| i + c.len_utf8())) {
        let text = format!("{base}{}", &name[..end]);
        key = key.max(median(&|| {
            std::hint::black_box(hints::hint(&words, &text, |_| None));
        }));
        tab = tab.max(median(&|| {
            std::hint::black_box(completion::complete(&words, &text, text.len()));
        }));
    }
    format!(
        "words_us={} keystroke_us={} tab_us={} forces={}",
        load.as_micros(),
        key.as_micros(),
        tab.as_micros(),
        ds.catalog.forces.len()
    )
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
