//! Reading the data set's CSV files into [`Tables`].
//!
//! The bundled data set is these files from `data/`, compiled into the
//! binary; a directory with the same files (a test fixture, say) reads the
//! same way. Every problem names the file, the line and the column.

use super::model::{
    AreaRecord, Basis, CountRecord, ForceRecord, GradeRecord, ProgrammeRecord, Scale, Tables, ThemeRecord,
};
use crate::error::{Error, Result};
use crate::value::{Date, Grade};
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

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
}

/// The file names of a data set, in the order they are read.
pub const FILE_NAMES: [&str; 8] = [
    "forces.csv",
    "force_aliases.csv",
    "programmes.csv",
    "themes.csv",
    "areas.csv",
    "area_themes.csv",
    "grades.csv",
    "inspections.csv",
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
        }
    }

    /// Reads a directory holding the same files. `force_aliases.csv` and
    /// `inspections.csv` may be absent.
    pub fn from_dir(dir: &Path) -> Result<DataFiles> {
        let read = |name: &str, optional: bool| -> Result<String> {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(text),
                Err(e) if optional && e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
                Err(e) => Err(Error::data(
                    "peelql::data::unreadable",
                    format!("cannot read {}: {e}", path.display()),
                )),
            }
        };
        Ok(DataFiles {
            forces: read("forces.csv", false)?,
            force_aliases: read("force_aliases.csv", true)?,
            programmes: read("programmes.csv", false)?,
            themes: read("themes.csv", false)?,
            areas: read("areas.csv", false)?,
            area_themes: read("area_themes.csv", false)?,
            grades: read("grades.csv", false)?,
            inspections: read("inspections.csv", true)?,
        })
    }

    /// A stable fingerprint of the contents (FNV-1a, 64 bits, hex), so a
    /// store knows when the binary ships different bundled data.
    pub fn fingerprint(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for text in self.texts() {
            for b in text.as_bytes().iter().chain([0xffu8].iter()) {
                hash ^= u64::from(*b);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }

    fn texts(&self) -> [&str; 8] {
        [
            &self.forces,
            &self.force_aliases,
            &self.programmes,
            &self.themes,
            &self.areas,
            &self.area_themes,
            &self.grades,
            &self.inspections,
        ]
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
        for (force, line) in aliases_without_force(&aliases, &tables.forces) {
            problems.push(
                "force_aliases.csv",
                line,
                "force",
                format!("no force named {force:?} in forces.csv"),
            );
        }

        for row in rows(
            "programmes.csv",
            &self.programmes,
            &["programme", "start_year", "end_year", "scale", "aliases"],
            &mut problems,
        ) {
            let start = row.year("start_year", &mut problems);
            let end = row.year("end_year", &mut problems);
            let scale = match row.get("scale").to_ascii_lowercase().as_str() {
                "four-tier" | "4" => Some(Scale::FourTier),
                "five-tier" | "5" => Some(Scale::FiveTier),
                other => {
                    row.problem(
                        &mut problems,
                        "scale",
                        format!("{other:?} is not a scale; use four-tier or five-tier"),
                    );
                    None
                }
            };
            if let (Some(start_year), Some(end_year), Some(scale)) = (start, end, scale) {
                tables.programmes.push(ProgrammeRecord {
                    name: row.get("programme").to_string(),
                    start_year,
                    end_year,
                    scale,
                    aliases: split_list(row.get("aliases")),
                });
            }
        }

        for row in rows("themes.csv", &self.themes, &["theme", "name", "aliases"], &mut problems) {
            tables.themes.push(ThemeRecord {
                key: row.get("theme").to_ascii_lowercase(),
                name: row.get("name").to_string(),
                aliases: split_list(row.get("aliases")),
            });
        }

        let mut themes_of: HashMap<(String, String), (String, usize)> = HashMap::new();
        for row in rows("area_themes.csv", &self.area_themes, &["programme", "area", "theme"], &mut problems)
        {
            let key = (row.get("programme").to_string(), row.get("area").to_string());
            if themes_of.insert(key.clone(), (row.get("theme").to_ascii_lowercase(), row.line)).is_some() {
                row.problem(&mut problems, "area", format!("{} / {} is given a theme twice", key.0, key.1));
            }
        }
        for row in rows(
            "areas.csv",
            &self.areas,
            &["programme", "area", "pillar", "question_text", "source_url"],
            &mut problems,
        ) {
            let programme = row.get("programme").to_string();
            let name = row.get("area").to_string();
            let Some((theme, _)) = themes_of.remove(&(programme.clone(), name.clone())) else {
                row.problem(
                    &mut problems,
                    "area",
                    format!("{programme} / {name} has no theme in area_themes.csv"),
                );
                continue;
            };
            let pillar = Some(row.get("pillar").to_string()).filter(|p| !p.is_empty());
            tables.areas.push(AreaRecord {
                programme,
                name,
                pillar,
                question: row.get("question_text").to_string(),
                theme,
                source_url: row.get("source_url").to_string(),
            });
        }
        let mut orphans: Vec<_> = themes_of.into_iter().collect();
        orphans.sort_by_key(|(_, (_, line))| *line);
        for ((programme, area), (_, line)) in orphans {
            problems.push(
                "area_themes.csv",
                line,
                "area",
                format!("{programme} / {area} is not in areas.csv"),
            );
        }

        for row in rows(
            "grades.csv",
            &self.grades,
            &["force", "programme", "published", "area", "grade", "source_url", "basis"],
            &mut problems,
        ) {
            let grade = match row.get("grade") {
                "not graded" => Some(None),
                word => match Grade::parse(word) {
                    Some(g) => Some(Some(g)),
                    None => {
                        row.problem(&mut problems, "grade", format!("{word:?} is not a grade (outstanding, good, adequate, requires improvement, inadequate or \"not graded\")"));
                        None
                    }
                },
            };
            let basis = Basis::parse(row.get("basis"));
            if basis.is_none() {
                row.problem(
                    &mut problems,
                    "basis",
                    format!("{:?} is not a basis (stated, elimination or inferred)", row.get("basis")),
                );
            }
            let published = row.date("published", &mut problems);
            if let (Some(grade), Some(basis), Some(published)) = (grade, basis, published) {
                tables.grades.push(GradeRecord {
                    force: row.get("force").to_string(),
                    programme: row.get("programme").to_string(),
                    published,
                    area: row.get("area").to_string(),
                    grade,
                    source_url: row.get("source_url").to_string(),
                    basis,
                });
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
                match row.small_number(column, &mut problems) {
                    Some(n) => counts[usize::from(grade.rank() - 1)] = n,
                    None => ok = false,
                }
            }
            let graded = row.small_number("graded_areas", &mut problems);
            let published = row.date("published", &mut problems);
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

        problems.into_result(tables)
    }
}

fn split_list(text: &str) -> Vec<String> {
    text.split(';').map(|a| a.trim().to_ascii_lowercase()).filter(|a| !a.is_empty()).collect()
}

fn read_force_aliases(text: &str, problems: &mut Problems) -> HashMap<String, Vec<(String, usize)>> {
    let mut map: HashMap<String, Vec<(String, usize)>> = HashMap::new();
    if text.trim().is_empty() {
        return map;
    }
    for row in rows("force_aliases.csv", text, &["force", "alias"], problems) {
        map.entry(row.get("force").to_string())
            .or_default()
            .push((row.get("alias").trim().to_ascii_lowercase(), row.line));
    }
    map
}

fn aliases_without_force(
    aliases: &HashMap<String, Vec<(String, usize)>>,
    forces: &[ForceRecord],
) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = aliases
        .iter()
        .filter(|(force, _)| !forces.iter().any(|f| &f.name == *force))
        .map(|(force, list)| (force.clone(), list.first().map_or(0, |(_, line)| *line)))
        .collect();
    out.sort_by_key(|(_, line)| *line);
    out
}

/// Problems found while reading, reported together.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn push(&mut self, file: &str, line: usize, column: &str, what: String) {
        self.0.push(format!("{file}:{line}: column `{column}`: {what}"));
    }

    fn into_result<T>(self, value: T) -> Result<T> {
        if self.0.is_empty() {
            return Ok(value);
        }
        let shown: Vec<&str> = self.0.iter().take(20).map(String::as_str).collect();
        let more = self.0.len().saturating_sub(shown.len());
        let mut message = format!(
            "the data set has {} problem{}:\n  {}",
            self.0.len(),
            if self.0.len() == 1 { "" } else { "s" },
            shown.join("\n  ")
        );
        if more > 0 {
            message.push_str(&format!("\n  … and {more} more"));
        }
        Err(Error::data("peelql::data::invalid", message))
    }
}

