//! Command-line arguments and what each mode does. Everything here is
//! presentation: the work is done by the `peelql` library.

mod exchange;
mod json_lines;
mod repl;
mod report;

use clap::{Parser, Subcommand, ValueEnum};
use peelql::output::document::{self, Part};
use peelql::output::{Format, RenderContext, RenderOptions, render_with};
use peelql::{Engine, Error, Params, StatementOutput};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
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

    /// Output format (default table). For `import` and `export`: csv or
    /// json (default: from the file's extension, else csv).
    #[arg(long, short = 'f', value_name = "FORMAT", global = true, help = format_help())]
    pub format: Option<String>,

    /// Write each result of the query or script to its own file in this
    /// directory (created if missing): `query-1.csv`, `query-2.csv`…
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,

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

    /// Measure the prompt's keystroke and Tab costs over the data (for
    /// `scripts/bench`) and exit.
    #[arg(long = "measure-prompt", hide = true)]
    pub measure_prompt: bool,

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
        /// Write each result to its own file in this directory (created if
        /// missing): `SCRIPT-1.csv`, `SCRIPT-2.csv`…
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Import grades (and new programmes, themes, areas) from a CSV or JSON
    /// file into the store: all or nothing.
    Import {
        /// The file: `.csv` or `.json` (or say which with --format).
        file: PathBuf,
        /// Let a grade or a move that differs from the stored one replace
        /// it; an old grade is kept in the store's history.
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
    /// Print a shell completion script for bash, zsh, fish or powershell
    /// (see the README).
    ///
    /// For bash, for example:
    ///
    /// peelql completions bash > ~/.local/share/bash-completion/completions/peelql
    Completions {
        /// The shell: bash, zsh, fish or powershell (also elvish).
        shell: clap_complete::Shell,
    },
}

/// The `--format` help line, its list of formats from [`Format::names`].
fn format_help() -> String {
    format!(
        "Output format: {} (default table). For `import` and `export`: csv or json \
         (default: from the file's extension, else csv)",
        Format::names().join(", ")
    )
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
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => return arguments_error(e),
    };
    report::set_color(args.color);
    if let Some(Command::Completions { shell }) = &args.sub {
        // the formats are completed (the parser itself stays lenient: `md`, any case)
        let mut cmd = <Args as clap::CommandFactory>::command()
            .mut_arg("format", |a| a.value_parser(clap::builder::PossibleValuesParser::new(Format::names())));
        // written whole here, not by clap_complete (which panics on a
        // closed pipe): `peelql completions fish | head` stops quietly
        let mut script = Vec::new();
        clap_complete::generate(*shell, &mut cmd, "peelql", &mut script);
        let mut out = std::io::stdout().lock();
        return match out.write_all(&script).and_then(|()| out.flush()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                report::error(&format!("cannot write the completion script: {e}"));
                ExitCode::FAILURE
            }
        };
    }
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
            report::error(&e.to_string());
            return ExitCode::from(2);
        }
    };
    let params = match parse_params(&args.params) {
        Ok(p) => p,
        Err(msg) => {
            report::error(&msg);
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
    if args.measure_prompt {
        println!("{}", repl::measure(&engine));
        return ExitCode::SUCCESS;
    }
    if args.json_lines {
        let stdin = std::io::stdin().lock();
        return match json_lines::serve(&engine, stdin, std::io::stdout().lock()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                report::error(&e.to_string());
                ExitCode::FAILURE
            }
        };
    }
    let out = Output::new(format, args.color);
    let dir = match &args.sub {
        Some(Command::Run { output, .. }) => output.as_deref().or(args.output.as_deref()),
        _ => args.output.as_deref(),
    };
    if let Some(dir) = dir {
        if let Err(e) = engine.check_output_path(dir) {
            report::print_error(&e);
            return ExitCode::FAILURE;
        }
    }
    let result = if let Some(src) = &args.command {
        run_script(&engine, "query", src, &params, &out, args.output.as_deref())
    } else if let Some(Command::Run { file, output }) = &args.sub {
        let dir = output.as_deref().or(args.output.as_deref());
        match std::fs::read_to_string(file) {
            Ok(src) => {
                // the script's `-- params:` defaults, under the command line's values
                let params = params.clone().or_defaults(Params::script_defaults(&src));
                run_script(&engine, &file.display().to_string(), &src, &params, &out, dir)
            }
            Err(e) => {
                report::error(&format!("cannot read {}: {e}", file.display()));
                return ExitCode::FAILURE;
            }
        }
    } else if std::io::stdin().is_terminal() {
        return repl::run(engine, &params, out);
    } else {
        let mut src = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut src) {
            report::error(&format!("cannot read standard input: {e}"));
            return ExitCode::FAILURE;
        }
        let params = params.clone().or_defaults(Params::script_defaults(&src));
        run_script(&engine, "<stdin>", &src, &params, &out, args.output.as_deref())
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(()) => ExitCode::FAILURE,
    }
}

