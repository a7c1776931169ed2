//! The parts of a data set read from its image on first use: index
//! arrays, per-area partitions, grade rows and inspections in chunks, and
//! the source pages' texts.
//!
//! # Sections of the image
//!
//! | section | what |
//! |---|---|
//! | [`META`] | postcard [`Meta`]: counts, each area's partition bounds, programme counts |
//! | [`CATALOG`] | postcard programmes, themes and areas, in catalog order |
//! | [`FORCE_INSPECTIONS`] | `u32` × forces + 1: where each force's inspections start |
//! | [`LATEST`] | `u32` × forces: each force's latest graded inspection (`u32::MAX`: none) |
//! | [`PROGRAMME_OF`] | `u16` × inspections: each inspection's programme |
//! | [`GRADED`] | `u16` × inspections: areas with a grade |
//! | [`HISTOGRAM`] | `u16` × 5 × inspections: areas at each rank |
//! | [`TABLES`] | postcard [`Tables`] without grades: the records, for export |
//! | [`GRADE_COLUMNS`] | the grade records in columns ([`super::columns`]), in their order |
//! | [`FORCE_NAMES`] | `u32` × forces + 1 offsets, then the forces' official names back to back |
//! | area `a` ([`Meta::area_section`]) | `u32` × forces: force → its grade id in `a` (`u32::MAX`: none) |
//! | grade chunks | [`GRADE_CHUNK`] rows × 18 bytes: force, inspection, date, basis, source page |
//! | inspection chunks | postcard list of [`InspectionRecord`], whole forces per chunk |
//! | force chunks | postcard list of force records ([`crate::catalog::forces`]) |
//! | text chunks | [`TEXT_CHUNK`] strings, each a `u32` length and its UTF-8 bytes: a range of [`GRADE_COLUMNS`]'s strings (the sections overlap), so each is held once |
//!
//! # Grade ids
//!
//! Grade rows are numbered area by area (so programme by programme); within
//! an area by grade slot (not graded, then ranks 1–5), within a slot the
//! rows of each force's latest inspection first, and within those by force.
//! So the rows of one area are one range, the rows an index on (area,
//! grade) of latest inspections returns are one range, and question 1
//! reads exactly the grade chunks of its answer.

use super::image::{Image, le};
use super::{Announced, GradeId, GradeRow, Inspection, InspectionId};
use crate::catalog::model::Basis;
use crate::catalog::{AreaId, ForceId, ProgrammeId};
use crate::value::{Date, Grade};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::{Arc, OnceLock};

/// Section numbers of the image's fixed sections.
pub(crate) const META: usize = 0;
pub(crate) const CATALOG: usize = 1;
pub(crate) const FORCE_INSPECTIONS: usize = 2;
pub(crate) const LATEST: usize = 3;
pub(crate) const PROGRAMME_OF: usize = 4;
pub(crate) const GRADED: usize = 5;
pub(crate) const HISTOGRAM: usize = 6;
pub(crate) const TABLES: usize = 7;
pub(crate) const GRADE_COLUMNS: usize = 8;
pub(crate) const FORCE_NAMES: usize = 9;
/// The first section after the fixed ones.
pub(crate) const FIXED: usize = 10;

/// Grade rows per chunk.
pub(crate) const GRADE_CHUNK: usize = 1024;
/// Inspections per chunk, about (chunks end at a force's last one).
pub(crate) const INSPECTION_CHUNK: usize = 512;
/// Texts per chunk.
pub(crate) const TEXT_CHUNK: usize = 256;
/// Bytes of one grade row in a chunk.
pub(crate) const GRADE_BYTES: usize = 18;

/// Grade slots per area: not graded, then ranks 1–5.
pub(crate) const SLOTS: usize = 6;
/// Bounds per area: its start, then for each slot the end of its latest
/// rows and the end of the slot.
pub(crate) const BOUNDS: usize = 1 + 2 * SLOTS;

/// No grade id, inspection or force here.
pub(crate) const NONE: u32 = u32::MAX;

