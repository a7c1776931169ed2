//! Where the records live between runs.
//!
//! A [`Store`] holds one [`Tables`]: it loads all of it and replaces all of
//! it, nothing finer. Two stores implement it and pass the same test suite:
//!
//! - [`MemoryStore`] keeps the tables in memory (tests, `--no-store` runs);
//! - [`SledStore`] keeps them in a sled database on disk. It fills itself
//!   from the data compiled into the binary (a [`Bundle`]) on first open,
//!   refreshes that data when a newer binary ships newer data, and never
//!   touches data the user imported.
//!
//! Errors are [`crate::error::Error`]s of kind `Store`, with the codes in
//! [`code`].

mod codec;
mod memory;
mod sled_store;
pub mod snapshot;

pub use memory::MemoryStore;
pub use sled_store::folder::store_holding;

/// True when opening a store at `path` would make a new one: nothing is
/// there, or an empty folder. Creates nothing.
pub fn is_new_folder(path: &std::path::Path) -> bool {
    matches!(sled_store::folder::check(path), Ok(sled_store::folder::Folder::New))
}
pub use sled_store::{Bundle, FORMAT_VERSION, Origin, SledStore, bundled_marker};

use crate::catalog::model::Tables;
use crate::dataset::Dataset;
use crate::error::Result;

/// A place that holds one data set's records.
///
/// Both operations work on the whole [`Tables`]: a store is loaded once when
/// the engine starts and replaced wholesale by an import.
pub trait Store: Send + Sync {
    /// Every record, each table in the order its records were stored.
    fn load(&self) -> Result<Tables>;

    /// Replaces the whole content with `tables`, all or nothing: if this
    /// fails, or the process dies part-way, [`Store::load`] still returns
    /// the previous content.
    fn replace(&self, tables: &Tables) -> Result<()>;

    /// The data set of the content: [`Dataset::build`] of [`Store::load`].
    /// A store may build it faster from its own layout, without making
    /// every record first.
    fn load_dataset(&self) -> Result<Dataset> {
        Dataset::build(self.load()?)
    }

    /// [`Store::replace`], calling `progress(records_written, records_total)`
    /// as the write goes on (after each batch, for a store that writes in
    /// batches). The default calls it once, when the replace is done.
    fn replace_with_progress(&self, tables: &Tables, progress: &mut dyn FnMut(usize, usize)) -> Result<()> {
        self.replace(tables)?;
        let total = tables.record_count();
        progress(total, total);
        Ok(())
    }

    /// Replaces the content with the records of `dataset` (what an import
    /// made), all or nothing like [`Store::replace`]. A store may keep the
    /// data set's own layout too (the sled store writes its snapshot).
    fn replace_dataset(&self, dataset: &Dataset, progress: &mut dyn FnMut(usize, usize)) -> Result<()> {
        self.replace_with_progress(dataset.tables(), progress)
    }

    /// One line saying what and where the store is: `sled store at /path`,
    /// `in-memory store`.
    fn describe(&self) -> String;
}

/// The stable error codes of store errors.
pub mod code {
    /// Another peelql process (or another handle in this one) holds the
    /// store's lock: it is writing. Readers are not refused: they answer
    /// from the snapshot of the last committed data.
    pub const LOCKED: &str = "peelql::store::locked";
    /// The store's folder cannot be created or opened: permissions, a file
    /// in the way, a full disk.
    pub const OPEN: &str = "peelql::store::open";
    /// The store was written by a newer peelql whose format this build
    /// cannot read.
    pub const NEWER_FORMAT: &str = "peelql::store::newer_format";
    /// The store has an older format that no migration step knows.
    pub const OLD_FORMAT: &str = "peelql::store::old_format";
    /// A stored record or bookkeeping value cannot be read back.
    pub const CORRUPT: &str = "peelql::store::corrupt";
    /// Reading the store failed below the format (an I/O error).
    pub const READ: &str = "peelql::store::read";
    /// Writing the store failed (an I/O error, a full disk).
    pub const WRITE: &str = "peelql::store::write";
    /// The folder given as a store holds other files and is not a PeelQL
    /// store: nothing is written to it.
    pub const NOT_A_STORE: &str = "peelql::store::not_a_store";
}

