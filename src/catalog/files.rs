//! Reading the data set's CSV files into [`Tables`].
//!
//! The bundled data set is these files from `data/`, compiled into the
//! binary; a directory with the same files (a test fixture, say) reads the
//! same way. Every problem names the file, the line and the column.

use super::cells::{Problems, Row, csv_rows as rows};
use super::fire::FireFiles;
use super::model::{
    AreaRecord, Basis, CountRecord, ForceRecord, GradeRecord, MonitoringRecord, Move, ProgrammeRecord, Scale,
    Tables, ThemeRecord,
};
use crate::error::{Error, Result};
use crate::value::{Date, Grade};
use std::collections::HashMap;
use std::path::Path;

/// The text of each file of a data set.
#[derive(Clone, Debug)]
pub struct DataFiles {
    /// `forces.csv`: `force,short_name,region,country,source_url` (and optional `region_source`)
    pub forces: String,
    /// `force_aliases.csv`: force,alias (optional: may be empty)
    pub force_aliases: String,
    /// `programmes.csv`: `programme,start_year,end_year,scale,aliases` (and optional `source_url`)
    pub programmes: String,
    /// `themes.csv`: theme,name,aliases
    pub themes: String,
    /// `areas.csv`: programme,area,pillar,question_text,source_url
    pub areas: String,
    /// `area_themes.csv`: programme,area,theme
    pub area_themes: String,
    /// `grades.csv`: force,programme,published,area,grade,source_url,basis
    pub grades: String,
    /// `inspections.csv`: published per-grade counts (optional: may be empty)
    pub inspections: String,
    /// `engage.csv`: moves into and out of Engage (optional: may be empty)
    pub engage: String,
    /// The `fire/` folder: fire and rescue services (optional: may be absent).
    pub fire: FireFiles,
}

/// The file names of a data set, in the order they are read.
pub const FILE_NAMES: [&str; 9] = [
    "forces.csv",
    "force_aliases.csv",
    "programmes.csv",
    "themes.csv",
    "areas.csv",
    "area_themes.csv",
    "grades.csv",
    "inspections.csv",
    "engage.csv",
];

impl DataFiles {
    /// The data set compiled into the binary from `data/`.
    pub fn bundled() -> DataFiles {
        DataFiles {
            forces: include_str!("../../data/forces.csv").to_string(),
            force_aliases: include_str!("../../data/force_aliases.csv").to_string(),
            programmes: include_str!("../../data/programmes.csv").to_string(),
            themes: include_str!("../../data/themes.csv").to_string(),
            areas: include_str!("../../data/areas.csv").to_string(),
            area_themes: include_str!("../../data/area_themes.csv").to_string(),
            grades: include_str!("../../data/grades.csv").to_string(),
            inspections: include_str!("../../data/inspections.csv").to_string(),
            engage: include_str!("../../data/engage.csv").to_string(),
            fire: FireFiles::bundled(),
        }
    }

    /// Reads a directory holding the same files. `force_aliases.csv`,
    /// `inspections.csv` and `engage.csv` may be absent.
    pub fn from_dir(dir: &Path) -> Result<DataFiles> {
        let help = format!("a data set is a folder holding {}", FILE_NAMES.join(", "));
        let read = |name: &str, optional: bool| read_data_file(dir, name, optional, &help);
        Ok(DataFiles {
            forces: read("forces.csv", false)?,
            force_aliases: read("force_aliases.csv", true)?,
            programmes: read("programmes.csv", false)?,
            themes: read("themes.csv", false)?,
            areas: read("areas.csv", false)?,
            area_themes: read("area_themes.csv", false)?,
            grades: read("grades.csv", false)?,
            inspections: read("inspections.csv", true)?,
            engage: read("engage.csv", true)?,
            fire: FireFiles::from_dir(dir)?,
        })
    }

    /// A stable fingerprint of the contents (64-bit hex), so a store knows
    /// when the binary ships different bundled data.
    pub fn fingerprint(&self) -> String {
        format!("{:016x}", crate::dataset::texts_hash(self.texts().map(str::as_bytes)))
    }

    /// The fingerprint of the bundled data set, computed when it was built
    /// in (equal to `DataFiles::bundled().fingerprint()`, without the work).
    pub fn bundled_fingerprint() -> String {
        format!("{:016x}", crate::dataset::bundled_hash())
    }

    /// The texts hashed for the fingerprint: the files in [`FILE_NAMES`]
    /// order, then the fire files in [`super::fire::FIRE_FILE_NAMES`] order
    /// (as `build.rs` hashes them).
    fn texts(&self) -> impl Iterator<Item = &str> {
        [
            &self.forces,
            &self.force_aliases,
            &self.programmes,
            &self.themes,
            &self.areas,
            &self.area_themes,
            &self.grades,
            &self.inspections,
            &self.engage,
        ]
        .into_iter()
        .map(String::as_str)
        .chain(self.fire.texts())
    }

