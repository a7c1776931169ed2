//! Importing grades (and the programmes, themes and areas they need) from a
//! CSV or JSON file.
//!
//! [`plan`] reads and checks a file against the current data set and, when
//! nothing is wrong, gives the whole new data set; it never writes.
//! [`crate::Engine::import`] then writes that data set to the store in one
//! all-or-nothing replace and switches queries over to it.
//!
//! # The file
//!
//! A CSV file has a header row. With only the columns of the bundled
//! `grades.csv` — `force,programme,published,area,grade,source_url,basis`
//! — every row is a grade. A `kind` column lets one file also declare what
//! the grades need; each row then uses the columns of its kind and leaves
//! the others empty:
//!
//! | kind | columns (required in bold) |
//! |---|---|
//! | `grade` (or empty) | **force**, **programme**, published, **area**, **grade**, **source_url**, **basis** |
//! | `programme` | **programme**, **start_year**, **end_year**, **scale**, aliases |
//! | `theme` | **theme**, **name**, aliases |
//! | `area` | **programme**, **area**, **theme**, pillar, question_text, source_url |
//! | `history` | the grade columns, and **replaced_at**, **replaced_by** |
//! | `move` | **force**, **event** (`entered`/`left`), date, causes_of_concern, **source_url**, **basis**, sentence |
//!
//! A JSON file is an object with any of the arrays `programmes`, `themes`,
//! `areas`, `grades`, `history` and `monitoring` (of moves), each of objects with the same fields as
//! the columns (aliases may be an array of strings, years numbers), or just
//! an array of grade objects.
//!
//! Names may be written as users type them (`cambs`, `peel 2023`); they
//! are stored as the catalog names them.
//!
//! # Rules
//!
//! - A grade for a (force, programme, area) the store lacks is *added*; one
//!   equal to the stored grade (grade, date, source and basis) is
//!   *unchanged*; one that differs is a conflict, unless
//!   [`ImportOptions::replace`] is set: then it is *changed*, and the old
//!   row goes into the history with the time and the file's name.
//! - Two rows of one file for the same (force, programme, area) are a
//!   problem, as are a declaration that differs from what the store holds
//!   under that name, and a grade not on its programme's scale.
//! - History rows already held are skipped. A grade that differs from the
//!   stored one is also accepted without `replace` when the file's own
//!   history rows hold the stored row as replaced: so an export, which
//!   carries its history, imports into a fresh store as the same data.
//! - A move into or out of Engage equal to a stored one is *unchanged*;
//!   one of the same force, event and date that differs (its causes,
//!   source, basis or sentence) is a problem, unless
//!   [`ImportOptions::replace`] is set: then it is *changed* in place, and
//!   the summary lists the stored move it replaced (the store keeps no
//!   history of moves: export first to keep it); two rows of one file for
//!   the same move are a problem;
//!   the others are added after the force's stored moves, which with them
//!   must alternate (no `left` without an earlier `entered`, no two
//!   entries in a row) and never go back in time.
//! - Every problem is reported, with file, line, column and text.

use crate::catalog::cells::{Cell, Place, Problem, Problems, Row, csv_reader};
use crate::catalog::files::{
    GRADE_COLUMNS, MONITORING_COLUMNS, PROGRAMME_COLUMNS, THEME_COLUMNS, area_record, grade_record,
    programme_record, theme_record,
};
use crate::catalog::lookup::LookupError;
use crate::catalog::model::{
    GradeRecord, HistoryRecord, MonitoringRecord, ProgrammeRecord, Tables, ThemeRecord,
};
use crate::catalog::{AreaId, Catalog, ForceId, ProgrammeId, normalise};
use crate::dataset::Dataset;
use crate::error::{Error, ErrorKind, Result};
use crate::suggest::{did_you_mean, suggest};
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::rc::Rc;

/// The largest file one import reads (256 MiB): checking a file holds it
/// and its rows in memory at once, several times its size, and a larger
/// one is refused before it is read (a stream, such as `/dev/zero`, is
/// read no further than this).
pub const MAX_IMPORT_BYTES: u64 = 256 << 20;