/// What the image says about itself: counts and where things are.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Meta {
    pub grades: u32,
    pub inspections: u32,
    pub forces: u32,
    pub texts: u32,
    /// Per area, [`BOUNDS`] grade ids.
    pub bounds: Vec<u32>,
    /// Where each inspection chunk starts, and the number of inspections.
    pub inspection_chunks: Vec<u32>,
    /// The programmes of the forces' latest graded inspections, oldest first.
    pub latest_programmes: Vec<u32>,
    /// Per programme: inspections on record.
    pub programme_inspections: Vec<u32>,
    /// Per programme: grades on record that have a grade.
    pub programme_graded: Vec<u32>,
}

impl Meta {
    pub fn areas(&self) -> usize {
        self.bounds.len() / BOUNDS
    }
    pub fn area_section(&self, area: usize) -> usize {
        FIXED + area
    }
    pub fn grade_chunks(&self) -> usize {
        (self.grades as usize).div_ceil(GRADE_CHUNK)
    }
    pub fn grade_section(&self, chunk: usize) -> usize {
        FIXED + self.areas() + chunk
    }
    pub fn inspection_section(&self, chunk: usize) -> usize {
        self.grade_section(self.grade_chunks()) + chunk
    }
    pub fn force_section(&self) -> usize {
        self.inspection_section(self.inspection_chunks.len().saturating_sub(1))
    }
    pub fn text_section(&self, chunk: usize) -> usize {
        self.force_section() + (self.forces as usize).div_ceil(crate::catalog::forces::CHUNK) + chunk
    }
    pub fn sections(&self) -> usize {
        self.text_section((self.texts as usize).div_ceil(TEXT_CHUNK))
    }
    /// Bound `k` of area `a`.
    pub fn bound(&self, a: usize, k: usize) -> u32 {
        self.bounds[a * BOUNDS + k]
    }
    /// The area of grade id `id` (areas' rows are consecutive ranges).
    pub fn area_of(&self, id: u32) -> usize {
        let n = self.areas();
        // the last area whose start is at or before `id`
        let (mut lo, mut hi) = (0usize, n);
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if self.bound(mid, 0) <= id { lo = mid } else { hi = mid }
        }
        lo
    }
    /// The grade slot of grade id `id` in area `a`.
    pub fn slot_of(&self, a: usize, id: u32) -> usize {
        (0..SLOTS).find(|s| id < self.bound(a, 2 + 2 * s)).unwrap_or(SLOTS - 1)
    }
}

/// One inspection as its chunk stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct InspectionRecord {
    pub published: Option<Date>,
    pub report_url: Option<String>,
    pub announced: Option<(u8, u8, u8, u8, u8, u8, String)>,
    pub grades: Vec<u32>,
}

/// A chunk of texts.
type Texts = Box<[Box<str>]>;

/// Everything of a data set that is read from its image on demand.
pub(crate) struct Parts {
    pub image: Arc<Image>,
    pub meta: Meta,
    /// Per area: its programme.
    pub area_programme: Vec<ProgrammeId>,
    force_inspections: OnceLock<Vec<u32>>,
    latest: OnceLock<Vec<u32>>,
    programme_of: OnceLock<Vec<u16>>,
    graded: OnceLock<Vec<u16>>,
    histogram: OnceLock<Vec<[u16; 5]>>,
    area_forces: Box<[OnceLock<Vec<u32>>]>,
    by_area: Box<[OnceLock<Vec<GradeId>>]>,
    by_area_grade: Box<[OnceLock<Vec<GradeId>>]>,
    latest_by_area_grade: Box<[OnceLock<Vec<GradeId>>]>,
    grade_chunks: Box<[OnceLock<Box<[GradeRow]>>]>,
    inspection_chunks: Box<[OnceLock<Box<[Inspection]>>]>,
    text_chunks: Box<[OnceLock<Texts>]>,
}

impl fmt::Debug for Parts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parts").field("image", &self.image).finish_non_exhaustive()
    }
}

fn locks<T>(n: usize) -> Box<[OnceLock<T>]> {
    (0..n).map(|_| OnceLock::new()).collect()
}

