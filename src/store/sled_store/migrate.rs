//! Migrations of the sled store, one step per format: `n` to `n + 1`
//! ([`MIGRATIONS`]).

use super::{FORMAT_VERSION, SledStore, TABLES, codec, meta_key};
use crate::catalog::model::Tables;
use crate::dataset::columns::GradeColumns;
use crate::error::{Error, Result};
use crate::store::code;
use std::sync::PoisonError;

/// The migration steps: `(n, step)` brings format `n` to `n + 1`.
type Step = fn(&SledStore) -> Result<()>;
pub(crate) const MIGRATIONS: &[(u32, Step)] =
    &[(1, SledStore::migrate_1_to_2), (2, SledStore::migrate_2_to_3), (3, SledStore::migrate_3_to_4)];

impl SledStore {
    /// Brings a store of format `from` up to [`FORMAT_VERSION`], one step
    /// of [`MIGRATIONS`] at a time. Each step rewrites what changed and
    /// then stores its new version, so an interrupted migration resumes
    /// from the last finished step.
    pub(super) fn migrate(&self, from: u32) -> Result<()> {
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
            .with_help("delete the store folder to start afresh from the bundled data"));
        }
        for &(version, step) in MIGRATIONS.iter().filter(|(v, _)| *v >= from) {
            step(self)?;
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

    /// Format 3 → 4: the snapshot of the current data.
    fn migrate_3_to_4(&self) -> Result<()> {
        if self.current()?.is_some() {
            self.sync_snapshot()?;
        }
        Ok(())
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
                let [f, p, t, a, g, c, h] = TABLES;
                let tables = Tables {
                    forces: self.read_table_per_key(old, f)?,
                    programmes: self.read_table_per_key(old, p)?,
                    themes: self.read_table_per_key(old, t)?,
                    areas: self.read_table_per_key(old, a)?,
                    grades: self.read_table_per_key(old, g)?,
                    counts: self.read_table_per_key(old, c)?,
                    history: self.read_table_per_key(old, h)?,
                };
                let new = old + 1;
                self.drop_generation(new)?;
                let grades = GradeColumns::from_records(&tables.grades);
                let rest = Tables { grades: Vec::new(), ..tables };
                self.write_trees(new, &rest, &grades, &mut |_, _| {})?;
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
