//! The catalog: forces, programmes, themes and areas, with ids, and the
//! lookups that turn what a user types ("cambs", "peel 2021", "sex
//! offenders") into them.
//!
//! - [`model`]: the records as stored and imported (names, not ids);
//! - [`cells`]: rows of named cells that know their file, line and column,
//!   and the problems found in them (shared by [`files`] and imports);
//! - [`files`]: the CSV files of a data set, and the bundled one;
//! - [`lookup`]: name resolution with aliases and "did you mean".

pub mod cells;
pub mod files;
pub mod fire;
pub mod forces;
pub mod lookup;
pub mod model;
pub mod monitoring;

use crate::error::{Error, Result};
pub use forces::Forces;
use model::{AreaRecord, ForceRecord, ProgrammeRecord, Scale, Tables, ThemeRecord};
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The id as an index into its catalog list.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// A force's place in [`Catalog::forces`].
    ForceId
);
id_type!(
    /// A programme's place in [`Catalog::programmes`] (chronological).
    ProgrammeId
);
id_type!(
    /// A theme's place in [`Catalog::themes`].
    ThemeId
);
id_type!(
    /// An area's place in [`Catalog::areas`].
    AreaId
);

/// Which half of the inspectorate's work a data set holds: police forces
/// or fire and rescue services. A query reads one kind; names, programmes
/// and areas resolve only within it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Police forces and PEEL programmes (the default).
    #[default]
    Police,
    /// Fire and rescue services and FRS programmes.
    Fire,
}

impl Kind {
    /// "police force" or "fire and rescue service": the `kind` column.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Police => "police force",
            Kind::Fire => "fire and rescue service",
        }
    }

    /// The source whose rows are this kind's bodies: `forces` or `services`.
    pub fn source(self) -> &'static str {
        match self {
            Kind::Police => "forces",
            Kind::Fire => "services",
        }
    }
}

/// A police force.
#[derive(Clone, Debug)]
pub struct Force {
    /// Its id.
    pub id: ForceId,
    /// Official name: "Cambridgeshire Constabulary".
    pub name: String,
    /// Short name: "Cambridgeshire".
    pub short_name: String,
    /// Aliases, lower case: "cambs".
    pub aliases: Vec<String>,
    /// Police region.
    pub region: String,
    /// England or Wales.
    pub country: String,
    /// Page showing the official name.
    pub source_url: String,
}

impl Force {
    /// The force of a record, with id `id`.
    pub fn from_record(id: ForceId, r: ForceRecord) -> Force {
        Force {
            id,
            name: r.name,
            short_name: r.short_name,
            aliases: r.aliases,
            region: r.region,
            country: r.country,
            source_url: r.source_url,
        }
    }

    /// The record of the force.
    pub fn to_record(&self) -> ForceRecord {
        ForceRecord {
            name: self.name.clone(),
            short_name: self.short_name.clone(),
            aliases: self.aliases.clone(),
            region: self.region.clone(),
            country: self.country.clone(),
            source_url: self.source_url.clone(),
        }
    }
}

/// An inspection programme (cycle).
#[derive(Clone, Debug)]
pub struct Programme {
    /// Its id; ids run oldest to newest.
    pub id: ProgrammeId,
    /// "PEEL 2023-25".
    pub name: String,
    /// First year.
    pub start_year: u16,
    /// Last year.
    pub end_year: u16,
    /// Four or five tiers.
    pub scale: Scale,
    /// Aliases, lower case.
    pub aliases: Vec<String>,
    /// Its areas, in catalog order.
    pub areas: Vec<AreaId>,
}

impl Programme {
    /// "2023–25", "2016": the years the cycle spans.
    pub fn years(&self) -> String {
        if self.end_year == self.start_year {
            self.start_year.to_string()
        } else {
            format!("{}-{:02}", self.start_year, self.end_year % 100)
        }
    }
}

