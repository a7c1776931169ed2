//! Rebuilding a store whose sled files are damaged, from what beside them
//! is known to hold its last committed data.
//!
//! A process killed while sled recovers its log on open can leave the log
//! torn so that every later open says "corrupt" (seen 2 times in 600 kills
//! by `scripts/kill-probe`). The store's data is not lost with it: the
//! snapshot beside sled holds the committed data set, and a store marked as
//! holding the bundled data holds exactly the bundle. When either is
//! certain, the store is rebuilt from it: a new sled store is written in
//! `repair.<pid>/`, the damaged files are moved into `damaged-<time>/` (kept,
//! never deleted), and the new ones take their place. When neither is
//! certain — a commit was under way (a pending snapshot), or there is no
//! readable snapshot — the damage is reported and nothing is touched.

use super::{Bundle, SledStore, bundled_marker, plain_io};
use crate::error::{Error, Result};
use crate::store::{code, snapshot};
use std::fs;
use std::path::Path;

/// The files sled keeps in a store's folder (and the snapshot beside them).
fn is_sled_file(name: &str) -> bool {
    matches!(name, "db" | "conf" | "blobs" | snapshot::FILE | "bundled.fingerprint")
        || name.starts_with("snap.")
}

/// Rebuilds the store at `path`, whose sled files gave `damage`, from its
/// snapshot or the bundle; returns `damage` itself when neither is certain
/// to hold the last committed data.
pub(super) fn rebuild(path: &Path, bundle: &Bundle<'_>, damage: Error) -> Result<()> {
    // the data set of the last commit; `None` when that is the bundle's
    let committed = if bundled_marker(path).as_deref() == Some(bundle.fingerprint) {
        None
    } else if path.join(snapshot::PENDING).exists() {
        return Err(damage);
    } else {
        match snapshot::open(path) {
            Ok(ds) => Some(ds),
            Err(_) => return Err(damage),
        }
    };
    let failed = |what: &str, e: &std::io::Error| {
        Error::store(
            code::WRITE,
            format!(
                "the store at {} is damaged, and rebuilding it failed ({what}: {})",
                path.display(),
                plain_io(e)
            ),
        )
        .with_help("restore the store folder from a backup; its damaged files are kept in it")
    };
    let fresh = path.join(format!("repair.{}", std::process::id()));
    if fresh.exists() {
        fs::remove_dir_all(&fresh).map_err(|e| failed("clearing an earlier attempt", &e))?;
    }
    {
        let store = SledStore::open(&fresh, bundle)?;
        if let Some(ds) = &committed {
            store.replace_dataset(ds, &mut |_, _| {})?;
        }
    }
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let aside = path.join(format!("damaged-{secs}"));
    fs::create_dir_all(&aside).map_err(|e| failed("making a folder for the damaged files", &e))?;
    for entry in fs::read_dir(path).map_err(|e| failed("listing the store", &e))? {
        let name = entry.map_err(|e| failed("listing the store", &e))?.file_name();
        if is_sled_file(&name.to_string_lossy()) {
            fs::rename(path.join(&name), aside.join(&name))
                .map_err(|e| failed("moving a damaged file aside", &e))?;
        }
    }
    for entry in fs::read_dir(&fresh).map_err(|e| failed("listing the rebuilt store", &e))? {
        let name = entry.map_err(|e| failed("listing the rebuilt store", &e))?.file_name();
        if is_sled_file(&name.to_string_lossy()) {
            fs::rename(fresh.join(&name), path.join(&name))
                .map_err(|e| failed("moving a rebuilt file in", &e))?;
        }
    }
    let _ = fs::remove_dir_all(&fresh);
    Ok(())
}