/// The error code of an import that found problems in its file.
pub const INVALID: &str = "peelql::import::invalid";

/// The file formats an import reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImportFormat {
    /// CSV with a header row.
    Csv,
    /// A JSON object of arrays, or an array of grades.
    Json,
}

impl ImportFormat {
    /// `csv` or `json` (any case); `None` otherwise.
    pub fn parse(name: &str) -> Option<ImportFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(ImportFormat::Csv),
            "json" => Some(ImportFormat::Json),
            _ => None,
        }
    }

    /// The format a file's extension names (`.csv`, `.json`).
    pub fn from_path(path: &Path) -> Option<ImportFormat> {
        ImportFormat::parse(path.extension()?.to_str()?)
    }

    /// `csv` or `json`.
    pub fn name(self) -> &'static str {
        match self {
            ImportFormat::Csv => "csv",
            ImportFormat::Json => "json",
        }
    }
}

/// A file to import: its name (used in problems and the history), its text
/// and its format.
#[derive(Clone, Debug)]
pub struct ImportSource {
    /// The name problems and history records give it.
    pub name: String,
    /// The whole text.
    pub text: String,
    /// How to read it.
    pub format: ImportFormat,
}

impl ImportSource {
    /// A source from text in memory.
    pub fn new(name: impl Into<String>, text: impl Into<String>, format: ImportFormat) -> ImportSource {
        ImportSource { name: name.into(), text: text.into(), format }
    }

    /// Reads a file; its format is `format`, or else named by its extension.
    pub fn from_path(path: &Path, format: Option<ImportFormat>) -> Result<ImportSource> {
        // a missing file is missing, whatever its name says of its format
        if let Err(e) = std::fs::metadata(path) {
            return Err(Error::new(
                ErrorKind::Io,
                "peelql::import::unreadable",
                format!("cannot read {}: {}", path.display(), crate::error::io_words(&e)),
            ));
        }
        let Some(format) = format.or_else(|| ImportFormat::from_path(path)) else {
            return Err(Error::new(
                ErrorKind::Io,
                "peelql::import::format",
                format!("cannot tell the format of {}", path.display()),
            )
            .with_help("name the file .csv or .json, or pass --format csv|json"));
        };
        let unreadable = |e: std::io::Error| {
            Error::new(
                ErrorKind::Io,
                "peelql::import::unreadable",
                format!("cannot read {}: {e}", path.display()),
            )
        };
        let too_big = || {
            Error::new(
                ErrorKind::Io,
                "peelql::import::too_big",
                format!(
                    "{} is larger than {} MiB, the most one import reads",
                    path.display(),
                    MAX_IMPORT_BYTES >> 20
                ),
            )
            .with_help("split it into several files and import each (every import is all or nothing)")
        };
        let file = std::fs::File::open(path).map_err(unreadable)?;
        // a regular file is measured first; anything else (a pipe, a
        // device such as /dev/zero) is read no further than the limit
        let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
        if size.is_some_and(|len| len > MAX_IMPORT_BYTES) {
            return Err(too_big());
        }
        // a regular file's size is known: read into exactly that room (and
        // one more byte, to see the end), not a buffer grown by doubling
        let mut bytes = Vec::with_capacity(size.map_or(0, |len| len as usize + 1));
        std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_IMPORT_BYTES + 1), &mut bytes)
            .map_err(unreadable)?;
        if bytes.len() as u64 > MAX_IMPORT_BYTES {
            return Err(too_big());
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let (good, bad) = e.as_bytes().split_at(e.utf8_error().valid_up_to());
            let line = 1 + good.iter().filter(|b| **b == b'\n').count();
            let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let col = 1 + String::from_utf8_lossy(&good[line_start..]).chars().count();
            let byte = bad.first().map_or(String::new(), |b| format!(", byte 0x{b:02X}"));
            Error::new(
                ErrorKind::Io,
                "peelql::import::unreadable",
                format!(
                    "cannot read {}: it is not UTF-8 text (line {line}, column {col}{byte})",
                    path.display()
                ),
            )
            .with_help("save the file as UTF-8 (in a spreadsheet: \"CSV UTF-8\"); Latin-1 and Windows-1252 are not read")
        })?;
        Ok(ImportSource { name: path.display().to_string(), text, format })
    }
}

