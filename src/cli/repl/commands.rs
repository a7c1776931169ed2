//! Dot-commands: a line starting with `.`. Reading one is pure (tested
//! here); running one is in `mod.rs`, which owns the engine and the
//! session.

use peelql::output::Format;
use peelql::suggest::{did_you_mean, suggest};
use std::path::PathBuf;

/// A dot-command as listed by `.help commands` and completed by Tab.
pub struct CommandInfo {
    /// `.format`.
    pub name: &'static str,
    /// What it takes, for help; empty when nothing.
    pub args: &'static str,
    /// One line on what it does.
    pub about: &'static str,
}

/// Every dot-command.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo { name: ".help", args: "[TOPIC]", about: "the language at a glance, or one topic" },
    CommandInfo {
        name: ".format",
        args: "FORMAT",
        about: "how results are printed (.help formats lists them)",
    },
    CommandInfo {
        name: ".save",
        args: "FILE [FORMAT]",
        about: "write the last result to a file (.help formats)",
    },
    CommandInfo { name: ".timer", args: "on|off", about: "show how long each statement took" },
    CommandInfo {
        name: ".maxrows",
        args: "N|all",
        about: "cut tables longer than N rows (default: the screen)",
    },
    CommandInfo {
        name: ".open",
        args: "[--new] PATH|:memory:",
        about: "open another store (--new makes one), or the bundled data",
    },
    CommandInfo { name: ".sources", args: "", about: "the sources and their columns" },
    CommandInfo {
        name: ".areas",
        args: "[PROGRAMME]",
        about: "the areas a programme grades (the latest by default)",
    },
    CommandInfo { name: ".forces", args: "", about: "the forces, their short names and aliases" },
    CommandInfo { name: ".programmes", args: "", about: "the inspection programmes" },
    CommandInfo {
        name: ".import",
        args: "FILE",
        about: "load grades from a CSV or JSON file (see `peelql import`)",
    },
    CommandInfo { name: ".quit", args: "", about: "leave (also .exit, or Ctrl-D on an empty line)" },
];

/// The command a name stands for, aliases included (`.exit` → `.quit`).
pub fn canonical(name: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    let alias = match name.as_str() {
        ".exit" | ".q" => ".quit",
        ".h" | ".?" => ".help",
        ".programs" => ".programmes",
        ".mode" => ".format",
        _ => name.as_str(),
    };
    COMMANDS.iter().find(|c| c.name == alias).map(|c| c.name)
}

/// How many rows a table may show before it is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaxRows {
    /// As many as fit the terminal.
    Screen,
    /// At most this many.
    Rows(usize),
    /// Never cut.
    All,
}

/// A dot-command read from a line.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// `.help [topic]`.
    Help(Option<String>),
    /// `.format [FMT]`: `None` shows the current one.
    Format(Option<Format>),
    /// `.save FILE [FORMAT]`: the last result written to a file.
    Save(PathBuf, Option<Format>),
    /// `.timer [on|off]`: `None` shows the setting.
    Timer(Option<bool>),
    /// `.maxrows [N|all]`.
    MaxRows(Option<MaxRows>),
    /// `.open [--new] PATH`; `None` for `:memory:`. `new`: a store may be
    /// made there (without it, a path holding no store is refused).
    Open(Option<PathBuf>, bool),
    /// A `show` statement to run: `.sources`, `.forces`, `.programmes`.
    Show(&'static str),
    /// `.areas [programme]`.
    Areas(Option<String>),
    /// `.import FILE`.
    Import(PathBuf),
    /// `.quit`.
    Quit,
}

