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
//!
//! A JSON file is an object with any of the arrays `programmes`, `themes`,
//! `areas`, `grades` and `history`, each of objects with the same fields as
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
//! - Every problem is reported, with file, line, column and text.

use crate::catalog::cells::{Cell, Place, Problem, Problems, Row, csv_table};
use crate::catalog::files::{
    GRADE_COLUMNS, PROGRAMME_COLUMNS, THEME_COLUMNS, area_record, grade_record, programme_record,
    theme_record,
};
use crate::catalog::lookup::LookupError;
use crate::catalog::model::{GradeRecord, HistoryRecord, ProgrammeRecord, Tables, ThemeRecord};
use crate::catalog::{AreaId, Catalog, ForceId, ProgrammeId, normalise};
use crate::dataset::Dataset;
use crate::error::{Error, ErrorKind, Result};
use crate::suggest::{did_you_mean, suggest};
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::rc::Rc;

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
        let Some(format) = format.or_else(|| ImportFormat::from_path(path)) else {
            return Err(Error::new(
                ErrorKind::Io,
                "peelql::import::format",
                format!("cannot tell the format of {}", path.display()),
            )
            .with_help("name the file .csv or .json, or pass --format csv|json"));
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                "peelql::import::unreadable",
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        Ok(ImportSource { name: path.display().to_string(), text, format })
    }
}

/// How an import treats what the store already holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Let a grade that differs from the stored one replace it (the old row
    /// is kept in the history). Without it such a row is a problem.
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
}

impl Kind {
    const ALL: [Kind; 5] = [Kind::Programme, Kind::Theme, Kind::Area, Kind::Grade, Kind::History];

    fn name(self) -> &'static str {
        match self {
            Kind::Programme => "programme",
            Kind::Theme => "theme",
            Kind::Area => "area",
            Kind::Grade => "grade",
            Kind::History => "history",
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
        }
    }

    fn parse(text: &str) -> Option<Kind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "grade" | "grades" => Some(Kind::Grade),
            "programme" | "program" | "programmes" => Some(Kind::Programme),
            "theme" | "themes" => Some(Kind::Theme),
            "area" | "areas" => Some(Kind::Area),
            "history" => Some(Kind::History),
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
        };
        v.push("kind");
        v
    }
}

/// The columns of an import's area rows.
const AREA_COLUMNS: [&str; 6] = ["programme", "area", "theme", "pillar", "question_text", "source_url"];

/// Every column an import file may have, in the order an export writes them.
pub const COLUMNS: [&str; 18] = [
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
];

/// One row of the file with its kind.
struct Item {
    kind: Kind,
    row: Row,
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
    let mut problems = Problems::default();
    let items = match source.format {
        ImportFormat::Csv => read_csv(&source.name, &source.text, &mut problems),
        ImportFormat::Json => read_json(&source.name, &source.text, &mut problems),
    };
    let mut check = Check {
        tables: current.tables().clone(),
        summary: ImportSummary { file: source.name.clone(), ..ImportSummary::default() },
        problems,
    };
    let mut by_kind: BTreeMap<Kind, Vec<Row>> = BTreeMap::new();
    for item in items {
        by_kind.entry(item.kind).or_default().push(item.row);
    }
    let take = |by_kind: &mut BTreeMap<Kind, Vec<Row>>, kind| by_kind.remove(&kind).unwrap_or_default();
    check.summary.rows = by_kind.get(&Kind::Grade).map_or(0, Vec::len);

    let cat = &current.catalog;
    let new_programmes = check.programmes(cat, take(&mut by_kind, Kind::Programme));
    let new_themes = check.themes(cat, take(&mut by_kind, Kind::Theme));
    check.areas(cat, take(&mut by_kind, Kind::Area), &new_programmes, &new_themes);
    let grades = take(&mut by_kind, Kind::Grade);
    let history = take(&mut by_kind, Kind::History);

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
    check.grades(&merged, grades, options, &source.name, now, &explained);
    if !check.problems.is_empty() {
        return Err(check.problems.into_vec());
    }
    let Check { tables, summary, .. } = check;
    match Dataset::build(tables) {
        Ok(dataset) => Ok(ImportPlan { dataset, summary }),
        Err(e) => {
            let place = Place { file: Rc::from(source.name.as_str()), line: 1, col: 1 };
            Err(vec![place.problem("-", "", format!("the import would leave the data inconsistent: {e}"))])
        }
    }
}

