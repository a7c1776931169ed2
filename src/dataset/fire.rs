//! The fire and rescue half of a data set: a data set of its own, built
//! from [`FireTables`] (services in the shape of forces), so a service's
//! names, programmes and areas resolve only in fire queries and a police
//! query never sees a service's grade (see grammar/README.md, "Fire and
//! rescue services").

use super::{Dataset, problems_error};
use crate::catalog::model::{FireTables, MergerRecord, PairRecord, Tables};
use crate::catalog::{Catalog, ForceId, normalise};
use crate::error::{Error, Result};
use crate::value::Date;

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
        if problems.is_empty() { Ok(Fire { dataset, mergers, pairs }) } else { Err(problems_error(problems)) }
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