/// Reads a dot-command line. The error is a message for the user.
pub fn parse(line: &str) -> Result<Command, String> {
    let line = line.trim().trim_end_matches(';').trim_end();
    let (name, arg) = match line.find(char::is_whitespace) {
        Some(i) => (&line[..i], line[i..].trim()),
        None => (line, ""),
    };
    let Some(cmd) = canonical(name) else {
        let names = COMMANDS.iter().map(|c| c.name);
        let hint =
            did_you_mean(&suggest(name, names)).unwrap_or_else(|| "`.help commands` lists them".into());
        return Err(format!("there is no command `{name}`; {hint}"));
    };
    let arg = (!arg.is_empty()).then_some(arg);
    let no_arg = |c: Command| match arg {
        None => Ok(c),
        Some(a) => Err(format!("`{cmd}` takes nothing after it (found `{a}`)")),
    };
    match cmd {
        ".help" => Ok(Command::Help(arg.map(str::to_string))),
        ".format" => match arg {
            None => Ok(Command::Format(None)),
            Some(a) => a.parse::<Format>().map(|f| Command::Format(Some(f))).map_err(|e| e.to_string()),
        },
        ".save" => match arg {
            None => Err("`.save` needs a file name: `.save grades.html` (the format from the extension), \
                         or `.save FILE FORMAT`"
                .into()),
            Some(a) => {
                let (file, format) = split_last_word(a);
                match format.map(str::parse::<Format>) {
                    Some(Ok(f)) => Ok(Command::Save(PathBuf::from(unquote(file)), Some(f))),
                    Some(Err(e)) => Err(e.to_string()),
                    None => Ok(Command::Save(PathBuf::from(unquote(file)), None)),
                }
            }
        },
        ".timer" => match arg.map(str::to_ascii_lowercase).as_deref() {
            None => Ok(Command::Timer(None)),
            Some("on" | "true" | "1") => Ok(Command::Timer(Some(true))),
            Some("off" | "false" | "0") => Ok(Command::Timer(Some(false))),
            Some(other) => Err(format!("`.timer` takes on or off, not `{other}`")),
        },
        ".maxrows" => match arg.map(str::to_ascii_lowercase).as_deref() {
            None => Ok(Command::MaxRows(None)),
            Some("all" | "off" | "none") => Ok(Command::MaxRows(Some(MaxRows::All))),
            Some("screen" | "auto") => Ok(Command::MaxRows(Some(MaxRows::Screen))),
            Some(n) => match n.parse::<usize>() {
                Ok(n) if n > 0 => Ok(Command::MaxRows(Some(MaxRows::Rows(n)))),
                _ => Err(format!("`.maxrows` takes a number of rows, `all` or `screen`, not `{n}`")),
            },
        },
        ".open" => match arg {
            None => Err("`.open` needs the path of a store, or :memory: for the bundled data".into()),
            Some(":memory:" | "--memory") => Ok(Command::Open(None, false)),
            Some(p) => {
                let (new, p) = match p.strip_prefix("--new") {
                    Some(rest) if rest.is_empty() || rest.starts_with(char::is_whitespace) => {
                        (true, rest.trim())
                    }
                    _ => (false, p),
                };
                if p.is_empty() {
                    return Err("`.open --new` needs the path of the store to make".into());
                }
                Ok(Command::Open(Some(PathBuf::from(unquote(p))), new))
            }
        },
        ".import" => match arg {
            None => Err("`.import` needs the path of a file".into()),
            Some(p) => Ok(Command::Import(PathBuf::from(unquote(p)))),
        },
        ".sources" => no_arg(Command::Show("show sources")),
        ".forces" => no_arg(Command::Show("show forces")),
        ".programmes" => no_arg(Command::Show("show programmes")),
        ".areas" => Ok(Command::Areas(arg.map(|a| unquote(a).to_string()))),
        ".quit" => Ok(Command::Quit),
        _ => unreachable!("every canonical command is handled"),
    }
}