impl Parts {
    pub fn new(image: Arc<Image>, meta: Meta, area_programme: Vec<ProgrammeId>) -> Parts {
        let areas = meta.areas();
        Parts {
            area_forces: locks(areas),
            by_area: locks(areas),
            by_area_grade: locks(areas * SLOTS),
            latest_by_area_grade: locks(areas * SLOTS),
            grade_chunks: locks(meta.grade_chunks()),
            inspection_chunks: locks(meta.inspection_chunks.len().saturating_sub(1)),
            text_chunks: locks((meta.texts as usize).div_ceil(TEXT_CHUNK)),
            force_inspections: OnceLock::new(),
            latest: OnceLock::new(),
            programme_of: OnceLock::new(),
            graded: OnceLock::new(),
            histogram: OnceLock::new(),
            image,
            meta,
            area_programme,
        }
    }

    fn u32s(&self, section: usize, len: usize, what: &str) -> Vec<u32> {
        match le::u32s(&self.image.need(section, what)) {
            Some(v) if v.len() == len => v,
            _ => self.image.damaged(&format!("{what}: not {len} numbers")),
        }
    }

    fn u16s(&self, section: usize, len: usize, what: &str) -> Vec<u16> {
        match le::u16s(&self.image.need(section, what)) {
            Some(v) if v.len() == len => v,
            _ => self.image.damaged(&format!("{what}: not {len} numbers")),
        }
    }

    /// Where each force's inspections start (one more than forces).
    pub fn force_inspections(&self) -> &[u32] {
        self.force_inspections.get_or_init(|| {
            let v = self.u32s(FORCE_INSPECTIONS, self.meta.forces as usize + 1, "the forces' inspections");
            if v.windows(2).any(|w| w[0] > w[1]) || v.last() != Some(&self.meta.inspections) {
                self.image.damaged("the forces' inspections are out of order");
            }
            v
        })
    }

    /// Each force's latest graded inspection, or [`NONE`].
    pub fn latest(&self) -> &[u32] {
        self.latest.get_or_init(|| self.u32s(LATEST, self.meta.forces as usize, "the latest inspections"))
    }

    /// Each inspection's programme.
    pub fn programme_of(&self) -> &[u16] {
        self.programme_of.get_or_init(|| {
            self.u16s(PROGRAMME_OF, self.meta.inspections as usize, "the inspections' programmes")
        })
    }

    /// Each inspection's graded areas.
    pub fn graded(&self) -> &[u16] {
        self.graded.get_or_init(|| self.u16s(GRADED, self.meta.inspections as usize, "the graded counts"))
    }

    /// Each inspection's areas at each rank.
    pub fn histogram(&self) -> &[[u16; 5]] {
        self.histogram.get_or_init(|| {
            let flat = self.u16s(HISTOGRAM, self.meta.inspections as usize * 5, "the grade counts");
            flat.chunks_exact(5).map(|c| [c[0], c[1], c[2], c[3], c[4]]).collect()
        })
    }

    /// The force of an inspection (inspections are in force order).
    pub fn force_of(&self, inspection: InspectionId) -> ForceId {
        let starts = self.force_inspections();
        ForceId((starts.partition_point(|&s| s <= inspection.0) - 1) as u32)
    }

    /// Per force: its grade id in `area`, or [`NONE`].
    pub fn area_forces(&self, area: usize) -> &[u32] {
        self.area_forces[area].get_or_init(|| {
            let v = self.u32s(self.meta.area_section(area), self.meta.forces as usize, "an area's grades");
            let (lo, hi) = (self.meta.bound(area, 0), self.meta.bound(area, BOUNDS - 1));
            if v.iter().any(|&g| g != NONE && !(lo..hi).contains(&g)) {
                self.image.damaged("an area's grades point outside the area");
            }
            v
        })
    }

    /// Every grade id of `area`, in force order.
    pub fn by_area(&self, area: usize) -> &[GradeId] {
        self.by_area[area].get_or_init(|| {
            self.area_forces(area).iter().filter(|&&g| g != NONE).map(|&g| GradeId(g)).collect()
        })
    }

    /// The grade ids of `area` in grade slot `slot`, in force order: of
    /// every inspection, or only of each force's latest one.
    pub fn by_area_grade(&self, area: usize, slot: usize, latest_only: bool) -> &[GradeId] {
        let start = self.meta.bound(area, 2 * slot);
        let (mid, end) = (self.meta.bound(area, 2 * slot + 1), self.meta.bound(area, 2 * slot + 2));
        if latest_only {
            self.latest_by_area_grade[area * SLOTS + slot].get_or_init(|| (start..mid).map(GradeId).collect())
        } else {
            self.by_area_grade[area * SLOTS + slot].get_or_init(|| {
                let forces = self.area_forces(area);
                forces
                    .iter()
                    .filter(|&&g| g != NONE && (start..end).contains(&g))
                    .map(|&g| GradeId(g))
                    .collect()
            })
        }
    }

