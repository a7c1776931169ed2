//! The data set in memory: the catalog, every grade, and each force's
//! inspections, with the indexes queries use. Built once when a store is
//! opened; queries never go back to the store.

use crate::catalog::model::{Basis, Tables};
use crate::catalog::{AreaId, Catalog, ForceId, ProgrammeId};
use crate::error::{Error, Result};
use crate::value::{Date, Grade};
use std::collections::HashMap;

/// A grade's place in [`Dataset::grades`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GradeId(pub u32);

/// An inspection's place in [`Dataset::inspections`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InspectionId(pub u32);

impl GradeId {
    /// Index into [`Dataset::grades`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl InspectionId {
    /// Index into [`Dataset::inspections`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One force's grade in one area of one programme.
#[derive(Clone, Debug)]
pub struct GradeRow {
    /// The force.
    pub force: ForceId,
    /// The programme.
    pub programme: ProgrammeId,
    /// The area.
    pub area: AreaId,
    /// The inspection it belongs to.
    pub inspection: InspectionId,
    /// Publication date, when known.
    pub published: Option<Date>,
    /// The grade; `None` where the source says "not graded".
    pub grade: Option<Grade>,
    /// The page it was read on.
    pub source_url: String,
    /// How it was established.
    pub basis: Basis,
}

/// The counts the inspectorate announced for a report.
#[derive(Clone, Debug)]
pub struct Announced {
    /// Areas at each grade, indexed by `rank - 1`.
    pub counts: [u8; 5],
    /// Graded areas announced.
    pub graded_areas: u8,
    /// Where the counts were read.
    pub source_url: String,
}

/// An announced report: date, report page and counts.
type AnnouncedReport = (Option<Date>, Option<String>, Announced);

/// One force's inspection in one programme: the grades recorded for it.
#[derive(Clone, Debug)]
pub struct Inspection {
    /// Its id.
    pub id: InspectionId,
    /// The force.
    pub force: ForceId,
    /// The programme.
    pub programme: ProgrammeId,
    /// Publication date: the announced date, else the latest date of its
    /// grades (older programmes published pillars on different days).
    pub published: Option<Date>,
    /// The HMICFRS report page, when known.
    pub report_url: Option<String>,
    /// Announced per-grade counts, when published.
    pub announced: Option<Announced>,
    /// Its grade rows, in the programme's area order.
    pub grades: Vec<GradeId>,
    /// Mean of its graded areas on the 1–5 scale; `None` with no grades.
    pub score: Option<f64>,
}

/// Everything a query runs over.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// Forces, programmes, themes, areas.
    pub catalog: Catalog,
    /// Every grade row, in (force, programme, area) order.
    pub grades: Vec<GradeRow>,
    /// Every inspection, in (force, programme) order.
    pub inspections: Vec<Inspection>,
    by_force_programme: HashMap<(ForceId, ProgrammeId), InspectionId>,
    latest: Vec<Option<InspectionId>>,
    graded_by_force: Vec<Vec<InspectionId>>,
    by_area: HashMap<AreaId, Vec<GradeId>>,
    tables: Tables,
}