/// `FILE FORMAT` → (`FILE`, `Some(FORMAT)`); a lone (possibly quoted)
/// file name → (it, `None`).
fn split_last_word(arg: &str) -> (&str, Option<&str>) {
    let quoted = arg.starts_with(['"', '\'']) && unquote(arg) != arg;
    match arg.rsplit_once(char::is_whitespace) {
        Some((file, format)) if !quoted && !format.is_empty() => (file.trim_end(), Some(format)),
        _ => (arg, None),
    }
}

/// `"a b"` or `'a b'` → `a b`; anything else as it is.
fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_arguments() {
        assert_eq!(parse(".help"), Ok(Command::Help(None)));
        assert_eq!(parse("  .help  conditions "), Ok(Command::Help(Some("conditions".into()))));
        assert_eq!(parse(".format csv"), Ok(Command::Format(Some(Format::Csv))));
        assert_eq!(parse(".format MD;"), Ok(Command::Format(Some(Format::Markdown))));
        assert_eq!(parse(".format"), Ok(Command::Format(None)));
        assert_eq!(parse(".timer on"), Ok(Command::Timer(Some(true))));
        assert_eq!(parse(".timer OFF"), Ok(Command::Timer(Some(false))));
        assert_eq!(parse(".maxrows 20"), Ok(Command::MaxRows(Some(MaxRows::Rows(20)))));
        assert_eq!(parse(".maxrows all"), Ok(Command::MaxRows(Some(MaxRows::All))));
        assert_eq!(parse(".open /tmp/x"), Ok(Command::Open(Some("/tmp/x".into()), false)));
        assert_eq!(parse(".open \"/tmp/a b\""), Ok(Command::Open(Some("/tmp/a b".into()), false)));
        assert_eq!(parse(".open --new /tmp/x"), Ok(Command::Open(Some("/tmp/x".into()), true)));
        assert_eq!(parse(".open --newer"), Ok(Command::Open(Some("--newer".into()), false)));
        assert_eq!(parse(".open :memory:"), Ok(Command::Open(None, false)));
        assert_eq!(parse(".sources"), Ok(Command::Show("show sources")));
        assert_eq!(parse(".forces"), Ok(Command::Show("show forces")));
        assert_eq!(parse(".programs"), Ok(Command::Show("show programmes")));
        assert_eq!(parse(".areas"), Ok(Command::Areas(None)));
        assert_eq!(parse(".areas peel 2021"), Ok(Command::Areas(Some("peel 2021".into()))));
        assert_eq!(parse(".import grades.csv"), Ok(Command::Import("grades.csv".into())));
        assert_eq!(parse(".save out.html"), Ok(Command::Save("out.html".into(), None)));
        assert_eq!(parse(".save out.txt csv"), Ok(Command::Save("out.txt".into(), Some(Format::Csv))));
        assert_eq!(parse(".save \"a b.svg\""), Ok(Command::Save("a b.svg".into(), None)));
        assert!(parse(".save").unwrap_err().contains("file name"));
        assert!(parse(".save x.txt xml").unwrap_err().contains("csv"));
        assert_eq!(parse(".quit"), Ok(Command::Quit));
        assert_eq!(parse(".exit"), Ok(Command::Quit));
        assert_eq!(parse(".Q"), Ok(Command::Quit));
    }

    #[test]
    fn mistakes_are_messages() {
        assert!(parse(".fromat csv").unwrap_err().contains(".format"));
        assert!(parse(".format xml").unwrap_err().contains("csv"));
        assert!(parse(".timer maybe").unwrap_err().contains("on or off"));
        assert!(parse(".maxrows 0").is_err());
        assert!(parse(".open").is_err());
        assert!(parse(".open --new").unwrap_err().contains("path"));
        assert!(parse(".import").is_err());
        assert!(parse(".forces extra").unwrap_err().contains("takes nothing"));
        assert!(parse(".zzz").unwrap_err().contains(".help commands"));
    }

    #[test]
    fn every_listed_command_is_canonical() {
        for c in COMMANDS {
            assert_eq!(canonical(c.name), Some(c.name));
        }
    }
}
