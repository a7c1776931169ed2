//! The prompt's history: `history.txt` beside the store in the user's data
//! directory (on Linux `$XDG_DATA_HOME/peelql`, by default
//! `~/.local/share/peelql`), kept across runs. Each input is one entry,
//! however many lines it has (rustyline's file format escapes newlines),
//! so Up brings a multi-line query back whole. Entries are appended as
//! they are made, so two prompts open at once both keep theirs.

use rustyline::Editor;
use rustyline::history::FileHistory;
use std::path::PathBuf;

/// Most entries kept.
pub const MAX_ENTRIES: usize = 5000;

/// Where the history lives, when there is a data directory.
pub fn default_path() -> Option<PathBuf> {
    peelql::Engine::default_path().ok().and_then(|p| p.parent().map(|d| d.join("history.txt")))
}

/// The history file of a prompt.
pub struct HistoryFile {
    path: Option<PathBuf>,
    warned: bool,
}

impl HistoryFile {
    /// Loads the history at `path` into the editor (a missing file is an
    /// empty history).
    pub fn load<H: rustyline::Helper>(
        editor: &mut Editor<H, FileHistory>,
        path: Option<PathBuf>,
    ) -> HistoryFile {
        if let Some(p) = &path {
            if p.exists() {
                if let Err(e) = editor.load_history(p) {
                    crate::cli::report::warning(&format!("cannot read the history in {}: {e}", p.display()));
                }
            }
        }
        HistoryFile { path, warned: false }
    }

    /// Adds an entry and appends it to the file. A file that cannot be
    /// written is reported once.
    pub fn add<H: rustyline::Helper>(&mut self, editor: &mut Editor<H, FileHistory>, entry: &str) {
        let entry = entry.trim_end();
        if entry.trim().is_empty() {
            return;
        }
        match editor.add_history_entry(entry) {
            Ok(true) => {}
            _ => return,
        }
        let Some(path) = &self.path else { return };
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .map_err(|e| e.to_string())
            .and_then(|()| editor.append_history(path).map_err(|e| e.to_string()));
        if let Err(e) = written {
            if !self.warned {
                crate::cli::report::warning(&format!("cannot save the history in {}: {e}", path.display()));
                self.warned = true;
            }
        }
    }
}