/// The state of a check: the tables as they would become, and what was
/// found.
struct Check {
    tables: Tables,
    summary: ImportSummary,
    problems: Problems,
}

/// A name's key for comparing programme names: lower case, one space, `/`
/// as `-`.
fn programme_key(name: &str) -> String {
    normalise(&name.replace(['/', '–', '—'], "-"))
}

fn sorted(list: &[String]) -> Vec<String> {
    let mut v = list.to_vec();
    v.sort();
    v
}

impl Check {
    fn problem(&mut self, row: &Row, column: &str, message: String, help: Option<String>) {
        let mut p = row.problem_at(column, message);
        p.help = help;
        self.problems.push_problem(p);
    }

    /// Declared programmes; returns the keys of the new ones.
    fn programmes(&mut self, cat: &Catalog, rows: Vec<Row>) -> HashMap<String, String> {
        let mut new: HashMap<String, String> = HashMap::new();
        let mut lines: HashMap<String, usize> = HashMap::new();
        for row in rows {
            let Some(rec) = programme_record(&row, &mut self.problems) else { continue };
            if rec.name.is_empty() {
                self.problem(&row, "programme", "a programme needs a name".into(), None);
                continue;
            }
            let key = programme_key(&rec.name);
            if let Some(first) = lines.insert(key.clone(), row.line()) {
                let msg = format!("{:?} is declared twice (first on line {first})", rec.name);
                self.problem(&row, "programme", msg, None);
                continue;
            }
            if let Some(id) = cat.programme_id(&rec.name) {
                let p = cat.programme(id);
                let stored = ProgrammeRecord {
                    name: p.name.clone(),
                    start_year: p.start_year,
                    end_year: p.end_year,
                    scale: p.scale,
                    aliases: p.aliases.clone(),
                };
                let differs = [
                    ("start_year", rec.start_year != stored.start_year),
                    ("end_year", rec.end_year != stored.end_year),
                    ("scale", rec.scale != stored.scale),
                    ("aliases", sorted(&rec.aliases) != sorted(&stored.aliases)),
                ];
                if let Some((column, _)) = differs.iter().find(|(_, d)| *d) {
                    let msg = format!(
                        "{:?} is already a programme ({}–{}, {}, aliases {:?}); a declaration of it must match",
                        stored.name,
                        stored.start_year,
                        stored.end_year,
                        stored.scale.name(),
                        stored.aliases.join(";")
                    );
                    self.problem(&row, column, msg, None);
                }
                continue;
            }
            let mut clash = false;
            for alias in &rec.aliases {
                let other = cat
                    .programme_id(alias)
                    .map(|id| cat.programme(id).name.clone())
                    .or_else(|| new.get(&programme_key(alias)).filter(|n| **n != rec.name).cloned());
                if let Some(other) = other {
                    self.problem(&row, "aliases", format!("the alias {alias:?} already names {other}"), None);
                    clash = true;
                }
            }
            if clash {
                continue;
            }
            for name in std::iter::once(&rec.name).chain(&rec.aliases) {
                new.insert(programme_key(name), rec.name.clone());
            }
            self.summary.programmes_added += 1;
            self.tables.programmes.push(rec);
        }
        new
    }