/// A theme: the same concern across programmes.
#[derive(Clone, Debug)]
pub struct Theme {
    /// Its id.
    pub id: ThemeId,
    /// Short key: "offenders".
    pub key: String,
    /// Readable name.
    pub name: String,
    /// Aliases and keywords, lower case.
    pub aliases: Vec<String>,
    /// Its areas, oldest programme first (at most one per programme).
    pub areas: Vec<AreaId>,
}

/// An area of one programme.
#[derive(Clone, Debug)]
pub struct Area {
    /// Its id.
    pub id: AreaId,
    /// The programme it belongs to.
    pub programme: ProgrammeId,
    /// Label: "Managing offenders".
    pub name: String,
    /// Pillar, where the programme has pillars.
    pub pillar: Option<String>,
    /// Question or official heading.
    pub question: String,
    /// Its theme.
    pub theme: ThemeId,
    /// Where the wording was read.
    pub source_url: String,
}

/// Forces, programmes, themes and areas, with ids and name indexes.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    /// Forces, sorted by official name (read on demand from a data set's
    /// image).
    pub forces: Forces,
    /// Programmes, oldest first.
    pub programmes: Vec<Programme>,
    /// Themes, in file order.
    pub themes: Vec<Theme>,
    /// Areas, grouped by programme (oldest first), file order within one.
    pub areas: Vec<Area>,
    /// Every name and alias of a force, normalised; made on first use for
    /// a catalog read from an image.
    force_names: OnceLock<HashMap<String, ForceId>>,
    programme_names: HashMap<String, ProgrammeId>,
    theme_names: HashMap<String, ThemeId>,
    area_names: HashMap<(ProgrammeId, String), AreaId>,
}