/// How an import treats what the store already holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Let a grade that differs from the stored one replace it (the old row
    /// is kept in the history), and a move that differs from the stored move
    /// of its force, event and date replace it. Without it such a row is a
    /// problem.
    pub replace: bool,
    /// Check and count, but write nothing and leave the engine's data as it
    /// was.
    pub dry_run: bool,
}

/// What an import did (or, for a dry run, would do).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportSummary {
    /// The file's name.
    pub file: String,
    /// Grade rows in the file.
    pub rows: usize,
    /// Grades the store did not hold.
    pub added: usize,
    /// Grades that replaced different stored ones (`--replace`).
    pub changed: usize,
    /// Grades equal to the stored ones.
    pub unchanged: usize,
    /// Programmes declared that the store did not hold.
    pub programmes_added: usize,
    /// Themes declared that the store did not hold.
    pub themes_added: usize,
    /// Areas declared that the store did not hold.
    pub areas_added: usize,
    /// History records the store did not hold.
    pub history_added: usize,
    /// Moves into or out of Engage in the file.
    pub moves: usize,
    /// Moves the store did not hold.
    pub moves_added: usize,
    /// Moves equal to stored ones.
    pub moves_unchanged: usize,
    /// Moves that replaced a stored move of the same force, event and date
    /// with other details (`--replace`).
    pub moves_changed: usize,
    /// The stored moves that changed moves replaced, as they were.
    pub moves_replaced: Vec<MonitoringRecord>,
    /// The stored rows that changed grades replaced, as kept in the history.
    pub replaced: Vec<HistoryRecord>,
    /// True when the store (or the in-memory data) was written.
    pub written: bool,
}

impl ImportSummary {
    /// True when the file adds or changes nothing.
    pub fn is_noop(&self) -> bool {
        self.added
            + self.changed
            + self.programmes_added
            + self.themes_added
            + self.areas_added
            + self.history_added
            + self.moves_added
            + self.moves_changed
            == 0
    }
}

impl fmt::Display for ImportSummary {
    /// `grades.csv: 120 rows: 100 added, 3 changed, 17 unchanged`, then the
    /// declarations and history added, if any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} row{}: {} added, {} changed, {} unchanged",
            self.file,
            self.rows,
            if self.rows == 1 { "" } else { "s" },
            self.added,
            self.changed,
            self.unchanged
        )?;
        let mut also = Vec::new();
        for (n, one, many) in [
            (self.programmes_added, "programme", "programmes"),
            (self.themes_added, "theme", "themes"),
            (self.areas_added, "area", "areas"),
            (self.history_added, "history record", "history records"),
        ] {
            if n > 0 {
                also.push(format!("{n} {}", if n == 1 { one } else { many }));
            }
        }
        if !also.is_empty() {
            write!(f, "; new: {}", also.join(", "))?;
        }
        if self.moves > 0 {
            write!(f, "; moves: {} added, ", self.moves_added)?;
            if self.moves_changed > 0 {
                write!(f, "{} changed, ", self.moves_changed)?;
            }
            write!(f, "{} unchanged", self.moves_unchanged)?;
        }
        Ok(())
    }
}

/// How far an import has got, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportProgress {
    /// The file is read and checked: this many grade rows.
    Checked {
        /// Grade rows in the file.
        rows: usize,
    },
    /// Records written to the store so far, of the whole data set.
    Writing {
        /// Records written.
        written: usize,
        /// Records to write.
        total: usize,
    },
}

/// A checked import: the data set it gives and what it changes.
#[derive(Debug)]
pub struct ImportPlan {
    /// The whole data set after the import.
    pub dataset: Dataset,
    /// What changes.
    pub summary: ImportSummary,
}