    /// Declared themes; returns the keys and aliases of the new ones, each
    /// with its theme's key.
    fn themes(&mut self, cat: &Catalog, rows: Vec<Row>) -> HashMap<String, String> {
        let mut new: HashMap<String, String> = HashMap::new();
        let mut lines: HashMap<String, usize> = HashMap::new();
        for row in rows {
            let rec = theme_record(&row);
            if rec.key.is_empty() || rec.name.is_empty() {
                let column = if rec.key.is_empty() { "theme" } else { "name" };
                self.problem(&row, column, format!("a theme needs a `{column}`"), None);
                continue;
            }
            let key = normalise(&rec.key);
            if let Some(first) = lines.insert(key.clone(), row.line()) {
                self.problem(
                    &row,
                    "theme",
                    format!("{key:?} is declared twice (first on line {first})"),
                    None,
                );
                continue;
            }
            if let Some(t) = cat.themes.iter().find(|t| normalise(&t.key) == key) {
                let stored =
                    ThemeRecord { key: t.key.clone(), name: t.name.clone(), aliases: t.aliases.clone() };
                let column = if rec.name != stored.name {
                    Some("name")
                } else if sorted(&rec.aliases) != sorted(&stored.aliases) {
                    Some("aliases")
                } else {
                    None
                };
                if let Some(column) = column {
                    let msg = format!(
                        "{key:?} is already a theme ({:?}, aliases {:?}); a declaration of it must match",
                        stored.name,
                        stored.aliases.join(";")
                    );
                    self.problem(&row, column, msg, None);
                }
                continue;
            }
            let mut clash = false;
            for (column, name) in
                std::iter::once(("theme", &rec.key)).chain(rec.aliases.iter().map(|a| ("aliases", a)))
            {
                let other = cat
                    .theme_id(name)
                    .map(|id| cat.theme(id).key.clone())
                    .or_else(|| new.get(&normalise(name)).filter(|k| **k != rec.key).cloned());
                if let Some(other) = other {
                    self.problem(&row, column, format!("{name:?} already names the theme {other:?}"), None);
                    clash = true;
                }
            }
            if clash {
                continue;
            }
            for name in std::iter::once(&rec.key).chain(&rec.aliases) {
                new.insert(normalise(name), rec.key.clone());
            }
            self.summary.themes_added += 1;
            self.tables.themes.push(rec);
        }
        new
    }

    /// Declared areas.
    fn areas(
        &mut self,
        cat: &Catalog,
        rows: Vec<Row>,
        new_programmes: &HashMap<String, String>,
        new_themes: &HashMap<String, String>,
    ) {
        // (programme key, area key) → line; (programme key, theme key) → area label
        let mut lines: HashMap<(String, String), usize> = HashMap::new();
        let mut themes_used: HashMap<(String, String), String> = HashMap::new();
        for row in rows {
            let given = row.get("programme");
            let (programme_name, existing) = match cat.programme_id(given) {
                Some(id) => (cat.programme(id).name.clone(), Some(id)),
                None => match new_programmes.get(&programme_key(given)) {
                    Some(name) => (name.clone(), None),
                    None => {
                        let mut names: Vec<&str> = cat.programmes.iter().map(|p| p.name.as_str()).collect();
                        names.extend(new_programmes.values().map(String::as_str));
                        let help = did_you_mean(&suggest(given, names));
                        self.problem(&row, "programme", format!("no programme is called {given:?}"), help);
                        continue;
                    }
                },
            };
            let theme_given = row.get("theme");
            let theme = match cat.theme_id(theme_given) {
                Some(id) => cat.theme(id).key.clone(),
                None => match new_themes.get(&normalise(theme_given)) {
                    Some(key) => key.clone(),
                    None => {
                        let mut names: Vec<&str> = cat.themes.iter().map(|t| t.key.as_str()).collect();
                        names.extend(new_themes.values().map(String::as_str));
                        let help = did_you_mean(&suggest(theme_given, names))
                            .or_else(|| Some("declare it in a `theme` row".into()));
                        self.problem(&row, "theme", format!("no theme is called {theme_given:?}"), help);
                        continue;
                    }
                },
            };
            let mut rec = area_record(&row, theme.clone());
            rec.programme = programme_name.clone();
            if rec.name.is_empty() {
                self.problem(&row, "area", "an area needs a name".into(), None);
                continue;
            }
            let pkey = programme_key(&programme_name);
            if let Some(first) = lines.insert((pkey.clone(), normalise(&rec.name)), row.line()) {
                let msg =
                    format!("{:?} of {programme_name} is declared twice (first on line {first})", rec.name);
                self.problem(&row, "area", msg, None);
                continue;
            }
            if let Some(area) = existing.and_then(|p| cat.area_id(p, &rec.name)) {
                let a = cat.area(area);
                let differs = [
                    ("theme", cat.theme(a.theme).key != rec.theme),
                    ("pillar", a.pillar != rec.pillar),
                    ("question_text", a.question != rec.question),
                    ("source_url", a.source_url != rec.source_url),
                ];
                if let Some((column, _)) = differs.iter().find(|(_, d)| *d) {
                    let msg = format!(
                        "{:?} is already an area of {programme_name} with another {column}; a declaration of it must match",
                        a.name
                    );
                    self.problem(&row, column, msg, None);
                }
                continue;
            }
            let taken = existing
                .and_then(|p| cat.theme_id(&theme).and_then(|t| cat.area_of_theme(t, p)))
                .map(|a| cat.area(a).name.clone())
                .or_else(|| themes_used.get(&(pkey.clone(), theme.clone())).cloned());
            if let Some(other) = taken {
                let msg = format!("{programme_name} already has an area of the theme {theme:?}: {other:?}");
                self.problem(
                    &row,
                    "theme",
                    msg,
                    Some("each programme has at most one area per theme".into()),
                );
                continue;
            }
            themes_used.insert((pkey, theme), rec.name.clone());
            self.summary.areas_added += 1;
            self.tables.areas.push(rec);
        }
    }