/// Prints clap's error for arguments it cannot read, with a tip for the
/// usual slip: `peelql script.pql` for `peelql run script.pql`, and
/// `peelql forces …` for `peelql -c 'forces …'`.
fn arguments_error(mut e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() == ErrorKind::InvalidSubcommand {
        let word = match e.get(ContextKind::InvalidSubcommand) {
            Some(ContextValue::String(w)) => Some(w.clone()),
            _ => None,
        };
        if let Some(tip) = word.as_deref().and_then(subcommand_tip) {
            e.insert(ContextKind::Suggested, ContextValue::StyledStrs(vec![tip.into()]));
        }
    }
    if !e.use_stderr() {
        // `--help` and `--version`: not a problem
        let _ = e.print();
        return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(0));
    }
    // a problem starts `Error: ` like every other the binary reports
    let styled = e.render();
    let coloured =
        std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = if coloured { styled.ansi().to_string() } else { styled.to_string() };
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.replacen("error:", "Error:", 1).as_bytes());
    let _ = err.flush();
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// The tip for a word given where a subcommand goes: a script file, or
/// the start of a query.
fn subcommand_tip(word: &str) -> Option<String> {
    let path = Path::new(word);
    if path.extension().is_some_and(|x| x.eq_ignore_ascii_case("pql")) || path.is_file() {
        let shown = if word.contains(char::is_whitespace) { format!("'{word}'") } else { word.to_string() };
        return Some(format!("to run a script, use `peelql run {shown}`"));
    }
    let first = word.split_whitespace().next().unwrap_or(word);
    if peelql::semantic::SourceKind::from_name(first).is_some()
        || ["show", "explain", "let"].iter().any(|k| first.eq_ignore_ascii_case(k))
    {
        let query = if word.contains(char::is_whitespace) { word.to_string() } else { format!("{word} …") };
        return Some(format!("to run a query, put it after -c in quotes: `peelql -c '{query}'`"));
    }
    None
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
/// stops. Formats that write one document for the whole script (see
/// [`peelql::output::document`]) gather the results and write them at the
/// end; with `dir`, each result goes to a file of its own there.
fn run_script(
    engine: &Engine,
    name: &str,
    src: &str,
    params: &Params,
    out: &Output,
    dir: Option<&Path>,
) -> Result<(), ()> {
    let mut session = engine.session();
    session.set_grid_columns(out.format.is_picture());
    let gather = dir.is_some() || document::is_document(out.format);
    let mut gathered: Vec<(StatementOutput, Option<String>)> = Vec::new();
    let mut first = true;
    let result = session.run_script(src, params, |stmt, o| {
        let query = stmt.span.text(src);
        if gather {
            if matches!(o, StatementOutput::Rows(_) | StatementOutput::Text(_)) {
                gathered.push((o.clone(), query.map(str::to_string)));
            }
        } else {
            if !first
                && matches!(o, StatementOutput::Rows(_) | StatementOutput::Text(_))
                && matches!(out.format, Format::Table | Format::Markdown | Format::Grid)
            {
                println!();
            }
            if matches!(o, StatementOutput::Rows(_) | StatementOutput::Text(_)) {
                first = false;
            }
            out.write_query(&o, false, query);
        }
        // under the result, on standard error: CSV and JSON stay clean
        report::print_warnings(o.warnings(), name, src);
    });
    // what ran is written even when a later statement failed
    let written = if gather { write_gathered(&gathered, name, out, dir) } else { Ok(()) };
    if let Err(e) = result {
        report::print_error(&e.with_source(name, src));
        return Err(());
    }
    written
}

/// Writes gathered results: one document on standard output, or one file
/// each in `dir`.
fn write_gathered(
    gathered: &[(StatementOutput, Option<String>)],
    name: &str,
    out: &Output,
    dir: Option<&Path>,
) -> Result<(), ()> {
    let parts: Vec<Part<'_>> = gathered
        .iter()
        .filter_map(|(o, q)| match o {
            StatementOutput::Rows(rows) => Some(Part::Rows { rows, query: q.as_deref() }),
            StatementOutput::Text(text) => Some(Part::Text { text, query: q.as_deref() }),
            StatementOutput::Bound { .. } => None,
        })
        .collect();
    let Some(dir) = dir else {
        return match document::render_document(&parts, out.format, &out.options, Some(name)) {
            Ok(text) => {
                let mut stdout = std::io::stdout().lock();
                let _ = stdout.write_all(text.as_bytes());
                let _ = stdout.flush();
                Ok(())
            }
            Err(e) => {
                report::error(&e.to_string());
                Err(())
            }
        };
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        report::error(&format!("cannot make the directory {}: {e}", dir.display()));
        return Err(());
    }
    let stem = Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.starts_with('<'))
        .unwrap_or("query");
    let opts = RenderOptions::plain();
    for (n, part) in parts.iter().enumerate() {
        let path = dir.join(format!("{stem}-{}.{}", n + 1, out.format.extension()));
        let text = document::render_document(std::slice::from_ref(part), out.format, &opts, Some(name))
            .map_err(|e| report::error(&e.to_string()))?;
        if let Err(e) = std::fs::write(&path, text) {
            report::error(&format!("cannot write {}: {e}", path.display()));
            return Err(());
        }
        let what = match part {
            Part::Rows { rows, .. } => {
                format!("{} row{}", rows.len(), if rows.len() == 1 { "" } else { "s" })
            }
            Part::Text { .. } => "text".to_string(),
        };
        eprintln!("wrote {} ({what})", path.display());
    }
    Ok(())
}