/// The kinds of row an import file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Programme,
    Theme,
    Area,
    Grade,
    History,
    Move,
}

impl Kind {
    const ALL: [Kind; 6] = [Kind::Programme, Kind::Theme, Kind::Area, Kind::Grade, Kind::History, Kind::Move];

    fn name(self) -> &'static str {
        match self {
            Kind::Programme => "programme",
            Kind::Theme => "theme",
            Kind::Area => "area",
            Kind::Grade => "grade",
            Kind::History => "history",
            Kind::Move => "move",
        }
    }

    /// The JSON array of this kind.
    fn plural(self) -> &'static str {
        match self {
            Kind::Programme => "programmes",
            Kind::Theme => "themes",
            Kind::Area => "areas",
            Kind::Grade => "grades",
            Kind::History => "history",
            Kind::Move => "monitoring",
        }
    }

    fn parse(text: &str) -> Option<Kind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "grade" | "grades" => Some(Kind::Grade),
            "programme" | "program" | "programmes" => Some(Kind::Programme),
            "theme" | "themes" => Some(Kind::Theme),
            "area" | "areas" => Some(Kind::Area),
            "history" => Some(Kind::History),
            "move" | "moves" | "monitoring" | "engage" => Some(Kind::Move),
            _ => None,
        }
    }

    /// Columns a row of this kind must have.
    fn required(self) -> &'static [&'static str] {
        match self {
            Kind::Programme => &["programme", "start_year", "end_year", "scale"],
            Kind::Theme => &["theme", "name"],
            Kind::Area => &["programme", "area", "theme"],
            Kind::Grade => &["force", "programme", "area", "grade", "source_url", "basis"],
            Kind::History => {
                &["force", "programme", "area", "grade", "source_url", "basis", "replaced_at", "replaced_by"]
            }
            Kind::Move => &["force", "event", "source_url", "basis"],
        }
    }

    /// Columns a row of this kind may fill.
    fn allowed(self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = match self {
            Kind::Programme => PROGRAMME_COLUMNS.to_vec(),
            Kind::Theme => THEME_COLUMNS.to_vec(),
            Kind::Area => AREA_COLUMNS.to_vec(),
            Kind::Grade => GRADE_COLUMNS.to_vec(),
            Kind::History => GRADE_COLUMNS.iter().chain(&["replaced_at", "replaced_by"]).copied().collect(),
            Kind::Move => MONITORING_COLUMNS.iter().chain(&["sentence"]).copied().collect(),
        };
        v.push("kind");
        v
    }
}

/// The columns of an import's area rows.
const AREA_COLUMNS: [&str; 6] = ["programme", "area", "theme", "pillar", "question_text", "source_url"];

/// Every column an import file may have, in the order an export writes them.
pub const COLUMNS: [&str; 22] = [
    "kind",
    "force",
    "programme",
    "published",
    "area",
    "grade",
    "source_url",
    "basis",
    "replaced_at",
    "replaced_by",
    "start_year",
    "end_year",
    "scale",
    "aliases",
    "theme",
    "name",
    "pillar",
    "question_text",
    "event",
    "date",
    "causes_of_concern",
    "sentence",
];

/// One row of the file with its kind.
struct Item<'t> {
    kind: Kind,
    row: Row<'t>,
}

/// The time now, UTC, as `2025-05-01T09:30:00Z` (for history records).
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil-from-days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// Reads and checks `source` against `current` and gives the data set the
/// import makes, or every problem found. Writes nothing. `now` stamps the
/// history records of replaced grades.
pub fn plan(
    current: &Dataset,
    source: &ImportSource,
    options: &ImportOptions,
    now: &str,
) -> std::result::Result<ImportPlan, Vec<Problem>> {
    check(current, source, options, now)?.build()
}

/// A file read and checked against the current data set: the tables the
/// import makes and what it changes, not yet built into a data set. It
/// holds nothing of the file's text, so the text can be dropped before the
/// data set is built ([`Checked::build`]).
#[derive(Debug)]
pub struct Checked {
    tables: Tables,
    summary: ImportSummary,
}