    /// Resolves a grade row's names against `cat`; `None` (with problems)
    /// when one does not resolve.
    fn resolve(
        &mut self,
        cat: &Catalog,
        row: &Row,
        rec: &GradeRecord,
    ) -> Option<(ForceId, ProgrammeId, AreaId)> {
        let force = cat.force_id(&rec.force);
        if force.is_none() {
            let help = match cat.find_force(&rec.force) {
                Ok(id) => did_you_mean(&[cat.force(id).name.clone()]),
                Err(LookupError::NotFound { suggestions }) => did_you_mean(&suggestions),
                Err(LookupError::Ambiguous { candidates }) => {
                    Some(format!("it could be {}", candidates.join(", ")))
                }
                Err(LookupError::NotInScope { .. }) => None,
            };
            self.problem(row, "force", format!("no force is called {:?}", rec.force), help);
        }
        let programme = cat.programme_id(&rec.programme);
        if programme.is_none() {
            let help = match cat.find_programme(&rec.programme) {
                Err(LookupError::NotFound { suggestions }) => did_you_mean(&suggestions),
                _ => None,
            }
            .or_else(|| Some("a new programme is declared in a `programme` row".into()));
            self.problem(row, "programme", format!("no programme is called {:?}", rec.programme), help);
        }
        let programme = programme?;
        let area = cat.area_id(programme, &rec.area);
        if area.is_none() {
            let name = &cat.programme(programme).name;
            let help = match cat.resolve_area(&rec.area, &[programme]) {
                Ok(m) if m.areas.len() == 1 => did_you_mean(&[cat.area(m.areas[0].1).name.clone()]),
                Err(LookupError::Ambiguous { candidates }) => {
                    Some(format!("it could be {}", candidates.join(", ")))
                }
                _ => {
                    let labels: Vec<&str> =
                        cat.programme(programme).areas.iter().map(|a| cat.area(*a).name.as_str()).collect();
                    did_you_mean(&suggest(&rec.area, labels.iter().copied()))
                        .or_else(|| Some(format!("the areas of {name} are: {}", labels.join(", "))))
                }
            };
            self.problem(row, "area", format!("{name} has no area called {:?}", rec.area), help);
        }
        Some((force?, programme, area?))
    }

