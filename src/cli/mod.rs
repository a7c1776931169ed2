//! Command-line arguments and what each mode does. Everything here is
//! presentation: the work is done by the `peelql` library.

mod repl;
mod report;

use clap::{Parser, Subcommand, ValueEnum};
use peelql::output::{Format, RenderOptions, render};
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

    /// Output format.
    #[arg(long, short = 'f', value_name = "FORMAT", default_value = "table", global = true)]
    pub format: String,

    /// The store to use (default: peelql/store in your data directory).
    #[arg(long, value_name = "PATH", global = true, conflicts_with = "memory")]
    pub db: Option<PathBuf>,

    /// Use the bundled data in memory; nothing is read from or written to disk.
    #[arg(long, global = true)]
    pub memory: bool,

    /// Bind `$name` in queries: `--param grade=inadequate` (repeatable).
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE", global = true)]
    pub params: Vec<String>,

    /// When to colour tables and error reports.
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
    let format = match args.format.parse::<Format>() {
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
    let engine = match open_engine(&args) {
        Ok(e) => e,
        Err(e) => {
            report::print_error(&e);
            return ExitCode::FAILURE;
        }
    };
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
        return repl::run(&engine, &params, out);
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

fn open_engine(args: &Args) -> Result<Engine, Error> {
    if args.memory {
        return Engine::in_memory();
    }
    let path = match &args.db {
        Some(p) => p.clone(),
        None => Engine::default_path()?,
    };
    Engine::open(&path)
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

    /// Writes one statement's output.
    pub fn write(&self, out: &StatementOutput, interactive: bool) {
        let text = match out {
            StatementOutput::Rows(rows) => render(rows, self.format, &self.options),
            StatementOutput::Text(t) => t.clone(),
            StatementOutput::Bound { name, rows } => {
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

fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).or(Some(100))
}

/// Runs a script, writing each result; on the first error prints it and
/// stops.
fn run_script(engine: &Engine, name: &str, src: &str, params: &Params, out: &Output) -> Result<(), ()> {
    let mut session = engine.session();
    let mut first = true;
    let result = session.run_script(src, params, |_, o| {
        if !first
            && matches!(o, StatementOutput::Rows(_) | StatementOutput::Text(_))
            && matches!(out.format, Format::Table | Format::Markdown)
        {
            println!();
        }
        if matches!(o, StatementOutput::Rows(_) | StatementOutput::Text(_)) {
            first = false;
        }
        out.write(&o, false);
    });
    result.map_err(|e| report::print_error(&e.with_source(name, src)))
}
