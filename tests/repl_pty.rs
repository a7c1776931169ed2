//! The interactive prompt in a real terminal: the `peelql` binary runs on a
//! pseudo-terminal (expectrl) with `--memory`, and keys are typed at it —
//! Tab, Up, Enter, Ctrl-C, Ctrl-D. HOME and XDG_DATA_HOME point at a
//! temporary directory, so the history file is the test's own.
//!
//! The screen is read as text with the terminal's escape sequences taken
//! out (the prompt redraws the line, in colour, at every key), so a test
//! waits for what a person would see; `expect_raw` looks at the bytes
//! themselves, for colours.
#![cfg(unix)]

use expectrl::Session;
use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

const TAB: &str = "\t";
const UP: &str = "\x1b[A";
const ENTER: &str = "\r";
const CTRL_C: &str = "\x03";
const CTRL_D: &str = "\x04";
const TIMEOUT: Duration = Duration::from_secs(30);

/// The prompt on a pty, and everything it has written.
struct Pty {
    session: OsSession,
    raw: Vec<u8>,
    /// How much of the plain text earlier expectations used up.
    plain_pos: usize,
    /// How much of the raw bytes earlier raw expectations used up.
    raw_pos: usize,
    eof: bool,
}

/// Text without escape sequences (CSI `ESC [ … final`, and two-byte
/// `ESC x`) or carriage returns.
fn plain(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => {
                if chars.next() == Some('[') {
                    for c in chars.by_ref() {
                        if ('\x40'..='\x7e').contains(&c) {
                            break;
                        }
                    }
                }
            }
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

impl Pty {
    /// Starts the prompt in a 120×40 terminal; `colour` leaves NO_COLOR unset.
    fn start(home: &Path, colour: bool) -> Pty {
        Pty::start_sized(home, colour, 120, 40)
    }

    /// Starts the prompt in a terminal `cols` wide and `rows` tall.
    fn start_sized(home: &Path, colour: bool, cols: u16, rows: u16) -> Pty {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_peelql"));
        cmd.arg("--memory")
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("TERM", "xterm-256color")
            .env_remove("COLUMNS")
            .env_remove("LINES");
        if colour {
            cmd.env_remove("NO_COLOR");
        } else {
            cmd.env("NO_COLOR", "1");
        }
        let mut session = Session::spawn(cmd).expect("spawns on a pty");
        session.get_process_mut().set_window_size(cols, rows).expect("window size");
        let mut p = Pty { session, raw: Vec::new(), plain_pos: 0, raw_pos: 0, eof: false };
        p.expect("PeelQL");
        p.prompt();
        p
    }

    /// Reads what is there to read; false when nothing came.
    fn read_some(&mut self) -> bool {
        let mut buf = [0u8; 8192];
        match self.session.try_read(&mut buf) {
            Ok(0) => {
                self.eof = true;
                false
            }
            Ok(n) => {
                self.raw.extend_from_slice(&buf[..n]);
                true
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                sleep(Duration::from_millis(10));
                false
            }
            Err(_) => {
                // EIO once the program has exited and the pty is closed
                self.eof = true;
                false
            }
        }
    }

    /// Waits until `needle` appears on the screen after what earlier
    /// expectations matched.
    fn expect(&mut self, needle: &str) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let text = plain(&self.raw);
            if let Some(i) = text.get(self.plain_pos..).and_then(|rest| rest.find(needle)) {
                self.plain_pos += i + needle.len();
                return;
            }
            if self.eof || Instant::now() > deadline {
                let tail: String = {
                    let start = text.len().saturating_sub(3000);
                    let start = (start..text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(0);
                    text[start..].to_string()
                };
                panic!("did not see {needle:?} (eof: {}); the screen ended with:\n{tail}", self.eof);
            }
            self.read_some();
        }
    }

    /// Waits until the bytes `needle` (escape sequences included) arrive.
    fn expect_raw(&mut self, needle: &str) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let found = self.raw[self.raw_pos..].windows(needle.len()).position(|w| w == needle.as_bytes());
            if let Some(i) = found {
                self.raw_pos += i + needle.len();
                return;
            }
            assert!(!self.eof && Instant::now() < deadline, "did not see the bytes {needle:?}");
            self.read_some();
        }
    }

    /// Sends keys.
    fn send(&mut self, keys: &str) {
        self.session.write_all(keys.as_bytes()).unwrap();
        self.session.flush().unwrap();
    }

    /// Types text and lets the prompt draw it.
    fn typed(&mut self, text: &str) {
        self.send(text);
        sleep(Duration::from_millis(100));
    }

    /// Waits for a new prompt on a line of its own (the prompt redraws the
    /// line being edited on the same line). Keys sent before it is there
    /// may be lost: between inputs the terminal is not in raw mode.
    fn prompt(&mut self) {
        self.expect("\npeelql> ");
    }

    /// Presses Enter, waits for each of `what` in order, then the prompt.
    fn run_expecting(&mut self, what: &[&str]) {
        self.send(ENTER);
        for w in what {
            self.expect(w);
        }
        self.prompt();
    }

    /// Sends `keys` and checks the program ends with status 0.
    fn quit_with(mut self, keys: &str) {
        self.send(keys);
        let deadline = Instant::now() + TIMEOUT;
        while !self.eof && Instant::now() < deadline {
            self.read_some();
        }
        assert!(self.eof, "the prompt did not end");
        match self.session.get_process().wait().expect("exit status") {
            WaitStatus::Exited(_, code) => assert_eq!(code, 0),
            other => panic!("did not exit normally: {other:?}"),
        }
    }
}