    /// Grade rows.
    ///
    /// A grade that differs from the stored one replaces it without
    /// `--replace` when `explained` (the file's own history) holds the
    /// stored row: an export carries the history of its changes.
    fn grades(
        &mut self,
        cat: &Catalog,
        rows: Vec<Row>,
        options: &ImportOptions,
        file: &str,
        now: &str,
        explained: &[GradeRecord],
    ) {
        let mut stored: HashMap<(ForceId, AreaId), usize> = HashMap::new();
        for (i, g) in self.tables.grades.iter().enumerate() {
            let ids = cat.force_id(&g.force).zip(cat.programme_id(&g.programme));
            if let Some((f, a)) = ids.and_then(|(f, p)| cat.area_id(p, &g.area).map(|a| (f, a))) {
                stored.insert((f, a), i);
            }
        }
        let mut seen: HashMap<(ForceId, AreaId), (usize, GradeRecord)> = HashMap::new();
        let mut added = Vec::new();
        for row in rows {
            let Some(rec) = grade_record(&row, &mut self.problems) else {
                // names are still worth checking
                let rec = GradeRecord {
                    force: row.get("force").into(),
                    programme: row.get("programme").into(),
                    area: row.get("area").into(),
                    published: None,
                    grade: None,
                    source_url: String::new(),
                    basis: crate::catalog::model::Basis::Stated,
                };
                self.resolve(cat, &row, &rec);
                continue;
            };
            let Some((force, programme, area)) = self.resolve(cat, &row, &rec) else { continue };
            let p = cat.programme(programme);
            if let Some(grade) = rec.grade.filter(|g| !p.scale.allows(*g)) {
                let msg = format!("{:?} is not on the {} scale of {}", grade.name(), p.scale.name(), p.name);
                let help = format!(
                    "{} grades: {}",
                    p.name,
                    p.scale.grades().iter().map(|g| g.name()).collect::<Vec<_>>().join(", ")
                );
                self.problem(&row, "grade", msg, Some(help));
                continue;
            }
            let rec = GradeRecord {
                force: cat.force(force).name.clone(),
                programme: p.name.clone(),
                area: cat.area(area).name.clone(),
                ..rec
            };
            let what = format!("{} / {} / {}", rec.force, rec.programme, rec.area);
            if let Some((first, earlier)) = seen.get(&(force, area)) {
                let msg = if same_grade(earlier, &rec) {
                    format!("{what} is given again, as on line {first}")
                } else {
                    format!(
                        "{what} conflicts with line {first} ({} there, {} here)",
                        describe(earlier),
                        describe(&rec)
                    )
                };
                self.problem(&row, "area", msg, Some("give each force, programme and area once".into()));
                continue;
            }
            seen.insert((force, area), (row.line(), rec.clone()));
            match stored.get(&(force, area)) {
                None => added.push(rec),
                Some(&i) if same_grade(&self.tables.grades[i], &rec) => self.summary.unchanged += 1,
                Some(&i) if explained.iter().any(|h| same_row(h, &self.tables.grades[i], cat)) => {
                    self.tables.grades[i] = rec;
                    self.summary.changed += 1;
                }
                Some(&i) if options.replace => {
                    let previous = std::mem::replace(&mut self.tables.grades[i], rec);
                    let record = HistoryRecord {
                        previous,
                        replaced_at: now.to_string(),
                        replaced_by: file.to_string(),
                    };
                    self.summary.replaced.push(record.clone());
                    self.tables.history.push(record);
                    self.summary.changed += 1;
                }
                Some(&i) => {
                    let old = &self.tables.grades[i];
                    let column = first_difference(old, &rec);
                    let msg = format!(
                        "the store has {} for {what}; this row has {}",
                        describe(old),
                        describe(&rec)
                    );
                    let help = "use --replace to let the file's grade replace it (the old one is kept in the history)";
                    self.problem(&row, column, msg, Some(help.into()));
                }
            }
        }
        self.summary.added = added.len();
        self.tables.grades.extend(added);
    }

    /// History rows: added unless already held. Returns the previous rows
    /// they record (names as the catalog writes them).
    fn history(&mut self, cat: &Catalog, rows: Vec<Row>) -> Vec<GradeRecord> {
        let mut explained = Vec::new();
        let mut held: HashSet<String> = self.tables.history.iter().map(history_key).collect();
        for row in rows {
            let Some(rec) = grade_record(&row, &mut self.problems) else { continue };
            let Some((force, programme, area)) = self.resolve(cat, &row, &rec) else { continue };
            let (replaced_at, replaced_by) =
                (row.get("replaced_at").to_string(), row.get("replaced_by").to_string());
            if replaced_at.is_empty() {
                self.problem(
                    &row,
                    "replaced_at",
                    "a history row needs the time it was replaced".into(),
                    None,
                );
                continue;
            }
            let previous = GradeRecord {
                force: cat.force(force).name.clone(),
                programme: cat.programme(programme).name.clone(),
                area: cat.area(area).name.clone(),
                ..rec
            };
            explained.push(previous.clone());
            let record = HistoryRecord { previous, replaced_at, replaced_by };
            if held.insert(history_key(&record)) {
                self.summary.history_added += 1;
                self.tables.history.push(record);
            }
        }
        explained
    }
}

fn history_key(h: &HistoryRecord) -> String {
    format!("{:?}", h)
}

/// True when `a` and `b` are the same grade of the same force, programme
/// and area (names compared through the catalog).
fn same_row(a: &GradeRecord, b: &GradeRecord, cat: &Catalog) -> bool {
    same_grade(a, b)
        && cat.force_id(&a.force) == cat.force_id(&b.force)
        && cat.programme_id(&a.programme) == cat.programme_id(&b.programme)
        && normalise(&a.area) == normalise(&b.area)
}

