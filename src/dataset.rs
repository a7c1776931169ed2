//! The data set: the catalog, every grade, and each force's inspections,
//! with the indexes queries use.
//!
//! A data set lives in an *image* ([`image`]): its columns and indexes in
//! numbered sections, read only when a query first needs them. The image
//! is the same whether it was made in memory ([`Dataset::build`]), is the
//! bundled data compiled into the binary, or is a store's snapshot file,
//! so opening a store of ten million grades reads a few kilobytes and
//! question 1 of the benchmark reads only its answer's partitions.
//! Queries never go back to the store.
//!
//! # Indexes
//!
//! Computed once, when the image is made (`dataset/build.rs`), and stored with it:
//!
//! - grades by area, and by area and grade, for all inspections and for
//!   each force's latest one (`area("x") = g`, ranges, `grades where
//!   area(…)`): grade ids are numbered so that each of these is a range
//!   (see `dataset/parts.rs`);
//! - each force's inspections, in programme order (`previous(…)`: the
//!   force's previous graded inspection; its inspection in a programme);
//!   per area, each force's grade (the (inspection, area) → grade lookup);
//! - per inspection: graded areas and how many got each grade (`graded`,
//!   `count(area = g)`, `any area …`);
//! - per programme: inspections and grades on record.
//!
//! The records the data set was built from are kept too: [`Dataset::tables`]
//! reads them back when first asked (for export).

mod build;
mod bundled;
pub(crate) mod columns;
pub mod fire;
pub mod image;
pub mod monitoring;
mod parts;
pub(crate) mod streamed;
pub(crate) mod texts_hash;

pub(crate) use bundled::bundled_hash;
pub(crate) use bundled::fingerprint as image_fingerprint;
pub use image::Damaged;
pub use monitoring::{Monitoring, MoveRow};
pub use parts::SourceUrl;
pub(crate) use texts_hash::texts_hash;

use crate::catalog::model::{AreaRecord, Basis, ProgrammeRecord, Tables, ThemeRecord};
use crate::catalog::{AreaId, Catalog, ForceId, ProgrammeId, forces::Forces};
use crate::error::{Error, Result};
use crate::value::{Date, Grade};
use build::Stop;
use columns::GradeColumns;
use image::Image;
use parts::{NONE, Parts, SLOTS};
use rustc_hash::FxHashMap as HashMap;
use std::fmt;
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
#[derive(Clone, Debug, PartialEq)]
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
    /// The page it was read on (read from the data set's texts when first
    /// looked at; derefs to `&str`).
    pub source_url: SourceUrl,
    /// How it was established.
    pub basis: Basis,
}

/// The counts the inspectorate announced for a report.
#[derive(Clone, Debug, PartialEq)]
pub struct Announced {
    /// Areas at each grade, indexed by `rank - 1`.
    pub counts: [u8; 5],
    /// Graded areas announced.
    pub graded_areas: u8,
    /// Where the counts were read.
    pub source_url: String,
}

/// One force's inspection in one programme: the grades recorded for it.
#[derive(Clone, Debug, PartialEq)]
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

/// Every grade row of a data set, by [`GradeId`]: read from the image a
/// chunk at a time. Ids run area by area (see `dataset/parts.rs`); a query's
/// natural order of grade rows is (force, programme, area), which
/// [`Dataset::grade_order`] gives.
#[derive(Clone)]
pub struct GradeRows {
    parts: Arc<Parts>,
}

impl GradeRows {
    /// How many grade rows.
    pub fn len(&self) -> usize {
        self.parts.meta.grades as usize
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Grade row `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&GradeRow> {
        (i < self.len()).then(|| self.parts.grade(GradeId(i as u32)))
    }

    /// Every grade row, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &GradeRow> + '_ {
        (0..self.len() as u32).map(|i| self.parts.grade(GradeId(i)))
    }
}

impl std::ops::Index<usize> for GradeRows {
    type Output = GradeRow;

    fn index(&self, i: usize) -> &GradeRow {
        self.parts.grade(GradeId(i as u32))
    }
}

impl<'a> IntoIterator for &'a GradeRows {
    type Item = &'a GradeRow;
    type IntoIter = Box<dyn Iterator<Item = &'a GradeRow> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl fmt::Debug for GradeRows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Every inspection of a data set, by [`InspectionId`], in (force,
/// programme) order: read from the image a chunk at a time.
#[derive(Clone)]
pub struct Inspections {
    parts: Arc<Parts>,
}

impl Inspections {
    /// How many inspections.
    pub fn len(&self) -> usize {
        self.parts.meta.inspections as usize
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Inspection `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&Inspection> {
        (i < self.len()).then(|| self.parts.inspection(InspectionId(i as u32)))
    }

    /// Every inspection, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &Inspection> + '_ {
        (0..self.parts.inspection_chunk_count()).flat_map(|c| self.parts.inspection_chunk(c).iter())
    }
}