    /// Grade row `id`.
    pub fn grade(self: &Arc<Self>, id: GradeId) -> &GradeRow {
        let (c, k) = (id.index() / GRADE_CHUNK, id.index() % GRADE_CHUNK);
        match self.grade_chunks.get(c) {
            Some(chunk) => &chunk.get_or_init(|| self.read_grades(c))[k],
            None => panic!("grade {} of {}", id.0, self.meta.grades),
        }
    }

    fn read_grades(self: &Arc<Self>, c: usize) -> Box<[GradeRow]> {
        let bytes = self.image.need(self.meta.grade_section(c), "a chunk of grades");
        let first = (c * GRADE_CHUNK) as u32;
        let n = GRADE_CHUNK.min(self.meta.grades as usize - c * GRADE_CHUNK);
        if bytes.len() != n * GRADE_BYTES {
            self.image.damaged("a chunk of grades has the wrong length");
        }
        let mut area = self.meta.area_of(first);
        let mut out = Vec::with_capacity(n);
        for (k, r) in bytes.chunks_exact(GRADE_BYTES).enumerate() {
            let id = first + k as u32;
            while area + 1 < self.meta.areas() && self.meta.bound(area + 1, 0) <= id {
                area += 1;
            }
            let slot = self.meta.slot_of(area, id);
            let u32_at = |at: usize| u32::from_le_bytes([r[at], r[at + 1], r[at + 2], r[at + 3]]);
            let (force, inspection, text) = (u32_at(0), u32_at(4), u32_at(14));
            if force >= self.meta.forces || inspection >= self.meta.inspections || text >= self.meta.texts {
                self.image.damaged("a grade row refers to something that is not there");
            }
            out.push(GradeRow {
                force: ForceId(force),
                programme: self.area_programme[area],
                area: AreaId(area as u32),
                inspection: InspectionId(inspection),
                published: decode_date(&r[8..13]),
                grade: Grade::from_rank(slot as u8),
                source_url: SourceUrl { parts: Arc::clone(self), id: text },
                basis: decode_basis(r[13]),
            });
        }
        out.into_boxed_slice()
    }

    /// The chunk holding inspection `id`, and `id`'s place in it.
    fn inspection_place(&self, id: u32) -> (usize, usize) {
        let starts = &self.meta.inspection_chunks;
        let c = starts.partition_point(|&s| s <= id) - 1;
        (c, (id - starts[c]) as usize)
    }

    /// Inspection `id`.
    pub fn inspection(&self, id: InspectionId) -> &Inspection {
        let (c, k) = self.inspection_place(id.0);
        &self.inspection_chunk(c)[k]
    }

    /// The inspections `from..to`, which must all be of one force.
    pub fn inspection_range(&self, from: u32, to: u32) -> &[Inspection] {
        if from >= to {
            return &[];
        }
        let (c, k) = self.inspection_place(from);
        &self.inspection_chunk(c)[k..k + (to - from) as usize]
    }

    pub fn inspection_chunk(&self, c: usize) -> &[Inspection] {
        self.inspection_chunks[c].get_or_init(|| self.read_inspections(c))
    }

    pub fn inspection_chunk_count(&self) -> usize {
        self.inspection_chunks.len()
    }