fn same_grade(a: &GradeRecord, b: &GradeRecord) -> bool {
    a.grade == b.grade && a.published == b.published && a.source_url == b.source_url && a.basis == b.basis
}

/// The first column in which two grade rows differ.
fn first_difference(a: &GradeRecord, b: &GradeRecord) -> &'static str {
    if a.grade != b.grade {
        "grade"
    } else if a.published != b.published {
        "published"
    } else if a.source_url != b.source_url {
        "source_url"
    } else {
        "basis"
    }
}

/// `"good" (2024-03, stated, https://…)`.
fn describe(g: &GradeRecord) -> String {
    let grade = g.grade.map_or("not graded", |g| g.name());
    let published = g.published.map_or_else(|| "no date".to_string(), |d| d.to_string());
    format!(
        "{grade:?} ({published}, {}, {})",
        g.basis.name(),
        if g.source_url.is_empty() { "no source" } else { &g.source_url }
    )
}

/// Reads a CSV import file into rows with their kinds.
fn read_csv(file: &str, text: &str, problems: &mut Problems) -> Vec<Item> {
    let Some((header, rows)) = csv_table(file, text, problems) else { return Vec::new() };
    let mut known = true;
    for column in header.columns() {
        if !COLUMNS.contains(&column.as_str()) {
            let help = did_you_mean(&suggest(column, COLUMNS))
                .unwrap_or_else(|| format!("the columns are: {}", COLUMNS.join(", ")));
            let mut p = header.problem_at(column, format!("{column:?} is not a column of an import file"));
            p.help = Some(help);
            problems.push_problem(p);
            known = false;
        }
    }
    if !known {
        return Vec::new();
    }
    let mut missing_reported = HashSet::new();
    let mut items = Vec::new();
    for row in rows {
        let Some(kind) = row_kind(&row, problems) else { continue };
        let missing: Vec<&str> = kind.required().iter().copied().filter(|c| !row.has(c)).collect();
        if !missing.is_empty() {
            if missing_reported.insert(kind) {
                let msg = format!(
                    "{} rows (the first is on line {}) need the column(s) {}",
                    kind.name(),
                    row.line(),
                    missing.join(", ")
                );
                problems.push_problem(header.place.problem(missing[0], "", msg));
            }
            continue;
        }
        if unused_cells(&row, kind, problems) {
            items.push(Item { kind, row });
        }
    }
    items
}

/// The kind a row names in its `kind` cell (grade when it has none).
fn row_kind(row: &Row, problems: &mut Problems) -> Option<Kind> {
    let text = row.get("kind");
    let kind = Kind::parse(text);
    if kind.is_none() {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        let mut p = row.problem_at("kind", format!("{text:?} is not a kind of row"));
        p.help = did_you_mean(&suggest(text, names.iter().copied()))
            .or_else(|| Some(format!("the kinds are: {}", names.join(", "))));
        problems.push_problem(p);
    }
    kind
}

/// Checks that a row fills no column its kind does not use; false (with
/// problems) when it does.
fn unused_cells(row: &Row, kind: Kind, problems: &mut Problems) -> bool {
    let allowed = kind.allowed();
    let mut ok = true;
    for column in row.columns() {
        if !allowed.contains(&column.as_str()) && !row.get(column).is_empty() {
            let msg = format!("{} rows do not use the column `{column}`", kind.name());
            let help = format!("{} rows use: {}", kind.name(), allowed.join(", "));
            let mut p = row.problem_at(column, msg);
            p.help = Some(help);
            problems.push_problem(p);
            ok = false;
        }
    }
    ok
}

