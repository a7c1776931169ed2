//! Command-line arguments and what each mode does. Everything here is
//! presentation: the work is done by the `peelql` library.

mod exchange;
mod json_lines;
mod repl;
mod report;

use clap::{Parser, Subcommand, ValueEnum};
use peelql::output::{Format, RenderContext, RenderOptions, render_with};
use peelql::{Engine, Error, Params, StatementOutput};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Ask questions of HMICFRS PEEL police inspection grades.
///
/// With no arguments, opens an interactive prompt on a terminal, or runs
/// the script piped to standard input.
#[derive(Parser, Debug)]
#[command(name = "peelql", version, about, long_about = None)]
pub struct Args {
    /// Run this query (or `;`-separated script) and exit.
    #[arg(short = 'c', long = "command", value_name = "QUERY")]
    pub command: Option<String>,

    /// Output format: table, csv, json, ndjson or markdown (default table).
    /// For `import` and `export`: csv or json (default: from the file's
    /// extension, else csv).
    #[arg(long, short = 'f', value_name = "FORMAT", global = true)]
    pub format: Option<String>,

    /// The store to use (default: peelql/store in your data directory).
    #[arg(long, value_name = "PATH", global = true, conflicts_with = "memory")]
    pub db: Option<PathBuf>,

    /// Use the bundled data in memory; nothing is read from or written to disk.
    #[arg(long, global = true)]
    pub memory: bool,

    /// Bind `$name` in queries: `--param grade=inadequate` (repeatable).
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE", global = true)]
    pub params: Vec<String>,

    /// Serve JSON requests, one per line on stdin, answering one per line
    /// on stdout (for programs in other languages; see the README).
    #[arg(long = "json-lines", conflicts_with = "command")]
    pub json_lines: bool,