/// Lower-cases and squeezes spaces: the form names are compared in.
pub fn normalise(text: &str) -> String {
    if !text.is_ascii() {
        return text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    }
    // the same for ASCII text, in one pass over the bytes (a data set opens
    // by normalising every name and alias)
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut gap = false;
    for &b in bytes {
        if is_space(b) {
            gap = !out.is_empty();
        } else {
            if gap {
                out.push(b' ');
                gap = false;
            }
            out.push(b.to_ascii_lowercase());
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

impl Catalog {
    /// Builds the catalog from records, checking that every name is unique
    /// and every reference resolves. All problems are reported together.
    pub fn build(tables: &Tables) -> Result<Catalog> {
        let mut problems = Vec::new();
        let mut forces: Vec<_> = tables.forces.iter().collect();
        forces.sort_by(|a, b| a.name.cmp(&b.name));
        let mut force_names = HashMap::default();
        let mut list = Vec::with_capacity(forces.len());
        for (i, f) in forces.into_iter().enumerate() {
            let id = ForceId(i as u32);
            for name in [&f.name, &f.short_name].into_iter().chain(&f.aliases) {
                let key = normalise(name);
                if let Some(other) = force_names.insert(key.clone(), id) {
                    if other != id {
                        problems.push(format!("force name or alias {key:?} is used by two forces"));
                    }
                }
            }
            list.push(Force::from_record(id, f.clone()));
        }
        let mut cat = Catalog::build_rest(&tables.programmes, &tables.themes, &tables.areas, &mut problems);
        cat.forces = Forces::from_vec(list);
        cat.force_names = OnceLock::from(force_names);
        if problems.is_empty() {
            Ok(cat)
        } else {
            Err(Error::data(
                "peelql::data::invalid_catalog",
                format!("the catalog has {} problem(s):\n  {}", problems.len(), problems.join("\n  ")),
            ))
        }
    }

    /// A catalog of `forces` (read on demand) and the records of the
    /// programmes, themes and areas in catalog order, as
    /// [`Catalog::parts`] gave them from a catalog already checked.
    pub(crate) fn from_parts(
        forces: Forces,
        programmes: &[ProgrammeRecord],
        themes: &[ThemeRecord],
        areas: &[AreaRecord],
    ) -> Result<Catalog> {
        let mut problems = Vec::new();
        let mut cat = Catalog::build_rest(programmes, themes, areas, &mut problems);
        if !problems.is_empty() {
            return Err(Error::data(
                "peelql::data::invalid_catalog",
                format!("the catalog has {} problem(s):\n  {}", problems.len(), problems.join("\n  ")),
            ));
        }
        cat.forces = forces;
        Ok(cat)
    }

    /// The records of the programmes, themes and areas, in catalog order:
    /// [`Catalog::from_parts`] makes the same ids from them.
    pub(crate) fn parts(&self) -> (Vec<ProgrammeRecord>, Vec<ThemeRecord>, Vec<AreaRecord>) {
        let programmes = self
            .programmes
            .iter()
            .map(|p| ProgrammeRecord {
                name: p.name.clone(),
                start_year: p.start_year,
                end_year: p.end_year,
                scale: p.scale,
                aliases: p.aliases.clone(),
            })
            .collect();
        let themes = self
            .themes
            .iter()
            .map(|t| ThemeRecord { key: t.key.clone(), name: t.name.clone(), aliases: t.aliases.clone() })
            .collect();
        let areas = self
            .areas
            .iter()
            .map(|a| AreaRecord {
                programme: self.programme(a.programme).name.clone(),
                name: a.name.clone(),
                pillar: a.pillar.clone(),
                question: a.question.clone(),
                theme: self.theme(a.theme).key.clone(),
                source_url: a.source_url.clone(),
            })
            .collect();
        (programmes, themes, areas)
    }

    /// Programmes, themes and areas, checked; no forces.
    fn build_rest(
        programme_records: &[ProgrammeRecord],
        theme_records: &[ThemeRecord],
        area_records: &[AreaRecord],
        problems: &mut Vec<String>,
    ) -> Catalog {
        let mut cat = Catalog::default();
        let mut programmes: Vec<_> = programme_records.iter().collect();
        programmes.sort_by_key(|p| (p.start_year, p.end_year));
        for (i, p) in programmes.into_iter().enumerate() {
            let id = ProgrammeId(i as u32);
            for name in std::iter::once(&p.name).chain(&p.aliases) {
                let key = programme_key(name);
                if let Some(other) = cat.programme_names.insert(key.clone(), id) {
                    if other != id {
                        problems.push(format!("programme name or alias {key:?} is used by two programmes"));
                    }
                }
            }
            cat.programmes.push(Programme {
                id,
                name: p.name.clone(),
                start_year: p.start_year,
                end_year: p.end_year,
                scale: p.scale,
                aliases: p.aliases.clone(),
                areas: Vec::new(),
            });
        }

        for (i, t) in theme_records.iter().enumerate() {
            let id = ThemeId(i as u32);
            for name in std::iter::once(&t.key).chain(&t.aliases) {
                let key = normalise(name);
                if cat.theme_names.insert(key.clone(), id).is_some_and(|other| other != id) {
                    problems.push(format!("theme key or alias {key:?} is used by two themes"));
                }
            }
            cat.themes.push(Theme {
                id,
                key: t.key.clone(),
                name: t.name.clone(),
                aliases: t.aliases.clone(),
                areas: Vec::new(),
            });
        }

        // Areas grouped by programme, oldest programme first.
        let mut areas: Vec<_> = area_records.iter().enumerate().collect();
        areas.sort_by_cached_key(|(i, a)| (cat.programme_id(&a.programme).map(|p| p.0), *i));
        for (_, a) in areas {
            let Some(programme) = cat.programme_id(&a.programme) else {
                problems.push(format!("area {:?} names an unknown programme {:?}", a.name, a.programme));
                continue;
            };
            let Some(&theme) = cat.theme_names.get(&normalise(&a.theme)) else {
                problems.push(format!(
                    "area {:?} of {} names an unknown theme {:?}",
                    a.name, a.programme, a.theme
                ));
                continue;
            };
            let id = AreaId(cat.areas.len() as u32);
            if cat.area_names.insert((programme, normalise(&a.name)), id).is_some() {
                problems.push(format!("area {:?} appears twice in {}", a.name, a.programme));
                continue;
            }
            if let Some(other) =
                cat.themes[theme.index()].areas.iter().find(|x| cat.areas[x.index()].programme == programme)
            {
                problems.push(format!(
                    "theme {:?} is given to two areas of {}: {:?} and {:?}",
                    a.theme,
                    a.programme,
                    cat.areas[other.index()].name,
                    a.name
                ));
            }
            cat.programmes[programme.index()].areas.push(id);
            cat.themes[theme.index()].areas.push(id);
            cat.areas.push(Area {
                id,
                programme,
                name: a.name.clone(),
                pillar: a.pillar.clone(),
                question: a.question.clone(),
                theme,
                source_url: a.source_url.clone(),
            });
        }

        cat
    }

    /// A force by id.
    pub fn force(&self, id: ForceId) -> &Force {
        &self.forces[id.index()]
    }

    /// A force's official name (cheaper than [`Catalog::force`] for a
    /// catalog read from an image: only the names are read).
    pub fn force_name(&self, id: ForceId) -> &str {
        self.forces.name(id.index())
    }

    /// A programme by id.
    pub fn programme(&self, id: ProgrammeId) -> &Programme {
        &self.programmes[id.index()]
    }

    /// A theme by id.
    pub fn theme(&self, id: ThemeId) -> &Theme {
        &self.themes[id.index()]
    }

    /// An area by id.
    pub fn area(&self, id: AreaId) -> &Area {
        &self.areas[id.index()]
    }

    /// A force by official name, short name or alias (any case).
    pub fn force_id(&self, name: &str) -> Option<ForceId> {
        self.force_name_map().get(&normalise(name)).copied()
    }

    fn force_name_map(&self) -> &HashMap<String, ForceId> {
        self.force_names.get_or_init(|| {
            let mut map = HashMap::default();
            for f in self.forces.iter() {
                for name in [&f.name, &f.short_name].into_iter().chain(&f.aliases) {
                    map.insert(normalise(name), f.id);
                }
            }
            map
        })
    }

    /// A programme by name or alias (any case; `/` and `-` alike).
    pub fn programme_id(&self, name: &str) -> Option<ProgrammeId> {
        self.programme_names.get(&programme_key(name)).copied()
    }

    /// A theme by key or alias (any case).
    pub fn theme_id(&self, name: &str) -> Option<ThemeId> {
        self.theme_names.get(&normalise(name)).copied()
    }

    /// An area of a programme by its exact label (any case).
    pub fn area_id(&self, programme: ProgrammeId, name: &str) -> Option<AreaId> {
        self.area_names.get(&(programme, normalise(name))).copied()
    }

    /// The area of `theme` in `programme`, if the programme has one.
    pub fn area_of_theme(&self, theme: ThemeId, programme: ProgrammeId) -> Option<AreaId> {
        self.theme(theme).areas.iter().copied().find(|a| self.area(*a).programme == programme)
    }

    /// The newest programme.
    pub fn latest_programme(&self) -> Option<ProgrammeId> {
        self.programmes.last().map(|p| p.id)
    }

    /// All names and aliases of forces (for "did you mean").
    pub fn force_names(&self) -> impl Iterator<Item = (&str, ForceId)> {
        self.force_name_map().iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// All names and aliases of programmes.
    pub fn programme_names(&self) -> impl Iterator<Item = (&str, ProgrammeId)> {
        self.programme_names.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// All keys and aliases of themes.
    pub fn theme_names(&self) -> impl Iterator<Item = (&str, ThemeId)> {
        self.theme_names.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

/// Programme names compare lower-case with `/` as `-` and one space.
pub(crate) fn programme_key(name: &str) -> String {
    if name.contains(['/', '–', '—']) {
        normalise(&name.replace(['/', '–', '—'], "-"))
    } else {
        normalise(name)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn normalise_squeezes_spaces_and_lowers_case() {
        for text in ["  Cambs  Police ", "a\tb\x0bc\r\nD", "", "   ", "Ünïcode  ΣΑΣ  x", "MiXeD"] {
            let slow = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
            assert_eq!(super::normalise(text), slow, "{text:?}");
        }
    }
}