/// Reads a JSON import file into rows with their kinds. Every field of
/// every object knows its line and column.
fn read_json(file: &str, text: &str, problems: &mut Problems) -> Vec<Item> {
    let file_rc: Rc<str> = Rc::from(file);
    let index = crate::catalog::cells::LineIndex::new(text);
    let place_of = |raw: &RawValue| {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let (line, col) = index.position(offset);
        Place { file: Rc::clone(&file_rc), line, col }
    };
    let syntax = |problems: &mut Problems, e: serde_json::Error| {
        let place = Place { file: Rc::clone(&file_rc), line: e.line().max(1), col: e.column().max(1) };
        problems.push(&place, "-", "", format!("not valid JSON: {e}"));
    };
    let top: &RawValue = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            syntax(problems, e);
            return Vec::new();
        }
    };
    let mut arrays: Vec<(Kind, &RawValue)> = Vec::new();
    if top.get().starts_with('[') {
        arrays.push((Kind::Grade, top));
    } else {
        let object: BTreeMap<String, &RawValue> = match serde_json::from_str(top.get()) {
            Ok(o) => o,
            Err(_) => {
                let msg = "an import file is an object of arrays (programmes, themes, areas, grades, history) or an array of grades".to_string();
                problems.push(&place_of(top), "-", "", msg);
                return Vec::new();
            }
        };
        for (key, value) in object {
            match Kind::ALL.iter().find(|k| k.plural() == key) {
                Some(kind) => arrays.push((*kind, value)),
                None => {
                    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.plural()).collect();
                    let mut p = place_of(value).problem(
                        &key,
                        &key,
                        format!("{key:?} is not a part of an import file"),
                    );
                    p.help = did_you_mean(&suggest(&key, names.iter().copied()))
                        .or_else(|| Some(format!("the parts are: {}", names.join(", "))));
                    problems.push_problem(p);
                }
            }
        }
    }
    let mut items = Vec::new();
    for (kind, array) in arrays {
        let elements: Vec<&RawValue> = match serde_json::from_str(array.get()) {
            Ok(v) => v,
            Err(_) => {
                problems.push(
                    &place_of(array),
                    kind.plural(),
                    "",
                    format!("`{}` must be an array of objects", kind.plural()),
                );
                continue;
            }
        };
        let allowed = kind.allowed();
        for element in elements {
            let place = place_of(element);
            let fields: BTreeMap<String, &RawValue> = match serde_json::from_str(element.get()) {
                Ok(f) => f,
                Err(_) => {
                    problems.push(&place, "-", "", format!("each of `{}` must be an object", kind.plural()));
                    continue;
                }
            };
            let mut names = Vec::new();
            let mut cells = Vec::new();
            let mut ok = true;
            for (name, value) in fields {
                let at = place_of(value);
                if !allowed.contains(&name.as_str()) {
                    let mut p =
                        at.problem(&name, "", format!("{} objects have no field {name:?}", kind.name()));
                    p.help = did_you_mean(&suggest(&name, allowed.iter().copied()))
                        .or_else(|| Some(format!("{} objects have: {}", kind.name(), allowed.join(", "))));
                    problems.push_problem(p);
                    ok = false;
                    continue;
                }
                match json_text(value) {
                    Some(text) => {
                        names.push(name);
                        cells.push(Cell { text, line: at.line, col: at.col });
                    }
                    None => {
                        let msg = format!(
                            "`{name}` must be text, a number or null (or a list of text for aliases)"
                        );
                        problems.push(&at, &name, value.get(), msg);
                        ok = false;
                    }
                }
            }
            if !ok {
                continue;
            }
            let row = Row::new(place, names.into(), cells);
            if row.has("kind") && Kind::parse(row.get("kind")) != Some(kind) {
                problems.push_problem(row.problem_at(
                    "kind",
                    format!("a row in `{}` must be of kind {}", kind.plural(), kind.name()),
                ));
                continue;
            }
            let missing: Vec<&str> = kind.required().iter().copied().filter(|c| !row.has(c)).collect();
            if !missing.is_empty() {
                let msg = format!("this {} object lacks {}", kind.name(), missing.join(", "));
                problems.push(&row.place, missing[0], "", msg);
                continue;
            }
            items.push(Item { kind, row });
        }
    }
    items
}

/// A JSON value as cell text: strings as they are, numbers as written,
/// null as empty, a list of strings joined with `;`.
fn json_text(raw: &RawValue) -> Option<String> {
    match serde_json::from_str::<serde_json::Value>(raw.get()).ok()? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Null => Some(String::new()),
        serde_json::Value::Array(items) => {
            let texts: Option<Vec<String>> =
                items.into_iter().map(|v| v.as_str().map(str::to_string)).collect();
            Some(texts?.join(";"))
        }
        _ => None,
    }
}

/// The error [`crate::Engine::import`] gives for problems in a file.
pub fn problems_error(file: &str, problems: &[Problem]) -> Error {
    crate::catalog::cells::problems_error(problems, INVALID, &format!("nothing was imported: {file} has"))
}

#[cfg(test)]
mod tests;
