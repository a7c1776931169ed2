//! The fire and rescue half of a data set: a data set of its own, built
//! from [`FireTables`] (services in the shape of forces), so a service's
//! names, programmes and areas resolve only in fire queries and a police
//! query never sees a service's grade (see grammar/README.md, "Fire and
//! rescue services").

use super::{Dataset, problems_error};
use crate::catalog::model::{FireTables, MergerRecord, PairRecord, Tables};
use crate::catalog::{AreaId, Catalog, ForceId, ProgrammeId, normalise};
use crate::error::{Error, Result};
use crate::value::Date;
use crate::value::Grade;
use std::sync::Arc;

/// The fire half of a data set, checked: the services' data set, and the
/// mergers and commissioner pairs with their names resolved.
#[derive(Debug)]
pub struct Fire {
    /// Services, fire programmes, themes, areas and grades.
    pub dataset: Dataset,
    /// Mergers: (predecessor, successor, date), by service id.
    pub mergers: Vec<Merger>,
    /// Commissioner pairs: the police force and the service.
    pub pairs: Vec<Pair>,
}

/// A service that merged into another.
#[derive(Clone, Debug)]
pub struct Merger {
    /// The predecessor (a service id in [`Fire::dataset`]).
    pub service: ForceId,
    /// The successor.
    pub successor: ForceId,
    /// When.
    pub date: Date,
    /// The record, as read.
    pub record: MergerRecord,
}

/// A commissioner answering for a force and a service.
#[derive(Clone, Debug)]
pub struct Pair {
    /// The police force (an id in the police catalog).
    pub force: ForceId,
    /// The service (an id in [`Fire::dataset`]).
    pub service: ForceId,
    /// The record, as read.
    pub record: PairRecord,
}

impl Fire {
    /// Builds and checks the fire half of a data set whose police catalog
    /// is `police`. All problems are reported together.
    pub fn build(fire: &FireTables, police: &Catalog) -> Result<Fire> {
        let mut dataset = Dataset::build(fire.as_tables()).map_err(|e| {
            Error::data("peelql::data::invalid", format!("the fire and rescue data: {}", e.message()))
        })?;
        dataset.kind = crate::catalog::Kind::Fire;
        dataset.counterpart = Some(Box::new(police.clone()));
        let mut problems = Vec::new();
        let service = |name: &str, problems: &mut Vec<String>, what: &str| {
            let id = dataset.catalog.force_id(name);
            if id.is_none() {
                problems.push(format!("{what} names an unknown service {name:?}"));
            }
            id
        };
        let mut mergers = Vec::new();
        for m in &fire.mergers {
            let from = service(&m.service, &mut problems, "a merger");
            let to = service(&m.successor, &mut problems, "a merger");
            if let (Some(service), Some(successor)) = (from, to) {
                if service == successor {
                    problems.push(format!("{:?} is said to merge into itself", m.service));
                    continue;
                }
                mergers.push(Merger { service, successor, date: m.date, record: m.clone() });
            }
        }
        let mut pairs = Vec::new();
        for p in &fire.pairs {
            let force = police.force_id(&p.force);
            if force.is_none() {
                problems.push(format!("a commissioner pair names an unknown force {:?}", p.force));
            }
            let s = service(&p.service, &mut problems, "a commissioner pair");
            if let (Some(force), Some(service)) = (force, s) {
                pairs.push(Pair { force, service, record: p.clone() });
            }
        }
        if !problems.is_empty() {
            return Err(problems_error(problems));
        }
        dataset.mergers = mergers.iter().map(|m| (m.service, m.successor)).collect();
        Ok(Fire { dataset, mergers, pairs })
    }

    /// The services `service` was formed from (its predecessors in a
    /// merger), oldest name first; empty for a service that merged with
    /// no one.
    pub fn predecessors(&self, service: ForceId) -> Vec<ForceId> {
        let mut out: Vec<ForceId> =
            self.mergers.iter().filter(|m| m.successor == service).map(|m| m.service).collect();
        out.sort_by_key(|id| normalise(self.dataset.catalog.force_name(*id)));
        out
    }
}

/// A grade a step back in time, where a merger may stand between.
#[derive(Clone, Debug, PartialEq)]
pub enum PreviousGrade {
    /// One answer (none when there is no earlier grade): the body's own
    /// earlier grade, or the one its predecessors all had.
    One(Option<Grade>),
    /// No one answer: the body has no earlier inspection of its own and its
    /// predecessors' grades differ (or one has none); each is listed.
    Split(Vec<(ForceId, Option<Grade>)>),
}

impl Dataset {
    /// Police, or fire for [`Dataset::fire`]'s data set.
    pub fn kind(&self) -> crate::catalog::Kind {
        self.kind
    }

    /// The other kind's catalog, where the data set keeps it (the fire
    /// half keeps the police catalog).
    pub fn counterpart(&self) -> Option<&Catalog> {
        self.counterpart.as_deref()
    }

    /// The fire and rescue half: services, fire programmes, areas and
    /// grades as a data set of their own, with the mergers and the
    /// commissioner pairs (read from the image's records when first asked
    /// for; checked when the data set was built).
    pub fn fire(&self) -> &Fire {
        self.fire.get_or_init(|| {
            let tables = match self.tables.get() {
                Some(t) => t.fire.clone(),
                None => {
                    let image = &self.parts.image;
                    match postcard::from_bytes::<Tables>(&image.need(super::parts::TABLES, "the records")) {
                        Ok(t) => t.fire,
                        Err(e) => image.damaged(&format!("the records: {e}")),
                    }
                }
            };
            match Fire::build(&tables, &self.catalog) {
                Ok(f) => Arc::new(f),
                Err(e) => self.parts.image.damaged(&format!("the fire and rescue records: {}", e.message())),
            }
        })
    }

