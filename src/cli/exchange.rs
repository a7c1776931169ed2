//! `peelql import` and `peelql export`.
//!
//! Test hook: with `PEELQL_TEST_IMPORT_PAUSE_MS=N` set, an import prints
//! `peelql-test: checked`, `peelql-test: batch W/T` after every batch the
//! store writes and `peelql-test: written` to standard error, pausing N ms
//! after each, so a test can kill it at known moments (`tests/import.rs`).
//! It changes nothing else; it is not for users.

use super::{Args, Command, report};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use peelql::export::ExportFormat;
use peelql::import::{ImportFormat, ImportOptions, ImportProgress, ImportSource, ImportSummary};
use peelql::output::{Format, RenderOptions, render};
use peelql::{Engine, Error, ErrorKind, StatementOutput};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// Imports with more grade rows than this get a progress bar (on a
/// terminal).
const PROGRESS_ROWS: usize = 2_000;

/// How many replaced grades the summary lists before a count of the rest.
const REPLACED_SHOWN: usize = 20;

/// The test-only pause between import steps (see the module docs).
const PAUSE_ENV: &str = "PEELQL_TEST_IMPORT_PAUSE_MS";

/// Runs `import` or `export`.
pub fn run(engine: &Engine, args: &Args) -> ExitCode {
    let result = match &args.sub {
        Some(Command::Import { file, replace, dry_run }) => {
            let options = ImportOptions { replace: *replace, dry_run: *dry_run };
            import(engine, file, args.format.as_deref(), options)
        }
        Some(Command::Export { query, output }) => {
            export(engine, query.as_deref(), output.as_deref(), args.format.as_deref(), &args.params)
        }
        _ => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report::print_error(&e);
            ExitCode::FAILURE
        }
    }
}

fn usage(message: String) -> Error {
    Error::new(ErrorKind::Io, "peelql::usage", message)
}

/// Imports a file into the engine (and its store), with a progress bar on
/// a terminal and a summary line: `peelql import` and the prompt's `.import`.
pub fn import(
    engine: &Engine,
    file: &Path,
    format: Option<&str>,
    options: ImportOptions,
) -> Result<(), Error> {
    let format = match format {
        None => None,
        Some(name) => Some(
            ImportFormat::parse(name)
                .ok_or_else(|| usage(format!("an import reads csv or json, not {name:?}")))?,
        ),
    };
    let source = ImportSource::from_path(file, format)?;
    let pause = std::env::var(PAUSE_ENV).ok().and_then(|v| v.parse::<u64>().ok()).map(Duration::from_millis);
    let test_step = |what: &str| {
        if let Some(pause) = pause {
            eprintln!("peelql-test: {what}");
            std::thread::sleep(pause);
        }
    };
    let terminal = std::io::stderr().is_terminal();
    let mut bar: Option<ProgressBar> = None;
    let mut show_bar = false;
    let summary = engine.import_owned(source, &options, &mut |step| match step {
        ImportProgress::Checked { rows } => {
            show_bar = terminal && rows > PROGRESS_ROWS;
            test_step("checked");
        }
        ImportProgress::Writing { written, total } => {
            if show_bar {
                let b = bar.get_or_insert_with(|| new_bar(total as u64));
                b.set_position(written as u64);
            }
            test_step(&format!("batch {written}/{total}"));
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let summary = summary?;
    test_step("written");
    print_summary(&summary, &options, engine.has_store());
    Ok(())
}

fn new_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("writing {bar:40} {pos}/{len} records ({eta})")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

fn print_summary(summary: &ImportSummary, options: &ImportOptions, has_store: bool) {
    let mut out = std::io::stdout().lock();
    let prefix = if options.dry_run { "dry run, nothing written: " } else { "" };
    let _ = writeln!(out, "{prefix}{summary}");
    let shown = summary.replaced.iter().take(REPLACED_SHOWN);
    for h in shown {
        let p = &h.previous;
        let grade = p.grade.map_or("not graded", |g| g.name());
        let published = p.published.map_or_else(|| "no date".to_owned(), |d| d.to_string());
        let _ = writeln!(
            out,
            "  replaced {} / {} / {}: was {grade} ({published}, {}, {}); kept in the history",
            p.force,
            p.programme,
            p.area,
            p.basis.name(),
            p.source_url
        );
    }
    if summary.replaced.len() > REPLACED_SHOWN {
        let _ = writeln!(out, "  … and {} more replaced", summary.replaced.len() - REPLACED_SHOWN);
    }
    for m in summary.moves_replaced.iter().take(REPLACED_SHOWN) {
        let date = m.date.map_or_else(|| "no date".to_owned(), |d| d.to_string());
        let causes =
            m.causes.map_or_else(|| "causes not stated".to_owned(), |n| format!("{n} causes of concern"));
        let _ = writeln!(
            out,
            "  replaced the move {} {} Engage on {date}: was {causes}, {}, {}",
            m.force,
            m.event.name(),
            m.basis.name(),
            m.source_url
        );
    }
    if summary.moves_replaced.len() > REPLACED_SHOWN {
        let _ =
            writeln!(out, "  … and {} more moves replaced", summary.moves_replaced.len() - REPLACED_SHOWN);
    }
    if !has_store && summary.written {
        report::warning("--memory has no store: the import lasted only for this run and nothing was saved");
    }
}

fn export(
    engine: &Engine,
    query: Option<&str>,
    output: Option<&Path>,
    format: Option<&str>,
    raw_params: &[String],
) -> Result<(), Error> {
    if let Some(path) = output {
        engine.check_output_path(path)?;
    }
    let from_path = output.and_then(ImportFormat::from_path);
    let format = match format {
        Some(name) => ImportFormat::parse(name)
            .ok_or_else(|| usage(format!("an export writes csv or json, not {name:?}")))?,
        None => from_path.unwrap_or(ImportFormat::Csv),
    };
    let text = match query {
        None => engine.export(match format {
            ImportFormat::Csv => ExportFormat::Csv,
            ImportFormat::Json => ExportFormat::Json,
        })?,
        Some(src) => {
            let params = super::parse_params(raw_params).map_err(usage)?;
            let mut last = None;
            engine
                .session()
                .run_script(src, &params, |_, out| {
                    // on standard error: the export itself stays clean
                    super::report::print_warnings(out.warnings(), "query", src);
                    last = Some(out);
                })
                .map_err(|e| e.with_source("query", src))?;
            let rows = match last {
                Some(StatementOutput::Rows(rows)) => rows,
                _ => return Err(usage("export -c needs a query that gives rows".to_owned())),
            };
            let format = match format {
                ImportFormat::Csv => Format::Csv,
                ImportFormat::Json => Format::Json,
            };
            render(&rows, format, &RenderOptions::plain())
        }
    };
    match output {
        None => {
            let mut stdout = std::io::stdout().lock();
            // a closed pipe (`| head`) is not an error worth reporting
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
            Ok(())
        }
        Some(path) => write_file(path, &text),
    }
}

/// Writes `text` to a temporary file beside `path` and renames it over
/// `path`, so an interrupted export never leaves half a file.
fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    let fail = |e: std::io::Error| {
        Error::new(ErrorKind::Io, "peelql::export::write", format!("cannot write {}: {e}", path.display()))
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    std::fs::write(&tmp, text).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)
}