    fn read_inspections(&self, c: usize) -> Box<[Inspection]> {
        let bytes = self.image.need(self.meta.inspection_section(c), "a chunk of inspections");
        let records: Vec<InspectionRecord> = match postcard::from_bytes(&bytes) {
            Ok(r) => r,
            Err(e) => self.image.damaged(&format!("a chunk of inspections: {e}")),
        };
        let first = self.meta.inspection_chunks[c];
        let want = (self.meta.inspection_chunks[c + 1] - first) as usize;
        if records.len() != want {
            self.image.damaged("a chunk of inspections has the wrong length");
        }
        let (programme_of, histogram) = (self.programme_of(), self.histogram());
        let mut force = if want > 0 { self.force_of(InspectionId(first)).0 } else { 0 };
        let starts = self.force_inspections();
        records
            .into_iter()
            .enumerate()
            .map(|(k, r)| {
                let id = first + k as u32;
                while starts[force as usize + 1] <= id {
                    force += 1;
                }
                let h = histogram[id as usize];
                let graded: u32 = h.iter().map(|&n| u32::from(n)).sum();
                let sum: u32 = h.iter().zip(1u32..).map(|(&n, rank)| u32::from(n) * rank).sum();
                if r.grades.iter().any(|&g| g >= self.meta.grades) {
                    self.image.damaged("an inspection refers to a grade that is not there");
                }
                Inspection {
                    id: InspectionId(id),
                    force: ForceId(force),
                    programme: ProgrammeId(u32::from(programme_of[id as usize])),
                    published: r.published,
                    report_url: r.report_url,
                    announced: r.announced.map(|(a, b, c, d, e, graded_areas, source_url)| Announced {
                        counts: [a, b, c, d, e],
                        graded_areas,
                        source_url,
                    }),
                    grades: r.grades.into_iter().map(GradeId).collect(),
                    score: (graded > 0).then(|| f64::from(sum) / f64::from(graded)),
                }
            })
            .collect()
    }

    /// Text `id` (a source page).
    pub fn text(&self, id: u32) -> &str {
        let (c, k) = (id as usize / TEXT_CHUNK, id as usize % TEXT_CHUNK);
        let chunk = self.text_chunks[c].get_or_init(|| {
            let bytes = self.image.need(self.meta.text_section(c), "a chunk of texts");
            let count = TEXT_CHUNK.min((self.meta.texts as usize).saturating_sub(c * TEXT_CHUNK));
            let texts = if self.image.version == 1 {
                // layout 1: a postcard list, a copy of the strings
                postcard::from_bytes::<Vec<String>>(&bytes).map_err(|e| e.to_string()).and_then(|t| {
                    (t.len() == count)
                        .then(|| t.into_iter().map(String::into_boxed_str).collect())
                        .ok_or_else(|| "it has the wrong length".to_owned())
                })
            } else {
                super::columns::GradeColumns::parse_strings(&bytes, count)
            };
            match texts {
                Ok(texts) => texts.into_boxed_slice(),
                Err(e) => self.image.damaged(&format!("a chunk of texts: {e}")),
            }
        });
        &chunk[k]
    }
}

/// A grade row's source page: read from the data set's texts when first
/// looked at. Reads as a `&str`.
#[derive(Clone)]
pub struct SourceUrl {
    parts: Arc<Parts>,
    id: u32,
}

impl std::ops::Deref for SourceUrl {
    type Target = str;

    fn deref(&self) -> &str {
        self.parts.text(self.id)
    }
}

impl fmt::Debug for SourceUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for SourceUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl PartialEq for SourceUrl {
    fn eq(&self, other: &SourceUrl) -> bool {
        **self == **other
    }
}

/// A date in 5 bytes: parts known (1 date, 2 month, 4 day), year, month, day.
pub(crate) fn encode_date(out: &mut Vec<u8>, d: Option<Date>) {
    let (tag, year, month, day) = match d {
        None => (0u8, 0u16, 0u8, 0u8),
        Some(d) => (
            1 | u8::from(d.month.is_some()) << 1 | u8::from(d.day.is_some()) << 2,
            d.year,
            d.month.unwrap_or(0),
            d.day.unwrap_or(0),
        ),
    };
    out.push(tag);
    out.extend_from_slice(&year.to_le_bytes());
    out.push(month);
    out.push(day);
}

fn decode_date(c: &[u8]) -> Option<Date> {
    (c[0] & 1 == 1).then(|| Date {
        year: u16::from_le_bytes([c[1], c[2]]),
        month: (c[0] & 2 != 0).then_some(c[3]),
        day: (c[0] & 4 != 0).then_some(c[4]),
    })
}

pub(crate) fn encode_basis(b: Basis) -> u8 {
    match b {
        Basis::Stated => 0,
        Basis::Elimination => 1,
        Basis::Inferred => 2,
    }
}

fn decode_basis(b: u8) -> Basis {
    match b {
        0 => Basis::Stated,
        1 => Basis::Elimination,
        _ => Basis::Inferred,
    }
}
