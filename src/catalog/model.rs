//! The stored records: what the bundled CSV files, an import and the sled
//! store hold. Records refer to each other by name; [`crate::dataset::Dataset`]
//! checks the names and turns them into ids when it is built.

use crate::value::{Date, Grade};
use serde::{Deserialize, Serialize};

/// A police force of England and Wales.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForceRecord {
    /// Official name: "Cambridgeshire Constabulary".
    pub name: String,
    /// Short name: "Cambridgeshire".
    pub short_name: String,
    /// Other names users write: "cambs". Curated in `data/force_aliases.csv`.
    pub aliases: Vec<String>,
    /// Police region (the HMICFRS regional grouping).
    pub region: String,
    /// England or Wales.
    pub country: String,
    /// The page showing the official name.
    pub source_url: String,
}

/// How many grades a programme's scale has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scale {
    /// outstanding, good, requires improvement, inadequate (before 2021/22).
    FourTier,
    /// outstanding, good, adequate, requires improvement, inadequate.
    FiveTier,
}

impl Scale {
    /// True when `grade` is on this scale.
    pub fn allows(self, grade: Grade) -> bool {
        self == Scale::FiveTier || grade != Grade::Adequate
    }

    /// "four-tier" or "five-tier".
    pub fn name(self) -> &'static str {
        match self {
            Scale::FourTier => "four-tier",
            Scale::FiveTier => "five-tier",
        }
    }

    /// The grades on the scale, best first.
    pub fn grades(self) -> Vec<Grade> {
        Grade::ALL.iter().rev().copied().filter(|g| self.allows(*g)).collect()
    }
}

/// An inspection cycle: "PEEL 2023-25".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeRecord {
    /// Canonical name, as the grade rows write it: "PEEL 2023-25".
    pub name: String,
    /// First year of the cycle.
    pub start_year: u16,
    /// Last year of the cycle (equal to `start_year` for one-year cycles).
    pub end_year: u16,
    /// Its grading scale.
    pub scale: Scale,
    /// Other names: "peel 2023", "2023-25", "2023/25".
    pub aliases: Vec<String>,
}

/// A concern that links the same kind of area across programmes, with the
/// words users call it by ("sex offenders", "RSO" → offenders).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThemeRecord {
    /// Short key: "offenders".
    pub key: String,
    /// Readable name: "Managing offenders".
    pub name: String,
    /// Aliases and keywords, lower case.
    pub aliases: Vec<String>,
}

/// What a grade is given for, as one programme names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaRecord {
    /// Programme name.
    pub programme: String,
    /// Area label: "Managing offenders".
    pub name: String,
    /// Pillar (Effectiveness, Efficiency, Legitimacy…) where the programme has them.
    pub pillar: Option<String>,
    /// The question or official heading.
    pub question: String,
    /// Theme key.
    pub theme: String,
    /// Where the wording was read.
    pub source_url: String,
}

/// How a grade was established (see `data/SOURCES.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Basis {
    /// The cited page names the area and its grade.
    Stated,
    /// The only grade the published per-grade counts allow.
    Elimination,
    /// News wording mapped to a grade, or the cycle attributed from context.
    Inferred,
}

impl Basis {
    /// `stated`, `elimination` or `inferred`.
    pub fn name(self) -> &'static str {
        match self {
            Basis::Stated => "stated",
            Basis::Elimination => "elimination",
            Basis::Inferred => "inferred",
        }
    }

    /// Reads the CSV word.
    pub fn parse(text: &str) -> Option<Basis> {
        match text.trim().to_ascii_lowercase().as_str() {
            "stated" => Some(Basis::Stated),
            "elimination" => Some(Basis::Elimination),
            "inferred" => Some(Basis::Inferred),
            _ => None,
        }
    }
}

/// One force's grade in one area of one programme.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeRecord {
    /// Official force name.
    pub force: String,
    /// Programme name.
    pub programme: String,
    /// Publication date, when known.
    pub published: Option<Date>,
    /// Area label within the programme.
    pub area: String,
    /// The grade; `None` where the source says "not graded".
    pub grade: Option<Grade>,
    /// The page the grade was read on.
    pub source_url: String,
    /// How the grade was established.
    pub basis: Basis,
}

/// The per-grade counts the inspectorate announced for one report
/// (`inspections.csv`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountRecord {
    /// Official force name.
    pub force: String,
    /// Programme name.
    pub programme: String,
    /// Publication date, when known.
    pub published: Option<Date>,
    /// The HMICFRS report page, when seen.
    pub report_url: Option<String>,
    /// Areas at each grade, indexed by `Grade::rank() - 1` (worst first).
    pub counts: [u8; 5],
    /// Number of graded areas announced.
    pub graded_areas: u8,
    /// Where the counts were read.
    pub source_url: String,
}

/// A grade that an import with `--replace` overrode: the old values, and
/// when and by what file they were replaced. Kept in [`Tables::history`];
/// queries do not see it, exports carry it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryRecord {
    /// The grade row as it was before the import (names as stored then).
    pub previous: GradeRecord,
    /// When it was replaced: UTC, `2025-05-01T09:30:00Z`.
    pub replaced_at: String,
    /// The name of the file whose import replaced it.
    pub replaced_by: String,
}

/// A move into or out of HMICFRS's enhanced level of monitoring, Engage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Move {
    /// Moved into Engage (the press's "special measures").
    Entered,
    /// Returned to Scan, the default level of monitoring.
    Left,
}

impl Move {
    /// `entered` or `left`.
    pub fn name(self) -> &'static str {
        match self {
            Move::Entered => "entered",
            Move::Left => "left",
        }
    }

    /// Reads the CSV word (any case).
    pub fn parse(text: &str) -> Option<Move> {
        match text.trim().to_ascii_lowercase().as_str() {
            "entered" => Some(Move::Entered),
            "left" => Some(Move::Left),
            _ => None,
        }
    }
}

/// One move of a force into or out of Engage (`engage.csv`). A force's
/// moves are kept in the order they happened: they alternate, starting
/// with [`Move::Entered`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonitoringRecord {
    /// Official force name.
    pub force: String,
    /// Into or out of Engage.
    pub event: Move,
    /// When, as precisely as a page states it; `None` where no page dates it.
    pub date: Option<Date>,
    /// The number of causes of concern, where a page states it.
    pub causes: Option<u8>,
    /// The page the move was read on.
    pub source_url: String,
    /// `stated` or `inferred` (never `elimination`).
    pub basis: Basis,
    /// The sentence the row rests on.
    pub sentence: String,
}

/// Every record of a data set, by kind: the unit the store saves and loads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tables {
    /// Forces.
    pub forces: Vec<ForceRecord>,
    /// Programmes.
    pub programmes: Vec<ProgrammeRecord>,
    /// Themes.
    pub themes: Vec<ThemeRecord>,
    /// Areas.
    pub areas: Vec<AreaRecord>,
    /// Grades.
    pub grades: Vec<GradeRecord>,
    /// Announced per-grade counts.
    pub counts: Vec<CountRecord>,
    /// Grades replaced by imports, oldest first (see [`HistoryRecord`]).
    pub history: Vec<HistoryRecord>,
    /// Moves into and out of Engage, each force's in the order they happened.
    pub monitoring: Vec<MonitoringRecord>,
}

impl Tables {
    /// How many records all the tables hold together.
    pub fn record_count(&self) -> usize {
        let Tables { forces, programmes, themes, areas, grades, counts, history, monitoring } = self;
        forces.len()
            + programmes.len()
            + themes.len()
            + areas.len()
            + grades.len()
            + counts.len()
            + history.len()
            + monitoring.len()
    }
}
