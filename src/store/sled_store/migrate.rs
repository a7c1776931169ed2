//! Migrations of the sled store, one step per format: `n` to `n + 1`
//! ([`MIGRATIONS`]).

use super::{Bundle, Done, FORMAT_VERSION, SledStore, TABLES, codec, meta_key, plain_io};
use crate::catalog::model::{ForceRecord, MonitoringRecord, Tables};
use crate::dataset::columns::GradeColumns;
use crate::error::{Error, Result};
use crate::store::code;
use std::sync::PoisonError;

/// The migration steps: `(n, step)` brings format `n` to `n + 1`.
type Step = fn(&SledStore, &Bundle<'_>) -> Result<()>;
pub(crate) const MIGRATIONS: &[(u32, Step)] = &[
    (1, |s, _| s.migrate_1_to_2()),
    (2, |s, _| s.migrate_2_to_3()),
    (3, |s, _| s.migrate_3_to_4()),
    (4, SledStore::migrate_4_to_5),
    (5, SledStore::migrate_5_to_6),
];

impl SledStore {
    /// Brings a store of format `from` up to [`FORMAT_VERSION`], one step
    /// of [`MIGRATIONS`] at a time. Each step rewrites what changed and
    /// then stores its new version, so an interrupted migration resumes
    /// from the last finished step.
    pub(super) fn migrate(&self, from: u32, bundle: &Bundle<'_>) -> Result<()> {
        let first = MIGRATIONS[0].0;
        if from < first {
            return Err(Error::store(
                code::OLD_FORMAT,
                format!(
                    "the store at {} has format {from}, which this build cannot read \
                     (it reads formats {first} to {FORMAT_VERSION})",
                    self.path.display()
                ),
            )
            .with_help(super::corrupt_help()));
        }
        // the bundled tables are read once, however many steps ask for them
        let read = std::cell::OnceCell::new();
        let tables = || -> Result<Tables> {
            if let Some(t) = read.get() {
                return Ok(Tables::clone(t));
            }
            let t = (bundle.tables)()?;
            Ok(read.get_or_init(|| t).clone())
        };
        let once = Bundle { fingerprint: bundle.fingerprint, tables: &tables };
        for &(version, step) in MIGRATIONS.iter().filter(|(v, _)| *v >= from) {
            step(self, &once)?;
            self.meta()
                .insert(meta_key::FORMAT_VERSION, &codec::encode_u32(version + 1))
                .map_err(|e| self.write_error(e))?;
            self.flush()?;
        }
        Ok(())
    }

    /// Format 1 → 2: the `history` table, an empty tree for the current
    /// generation (other generations are leftovers).
    fn migrate_1_to_2(&self) -> Result<()> {
        if let Some(current) = self.meta_get(meta_key::GENERATION)? {
            let generation = codec::decode_u64(&current)
                .ok_or_else(|| self.corrupt("its current generation is unreadable".to_owned()))?;
            self.db().open_tree(codec::tree_name(generation, "history")).map_err(|e| self.write_error(e))?;
            self.flush()?;
        }
        Ok(())
    }

    /// Format 3 → 4: the snapshot of the current data. Nothing to do now:
    /// a format-3 store has no `monitoring` tree yet, and the next step
    /// writes the snapshot once it has.
    fn migrate_3_to_4(&self) -> Result<()> {
        Ok(())
    }

    /// Format 4 → 5: the `monitoring` table. The format-4 snapshot goes
    /// first (its layout has no moves); the current generation then gets
    /// the bundled moves of the forces it holds, in one batch (so an
    /// interrupted step finds the tree empty or whole). Everything else,
    /// imported data included, stays as it is. The snapshot is written by
    /// the next step, once the store has every table.
    fn migrate_4_to_5(&self, bundle: &Bundle<'_>) -> Result<()> {
        crate::store::snapshot::remove(&self.path).map_err(|e| self.snapshot_error(&plain_io(&e)))?;
        let Some(current) = self.current()? else { return Ok(()) };
        let generation = current.generation;
        let (forces_table, monitoring_table) = (TABLES[0], TABLES[7]);
        let name = codec::tree_name(generation, monitoring_table);
        let exists = self.db().tree_names().iter().any(|n| n == name.as_bytes());
        let filled = exists && !self.db().open_tree(&name).map_err(|e| self.read_error(e))?.is_empty();
        if !filled {
            let forces: Vec<ForceRecord> = self.read_table(generation, forces_table)?;
            let moves: Vec<MonitoringRecord> = (bundle.tables)()?
                .monitoring
                .into_iter()
                .filter(|m| forces.iter().any(|f| f.name == m.force))
                .collect();
            let mut done = Done { written: 0, total: moves.len(), progress: &mut |_, _| {} };
            self.write_table(generation, monitoring_table, &moves, &mut done)?;
            self.flush()?;
        }
        Ok(())
    }

    /// Format 5 → 6: the `fire` table. The format-5 snapshot goes first
    /// (its layout has no fire tables); the current generation then gets
    /// the bundled fire tables whole, in one batch (so an interrupted step
    /// finds the tree empty or whole), and a new snapshot. The police
    /// tables, imported data included, stay as they are: the fire half is
    /// a catalog of its own and names nothing in them but the forces of
    /// the commissioner pairs, which are kept only where the store still
    /// has the force.
    fn migrate_5_to_6(&self, bundle: &Bundle<'_>) -> Result<()> {
        crate::store::snapshot::remove(&self.path).map_err(|e| self.snapshot_error(&plain_io(&e)))?;
        let Some(current) = self.current()? else { return Ok(()) };
        let generation = current.generation;
        let (forces_table, fire_table) = (TABLES[0], TABLES[8]);
        let name = codec::tree_name(generation, fire_table);
        let exists = self.db().tree_names().iter().any(|n| n == name.as_bytes());
        let filled = exists && !self.db().open_tree(&name).map_err(|e| self.read_error(e))?.is_empty();
        if !filled {
            let forces: Vec<ForceRecord> = self.read_table(generation, forces_table)?;
            let mut fire = (bundle.tables)()?.fire;
            fire.pairs.retain(|p| forces.iter().any(|f| f.name == p.force));
            let records = fire.to_records();
            let mut done = Done { written: 0, total: records.len(), progress: &mut |_, _| {} };
            self.write_table(generation, fire_table, &records, &mut done)?;
            self.flush()?;
        }
        self.sync_snapshot()
    }

    /// Format 2 → 3: the current generation, read one record per key, is
    /// written again in chunks as the next generation; one atomic write
    /// then makes it current and records format 3.
    fn migrate_2_to_3(&self) -> Result<()> {
        let _alone = self.gate.write().unwrap_or_else(PoisonError::into_inner);
        let mut switch = sled::Batch::default();
        switch.insert(meta_key::FORMAT_VERSION, &codec::encode_u32(3));
        let old = match self.current()? {
            None => None,
            Some(current) => {
                let old = current.generation;
                let [f, p, t, a, g, c, h, ..] = TABLES;
                let tables = Tables {
                    forces: self.read_table_per_key(old, f)?,
                    programmes: self.read_table_per_key(old, p)?,
                    themes: self.read_table_per_key(old, t)?,
                    areas: self.read_table_per_key(old, a)?,
                    grades: self.read_table_per_key(old, g)?,
                    counts: self.read_table_per_key(old, c)?,
                    history: self.read_table_per_key(old, h)?,
                    monitoring: Vec::new(),
                    fire: Default::default(),
                };
                let new = old + 1;
                self.drop_generation(new)?;
                let grades = GradeColumns::from_records(&tables.grades);
                let rest = Tables { grades: Vec::new(), ..tables };
                self.write_trees(
                    new,
                    &rest,
                    super::commit::GradeBytes::Bytes { bytes: grades.bytes(), rows: grades.len() },
                    &mut |_, _| {},
                )?;
                self.flush()?;
                switch.insert(meta_key::GENERATION, &codec::encode_u64(new));
                Some(old)
            }
        };
        self.meta().apply_batch(switch).map_err(|e| self.write_error(e))?;
        self.flush()?;
        if let Some(old) = old {
            // done and durable; a tree that fails to drop is dropped by the next open
            let _ = self.drop_generation(old);
        }
        Ok(())
    }
}