    /// Parses every file into records. All problems are reported together,
    /// each with its file, line and column.
    pub fn to_tables(&self) -> Result<Tables> {
        let mut problems = Problems::default();
        let mut tables = Tables::default();

        let aliases = read_force_aliases(&self.force_aliases, &mut problems);
        for row in rows(
            "forces.csv",
            &self.forces,
            &["force", "short_name", "region", "country", "source_url"],
            &mut problems,
        ) {
            let name = row.get("force").to_string();
            tables.forces.push(ForceRecord {
                aliases: aliases
                    .get(&name)
                    .map(|list| list.iter().map(|(a, _)| a.clone()).collect())
                    .unwrap_or_default(),
                name,
                short_name: row.get("short_name").to_string(),
                region: row.get("region").to_string(),
                country: row.get("country").to_string(),
                source_url: row.get("source_url").to_string(),
            });
        }
        for (_, alias_row) in aliases_without_force(&aliases, &tables.forces) {
            let force = alias_row.get("force");
            alias_row.problem(&mut problems, "force", format!("no force named {force:?} in forces.csv"));
        }

        for row in rows("programmes.csv", &self.programmes, &PROGRAMME_COLUMNS, &mut problems) {
            if let Some(p) = programme_record(&row, &mut problems) {
                tables.programmes.push(p);
            }
        }

        for row in rows("themes.csv", &self.themes, &THEME_COLUMNS, &mut problems) {
            tables.themes.push(theme_record(&row));
        }

        let mut themes_of: HashMap<(String, String), (String, Row<'_>)> = HashMap::new();
        for row in rows("area_themes.csv", &self.area_themes, &["programme", "area", "theme"], &mut problems)
        {
            let key = (row.get("programme").to_string(), row.get("area").to_string());
            let theme = row.get("theme").to_ascii_lowercase();
            if let Some((_, first)) = themes_of.insert(key.clone(), (theme, row.clone())) {
                row.problem(
                    &mut problems,
                    "area",
                    format!("{} / {} is given a theme twice (first on line {})", key.0, key.1, first.line()),
                );
            }
        }
        for row in rows("areas.csv", &self.areas, &AREA_FILE_COLUMNS, &mut problems) {
            let key = (row.get("programme").to_string(), row.get("area").to_string());
            let Some((theme, _)) = themes_of.remove(&key) else {
                row.problem(
                    &mut problems,
                    "area",
                    format!("{} / {} has no theme in area_themes.csv", key.0, key.1),
                );
                continue;
            };
            tables.areas.push(area_record(&row, theme));
        }
        let mut orphans: Vec<_> = themes_of.into_values().collect();
        orphans.sort_by_key(|(_, row)| row.line());
        for (_, row) in orphans {
            let what = format!("{} / {} is not in areas.csv", row.get("programme"), row.get("area"));
            row.problem(&mut problems, "area", what);
        }

        for row in rows("grades.csv", &self.grades, &GRADE_COLUMNS, &mut problems) {
            if let Some(g) = grade_record(&row, &mut problems) {
                tables.grades.push(g);
            }
        }

        let count_columns = [
            "force",
            "programme",
            "published",
            "report_url",
            "outstanding",
            "good",
            "adequate",
            "requires_improvement",
            "inadequate",
            "graded_areas",
            "source_url",
        ];
        for row in rows("inspections.csv", &self.inspections, &count_columns, &mut problems) {
            let mut counts = [0u8; 5];
            let mut ok = true;
            for (grade, column) in [
                (Grade::Inadequate, "inadequate"),
                (Grade::RequiresImprovement, "requires_improvement"),
                (Grade::Adequate, "adequate"),
                (Grade::Good, "good"),
                (Grade::Outstanding, "outstanding"),
            ] {
                match small_number(&row, column, &mut problems) {
                    Some(n) => counts[usize::from(grade.rank() - 1)] = n,
                    None => ok = false,
                }
            }
            let graded = small_number(&row, "graded_areas", &mut problems);
            let published = date(&row, "published", &mut problems);
            if let (true, Some(graded_areas), Some(published)) = (ok, graded, published) {
                tables.counts.push(CountRecord {
                    force: row.get("force").to_string(),
                    programme: row.get("programme").to_string(),
                    published,
                    report_url: Some(row.get("report_url").to_string()).filter(|u| !u.is_empty()),
                    counts,
                    graded_areas,
                    source_url: row.get("source_url").to_string(),
                });
            }
        }

        if !self.engage.trim().is_empty() {
            let rows = rows("engage.csv", &self.engage, &MONITORING_COLUMNS, &mut problems);
            let mut read = Vec::new();
            for row in rows {
                if let Some(m) = monitoring_record(&row, &mut problems) {
                    read.push((m, row));
                }
            }
            let moves: Vec<(&str, Move, Option<Date>)> =
                read.iter().map(|(m, _)| (m.force.as_str(), m.event, m.date)).collect();
            for (i, column, message) in
                super::monitoring::sequence_problems(&moves, &[], &|i| format!("line {}", read[i].1.line()))
            {
                read[i].1.problem(&mut problems, column, message);
            }
            tables.monitoring = read.into_iter().map(|(m, _)| m).collect();
        }

        tables.fire = self.fire.read_into(&tables.forces, &mut problems);

        problems.into_result(tables, "peelql::data::invalid", "the data set has")
    }
}

/// The columns of a programme: `programmes.csv` and an import's programme rows.
pub(crate) const PROGRAMME_COLUMNS: [&str; 5] = ["programme", "start_year", "end_year", "scale", "aliases"];

/// The columns of a theme: `themes.csv` and an import's theme rows.
pub(crate) const THEME_COLUMNS: [&str; 3] = ["theme", "name", "aliases"];

/// The columns of `areas.csv` (its theme is in `area_themes.csv`; an
/// import's area rows add a `theme` column).
pub(crate) const AREA_FILE_COLUMNS: [&str; 5] =
    ["programme", "area", "pillar", "question_text", "source_url"];

/// The columns of a grade: `grades.csv` and an import's grade rows.
pub(crate) const GRADE_COLUMNS: [&str; 7] =
    ["force", "programme", "published", "area", "grade", "source_url", "basis"];

/// The columns of a move into or out of Engage: `engage.csv` and an
/// import's monitoring rows (`sentence` is optional).
pub(crate) const MONITORING_COLUMNS: [&str; 6] =
    ["force", "event", "date", "causes_of_concern", "source_url", "basis"];

/// Reads a monitoring row; `None` (with problems) when the event, date,
/// count of causes or basis is unreadable. The force name is kept as
/// written: it is checked against the catalog later.
pub(crate) fn monitoring_record(row: &Row<'_>, problems: &mut Problems) -> Option<MonitoringRecord> {
    let event = Move::parse(row.get("event"));
    if event.is_none() {
        row.problem(problems, "event", format!("{:?} is not a move; use entered or left", row.get("event")));
    }
    let causes = match row.get("causes_of_concern") {
        "" => Some(None),
        text => match text.parse::<u8>() {
            Ok(n) => Some(Some(n)),
            Err(_) => {
                row.problem(problems, "causes_of_concern", format!("{text:?} is not a count"));
                None
            }
        },
    };
    let basis = match Basis::parse(row.get("basis")) {
        Some(b @ (Basis::Stated | Basis::Inferred)) => Some(b),
        _ => {
            row.problem(
                problems,
                "basis",
                format!("{:?} is not a basis for a move (stated or inferred)", row.get("basis")),
            );
            None
        }
    };
    let date = date(row, "date", problems);
    Some(MonitoringRecord {
        force: row.get("force").to_string(),
        event: event?,
        date: date?,
        causes: causes?,
        source_url: row.get("source_url").to_string(),
        basis: basis?,
        sentence: row.get("sentence").to_string(),
    })
}

/// Reads a programme row; `None` (with problems) when a year or the scale
/// is unreadable.
pub(crate) fn programme_record(row: &Row<'_>, problems: &mut Problems) -> Option<ProgrammeRecord> {
    let start = year(row, "start_year", problems);
    let end = year(row, "end_year", problems);
    let scale = match row.get("scale").to_ascii_lowercase().as_str() {
        "four-tier" | "4" => Some(Scale::FourTier),
        "five-tier" | "5" => Some(Scale::FiveTier),
        other => {
            row.problem(problems, "scale", format!("{other:?} is not a scale; use four-tier or five-tier"));
            None
        }
    };
    let (start_year, end_year) = (start?, end?);
    if end_year < start_year {
        row.problem(
            problems,
            "end_year",
            format!("the cycle ends ({end_year}) before it starts ({start_year})"),
        );
        return None;
    }
    Some(ProgrammeRecord {
        name: row.get("programme").to_string(),
        start_year,
        end_year,
        scale: scale?,
        aliases: split_list(row.get("aliases")),
    })
}

/// Reads a theme row.
pub(crate) fn theme_record(row: &Row<'_>) -> ThemeRecord {
    ThemeRecord {
        key: row.get("theme").to_ascii_lowercase(),
        name: row.get("name").to_string(),
        aliases: split_list(row.get("aliases")),
    }
}

/// Reads an area row, with its theme key.
pub(crate) fn area_record(row: &Row<'_>, theme: String) -> AreaRecord {
    AreaRecord {
        programme: row.get("programme").to_string(),
        name: row.get("area").to_string(),
        pillar: Some(row.get("pillar").to_string()).filter(|p| !p.is_empty()),
        question: row.get("question_text").to_string(),
        theme,
        source_url: row.get("source_url").to_string(),
    }
}

/// Reads a grade row; `None` (with problems) when the grade, basis or date
/// is unreadable. Names are kept as written: they are checked against the
/// catalog later.
pub(crate) fn grade_record(row: &Row<'_>, problems: &mut Problems) -> Option<GradeRecord> {
    let grade = match row.get("grade") {
        word if word.eq_ignore_ascii_case("not graded") => Some(None),
        word => match Grade::parse(word) {
            Some(g) => Some(Some(g)),
            None => {
                row.problem(
                    problems,
                    "grade",
                    format!(
                        "{word:?} is not a grade (outstanding, good, adequate, requires improvement, \
                         inadequate or \"not graded\")"
                    ),
                );
                None
            }
        },
    };
    let basis = Basis::parse(row.get("basis"));
    if basis.is_none() {
        row.problem(
            problems,
            "basis",
            format!("{:?} is not a basis (stated, elimination or inferred)", row.get("basis")),
        );
    }
    let published = date(row, "published", problems);
    Some(GradeRecord {
        force: row.get("force").to_string(),
        programme: row.get("programme").to_string(),
        published: published?,
        area: row.get("area").to_string(),
        grade: grade?,
        source_url: row.get("source_url").to_string(),
        basis: basis?,
    })
}

/// Reads `name` from a data set's `folder`. An absent `optional` file reads
/// as empty; an absent required file, or any other failure, is
/// `peelql::data::unreadable`, with `help` saying what the folder holds.
pub(crate) fn read_data_file(folder: &Path, name: &str, optional: bool, help: &str) -> Result<String> {
    let path = folder.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(text),
        Err(e) if optional && e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::data(
            "peelql::data::unreadable",
            format!("there is no {name} in {}", folder.display()),
        )
        .with_help(help.to_string())),
        Err(e) => Err(Error::data(
            "peelql::data::unreadable",
            format!("cannot read {}: {}", path.display(), crate::error::io_words(&e)),
        )
        .with_help(help.to_string())),
    }
}