    /// When to colour tables, grids and error reports.
    #[arg(long, value_enum, default_value = "auto", global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub sub: Option<Command>,
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a saved query script (a `.pql` file).
    Run {
        /// The script file.
        file: PathBuf,
    },
    /// Import grades (and new programmes, themes, areas) from a CSV or JSON
    /// file into the store: all or nothing.
    Import {
        /// The file: `.csv` or `.json` (or say which with --format).
        file: PathBuf,
        /// Let a grade that differs from the stored one replace it; the old
        /// one is kept in the store's history.
        #[arg(long)]
        replace: bool,
        /// Check the file and say what would change, writing nothing.
        #[arg(long = "dry-run")]
        dry_run: bool,
    },
    /// Export everything (programmes, themes, areas, grades, history) as a
    /// file `import` reads back, or a query's result.
    Export {
        /// Export this query's result instead of everything.
        #[arg(short = 'c', long = "command", value_name = "QUERY")]
        query: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// When to use colour.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Runs the command line.
pub fn main() -> ExitCode {
    let args = Args::parse();
    report::set_color(args.color);
    if let Some(Command::Import { .. } | Command::Export { .. }) = &args.sub {
        let engine = match open_engine(&args, false) {
            Ok(e) => e,
            Err(e) => {
                report::print_error(&e);
                return ExitCode::FAILURE;
            }
        };
        return exchange::run(&engine, &args);
    }
    let format = match args.format.as_deref().unwrap_or("table").parse::<Format>() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("peelql: {e}");
            return ExitCode::from(2);
        }
    };
    let params = match parse_params(&args.params) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("peelql: {msg}");
            return ExitCode::from(2);
        }
    };
    // Only the prompt can change the data (`.import`); every other mode
    // just answers queries, which may skip opening the store.
    let interactive =
        args.command.is_none() && args.sub.is_none() && !args.json_lines && std::io::stdin().is_terminal();
    let engine = match open_engine(&args, !interactive) {
        Ok(e) => e,
        Err(e) => {
            report::print_error(&e);
            return ExitCode::FAILURE;
        }
    };
    if args.json_lines {
        let stdin = std::io::stdin().lock();
        return match json_lines::serve(&engine, stdin, std::io::stdout().lock()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("peelql: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let out = Output::new(format, args.color);
    let result = if let Some(src) = &args.command {
        run_script(&engine, "query", src, &params, &out)
    } else if let Some(Command::Run { file }) = &args.sub {
        match std::fs::read_to_string(file) {
            Ok(src) => run_script(&engine, &file.display().to_string(), &src, &params, &out),
            Err(e) => {
                eprintln!("peelql: cannot read {}: {e}", file.display());
                return ExitCode::FAILURE;
            }
        }
    } else if std::io::stdin().is_terminal() {
        return repl::run(engine, &params, out);
    } else {
        let mut src = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut src) {
            eprintln!("peelql: cannot read standard input: {e}");
            return ExitCode::FAILURE;
        }
        run_script(&engine, "<stdin>", &src, &params, &out)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(()) => ExitCode::FAILURE,
    }
}

/// The engine the arguments ask for; `for_queries` when nothing will be
/// imported, so a store holding just the bundled data need not be opened.
pub(crate) fn open_engine(args: &Args, for_queries: bool) -> Result<Engine, Error> {
    if args.memory {
        return Engine::in_memory();
    }
    let path = match &args.db {
        Some(p) => p.clone(),
        None => Engine::default_path()?,
    };
    if for_queries { Engine::open_for_queries(&path) } else { Engine::open(&path) }
}

fn parse_params(raw: &[String]) -> Result<Params, String> {
    let mut params = Params::new();
    for p in raw {
        let Some((name, value)) = p.split_once('=') else {
            return Err(format!("--param takes NAME=VALUE, got {p:?}"));
        };
        let name = name.trim().trim_start_matches('$');
        if name.is_empty() {
            return Err(format!("--param takes NAME=VALUE, got {p:?}"));
        }
        params.set(name, Params::parse_value(value));
    }
    Ok(params)
}

/// How results are written to standard output.
#[derive(Clone, Debug)]
pub struct Output {
    /// The format.
    pub format: Format,
    /// Rendering options.
    pub options: RenderOptions,
}

impl Output {
    fn new(format: Format, color: ColorChoice) -> Output {
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        let width = if tty { terminal_width() } else { None };
        Output { format, options: RenderOptions { color, unicode: tty, width } }
    }

    /// Writes one statement's output, knowing the query text it answers
    /// (pictures take their title from it).
    pub fn write_query(&self, out: &StatementOutput, interactive: bool, query: Option<&str>) {
        let context = RenderContext { query };
        let text = match out {
            StatementOutput::Rows(rows) => render_with(rows, self.format, &self.options, &context),
            StatementOutput::Text(t) => t.clone(),
            StatementOutput::Bound { name, rows, .. } => {
                if interactive {
                    eprintln!("{name}: {rows} row{}", if *rows == 1 { "" } else { "s" });
                }
                return;
            }
        };
        let mut stdout = std::io::stdout().lock();
        // a closed pipe (`| head`) is not an error worth reporting
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }
}

/// The width of the terminal on standard output; else `COLUMNS`; else 100.
fn terminal_width() -> Option<u16> {
    terminal_size::terminal_size()
        .map(|(w, _)| w.0)
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
        .or(Some(100))
}

/// Runs a script, writing each result; on the first error prints it and
/// stops.
fn run_script(engine: &Engine, name: &str, src: &str, params: &Params, out: &Output) -> Result<(), ()> {
    let mut session = engine.session();
    session.set_grid_columns(out.format.is_picture());
    let mut first = true;
    let result = session.run_script(src, params, |stmt, o| {
        if !first
            && matches!(o, StatementOutput::Rows(_) | StatementOutput::Text(_))
            && matches!(out.format, Format::Table | Format::Markdown | Format::Grid)
        {
            println!();
        }
        if matches!(o, StatementOutput::Rows(_) | StatementOutput::Text(_)) {
            first = false;
        }
        out.write_query(&o, false, stmt.span.text(src));
        // under the result, on standard error: CSV and JSON stay clean
        report::print_warnings(o.warnings(), name, src);
    });
    result.map_err(|e| report::print_error(&e.with_source(name, src)))
}