impl std::ops::Index<usize> for Inspections {
    type Output = Inspection;

    fn index(&self, i: usize) -> &Inspection {
        self.parts.inspection(InspectionId(i as u32))
    }
}

impl<'a> IntoIterator for &'a Inspections {
    type Item = &'a Inspection;
    type IntoIter = Box<dyn Iterator<Item = &'a Inspection> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl fmt::Debug for Inspections {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Everything a query runs over.
#[derive(Clone)]
pub struct Dataset {
    /// Forces, programmes, themes, areas.
    pub catalog: Catalog,
    /// Every grade row (ids area by area: see [`GradeRows`]).
    pub grades: GradeRows,
    /// Every inspection, in (force, programme) order.
    pub inspections: Inspections,
    parts: Arc<Parts>,
    /// Per area: its place among its programme's areas.
    area_place: Vec<u32>,
    latest_programmes: Vec<ProgrammeId>,
    /// The records, once read (at once when the data set was built from
    /// them).
    tables: OnceLock<Tables>,
    /// The moves into and out of Engage, once first asked for.
    monitoring: OnceLock<Arc<Monitoring>>,
    /// The fire and rescue half, once first asked for.
    fire: OnceLock<Arc<fire::Fire>>,
    /// Police, or fire for the fire half's own data set.
    kind: crate::catalog::Kind,
    /// The fire half's data set keeps the police catalog, to say where a
    /// name asked of the wrong kind belongs.
    counterpart: Option<Box<Catalog>>,
    /// Mergers of the fire half's services: (predecessor, successor).
    mergers: Vec<(ForceId, ForceId)>,
}

impl fmt::Debug for Dataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dataset")
            .field("image", &self.parts.image)
            .field("grades", &self.grades.len())
            .field("inspections", &self.inspections.len())
            .finish_non_exhaustive()
    }
}

impl Default for Dataset {
    fn default() -> Dataset {
        Dataset::build(Tables::default()).unwrap_or_else(|e| panic!("the empty data set: {e}"))
    }
}

impl Dataset {
    /// Builds the data set from records, checking every reference. All
    /// problems are reported together.
    pub fn build(tables: Tables) -> Result<Dataset> {
        let columns = GradeColumns::from_records(&tables.grades);
        let ds = Dataset::build_image(&tables, columns, 0, image_fingerprint(0))?;
        let _ = ds.tables.set(tables);
        Ok(ds)
    }

