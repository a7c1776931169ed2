//! A store that keeps the tables in memory and forgets them on exit: for
//! tests, and for runs that must not touch the disk.

use super::Store;
use crate::catalog::model::Tables;
use crate::error::Result;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Tables held in memory, behind a lock so one store can be shared between
/// threads.
#[derive(Debug, Default)]
pub struct MemoryStore {
    tables: Mutex<Tables>,
}

impl MemoryStore {
    /// A store holding `tables`.
    pub fn new(tables: Tables) -> MemoryStore {
        MemoryStore { tables: Mutex::new(tables) }
    }

    fn lock(&self) -> MutexGuard<'_, Tables> {
        // Every write is one assignment of a whole `Tables`, so a thread that
        // panicked while holding the lock cannot have left half of one.
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Store for MemoryStore {
    fn load(&self) -> Result<Tables> {
        Ok(self.lock().clone())
    }

    fn replace(&self, tables: &Tables) -> Result<()> {
        let copy = tables.clone();
        *self.lock() = copy;
        Ok(())
    }

    fn describe(&self) -> String {
        "in-memory store".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::sample_tables;

    #[test]
    fn starts_with_what_it_is_given() {
        assert_eq!(MemoryStore::default().load().expect("load"), Tables::default());
        let store = MemoryStore::new(sample_tables());
        assert_eq!(store.load().expect("load"), sample_tables());
        assert_eq!(store.describe(), "in-memory store");
    }
}