/// Splits a `;`-separated list, lower-cased and trimmed.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    text.split(';').map(|a| a.trim().to_ascii_lowercase()).filter(|a| !a.is_empty()).collect()
}

fn read_force_aliases<'t>(text: &'t str, problems: &mut Problems) -> HashMap<String, Vec<(String, Row<'t>)>> {
    let mut map: HashMap<String, Vec<(String, Row<'t>)>> = HashMap::new();
    if text.trim().is_empty() {
        return map;
    }
    for row in rows("force_aliases.csv", text, &["force", "alias"], problems) {
        map.entry(row.get("force").to_string())
            .or_default()
            .push((row.get("alias").trim().to_ascii_lowercase(), row));
    }
    map
}

fn aliases_without_force<'t>(
    aliases: &HashMap<String, Vec<(String, Row<'t>)>>,
    forces: &[ForceRecord],
) -> Vec<(String, Row<'t>)> {
    let mut out: Vec<(String, Row<'t>)> = aliases
        .iter()
        .filter(|(force, _)| !forces.iter().any(|f| &f.name == *force))
        .filter_map(|(force, list)| list.first().map(|(_, row)| (force.clone(), row.clone())))
        .collect();
    out.sort_by_key(|(_, row)| row.line());
    out
}

fn year(row: &Row<'_>, column: &str, problems: &mut Problems) -> Option<u16> {
    let text = row.get(column);
    let year = text.parse::<u16>().ok().filter(|y| (1900..=2200).contains(y));
    if year.is_none() {
        row.problem(problems, column, format!("{text:?} is not a year (1900 to 2200)"));
    }
    year
}

fn small_number(row: &Row<'_>, column: &str, problems: &mut Problems) -> Option<u8> {
    let text = row.get(column);
    let n = text.parse::<u8>().ok();
    if n.is_none() {
        row.problem(problems, column, format!("{text:?} is not a count"));
    }
    n
}

/// `Some(None)` for an empty cell, `None` (with a problem) for a bad one.
pub(crate) fn date(row: &Row<'_>, column: &str, problems: &mut Problems) -> Option<Option<Date>> {
    let text = row.get(column);
    if text.is_empty() {
        return Some(None);
    }
    match Date::parse(text) {
        Some(d) => Some(Some(d)),
        None => {
            row.problem(problems, column, format!("{text:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"));
            None
        }
    }
}