    /// [`Dataset::build`] without keeping the records: the grades are put
    /// in columns and their records dropped before the image is built, so
    /// a large import is not held as records and image at once. The
    /// records are rebuilt from the image if [`Dataset::tables`] is asked
    /// for them.
    pub fn build_compact(mut tables: Tables) -> Result<Dataset> {
        let columns = GradeColumns::from_records(&tables.grades);
        tables.grades = Vec::new();
        Dataset::build_image(&tables, columns, 0, image_fingerprint(0))
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
    #[cfg(test)]
    pub(crate) fn from_columns(rest: Tables, grades: GradeColumns) -> Result<Dataset> {
        Dataset::from_columns_at(&rest, grades, 0)
    }

    /// [`Dataset::from_columns`] without taking the other records, its
    /// image marked as made from the store's `generation` (a store's
    /// snapshot). The image is made in the columns' buffer.
    pub(crate) fn from_columns_at(rest: &Tables, grades: GradeColumns, generation: u64) -> Result<Dataset> {
        Dataset::build_image(rest, grades, generation, image_fingerprint(0))
    }

    fn build_image(
        rest: &Tables,
        grades: GradeColumns,
        generation: u64,
        fingerprint: u64,
    ) -> Result<Dataset> {
        check_tables(rest)?;
        match build::image(rest, grades, generation, fingerprint) {
            Ok(bytes) => {
                let image = Image::from_bytes(bytes).map_err(|e| unreadable("a data set just built", &e))?;
                Dataset::from_image(image)
            }
            Err((Stop::Failed(e), _)) => Err(e),
            Err((Stop::Problems, grades)) => {
                let tables = Tables { grades: grades.to_records(), ..rest.clone() };
                Err(report_problems(&tables))
            }
        }
    }

    /// The data set in an image: reads its meta and catalog sections now,
    /// everything else when first needed.
    pub(crate) fn from_image(image: Image) -> Result<Dataset> {
        let image = Arc::new(image);
        let bad = |what: &str, e: String| unreadable(what, &e);
        let meta: parts::Meta =
            postcard::from_bytes(&image.section(parts::META).map_err(|e| bad("its meta", e))?)
                .map_err(|e| bad("its meta", e.to_string()))?;
        let catalog_bytes = image.section(parts::CATALOG).map_err(|e| bad("its catalog", e))?;
        let (programmes, themes, areas): (Vec<ProgrammeRecord>, Vec<ThemeRecord>, Vec<AreaRecord>) =
            postcard::from_bytes(&catalog_bytes).map_err(|e| bad("its catalog", e.to_string()))?;
        if image.len() != meta.sections() || meta.areas() != areas.len() {
            return Err(bad("its layout", "the sections do not match its counts".into()));
        }
        let forces = Forces::in_image(
            Arc::clone(&image),
            meta.force_section(),
            parts::FORCE_NAMES,
            meta.forces as usize,
        );
        let catalog = Catalog::from_parts(forces, &programmes, &themes, &areas)?;
        let mut area_place = vec![0; catalog.areas.len()];
        for p in &catalog.programmes {
            for (place, a) in p.areas.iter().enumerate() {
                area_place[a.index()] = place as u32;
            }
        }
        let nprog = catalog.programmes.len() as u32;
        if meta.latest_programmes.iter().any(|&p| p >= nprog)
            || meta.programme_inspections.len() != nprog as usize
            || meta.programme_graded.len() != nprog as usize
        {
            return Err(bad("its programme counts", "they do not match the catalog".into()));
        }
        let latest_programmes = meta.latest_programmes.iter().map(|&p| ProgrammeId(p)).collect();
        let area_programme = catalog.areas.iter().map(|a| a.programme).collect();
        let parts = Arc::new(Parts::new(image, meta, area_programme));
        Ok(Dataset {
            catalog,
            grades: GradeRows { parts: Arc::clone(&parts) },
            inspections: Inspections { parts: Arc::clone(&parts) },
            parts,
            area_place,
            latest_programmes,
            tables: OnceLock::new(),
            monitoring: OnceLock::new(),
            fire: OnceLock::new(),
            kind: crate::catalog::Kind::Police,
            counterpart: None,
            mergers: Vec::new(),
        })
    }

    /// The data set in the snapshot file at `path`, opened without reading
    /// more than its directory.
    pub(crate) fn open_image(path: &std::path::Path) -> std::result::Result<Dataset, String> {
        let image = Image::open(path)?;
        Dataset::from_image(image).map_err(|e| e.message().to_owned())
    }

    /// The store generation the data set's image was made from (0 when
    /// it was not made from a store).
    pub fn generation(&self) -> u64 {
        self.parts.image.generation
    }

    /// The fingerprint the image carries (the bundled data's hash for the
    /// bundled image).
    pub(crate) fn fingerprint(&self) -> u64 {
        self.parts.image.fingerprint
    }

    /// The bytes of the data set's image, stamped with `generation`:
    /// what a store writes as its snapshot.
    pub(crate) fn image_bytes(&self, generation: u64) -> std::result::Result<Vec<u8>, String> {
        let mut bytes = self.parts.image.to_bytes()?;
        image::restamp(&mut bytes, generation);
        Ok(bytes)
    }

    /// The records the data set was built from (for export). A data set
    /// opened from an image reads them on first use.
    pub fn tables(&self) -> &Tables {
        self.tables.get_or_init(|| {
            let image = &self.parts.image;
            let rest: Tables = match postcard::from_bytes(&image.need(parts::TABLES, "the records")) {
                Ok(t) => t,
                Err(e) => image.damaged(&format!("the records: {e}")),
            };
            let bytes = image.need(parts::GRADE_COLUMNS, "the grade records").into_owned();
            let grades = match GradeColumns::from_bytes(bytes) {
                Ok(g) => g,
                Err(e) => image.damaged(&format!("the grade records: {e}")),
            };
            Tables { grades: grades.to_records(), ..rest }
        })
    }

    /// The bytes of the data set's image when it is in memory (not a
    /// snapshot file read as needed).
    pub(crate) fn image_in_memory(&self) -> Option<&[u8]> {
        self.parts.image.in_memory()
    }

    /// [`Dataset::compact_tables`] with the grade columns as their encoded
    /// bytes and row count, borrowed from the image when it is in memory
    /// (what a store writes, without a second copy of the grades).
    pub(crate) fn compact_parts(&self) -> (Tables, std::borrow::Cow<'_, [u8]>, usize) {
        if self.tables.get().is_some() {
            let (rest, grades) = self.compact_tables();
            let rows = grades.len();
            return (rest, std::borrow::Cow::Owned(grades.into_bytes()), rows);
        }
        let image = &self.parts.image;
        let rest: Tables = match postcard::from_bytes(&image.need(parts::TABLES, "the records")) {
            Ok(t) => t,
            Err(e) => image.damaged(&format!("the records: {e}")),
        };
        let bytes = image.need(parts::GRADE_COLUMNS, "the grade records");
        match GradeColumns::rows_in(&bytes) {
            Ok(rows) => (rest, bytes, rows),
            Err(e) => image.damaged(&format!("the grade records: {e}")),
        }
    }

    /// The records in the store's compact form: every table but the
    /// grades, and the grade columns (what a store writes).
    pub(crate) fn compact_tables(&self) -> (Tables, GradeColumns) {
        if let Some(t) = self.tables.get() {
            return (Tables { grades: Vec::new(), ..t.clone() }, GradeColumns::from_records(&t.grades));
        }
        let image = &self.parts.image;
        let rest: Tables = match postcard::from_bytes(&image.need(parts::TABLES, "the records")) {
            Ok(t) => t,
            Err(e) => image.damaged(&format!("the records: {e}")),
        };
        let bytes = image.need(parts::GRADE_COLUMNS, "the grade records").into_owned();
        match GradeColumns::from_bytes(bytes) {
            Ok(g) => (rest, g),
            Err(e) => image.damaged(&format!("the grade records: {e}")),
        }
    }

    /// The moves into and out of Engage, and what follows from them (read
    /// from the image's records when first asked for).
    pub fn monitoring(&self) -> &Monitoring {
        self.monitoring.get_or_init(|| {
            let moves = match self.tables.get() {
                Some(t) => t.monitoring.clone(),
                None => {
                    let image = &self.parts.image;
                    match postcard::from_bytes::<Tables>(&image.need(parts::TABLES, "the records")) {
                        Ok(t) => t.monitoring,
                        Err(e) => image.damaged(&format!("the records: {e}")),
                    }
                }
            };
            Arc::new(Monitoring::new(&moves, &self.catalog))
        })
    }

    /// A grade row.
    pub fn grade(&self, id: GradeId) -> &GradeRow {
        self.parts.grade(id)
    }

    /// The place of a grade row in the natural order of grade rows:
    /// (force, programme, area).
    pub fn grade_order(&self, id: GradeId) -> (u32, u32) {
        let g = self.grade(id);
        (g.force.0, g.area.0)
    }

    /// An inspection.
    pub fn inspection(&self, id: InspectionId) -> &Inspection {
        self.parts.inspection(id)
    }

    /// The force's inspections, oldest programme first.
    pub fn inspections_of(&self, force: ForceId) -> &[Inspection] {
        let starts = self.parts.force_inspections();
        match (starts.get(force.index()), starts.get(force.index() + 1)) {
            (Some(&a), Some(&b)) => self.parts.inspection_range(a, b),
            _ => &[],
        }
    }

    /// The force's inspection in a programme, if it has one.
    pub fn inspection_of(&self, force: ForceId, programme: ProgrammeId) -> Option<InspectionId> {
        let starts = self.parts.force_inspections();
        let (&a, &b) = (starts.get(force.index())?, starts.get(force.index() + 1)?);
        let list = &self.parts.programme_of()[a as usize..b as usize];
        let p = u16::try_from(programme.0).ok()?;
        list.binary_search(&p).ok().map(|k| InspectionId(a + k as u32))
    }

    /// The force's latest inspection with at least one grade.
    pub fn latest_inspection(&self, force: ForceId) -> Option<InspectionId> {
        self.parts.latest().get(force.index()).copied().filter(|&i| i != NONE).map(InspectionId)
    }

    /// The programmes of the forces' latest graded inspections, oldest
    /// first.
    pub fn latest_programmes(&self) -> &[ProgrammeId] {
        &self.latest_programmes
    }

    /// The force an inspection belongs to (cheaper than
    /// [`Dataset::inspection`] when scanning).
    pub fn force_of(&self, inspection: InspectionId) -> ForceId {
        self.parts.force_of(inspection)
    }

    /// True when `inspection` is its force's latest graded inspection.
    pub fn is_latest(&self, inspection: InspectionId) -> bool {
        self.latest_inspection(self.force_of(inspection)) == Some(inspection)
    }

    /// The grade row of `area` in an inspection, if recorded.
    pub fn grade_in(&self, inspection: InspectionId, area: AreaId) -> Option<&GradeRow> {
        if self.catalog.area(area).programme != self.programme_of(inspection) {
            return None;
        }
        let force = self.force_of(inspection);
        match self.parts.area_forces(area.index()).get(force.index()) {
            Some(&NONE) | None => None,
            Some(&id) => Some(self.grade(GradeId(id))),
        }
    }

    /// The programme of an inspection (from a compact list: cheaper than
    /// [`Dataset::inspection`] when scanning).
    pub fn programme_of(&self, inspection: InspectionId) -> ProgrammeId {
        ProgrammeId(u32::from(self.parts.programme_of()[inspection.index()]))
    }

    /// Every grade row recorded for an area, in force order.
    pub fn grades_of_area(&self, area: AreaId) -> &[GradeId] {
        self.parts.by_area(area.index())
    }

    /// The grade rows of an area with exactly `grade` (`None`: not graded),
    /// in force order; of every inspection, or only of each force's latest.
    pub fn grades_of_area_with(&self, area: AreaId, grade: Option<Grade>, latest_only: bool) -> &[GradeId] {
        let slot = grade.map_or(0, |g| usize::from(g.rank()));
        debug_assert!(slot < SLOTS);
        self.parts.by_area_grade(area.index(), slot, latest_only)
    }

    /// How many areas of an inspection have a grade.
    pub fn graded_count(&self, inspection: InspectionId) -> usize {
        usize::from(self.parts.graded()[inspection.index()])
    }

    /// An inspection's score: the mean of its graded areas on the 1–5
    /// scale ([`Inspection::score`], without reading the inspection).
    pub fn score(&self, inspection: InspectionId) -> Option<f64> {
        let h = self.grade_counts(inspection);
        let graded: u32 = h.iter().map(|&n| u32::from(n)).sum();
        let sum: u32 = h.iter().zip(1u32..).map(|(&n, rank)| u32::from(n) * rank).sum();
        (graded > 0).then(|| f64::from(sum) / f64::from(graded))
    }

    /// How many areas of an inspection got each grade, indexed by `rank - 1`.
    pub fn grade_counts(&self, inspection: InspectionId) -> [u16; 5] {
        self.parts.histogram()[inspection.index()]
    }

    /// Inspections on record for a programme, and their grades that have a grade.
    pub fn programme_counts(&self, programme: ProgrammeId) -> (usize, usize) {
        let i = programme.index();
        let meta = &self.parts.meta;
        (meta.programme_inspections[i] as usize, meta.programme_graded[i] as usize)
    }

    /// The force's previous graded inspection: its latest inspection with
    /// at least one grade in a programme before `programme`.
    pub fn previous_inspection(&self, force: ForceId, programme: ProgrammeId) -> Option<InspectionId> {
        let starts = self.parts.force_inspections();
        let (&a, &b) = (starts.get(force.index())?, starts.get(force.index() + 1)?);
        let (programme_of, graded) = (self.parts.programme_of(), self.parts.graded());
        // the force's inspections are in programme order
        (a..b)
            .rev()
            .find(|&i| u32::from(programme_of[i as usize]) < programme.0 && graded[i as usize] > 0)
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
        let prev_area = cat.area_of_theme(here.theme, self.programme_of(before))?;
        Some((before, prev_area))
    }

    /// An area's place among its programme's areas.
    pub fn area_place(&self, area: AreaId) -> usize {
        self.area_place[area.index()] as usize
    }
}

/// The problems of the moves into and out of Engage: unknown forces, and
/// moves out of order (see [`crate::catalog::monitoring`]).
fn monitoring_problems(tables: &Tables) -> Vec<String> {
    if tables.monitoring.is_empty() {
        return Vec::new();
    }
    let catalog = match Catalog::build(tables) {
        Ok(c) => c,
        // the catalog's own problems are reported by the build
        Err(_) => return Vec::new(),
    };
    let mut problems = Vec::new();
    let mut moves = Vec::new();
    let mut places = Vec::new();
    for (n, m) in tables.monitoring.iter().enumerate() {
        match catalog.force_id(&m.force) {
            Some(f) => {
                moves.push((catalog.force_name(f), m.event, m.date));
                places.push(n);
            }
            None => problems.push(format!("move {}: unknown force {:?}", n + 1, m.force)),
        }
    }
    for (i, _, message) in
        crate::catalog::monitoring::sequence_problems(&moves, &[], &|i| format!("move {}", places[i] + 1))
    {
        problems.push(format!("move {}: {message}", places[i] + 1));
    }
    problems
}

/// The data set's problems as one error.
fn problems_error(mut problems: Vec<String>) -> Error {
    let total = problems.len();
    problems.truncate(20);
    Error::data(
        "peelql::data::invalid",
        format!("the data set has {total} problem(s):\n  {}", problems.join("\n  ")),
    )
}

/// The checks of the records other than the grades a data set is built
/// from: moves into and out of Engage, and the fire half.
fn check_tables(rest: &Tables) -> Result<()> {
    let moves = monitoring_problems(rest);
    if !moves.is_empty() {
        return Err(problems_error(moves));
    }
    fire::fire_problems(rest)
}

fn unreadable(what: &str, e: &str) -> Error {
    Error::store(crate::store::code::CORRUPT, format!("a data set image cannot be read: {what}: {e}"))
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
    fn the_image_holds_each_source_page_once() {
        // source pages made long, each its own: the image grows by their
        // length once (its text chunks are ranges of the grade columns),
        // not twice as in layout 1
        let tables = bundled();
        let mut long = tables.clone();
        let mut added = 0;
        for (i, g) in long.grades.iter_mut().enumerate() {
            let tail = format!("?page={i}&{}", "y".repeat(2_000));
            added += tail.len();
            g.source_url.push_str(&tail);
        }
        let size = |t: &Tables| {
            let ds = Dataset::build_compact(t.clone()).expect("build");
            ds.image_in_memory().expect("in memory").len()
        };
        let grown = size(&long) - size(&tables);
        assert!(
            grown >= added && grown < added + added / 20,
            "{added} bytes of pages grew the image by {grown}"
        );
        // and every page reads back from the text chunks as it was
        let ds = Dataset::build_compact(long.clone()).expect("build");
        let mut read: Vec<String> = ds.grades.iter().map(|g| g.source_url.to_string()).collect();
        let mut given: Vec<String> = long.grades.iter().map(|g| g.source_url.clone()).collect();
        read.sort();
        given.sort();
        assert_eq!(read, given);
    }

    #[test]
    fn a_layout_1_snapshot_still_reads() {
        // written by an older build (store format 5), its texts copies in
        // postcard chunks
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/store-format-5/store/snapshot.pqs");
        let ds = Dataset::open_image(&path).expect("a layout 1 snapshot opens");
        assert_eq!(ds.parts.image.version, 1);
        // (its records are of that build's types: only its texts are read)
        let read: Vec<String> = ds.grades.iter().map(|g| g.source_url.to_string()).collect();
        assert!(read.iter().all(|p| p.starts_with("http")), "{read:?}");
        for page in ["cheshire-preventing", "cheshire-investigating", "kent-correction"] {
            let page = format!("https://example.org/fixture/{page}");
            assert_eq!(read.iter().filter(|p| **p == page).count(), 1, "{page}");
        }
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
            // in force order (ids run by grade within an area)
            let mut all: Vec<GradeId> =
                (0..ds.grades.len() as u32).map(GradeId).filter(|g| ds.grade(*g).area == a.id).collect();
            all.sort_by_key(|g| ds.grade_order(*g));
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
