//! The bundled data set, ready-made: `assets/bundled.bin` holds
//! the records of `data/*.csv` already parsed (the grades in columns), so
//! a run over the bundled data in memory (`peelql --memory`, a one-shot
//! query) skips parsing the CSV files.
//!
//! The image says which CSV text it was made from (a hash of the files,
//! which `build.rs` also computes for the files compiled in)
//! and how the record tables were laid out; when either differs from this
//! build's — the data was edited, a record type changed — or anything in
//! it does not read back, the CSV files are parsed as before. A test keeps
//! the image fresh: after changing `data/`, run
//! `BLESS=1 cargo test --lib bundled_image` and commit `assets/bundled.bin`.

use super::Dataset;
use super::image::Image;
#[cfg(test)]
use crate::catalog::files::DataFiles;
use crate::catalog::model::Tables;

include!(concat!(env!("OUT_DIR"), "/bundled_hash.rs"));

/// The image, made by this module's test.
static IMAGE: &[u8] = include_bytes!("../../assets/bundled.bin");

/// What an image says it was made from: the layout of this build's record
/// tables (the encoding of empty tables) and `source`, the hash of the
/// bundled CSV files for the bundled image, 0 for a store's snapshot.
pub(crate) fn fingerprint(source: u64) -> u64 {
    let layout = postcard::to_stdvec(&Tables::default()).unwrap_or_default();
    super::texts_hash([&layout[..], &source.to_le_bytes()[..]])
}

/// The hash of the bundled CSV files, computed by the build script.
pub(crate) fn bundled_hash() -> u64 {
    BUNDLED_HASH
}

/// The hash of the CSV files of `files`.
#[cfg(test)]
fn hash_of(files: &DataFiles) -> u64 {
    u64::from_str_radix(&files.fingerprint(), 16).unwrap_or_default()
}

/// The image of `files`' records.
#[cfg(test)]
fn image(files: &DataFiles) -> Vec<u8> {
    let tables = files.to_tables().expect("bundled CSV");
    let rest = Tables { grades: Vec::new(), ..tables.clone() };
    let grades = super::columns::GradeColumns::from_records(&tables.grades);
    super::build::image(&rest, grades, 0, fingerprint(hash_of(files)))
        .unwrap_or_else(|_| panic!("the bundled data has problems"))
}

/// The bundled data set from the image, if the image is this build's.
pub(super) fn load() -> Option<Dataset> {
    let image = Image::from_static(IMAGE)?;
    if image.fingerprint != fingerprint(BUNDLED_HASH) {
        return None;
    }
    Dataset::from_image(image).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_csv() -> Tables {
        DataFiles::bundled().to_tables().expect("bundled CSV")
    }

    #[test]
    fn the_build_hashed_the_bundled_files() {
        assert_eq!(hash_of(&DataFiles::bundled()), BUNDLED_HASH);
    }

    /// `BLESS=1 cargo test --lib bundled_image` writes a fresh image.
    #[test]
    fn bundled_image_is_fresh() {
        let fresh = image(&DataFiles::bundled());
        if std::env::var_os("BLESS").is_some() {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/bundled.bin");
            std::fs::write(path, &fresh).expect("write the image");
            return;
        }
        assert!(
            fresh == IMAGE,
            "assets/bundled.bin is stale: run `BLESS=1 cargo test --lib bundled_image` and commit it"
        );
    }

    #[test]
    fn bundled_image_makes_the_same_data_set() {
        let ds = load().expect("the image loads");
        let tables = from_csv();
        let direct = Dataset::build(tables.clone()).expect("build");
        assert_eq!(format!("{:?}", ds.grades), format!("{:?}", direct.grades));
        assert_eq!(format!("{:?}", ds.inspections), format!("{:?}", direct.inspections));
        assert_eq!(ds.tables(), &tables);
    }

    #[test]
    fn the_hash_sees_an_edit() {
        let mut files = DataFiles::bundled();
        let before = hash_of(&files);
        files.grades = files.grades.replacen("good", "Good", 1);
        assert_ne!(hash_of(&files), before);
    }
}
