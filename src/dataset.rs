//! The data set in memory: the catalog, every grade, and each force's
//! inspections, with the indexes queries use. Built once when a store is
//! opened; queries never go back to the store.
//!
//! # Indexes
//!
//! Built with the data set, in a few passes over the grades (no hashing per
//! row):
//!
//! - grades by area, and by area and grade, for all inspections and for
//!   each force's latest one (`area("x") = g`, ranges, `grades where
//!   area(…)`);
//! - each force's inspections, in programme order (`previous(…)`: the
//!   force's previous graded inspection; its inspection in a programme);
//!   an (inspection, area) → grade table;
//! - per inspection: graded areas and how many got each grade (`graded`,
//!   `count(area = g)`, `any area …`);
//! - per programme: inspections and grades on record.
//!
//! The records the data set was built from are kept in columns
//! (the `columns` module), not as records: [`Dataset::tables`] rebuilds them when
//! first asked.

mod bundled;
pub(crate) mod columns;
mod texts_hash;

pub(crate) use bundled::bundled_hash;
pub(crate) use texts_hash::texts_hash;

use crate::catalog::model::{Basis, Tables};
use crate::catalog::{AreaId, Catalog, ForceId, ProgrammeId};
use crate::error::{Error, Result};
use crate::value::{Date, Grade};
use columns::GradeColumns;
use rustc_hash::FxHashMap as HashMap;
use std::sync::{Arc, OnceLock};

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
    /// The page it was read on (shared by the grades read on one page).
    pub source_url: Arc<str>,
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

/// Lists of grade ids under dense keys (compressed sparse rows).
#[derive(Clone, Debug, Default)]
struct Csr {
    /// `ids[starts[k]..starts[k + 1]]` are key `k`'s.
    starts: Vec<u32>,
    ids: Vec<GradeId>,
}