    /// The bodies `successor` was formed from by a merger, by name; empty
    /// for one that merged with no one (and for every police force).
    pub fn predecessors(&self, successor: ForceId) -> Vec<ForceId> {
        let mut out: Vec<ForceId> =
            self.mergers.iter().filter(|(_, to)| *to == successor).map(|(from, _)| *from).collect();
        out.sort_by_key(|id| normalise(self.catalog.force_name(*id)));
        out
    }

    /// The grade before the one of `force` in `area`: its own previous
    /// inspection's, or, for a body formed by a merger with no earlier
    /// inspection of its own, its predecessors' when they agree (never a
    /// guess: [`PreviousGrade::Split`] when they do not).
    pub fn previous_grade(&self, force: ForceId, area: AreaId) -> PreviousGrade {
        let grade_of =
            |f: ForceId| self.previous_of(f, area).map(|(i, a)| self.grade_in(i, a).and_then(|g| g.grade));
        if let Some(own) = grade_of(force) {
            return PreviousGrade::One(own);
        }
        let before = self.predecessors(force);
        if before.is_empty() {
            return PreviousGrade::One(None);
        }
        let grades: Vec<(ForceId, Option<Grade>)> =
            before.iter().map(|&p| (p, grade_of(p).flatten())).collect();
        match grades.as_slice() {
            [(_, Some(first)), rest @ ..] if rest.iter().all(|(_, g)| *g == Some(*first)) => {
                PreviousGrade::One(Some(*first))
            }
            _ => PreviousGrade::Split(grades),
        }
    }

    /// The score of the inspection before `force`'s in `programme`: its
    /// own, or its predecessors' when they are the same (`None` when they
    /// differ or there is none).
    pub fn previous_score(&self, force: ForceId, programme: ProgrammeId) -> Option<f64> {
        if let Some(i) = self.previous_inspection(force, programme) {
            return self.score(i);
        }
        let scores: Vec<Option<f64>> = self
            .predecessors(force)
            .into_iter()
            .map(|p| self.previous_inspection(p, programme).and_then(|i| self.score(i)))
            .collect();
        match scores.as_slice() {
            [Some(first), rest @ ..] if rest.iter().all(|s| *s == Some(*first)) => Some(*first),
            _ => None,
        }
    }
}

/// The problems of the fire half of `tables`, for the build's checks.
pub(super) fn fire_problems(tables: &Tables) -> Result<()> {
    if tables.fire == FireTables::default() {
        return Ok(());
    }
    let Ok(police) = Catalog::build(tables) else {
        // the police catalog's own problems are reported by the build
        return Ok(());
    };
    Fire::build(&tables.fire, &police).map(|_| ())
}

#[cfg(test)]
mod tests {
    use crate::catalog::files::DataFiles;
    use crate::catalog::model::Tables;
    use crate::dataset::Dataset;

    #[test]
    fn the_bundled_fire_half_is_a_data_set_of_its_own() {
        let ds = Dataset::bundled().expect("bundled");
        let fire = ds.fire();
        let cat = &fire.dataset.catalog;
        assert_eq!(cat.forces.len(), 46);
        let names: Vec<&str> = cat.programmes.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["FRS 2018-19", "FRS 2021-22", "FRS 2023-25"]);
        assert_eq!(fire.dataset.grades.len(), 459);
        // names resolve within their kind only
        let lfb = cat.force_id("LFB").expect("London Fire Brigade by its alias");
        assert_eq!(cat.force_name(lfb), "London Fire Brigade");
        assert!(ds.catalog.force_id("LFB").is_none(), "a service is not a force");
        assert!(cat.force_id("Kent Police").is_none(), "a force is not a service");
        assert!(ds.catalog.programme_id("frs 2021").is_none());
        assert_eq!(cat.programme_id("frs 2021").map(|p| cat.programme(p).name.as_str()), Some("FRS 2021-22"));
        // the merger: the successor's predecessors, by name
        let hiw = cat.force_id("HIWFRS").expect("Hampshire and Isle of Wight");
        let before: Vec<&str> = fire.predecessors(hiw).into_iter().map(|s| cat.force_name(s)).collect();
        assert_eq!(before, ["Hampshire Fire and Rescue Service", "Isle of Wight Fire and Rescue Service"]);
        // the pairs name a police force and a service
        let essex = fire.pairs.iter().find(|p| p.record.service.starts_with("Essex")).expect("Essex");
        assert_eq!(ds.catalog.force_name(essex.force), "Essex Police");
    }

    #[test]
    fn a_round_3_area_carries_its_pillar_and_theme() {
        let ds = Dataset::bundled().expect("bundled");
        let cat = &ds.fire().dataset.catalog;
        let r3 = cat.programme_id("frs 2023").expect("round 3");
        let culture = cat.theme_id("culture").expect("a curated alias");
        let area = cat.area(cat.area_of_theme(culture, r3).expect("round 3 has it"));
        assert_eq!(area.name, "Promoting the right values and culture");
        assert_eq!(area.pillar.as_deref(), Some("People"));
        assert_eq!(cat.programme(r3).areas.len(), 11);
    }

    #[test]
    fn a_pair_naming_an_unknown_force_is_refused() {
        let mut tables: Tables = DataFiles::bundled().to_tables().expect("bundled");
        tables.fire.pairs[0].force = "Nowhere Police".to_string();
        let err = Dataset::build(tables).expect_err("refused");
        assert!(err.message().contains("unknown force \"Nowhere Police\""), "{}", err.message());
    }
}
