//! Building a data set's image from records: every name checked and
//! turned into ids, rows put in (force, programme, area) order, the
//! inspections and indexes computed, and everything laid out in sections
//! ([`super::parts`]).

use super::columns::GradeColumns;
use super::image::{Image, le};
use super::parts::{
    self, BOUNDS, FIXED, GRADE_BYTES, GRADE_CHUNK, INSPECTION_CHUNK, InspectionRecord, Meta, NONE, SLOTS,
    TEXT_CHUNK,
};
use super::streamed::ColumnSource;
use super::texts_hash::PieceHash;
use crate::catalog::model::Tables;
use crate::catalog::{Catalog, ForceId, ProgrammeId, forces::Forces};
use crate::error::Error;
use crate::value::Grade;
use rustc_hash::FxHashMap as HashMap;

/// Why the build stopped.
pub(super) enum Stop {
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

/// One inspection while building.
struct Insp {
    force: u32,
    programme: u32,
    published: Option<crate::value::Date>,
    /// The counts record, by its place in `tables.counts`.
    counts: Option<usize>,
    /// Its rows (places in the columns), in area order.
    rows: Vec<u32>,
    graded: u16,
    histogram: [u16; 5],
}

/// The image of the data set of `tables` (its grades ignored) and the
/// grade columns; stops at the first problem, which the caller then
/// describes with all the others (the columns are given back for that).
///
/// The image is made in the columns' own buffer: the grade columns'
/// section is those bytes, moved up to make room for the header, and the
/// text chunks are ranges of it, so a large import holds its strings once.
pub(super) fn image(
    tables: &Tables,
    cols: GradeColumns,
    generation: u64,
    fingerprint: u64,
) -> Result<Vec<u8>, (Stop, GradeColumns)> {
    match sections(tables, &cols) {
        Ok(w) => Ok(w.finish(cols.into_bytes(), generation, fingerprint)),
        Err(stop) => Err((stop, cols)),
    }
}

/// Every section of the image but the grade columns' bytes themselves.
pub(super) fn sections(tables: &Tables, cols: &dyn ColumnSource) -> Result<Writer, Stop> {
    let catalog = Catalog::build(tables)?;
    if catalog.programmes.len() > usize::from(u16::MAX) {
        return Err(Stop::Failed(Error::data(
            "peelql::data::invalid_catalog",
            format!(
                "the catalog has {} programmes; at most {} are supported",
                catalog.programmes.len(),
                u16::MAX
            ),
        )));
    }
    let n = cols.rows();
    const UNSET: u32 = u32::MAX;
    const BAD: u32 = u32::MAX - 1;

    // Names to ids, once per distinct string: the official name as it is,
    // else any name or alias the catalog knows (normalised).
    let forces: Vec<&crate::catalog::Force> = catalog.forces.iter().collect();
    let exact_force: HashMap<&str, ForceId> = forces.iter().map(|f| (f.name.as_str(), f.id)).collect();
    let exact_programme: HashMap<&str, ProgrammeId> =
        catalog.programmes.iter().map(|p| (p.name.as_str(), p.id)).collect();
    let exact_area: HashMap<(ProgrammeId, &str), crate::catalog::AreaId> =
        catalog.areas.iter().map(|a| ((a.programme, a.name.as_str()), a.id)).collect();
    let force_id = |name: &str| exact_force.get(name).copied().or_else(|| catalog.force_id(name));
    let programme_id = |name: &str| exact_programme.get(name).copied().or_else(|| catalog.programme_id(name));
    let nstr = cols.string_count();
    let mut force_of = vec![UNSET; nstr];
    let mut programme_of = vec![UNSET; nstr];
    let nprog = catalog.programmes.len();
    let mut area_local = vec![UNSET; nstr];
    let mut area_of: Vec<u32> = Vec::new();
    let mut keys: Vec<u64> = Vec::with_capacity(n);
    let allows_adequate: Vec<bool> =
        catalog.programmes.iter().map(|p| p.scale.allows(Grade::Adequate)).collect();
    let rows = cols.ids(0).zip(cols.ids(1)).zip(cols.ids(2)).zip(cols.ranks());
    let mut locals = 0u32;
    for (((fs, ps), s), &rank) in rows {
        let (fs, ps, s) = (fs as usize, ps as usize, s as usize);
        if force_of[fs] == UNSET {
            force_of[fs] = force_id(cols.string(fs as u32)).map_or(BAD, |f| f.0);
        }
        if programme_of[ps] == UNSET {
            programme_of[ps] = programme_id(cols.string(ps as u32)).map_or(BAD, |p| p.0);
        }
        let (force, programme) = (force_of[fs], programme_of[ps]);
        if force == BAD || programme == BAD {
            return Err(Stop::Problems);
        }
        if area_local[s] == UNSET {
            area_local[s] = locals;
            locals += 1;
            area_of.extend(std::iter::repeat_n(UNSET, nprog));
        }
        let slot = area_local[s] as usize * nprog + programme as usize;
        if area_of[slot] == UNSET {
            let (p, name) = (ProgrammeId(programme), cols.string(s as u32));
            area_of[slot] =
                exact_area.get(&(p, name)).copied().or_else(|| catalog.area_id(p, name)).map_or(BAD, |a| a.0);
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
    let order = sorted_order(&keys, forces.len());
    if order.windows(2).any(|w| keys[w[0] as usize] == keys[w[1] as usize]) {
        return Err(Stop::Problems);
    }

    // Announced counts, by (force, programme).
    let mut force_names: HashMap<&str, Option<ForceId>> = HashMap::default();
    let mut programme_names: HashMap<&str, Option<ProgrammeId>> = HashMap::default();
    let mut announced: Vec<(u64, usize)> = Vec::with_capacity(tables.counts.len());
    for (j, c) in tables.counts.iter().enumerate() {
        let force = *force_names.entry(&c.force).or_insert_with(|| force_id(&c.force));
        let programme = *programme_names.entry(&c.programme).or_insert_with(|| programme_id(&c.programme));
        let (Some(force), Some(programme)) = (force, programme) else {
            return Err(Stop::Problems);
        };
        announced.push((u64::from(force.0) << 32 | u64::from(programme.0), j));
    }
    announced.sort_unstable();
    if announced.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(Stop::Problems);
    }

    // Inspections in (force, programme) order, with their rows.
    let programme_of_area: Vec<u32> = catalog.areas.iter().map(|a| a.programme.0).collect();
    let inspection_key = |i: usize| {
        let k = keys[i];
        (k >> 32) << 32 | u64::from(programme_of_area[(k as u32) as usize])
    };
    let mut inspections: Vec<Insp> = Vec::new();
    let mut inspection_of_row = vec![0u32; n];
    let (mut r, mut c) = (0usize, 0usize);
    let ranks = cols.ranks();
    loop {
        let gk = order.get(r).map(|&i| inspection_key(i as usize));
        let ck = announced.get(c).map(|a| a.0);
        let key = match (gk, ck) {
            (Some(g), Some(a)) => g.min(a),
            (Some(k), None) | (None, Some(k)) => k,
            (None, None) => break,
        };
        let id = inspections.len() as u32;
        let mut insp = Insp {
            force: (key >> 32) as u32,
            programme: key as u32,
            published: None,
            counts: None,
            rows: Vec::new(),
            graded: 0,
            histogram: [0; 5],
        };
        if ck == Some(key) {
            insp.counts = Some(announced[c].1);
            insp.published = tables.counts[announced[c].1].published;
            c += 1;
        }
        while r < n && gk.is_some() && inspection_key(order[r] as usize) == key {
            let i = order[r] as usize;
            insp.rows.push(i as u32);
            inspection_of_row[i] = id;
            if insp.counts.is_none() || insp.published.is_none() {
                insp.published = insp.published.max(cols.published(i));
            }
            if let Some(g) = Grade::from_rank(ranks[i]) {
                insp.histogram[usize::from(g.rank() - 1)] += 1;
                insp.graded += 1;
            }
            r += 1;
        }
        inspections.push(insp);
    }

    // Each force's latest graded inspection; per programme, counts.
    let mut latest = vec![NONE; forces.len()];
    let mut force_inspections = vec![0u32; forces.len() + 1];
    let mut programme_inspections = vec![0u32; nprog];
    let mut programme_graded = vec![0u32; nprog];
    for (id, insp) in inspections.iter().enumerate() {
        if insp.graded > 0 {
            latest[insp.force as usize] = id as u32;
        }
        force_inspections[insp.force as usize + 1] += 1;
        programme_inspections[insp.programme as usize] += 1;
        programme_graded[insp.programme as usize] += u32::from(insp.graded);
    }
    for f in 0..forces.len() {
        force_inspections[f + 1] += force_inspections[f];
    }
    let mut latest_programmes: Vec<u32> =
        latest.iter().filter(|&&i| i != NONE).map(|&i| inspections[i as usize].programme).collect();
    latest_programmes.sort_unstable();
    latest_programmes.dedup();

    // Grade ids: by area, grade slot, latest first, force (the rows in
    // force order go into their buckets in that order).
    let areas = catalog.areas.len();
    let bucket_of = |i: usize| {
        let area = (keys[i] as u32) as usize;
        let force = (keys[i] >> 32) as usize;
        let slot = usize::from(ranks[i]);
        let not_latest = usize::from(latest[force] != inspection_of_row[i]);
        (area * SLOTS + slot) * 2 + not_latest
    };
    let mut starts = vec![0u32; areas * SLOTS * 2 + 1];
    for i in 0..n {
        starts[bucket_of(i) + 1] += 1;
    }
    for b in 0..areas * SLOTS * 2 {
        starts[b + 1] += starts[b];
    }
    let mut next = starts.clone();
    let mut gid_of_row = vec![0u32; n];
    let mut row_of_gid = vec![0u32; n];
    for &i in &order {
        let b = bucket_of(i as usize);
        gid_of_row[i as usize] = next[b];
        row_of_gid[next[b] as usize] = i;
        next[b] += 1;
    }
    let mut bounds = Vec::with_capacity(areas * BOUNDS);
    for a in 0..areas {
        bounds.push(starts[a * SLOTS * 2]);
        bounds.extend((1..=SLOTS * 2).map(|k| starts[a * SLOTS * 2 + k]));
    }

    // Inspection chunks: about INSPECTION_CHUNK inspections, whole forces.
    let mut chunk_starts = vec![0u32];
    for f in 0..forces.len() {
        let (a, b) = (force_inspections[f], force_inspections[f + 1]);
        if b - chunk_starts[chunk_starts.len() - 1] > INSPECTION_CHUNK as u32
            && a > chunk_starts[chunk_starts.len() - 1]
        {
            chunk_starts.push(a);
        }
    }
    let total = inspections.len() as u32;
    if *chunk_starts.last().unwrap_or(&0) < total || total == 0 {
        chunk_starts.push(total);
    }
    if total == 0 {
        chunk_starts = vec![0];
    }

    let meta = Meta {
        grades: n as u32,
        inspections: total,
        forces: forces.len() as u32,
        texts: nstr as u32,
        bounds,
        inspection_chunks: chunk_starts,
        latest_programmes,
        programme_inspections,
        programme_graded,
    };

    // The sections, written straight into the image's buffer.
    let mut w = Writer::new(meta.sections());
    w.section(postcard::to_stdvec(&meta).unwrap_or_default());
    let (programmes, themes, area_records) = catalog.parts();
    w.section(postcard::to_stdvec(&(programmes, themes, area_records)).unwrap_or_default());
    w.with(|out| le::put_u32s(out, force_inspections.iter().copied()));
    w.with(|out| le::put_u32s(out, latest.iter().copied()));
    w.with(|out| le::put_u16s(out, inspections.iter().map(|i| i.programme as u16)));
    w.with(|out| le::put_u16s(out, inspections.iter().map(|i| i.graded)));
    w.with(|out| le::put_u16s(out, inspections.iter().flat_map(|i| i.histogram)));
    let rest = Tables { grades: Vec::new(), ..tables.clone() };
    w.section(postcard::to_stdvec(&rest).unwrap_or_default());
    drop(rest);
    w.columns(cols, 0, cols.encoded_len());
    w.with(|out| Forces::write_names(out, forces.iter().map(|f| f.name.as_str())));
    debug_assert_eq!(w.done(), FIXED);
    let mut dense = vec![NONE; forces.len()];
    for a in 0..areas {
        dense.fill(NONE);
        let (lo, hi) = (meta.bound(a, 0), meta.bound(a, BOUNDS - 1));
        for gid in lo..hi {
            let i = row_of_gid[gid as usize] as usize;
            dense[(keys[i] >> 32) as usize] = gid;
        }
        w.with(|out| le::put_u32s(out, dense.iter().copied()));
    }
    for chunk in row_of_gid.chunks(GRADE_CHUNK) {
        w.with(|out| {
            out.reserve(chunk.len() * GRADE_BYTES);
            for &i in chunk {
                let i = i as usize;
                out.extend_from_slice(&((keys[i] >> 32) as u32).to_le_bytes());
                out.extend_from_slice(&inspection_of_row[i].to_le_bytes());
                parts::encode_date(out, cols.published(i));
                out.push(parts::encode_basis(cols.basis(i)));
                out.extend_from_slice(&cols.source_url(i).to_le_bytes());
            }
        });
    }
    for win in meta.inspection_chunks.windows(2) {
        let records: Vec<InspectionRecord> = inspections[win[0] as usize..win[1] as usize]
            .iter()
            .map(|insp| {
                let rec = insp.counts.map(|j| &tables.counts[j]);
                InspectionRecord {
                    published: insp.published,
                    report_url: rec.and_then(|r| r.report_url.clone()),
                    announced: rec.map(|r| {
                        let [a, b, c, d, e] = r.counts;
                        (a, b, c, d, e, r.graded_areas, r.source_url.clone())
                    }),
                    grades: insp.rows.iter().map(|&i| gid_of_row[i as usize]).collect(),
                }
            })
            .collect();
        w.section(postcard::to_stdvec(&records).unwrap_or_default());
    }
    let force_records: Vec<_> = forces.iter().map(|f| f.to_record()).collect();
    for s in Forces::sections(&force_records) {
        w.section(s);
    }
    for c in 0..nstr.div_ceil(TEXT_CHUNK) {
        // a range of the grade columns' strings: not a copy of them
        let (start, end) = cols.string_bytes(c * TEXT_CHUNK, nstr.min((c + 1) * TEXT_CHUNK));
        w.columns(cols, start, end);
    }
    debug_assert_eq!(w.done(), meta.sections());
    Ok(w)
}

/// Sections written one after another into a buffer of their own, or
/// placed in the grade columns' bytes; [`Writer::finish`] puts the header
/// and directory, the grade columns and the other sections together.
pub(super) struct Writer {
    rest: Vec<u8>,
    /// Per section: whether it lies in the grade columns (else in
    /// `rest`), its offset there, its length and hash.
    entries: Vec<(bool, u64, u32, u32)>,
    sections: usize,
}

impl Writer {
    fn new(sections: usize) -> Writer {
        Writer { rest: Vec::new(), entries: Vec::with_capacity(sections), sections }
    }

    fn with(&mut self, f: impl FnOnce(&mut Vec<u8>)) {
        let start = self.rest.len();
        f(&mut self.rest);
        let len = self.rest.len() - start;
        let hash = Image::section_hash(&self.rest[start..]);
        self.entries.push((false, start as u64, u32::try_from(len).unwrap_or(u32::MAX), hash));
    }

    fn section(&mut self, bytes: Vec<u8>) {
        self.with(|out| out.extend_from_slice(&bytes));
    }

    /// A section that is bytes `start..end` of the grade columns'
    /// encoding (which [`Writer::finish`] is given, or
    /// [`Writer::stream`] writes).
    fn columns(&mut self, columns: &dyn ColumnSource, start: usize, end: usize) {
        let mut h = PieceHash::new(end - start);
        columns.pieces(start, end, &mut |p| h.update(p));
        let hash = Image::fold_hash(h.finish());
        // the store refuses grade columns of 4 GiB or more before this
        self.entries.push((true, start as u64, u32::try_from(end - start).unwrap_or(u32::MAX), hash));
    }

    fn done(&self) -> usize {
        self.entries.len()
    }

    /// The image: header and directory, then `columns` (moved up within
    /// their own buffer, not copied to another), then the other sections.
    fn finish(self, columns: Vec<u8>, generation: u64, fingerprint: u64) -> Vec<u8> {
        debug_assert_eq!(self.entries.len(), self.sections);
        let head = Image::head_size(self.sections);
        let c = columns.len();
        let mut out = columns;
        out.reserve_exact(head + self.rest.len());
        out.resize(c + head, 0);
        out.copy_within(0..c, head);
        out[..head].fill(0);
        out.extend_from_slice(&self.rest);
        let entries = self.entries(c);
        Image::write_head(&mut out, &entries, generation, fingerprint);
        out
    }

    /// The directory's entries, the grade columns' encoding being `c`
    /// bytes long.
    pub(super) fn entries(&self, c: usize) -> Vec<(u64, u32, u32)> {
        let head = Image::head_size(self.sections);
        self.entries
            .iter()
            .map(|&(in_columns, offset, len, hash)| {
                let base = if in_columns { head } else { head + c };
                (base as u64 + offset, len, hash)
            })
            .collect()
    }

    /// Length of the image, the grade columns' encoding being `c` bytes.
    pub(super) fn image_len(&self, c: usize) -> usize {
        Image::head_size(self.sections) + c + self.rest.len()
    }

    /// Writes the image [`Writer::finish`] makes, the grade columns read
    /// a piece at a time from `columns`.
    pub(super) fn stream(
        &self,
        columns: &dyn ColumnSource,
        out: &mut dyn std::io::Write,
        generation: u64,
        fingerprint: u64,
    ) -> std::io::Result<()> {
        let c = columns.encoded_len();
        let mut head = vec![0u8; Image::head_size(self.sections)];
        Image::write_head_of(&mut head, self.image_len(c) as u64, &self.entries(c), generation, fingerprint);
        out.write_all(&head)?;
        let mut failed = Ok(());
        columns.pieces(0, c, &mut |p| {
            if failed.is_ok() {
                failed = out.write_all(p);
            }
        });
        failed?;
        out.write_all(&self.rest)
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