#[test]
fn completion_multi_line_and_history_across_runs() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::start(home.path(), false);

    // Tab inside area(" offers the offenders area: "sex" is one of its words
    p.typed(r#"forces where area("sex"#);
    p.send(TAB);
    p.expect(r#"peelql> forces where area("sex offenders")"#);
    p.typed(" = inadequate select name");
    p.run_expecting(&[
        "Cambridgeshire Constabulary",
        "Lincolnshire Police",
        "West Midlands Police",
        "(4 rows)",
    ]);

    // Tab completes a grade word
    p.typed(r#"forces where area("offenders") = ina"#);
    p.send(TAB);
    p.expect(r#"peelql> forces where area("offenders") = inadequate"#);
    p.typed(" select name");
    p.run_expecting(&["Metropolitan Police Service", "(4 rows)"]);

    // an open bracket carries the query over to a second line, which runs as one
    p.typed(r#"forces where area("offenders") = inadequate and (region = "Eastern""#);
    p.send(ENTER);
    p.expect("\n   ...> ");
    p.typed(r#"or region = "London") select name, region"#);
    p.run_expecting(&["Cambridgeshire Constabulary", "Metropolitan Police Service", "(2 rows)"]);

    p.quit_with(".quit\r");

    // the history: `.quit` is not kept, the multi-line query is one entry
    let history = home.path().join("data").join("peelql").join("history.txt");
    let saved = std::fs::read_to_string(&history).expect("history file in the data directory");
    assert!(
        saved.contains(r#"and (region = "Eastern"\nor region = "London")"#),
        "one entry, its newline escaped: {saved}"
    );

    // a new run: Up recalls the last query, both of its lines, and Enter runs it whole
    let mut p = Pty::start(home.path(), false);
    p.send(UP);
    p.expect(r#"peelql> forces where area("offenders") = inadequate and (region = "Eastern""#);
    p.expect(r#"or region = "London") select name, region"#);
    p.run_expecting(&["Cambridgeshire Constabulary", "Metropolitan Police Service", "(2 rows)"]);
    // Up: the last query again; Up moves to its first line; Up: the one before
    p.send(UP);
    p.send(UP);
    p.send(UP);
    p.expect(r#"peelql> forces where area("offenders") = inadequate select name"#);
    p.send(CTRL_C);
    p.prompt();
    p.quit_with(CTRL_D);
}

#[test]
fn narrow_screen_keeps_selected_columns_and_save_writes_the_last_result() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::start_sized(home.path(), false, 60, 60);
    p.typed(r#"grades where force = "cambs" select force, programme, area, grade, source_url"#);
    p.run_expecting(&[" grade ", "outstanding", "Web addresses shortened", "(8 rows)"]);
    let page = home.path().join("cambs.html");
    p.typed(&format!(".save {}", page.display()));
    p.run_expecting(&["as html (8 rows)"]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.matches("</html>").count() == 1);
    assert!(html.contains("Responding to the public"));
    let csv = home.path().join("cambs.txt");
    p.typed(&format!(".save {} csv", csv.display()));
    p.run_expecting(&["as csv (8 rows)"]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 9, "{text}");
    assert!(text.contains(",https://www.huntspost.co.uk/"), "whole addresses: {text}");
    p.typed(".help");
    p.run_expecting(&[".save FILE"]);
    p.quit_with(CTRL_D);
}

#[test]
fn keys_commands_and_errors() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::start(home.path(), false);

    // Ctrl-C clears the line: what was typed is not run
    p.typed("forces wher");
    p.send(CTRL_C);
    p.prompt();
    p.typed("programmes select name limit 1");
    p.run_expecting(&["PEEL 2014", "(1 row)"]);

    // Ctrl-C in a continuation line forgets the whole input
    p.typed("forces where (");
    p.send(ENTER);
    p.expect("\n   ...> ");
    p.send(CTRL_C);
    p.prompt();
    p.typed("programmes select scale limit 1");
    p.run_expecting(&["four-tier", "(1 row)"]);

    // an error is a diagnostic, and the prompt carries on
    p.typed(r#"forces where region = "Eastren""#);
    p.run_expecting(&["peelql::resolve::unknown_value", "did you mean `Eastern`?"]);

    // explain is a statement like any other
    p.typed(r#"explain forces where area("999") = inadequate"#);
    p.run_expecting(&["names:", "plan:"]);

    // dot-commands and their arguments complete with Tab
    p.typed(".form");
    p.send(TAB);
    p.expect("peelql> .format ");
    p.typed("cs");
    p.send(TAB);
    p.expect("peelql> .format csv");
    p.run_expecting(&["format: csv"]);
    p.typed("programmes select name, scale limit 2");
    p.run_expecting(&["name,scale", "PEEL 2014,four-tier", "PEEL 2015,four-tier"]);
    p.typed(".format table");
    p.run_expecting(&["format: table"]);
    p.typed(".areas 2021");
    p.run_expecting(&["PEEL 2021-22", "Treatment of the public", "(11 rows"]);
    // .import loads a file into this run's data (--memory: nothing is saved)
    let file = home.path().join("new.csv");
    std::fs::write(
        &file,
        "force,programme,published,area,grade,source_url,basis\n\
         Kent Police,PEEL 2023-25,2026-04-09,Developing a positive workplace,outstanding,https://example.org/kent,stated\n",
    )
    .unwrap();
    p.typed(&format!(".import {}", file.display()));
    p.run_expecting(&["1 added"]);
    p.typed(r#"grades where force = "kent" select programme, area, grade"#);
    p.run_expecting(&["PEEL 2023-25", "Developing a positive workplace", "outstanding"]);
    p.typed(".import missing.csv");
    p.run_expecting(&["cannot read missing.csv"]);
    p.typed(".help keys");
    p.run_expecting(&["Ctrl-D"]);

    // a long table is cut to the screen, with a line saying how to see the rest
    p.typed("grades in all select force, programme, area, grade");
    p.run_expecting(&["left out", "`.maxrows all` shows every row"]);

    p.quit_with(CTRL_D);
}

#[test]
fn colour_hints_and_highlighting() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::start(home.path(), true);

    // the rest of the only completion, dimmed
    p.typed(r#"forces where area("sex"#);
    p.expect_raw("\x1b[2m offenders\")");
    p.send(CTRL_C);
    p.prompt();
    // a grade word in its grade's colour, a keyword in bold blue
    p.typed("grades where grade = inadequate");
    p.expect_raw("\x1b[1;34mwhere");
    p.expect_raw("\x1b[1;31minadequate");
    p.send(CTRL_C);
    p.prompt();
    // results: grades coloured in the table too
    p.typed("grades where force = \"cambs\" and grade = inadequate select area, grade");
    p.run_expecting(&["Responding to the public", "(2 rows)"]);
    p.quit_with(CTRL_D);
}

/// Not a terminal: the issue's own command, `printf '…;\n' | peelql`, runs
/// the input as a script — no banner, prompt or colour, no history — and
/// exits 0. Run over the default store, in a temporary data directory.
#[test]
fn piped_input_is_a_script_not_the_prompt() {
    use std::io::Write as _;
    use std::process::Stdio;
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_peelql"))
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"forces where area(\"responding\") = inadequate;\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("Cambridgeshire Constabulary") && stdout.contains("rows)"), "{stdout}");
    assert!(!stdout.contains("peelql>") && !stdout.contains("PeelQL"), "no prompt or banner: {stdout}");
    assert!(!stdout.contains('\x1b') && !stderr.contains('\x1b'), "no colour");
    assert!(!home.path().join("data").join("peelql").join("history.txt").exists(), "no history");
}

#[test]
fn a_warning_is_shown_under_the_result_it_belongs_to() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::start(home.path(), false);
    p.typed(r#"grades where force = "Thames" select force, area limit 1"#);
    // the table first, then the warning under it, drawn for the terminal
    p.run_expecting(&[
        "Thames Valley Police",
        "(1 row)",
        "peelql::warning::partial_force_name",
        "⚠",
        "\"Thames\" is only part of a force's name; it was read as Thames Valley Police",
        "read as Thames Valley Police",
    ]);
    p.quit_with(CTRL_D);
}

#[test]
fn open_makes_no_store_unless_asked_and_says_what_it_opened() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::start(home.path(), false);
    let missing = home.path().join("no").join("such").join("x");
    p.typed(&format!(".open {}", missing.display()));
    p.run_expecting(&["there is no store at", "nothing was opened or made", ".open --new"]);
    assert!(!home.path().join("no").exists(), "nothing is created");
    // still answering from the bundled data
    p.typed("programmes select name limit 1");
    p.run_expecting(&["PEEL 2014", "(1 row)"]);
    p.typed(&format!(".open --new {}", missing.display()));
    p.run_expecting(&["made a new store", "now answering from", "x"]);
    assert!(missing.join("peelql.store").is_file(), "the store is made");
    p.typed(".open :memory:");
    p.run_expecting(&["now answering from bundled data in memory"]);
    // a store that exists opens without --new
    p.typed(&format!(".open {}", missing.display()));
    p.run_expecting(&["now answering from"]);
    p.typed("forces where region = \"Wales\" select name limit 1");
    p.run_expecting(&["Dyfed-Powys Police", "(1 row)"]);
    p.quit_with(CTRL_D);
}

/// Every problem the prompt reports starts `Error: ` or `Warning: ` —
/// a query's first error and the ones after it, a warning, a misused
/// dot-command, a failed `.import` — and on a 60-column screen the report
/// is wrapped to 60 columns, a listed line going on under itself.
#[test]
fn every_problem_at_the_prompt_starts_with_its_level_and_fits_the_screen() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::start_sized(home.path(), false, 60, 40);
    p.typed("grades where grade = poor select nme");
    p.run_expecting(&[
        "Error: peelql::resolve::unknown_grade",
        "Error: peelql::resolve::unknown_column",
        "help: did you mean `name`?",
    ]);
    p.typed(r#"grades where force = "Thames" select area limit 1"#);
    p.run_expecting(&["(1 row)", "Warning: peelql::warning::partial_force_name"]);
    p.typed(r#"grades where area("crime") = good"#);
    p.run_expecting(&["Error: peelql::resolve::ambiguous_area", "say which one:"]);
    p.typed(".frmat csv");
    p.run_expecting(&["Error: there is no command `.frmat`; did you mean `.format`?"]);
    p.typed(".help nothing");
    p.run_expecting(&["Error: there is no help topic `nothing`"]);
    p.typed(".areas 1999");
    p.run_expecting(&["Error: there is no programme `1999`"]);
    p.typed(".import missing.csv");
    p.run_expecting(&["Error: peelql::import::unreadable", "cannot read missing.csv"]);
    // every line but the echo of what was typed, and the query quoted with
    // its labels under it (miette draws them unwrapped), fits 60 columns
    let screen = plain(&p.raw);
    let quoted = |l: &str| l.starts_with(" 1 │ ") || l.starts_with("   · ");
    let report: Vec<&str> = screen.lines().filter(|l| !l.contains("peelql>") && !quoted(l)).collect();
    let long: Vec<&&str> = report.iter().filter(|l| l.chars().count() > 60).collect();
    assert!(long.is_empty(), "lines wider than the screen: {long:#?}");
    // the ambiguous area's list: a line too long goes on under itself
    assert!(
        screen.contains(
            "          area(\"Providing a service to victims of crime\")\n              in PEEL 2023-25"
        ),
        "{screen}"
    );
    p.quit_with(CTRL_D);
}
