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
    /// The fire and rescue services' records: a catalog of their own, so a
    /// service's names never resolve in a police query (or the reverse).
    pub fire: FireTables,
}

/// The fire and rescue half of a data set (`data/fire/`): services in the
/// shape of forces, their programmes, themes, areas and grades, and the
/// curated links between them and the police (mergers, commissioner pairs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FireTables {
    /// Fire and rescue services (`service_names.csv`), as force records:
    /// official name, short name, aliases; the region is empty and the
    /// source is the service's first grade page.
    pub services: Vec<ForceRecord>,
    /// Fire programmes: "FRS 2018-19", "FRS 2021-22", "FRS 2023-25".
    pub programmes: Vec<ProgrammeRecord>,
    /// Fire themes (keys `fire_…`).
    pub themes: Vec<ThemeRecord>,
    /// Fire areas; a round-3 area's pillar is the round-1/2 pillar its
    /// theme belongs to (`area_themes.csv`, `pillar_theme`).
    pub areas: Vec<AreaRecord>,
    /// Fire grades, the service by its official name.
    pub grades: Vec<GradeRecord>,
    /// Services that merged into another (Hampshire and Isle of Wight).
    pub mergers: Vec<MergerRecord>,
    /// Commissioners answering for a force and a service (curated, sourced).
    pub pairs: Vec<PairRecord>,
}

impl FireTables {
    /// How many records the fire tables hold together.
    pub fn record_count(&self) -> usize {
        let FireTables { services, programmes, themes, areas, grades, mergers, pairs } = self;
        services.len()
            + programmes.len()
            + themes.len()
            + areas.len()
            + grades.len()
            + mergers.len()
            + pairs.len()
    }

    /// The fire half as tables of the police shape (services as forces), the
    /// form a data set is built from.
    pub fn as_tables(&self) -> Tables {
        Tables {
            forces: self.services.clone(),
            programmes: self.programmes.clone(),
            themes: self.themes.clone(),
            areas: self.areas.clone(),
            grades: self.grades.clone(),
            ..Tables::default()
        }
    }
}

/// One record of [`FireTables`], as the store keeps them: a run of these,
/// in table order, reads back into the same tables.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FireRecord {
    /// A service.
    Service(ForceRecord),
    /// A fire programme.
    Programme(ProgrammeRecord),
    /// A fire theme.
    Theme(ThemeRecord),
    /// A fire area.
    Area(AreaRecord),
    /// A fire grade.
    Grade(GradeRecord),
    /// A merger.
    Merger(MergerRecord),
    /// A commissioner pair.
    Pair(PairRecord),
}

impl FireTables {
    /// The records, table by table.
    pub fn to_records(&self) -> Vec<FireRecord> {
        let FireTables { services, programmes, themes, areas, grades, mergers, pairs } = self;
        let mut out = Vec::with_capacity(self.record_count());
        out.extend(services.iter().cloned().map(FireRecord::Service));
        out.extend(programmes.iter().cloned().map(FireRecord::Programme));
        out.extend(themes.iter().cloned().map(FireRecord::Theme));
        out.extend(areas.iter().cloned().map(FireRecord::Area));
        out.extend(grades.iter().cloned().map(FireRecord::Grade));
        out.extend(mergers.iter().cloned().map(FireRecord::Merger));
        out.extend(pairs.iter().cloned().map(FireRecord::Pair));
        out
    }

    /// The tables of `records` (the inverse of [`FireTables::to_records`]).
    pub fn from_records(records: Vec<FireRecord>) -> FireTables {
        let mut fire = FireTables::default();
        for r in records {
            match r {
                FireRecord::Service(x) => fire.services.push(x),
                FireRecord::Programme(x) => fire.programmes.push(x),
                FireRecord::Theme(x) => fire.themes.push(x),
                FireRecord::Area(x) => fire.areas.push(x),
                FireRecord::Grade(x) => fire.grades.push(x),
                FireRecord::Merger(x) => fire.mergers.push(x),
                FireRecord::Pair(x) => fire.pairs.push(x),
            }
        }
        fire
    }
}

/// A service that merged into another (`data/fire/mergers.csv`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MergerRecord {
    /// The predecessor's official name.
    pub service: String,
    /// The successor's official name.
    pub successor: String,
    /// When the merger took effect.
    pub date: Date,
    /// The page the merger was read on.
    pub source_url: String,
    /// The sentence the row rests on.
    pub sentence: String,
}

/// A commissioner who answers for a police force and a fire and rescue
/// service of the same area (`data/fire/pairs.csv`): written with a source
/// per pair, never guessed from names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairRecord {
    /// The force's official name.
    pub force: String,
    /// The service's official name.
    pub service: String,
    /// The commissioner's title.
    pub commissioner: String,
    /// Since when, as precisely as the source states it.
    pub since: Option<Date>,
    /// The page the pairing was read on.
    pub source_url: String,
    /// The sentence the row rests on.
    pub sentence: String,
}

impl Tables {
    /// How many records all the tables hold together.
    pub fn record_count(&self) -> usize {
        let Tables { forces, programmes, themes, areas, grades, counts, history, monitoring, fire } = self;
        fire.record_count()
            + forces.len()
            + programmes.len()
            + themes.len()
            + areas.len()
            + grades.len()
            + counts.len()
            + history.len()
            + monitoring.len()
    }
}