impl Csr {
    fn get(&self, key: usize) -> &[GradeId] {
        match (self.starts.get(key), self.starts.get(key + 1)) {
            (Some(&a), Some(&b)) => &self.ids[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// An (inspection, area) slot with no grade row.
const NO_GRADE: u32 = u32::MAX;

/// Slots per area in the by-grade indexes: no grade, then ranks 1–5.
const GRADE_SLOTS: usize = 6;

fn grade_slot(grade: Option<Grade>) -> usize {
    grade.map_or(0, |g| usize::from(g.rank()))
}

/// Everything derived from the rows for fast lookups.
#[derive(Clone, Debug, Default)]
struct Indexes {
    /// Inspections of force `f` are `force_inspections[f]..force_inspections[f + 1]`.
    force_inspections: Vec<u32>,
    /// Per inspection: its programme.
    inspection_programme: Vec<ProgrammeId>,
    /// Per area: its place among its programme's areas.
    area_place: Vec<u32>,
    /// Per inspection: where its slots start in `slots`, one per area of
    /// its programme.
    slot_start: Vec<u32>,
    /// The grade of each (inspection, area of its programme), or `NO_GRADE`.
    slots: Vec<u32>,
    /// Each force's latest graded inspection.
    latest: Vec<Option<InspectionId>>,
    /// Per inspection: areas with a grade.
    graded: Vec<u16>,
    /// Per inspection: areas at each rank (index `rank - 1`).
    histogram: Vec<[u16; 5]>,
    /// Grades by area.
    by_area: Csr,
    /// Grades by area and grade slot.
    by_area_grade: Csr,
    /// Grades of latest inspections by area and grade slot.
    latest_by_area_grade: Csr,
    /// Per programme: inspections on record.
    programme_inspections: Vec<u32>,
    /// Per programme: grades on record that have a grade.
    programme_graded: Vec<u32>,
}

/// The records behind a data set built from a store, kept compact.
#[derive(Clone, Debug, Default)]
struct Source {
    /// Every table but the grades.
    rest: Tables,
    /// The grades.
    grades: GradeColumns,
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
    idx: Indexes,
    /// The records, once built (at once when the data set was built from
    /// them, else from `source` on first use).
    tables: OnceLock<Tables>,
    source: Option<Arc<Source>>,
}

/// Why the fast build stopped.
enum Stop {
    /// The catalog itself failed.
    Failed(Error),
    /// The rows have problems: the checking pass names them.
    Problems,
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Failed(e)
    }
}

impl Dataset {
    /// Builds the data set from records, checking every reference. All
    /// problems are reported together.
    pub fn build(tables: Tables) -> Result<Dataset> {
        let columns = GradeColumns::from_records(&tables.grades);
        match Dataset::assemble(&tables, &columns) {
            Ok(ds) => {
                let _ = ds.tables.set(tables);
                Ok(ds)
            }
            Err(Stop::Failed(e)) => Err(e),
            Err(Stop::Problems) => Err(report_problems(&tables)),
        }
    }

    /// The bundled data set (`data/*.csv`, compiled in): from the
    /// ready-made image when it matches this build, else parsed from the
    /// CSV files. The same data set either way.
    pub fn bundled() -> Result<Dataset> {
        match bundled::load() {
            Some(ds) => Ok(ds),
            None => Dataset::build(crate::catalog::files::DataFiles::bundled().to_tables()?),
        }
    }

    /// Builds the data set from a store's compact form: every table but
    /// the grades, and the grades in columns. The records are rebuilt only
    /// if [`Dataset::tables`] is asked for them.
    pub(crate) fn from_columns(rest: Tables, grades: GradeColumns) -> Result<Dataset> {
        match Dataset::assemble(&rest, &grades) {
            Ok(mut ds) => {
                ds.source = Some(Arc::new(Source { rest, grades }));
                Ok(ds)
            }
            Err(Stop::Failed(e)) => Err(e),
            Err(Stop::Problems) => {
                let tables = Tables { grades: grades.to_records(), ..rest };
                Err(report_problems(&tables))
            }
        }
    }

    /// The data set, from the catalog tables of `tables` (its grades are
    /// ignored) and the grade columns. Stops at the first problem, which
    /// [`report_problems`] then describes with all the others.
    fn assemble(tables: &Tables, cols: &GradeColumns) -> std::result::Result<Dataset, Stop> {
        let catalog = Catalog::build(tables)?;
        let n = cols.len();
        const UNSET: u32 = u32::MAX;
        const BAD: u32 = u32::MAX - 1;

        // Names to ids, once per distinct string: the official name as it
        // is, else any name or alias the catalog knows (normalised).
        let exact_force: HashMap<&str, ForceId> =
            catalog.forces.iter().map(|f| (f.name.as_str(), f.id)).collect();
        let exact_programme: HashMap<&str, ProgrammeId> =
            catalog.programmes.iter().map(|p| (p.name.as_str(), p.id)).collect();
        let exact_area: HashMap<(ProgrammeId, &str), AreaId> =
            catalog.areas.iter().map(|a| ((a.programme, a.name.as_str()), a.id)).collect();
        let force_id = |name: &str| exact_force.get(name).copied().or_else(|| catalog.force_id(name));
        let programme_id =
            |name: &str| exact_programme.get(name).copied().or_else(|| catalog.programme_id(name));
        let nstr = cols.strings().len();
        let mut force_of = vec![UNSET; nstr];
        let mut programme_of = vec![UNSET; nstr];
        // area labels: string -> a small local number, then (local, programme) -> area
        let nprog = catalog.programmes.len();
        let mut area_local = vec![UNSET; nstr];
        let mut area_labels: Vec<u32> = Vec::new();
        let mut area_of: Vec<u32> = Vec::new();
        let mut keys: Vec<u64> = Vec::with_capacity(n);
        let allows_adequate: Vec<bool> =
            catalog.programmes.iter().map(|p| p.scale.allows(Grade::Adequate)).collect();
        let rows = cols.ids(0).zip(cols.ids(1)).zip(cols.ids(2)).zip(cols.ranks());
        for (((fs, ps), s), &rank) in rows {
            let (fs, ps, s) = (fs as usize, ps as usize, s as usize);
            if force_of[fs] == UNSET {
                force_of[fs] = force_id(&cols.strings()[fs]).map_or(BAD, |f| f.0);
            }
            if programme_of[ps] == UNSET {
                programme_of[ps] = programme_id(&cols.strings()[ps]).map_or(BAD, |p| p.0);
            }
            let (force, programme) = (force_of[fs], programme_of[ps]);
            if force == BAD || programme == BAD {
                return Err(Stop::Problems);
            }
            if area_local[s] == UNSET {
                area_local[s] = area_labels.len() as u32;
                area_labels.push(s as u32);
                area_of.extend(std::iter::repeat_n(UNSET, nprog));
            }
            let slot = area_local[s] as usize * nprog + programme as usize;
            if area_of[slot] == UNSET {
                let (p, name) = (ProgrammeId(programme), &*cols.strings()[s]);
                area_of[slot] = exact_area
                    .get(&(p, name))
                    .copied()
                    .or_else(|| catalog.area_id(p, name))
                    .map_or(BAD, |a| a.0);
            }
            let area = area_of[slot];
            if area == BAD {
                return Err(Stop::Problems);
            }
            if rank == Grade::Adequate.rank() && !allows_adequate[programme as usize] {
                return Err(Stop::Problems);
            }
            // areas are numbered programme by programme, so (force, area)
            // orders rows by force, programme and area
            keys.push(u64::from(force) << 32 | u64::from(area));
        }

        // Rows in (force, programme, area) order; a key twice is a grade
        // given twice.
        let order = sorted_order(&keys, catalog.forces.len());
        if order.windows(2).any(|w| keys[w[0] as usize] == keys[w[1] as usize]) {
            return Err(Stop::Problems);
        }

        // Announced counts, by (force, programme).
        let mut force_names: HashMap<&str, Option<ForceId>> = HashMap::default();
        let mut programme_names: HashMap<&str, Option<ProgrammeId>> = HashMap::default();
        let mut announced: Vec<(u64, usize)> = Vec::with_capacity(tables.counts.len());
        for (j, c) in tables.counts.iter().enumerate() {
            let force = *force_names.entry(&c.force).or_insert_with(|| force_id(&c.force));
            let programme =
                *programme_names.entry(&c.programme).or_insert_with(|| programme_id(&c.programme));
            let (Some(force), Some(programme)) = (force, programme) else {
                return Err(Stop::Problems);
            };
            announced.push((u64::from(force.0) << 32 | u64::from(programme.0), j));
        }
        announced.sort_unstable();
        if announced.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(Stop::Problems);
        }

        // Inspections in (force, programme) order, with their grades.
        let programme_of_area: Vec<u32> = catalog.areas.iter().map(|a| a.programme.0).collect();
        let inspection_key = |i: usize| {
            let k = keys[i];
            (k >> 32) << 32 | u64::from(programme_of_area[(k as u32) as usize])
        };
        let mut ds = Dataset { catalog, ..Dataset::default() };
        ds.grades.reserve_exact(n);
        let (mut r, mut c) = (0usize, 0usize);
        while r < n || c < announced.len() {
            let gk = order.get(r).map(|&i| inspection_key(i as usize));
            let ck = announced.get(c).map(|a| a.0);
            let key = match (gk, ck) {
                (Some(g), Some(a)) => g.min(a),
                (Some(k), None) | (None, Some(k)) => k,
                (None, None) => break,
            };
            let (force, programme) = (ForceId((key >> 32) as u32), ProgrammeId(key as u32));
            let id = InspectionId(ds.inspections.len() as u32);
            let mut insp = Inspection {
                id,
                force,
                programme,
                published: None,
                report_url: None,
                announced: None,
                grades: Vec::new(),
                score: None,
            };
            if ck == Some(key) {
                let rec = &tables.counts[announced[c].1];
                insp.published = rec.published;
                insp.report_url = rec.report_url.clone();
                insp.announced = Some(Announced {
                    counts: rec.counts,
                    graded_areas: rec.graded_areas,
                    source_url: rec.source_url.clone(),
                });
                c += 1;
            }
            let mut end = r;
            while end < n && gk.is_some() && inspection_key(order[end] as usize) == key {
                end += 1;
            }
            insp.grades.reserve_exact(end - r);
            while r < end {
                let i = order[r] as usize;
                let gid = GradeId(ds.grades.len() as u32);
                insp.grades.push(gid);
                let published = cols.published(i);
                if insp.announced.is_none() || insp.published.is_none() {
                    insp.published = insp.published.max(published);
                }
                ds.grades.push(GradeRow {
                    force,
                    programme,
                    area: AreaId(keys[i] as u32),
                    inspection: id,
                    published,
                    grade: cols.grade(i),
                    source_url: Arc::clone(&cols.strings()[cols.source_url(i) as usize]),
                    basis: cols.basis(i),
                });
                r += 1;
            }
            ds.inspections.push(insp);
        }
        ds.index();
        Ok(ds)
    }

    /// Builds [`Indexes`] from the rows and fills in the scores.
    fn index(&mut self) {
        let cat = &self.catalog;
        let mut idx = Indexes {
            latest: vec![None; cat.forces.len()],
            graded: Vec::with_capacity(self.inspections.len()),
            histogram: Vec::with_capacity(self.inspections.len()),
            programme_inspections: vec![0; cat.programmes.len()],
            programme_graded: vec![0; cat.programmes.len()],
            ..Indexes::default()
        };
        let mut starts = vec![0u32; cat.forces.len() + 1];
        for insp in &mut self.inspections {
            let mut histogram = [0u16; 5];
            let mut sum = 0u32;
            let mut graded = 0u16;
            for g in &insp.grades {
                if let Some(grade) = self.grades[g.index()].grade {
                    histogram[usize::from(grade.rank() - 1)] += 1;
                    sum += u32::from(grade.rank());
                    graded += 1;
                }
            }
            if graded > 0 {
                insp.score = Some(f64::from(sum) / f64::from(graded));
                // inspections are in (force, programme) order: the last graded one wins
                idx.latest[insp.force.index()] = Some(insp.id);
            }
            idx.graded.push(graded);
            idx.histogram.push(histogram);
            starts[insp.force.index() + 1] += 1;
            idx.programme_inspections[insp.programme.index()] += 1;
            idx.programme_graded[insp.programme.index()] += u32::from(graded);
        }
        for f in 0..cat.forces.len() {
            starts[f + 1] += starts[f];
        }
        idx.force_inspections = starts;

        // (inspection, area) -> grade row, one slot per area of the programme
        idx.area_place = vec![0; cat.areas.len()];
        for p in &cat.programmes {
            for (place, a) in p.areas.iter().enumerate() {
                idx.area_place[a.index()] = place as u32;
            }
        }
        idx.inspection_programme = self.inspections.iter().map(|i| i.programme).collect();
        idx.slot_start = Vec::with_capacity(self.inspections.len() + 1);
        let mut total = 0u32;
        for insp in &self.inspections {
            idx.slot_start.push(total);
            total += cat.programme(insp.programme).areas.len() as u32;
        }
        idx.slot_start.push(total);
        idx.slots = vec![NO_GRADE; total as usize];
        for (i, g) in self.grades.iter().enumerate() {
            let slot = idx.slot_start[g.inspection.index()] + idx.area_place[g.area.index()];
            idx.slots[slot as usize] = i as u32;
        }

        // grades by area, by (area, grade) and by (area, grade) of latest
        // inspections: count, then place, in two passes over the rows
        let areas = cat.areas.len();
        let slots = areas * GRADE_SLOTS;
        let mut starts = [vec![0u32; areas + 1], vec![0u32; slots + 1], vec![0u32; slots + 1]];
        let latest = &idx.latest;
        let keys = |g: &GradeRow| {
            let slot = g.area.index() * GRADE_SLOTS + grade_slot(g.grade);
            (g.area.index(), slot, latest[g.force.index()] == Some(g.inspection))
        };
        for g in &self.grades {
            let (area, slot, is_latest) = keys(g);
            starts[0][area + 1] += 1;
            starts[1][slot + 1] += 1;
            starts[2][slot + 1] += u32::from(is_latest);
        }
        for s in &mut starts {
            for k in 1..s.len() {
                s[k] += s[k - 1];
            }
        }
        let mut next = starts.clone();
        let mut ids: [Vec<GradeId>; 3] =
            [0, 1, 2].map(|i| vec![GradeId(0); *starts[i].last().unwrap_or(&0) as usize]);
        for (i, g) in self.grades.iter().enumerate() {
            let id = GradeId(i as u32);
            let (area, slot, is_latest) = keys(g);
            for (k, key) in [(0, area), (1, slot)] {
                ids[k][next[k][key] as usize] = id;
                next[k][key] += 1;
            }
            if is_latest {
                ids[2][next[2][slot] as usize] = id;
                next[2][slot] += 1;
            }
        }
        let [s0, s1, s2] = starts;
        let [i0, i1, i2] = ids;
        idx.by_area = Csr { starts: s0, ids: i0 };
        idx.by_area_grade = Csr { starts: s1, ids: i1 };
        idx.latest_by_area_grade = Csr { starts: s2, ids: i2 };
        self.idx = idx;
    }

    /// The records the data set was built from (for export). A data set
    /// opened from a store rebuilds them on first use.
    pub fn tables(&self) -> &Tables {
        self.tables.get_or_init(|| match &self.source {
            Some(s) => Tables { grades: s.grades.to_records(), ..s.rest.clone() },
            None => Tables::default(),
        })
    }

    /// A grade row.
    pub fn grade(&self, id: GradeId) -> &GradeRow {
        &self.grades[id.index()]
    }

    /// An inspection.
    pub fn inspection(&self, id: InspectionId) -> &Inspection {
        &self.inspections[id.index()]
    }

    /// The force's inspections, oldest programme first.
    pub fn inspections_of(&self, force: ForceId) -> &[Inspection] {
        let starts = &self.idx.force_inspections;
        match (starts.get(force.index()), starts.get(force.index() + 1)) {
            (Some(&a), Some(&b)) => &self.inspections[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The force's inspection in a programme, if it has one.
    pub fn inspection_of(&self, force: ForceId, programme: ProgrammeId) -> Option<InspectionId> {
        let starts = &self.idx.force_inspections;
        let (&a, &b) = (starts.get(force.index())?, starts.get(force.index() + 1)?);
        let list = &self.idx.inspection_programme[a as usize..b as usize];
        list.binary_search(&programme).ok().map(|k| InspectionId(a + k as u32))
    }

    /// The force's latest inspection with at least one grade.
    pub fn latest_inspection(&self, force: ForceId) -> Option<InspectionId> {
        self.idx.latest.get(force.index()).copied().flatten()
    }

    /// True when `inspection` is its force's latest graded inspection.
    pub fn is_latest(&self, inspection: InspectionId) -> bool {
        self.latest_inspection(self.inspection(inspection).force) == Some(inspection)
    }

    /// The grade row of `area` in an inspection, if recorded.
    pub fn grade_in(&self, inspection: InspectionId, area: AreaId) -> Option<&GradeRow> {
        let idx = &self.idx;
        if self.catalog.area(area).programme != idx.inspection_programme[inspection.index()] {
            return None;
        }
        let slot = idx.slot_start[inspection.index()] + idx.area_place[area.index()];
        match idx.slots[slot as usize] {
            NO_GRADE => None,
            id => Some(&self.grades[id as usize]),
        }
    }

    /// The programme of an inspection (from a compact list: cheaper than
    /// [`Dataset::inspection`] when scanning).
    pub fn programme_of(&self, inspection: InspectionId) -> ProgrammeId {
        self.idx.inspection_programme[inspection.index()]
    }

    /// Every grade row recorded for an area, in force order.
    pub fn grades_of_area(&self, area: AreaId) -> &[GradeId] {
        self.idx.by_area.get(area.index())
    }

    /// The grade rows of an area with exactly `grade` (`None`: not graded),
    /// in force order; of every inspection, or only of each force's latest.
    pub fn grades_of_area_with(&self, area: AreaId, grade: Option<Grade>, latest_only: bool) -> &[GradeId] {
        let key = area.index() * GRADE_SLOTS + grade_slot(grade);
        if latest_only { self.idx.latest_by_area_grade.get(key) } else { self.idx.by_area_grade.get(key) }
    }

    /// How many areas of an inspection have a grade.
    pub fn graded_count(&self, inspection: InspectionId) -> usize {
        usize::from(self.idx.graded[inspection.index()])
    }

    /// How many areas of an inspection got each grade, indexed by `rank - 1`.
    pub fn grade_counts(&self, inspection: InspectionId) -> [u16; 5] {
        self.idx.histogram[inspection.index()]
    }

    /// Inspections on record for a programme, and their grades that have a grade.
    pub fn programme_counts(&self, programme: ProgrammeId) -> (usize, usize) {
        let i = programme.index();
        (self.idx.programme_inspections[i] as usize, self.idx.programme_graded[i] as usize)
    }

    /// The force's previous graded inspection: its latest inspection with
    /// at least one grade in a programme before `programme`.
    pub fn previous_inspection(&self, force: ForceId, programme: ProgrammeId) -> Option<InspectionId> {
        let starts = &self.idx.force_inspections;
        let (&a, &b) = (starts.get(force.index())?, starts.get(force.index() + 1)?);
        // the force's inspections are in programme order
        (a..b)
            .rev()
            .find(|&i| {
                self.idx.inspection_programme[i as usize] < programme && self.idx.graded[i as usize] > 0
            })
            .map(InspectionId)
    }

    /// What `previous()` of `area` looks at for `force`: the force's
    /// previous graded inspection, and the area of the same theme in its
    /// programme. `None` when there is no earlier graded inspection, or its
    /// programme has no area of that theme.
    pub fn previous_of(&self, force: ForceId, area: AreaId) -> Option<(InspectionId, AreaId)> {
        let cat = &self.catalog;
        let here = cat.area(area);
        let before = self.previous_inspection(force, here.programme)?;
        let prev_area = cat.area_of_theme(here.theme, self.idx.inspection_programme[before.index()])?;
        Some((before, prev_area))
    }
}

/// `keys` (force << 32 | area) in ascending order, as row numbers: a
/// counting sort by force, then a sort within each force's (few) rows.
fn sorted_order(keys: &[u64], forces: usize) -> Vec<u32> {
    if keys.windows(2).all(|w| w[0] < w[1]) {
        return (0..keys.len() as u32).collect();
    }
    let mut starts = vec![0usize; forces + 1];
    for k in keys {
        starts[(k >> 32) as usize + 1] += 1;
    }
    for f in 0..forces {
        starts[f + 1] += starts[f];
    }
    let mut next = starts.clone();
    let mut order = vec![0u32; keys.len()];
    for (i, k) in keys.iter().enumerate() {
        let f = (k >> 32) as usize;
        order[next[f]] = i as u32;
        next[f] += 1;
    }
    for f in 0..forces {
        order[starts[f]..starts[f + 1]].sort_by_key(|&i| keys[i as usize]);
    }
    order
}

/// Every problem of the records, each with its CSV line, as one error: the
/// checks [`Dataset::assemble`] stops at, spelled out.
fn report_problems(tables: &Tables) -> Error {
    let catalog = match Catalog::build(tables) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let mut problems: Vec<String> = Vec::new();
    let mut seen: HashMap<(ForceId, AreaId), usize> = HashMap::default();
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
    }
    let mut announced: HashMap<(ForceId, ProgrammeId), ()> = HashMap::default();
    for (n, c) in tables.counts.iter().enumerate() {
        let row = n + 2;
        let (Some(force), Some(programme)) = (catalog.force_id(&c.force), catalog.programme_id(&c.programme))
        else {
            problems
                .push(format!("counts {row}: unknown force or programme {:?} / {:?}", c.force, c.programme));
            continue;
        };
        if announced.insert((force, programme), ()).is_some() {
            problems.push(format!("counts {row}: {} / {} has counts twice", c.force, c.programme));
        }
    }
    let total = problems.len();
    problems.truncate(20);
    Error::data(
        "peelql::data::invalid",
        format!("the data set has {total} problem(s):\n  {}", problems.join("\n  ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::files::DataFiles;

    fn bundled() -> Tables {
        DataFiles::bundled().to_tables().expect("bundled")
    }

    #[test]
    fn built_from_columns_equals_built_from_records() {
        let tables = bundled();
        let a = Dataset::build(tables.clone()).expect("build");
        let rest = Tables { grades: Vec::new(), ..tables.clone() };
        let b = Dataset::from_columns(rest, GradeColumns::from_records(&tables.grades)).expect("columns");
        assert_eq!(format!("{:?}", a.grades), format!("{:?}", b.grades));
        assert_eq!(format!("{:?}", a.inspections), format!("{:?}", b.inspections));
        assert_eq!(b.tables(), &tables);
        assert_eq!(a.tables(), &tables);
    }

    #[test]
    fn rows_in_any_order_make_the_same_data_set() {
        let tables = bundled();
        let mut shuffled = tables.clone();
        shuffled.grades.reverse();
        shuffled.counts.reverse();
        let a = Dataset::build(tables).expect("build");
        let b = Dataset::build(shuffled.clone()).expect("build reversed");
        assert_eq!(format!("{:?}", a.grades), format!("{:?}", b.grades));
        assert_eq!(format!("{:?}", a.inspections), format!("{:?}", b.inspections));
        assert_eq!(b.tables(), &shuffled);
    }

    #[test]
    fn indexes_agree_with_scans() {
        let ds = Dataset::build(bundled()).expect("build");
        for a in &ds.catalog.areas {
            let all: Vec<GradeId> =
                (0..ds.grades.len() as u32).map(GradeId).filter(|g| ds.grade(*g).area == a.id).collect();
            assert_eq!(ds.grades_of_area(a.id), &all[..]);
            for grade in std::iter::once(None).chain(Grade::ALL.map(Some)) {
                for latest in [false, true] {
                    let want: Vec<GradeId> = all
                        .iter()
                        .copied()
                        .filter(|g| ds.grade(*g).grade == grade)
                        .filter(|g| !latest || ds.is_latest(ds.grade(*g).inspection))
                        .collect();
                    assert_eq!(ds.grades_of_area_with(a.id, grade, latest), &want[..]);
                }
            }
        }
        for insp in &ds.inspections {
            assert_eq!(ds.inspection_of(insp.force, insp.programme), Some(insp.id));
            let graded = insp.grades.iter().filter(|g| ds.grade(**g).grade.is_some()).count();
            assert_eq!(ds.graded_count(insp.id), graded);
            for g in &insp.grades {
                let row = ds.grade(*g);
                assert_eq!(ds.grade_in(insp.id, row.area).map(|r| r.area), Some(row.area));
            }
        }
        for f in &ds.catalog.forces {
            let mine: Vec<InspectionId> =
                ds.inspections.iter().filter(|i| i.force == f.id).map(|i| i.id).collect();
            assert_eq!(ds.inspections_of(f.id).iter().map(|i| i.id).collect::<Vec<_>>(), mine);
        }
    }

    #[test]
    fn problems_are_reported_as_before() {
        let mut tables = bundled();
        tables.grades[3].force = "Nowhere Police".into();
        let dup = tables.grades[10].clone();
        tables.grades.push(dup);
        let err = Dataset::build(tables.clone()).expect_err("problems");
        assert!(err.message().contains("grade 5: unknown force \"Nowhere Police\""), "{}", err.message());
        assert!(err.message().contains("is graded twice (first at 12)"), "{}", err.message());
        assert!(err.message().starts_with("the data set has 2 problem(s)"), "{}", err.message());
        let rest = Tables { grades: Vec::new(), ..tables.clone() };
        let err2 =
            Dataset::from_columns(rest, GradeColumns::from_records(&tables.grades)).expect_err("problems");
        assert_eq!(err.message(), err2.message());
    }
}
