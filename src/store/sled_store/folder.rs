//! The store's folder and the file that makes it recognisably a PeelQL
//! store.
//!
//! `peelql.store` is written when a store is created, before anything else,
//! so nothing is ever written into a folder that is not a store:
//!
//! - a folder that does not exist, or is empty, becomes a store;
//! - a folder holding `peelql.store` is a store;
//! - a folder holding sled's `conf` and nothing but the names a store
//!   writes is a store made before the marker existed, and gains it;
//! - any other folder is refused with [`code::NOT_A_STORE`], untouched.
//!
//! The file also records whether the store has ever held imported data
//! (`imported`). Such a store is never refilled from the bundled data: if
//! its data has vanished, opening it is [`code::CORRUPT`].

use super::plain_io;
use crate::error::{Error, Result};
use crate::store::code;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The name of the marker file.
pub const FILE: &str = "peelql.store";

/// The first line of the marker file.
const HEADER: &str = "peelql store";

/// The line that says the store has held imported data.
const IMPORTED: &str = "imported";

/// Names a store writes in its folder (sled's and PeelQL's own).
fn is_store_name(name: &str) -> bool {
    matches!(name, "conf" | "db" | "blobs" | FILE | "bundled.fingerprint" | "bundled.fingerprint.tmp")
        || name.starts_with("snap.")
        || name.starts_with("snapshot.pqs")
        || name.starts_with("peelql.store.")
        // a rebuild's work and the damaged files it kept (see `repair.rs`)
        || name.starts_with("repair.")
        || name.starts_with("damaged-")
}

/// What the marker file says about a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    /// The store has held imported data (so it must never be re-seeded).
    pub imported: bool,
}

/// The marker of the store at `dir`; `None` when it has none.
pub fn read(dir: &Path) -> Result<Option<Marker>> {
    let path = dir.join(FILE);
    let text = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::store(
                code::OPEN,
                format!("cannot open the store at {}: {}", dir.display(), plain_io(&e)),
            ));
        }
    };
    let text = String::from_utf8_lossy(&text);
    let mut lines = text.lines().map(str::trim);
    if lines.next() != Some(HEADER) {
        return Err(Error::store(
            code::CORRUPT,
            format!(
                "the store at {} is damaged: its {FILE} file is not a PeelQL store marker",
                dir.display()
            ),
        )
        .with_help(format!(
            "if this folder is not a PeelQL store, give --db another folder; {FILE} was not written by peelql"
        )));
    }
    Ok(Some(Marker { imported: lines.any(|l| l == IMPORTED) }))
}

/// Writes the marker (to a temporary file, synced, then renamed: never
/// half a marker).
pub fn write(dir: &Path, marker: Marker) -> Result<()> {
    let tmp = dir.join(format!("{FILE}.tmp"));
    let mut text = format!("{HEADER}\n");
    if marker.imported {
        text.push_str(IMPORTED);
        text.push('\n');
    }
    let done = (|| -> io::Result<()> {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&tmp, dir.join(FILE))?;
        sync_dir(dir)
    })();
    done.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::store(code::WRITE, format!("cannot write to the store at {}: {}", dir.display(), plain_io(&e)))
    })
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// How the folder at `dir` stands before a store is opened in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// It does not exist or is empty: a new store may be made in it.
    New,
    /// It holds the marker.
    Store(Marker),
    /// It holds a store from before the marker existed.
    Unmarked,
}