/// The suite every [`Store`] must pass, and sample data for store tests.
#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::catalog::model::{
        AreaRecord, Basis, CountRecord, ForceRecord, GradeRecord, MonitoringRecord, Move, ProgrammeRecord,
        Scale, ThemeRecord,
    };
    use crate::catalog::model::{FireTables, HistoryRecord, PairRecord};
    use crate::value::{Date, Grade};

    /// A data set with every field of every record set, optional fields
    /// both empty and filled, and each grade, scale and basis used.
    pub(crate) fn sample_tables() -> Tables {
        let force = |name: &str, short: &str, aliases: &[&str], country: &str| ForceRecord {
            name: name.to_owned(),
            short_name: short.to_owned(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            region: "Eastern".to_owned(),
            country: country.to_owned(),
            source_url: format!("https://example.org/{short}"),
        };
        let grade = |force: &str, published: Option<Date>, area: &str, grade, basis| GradeRecord {
            force: force.to_owned(),
            programme: "PEEL 2023-25".to_owned(),
            published,
            area: area.to_owned(),
            grade,
            source_url: "https://example.org/report".to_owned(),
            basis,
        };
        let day = Some(Date { year: 2024, month: Some(2), day: Some(29) });
        let month = Some(Date { year: 2025, month: Some(11), day: None });
        let year = Some(Date { year: 2019, month: None, day: None });
        Tables {
            forces: vec![
                force("Cambridgeshire Constabulary", "Cambridgeshire", &["cambs"], "England"),
                force("Heddlu Dyfed-Powys Police", "Dyfed-Powys", &[], "Wales"),
            ],
            programmes: vec![
                ProgrammeRecord {
                    name: "PEEL 2018/19".to_owned(),
                    start_year: 2018,
                    end_year: 2019,
                    scale: Scale::FourTier,
                    aliases: vec![],
                },
                ProgrammeRecord {
                    name: "PEEL 2023-25".to_owned(),
                    start_year: 2023,
                    end_year: 2025,
                    scale: Scale::FiveTier,
                    aliases: vec!["peel 2023".to_owned(), "2023/25".to_owned()],
                },
            ],
            themes: vec![ThemeRecord {
                key: "offenders".to_owned(),
                name: "Managing offenders".to_owned(),
                aliases: vec!["sex offenders".to_owned(), "rso".to_owned()],
            }],
            areas: vec![
                AreaRecord {
                    programme: "PEEL 2023-25".to_owned(),
                    name: "Managing offenders".to_owned(),
                    pillar: None,
                    question: "How good is the force at managing offenders?".to_owned(),
                    theme: "offenders".to_owned(),
                    source_url: "https://example.org/areas".to_owned(),
                },
                AreaRecord {
                    programme: "PEEL 2018/19".to_owned(),
                    name: "Protecting vulnerable people".to_owned(),
                    pillar: Some("Effectiveness".to_owned()),
                    question: "How effective is the force at protecting… people?".to_owned(),
                    theme: "vulnerability".to_owned(),
                    source_url: String::new(),
                },
            ],
            grades: vec![
                grade("Dyfed-Powys", day, "A", Some(Grade::Outstanding), Basis::Stated),
                grade("Dyfed-Powys", month, "B", Some(Grade::Good), Basis::Elimination),
                grade("Dyfed-Powys", year, "C", Some(Grade::Adequate), Basis::Inferred),
                grade("Cambs", None, "D", Some(Grade::RequiresImprovement), Basis::Stated),
                grade("Cambs", day, "E", Some(Grade::Inadequate), Basis::Stated),
                grade("Cambs", day, "F", None, Basis::Stated),
            ],
            counts: vec![
                CountRecord {
                    force: "Cambridgeshire Constabulary".to_owned(),
                    programme: "PEEL 2023-25".to_owned(),
                    published: month,
                    report_url: Some("https://example.org/report".to_owned()),
                    counts: [0, 1, 2, 3, 4],
                    graded_areas: 10,
                    source_url: "https://example.org/news".to_owned(),
                },
                CountRecord {
                    force: "Heddlu Dyfed-Powys Police".to_owned(),
                    programme: "PEEL 2018/19".to_owned(),
                    published: None,
                    report_url: None,
                    counts: [u8::MAX, 0, 0, 0, 0],
                    graded_areas: 0,
                    source_url: String::new(),
                },
            ],
            history: vec![HistoryRecord {
                previous: grade("Cambs", month, "E", Some(Grade::Good), Basis::Inferred),
                replaced_at: "2025-11-30T23:59:59Z".to_owned(),
                replaced_by: "corrections.csv".to_owned(),
            }],
            monitoring: vec![
                MonitoringRecord {
                    force: "Heddlu Dyfed-Powys Police".to_owned(),
                    event: Move::Entered,
                    date: None,
                    causes: Some(3),
                    source_url: "https://example.org/engage".to_owned(),
                    basis: Basis::Inferred,
                    sentence: "It was put into special measures shortly after.".to_owned(),
                },
                MonitoringRecord {
                    force: "Cambridgeshire Constabulary".to_owned(),
                    event: Move::Entered,
                    date: day,
                    causes: None,
                    source_url: "https://example.org/engage".to_owned(),
                    basis: Basis::Stated,
                    sentence: String::new(),
                },
                MonitoringRecord {
                    force: "Cambridgeshire Constabulary".to_owned(),
                    event: Move::Left,
                    date: month,
                    causes: None,
                    source_url: String::new(),
                    basis: Basis::Stated,
                    sentence: "“Returned to Scan.”".to_owned(),
                },
            ],
            fire: FireTables {
                services: vec![force("Essex County Fire and Rescue Service", "Essex", &["ecfrs"], "England")],
                programmes: vec![ProgrammeRecord {
                    name: "FRS 2021-22".to_owned(),
                    start_year: 2021,
                    end_year: 2022,
                    scale: Scale::FourTier,
                    aliases: vec!["frs 2021".to_owned()],
                }],
                grades: vec![GradeRecord {
                    force: "Essex County Fire and Rescue Service".to_owned(),
                    programme: "FRS 2021-22".to_owned(),
                    published: day,
                    area: "People".to_owned(),
                    grade: Some(Grade::RequiresImprovement),
                    source_url: "https://example.org/fire".to_owned(),
                    basis: Basis::Stated,
                }],
                pairs: vec![PairRecord {
                    force: "Cambridgeshire Constabulary".to_owned(),
                    service: "Essex County Fire and Rescue Service".to_owned(),
                    commissioner: "A commissioner".to_owned(),
                    since: year,
                    source_url: "https://example.org/pair".to_owned(),
                    sentence: "One commissioner answers for both.".to_owned(),
                }],
                ..FireTables::default()
            },
        }
    }

    /// The sample with every table reversed and one grade row added: a
    /// different data set of the same shape.
    pub(crate) fn other_tables() -> Tables {
        let mut t = sample_tables();
        t.forces.reverse();
        t.programmes.reverse();
        t.areas.reverse();
        t.grades.reverse();
        t.counts.reverse();
        t.history.clear();
        let mut extra = t.grades[0].clone();
        extra.area = "Extra".to_owned();
        t.grades.push(extra);
        t
    }

    /// `n` distinct grade rows, on top of the sample's other tables.
    pub(crate) fn many_grades(n: usize) -> Tables {
        let mut t = sample_tables();
        let base = t.grades[0].clone();
        t.grades = (0..n)
            .map(|i| GradeRecord {
                area: format!("area {i}"),
                grade: Grade::from_rank(u8::try_from(i % 6).unwrap_or(0)),
                ..base.clone()
            })
            .collect();
        t
    }

    /// The behaviour every store shares. `store` may start with any content.
    pub(crate) fn check_store(store: &dyn Store) {
        assert!(!store.describe().is_empty());

        let sample = sample_tables();
        store.replace(&sample).expect("replace with the sample");
        assert_eq!(store.load().expect("load the sample"), sample);
        // Loading does not consume or change anything.
        assert_eq!(store.load().expect("load again"), sample);

        store.replace(&Tables::default()).expect("replace with nothing");
        assert_eq!(store.load().expect("load nothing"), Tables::default());

        let other = other_tables();
        store.replace(&other).expect("replace with other");
        assert_eq!(store.load().expect("load other"), other);

        // Order is insertion order, across batch boundaries too.
        let many = many_grades(2_345);
        store.replace(&many).expect("replace with many");
        let loaded = store.load().expect("load many");
        assert_eq!(loaded, many);
        assert_eq!(loaded.grades[2_344].area, "area 2344");
    }

    #[test]
    fn memory_store_passes_the_suite() {
        check_store(&MemoryStore::default());
        check_store(&MemoryStore::new(sample_tables()));
    }

    #[test]
    fn sled_store_passes_the_suite() {
        let dir = tempfile::tempdir().expect("temp dir");
        let sample = sample_tables;
        let bundle = Bundle { fingerprint: "sample", tables: &|| Ok(sample()) };
        let store = SledStore::open(&dir.path().join("store"), &bundle).expect("open");
        check_store(&store);
    }

    #[test]
    fn stores_are_usable_as_trait_objects_across_threads() {
        let store: std::sync::Arc<dyn Store> = std::sync::Arc::new(MemoryStore::default());
        let clone = std::sync::Arc::clone(&store);
        std::thread::spawn(move || clone.replace(&sample_tables())).join().expect("thread").expect("replace");
        assert_eq!(store.load().expect("load"), sample_tables());
    }
}
