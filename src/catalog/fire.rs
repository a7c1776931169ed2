//! Reading the fire and rescue files of a data set (`data/fire/`) into
//! [`FireTables`]: services with their names and aliases, the three FRS
//! programmes, the fire themes and areas (a round-3 area carries the
//! round-1/2 pillar its theme belongs to), the grades, the Hampshire and
//! Isle of Wight merger and the commissioner pairs. Every problem names the
//! file, the line and the column.
//!
//! The gathered files (`grades.csv`, `services.csv`, `r3counts.txt`) are
//! kept verbatim with their sources; `grades.csv` names a service by its
//! short key (`Avon`) and a programme by its round (`FRS 2018-19`), which
//! are turned into the service's official name here.

use super::cells::{Problems, Row, csv_rows as rows};
use super::files::{
    AREA_FILE_COLUMNS, PROGRAMME_COLUMNS, THEME_COLUMNS, area_record, date, programme_record,
};
use super::files::{split_list, theme_record};
use super::model::{Basis, FireTables, ForceRecord, GradeRecord, MergerRecord, PairRecord};
use crate::error::Result;
use crate::value::Grade;
use std::collections::HashMap;
use std::path::Path;

/// The text of each fire file of a data set.
#[derive(Clone, Debug, Default)]
pub struct FireFiles {
    /// `service_names.csv`: `service,name,short_name,aliases,until,successor`
    pub service_names: String,
    /// `programmes.csv`: `programme,start_year,end_year,scale,aliases,source_url`
    pub programmes: String,
    /// `themes.csv`: `theme,name,aliases`
    pub themes: String,
    /// `areas.csv`: `programme,area,pillar,question_text,source_url`
    pub areas: String,
    /// `area_themes.csv`: `programme,area,theme,pillar_theme,reasoning`
    pub area_themes: String,
    /// `grades.csv`: `service,round,published,area,grade,source_url,basis,sentence`
    pub grades: String,
    /// `mergers.csv`: `service,successor,date,source_url,sentence`
    pub mergers: String,
    /// `pairs.csv`: `force,service,commissioner,since,source_url,sentence`
    pub pairs: String,
}

/// The fire file names, in the order they are read (and hashed), under
/// the data set's `fire/` folder.
pub const FIRE_FILE_NAMES: [&str; 8] = [
    "service_names.csv",
    "programmes.csv",
    "themes.csv",
    "areas.csv",
    "area_themes.csv",
    "grades.csv",
    "mergers.csv",
    "pairs.csv",
];

impl FireFiles {
    /// The fire files compiled into the binary from `data/fire/`.
    pub fn bundled() -> FireFiles {
        FireFiles {
            service_names: include_str!("../../data/fire/service_names.csv").to_string(),
            programmes: include_str!("../../data/fire/programmes.csv").to_string(),
            themes: include_str!("../../data/fire/themes.csv").to_string(),
            areas: include_str!("../../data/fire/areas.csv").to_string(),
            area_themes: include_str!("../../data/fire/area_themes.csv").to_string(),
            grades: include_str!("../../data/fire/grades.csv").to_string(),
            mergers: include_str!("../../data/fire/mergers.csv").to_string(),
            pairs: include_str!("../../data/fire/pairs.csv").to_string(),
        }
    }

    /// Reads `dir/fire/`; a data set without that folder has no services
    /// (every file empty). A folder that is there must hold every file.
    pub fn from_dir(dir: &Path) -> Result<FireFiles> {
        let folder = dir.join("fire");
        if !folder.is_dir() {
            return Ok(FireFiles::default());
        }
        let help = format!("a data set's fire/ folder holds {}", FIRE_FILE_NAMES.join(", "));
        let read = |name: &str| super::files::read_data_file(&folder, name, false, &help);
        Ok(FireFiles {
            service_names: read("service_names.csv")?,
            programmes: read("programmes.csv")?,
            themes: read("themes.csv")?,
            areas: read("areas.csv")?,
            area_themes: read("area_themes.csv")?,
            grades: read("grades.csv")?,
            mergers: read("mergers.csv")?,
            pairs: read("pairs.csv")?,
        })
    }

    /// The texts, in [`FIRE_FILE_NAMES`] order.
    pub(crate) fn texts(&self) -> [&str; 8] {
        [
            &self.service_names,
            &self.programmes,
            &self.themes,
            &self.areas,
            &self.area_themes,
            &self.grades,
            &self.mergers,
            &self.pairs,
        ]
    }

    /// True when there are no fire files at all.
    pub fn is_empty(&self) -> bool {
        self.texts().iter().all(|t| t.trim().is_empty())
    }