impl Checked {
    /// What the import changes.
    pub fn summary(&self) -> &ImportSummary {
        &self.summary
    }

    /// The whole data set after the import.
    pub fn build(self) -> std::result::Result<ImportPlan, Vec<Problem>> {
        let Checked { tables, summary } = self;
        match Dataset::build_compact(tables) {
            Ok(dataset) => Ok(ImportPlan { dataset, summary }),
            Err(e) => Err(vec![inconsistent(&summary.file, &e)]),
        }
    }

    /// Writes the whole data set after the import to `store`, in one
    /// all-or-nothing replace, without building it in memory: its grade
    /// columns and its image (the store's snapshot) are written a piece at
    /// a time from the checked records, so a large file's strings are
    /// never held twice. Problems are those [`Checked::build`] finds.
    pub(crate) fn write(
        self,
        store: &crate::store::SledStore,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportSummary> {
        let Checked { mut tables, summary } = self;
        let grades = std::mem::take(&mut tables.grades);
        let mut staged = crate::dataset::streamed::Staged::new(tables, grades)
            .map_err(|e| problems_error(&summary.file, &[inconsistent(&summary.file, &e)]))?;
        store.replace_staged(&mut staged, progress)?;
        Ok(summary)
    }
}

/// The problem of checked records that do not make a data set.
fn inconsistent(file: &str, e: &Error) -> Problem {
    let place = Place { file: Rc::from(file), line: 1, col: 1 };
    place.problem("-", "", format!("the import would leave the data inconsistent: {e}"))
}

/// The first half of [`plan`]: reads and checks `source` against `current`
/// and gives the checked tables, or every problem found.
pub fn check(
    current: &Dataset,
    source: &ImportSource,
    options: &ImportOptions,
    now: &str,
) -> std::result::Result<Checked, Vec<Problem>> {
    let mut problems = Problems::default();
    let read::Read { items, grades } = match source.format {
        ImportFormat::Csv => read_csv(&source.name, &source.text, &mut problems),
        ImportFormat::Json => read_json(&source.name, &source.text, &mut problems),
    };
    let mut check = Check {
        tables: current.tables().clone(),
        summary: ImportSummary { file: source.name.clone(), ..ImportSummary::default() },
        problems,
        unreadable_programmes: Default::default(),
    };
    let mut by_kind: BTreeMap<Kind, Vec<Row<'_>>> = BTreeMap::new();
    for item in items {
        by_kind.entry(item.kind).or_default().push(item.row);
    }
    let mut take = |kind| by_kind.remove(&kind).unwrap_or_default();
    check.summary.rows = grades.len();

    let cat = &current.catalog;
    let new_programmes = check.programmes(cat, take(Kind::Programme));
    let new_themes = check.themes(cat, take(Kind::Theme));
    check.areas(cat, take(Kind::Area), &new_programmes, &new_themes);
    let history = take(Kind::History);
    let moves = take(Kind::Move);
    check.summary.moves = moves.len();

    let merged = match Catalog::build(&check.tables) {
        Ok(c) => c,
        Err(e) => {
            let place = Place { file: Rc::from(source.name.as_str()), line: 1, col: 1 };
            check.problems.push(
                &place,
                "-",
                "",
                format!("the declarations leave the catalog inconsistent: {e}"),
            );
            return Err(check.problems.into_vec());
        }
    };
    let explained = check.history(&merged, history);
    check.grades(&merged, grades.rows(), options, &source.name, now, &explained);
    check.moves(&merged, moves, *options);
    if !check.problems.is_empty() {
        return Err(check.problems.into_vec());
    }
    let Check { tables, summary, .. } = check;
    Ok(Checked { tables, summary })
}

/// The error [`crate::Engine::import`] gives for problems in a file.
pub fn problems_error(file: &str, problems: &[Problem]) -> Error {
    crate::catalog::cells::problems_error(problems, INVALID, &format!("nothing was imported: {file} has"))
}

mod check;
mod moves;
mod read;

use check::Check;
use read::{read_csv, read_json};
#[cfg(test)]
mod tests;