/// Checks that `dir` may hold a store, creating nothing.
///
/// # Errors
///
/// [`code::NOT_A_STORE`] for a folder with other files in it;
/// [`code::OPEN`] when it is a file or cannot be listed.
pub fn check(dir: &Path) -> Result<Folder> {
    let open_error =
        |why: String| Error::store(code::OPEN, format!("cannot open the store at {}: {why}", dir.display()));
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Folder::New),
        Err(e) => return Err(open_error(plain_io(&e))),
        Ok(meta) if meta.file_type().is_symlink() && !dir.exists() => {
            return Err(open_error("it is a link to something that does not exist".to_owned()));
        }
        Ok(_) if !dir.is_dir() => return Err(open_error("it is a file, not a folder".to_owned())),
        Ok(_) => {}
    }
    if let Some(marker) = read(dir)? {
        return Ok(Folder::Store(marker));
    }
    let entries = fs::read_dir(dir).map_err(|e| open_error(plain_io(&e)))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| open_error(plain_io(&e)))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    if names.is_empty() {
        return Ok(Folder::New);
    }
    if names.iter().any(|n| n == "conf") && names.iter().all(|n| is_store_name(n)) {
        return Ok(Folder::Unmarked);
    }
    names.sort();
    let foreign: Vec<&String> = names.iter().filter(|n| !is_store_name(n) || *n == "db").collect();
    let all: Vec<&String> = names.iter().collect();
    let shown = if foreign.is_empty() { &all[..] } else { &foreign[..] };
    let mut listed = shown.iter().take(3).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    if shown.len() > 3 {
        listed.push_str(&format!(" and {} more", shown.len() - 3));
    }
    Err(Error::store(
        code::NOT_A_STORE,
        format!(
            "{} is not a PeelQL store and is not empty (it holds {listed}): nothing was written to it",
            dir.display()
        ),
    )
    .with_help(format!(
        "give --db a new or empty folder, or one made by peelql, e.g. --db {}",
        suggestion(dir).display()
    )))
}

/// A new folder inside `dir` to suggest.
fn suggestion(dir: &Path) -> PathBuf {
    dir.join("peelql-store")
}

/// The folder of the store holding `path`, if `path` lies inside one (the
/// marker found in it or a folder above it, or `path` inside `store`).
pub fn store_holding(path: &Path, store: Option<&Path>) -> Option<PathBuf> {
    let target = absolute(path)?;
    if let Some(store) = store.and_then(absolute) {
        if target.starts_with(&store) {
            return Some(store);
        }
    }
    target.ancestors().find(|dir| dir.join(FILE).is_file()).map(Path::to_path_buf)
}

/// `path` made absolute with its existing part resolved (links followed),
/// the rest appended as it is.
fn absolute(path: &Path) -> Option<PathBuf> {
    let path = std::path::absolute(path).ok()?;
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            out.extend(rest.iter().rev());
            return Some(out);
        }
        rest.push(existing.file_name()?.to_owned());
        existing = existing.parent()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_stores_only_when_marked_empty_or_sled_made() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        assert_eq!(check(&d.join("new")).expect("new"), Folder::New);
        assert_eq!(check(d).expect("empty"), Folder::New);
        fs::write(d.join("db"), "my notes").expect("write");
        let err = check(d).expect_err("foreign");
        assert_eq!(err.code_str(), code::NOT_A_STORE);
        assert!(err.to_string().contains("`db`"), "{err}");
        fs::write(d.join("conf"), "x").expect("write");
        assert_eq!(check(d).expect("unmarked"), Folder::Unmarked);
        fs::write(d.join("notes.txt"), "x").expect("write");
        assert!(check(d).is_err());
        write(d, Marker { imported: true }).expect("mark");
        assert_eq!(check(d).expect("marked"), Folder::Store(Marker { imported: true }));
        write(d, Marker { imported: false }).expect("mark");
        assert_eq!(read(d).expect("read"), Some(Marker { imported: false }));
    }

    #[test]
    fn paths_inside_a_store_are_found() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = dir.path().join("s");
        fs::create_dir(&store).expect("mkdir");
        write(&store, Marker { imported: false }).expect("mark");
        assert_eq!(store_holding(&store.join("db"), None), Some(store.canonicalize().expect("real")));
        assert_eq!(
            store_holding(&store.join("a/b/out.csv"), None),
            Some(store.canonicalize().expect("real"))
        );
        assert_eq!(store_holding(&dir.path().join("out.csv"), None), None);
        let other = dir.path().join("unmarked");
        assert!(store_holding(&other.join("x"), Some(&other)).is_some());
    }
}