impl Dataset {
    /// Builds the data set from records, checking every reference. All
    /// problems are reported together.
    pub fn build(tables: Tables) -> Result<Dataset> {
        let catalog = Catalog::build(&tables)?;
        let mut problems: Vec<String> = Vec::new();

        struct Pending {
            force: ForceId,
            programme: ProgrammeId,
            area: AreaId,
            published: Option<Date>,
            grade: Option<Grade>,
            source_url: String,
            basis: Basis,
        }
        let mut pending = Vec::new();
        let mut seen: HashMap<(ForceId, AreaId), usize> = HashMap::new();
        for (n, g) in tables.grades.iter().enumerate() {
            let row = n + 2; // the CSV line, after the header
            let Some(force) = catalog.force_id(&g.force) else {
                problems.push(format!("grade {row}: unknown force {:?}", g.force));
                continue;
            };
            let Some(programme) = catalog.programme_id(&g.programme) else {
                problems.push(format!("grade {row}: unknown programme {:?}", g.programme));
                continue;
            };
            let Some(area) = catalog.area_id(programme, &g.area) else {
                problems.push(format!("grade {row}: {} has no area {:?}", g.programme, g.area));
                continue;
            };
            let scale = catalog.programme(programme).scale;
            if let Some(grade) = g.grade.filter(|gr| !scale.allows(*gr)) {
                problems.push(format!(
                    "grade {row}: `{grade}` is not on the {} scale of {}",
                    scale.name(),
                    g.programme
                ));
                continue;
            }
            if let Some(first) = seen.insert((force, area), row) {
                problems.push(format!(
                    "grade {row}: {} / {} / {} is graded twice (first at {first})",
                    g.force, g.programme, g.area
                ));
                continue;
            }
            pending.push(Pending {
                force,
                programme,
                area,
                published: g.published,
                grade: g.grade,
                source_url: g.source_url.clone(),
                basis: g.basis,
            });
        }

        let mut announced: HashMap<(ForceId, ProgrammeId), AnnouncedReport> = HashMap::new();
        for (n, c) in tables.counts.iter().enumerate() {
            let row = n + 2;
            let (Some(force), Some(programme)) =
                (catalog.force_id(&c.force), catalog.programme_id(&c.programme))
            else {
                problems.push(format!(
                    "counts {row}: unknown force or programme {:?} / {:?}",
                    c.force, c.programme
                ));
                continue;
            };
            let value = (
                c.published,
                c.report_url.clone(),
                Announced {
                    counts: c.counts,
                    graded_areas: c.graded_areas,
                    source_url: c.source_url.clone(),
                },
            );
            if announced.insert((force, programme), value).is_some() {
                problems.push(format!("counts {row}: {} / {} has counts twice", c.force, c.programme));
            }
        }
        if !problems.is_empty() {
            let total = problems.len();
            problems.truncate(20);
            return Err(Error::data(
                "peelql::data::invalid",
                format!("the data set has {total} problem(s):\n  {}", problems.join("\n  ")),
            ));
        }

        // Order grades by force, programme, area catalog order.
        pending.sort_by_key(|p| (p.force, p.programme, p.area));
        let mut keys: Vec<(ForceId, ProgrammeId)> = pending.iter().map(|p| (p.force, p.programme)).collect();
        keys.extend(announced.keys().copied());
        keys.sort();
        keys.dedup();

        let mut ds = Dataset { catalog, ..Dataset::default() };
        for (i, &(force, programme)) in keys.iter().enumerate() {
            let id = InspectionId(i as u32);
            ds.by_force_programme.insert((force, programme), id);
            let (published, report_url, counts) = match announced.remove(&(force, programme)) {
                Some((p, u, a)) => (p, u, Some(a)),
                None => (None, None, None),
            };
            ds.inspections.push(Inspection {
                id,
                force,
                programme,
                published,
                report_url,
                announced: counts,
                grades: Vec::new(),
                score: None,
            });
        }
        for p in pending {
            let id = GradeId(ds.grades.len() as u32);
            let inspection = ds.by_force_programme[&(p.force, p.programme)];
            let insp = &mut ds.inspections[inspection.index()];
            insp.grades.push(id);
            if insp.announced.is_none() || insp.published.is_none() {
                insp.published = insp.published.max(p.published);
            }
            ds.by_area.entry(p.area).or_default().push(id);
            ds.grades.push(GradeRow {
                force: p.force,
                programme: p.programme,
                area: p.area,
                inspection,
                published: p.published,
                grade: p.grade,
                source_url: p.source_url,
                basis: p.basis,
            });
        }
        ds.latest = vec![None; ds.catalog.forces.len()];
        ds.graded_by_force = vec![Vec::new(); ds.catalog.forces.len()];
        for i in 0..ds.inspections.len() {
            let ranks: Vec<u8> = ds.inspections[i]
                .grades
                .iter()
                .filter_map(|g| ds.grades[g.index()].grade)
                .map(Grade::rank)
                .collect();
            let insp = &mut ds.inspections[i];
            if !ranks.is_empty() {
                insp.score = Some(ranks.iter().map(|r| f64::from(*r)).sum::<f64>() / ranks.len() as f64);
                // inspections are in (force, programme) order: the last graded one wins
                ds.latest[insp.force.index()] = Some(insp.id);
                ds.graded_by_force[insp.force.index()].push(insp.id);
            }
        }
        ds.tables = tables;
        Ok(ds)
    }

    /// The records the data set was built from (for export).
    pub fn tables(&self) -> &Tables {
        &self.tables
    }

    /// A grade row.
    pub fn grade(&self, id: GradeId) -> &GradeRow {
        &self.grades[id.index()]
    }

    /// An inspection.
    pub fn inspection(&self, id: InspectionId) -> &Inspection {
        &self.inspections[id.index()]
    }

    /// The force's inspection in a programme, if it has one.
    pub fn inspection_of(&self, force: ForceId, programme: ProgrammeId) -> Option<InspectionId> {
        self.by_force_programme.get(&(force, programme)).copied()
    }

    /// The force's latest inspection with at least one grade.
    pub fn latest_inspection(&self, force: ForceId) -> Option<InspectionId> {
        self.latest.get(force.index()).copied().flatten()
    }

    /// The grade row of `area` in an inspection, if recorded.
    pub fn grade_in(&self, inspection: InspectionId, area: AreaId) -> Option<&GradeRow> {
        self.inspection(inspection).grades.iter().map(|g| self.grade(*g)).find(|g| g.area == area)
    }

    /// Every grade row recorded for an area, in force order.
    pub fn grades_of_area(&self, area: AreaId) -> &[GradeId] {
        self.by_area.get(&area).map_or(&[], Vec::as_slice)
    }

    /// The force's previous graded inspection: its latest inspection with
    /// at least one grade in a programme before `programme`.
    pub fn previous_inspection(&self, force: ForceId, programme: ProgrammeId) -> Option<InspectionId> {
        self.graded_by_force
            .get(force.index())?
            .iter()
            .rev()
            .copied()
            .find(|i| self.inspection(*i).programme < programme)
    }

    /// What `previous()` of `area` looks at for `force`: the force's
    /// previous graded inspection, and the area of the same theme in its
    /// programme. `None` when there is no earlier graded inspection, or its
    /// programme has no area of that theme.
    pub fn previous_of(&self, force: ForceId, area: AreaId) -> Option<(InspectionId, AreaId)> {
        let cat = &self.catalog;
        let here = cat.area(area);
        let before = self.previous_inspection(force, here.programme)?;
        let prev_area = cat.area_of_theme(here.theme, self.inspection(before).programme)?;
        Some((before, prev_area))
    }
}