    /// Parses the fire files into records, problems added to `problems`
    /// (each with its file, line and column).
    /// `police` are the data set's forces, which the pairs must name.
    pub(crate) fn read_into(&self, police: &[ForceRecord], problems: &mut Problems) -> FireTables {
        let mut fire = FireTables::default();
        if self.is_empty() {
            return fire;
        }
        let file = |name: &str| format!("fire/{name}");

        // services: the short key of grades.csv to the official name
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for row in rows(
            &file("service_names.csv"),
            &self.service_names,
            &["service", "name", "short_name", "aliases", "until", "successor"],
            problems,
        ) {
            let key = row.get("service").to_string();
            if by_key.insert(key.clone(), fire.services.len()).is_some() {
                row.problem(problems, "service", format!("service {key:?} is named twice"));
                continue;
            }
            fire.services.push(ForceRecord {
                name: row.get("name").to_string(),
                short_name: row.get("short_name").to_string(),
                aliases: split_list(row.get("aliases")),
                region: String::new(),
                country: "England".to_string(),
                source_url: String::new(),
            });
        }

        for row in rows(&file("programmes.csv"), &self.programmes, &PROGRAMME_COLUMNS, problems) {
            if let Some(p) = programme_record(&row, problems) {
                fire.programmes.push(p);
            }
        }
        for row in rows(&file("themes.csv"), &self.themes, &THEME_COLUMNS, problems) {
            fire.themes.push(theme_record(&row));
        }

        let mut themes_of: HashMap<(String, String), (String, Row<'_>)> = HashMap::new();
        for row in rows(
            &file("area_themes.csv"),
            &self.area_themes,
            &["programme", "area", "theme", "pillar_theme", "reasoning"],
            problems,
        ) {
            let key = (row.get("programme").to_string(), row.get("area").to_string());
            let theme = row.get("theme").to_ascii_lowercase();
            if let Some((_, first)) = themes_of.insert(key.clone(), (theme, row.clone())) {
                row.problem(
                    problems,
                    "area",
                    format!("{} / {} is given a theme twice (first on line {})", key.0, key.1, first.line()),
                );
            }
        }
        for row in rows(&file("areas.csv"), &self.areas, &AREA_FILE_COLUMNS, problems) {
            let key = (row.get("programme").to_string(), row.get("area").to_string());
            let Some((theme, _)) = themes_of.remove(&key) else {
                row.problem(
                    problems,
                    "area",
                    format!("{} / {} has no theme in area_themes.csv", key.0, key.1),
                );
                continue;
            };
            fire.areas.push(area_record(&row, theme));
        }
        let mut orphans: Vec<_> = themes_of.into_values().collect();
        orphans.sort_by_key(|(_, row)| row.line());
        for (_, row) in orphans {
            let what = format!("{} / {} is not in areas.csv", row.get("programme"), row.get("area"));
            row.problem(problems, "area", what);
        }

        let names: Vec<String> = fire.services.iter().map(|s| s.name.clone()).collect();
        let service = |row: &Row<'_>, column: &str, problems: &mut Problems| -> Option<String> {
            let key = row.get(column);
            match by_key.get(key) {
                Some(&i) => Some(names[i].clone()),
                None => {
                    row.problem(problems, column, format!("no service {key:?} in service_names.csv"));
                    None
                }
            }
        };
        let mut grades = Vec::new();
        let mut first_page: HashMap<String, String> = HashMap::new();
        for row in rows(
            &file("grades.csv"),
            &self.grades,
            &["service", "round", "published", "area", "grade", "source_url", "basis", "sentence"],
            problems,
        ) {
            let name = service(&row, "service", problems);
            let grade = match Grade::parse(row.get("grade")) {
                Some(g) => Some(g),
                None => {
                    row.problem(problems, "grade", format!("{:?} is not a grade", row.get("grade")));
                    None
                }
            };
            let basis = Basis::parse(row.get("basis"));
            if basis.is_none() {
                row.problem(problems, "basis", format!("{:?} is not a basis", row.get("basis")));
            }
            let published = date(&row, "published", problems);
            if let (Some(name), Some(grade), Some(basis), Some(published)) = (name, grade, basis, published) {
                first_page.entry(name.clone()).or_insert_with(|| row.get("source_url").to_string());
                grades.push(GradeRecord {
                    force: name,
                    programme: row.get("round").to_string(),
                    published,
                    area: row.get("area").to_string(),
                    grade: Some(grade),
                    source_url: row.get("source_url").to_string(),
                    basis,
                });
            }
        }
        for row in rows(
            &file("mergers.csv"),
            &self.mergers,
            &["service", "successor", "date", "source_url", "sentence"],
            problems,
        ) {
            let (from, to) = (service(&row, "service", problems), service(&row, "successor", problems));
            let when = match date(&row, "date", problems) {
                Some(None) => {
                    row.problem(problems, "date", "a merger needs its date".to_string());
                    None
                }
                other => other.flatten(),
            };
            if let (Some(service), Some(successor), Some(date)) = (from, to, when) {
                fire.mergers.push(MergerRecord {
                    service,
                    successor,
                    date,
                    source_url: row.get("source_url").to_string(),
                    sentence: row.get("sentence").to_string(),
                });
            }
        }

        for row in rows(
            &file("pairs.csv"),
            &self.pairs,
            &["force", "service", "commissioner", "since", "source_url", "sentence"],
            problems,
        ) {
            let name = service(&row, "service", problems);
            let since = date(&row, "since", problems);
            if !police.iter().any(|f| f.name == row.get("force")) {
                row.problem(
                    problems,
                    "force",
                    format!("no force named {:?} in forces.csv", row.get("force")),
                );
                continue;
            }
            if row.get("source_url").is_empty() {
                row.problem(problems, "source_url", "a pairing needs its source".to_string());
                continue;
            }
            if let (Some(service), Some(since)) = (name, since) {
                fire.pairs.push(PairRecord {
                    force: row.get("force").to_string(),
                    service,
                    commissioner: row.get("commissioner").to_string(),
                    since,
                    source_url: row.get("source_url").to_string(),
                    sentence: row.get("sentence").to_string(),
                });
            }
        }

        for s in &mut fire.services {
            s.source_url = first_page.get(&s.name).cloned().unwrap_or_default();
        }
        fire.grades = grades;
        fire
    }
}