/// One CSV row with its line number and columns by name.
struct Row {
    file: &'static str,
    line: usize,
    header: Rc<[String]>,
    record: csv::StringRecord,
}

impl Row {
    fn get(&self, column: &str) -> &str {
        self.header.iter().position(|h| h == column).and_then(|i| self.record.get(i)).map_or("", str::trim)
    }

    fn problem(&self, problems: &mut Problems, column: &str, what: String) {
        problems.push(self.file, self.line, column, what);
    }

    fn year(&self, column: &str, problems: &mut Problems) -> Option<u16> {
        let text = self.get(column);
        let year = text.parse::<u16>().ok().filter(|y| (1900..=2200).contains(y));
        if year.is_none() {
            self.problem(problems, column, format!("{text:?} is not a year"));
        }
        year
    }

    fn small_number(&self, column: &str, problems: &mut Problems) -> Option<u8> {
        let text = self.get(column);
        let n = text.parse::<u8>().ok();
        if n.is_none() {
            self.problem(problems, column, format!("{text:?} is not a count"));
        }
        n
    }

    /// `Some(None)` for an empty cell, `None` (with a problem) for a bad one.
    fn date(&self, column: &str, problems: &mut Problems) -> Option<Option<Date>> {
        let text = self.get(column);
        if text.is_empty() {
            return Some(None);
        }
        match Date::parse(text) {
            Some(d) => Some(Some(d)),
            None => {
                self.problem(
                    problems,
                    column,
                    format!("{text:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
                );
                None
            }
        }
    }
}

/// The rows of one CSV file, checking that the required columns exist.
fn rows(file: &'static str, text: &str, required: &[&str], problems: &mut Problems) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => {
            problems.push(file, 1, "-", format!("unreadable header: {e}"));
            return Vec::new();
        }
    };
    let missing: Vec<&str> = required.iter().copied().filter(|c| !header.iter().any(|h| h == c)).collect();
    if !missing.is_empty() {
        problems.push(file, 1, missing[0], format!("missing column(s): {}", missing.join(", ")));
        return Vec::new();
    }
    let header: Rc<[String]> = header.into();
    let mut out = Vec::new();
    for result in reader.records() {
        match result {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                out.push(Row { file, line, header: Rc::clone(&header), record });
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(file, line, "-", format!("malformed CSV: {e}"));
            }
        }
    }
    out
}
